/**
 * `Timers` (common/timers.ts) on a clock that moves only when the test says so: a ten-minute outage is ten
 * minutes of this clock, not of the test's run time. Sleeps resolve when `advance` reaches their due time.
 */
import type { Timers } from '../common/timers.ts';

interface Sleeper {
  readonly at: number;
  readonly wake: () => void;
}

export class ManualTimers implements Timers {
  #now: number;
  readonly #started: number;
  readonly #sleepers = new Set<Sleeper>();

  constructor(start: number = Date.now()) {
    this.#now = start;
    this.#started = start;
  }

  now(): number {
    return this.#now;
  }

  /** Milliseconds this clock moved since it was made. */
  get elapsed(): number {
    return this.#now - this.#started;
  }

  random(): number {
    return 0.5;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const sleeper: Sleeper = { at: this.#now + Math.max(0, ms), wake: done };
      const sleepers = this.#sleepers;
      sleepers.add(sleeper);
      signal?.addEventListener('abort', done, { once: true });
      function done(): void {
        sleepers.delete(sleeper);
        signal?.removeEventListener('abort', done);
        resolve();
      }
    });
  }

  /** Moves the clock forward and wakes every sleep that is due. */
  advance(ms: number): void {
    this.#now += ms;
    for (const sleeper of [...this.#sleepers]) if (sleeper.at <= this.#now) sleeper.wake();
  }
}
