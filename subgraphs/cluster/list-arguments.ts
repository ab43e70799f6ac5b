/**
 * The list arguments of the public graph (docs/graphql.md "Lists"), evaluated by the cluster subgraph:
 *
 * - `filter`: a SOL013 filter string compiled against the listed GraphQL type (o2/graphql-filter.ts), with
 *   REST's grammar and error details;
 * - `compiledFilter`, `first`, `after` of the plain lists: the REST facade's internal contract
 *   (o2/list-window.ts), `@inaccessible` in the public supergraph;
 * - connections: `orderBy`, `first`, `after` (a cursor of o2/ordered-page.ts), answered with `edges`,
 *   `pageInfo` and `totalCount`. The router merges the connections of several clusters with the same
 *   ordering (router/shard-executor.ts).
 *
 * Every mistake in them is the caller's: BAD_USER_INPUT with the library's detail, never an empty list.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { graphError } from '../../common/errors.ts';
import { ListWindowError, listWindow } from '../../o2/list-window.ts';
import {
  CursorError,
  ID_ORDER,
  cursorKey,
  encodeCursor,
  orderedPage,
  type ListOrder,
  type OrderValue,
  type SortKey,
} from '../../o2/ordered-page.ts';
import { asCompiledFilter, prepareFilter, type CompiledFilter } from '../../o2/sol013/index.ts';
import { attributeSchemaOf, compileFilterArgument, objectType } from '../../o2/graphql-filter.ts';

/** The largest page of a connection. */
export const MAX_CONNECTION_PAGE = 1000;

export interface PlainListArgs {
  readonly filter?: string | null;
  readonly compiledFilter?: unknown;
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface ConnectionArgs {
  readonly filter?: string | null;
  readonly orderBy?: { readonly attribute: string; readonly direction?: 'ASC' | 'DESC' | null } | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface Connection<T> {
  readonly edges: readonly { readonly node: T; readonly cursor: string }[];
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    readonly hasPreviousPage: boolean;
    readonly startCursor: string | null;
    readonly endCursor: string | null;
  };
  readonly totalCount: number;
}

function badInput(message: string): never {
  throw graphError('BAD_USER_INPUT', message);
}

/** Both filters of a plain list as one (SOL013 clauses are a conjunction). */
function combinedFilter(
  args: PlainListArgs,
  typeName: string,
  info: Pick<GraphQLResolveInfo, 'schema'>,
): CompiledFilter | undefined {
  const text = compileFilterArgument(args.filter, typeName, info);
  let internal: CompiledFilter | undefined;
  if (args.compiledFilter !== null && args.compiledFilter !== undefined) {
    try {
      internal = asCompiledFilter(args.compiledFilter);
    } catch {
      badInput('the compiledFilter argument is not a compiled SOL013 filter');
    }
  }
  if (text === undefined) return internal;
  if (internal === undefined) return text;
  return { v: 1, clauses: [...internal.clauses, ...text.clauses] };
}

/**
 * The items of a plain list field (sorted by id): filtered by both filters, then the REST facade's window.
 * `view` maps an item to what the filter sees (computed attributes).
 */
export function plainList<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  args: PlainListArgs,
  typeName: string,
  info: Pick<GraphQLResolveInfo, 'schema'>,
  view?: (item: T) => unknown,
): T[] {
  const filter = combinedFilter(args, typeName, info);
  try {
    return listWindow(
      items,
      idOf,
      { filter: filter ?? null, first: args.first ?? null, after: args.after ?? null },
      view === undefined ? {} : { view },
    );
  } catch (error) {
    if (error instanceof ListWindowError) badInput(error.message);
    throw error;
  }
}

function orderValueOf(value: unknown): OrderValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
}

/**
 * One page of a connection over `items` (any order): filtered, ordered by `orderBy` then id, after the
 * cursor, `first` of them. `idOf` must be unique within the list (and, for lists merged across clusters,
 * across clusters).
 */
export function connectionOf<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  args: ConnectionArgs,
  typeName: string,
  info: Pick<GraphQLResolveInfo, 'schema'>,
  view: (item: T) => unknown = (item) => item,
): Connection<T> {
  const first = args.first ?? 50;
  if (!Number.isSafeInteger(first) || first < 0 || first > MAX_CONNECTION_PAGE)
    badInput(`first must be an integer from 0 to ${MAX_CONNECTION_PAGE}`);
  const type = objectType(info.schema, typeName);
  let order: ListOrder = ID_ORDER;
  if (args.orderBy) {
    const attribute = args.orderBy.attribute;
    const attrType = Object.hasOwn(attributeSchemaOf(type), attribute)
      ? attributeSchemaOf(type)[attribute]
      : undefined;
    if (attrType === undefined || typeof attrType !== 'string' || attrType === 'object')
      badInput(`orderBy: ${typeName} has no scalar attribute "${attribute}" to order by`);
    order = { attribute, direction: args.orderBy.direction ?? 'ASC' };
  }
  let after: SortKey | undefined;
  if (args.after !== null && args.after !== undefined) {
    try {
      after = cursorKey(args.after, order);
    } catch (error) {
      if (error instanceof CursorError) badInput(error.message);
      throw error;
    }
  }
  const filter = compileFilterArgument(args.filter, typeName, info);
  const prepared = filter === undefined ? undefined : prepareFilter(filter);
  const matching = prepared === undefined ? items : items.filter((item) => prepared.matches(view(item)));
  const attribute = order.attribute;
  const keyOf = (item: T): SortKey => ({
    value: attribute === undefined ? null : orderValueOf((view(item) as Record<string, unknown>)[attribute]),
    id: idOf(item),
  });
  const page = orderedPage(matching, keyOf, { order, after, limit: first });
  const edges = page.items.map((node) => ({ node, cursor: encodeCursor(keyOf(node), order) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.more,
      hasPreviousPage: after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: matching.length,
  };
}
