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
