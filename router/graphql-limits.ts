/**
 * GraphQL request limits (docs/security.md "GraphQL limits"), on by default: a cheap lexical pass refuses too
 * many tokens or too deep nesting before the recursive parser can overflow the stack; validation rules refuse
 * too deep selections, alias bombs and operations whose estimated cost (nested lists multiply) exceeds the
 * budget; variables nested too deep are refused before anything serializes them; field suggestions are
 * removed from validation errors outside development. Every refusal is a 400 with a GraphQL error code.
 */
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  isListType,
  parse,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

export interface GraphQLLimits {
  /** Deepest field nesting of an operation (fragments followed; introspection fields not counted). */
  readonly maxDepth: number;
  /** Aliased fields per document. */
  readonly maxAliases: number;
  /** Lexical tokens per document. */
  readonly maxTokens: number;
  /** Estimated cost budget: every object field costs 1 times the sizes of the lists above it. */
  readonly maxCost: number;
  /** Assumed size of a list whose `first` argument is not a literal. */
  readonly listSizeEstimate: number;
  /** Nesting of variable values (objects and arrays). */
  readonly maxVariableDepth: number;
}

export const DEFAULT_GRAPHQL_LIMITS: GraphQLLimits = {
  maxDepth: 15,
  maxAliases: 30,
  maxTokens: 15_000,
  maxCost: 5_000,
  listSizeEstimate: 10,
  maxVariableDepth: 32,
};

/** A refusal the client caused: 400, never counted as a server or shard failure. */
export function limitError(message: string, code = 'GRAPHQL_VALIDATION_FAILED'): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/**
 * The lexical pass: counts tokens and bracket nesting without recursion. Brackets (`{`, `[`, `(`) nest at most
 * twice per field level plus argument values, so 2 × maxDepth + 16 leaves room for every legal operation.
 */
export function checkSource(text: string, limits: GraphQLLimits): void {
  const lexer = new Lexer(new Source(text));
  const maxNesting = limits.maxDepth * 2 + 16;
  let tokens = 0;
  let nesting = 0;
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    if (++tokens > limits.maxTokens) {
      throw limitError(`the document has more than ${limits.maxTokens} tokens`, 'GRAPHQL_PARSE_FAILED');
    }
    if (
      token.kind === TokenKind.BRACE_L ||
      token.kind === TokenKind.BRACKET_L ||
      token.kind === TokenKind.PAREN_L
    ) {
      if (++nesting > maxNesting) {
        throw limitError(`the document nests deeper than ${maxNesting} brackets`, 'GRAPHQL_PARSE_FAILED');
      }
    } else if (
      token.kind === TokenKind.BRACE_R ||
      token.kind === TokenKind.BRACKET_R ||
      token.kind === TokenKind.PAREN_R
    ) {
      nesting--;
    }
  }
}

/** Depth of nested objects and arrays, measured without recursion (a 10,000-deep value must not overflow). */
export function valueDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current))
      stack.push({ value: child, depth: here });
  }
  return deepest;
}

export function checkVariables(variables: unknown, limits: GraphQLLimits): void {
  if (variables === undefined || variables === null) return;
  // The variables object itself is level 1.
  if (valueDepth(variables, limits.maxVariableDepth + 1) > limits.maxVariableDepth + 1) {
    throw limitError(`variable values nest deeper than ${limits.maxVariableDepth} levels`, 'BAD_USER_INPUT');
  }
}

/** A connection type (docs/graphql.md): its `first` sizes its `edges`, which then cost nothing more. */
function isConnection(type: GraphQLOutputType | ReturnType<typeof getNamedType>): boolean {
  return (getNamedType(type)?.name ?? '').endsWith('Connection');
}

function listMultiplier(
  field: FieldNode,
  type: GraphQLOutputType,
  limits: GraphQLLimits,
  parentType: ReturnType<typeof getNamedType>,
): number {
  const connection = !isListType(getNullableType(type)) && isConnection(type);
  if (!connection && !isListType(getNullableType(type))) return 1;
  // A connection's edges were sized by the connection's `first`.
  if (!connection && field.name.value === 'edges' && isConnection(parentType)) return 1;
  const first = field.arguments?.find((a) => a.name.value === 'first')?.value;
  if (first?.kind === Kind.INT) return Math.max(1, Number.parseInt(first.value, 10));
  return limits.listSizeEstimate;
}

/**
 * Depth, aliases and cost of each operation in one walk over its selections (fragments expanded, with a
 * guard against fragment cycles, which graphql's own rule reports).
 */
