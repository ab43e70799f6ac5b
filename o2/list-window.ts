/**
 * The contract of every inventory list field of the cluster graph (`filter`, `first`, `after`): which items
 * of a list a shard returns. The cluster subgraphs apply it to their caches; the REST facade relies on it to
 * merge shards into pages (rest-facade/paging.ts), and its test fixtures apply the same function, so the
 * two sides cannot drift apart.
 *
 *   items that match `filter`, in ascending order of their id (UTF-16 code units, so every shard and the
 *   gateway agree without a locale), strictly after the id `after`, at most `first` of them.
 *
 * Ordering by id gives a total order that does not depend on which shard holds an item, which is what lets
 * the facade ask every shard for "the next N after X" and merge the answers without gaps or duplicates.
 */
import { asCompiledFilter, prepareFilter } from './sol013/index.ts';
import type { CompiledFilter } from './sol013/index.ts';

export interface ListWindowArgs {
  /** A CompiledFilter as JSON (checked with asCompiledFilter); null or absent: no filter. */
  readonly filter?: unknown;
  /** At most this many items; null or absent: all. */
  readonly first?: number | null | undefined;
  /** Only items whose id sorts strictly after this one; null or absent: from the start. */
  readonly after?: string | null | undefined;
}

/** The largest `first` a shard accepts: a page of the facade asks for (page size × page number) + 1. */
export const MAX_WINDOW = 1_000_000;

/** The invalid argument, for the caller to turn into its own error type (a GraphQL BAD_USER_INPUT). */
export class ListWindowError extends Error {
  override readonly name = 'ListWindowError';
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts a copy by id; callers that keep a sorted list pass `sorted: true` instead. */
export function sortById<T>(items: readonly T[], idOf: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareIds(idOf(x), idOf(y)));
}

/** The compiled filter of a list field argument, undefined when there is none. Throws ListWindowError. */
export function filterArgument(json: unknown): CompiledFilter | undefined {
  if (json === null || json === undefined) return undefined;
  try {
    return asCompiledFilter(json);
  } catch {
    throw new ListWindowError('the filter argument is not a compiled SOL013 filter');
  }
}

/** Index of the first item whose id sorts after `after`, in a list sorted by id (binary search). */
function startAfter<T>(items: readonly T[], idOf: (item: T) => string, after: string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (idOf(items[mid]!) <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The window of `items` the arguments select. `items` must be sorted by id unless `sorted` is false (then a
 * sorted copy is made). `view` maps an item to the object the filter is evaluated against (default: the item
 * itself) — for attributes that are computed rather than stored.
 */
export function listWindow<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  args: ListWindowArgs,
  options: { readonly sorted?: boolean; readonly view?: (item: T) => unknown } = {},
): T[] {
  const first = args.first ?? undefined;
  if (first !== undefined && (!Number.isSafeInteger(first) || first < 0 || first > MAX_WINDOW)) {
    throw new ListWindowError(`first must be an integer from 0 to ${MAX_WINDOW}`);
  }
  const filter = filterArgument(args.filter);
  const sorted = options.sorted === false ? sortById(items, idOf) : items;
  const limit = first ?? Number.POSITIVE_INFINITY;
  const out: T[] = [];
  if (limit === 0) return out;
  const prepared = filter === undefined ? undefined : prepareFilter(filter);
  const view = options.view;
  const after = args.after ?? undefined;
  for (let i = after === undefined ? 0 : startAfter(sorted, idOf, after); i < sorted.length; i++) {
    const item = sorted[i]!;
    if (prepared !== undefined && !prepared.matches(view === undefined ? item : view(item))) continue;
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
