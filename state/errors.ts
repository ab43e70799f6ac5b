/** Errors a caller may want to tell apart; both implementations throw the same ones. */

export class StoreDisposedError extends Error {
  constructor() {
    super('state store is disposed');
    this.name = 'StoreDisposedError';
  }
}

export class UnknownGroupError extends Error {
  constructor(log: string, group: string) {
    super(`event log "${log}" has no consumer group "${group}" (call ensureGroup first)`);
    this.name = 'UnknownGroupError';
  }
}

/**
 * The store could not be reached in time: Redis is down, restarting or stuck (a command timed out, the
 * connection is not ready). Callers answer "unavailable, retry later" (HTTP 503 + Retry-After) instead of
 * waiting for a reconnect; the name is what other folders recognise (common/ imports nothing of ours).
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`state store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}
