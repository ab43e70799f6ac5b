/**
 * Exponential backoff with jitter, and the timer interface through which every delay in the cluster
 * subgraph is scheduled, so that tests drive restarts step by step instead of sleeping (DESIGN.md §7.7).
 */

export interface BackoffPolicy {
  /** Delay before the first retry. */
  readonly initialDelayMs: number;
  /** Upper bound of the delay before jitter. */
  readonly maxDelayMs: number;
  readonly multiplier: number;
  /**
   * Fraction of the delay that is randomised away (0..1). Jitter spreads the reconnects of the many watches
   * of many subgraphs after an API server restart, instead of having them arrive in lockstep.
   */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0.5,
};

/** The delay before retry number `attempt` (1 = first retry); `random` returns a number in [0, 1). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** exponent);
  return Math.round(base * (1 - policy.jitter * random()));
}

/** Cancels a scheduled callback; calling it after the callback ran is harmless. */
export type CancelTimer = () => void;

export interface Timers {
  /** Milliseconds on a monotonic-enough clock (only differences are used). */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): CancelTimer;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    return () => clearTimeout(handle);
  },
};
