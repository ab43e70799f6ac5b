import type { StateStore } from '../store.ts';

/** What every section of the contract suite gets from the implementation under test. */
export interface ContractContext<S extends StateStore = StateStore> {
  /** A fresh, empty store that shares nothing with any other store made by this function. */
  makeStore(): Promise<S>;
  /** A second handle on the same backend as `store`, as a second gateway replica would have. */
  openPeer(store: S): Promise<StateStore>;
  /**
   * Lets at least `ms` of store time pass: moves an injected clock (memory) or waits (Redis, whose
   * clock is the server's). Tests then poll for the effect, so real-time stores are never raced.
   */
  elapse(ms: number): Promise<void>;
}

const POLL_MS = 10;

/**
 * Polls `probe` until it returns something other than undefined/false. The deadline is a bound on
 * a hang, not a performance expectation: passing tests return long before it.
 */
export async function eventually<R>(
  what: string,
  probe: () => Promise<R | undefined | false> | R | undefined | false,
  deadlineMs = 10_000,
): Promise<R> {
  const started = performance.now();
  for (;;) {
    const result = await probe();
    if (result !== undefined && result !== false) return result;
    if (performance.now() - started > deadlineMs) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
