/**
 * Request budgets of the gateway (docs/security.md "Rate limits"): per client address before authentication
 * (so an anonymous flood never reaches the token verifier), per principal after it, and per address for
 * graphql-ws connection attempts. The budgets live in the state store (`StateStore.rateLimiter`): every
 * replica on one Redis spends the same budget.
 */
import type { GatewayConfig } from '../common/config.ts';
import { RateLimitedError } from '../common/problem-details.ts';
import type { RateLimiter } from '../state/rate-limits.ts';
import type { StateStore } from '../state/store.ts';

export interface RequestLimits {
  /** Throws RateLimitedError when the address has spent its budget. */
  checkAddress(address: string | undefined): Promise<void>;
  /** Throws RateLimitedError when the principal has spent its budget. */
  checkPrincipal(principal: string): Promise<void>;
  /** Throws RateLimitedError when the address has opened too many graphql-ws connections. */
  checkWebSocketConnect(address: string | undefined): Promise<void>;
}

const UNLIMITED: RequestLimits = {
  checkAddress: async () => undefined,
  checkPrincipal: async () => undefined,
  checkWebSocketConnect: async () => undefined,
};

export function createRequestLimits(
  store: StateStore,
  config: Pick<GatewayConfig, 'rateLimits' | 'auth'>,
  onError: (error: unknown) => void,
): RequestLimits {
  const settings = config.rateLimits;
  if (!(settings.enabled ?? config.auth.mode === 'jwt')) return UNLIMITED;
  const check =
    (limiter: RateLimiter, what: string) =>
    async (key: string | undefined): Promise<void> => {
      // A socket already gone has no address: nothing left to protect.
      if (key === undefined) return;
      let decision;
      try {
        decision = await limiter.consume(key);
      } catch (error) {
        // The store itself failed (Redis mode falls back to a per-replica budget first): serve rather than
        // refuse everyone; the store's own health is reported by /readyz.
        onError(error);
        return;
      }
      if (!decision.allowed) {
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        throw new RateLimitedError(seconds, `Too many ${what}; retry in ${seconds} s.`);
      }
    };
  return {
    checkAddress: check(store.rateLimiter('address', settings.perAddress), 'requests from this address'),
    checkPrincipal: check(
      store.rateLimiter('principal', settings.perPrincipal),
      'requests for this principal',
    ),
    checkWebSocketConnect: check(
      store.rateLimiter('ws-connect', settings.websocketConnectsPerAddress),
      'websocket connections from this address',
    ),
  };
}