export function operationLimitsRule(limits: GraphQLLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const schema: GraphQLSchema = context.getSchema();
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

    return {
      Document(document) {
        let aliases = 0;
        const aliasVisit = (set: SelectionSetNode | undefined): void => {
          for (const selection of set?.selections ?? []) {
            if (selection.kind === Kind.FIELD && selection.alias) aliases++;
            if (selection.kind !== Kind.FRAGMENT_SPREAD) aliasVisit(selection.selectionSet);
          }
        };
        for (const definition of document.definitions)
          if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION)
            aliasVisit(definition.selectionSet);
        if (aliases > limits.maxAliases) {
          context.reportError(
            limitError(`the document has ${aliases} aliases; at most ${limits.maxAliases}`),
          );
        }
      },
      OperationDefinition(operation) {
        const root =
          operation.operation === 'query'
            ? schema.getQueryType()
            : operation.operation === 'mutation'
              ? schema.getMutationType()
              : schema.getSubscriptionType();
        if (!root) return;
        let deepest = 0;
        let cost = 0;
        let stopped = false;
        const walk = (
          set: SelectionSetNode,
          parentType: ReturnType<typeof getNamedType>,
          depth: number,
          multiplier: number,
          spreads: ReadonlySet<string>,
        ): void => {
          for (const selection of set.selections) {
            if (stopped) return;
            if (selection.kind === Kind.FRAGMENT_SPREAD) {
              const name = selection.name.value;
              const fragment = fragments.get(name);
              if (!fragment || spreads.has(name)) continue;
              const condition = schema.getType(fragment.typeCondition.name.value) ?? parentType;
              walk(fragment.selectionSet, condition, depth, multiplier, new Set([...spreads, name]));
              continue;
            }
            if (selection.kind === Kind.INLINE_FRAGMENT) {
              const condition = selection.typeCondition
                ? (schema.getType(selection.typeCondition.name.value) ?? parentType)
                : parentType;
              walk(selection.selectionSet, condition, depth, multiplier, spreads);
              continue;
            }
            const name = selection.name.value;
            if (name.startsWith('__')) continue;
            const fieldDef =
              isObjectType(parentType) || isInterfaceType(parentType)
                ? parentType.getFields()[name]
                : undefined;
            if (!fieldDef) continue;
            const here = depth + 1;
            deepest = Math.max(deepest, here);
            const named = getNamedType(fieldDef.type);
            if (isCompositeType(named)) cost += multiplier;
            if (deepest > limits.maxDepth || cost > limits.maxCost) {
              stopped = true;
              return;
            }
            if (selection.selectionSet) {
              walk(
                selection.selectionSet,
                named,
                here,
                multiplier * listMultiplier(selection, fieldDef.type, limits, parentType),
                spreads,
              );
            }
          }
        };
        walk(operation.selectionSet, root, 0, 1, new Set());
        if (deepest > limits.maxDepth) {
          context.reportError(limitError(`the operation nests deeper than ${limits.maxDepth} fields`));
        } else if (cost > limits.maxCost) {
          context.reportError(
            limitError(
              `the operation's estimated cost exceeds ${limits.maxCost} (nested lists multiply; pass smaller \`first\` values or select less)`,
            ),
          );
        }
      },
    };
  };
}

const SUGGESTION = / ?Did you mean .*\?$/;

export interface LimitsPluginOptions {
  readonly limits: GraphQLLimits;
  /** Keep "Did you mean …?" in validation errors (development only: it reveals the schema to anonymous callers). */
  readonly fieldSuggestions: boolean;
}

/** The envelop plugin for HTTP and graphql-ws alike (both parse and validate through the gateway's envelop). */
export function useOperationLimits(options: LimitsPluginOptions): GatewayPlugin {
  const { limits } = options;
  const rule = operationLimitsRule(limits);
  return {
    onParse({ setParseFn }) {
      setParseFn((source, parseOptions) => {
        const text = typeof source === 'string' ? source : source.body;
        checkSource(text, limits);
        return parse(source, { ...parseOptions, maxTokens: limits.maxTokens });
      });
    },
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
      if (options.fieldSuggestions) return undefined;
      return ({ result, setResult }) => {
        if (result.length === 0) return;
        setResult(
          result.map((error) =>
            SUGGESTION.test(error.message)
              ? new GraphQLError(error.message.replace(SUGGESTION, ''), {
                  nodes: error.nodes ?? null,
                  extensions: error.extensions,
                })
              : error,
          ),
        );
      };
    },
    onParams({ params }) {
      checkVariables(params.variables, limits);
    },
  };
}

/** Statuses of the client errors that stop an operation before it runs. */
const CLIENT_ERROR_STATUS: Readonly<Record<string, number>> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  PERSISTED_QUERY_NOT_FOUND: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

/**
 * A request refused before execution (no data, only client errors) answers with its 4xx status for every
 * accepted media type. Yoga keeps 200 for `application/json` callers (the legacy GraphQL-over-HTTP rule), which
 * hides refusals from proxies, rate limiters and the "never a 500, always a 4xx" contract of docs/security.md.
 */
export function useClientErrorStatus(): GatewayPlugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      const single = result as {
        data?: unknown;
        errors?: readonly GraphQLError[];
        extensions?: Record<string, unknown>;
      };
      if (single.data != null || !single.errors || single.errors.length === 0) return;
      const statuses = single.errors.map((e) => CLIENT_ERROR_STATUS[String(e.extensions?.['code'])]);
      if (statuses.some((s) => s === undefined)) return;
      setResult({
        ...single,
        extensions: { ...single.extensions, http: { status: Math.max(...(statuses as number[])) } },
      } as never);
    },
  };
}
