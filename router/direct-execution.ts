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
 */
import {
  Kind,
  TypeInfo,
  isNonNullType,
  parse,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Executor } from '@graphql-tools/utils';
import type { AuthContext } from '../common/auth.ts';
import { authorizeDocument } from './graphql-authorization.ts';
import { shardFailuresOf } from './shard-executor.ts';

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

export interface DirectExecution {
  /** The result, or undefined when the operation must go through the gateway. */
  execute(request: DirectRequest): Promise<ExecutionResult | undefined>;
}

export function createDirectExecution(options: DirectExecutionOptions): DirectExecution {
  // Per document (the facade's documents are cached objects): its cluster-only operations by name.
  const decided = new WeakMap<DocumentNode, Map<string, OperationDefinitionNode | null>>();
  const operationOf = (
    document: DocumentNode,
    operationName: string | undefined,
  ): OperationDefinitionNode | undefined => {
    let byName = decided.get(document);
    if (byName === undefined) decided.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let operation = byName.get(key);
    if (operation === undefined) {
      operation = clusterOnlyOperation(options, document, operationName) ?? null;
      byName.set(key, operation);
    }
    return operation ?? undefined;
  };
  const queryType = options.schema.getQueryType();

  return {
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
      const result = (await options.shardExecutor({
        document: request.document,
        variables: request.variables,
        ...(request.operationName === undefined ? {} : { operationName: request.operationName }),
        context,
      })) as ExecutionResult;
      const errors: GraphQLError[] = [...(result.errors ?? [])];
      const present = new Set(errors.map((e) => e.extensions?.['clusterId']));
      for (const failure of shardFailuresOf(context))
        if (!present.has(failure.extensions['clusterId'])) errors.push(failure);
      let data = result.data ?? null;
      if (data !== null) {
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
      const final: ExecutionResult = errors.length > 0 ? { data, errors } : { data };
      options.observe?.(request.document, request.operationName, final, started);
      return final;
    },
  };
}
