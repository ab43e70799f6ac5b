import { describe, expect, it } from 'vitest';
import { StoreDisposedError } from '../errors.ts';
import { eventually } from './support.ts';
import type { ContractContext } from './support.ts';
import type { StateStore } from '../store.ts';

export function lifecycleContract<S extends StateStore>({ makeStore }: ContractContext<S>): void {
  describe('lifecycle', () => {
    it('answers ping', async () => {
      await using store = await makeStore();
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('separate stores share nothing: documents, logs, leases, messages', async () => {
      await using one = await makeStore();
      await using two = await makeStore();
      expect(one.kind).toBe(two.kind);
      await one.collection<{ v: number }>('shards').put('c1', { v: 1 });
      expect(await two.collection('shards').get('c1')).toBeUndefined();
      await one.eventLog<{ v: number }>('changes').append({ v: 1 });
      expect(await two.eventLog('changes').latestCursor()).toBeUndefined();
      expect(await one.leases.acquire('leader', 'a', 60_000)).toBe(true);
      expect(await two.leases.acquire('leader', 'b', 60_000)).toBe(true);
      const received: string[] = [];
      const unsubscribe = await two.subscribe('topic', (m) => received.push(m));
      await one.publish('topic', 'from-one');
      await two.publish('topic', 'from-two');
      await eventually('own message arrived', () => received.includes('from-two'));
      expect(received).toEqual(['from-two']);
      await unsubscribe();
    });

    it('dispose ends tails, subscriptions and blocked claims; afterwards every call is refused', async () => {
      const store = await makeStore();
      const log = store.eventLog<{ n: number }>('changes');
      await log.ensureGroup('webhooks');
      const blocked = log.claimNext('webhooks', 'r1', { count: 1, blockMs: 60_000 });
      const tail = log.tail(undefined, () => undefined);
      const unsubscribe = await store.subscribe('topic', () => undefined);
      await store.dispose();
      expect(await blocked).toEqual([]);
      await tail.stop();
      await unsubscribe();
      await store.dispose();
      await store[Symbol.asyncDispose]();
      await expect(store.ping()).rejects.toThrow(StoreDisposedError);
      await expect(log.append({ n: 1 })).rejects.toThrow(StoreDisposedError);
      await expect(store.leases.holder('x')).rejects.toThrow(StoreDisposedError);
      await expect(store.publish('topic', 'late')).rejects.toThrow(StoreDisposedError);
      expect(() => store.collection('shards')).toThrow(StoreDisposedError);
      expect(() => log.tail(undefined, () => undefined)).toThrow(StoreDisposedError);
    });
  });
}
