import { describe, expect, it } from 'vitest';
import type { ContractContext } from './support.ts';
import type { StateStore } from '../store.ts';

export function rateLimitsContract<S extends StateStore>({ makeStore, openPeer }: ContractContext<S>): void {
  describe('rate limiters', () => {
    it('share one budget per key across handles and refuse past it with a retry delay', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      // A window far longer than the test: the budget never refills while it runs.
      const options = { points: 3, durationSeconds: 3600 };
      const mine = store.rateLimiter('requests', options);
      const theirs = peer.rateLimiter('requests', options);
      expect(await mine.consume('alice')).toEqual({ allowed: true, remaining: 2 });
      expect(await theirs.consume('alice')).toEqual({ allowed: true, remaining: 1 });
      expect(await mine.consume('alice')).toEqual({ allowed: true, remaining: 0 });
      const refused = await theirs.consume('alice');
      expect(refused.allowed).toBe(false);
      expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(0);
      // Other keys and other limiters have budgets of their own.
      expect((await mine.consume('bob')).allowed).toBe(true);
      expect((await store.rateLimiter('other', options).consume('alice')).allowed).toBe(true);
    });
  });
}
