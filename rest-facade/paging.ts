/**
 * Pages across cluster shards (SOL013 §5.4).
 *
 * The order of every list is ascending id (UTF-16 code units), the order the cluster list fields return
 * (o2/list-window.ts). For a page of N starting after key K, every shard is asked for its first N + 1
 * items after K; the router concatenates the answers in shard order, and this module sorts the union by id,
 * drops duplicates (objects several clusters report, such as resource types) and cuts it at N. Why this is
 * exact: each of the N + 1 smallest ids after K is among the first N + 1 of its own shard, so the union
 * holds all of them; and the page has a successor exactly when the union has more than N items.
 *
 * The sort, de-duplication and cut are o2/ordered-page.ts, shared with the graph's connections.
 *
 * Page numbers (the v4 compliance suite's markers) read page p as the items from (p − 1)·N to p·N: every
 * shard is asked for its first p·N + 1 items.
 */
import { orderedPage } from '../o2/ordered-page.ts';
import type { PageStart } from './query/compile-query.ts';

/** What to ask each shard for. */
export interface ShardWindow {
  readonly first: number;
  readonly after: string | null;
}

export function shardWindow(start: PageStart, pageSize: number): ShardWindow {
  switch (start.kind) {
    case 'first':
      return { first: pageSize + 1, after: null };
    case 'after':
      return { first: pageSize + 1, after: start.after };
    case 'number':
      return { first: start.page * pageSize + 1, after: null };
  }
}

export interface PageCut<T> {
  readonly items: readonly T[];
  /** Where the next page starts (the id of the last item of the cut); undefined on the last page. */
  readonly nextAfter: string | undefined;
  /** The next page's number when the page was addressed by number. */
  readonly nextPage: number | undefined;
}

/**
 * The page of the merged shard answers. Null items (a shard's failed entries) are dropped; items at or
 * before the start key are dropped too, so lists that are paged at the gateway (not by the shards) can use
 * the same function on the whole list.
 */
export function cutPage<T>(
  items: readonly (T | null)[],
  idOf: (item: T) => string,
  start: PageStart,
  pageSize: number,
): PageCut<T> {
  // Ordered by id: the one implementation the graph's connections use too (o2/ordered-page.ts).
  const { items: page, more } = orderedPage(
    items.filter((item): item is T => item !== null),
    (item) => ({ value: null, id: idOf(item) }),
    {
      after: start.kind === 'after' ? { value: null, id: start.after } : undefined,
      offset: start.kind === 'number' ? (start.page - 1) * pageSize : 0,
      limit: pageSize,
    },
  );
  return {
    items: page,
    nextAfter: more ? idOf(page[page.length - 1]!) : undefined,
    nextPage: more && start.kind !== 'after' ? (start.kind === 'number' ? start.page + 1 : 2) : undefined,
  };
}

/** RFC 8288 `Link` value for the next page: the request's own path and query with the new marker. */
export function nextPageLink(path: string, query: Readonly<Record<string, unknown>>, marker: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (name === 'nextpage_opaque_marker') continue;
    if (typeof value === 'string') params.append(name, value);
    else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') params.append(name, v);
  }
  params.append('nextpage_opaque_marker', marker);
  // URLSearchParams writes spaces as "+", which RFC 3986 query parsers may keep literally: use %20.
  return `<${path}?${params.toString().replace(/\+/g, '%20')}>; rel="next"`;
}
