import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCursors } from '../store.ts';
import type { LogEntry } from '../store.ts';
import { eventually, range } from './support.ts';
import type { ContractContext } from './support.ts';
import type { StateStore } from '../store.ts';

interface Change {
  n: number;
}

const numbers = (entries: Array<LogEntry<Change>>): number[] => entries.map((e) => e.event.n);

function expectStrictlyIncreasing(cursors: string[]): void {
  for (let i = 1; i < cursors.length; i++) expect(compareCursors(cursors[i - 1]!, cursors[i]!)).toBe(-1);
}

export function eventLogContract<S extends StateStore>({ makeStore, openPeer }: ContractContext<S>): void {
  describe('event log', () => {
    it('append returns strictly increasing cursors and read returns entries in append order', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const log = store.eventLog<Change>('changes');
      const other = peer.eventLog<Change>('changes');
      const cursors: string[] = [];
      for (let n = 0; n < 20; n++) cursors.push(await (n % 2 ? other : log).append({ n }));
      expectStrictlyIncreasing(cursors);
      const all = await other.read(undefined, 100);
      expect(all.map((e) => e.cursor)).toEqual(cursors);
      expect(numbers(all)).toEqual(range(0, 20));
    });

    it('read is exclusive of its cursor and pages with limit', async () => {
      await using store = await makeStore();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 30 }),
          fc.integer({ min: 1, max: 7 }),
          async (count, limit) => {
            const log = store.eventLog<Change>(`paging-${run++}`);
            for (let n = 0; n < count; n++) await log.append({ n });
            const pages: Change[] = [];
            let after: string | undefined;
            for (;;) {
              const page = await log.read(after, limit);
              expect(page.length).toBeLessThanOrEqual(limit);
              if (page.length === 0) break;
              pages.push(...page.map((e) => e.event));
              after = page[page.length - 1]!.cursor;
            }
            expect(pages.map((e) => e.n)).toEqual(range(0, count));
          },
        ),
        { numRuns: 15 },
      );
    });

    it('knows its oldest and latest cursor; an empty log has neither', async () => {
      await using store = await makeStore();
      const log = store.eventLog<Change>('changes');
      expect(await log.oldestCursor()).toBeUndefined();
      expect(await log.latestCursor()).toBeUndefined();
      expect(await log.read(undefined, 10)).toEqual([]);
      const first = await log.append({ n: 0 });
      await log.append({ n: 1 });
      const last = await log.append({ n: 2 });
      expect(await log.oldestCursor()).toBe(first);
      expect(await log.latestCursor()).toBe(last);
      expect(await log.read(last, 10)).toEqual([]);
      expect(await log.read(undefined, 0)).toEqual([]);
      await expect(log.read('not-a-cursor', 1)).rejects.toThrow(TypeError);
    });

    it('trim keeps exactly the newest entries: oldestCursor moves, latestCursor stays', async () => {
      await using store = await makeStore();
      const log = store.eventLog<Change>('changes');
      const cursors: string[] = [];
      for (let n = 0; n < 10; n++) cursors.push(await log.append({ n }));
      await log.trim(4);
      expect(await log.oldestCursor()).toBe(cursors[6]);
      expect(await log.latestCursor()).toBe(cursors[9]);
      expect(numbers(await log.read(undefined, 100))).toEqual([6, 7, 8, 9]);
      // A reader whose cursor was trimmed away continues at the oldest retained entry...
      expect(numbers(await log.read(cursors[1], 100))).toEqual([6, 7, 8, 9]);
      // ...and can tell it lost events, because its cursor is older than the oldest retained.
      expect(compareCursors(cursors[1]!, (await log.oldestCursor())!)).toBe(-1);
      await log.trim(0);
      expect(await log.oldestCursor()).toBeUndefined();
      expect(await log.latestCursor()).toBe(cursors[9]);
      const next = await log.append({ n: 10 });
      expect(compareCursors(next, cursors[9]!)).toBe(1);
    });

    it('appends keep at least maxLength of the newest entries', async () => {
      await using store = await makeStore();
      const log = store.eventLog<Change>('bounded', { maxLength: 5 });
      for (let n = 0; n < 30; n++) await log.append({ n });
      const retained = numbers(await log.read(undefined, 100));
      expect(retained.length).toBeGreaterThanOrEqual(5);
      expect(retained).toEqual(range(30 - retained.length, 30));
    });

    it('tail delivers entries appended after it started, in order, until stopped', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const log = store.eventLog<Change>('changes');
      const seen: number[] = [];
      const tail = log.tail(await log.latestCursor(), async (entries) => {
        seen.push(...numbers(entries));
      });
      const writer = peer.eventLog<Change>('changes');
      // More than one tail batch, so batch boundaries are crossed too.
      for (let n = 0; n < 250; n++) await writer.append({ n });
      await eventually('tail caught up', () => seen.length >= 250);
      await tail.stop();
      expect(seen).toEqual(range(0, 250));
    });

    it('read → tail hand-over: no gap and no duplicate while appends run concurrently', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const log = store.eventLog<Change>('changes');
      const writer = peer.eventLog<Change>('changes');
      for (let n = 0; n < 5; n++) await log.append({ n });
      const page = await log.read(undefined, 100);
      expect(numbers(page)).toEqual(range(0, 5));
      const seen: Array<LogEntry<Change>> = [];
      // Appends race the start of the tail, from this handle and from another replica.
      const appending = Promise.all([
        (async () => {
          for (let n = 5; n < 55; n += 2) await log.append({ n });
        })(),
        (async () => {
          for (let n = 6; n < 55; n += 2) await writer.append({ n });
        })(),
      ]);
      const tail = log.tail(page[page.length - 1]!.cursor, (entries) => {
        seen.push(...entries);
      });
      await appending;
      // A marker appended last: once it arrived, any duplicate would have arrived before it.
      await log.append({ n: -1 });
      await eventually('marker reached the tail', () => seen.some((e) => e.event.n === -1));
      await tail.stop();
      expectStrictlyIncreasing(seen.map((e) => e.cursor));
      expect(
        numbers(seen)
          .slice(0, -1)
          .sort((a, b) => a - b),
      ).toEqual(range(5, 55));
      expect(seen).toHaveLength(51);
    });

    it('tail from undefined starts at the oldest retained entry', async () => {
      await using store = await makeStore();
      const log = store.eventLog<Change>('changes');
      for (let n = 0; n < 6; n++) await log.append({ n });
      await log.trim(3);
      const seen: number[] = [];
      const tail = log.tail(undefined, (entries) => {
        seen.push(...numbers(entries));
      });
      await log.append({ n: 6 });
      await eventually('tail saw the new entry', () => seen.includes(6));
      await tail.stop();
      expect(seen).toEqual([3, 4, 5, 6]);
    });

    it('a tail waits for onEntries before the next batch and makes no call after stop()', async () => {
      await using store = await makeStore();
      const log = store.eventLog<Change>('changes');
      let inFlight = 0;
      let overlapped = false;
      const seen: number[] = [];
      const tail = log.tail(undefined, async (entries) => {
        inFlight += 1;
        overlapped ||= inFlight > 1;
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(...numbers(entries));
        inFlight -= 1;
      });
      for (let n = 0; n < 20; n++) await log.append({ n });
      await eventually('tail caught up', () => seen.length >= 20);
      await tail.stop();
      const after = seen.length;
      await log.append({ n: 99 });
      // A second tail sees the entry; the stopped one, which would have seen it first, did not.
      const witness: number[] = [];
      const second = log.tail(undefined, (entries) => {
        witness.push(...numbers(entries));
      });
      await eventually('witness saw the entry', () => witness.includes(99));
      await second.stop();
      expect(seen).toHaveLength(after);
      expect(overlapped).toBe(false);
      await tail.stop();
    });

    it('a tail whose onEntries throws stops there', async () => {
      await using store = await makeStore();
      const log = store.eventLog<Change>('changes');
      let calls = 0;
      const failing = log.tail(undefined, () => {
        calls += 1;
        throw new Error('consumer bug');
      });
      await log.append({ n: 0 });
      await eventually('failing tail was called', () => calls > 0);
      await log.append({ n: 1 });
      const witness: number[] = [];
      const second = log.tail(undefined, (entries) => {
        witness.push(...numbers(entries));
      });
      await eventually('witness saw both entries', () => witness.includes(1));
      await second.stop();
      await failing.stop();
      expect(calls).toBe(1);
    });
  });
}
