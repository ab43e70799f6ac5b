import type { Redis } from 'ioredis';
import { assertName, assertNonEmpty, assertVersion, toJson } from '../checks.ts';
import type { Lifetime } from '../lifetime.ts';
import type { DocumentCollection, Versioned } from '../store.ts';
import { SEQ_FIELD, docField, idOfDocField, versionField } from './keys.ts';
import type { RedisKeys } from './keys.ts';
import { LuaScript, asInteger } from './lua.ts';

/**
 * Writes the document when the stored version matches (expected -1: any); the new version comes
 * from the collection's counter, so it is never reused. Returns the new version, or 0 on mismatch.
 */
const WRITE = new LuaScript(`
local docField, versionField, json, expected = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
if expected >= 0 then
  local current = tonumber(redis.call('HGET', KEYS[1], versionField) or '0')
  if current ~= expected then return 0 end
end
local version = redis.call('HINCRBY', KEYS[1], '${SEQ_FIELD}', 1)
redis.call('HSET', KEYS[1], docField, json, versionField, version)
return version
`);

/** Claims an index key for an id; idempotent for the same id. */
const CREATE_INDEX_ENTRY = new LuaScript(`
local taken = redis.call('HGET', KEYS[1], ARGV[1])
if taken then
  if taken == ARGV[2] then return 1 end
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`);

const ANY_VERSION = -1;

/** One collection = one hash (see keys.ts), so a document and its version change together. */
export class RedisCollection<T extends object> implements DocumentCollection<T> {
  readonly #key: string;

  constructor(
    private readonly name: string,
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly lifetime: Lifetime,
  ) {
    this.#key = keys.collection(name);
  }

  async get(id: string): Promise<T | undefined> {
    this.#check(id);
    const json = await this.redis.hget(this.#key, docField(id));
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  async getVersioned(id: string): Promise<Versioned<T> | undefined> {
    this.#check(id);
    const [json, version] = await this.redis.hmget(this.#key, docField(id), versionField(id));
    if (json === null || json === undefined || version === null || version === undefined) return undefined;
    // The store holds JSON; the caller's type parameter is trusted, as with any JSON store.
    return { value: JSON.parse(json) as T, version: Number(version) };
  }

  async put(id: string, doc: T): Promise<void> {
    await this.#write(id, doc, ANY_VERSION);
  }

  async create(id: string, doc: T): Promise<boolean> {
    return this.replaceIfVersion(id, doc, 0);
  }

  async replaceIfVersion(id: string, doc: T, expectedVersion: number): Promise<boolean> {
    assertVersion(expectedVersion);
    return (await this.#write(id, doc, expectedVersion)) > 0;
  }

  async delete(id: string): Promise<boolean> {
    this.#check(id);
    return (await this.redis.hdel(this.#key, docField(id), versionField(id))) > 0;
  }

  async list(): Promise<Array<{ id: string; doc: T }>> {
    this.lifetime.assertOpen();
    const fields = await this.redis.hgetall(this.#key);
    const docs: Array<{ id: string; doc: T }> = [];
    for (const [field, json] of Object.entries(fields)) {
      const id = idOfDocField(field);
      if (id !== undefined) docs.push({ id, doc: JSON.parse(json) as T });
    }
    return docs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async createIndexEntry(index: string, key: string, id: string): Promise<boolean> {
    this.#checkIndex(index, key);
    assertNonEmpty('id', id);
    return (
      asInteger(await CREATE_INDEX_ENTRY.run(this.redis, [this.keys.index(this.name, index)], [key, id])) ===
      1
    );
  }

  async lookupIndex(index: string, key: string): Promise<string | undefined> {
    this.#checkIndex(index, key);
    return (await this.redis.hget(this.keys.index(this.name, index), key)) ?? undefined;
  }

  async deleteIndexEntry(index: string, key: string): Promise<void> {
    this.#checkIndex(index, key);
    await this.redis.hdel(this.keys.index(this.name, index), key);
  }

  async #write(id: string, doc: T, expectedVersion: number): Promise<number> {
    this.#check(id);
    const json = toJson('document', doc);
    return asInteger(
      await WRITE.run(this.redis, [this.#key], [docField(id), versionField(id), json, expectedVersion]),
    );
  }

  #check(id: string): void {
    this.lifetime.assertOpen();
    assertNonEmpty('id', id);
  }

  #checkIndex(index: string, key: string): void {
    this.lifetime.assertOpen();
    assertName('index', index);
    assertNonEmpty('index key', key);
  }
}
