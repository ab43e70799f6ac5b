/**
 * A `Timers` (common/timers.ts) whose time moves only when a test moves it, for the notifier, the monitoring
 * leader job and anything else that sleeps on an injected clock: retries, backoff, lease renewals and
 * expiry, scans and polls happen in virtual time, so a test of a 10-step backoff takes as long as its I/O.
 *
 * Give the same clock to the memory store (`createMemoryStore({ clock: () => timers.now() })`) so lease
 * expiry and event cursors follow it too. Real sockets (webhook receivers, token servers) stay real: the
 * protocol is the thing under test.
 */
import { vi } from 'vitest';
import type { Timers } from '../common/timers.ts';

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly wake: () => void;
}

export class ManualTimers implements Timers {
  readonly #start: number;
  #now: number;
  #seq = 0;
  readonly #sleepers = new Set<Sleeper>();

  /** Starts at the real time of creation (signature timestamps and ISO dates look normal), then moves only on request. */
  constructor(start = Date.now()) {
    this.#start = start;
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Milliseconds this clock moved since it was made. */
  get elapsed(): number {
    return this.#now - this.#start;
  }

  /** The middle of the jitter range: deterministic backoff. */
  random(): number {
    return 0.5;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const sleeper: Sleeper = { at: this.#now + Math.max(0, ms), seq: this.#seq++, wake };
      this.#sleepers.add(sleeper);
      signal?.addEventListener('abort', wake, { once: true });
      const sleepers = this.#sleepers;
      function wake(): void {
        sleepers.delete(sleeper);
        signal?.removeEventListener('abort', wake);
        resolve();
      }
    });
  }

  /** Sleeps in progress (not yet woken or aborted). */
  get pending(): number {
    return this.#sleepers.size;
  }

  /** Moves time to the earliest pending wake-up and wakes every sleeper due then; false when none is pending. */
  next(): boolean {
    let first: Sleeper | undefined;
    for (const sleeper of this.#sleepers)
      if (
        first === undefined ||
        sleeper.at < first.at ||
        (sleeper.at === first.at && sleeper.seq < first.seq)
      )
        first = sleeper;
    if (first === undefined) return false;
    this.#now = Math.max(this.#now, first.at);
    for (const sleeper of [...this.#sleepers]) if (sleeper.at <= this.#now) sleeper.wake();
    return true;
  }

  /** Moves time forward by `ms`, waking the sleepers due on the way in time order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let first: Sleeper | undefined;
      for (const sleeper of this.#sleepers) if (first === undefined || sleeper.at < first.at) first = sleeper;
      if (first === undefined || first.at > target) break;
      this.#now = first.at;
      for (const sleeper of [...this.#sleepers]) if (sleeper.at <= this.#now) sleeper.wake();
    }
    this.#now = target;
  }

  /**
   * Runs virtual time until `done()` holds: between checks (bounded by `timeoutMs` of real time, through
   * vi.waitFor) real I/O and promise chains progress, then time jumps to the next pending wake-up.
   */
  async runUntil(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
    await vi.waitFor(
      async () => {
        if (await done()) return;
        this.next();
        throw new Error(`still waiting for ${what} (virtual time +${this.#now - this.#start} ms)`);
      },
      { timeout: timeoutMs, interval: 2 },
    );
  }
}
