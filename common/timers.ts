/**
 * Clocks, pauses and randomness of the notifier, injectable so tests drive retries and lease renewals without
 * real waiting (DESIGN.md §7.7).
 */
export interface NotifierTimers {
  /** Wall-clock milliseconds (signature timestamps, Retry-After dates, latency). */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1): backoff jitter. */
  random(): number;
}

export const realTimers: NotifierTimers = {
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

  /** A wake() that happened since the last wait counts: nothing signalled in between is missed. */
  async wait(ms: number, timers: NotifierTimers, signal?: AbortSignal): Promise<void> {
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
