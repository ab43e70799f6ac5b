import { describe, expect, it } from 'vitest';
import { eventually } from './support.ts';
import type { ContractContext } from './support.ts';
import type { StateStore } from '../store.ts';

/** Long enough that no test run comes near it: "still held" never depends on the machine's speed. */
const LONG_TTL = 60_000;
/** Short enough to wait for: only ever used where the test then polls for expiry. */
const SHORT_TTL = 200;

export function leasesContract<S extends StateStore>({
  makeStore,
  openPeer,
  elapse,
}: ContractContext<S>): void {
  describe('leases', () => {
    it('are exclusive and released only by their holder', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      expect(await store.leases.holder('shard-controller')).toBeUndefined();
      expect(await store.leases.acquire('shard-controller', 'replica-a', LONG_TTL)).toBe(true);
      expect(await peer.leases.acquire('shard-controller', 'replica-b', LONG_TTL)).toBe(false);
      expect(await peer.leases.holder('shard-controller')).toBe('replica-a');
      await peer.leases.release('shard-controller', 'replica-b');
      expect(await store.leases.holder('shard-controller')).toBe('replica-a');
      expect(await peer.leases.acquire('other-lease', 'replica-b', LONG_TTL)).toBe(true);
      await store.leases.release('shard-controller', 'replica-a');
      expect(await store.leases.holder('shard-controller')).toBeUndefined();
      expect(await peer.leases.acquire('shard-controller', 'replica-b', LONG_TTL)).toBe(true);
      expect(await store.leases.holder('other-lease')).toBe('replica-b');
    });

    it('concurrent acquires: exactly one owner wins', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const owners = ['r1', 'r2', 'r3', 'r4'];
      const results = await Promise.all(
        owners.map((owner, i) => (i % 2 ? peer : store).leases.acquire('leader', owner, LONG_TTL)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.leases.holder('leader')).toBe(owners[results.indexOf(true)]);
    });

    it('expire after their ttl; then another owner can take them', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      expect(await store.leases.acquire('leader', 'replica-a', SHORT_TTL)).toBe(true);
      await elapse(SHORT_TTL);
      await eventually('lease expired and was taken over', () =>
        peer.leases.acquire('leader', 'replica-b', LONG_TTL),
      );
      expect(await store.leases.holder('leader')).toBe('replica-b');
      expect(await store.leases.acquire('leader', 'replica-a', LONG_TTL)).toBe(false);
    });

    it('renewal by the holder replaces the ttl', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      expect(await store.leases.acquire('leader', 'replica-a', SHORT_TTL)).toBe(true);
      expect(await store.leases.acquire('leader', 'replica-a', LONG_TTL)).toBe(true);
      await elapse(SHORT_TTL * 2);
      expect(await peer.leases.holder('leader')).toBe('replica-a');
      expect(await peer.leases.acquire('leader', 'replica-b', LONG_TTL)).toBe(false);
    });

    it('reject a ttl that is not a positive integer', async () => {
      await using store = await makeStore();
      await expect(store.leases.acquire('leader', 'a', 0)).rejects.toThrow(RangeError);
      await expect(store.leases.acquire('leader', 'a', 1.5)).rejects.toThrow(RangeError);
    });
  });
}
