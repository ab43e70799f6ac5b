/**
 * The lean path of in-process queries that the cluster subgraph alone answers (issue 16: fast uncached
 * REST reads). Most REST facade operations — a pool's resources, the pools, one resource — select nothing
 * but fields of the cluster subgraph, so Hive Gateway's plan is ONE fetch from the shard executor, and its
 * execution then walks the whole merged result again to project it onto the operation (delegation, type
 * checks, a copy of every object): about a fifth of the CPU of a large uncached read, for a result that has
 * exactly the operation's shape already (the shards executed that very selection against the same SDL).
 *
 * This path hands such an operation straight to the shard executor and does what the gateway would have done
 * with its result: field authorization first (a refusal goes through the gateway, which answers it), shard
 * failures and stale warnings recorded on the context appended as errors (`useNetweaveContext`), a null
 * non-null root field nulling `data` (GraphQL null propagation; the shards already enforced nullability below
 * the root), and the operation metrics. Anything else — mutations, subscriptions, any field the hub resolves,
 * a document that does not validate against the cluster subgraph — takes the gateway.
 *
 * GraphQL over HTTP and graphql-ws take it too (`useDirectExecution`, the last plugin of the public runtime):
 * parsing, validation, limits, field authorization, metrics, error masking and the response stay the
 * gateway's; only the execution is replaced. There, identical queries running at the same time for the same
 * caller identity share ONE execution and ONE serialized answer (docs/graphql.md "Deduplication"), as stock
 * Hive Gateway shares identical subgraph requests. The REST facade's in-process reads never share one: they
 * must not join an execution started before a change (rest-facade/answer-freshness.ts).
 */
import {
  GraphQLError,
  Kind,
  TypeInfo,
  isNonNullType,
  parse,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Executor } from '@graphql-tools/utils';
import type { AuthContext } from '../common/auth.ts';
import { authorizeDocument } from './graphql-authorization.ts';
import { identityKey, InflightRequests } from './inflight.ts';
import { partialResultOf } from './partial-results.ts';
import { shardFailuresOf } from './shard-executor.ts';
import { documentText } from './shard-plan.ts';

/** `Type.field` coordinates the hub resolves: every field it defines that is not part of its type's key. */
export function hubOwnedFields(hubSdl: string): ReadonlySet<string> {
  const owned = new Set<string>();
  for (const definition of parse(hubSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION)
      continue;
    const keys = new Set<string>();
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      for (const argument of directive.arguments ?? []) {
        if (argument.name.value === 'fields' && argument.value.kind === Kind.STRING)
          for (const name of argument.value.value.split(/[\s{}]+/)) if (name !== '') keys.add(name);
      }
    }
    for (const field of definition.fields ?? []) {
      if (!keys.has(field.name.value)) owned.add(`${definition.name.value}.${field.name.value}`);
    }
  }
  return owned;
}

export interface DirectExecutionOptions {
  /** The supergraph's API schema (authorization and root nullability are decided on it). */
  readonly schema: GraphQLSchema;
  /** The cluster subgraph's own schema: a document that does not validate against it takes the gateway. */
  readonly clusterSchema: GraphQLSchema;
  readonly hubFields: ReadonlySet<string>;
  readonly shardExecutor: Executor;
  /** Records the operation like the gateway's metrics plugin does. */
  readonly observe?: (
    document: DocumentNode,
    operationName: string | undefined,
    result: ExecutionResult,
    started: number,
  ) => void;
}

export interface DirectRequest {
  readonly document: DocumentNode;
  readonly operationName?: string | undefined;
  readonly variables: Record<string, unknown>;
  readonly auth: AuthContext;
  readonly clustersAsked?: Set<string> | undefined;
}

/** The operation of `document` when only the cluster subgraph answers it; undefined otherwise. */
function clusterOnlyOperation(
  options: DirectExecutionOptions,
  document: DocumentNode,
  operationName: string | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    operationName === undefined
      ? operations.length === 1
        ? operations[0]
        : undefined
      : operations.find((o) => o.name?.value === operationName);
  if (operation === undefined || operation.operation !== 'query') return undefined;
  const typeInfo = new TypeInfo(options.clusterSchema);
  let clusterOnly = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.name.value === '__typename') return;
        const parent = typeInfo.getParentType();
        if (
          parent == null ||
          typeInfo.getFieldDef() == null ||
          options.hubFields.has(`${parent.name}.${node.name.value}`) ||
          node.name.value.startsWith('_')
        ) {
          clusterOnly = false;
        }
      },
      Directive() {
        // @include/@skip and friends: the gateway applies them; not worth a second implementation.
        clusterOnly = false;
      },
    }),
  );
  return clusterOnly ? operation : undefined;
}

export interface SharedRequest {
  /** The public API schema the document was validated against (variables are coerced on it). */
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null | undefined;
  /** The variables as the caller sent them. */
  readonly variables: Readonly<Record<string, unknown>> | undefined;
  readonly auth: AuthContext;
  /** The caller's own signal: it leaves when it aborts; the shared execution stops when every caller left. */
  readonly signal: AbortSignal;
}

