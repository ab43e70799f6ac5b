/**
 * Deduplication of identical in-flight requests (what Hive Gateway's HTTP transport does for its subgraphs):
 * while a request with a key is running, the same key joins it instead of sending another. The shared
 * request has its own abort signal, aborted only when EVERY caller waiting for it has given up, so one caller
 * that disconnects or times out never fails the others; each caller still leaves as soon as its own signal
 * aborts. The key is the caller's business: it must hold everything the answer depends on (the shard client
 * puts the operation text, its variables and the caller's identity in it, so no answer crosses principals).
 */

import type { AuthContext } from '../common/auth.ts';

/**
 * Who asks, for deduplication: everything of the auth context that can change an answer (principal, roles,
 * tenant scope, method) — not the request id, which differs per request and changes nothing.
 */
export function identityKey(auth: AuthContext | undefined): string {
  if (auth === undefined) return '';
  return JSON.stringify([auth.principal, auth.method, auth.roles, auth.tenant]);
}

interface Flight<T> {
  readonly key: string;
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  waiting: number;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export class InflightRequests<T> {
  readonly #flights = new Map<string, Flight<T>>();

  /** Requests currently shared (for tests and metrics). */
  get size(): number {
    return this.#flights.size;
  }

  run(key: string, signal: AbortSignal, start: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    let flight = this.#flights.get(key);
    if (!flight) {
      const controller = new AbortController();
      const promise = start(controller.signal);
      const created: Flight<T> = { key, promise, controller, waiting: 0 };
      flight = created;
      this.#flights.set(key, created);
      // Later callers get a new request once this one settled (its answer may be outdated by then).
      const forget = (): void => this.#forget(created);
      promise.then(forget, forget);
    }
    return this.#wait(flight, signal);
  }

  #forget(flight: Flight<T>): void {
    if (this.#flights.get(flight.key) === flight) this.#flights.delete(flight.key);
  }

  #wait(flight: Flight<T>, signal: AbortSignal): Promise<T> {
    flight.waiting += 1;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        flight.waiting -= 1;
        if (flight.waiting === 0) {
          // Nobody waits any more: stop the request, and let the next caller start a fresh one.
          this.#forget(flight);
          flight.controller.abort(abortReason(signal));
        }
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }
}
