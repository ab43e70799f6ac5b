/**
 * Planning one subgraph request over N cluster shards (docs/architecture.md "The shape" "shards, not copies").
 *
 * The router sends the logical `cluster` subgraph documents of any shape: several root fields, fields
 * renamed `_vN_…` by request merging, several `_entities` blocks. This module decides, per root field,
 * which shards must answer it, and builds for each shard the document that holds only its fields
 * (with unused variables and fragments dropped, or the subgraph would reject the document).
 */
import {
  Kind,
  getNamedType,
  print,
  getNullableType,
  isListType,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { tagOfId } from '../o2/ids.ts';

/** How one root field is routed. */
export type FieldRoute =
  /** Every live shard answers; results are merged. */
  | { readonly kind: 'all' }
  /** Only shards whose cluster id or id tag was named by the arguments. */
  | { readonly kind: 'owners'; readonly clusterIds: ReadonlySet<string>; readonly tags: ReadonlySet<string> }
  /** `_entities`: each representation goes to the shard named by its clusterId, or to all shards. */
  | { readonly kind: 'entities'; readonly variable: string | undefined }
  /** Answered by the router itself (`__typename`). */
  | { readonly kind: 'local' };

export interface RootField {
  readonly responseKey: string;
  readonly fieldName: string;
  readonly node: FieldNode;
  /** The field returns a list (merged by concatenation) rather than one object (first non-null wins). */
  readonly isList: boolean;
  /** Named return type, used to pick the key for de-duplicating objects shared by several clusters. */
  readonly returnTypeName: string;
  readonly argumentNodes: FieldNode['arguments'];
  /**
   * A connection (`edges`/`pageInfo`/`totalCount`) merged across shards by sort key: `node` then also selects
   * the cursors, `hasNextPage` and `totalCount` under the CONNECTION_KEYS aliases, whatever the caller selected.
   */
  readonly isConnection: boolean;
}

/** Aliases under which the router selects what it needs to merge connections (removed from the merge). */
export const CONNECTION_KEYS = {
  cursors: '_nwCursors',
  more: '_nwMore',
  total: '_nwTotal',
} as const;

function field(name: string, alias?: string, selections?: readonly SelectionNode[]): FieldNode {
  return {
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: name },
    ...(alias === undefined ? {} : { alias: { kind: Kind.NAME, value: alias } }),
    ...(selections === undefined ? {} : { selectionSet: { kind: Kind.SELECTION_SET, selections } }),
  };
}

/** The connection field with the selections the merge needs added (see RootField.isConnection). */
function withMergeKeys(node: FieldNode): FieldNode {
  return {
    ...node,
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        ...(node.selectionSet?.selections ?? []),
        field('edges', CONNECTION_KEYS.cursors, [field('cursor')]),
        field('pageInfo', CONNECTION_KEYS.more, [field('hasNextPage')]),
        field('totalCount', CONNECTION_KEYS.total),
      ],
    },
  };
}

export interface OperationShape {
  readonly operation: OperationDefinitionNode;
  readonly rootTypeName: string;
  readonly fields: readonly RootField[];
  readonly fragments: readonly FragmentDefinitionNode[];
  /** Per-shard operations, keyed by the list of field indexes they hold. */
  readonly subOperations: Map<string, SubOperation>;
}

/** The document one shard is sent, with its printed text (printed once per shape, not once per request). */
export interface SubOperation {
  readonly document: DocumentNode;
  readonly query: string;
}

/** Arguments whose value names the owning cluster. */
const CLUSTER_ARGUMENT = 'clusterId';

/**
 * Printed text of each document object seen. The gateway builds a new document object for every request, so
 * this only saves the print when the same object comes back; the shape cache below is keyed by the text.
 */
const printedDocuments = new WeakMap<DocumentNode, string>();

export function documentText(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) {
    text = print(document);
    printedDocuments.set(document, text);
  }
  return text;
}

/**
 * Shapes by operation name + document TEXT, per cluster schema. Keyed by text (not by document object, which
 * is new per request) so a repeated operation is planned and its shard documents printed once. Bounded: a
 * client sending ever-new documents evicts old shapes instead of growing the router.
 */
const SHAPE_CACHE_SIZE = 1_000;
const shapeCaches = new WeakMap<GraphQLSchema, LRUCache<string, OperationShape>>();

