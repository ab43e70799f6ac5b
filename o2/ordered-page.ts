/**
 * One implementation of "a page of a list ordered across cluster shards", for the REST facade's SOL013 pages
 * (rest-facade/paging.ts) and the graph's connections (the cluster subgraph's `*Connection` fields and their
 * merge in router/shard-executor.ts).
 *
 * Every item has a sort key: the value of the attribute it is ordered by (none: ordered by id alone) and its
 * id, which breaks ties, so the order is total and does not depend on which shard holds an item. A page of N
 * after key K is exact when every shard answers its own first N items after K: each of the N smallest keys
 * after K is among the first N of its shard, so the union holds all of them. Whether a successor page exists is
 * known from one more item per shard (REST asks for N + 1) or from the shards' own `hasNextPage` (connections).
 *
 * A cursor is the sort key of the last item of a page, with the order it belongs to, as base64url JSON: opaque
 * to clients, readable by every shard and by the router without a shared secret. It grants nothing: a caller
 * still sees only what its roles, tenant and filter let it see, wherever it starts.
 */

/** A value an item can be ordered by (null: the item has none; nulls sort last). */
export type OrderValue = string | number | boolean | null;

export type OrderDirection = 'ASC' | 'DESC';

/** What a list is ordered by: an attribute (undefined: the id alone) and a direction. */
export interface ListOrder {
  readonly attribute?: string | undefined;
  readonly direction: OrderDirection;
}

export interface SortKey {
  readonly value: OrderValue;
  readonly id: string;
}

/** A cursor that cannot be read, or belongs to another order: the caller's mistake. */
export class CursorError extends Error {
  override readonly name = 'CursorError';
}

export const ID_ORDER: ListOrder = { direction: 'ASC' };

function compareValues(a: OrderValue, b: OrderValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : 1;
  // Mixed or textual values: by their text, in UTF-16 code units (no locale: shards and router agree).
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The total order of sort keys under `order` (DESC reverses values and ids alike). */
export function compareSortKeys(a: SortKey, b: SortKey, order: ListOrder): number {
  const byValue = order.attribute === undefined ? 0 : compareValues(a.value, b.value);
  const result = byValue !== 0 ? byValue : compareIds(a.id, b.id);
  return order.direction === 'DESC' ? -result : result;
}

/** The order's name inside a cursor: a cursor of one order is refused by another. */
function orderName(order: ListOrder): string {
  return `${order.attribute ?? ''}:${order.direction}`;
}

/** The order a cursor names (readCursor's `order`), for the router, which merges by the shards' cursors. */
export function orderOfName(name: string): ListOrder {
  const at = name.lastIndexOf(':');
  const attribute = name.slice(0, at);
  const direction = name.slice(at + 1) === 'DESC' ? 'DESC' : 'ASC';
  return attribute === '' ? { direction } : { attribute, direction };
}

export function encodeCursor(key: SortKey, order: ListOrder): string {
  return Buffer.from(JSON.stringify([orderName(order), key.value, key.id])).toString('base64url');
}

/** The order and key a cursor holds; CursorError when it is not one of ours. */
export function readCursor(cursor: string): { readonly order: string; readonly key: SortKey } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('the cursor is not a cursor this API issued');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[2] !== 'string' ||
    !(parsed[1] === null || ['string', 'number', 'boolean'].includes(typeof parsed[1]))
  )
    throw new CursorError('the cursor is not a cursor this API issued');
  return { order: parsed[0], key: { value: parsed[1] as OrderValue, id: parsed[2] } };
}

/** The key of a cursor issued for `order`; CursorError for a cursor of another order. */
export function cursorKey(cursor: string, order: ListOrder): SortKey {
  const read = readCursor(cursor);
  if (read.order !== orderName(order))
    throw new CursorError('the cursor belongs to a list in another order: page with the same orderBy');
  return read.key;
}

export interface OrderedPage<T> {
  readonly items: readonly T[];
  /** More items follow the page (in the list given). */
  readonly more: boolean;
}

/**
 * Sorts `items` (the union of the shards' answers) by key, drops repeated ids (objects several clusters
 * report, such as resource types), drops items at or before `after`, and cuts `limit` items from `offset`.
 */
export function orderedPage<T>(
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  options: {
    readonly order?: ListOrder;
    readonly after?: SortKey | undefined;
    readonly offset?: number;
    readonly limit: number;
  },
): OrderedPage<T> {
  const order = options.order ?? ID_ORDER;
  const after = options.after;
  const keyed = items
    .map((item) => ({ item, key: keyOf(item) }))
    .filter(({ key }) => after === undefined || compareSortKeys(key, after, order) > 0)
    .sort((a, b) => compareSortKeys(a.key, b.key, order));
  const unique: T[] = [];
  let lastId: string | undefined;
  for (const { item, key } of keyed) {
    if (key.id === lastId) continue;
    lastId = key.id;
    unique.push(item);
  }
  const offset = options.offset ?? 0;
  return {
    items: unique.slice(offset, offset + options.limit),
    more: unique.length > offset + options.limit,
  };
}
