/**
 * Rate limit budgets kept in the store's backend (docs/state-store.md "Rate limits"), so every replica on one
 * Redis spends the same budget: `rate-limiter-flexible`'s RateLimiterRedis on the store's own ioredis client
 * (atomic, one round trip), RateLimiterMemory in memory mode (shared by the handles of one backend, as a
 * second replica would share Redis). The limiter library stays behind this interface.
 */
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { assertCount, assertName } from './checks.ts';

export interface RateLimitOptions {
  /** Requests allowed per window. */
  readonly points: number;
  /** Window length in seconds (fixed window per key, starting at its first request). */
  readonly durationSeconds: number;
}

export type RateLimitDecision =
  | { readonly allowed: true; readonly remaining: number }
  | { readonly allowed: false; readonly retryAfterMs: number };

/** One named budget; keys (a principal, an address) each get `points` per window. */
export interface RateLimiter {
  consume(key: string): Promise<RateLimitDecision>;
}

function wrap(limiter: RateLimiterAbstract): RateLimiter {
  return {
    async consume(key) {
      try {
        const result = await limiter.consume(key);
        return { allowed: true, remaining: result.remainingPoints };
      } catch (rejection) {
        // The library rejects with a RateLimiterRes when the budget is spent, with an Error on a store failure
        // (absorbed by the insurance limiter of Redis mode, so rare here).
        if (rejection instanceof RateLimiterRes)
          return { allowed: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
        throw rejection;
      }
    },
  };
}

function checked(name: string, options: RateLimitOptions): void {
  assertName('rate limiter', name);
  assertCount('points', options.points, 1);
  assertCount('durationSeconds', options.durationSeconds, 1);
}

/** Memory limiters of one backend, by name and settings, so every handle (fork) shares them. */
export class MemoryRateLimiters {
  readonly #limiters = new Map<string, RateLimiter>();

  get(name: string, options: RateLimitOptions): RateLimiter {
    checked(name, options);
    const id = `${name}/${options.points}/${options.durationSeconds}`;
    let limiter = this.#limiters.get(id);
    if (limiter === undefined) {
      limiter = wrap(
        new RateLimiterMemory({ keyPrefix: name, points: options.points, duration: options.durationSeconds }),
      );
      this.#limiters.set(id, limiter);
    }
    return limiter;
  }
}

/**
 * A Redis limiter under `<keyPrefix>rl:<name>:`. While Redis cannot be reached each replica falls back to a
 * budget of its own in memory (the library's insurance limiter): limits stay on, per replica, rather than
 * refusing everything or nothing.
 */
export function redisRateLimiter(
  redis: Redis,
  keyPrefix: string,
  name: string,
  options: RateLimitOptions,
): RateLimiter {
  checked(name, options);
  return wrap(
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}rl:${name}`,
      points: options.points,
      duration: options.durationSeconds,
      // Not waiting in ioredis's offline queue while Redis is away: the insurance limiter answers at once.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: options.points, duration: options.durationSeconds }),
    }),
  );
}
