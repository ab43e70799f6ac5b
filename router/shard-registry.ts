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
  /**
   * The clusters of the configuration (`clusters:`). They are always served, and written back to the store
   * whenever a re-read finds them missing: a Redis that restarted empty (or was flushed) must not make the
   * O2 lists go empty. Their record in the store may differ (PUT through the admin API); a configured cluster
   * cannot be deregistered at runtime (remove it from the configuration).
   */
  readonly configured?: readonly ShardRecord[];
}

type Listener = (records: readonly ShardRecord[]) => void;

export class ShardRegistry implements AsyncDisposable {
  #records: readonly ShardRecord[] = [];
  readonly #listeners = new Set<Listener>();
  #unsubscribe: (() => Promise<void>) | undefined;
  #timer: NodeJS.Timeout | undefined;

  readonly #configured: ReadonlyMap<string, ShardRecord>;

  private constructor(
    private readonly store: StateStore,
    configured: readonly ShardRecord[],
  ) {
    this.#configured = new Map(configured.map((record) => [record.clusterId, record]));
  }

  static async open(store: StateStore, options: ShardRegistryOptions = {}): Promise<ShardRegistry> {
    const registry = new ShardRegistry(store, options.configured ?? []);
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

  /** Removes a cluster; the admin API refuses configured ones (409), which the next re-read would restore. */
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

  /** Whether the cluster comes from the configuration (then it is pinned: see ShardRegistryOptions). */
  isConfigured(clusterId: string): boolean {
    return this.#configured.has(clusterId);
  }

  async refresh(): Promise<void> {
    const collection = this.store.collection<ShardRecord>(COLLECTION);
    // The record without its storage fields (schemaVersion): what the pool and the admin API see.
    const stored = new Map(
      (await collection.list()).map(({ id, doc }) => [
        id,
        { clusterId: doc.clusterId, url: doc.url, wsUrl: doc.wsUrl },
      ]),
    );
    for (const [clusterId, record] of this.#configured) {
      if (stored.has(clusterId)) continue;
      // Lost by the store (restarted empty, flushed): written back for every replica, and served meanwhile.
      stored.set(clusterId, record);
      await collection.create(clusterId, withSchemaVersion(SHARD_RECORDS, record));
    }
    const next = [...stored.values()].sort((a, b) => a.clusterId.localeCompare(b.clusterId));
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
