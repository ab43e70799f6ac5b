/**
 * Argument checks shared by both implementations, so that a caller's mistake fails the same way in
 * memory mode (the demo) as in Redis mode (production) instead of surfacing only after deployment.
 */

/**
 * Collection, index and event log names become parts of Redis keys separated by ':'; keeping ':'
 * (and anything unusual) out of them keeps the key layout unambiguous.
 */
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

export function assertName(what: string, name: string): void {
  if (!NAME.test(name)) {
    throw new TypeError(`${what} name must match ${String(NAME)}, got ${JSON.stringify(name)}`);
  }
}

/** Ids, index keys, lease names and owners, channels and consumer names: any non-empty string. */
export function assertNonEmpty(what: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${what} must be a non-empty string`);
  }
}

export function assertCount(what: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${what} must be an integer >= ${min}, got ${String(value)}`);
  }
}

export function assertVersion(value: number): void {
  assertCount('expectedVersion', value, 0);
}

/** JSON text of a document or event; rejects values JSON cannot carry instead of storing `undefined`. */
export function toJson(what: string, value: object): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined || typeof value !== 'object' || value === null) {
    throw new TypeError(`${what} must be a JSON object or array`);
  }
  return json;
}