export function operationShape(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
): OperationShape {
  let cache = shapeCaches.get(schema);
  if (!cache) {
    cache = new LRUCache({ max: SHAPE_CACHE_SIZE });
    shapeCaches.set(schema, cache);
  }
  const cacheKey = `${operationName ?? ''}\n${documentText(document)}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;

  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) throw new Error(`operation ${operationName ?? '(anonymous)'} not found in document`);
  const fragments = document.definitions.filter(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
  );
  const rootType: GraphQLObjectType | null | undefined =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getMutationType();
  if (!rootType) throw new Error(`the cluster subgraph has no ${operation.operation} type`);
  const rootFields = rootType.getFields();
  const fields: RootField[] = [];
  for (const node of flattenRootSelections(operation.selectionSet.selections, fragments)) {
    const fieldName = node.name.value;
    const def = rootFields[fieldName];
    const returnType = def ? getNullableType(def.type) : undefined;
    const returnTypeName = def ? getNamedType(def.type).name : '';
    const isConnection = returnTypeName.endsWith('Connection') && node.selectionSet !== undefined;
    fields.push({
      responseKey: node.alias?.value ?? fieldName,
      fieldName,
      node: isConnection ? withMergeKeys(node) : node,
      isConnection,
      isList: returnType !== undefined && isListType(returnType),
      returnTypeName,
      argumentNodes: node.arguments,
    });
  }
  const shape: OperationShape = {
    operation,
    rootTypeName: rootType.name,
    fields,
    fragments,
    subOperations: new Map(),
  };
  cache.set(cacheKey, shape);
  return shape;
}

/** Root selections as plain fields: fragments on the root type are inlined. */
function flattenRootSelections(
  selections: readonly SelectionNode[],
  fragments: readonly FragmentDefinitionNode[],
): FieldNode[] {
  const out: FieldNode[] = [];
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      out.push(...flattenRootSelections(selection.selectionSet.selections, fragments));
    } else {
      const fragment = fragments.find((f) => f.name.value === selection.name.value);
      if (fragment) out.push(...flattenRootSelections(fragment.selectionSet.selections, fragments));
    }
  }
  return out;
}

export function routeOf(field: RootField, variables: Readonly<Record<string, unknown>>): FieldRoute {
  if (field.fieldName === '__typename') return { kind: 'local' };
  if (field.fieldName === '_entities') {
    const arg = field.argumentNodes?.find((a) => a.name.value === 'representations');
    return {
      kind: 'entities',
      variable: arg?.value.kind === Kind.VARIABLE ? arg.value.name.value : undefined,
    };
  }
  const clusterIds = new Set<string>();
  const tags = new Set<string>();
  for (const arg of field.argumentNodes ?? []) {
    const value = valueFromASTUntyped(arg.value, variables);
    if (typeof value !== 'string') continue;
    if (arg.name.value === CLUSTER_ARGUMENT) clusterIds.add(value);
    else if (arg.name.value.endsWith('Id')) {
      // Ids of cluster-owned objects carry their cluster's tag (o2/ids.ts); others are global.
      const tag = tagOfId(value);
      if (tag) tags.add(tag);
    }
  }
  return clusterIds.size > 0 || tags.size > 0 ? { kind: 'owners', clusterIds, tags } : { kind: 'all' };
}

/** A list argument of a subscription that names the clusters it wants (`topology(clusters: [...])`). */
const CLUSTERS_ARGUMENT = 'clusters';

/**
 * The clusters a subscription asks for: the union of its root fields' `clusters` (or `clusterId`) arguments;
 * undefined when a root field names none (every visible shard is then subscribed to).
 */
export function subscribedClusters(
  shape: OperationShape,
  variables: Readonly<Record<string, unknown>>,
): ReadonlySet<string> | undefined {
  const wanted = new Set<string>();
  for (const field of shape.fields) {
    if (field.fieldName === '__typename') continue;
    let named = false;
    for (const arg of field.argumentNodes ?? []) {
      if (arg.name.value !== CLUSTERS_ARGUMENT && arg.name.value !== CLUSTER_ARGUMENT) continue;
      const value: unknown = valueFromASTUntyped(arg.value, variables);
      const ids = Array.isArray(value) ? value : value === null || value === undefined ? undefined : [value];
      if (ids === undefined) continue;
      named = true;
      for (const id of ids) if (typeof id === 'string') wanted.add(id);
    }
    if (!named) return undefined;
  }
  return wanted;
}

/** The representations an `_entities` field was called with. */
export function representationsOf(
  field: RootField,
  route: Extract<FieldRoute, { kind: 'entities' }>,
  variables: Readonly<Record<string, unknown>>,
): readonly unknown[] {
  if (route.variable !== undefined) {
    const value = variables[route.variable];
    return Array.isArray(value) ? value : [];
  }
  const arg = field.argumentNodes?.find((a) => a.name.value === 'representations');
  const value = arg ? valueFromASTUntyped(arg.value, variables) : undefined;
  return Array.isArray(value) ? value : [];
}

/**
 * The document holding only the root fields at `indexes`, and its text. Cached per operation shape, so the
 * gateway's repeated plans cost one rewrite and one print each, not one per request.
 */
export function subOperation(shape: OperationShape, indexes: readonly number[]): SubOperation {
  const key = indexes.join(',');
  const cached = shape.subOperations.get(key);
  if (cached) return cached;
  const selections = indexes.map((i) => shape.fields[i]!.node);
  const usedFragments = collectFragments(selections, shape.fragments);
  const fragmentDefs = shape.fragments.filter((f) => usedFragments.has(f.name.value));
  const usedVariables = new Set<string>();
  const collectVariables = (node: SelectionNode | FragmentDefinitionNode): void => {
    visit(node, {
      Variable(v) {
        usedVariables.add(v.name.value);
      },
    });
  };
  selections.forEach(collectVariables);
  fragmentDefs.forEach(collectVariables);
  const operation: OperationDefinitionNode = {
    ...shape.operation,
    variableDefinitions: (shape.operation.variableDefinitions ?? []).filter((v) =>
      usedVariables.has(v.variable.name.value),
    ),
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragmentDefs] };
  const sub: SubOperation = { document, query: print(document) };
  shape.subOperations.set(key, sub);
  return sub;
}

function collectFragments(
  selections: readonly SelectionNode[],
  fragments: readonly FragmentDefinitionNode[],
): Set<string> {
  const used = new Set<string>();
  const pending: SelectionNode[] = [...selections];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        used.add(name);
        const def = fragments.find((f) => f.name.value === name);
        if (def) pending.push(...def.selectionSet.selections);
      },
    });
  }
  return used;
}