export interface DirectExecution {
  /** The result, or undefined when the operation must go through the gateway. */
  execute(request: DirectRequest): Promise<ExecutionResult | undefined>;
  /** Whether `execute`/`executeShared` would answer the operation (cluster subgraph only, a query). */
  handles(document: DocumentNode, operationName: string | null | undefined): boolean;
  /**
   * The execution of an operation `handles` accepted, authorized and validated by the gateway's envelop:
   * shared with identical concurrent requests of the same caller identity. Its result carries a `stringify`
   * (Yoga's serializer hook) that serializes it once for all of them.
   */
  executeShared(request: SharedRequest): Promise<ExecutionResult>;
  /** Executions currently shared (tests). */
  readonly sharing: number;
}

/** Serializes a result once, however many responses carry it (Yoga calls `result.stringify(result)`). */
function serializedOnce(result: ExecutionResult): ExecutionResult {
  let text: string | undefined;
  const stringify = (value: ExecutionResult): string => {
    // Yoga passes a sanitized copy when it strips internals from errors: that copy is serialized itself.
    if (value !== result) return JSON.stringify(value);
    text ??= JSON.stringify(value);
    return text;
  };
  // Not enumerable: a plugin that copies the result ({...result}) gets a plain result again.
  return Object.defineProperty(result, 'stringify', { value: stringify, enumerable: false });
}

/** The gateway's name of the cluster subgraph, which it adds to the errors that subgraph returned. */
const CLUSTER_SERVICE = 'cluster';

/**
 * The errors of the shard executor's result as the gateway hands them on: GraphQLErrors (Yoga masks anything
 * else as an unexpected error) naming the subgraph they came from, in the order the gateway's execution
 * raises them, root field by root field. A null root field without errors of its own raises every path-less
 * error on its path (all the gateway knows about why it is null); path-less errors no such field took stay
 * path-less, but not those about a cluster an error already names (the gateway reports that cause once).
 */
function subgraphErrors(
  errors: readonly (GraphQLFormattedError | GraphQLError)[],
  data: Record<string, unknown> | null,
): GraphQLError[] {
  const convert = (
    error: GraphQLFormattedError | GraphQLError,
    path: readonly (string | number)[] | undefined,
  ): GraphQLError =>
    new GraphQLError(error.message, {
      ...(path === undefined ? {} : { path }),
      extensions: { ...error.extensions, serviceName: CLUSTER_SERVICE },
    });
  const pathless = errors.filter((e) => e.path === undefined || e.path.length === 0);
  const keys = data === null ? [] : Object.keys(data);
  if (pathless.length === 0 || !keys.some((key) => data?.[key] === null))
    return errors.map((e) => convert(e, e.path));
  const ordered: GraphQLError[] = [];
  let taken = false;
  for (const key of keys) {
    const own = errors.filter((e) => e.path?.[0] === key);
    ordered.push(...own.map((e) => convert(e, e.path)));
    if (data?.[key] === null && own.length === 0) {
      ordered.push(...pathless.map((e) => convert(e, [key])));
      taken = true;
    }
  }
  if (!taken) {
    const named = new Set(ordered.map((e) => e.extensions['clusterId']));
    for (const error of pathless)
      if (!named.has(error.extensions?.['clusterId'])) ordered.push(convert(error, undefined));
  }
  return ordered;
}

/** Variable coercion errors as the gateway's executor answers them: 400, no data. */
function variableErrors(errors: readonly GraphQLError[]): ExecutionResult {
  return {
    errors: errors.map(
      (error) =>
        new GraphQLError(error.message, {
          nodes: error.nodes ?? null,
          extensions: { ...error.extensions, http: { status: 400 } },
        }),
    ),
  };
}

