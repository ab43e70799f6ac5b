import { assertName, assertNonEmpty, assertVersion, toJson } from '../checks.ts';
import type { Lifetime } from '../lifetime.ts';
import type { DocumentCollection, Versioned } from '../store.ts';
import type { CollectionData } from './backend.ts';

/**
 * Documents of one collection in memory. Every method runs to completion without awaiting, so each
 * is atomic with respect to other handles on the same backend, like the Lua scripts in Redis mode.
 */
export class MemoryCollection<T extends object> implements DocumentCollection<T> {
  constructor(
    private readonly data: CollectionData,
    private readonly lifetime: Lifetime,
  ) {}

  async get(id: string): Promise<T | undefined> {
    return (await this.getVersioned(id))?.value;
  }

  async getVersioned(id: string): Promise<Versioned<T> | undefined> {
    this.#check(id);
    const stored = this.data.docs.get(id);
    // The store holds JSON; the caller's type parameter is trusted, as with any JSON store.
    return stored && { value: JSON.parse(stored.json) as T, version: stored.version };
  }

  async put(id: string, doc: T): Promise<void> {
    this.#check(id);
    this.#write(id, toJson('document', doc));
  }

  async create(id: string, doc: T): Promise<boolean> {
    return this.replaceIfVersion(id, doc, 0);
  }

  async replaceIfVersion(id: string, doc: T, expectedVersion: number): Promise<boolean> {
    this.#check(id);
    assertVersion(expectedVersion);
    const json = toJson('document', doc);
    if ((this.data.docs.get(id)?.version ?? 0) !== expectedVersion) return false;
    this.#write(id, json);
    return true;
  }

  async delete(id: string): Promise<boolean> {
    this.#check(id);
    return this.data.docs.delete(id);
  }

  async list(): Promise<Array<{ id: string; doc: T }>> {
    this.lifetime.assertOpen();
    return [...this.data.docs]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, stored]) => ({ id, doc: JSON.parse(stored.json) as T }));
  }

  async createIndexEntry(index: string, key: string, id: string): Promise<boolean> {
    this.#checkIndex(index, key);
    assertNonEmpty('id', id);
    let entries = this.data.indexes.get(index);
    if (!entries) {
      entries = new Map();
      this.data.indexes.set(index, entries);
    }
    const taken = entries.get(key);
    if (taken !== undefined) return taken === id;
    entries.set(key, id);
    return true;
  }

  async lookupIndex(index: string, key: string): Promise<string | undefined> {
    this.#checkIndex(index, key);
    return this.data.indexes.get(index)?.get(key);
  }

  async deleteIndexEntry(index: string, key: string): Promise<void> {
    this.#checkIndex(index, key);
    this.data.indexes.get(index)?.delete(key);
  }

  #write(id: string, json: string): void {
    this.data.seq += 1;
    this.data.docs.set(id, { json, version: this.data.seq });
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
