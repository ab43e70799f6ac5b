/**
 * Every wait of netweave in one place: clocks, cancellable pauses, scheduled callbacks, randomness and
 * exponential backoff with jitter. Components take a `Timers` (or a `Scheduler`) so tests drive retries,
 * restarts and lease renewals by moving time instead of sleeping (docs/architecture.md "Conventions").
 *
 * `state/` imports nothing of ours (the folder table), so its two waits (tail.ts, memory/event-log.ts) are
 * its own.
 */

/** Clock, pauses and randomness (the notifier, the monitoring leader job, the cluster subgraph's retries). */
export interface Timers {
  /** Wall-clock milliseconds (signature timestamps, Retry-After dates, latency, retention cut-offs). */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1): backoff jitter. */
  random(): number;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
    });
  },
  random: () => Math.random(),
};

/** Cancels a scheduled callback; calling it after the callback ran is harmless. */
export type CancelTimer = () => void;

/** Callbacks scheduled on a clock (the informer supervisors, whose tests fire them one by one). */
export interface Scheduler {
  /** Milliseconds on a monotonic-enough clock (only differences are used). */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): CancelTimer;
}

export const realScheduler: Scheduler = {
  now: () => performance.now(),
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    return () => clearTimeout(handle);
  },
};

/**
 * A pause that the owner can end early (on dispose), one at a time: `cancel()` resolves the pause in progress
 * at once and does not affect later ones.
 */
export class CancellablePause {
  readonly #timers: Pick<Timers, 'sleep'>;
  #current: AbortController | undefined;

  constructor(timers: Pick<Timers, 'sleep'> = realTimers) {
    this.#timers = timers;
  }

  async for(ms: number): Promise<void> {
    const controller = new AbortController();
    this.#current = controller;
    await this.#timers.sleep(ms, controller.signal);
    if (this.#current === controller) this.#current = undefined;
  }

  cancel(): void {
    this.#current?.abort();
  }
}

/** A wake-up signal: `wait` resolves at the next `wake()` or after `ms`, whichever comes first. */
export class Wakeup {
  #waiters = new Set<() => void>();
  #pending = false;

  wake(): void {
    this.#pending = true;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const resolve of waiters) resolve();
  }

  /**
   * A wake() that happened since the last wait counts: nothing signalled in between is missed. An already
   * aborted `signal` returns at once (its abort event has fired already and would never end the wait).
   */
  async wait(ms: number, timers: Pick<Timers, 'sleep'>, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return;
    if (this.#pending) {
      this.#pending = false;
      return;
    }
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    let waiter: () => void = () => {};
    const woken = new Promise<void>((resolve) => {
      waiter = resolve;
      this.#waiters.add(resolve);
    });
    await Promise.race([woken, timers.sleep(ms, controller.signal)]);
    this.#waiters.delete(waiter);
    controller.abort();
    signal?.removeEventListener('abort', abort);
    this.#pending = false;
  }
}

/** Exponential backoff: the delay grows by `multiplier` per attempt up to `maxDelayMs`, then jitter applies. */
export interface BackoffPolicy {
  /** Delay before the first retry. */
  readonly initialDelayMs: number;
  /** Upper bound of the delay before jitter. */
  readonly maxDelayMs: number;
  readonly multiplier: number;
  /**
   * Fraction of the delay that is randomised away (0..1). Jitter spreads the retries of many parties that
   * failed together (watches after an API server restart, subscriptions after a receiver restart) instead of
   * having them arrive in lockstep.
   */
  readonly jitter: number;
}

/**
 * The delay before retry number `attempt` (1 = first retry): base = min(max, initial × multiplier^(attempt-1)),
 * then base × (1 − jitter × random()); `random` returns a number in [0, 1).
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** exponent);
  return Math.round(base * (1 - policy.jitter * random()));
}