export function createDirectExecution(options: DirectExecutionOptions): DirectExecution {
  // Per document (the facade's documents are cached objects, and so are Yoga's parsed documents): its
  // cluster-only operations by name.
  const decided = new WeakMap<DocumentNode, Map<string, OperationDefinitionNode | null>>();
  const operationOf = (
    document: DocumentNode,
    operationName: string | null | undefined,
  ): OperationDefinitionNode | undefined => {
    let byName = decided.get(document);
    if (byName === undefined) decided.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let operation = byName.get(key);
    if (operation === undefined) {
      operation = clusterOnlyOperation(options, document, operationName ?? undefined) ?? null;
      byName.set(key, operation);
    }
    return operation ?? undefined;
  };
  const queryType = options.schema.getQueryType();
  const shared = new InflightRequests<ExecutionResult>();

  /** Runs the operation on the shards and completes it as the gateway would (errors, null propagation). */
  async function run(
    operation: OperationDefinitionNode,
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown>,
    context: { auth: AuthContext; clustersAsked?: Set<string> },
    signal?: AbortSignal,
  ): Promise<{
    data: Record<string, unknown> | null;
    /** The merged data before null propagation at the root. */
    shardData: Record<string, unknown> | null;
    errors: GraphQLError[];
    /** How many errors at the end of `errors` are recorded shard failures (the others are the result's). */
    failures: number;
    /** Shard failures and stale warnings recorded during the execution. */
    recorded: number;
  }> {
    const result = (await options.shardExecutor({
      document,
      variables,
      ...(operationName === undefined ? {} : { operationName }),
      context,
      ...(signal === undefined ? {} : { signal }),
    })) as ExecutionResult;
    const errors: GraphQLError[] = [...(result.errors ?? [])];
    const present = new Set(errors.map((e) => e.extensions?.['clusterId']));
    const own = errors.length;
    for (const failure of shardFailuresOf(context))
      if (!present.has(failure.extensions['clusterId'])) errors.push(failure);
    let data = result.data ?? null;
    if (data !== null && queryType != null) {
      const fields = queryType.getFields();
      for (const selection of operation.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const key = selection.alias?.value ?? selection.name.value;
        const type = fields[selection.name.value]?.type;
        if (data[key] === null && type !== undefined && isNonNullType(type)) {
          data = null;
          break;
        }
      }
    }
    return {
      data,
      shardData: result.data ?? null,
      errors,
      failures: errors.length - own,
      recorded: shardFailuresOf(context).length,
    };
  }

  return {
    handles: (document, operationName) => operationOf(document, operationName) !== undefined,
    get sharing() {
      return shared.size;
    },
    async execute(request) {
      const operation = operationOf(request.document, request.operationName);
      if (operation === undefined || queryType == null) return undefined;
      // A refused field: the gateway answers with its FORBIDDEN errors, as for any other caller.
      if (authorizeDocument(options.schema, request.document, request.auth).length > 0) return undefined;
      const started = performance.now();
      const context = {
        auth: request.auth,
        ...(request.clustersAsked === undefined ? {} : { clustersAsked: request.clustersAsked }),
      };
      const { data, errors } = await run(
        operation,
        request.document,
        request.operationName,
        request.variables,
        context,
      );
      const final: ExecutionResult = errors.length > 0 ? { data, errors } : { data };
      options.observe?.(request.document, request.operationName, final, started);
      return final;
    },
    async executeShared(request) {
      const operation = operationOf(request.document, request.operationName);
      if (operation === undefined) throw new Error('executeShared: not a cluster-only query');
      // What graphql-js' execute does first: variables coerced on the operation's definitions (defaults
      // applied), or the request fails with the coercion errors and no data.
      const coerced = getVariableValues(
        request.schema,
        operation.variableDefinitions ?? [],
        request.variables ?? {},
        { maxErrors: 50 },
      );
      if (coerced.errors !== undefined) return variableErrors(coerced.errors);
      const variables = coerced.coerced;
      const operationName = request.operationName ?? undefined;
      const key = JSON.stringify([
        identityKey(request.auth),
        documentText(request.document),
        operationName ?? null,
        variables,
      ]);
      return shared.run(key, request.signal, async (signal) => {
        // The shared execution's own context (the first caller's would collect everybody's shard failures).
        const { data, shardData, errors, failures, recorded } = await run(
          operation,
          request.document,
          operationName,
          variables,
          { auth: request.auth },
          signal,
        );
        // The result's errors name the subgraph; failures appended from the record do not (as in the gateway).
        const own = errors.length - failures;
        const graphErrors = [...subgraphErrors(errors.slice(0, own), shardData), ...errors.slice(own)];
        const result: ExecutionResult = graphErrors.length > 0 ? { data, errors: graphErrors } : { data };
        // The gateway's path adds these in useNetweaveContext (router/gateway.ts) when shards failed.
        if (recorded > 0) {
          const partial = partialResultOf(graphErrors);
          if (Object.keys(partial).length > 0) return serializedOnce({ ...result, extensions: partial });
        }
        return serializedOnce(result);
      });
    },
  };
}

interface ContextCarrier {
  readonly auth?: AuthContext;
  readonly request?: { readonly signal?: AbortSignal };
}

/**
 * The public runtime's plugin (the last one: it runs after authorization has refused what it refuses):
 * cluster-only queries execute on the direct path instead of Hive Gateway's plan and projection. `directOf`
 * because the direct path is built once the runtimes have loaded their schemas.
 */
export function useDirectExecution(directOf: () => DirectExecution | undefined): GatewayPlugin {
  return {
    onExecute({ args, setExecuteFn }) {
      const direct = directOf();
      if (direct === undefined || !direct.handles(args.document, args.operationName)) return;
      const carrier = args.contextValue as ContextCarrier | undefined;
      const auth = carrier?.auth;
      if (auth === undefined) return;
      const signal = carrier?.request?.signal ?? new AbortController().signal;
      setExecuteFn((executeArgs) =>
        direct.executeShared({
          schema: executeArgs.schema,
          document: executeArgs.document,
          operationName: executeArgs.operationName,
          variables: executeArgs.variableValues ?? undefined,
          auth,
          signal,
        }),
      );
    },
  };
}
