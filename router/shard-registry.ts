/**
 * Cluster membership as runtime data (docs/architecture.md "The shape"): which cluster shards exist and where their
 * subgraphs answer. Kept in the state store so every gateway replica sees the same set; a change is
 * announced on a pub/sub channel and, in case a message is lost (Redis failover), re-read periodically.
 * Adding a cluster never recomposes the supergraph or restarts the router.
 */
import type { StateStore } from '../state/store.ts';
import { type StoredRecordKind, UNVERSIONED_TO_V1, withSchemaVersion } from '../state/schema-versions.ts';
import type { ShardRecord } from './shard-client.ts';

const COLLECTION = 'shards';

/** The stored form of shard records and its migrations (state/schema-versions.ts). */
export const SHARD_RECORDS: StoredRecordKind = {
  name: 'shard registration',
  collection: COLLECTION,
  migrations: [UNVERSIONED_TO_V1],
};
const CHANNEL = 'netweave:shards-changed';

export interface ShardRegistryOptions {
  /** How often the registry is re-read from the store even without a change message. */
  readonly refreshIntervalMs?: number;
}

type Listener = (records: readonly ShardRecord[]) => void;

export class ShardRegistry implements AsyncDisposable {
  #records: readonly ShardRecord[] = [];
  readonly #listeners = new Set<Listener>();
  #unsubscribe: (() => Promise<void>) | undefined;
  #timer: NodeJS.Timeout | undefined;

  private constructor(private readonly store: StateStore) {}

  static async open(store: StateStore, options: ShardRegistryOptions = {}): Promise<ShardRegistry> {
    const registry = new ShardRegistry(store);
    registry.#unsubscribe = await store.subscribe(
      CHANNEL,
      () => void registry.refresh().catch(() => undefined),
    );
    await registry.refresh();
    const interval = options.refreshIntervalMs ?? 10_000;
    registry.#timer = setInterval(() => void registry.refresh().catch(() => undefined), interval);
    registry.#timer.unref();
    return registry;
  }

  /** Current shards, ordered by clusterId (the order in which merged lists are concatenated). */
  list(): readonly ShardRecord[] {
    return this.#records;
  }

  async register(record: ShardRecord): Promise<void> {
    await this.store
      .collection<ShardRecord>(COLLECTION)
      .put(record.clusterId, withSchemaVersion(SHARD_RECORDS, record));
    await this.store.publish(CHANNEL, record.clusterId);
    await this.refresh();
  }

  async deregister(clusterId: string): Promise<boolean> {
    const removed = await this.store.collection<ShardRecord>(COLLECTION).delete(clusterId);
    await this.store.publish(CHANNEL, clusterId);
    await this.refresh();
    return removed;
  }

  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async refresh(): Promise<void> {
    const entries = await this.store.collection<ShardRecord>(COLLECTION).list();
    // The record without its storage fields (schemaVersion): what the pool and the admin API see.
    const next = entries
      .map(({ doc }) => ({ clusterId: doc.clusterId, url: doc.url, wsUrl: doc.wsUrl }))
      .sort((a, b) => a.clusterId.localeCompare(b.clusterId));
    if (sameRecords(this.#records, next)) return;
    this.#records = next;
    for (const listener of this.#listeners) listener(next);
  }

  async dispose(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#listeners.clear();
    await this.#unsubscribe?.();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

function sameRecords(a: readonly ShardRecord[], b: readonly ShardRecord[]): boolean {
  return (
    a.length === b.length &&
    a.every((r, i) => r.clusterId === b[i]!.clusterId && r.url === b[i]!.url && r.wsUrl === b[i]!.wsUrl)
  );
}
