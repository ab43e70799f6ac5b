import { describe, expect, it } from 'vitest';
import { UnknownGroupError } from '../errors.ts';
import type { LogEntry } from '../store.ts';
import { eventually, range } from './support.ts';
import type { ContractContext } from './support.ts';
import type { StateStore } from '../store.ts';

interface Delivery {
  n: number;
}

const numbers = (entries: Array<LogEntry<Delivery>>): number[] => entries.map((e) => e.event.n);
const cursorsOf = (entries: Array<LogEntry<Delivery>>): string[] => entries.map((e) => e.cursor);

export function consumerGroupContract<S extends StateStore>({
  makeStore,
  openPeer,
  elapse,
}: ContractContext<S>): void {
  describe('event log consumer groups', () => {
    it('claimNext needs an ensured group; ensuring twice does not reset the group', async () => {
      await using store = await makeStore();
      const log = store.eventLog<Delivery>('notifications');
      await expect(log.claimNext('webhooks', 'r1', { count: 1, blockMs: 0 })).rejects.toThrow(
        UnknownGroupError,
      );
      await expect(log.claimStale('webhooks', 'r1', { idleMs: 0, count: 1 })).rejects.toThrow(
        UnknownGroupError,
      );
      await log.ensureGroup('webhooks');
      expect(await log.claimNext('webhooks', 'r1', { count: 5, blockMs: 0 })).toEqual([]);
      await log.append({ n: 0 });
      expect(numbers(await log.claimNext('webhooks', 'r1', { count: 5, blockMs: 0 }))).toEqual([0]);
      await log.ensureGroup('webhooks');
      expect(await log.claimNext('webhooks', 'r1', { count: 5, blockMs: 0 })).toEqual([]);
    });

    it('a new group starts from the beginning by default, or after the cursor it is given', async () => {
      await using store = await makeStore();
      const log = store.eventLog<Delivery>('notifications');
      for (let n = 0; n < 3; n++) await log.append({ n });
      await log.ensureGroup('replay');
      await log.ensureGroup('live', await log.latestCursor());
      await log.append({ n: 3 });
      expect(numbers(await log.claimNext('replay', 'r1', { count: 10, blockMs: 0 }))).toEqual([0, 1, 2, 3]);
      expect(numbers(await log.claimNext('live', 'r1', { count: 10, blockMs: 0 }))).toEqual([3]);
    });

    it('two consumers of one group get disjoint entries whose union is all; other groups get all too', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const mine = store.eventLog<Delivery>('notifications');
      const theirs = peer.eventLog<Delivery>('notifications');
      await mine.ensureGroup('webhooks');
      await theirs.ensureGroup('webhooks');
      await theirs.ensureGroup('audit');
      const appended: string[] = [];
      for (let n = 0; n < 30; n++) appended.push(await mine.append({ n }));
      const got: Record<'a' | 'b', Array<LogEntry<Delivery>>> = { a: [], b: [] };
      for (;;) {
        const [a, b] = await Promise.all([
          mine.claimNext('webhooks', 'replica-a', { count: 4, blockMs: 0 }),
          theirs.claimNext('webhooks', 'replica-b', { count: 4, blockMs: 0 }),
        ]);
        got.a.push(...a);
        got.b.push(...b);
        if (a.length === 0 && b.length === 0) break;
      }
      expect(got.a.length).toBeGreaterThan(0);
      expect(got.b.length).toBeGreaterThan(0);
      const a = new Set(cursorsOf(got.a));
      expect(cursorsOf(got.b).filter((c) => a.has(c))).toEqual([]);
      expect([...cursorsOf(got.a), ...cursorsOf(got.b)].sort()).toEqual([...appended].sort());
      expect(numbers(await mine.claimNext('audit', 'auditor', { count: 100, blockMs: 0 }))).toEqual(
        range(0, 30),
      );
    });

    it('claimNext with blockMs returns an entry appended while it waits; blockMs 0 does not wait', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const log = store.eventLog<Delivery>('notifications');
      await log.ensureGroup('webhooks');
      expect(await log.claimNext('webhooks', 'r1', { count: 1, blockMs: 0 })).toEqual([]);
      const waiting = log.claimNext('webhooks', 'r1', { count: 10, blockMs: 20_000 });
      await peer.eventLog<Delivery>('notifications').append({ n: 7 });
      expect(numbers(await waiting)).toEqual([7]);
    });

    it('a stopped consumer’s unacked entries go to another after idleMs; acked ones never do', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const dying = store.eventLog<Delivery>('notifications');
      const survivor = peer.eventLog<Delivery>('notifications');
      await dying.ensureGroup('webhooks');
      for (let n = 0; n < 6; n++) await dying.append({ n });
      const held = await dying.claimNext('webhooks', 'replica-a', { count: 4, blockMs: 0 });
      expect(numbers(held)).toEqual([0, 1, 2, 3]);
      await dying.ack('webhooks', [held[0]!.cursor, held[1]!.cursor]);
      // replica-a stops here without acking 2 and 3.

      expect(await survivor.claimStale('webhooks', 'replica-b', { idleMs: 60_000, count: 10 })).toEqual([]);
      await elapse(100);
      const taken = await eventually('entries became stale', async () => {
        const claimed = await survivor.claimStale('webhooks', 'replica-b', { idleMs: 100, count: 10 });
        return claimed.length > 0 && claimed;
      });
      expect(numbers(taken)).toEqual([2, 3]);
      expect(cursorsOf(taken)).toEqual(cursorsOf(held.slice(2)));
      // Claiming restarted their idle time: nobody else takes them at once.
      expect(await dying.claimStale('webhooks', 'replica-c', { idleMs: 60_000, count: 10 })).toEqual([]);
      // Entries never delivered still come through claimNext, exactly once.
      const fresh = await survivor.claimNext('webhooks', 'replica-b', { count: 10, blockMs: 0 });
      expect(numbers(fresh)).toEqual([4, 5]);
      await survivor.ack('webhooks', [...cursorsOf(taken), ...cursorsOf(fresh)]);
      await elapse(100);
      expect(await survivor.claimStale('webhooks', 'replica-c', { idleMs: 100, count: 10 })).toEqual([]);
    });

    it('claimStale returns at most count entries, oldest first', async () => {
      await using store = await makeStore();
      const log = store.eventLog<Delivery>('notifications');
      await log.ensureGroup('webhooks');
      for (let n = 0; n < 5; n++) await log.append({ n });
      await log.claimNext('webhooks', 'replica-a', { count: 5, blockMs: 0 });
      await elapse(50);
      const first = await eventually('entries became stale', async () => {
        const claimed = await log.claimStale('webhooks', 'replica-b', { idleMs: 50, count: 2 });
        return claimed.length > 0 && claimed;
      });
      expect(numbers(first)).toEqual([0, 1]);
      await log.ack('webhooks', cursorsOf(first));
      expect(numbers(await log.claimStale('webhooks', 'replica-b', { idleMs: 50, count: 10 }))).toEqual([
        2, 3, 4,
      ]);
    });
  });
}
