/**
 * Where everything lives in Redis. Every key and channel starts with the store's keyPrefix, so one
 * Redis can hold several sites (or test runs) side by side. Names are checked against
 * state/checks.ts (no ':') before they get here, so no two layouts can produce the same key.
 *
 *   <prefix>coll:<collection>                hash: d:<id> → JSON, v:<id> → version, seq → last version
 *   <prefix>coll:<collection>:idx:<index>    hash: key → id
 *   <prefix>log:<log>                        stream: one field `e` → JSON; consumer groups inside
 *   <prefix>lease:<name>                     string: owner, with PX expiry
 *   <prefix>chan:<channel>                   pub/sub channel (not a key)
 */
export interface RedisKeys {
  collection(name: string): string;
  index(collection: string, index: string): string;
  log(name: string): string;
  lease(name: string): string;
  channel(name: string): string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    collection: (name) => `${prefix}coll:${name}`,
    index: (collection, index) => `${prefix}coll:${collection}:idx:${index}`,
    log: (name) => `${prefix}log:${name}`,
    lease: (name) => `${prefix}lease:${name}`,
    channel: (name) => `${prefix}chan:${name}`,
  };
}

/** Hash fields of a collection; the `d:`/`v:` prefixes keep ids from ever colliding with `seq`. */
export const docField = (id: string): string => `d:${id}`;
export const versionField = (id: string): string => `v:${id}`;
export const SEQ_FIELD = 'seq';
export function idOfDocField(field: string): string | undefined {
  return field.startsWith('d:') ? field.slice(2) : undefined;
}
export const EVENT_FIELD = 'e';
