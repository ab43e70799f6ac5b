/**
 * The list contract and the page merge together: for any split of objects over shards (with objects that
 * several shards report), any page size and any filter outcome, following pages from the start — every shard
 * asked for N + 1 after the last key, the union sorted, de-duplicated and cut at N — yields every matching
 * object exactly once, in id order (the argument in rest-facade/paging.ts, checked on random inputs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutPage, shardWindow } from '../rest-facade/paging.ts';
import type { PageCut } from '../rest-facade/paging.ts';
import type { PageStart } from '../rest-facade/query/compile-query.ts';
import { ListWindowError, listWindow } from '../o2/list-window.ts';

interface Item {
  readonly id: string;
  readonly keep: boolean;
}

const FILTER = { v: 1, clauses: [{ op: 'eq', path: ['keep'], type: 'boolean', values: [true] }] };

describe('list window + page cut', () => {
  it('pages over shards are exact: every matching object once, in order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^[0-9a-f]{1,4}$/), fc.boolean()), {
          selector: ([id]) => id,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (objects, shardCount, pageSize, placement) => {
          const items: Item[] = objects.map(([id, keep]) => ({ id, keep }));
          // Each object lives on one shard, and every third one also on the next (shared objects).
          const shards: Item[][] = Array.from({ length: shardCount }, () => []);
          items.forEach((item, i) => {
            const home = (placement[i] ?? i) % shardCount;
            shards[home]!.push(item);
            if (i % 3 === 0 && shardCount > 1) shards[(home + 1) % shardCount]!.push(item);
          });
          const seen: string[] = [];
          let start: PageStart = { kind: 'first' };
          for (let pages = 0; pages < 100; pages++) {
            const window = shardWindow(start, pageSize);
            const union = shards.flatMap((shard) =>
              listWindow(
                shard,
                (item) => item.id,
                { filter: FILTER, first: window.first, after: window.after },
                { sorted: false },
              ),
            );
            const cut: PageCut<Item> = cutPage(union, (item: Item) => item.id, start, pageSize);
            seen.push(...cut.items.map((item) => item.id));
            if (cut.nextAfter === undefined) break;
            start = { kind: 'after', after: cut.nextAfter };
          }
          const expected = items
            .filter((item) => item.keep)
            .map((item) => item.id)
            .sort();
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses malformed arguments', () => {
    expect(() => listWindow([], () => '', { first: -1 })).toThrow(ListWindowError);
    expect(() => listWindow([], () => '', { first: 1.5 })).toThrow(ListWindowError);
    expect(() =>
      listWindow([], () => '', {
        filter: { v: 1, clauses: [{ op: 'gt', path: ['id'], type: 'uuid', values: ['x'] }] },
      }),
    ).toThrow(ListWindowError);
  });
});
