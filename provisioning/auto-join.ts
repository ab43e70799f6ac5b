/**
 * Auto-join (docs/provisioning.md "Auto-join"): a provisioned cluster becomes a shard of the graph by itself.
 * For every cluster that should be joined (its composite Ready and its kubeconfig Secret there), exactly one
 * gateway replica — the holder of the lease `provisioning-join:<clusterId>` in the state store — runs its
 * cluster subgraph in-process (JoinHost.start, which resolves after the first inventory sync), registers the
 * shard, and records the join (`provisioning-joins`, read by every replica for the FULFILLED phase). When the
 * cluster goes, the holder deregisters it (its objects' DELETE events are announced), stops the subgraph and
 * releases the lease. A replica that dies loses its leases after `leaseTtlMs`; another one takes the cluster
 * over and registers its own subgraph's URL. Nothing here is kept only in memory: the wanted set comes from
 * the management cluster's watches, the rest from the store.
 */
import type { Logger } from 'pino';
import { type StoredRecordKind, UNVERSIONED_TO_V1, withSchemaVersion } from '../state/schema-versions.ts';
import type { StateStore } from '../state/store.ts';

export const JOINS_COLLECTION = 'provisioning-joins';

/** The stored form of join records and its migrations (state/schema-versions.ts). */
export const JOIN_RECORDS: StoredRecordKind = {
  name: 'provisioned cluster join',
  collection: JOINS_COLLECTION,
  migrations: [UNVERSIONED_TO_V1],
};
export const DEFAULT_JOIN_LEASE_TTL_MS = 15_000;

export interface JoinRecord {
  readonly clusterId: string;
  /** When the first inventory sync finished and the shard was registered. */
  readonly joinedAt: string;
}

export interface ShardEndpoint {
  readonly clusterId: string;
  readonly url: string;
  readonly wsUrl: string;
}

export interface RunningSubgraph {
  readonly url: string;
  readonly wsUrl: string;
  close(): Promise<void>;
}

/** What the gateway process provides (cli/provisioning-host.ts): subgraphs and the shard registry. */
export interface JoinHost {
  /** Starts a cluster subgraph from a kubeconfig; resolves once its first inventory sync is done. */
  start(clusterId: string, kubeconfig: string): Promise<RunningSubgraph>;
  register(endpoint: ShardEndpoint): Promise<void>;
  /** Deregisters the shard and announces the DELETE of its objects. */
  deregister(clusterId: string): Promise<void>;
  /** The registered cluster ids (the shard registry). */
  registered(): readonly string[];
}

export interface AutoJoinOptions {
  readonly store: StateStore;
  readonly host: JoinHost;
  /** This replica's lease owner id. */
  readonly owner: string;
  readonly leaseTtlMs?: number;
  readonly logger: Logger;
}

const leaseName = (clusterId: string): string => `provisioning-join:${clusterId}`;

export class AutoJoin {
  readonly #options: AutoJoinOptions;
  readonly #ttl: number;
  readonly #local = new Map<string, RunningSubgraph>();
  readonly #starting = new Set<string>();
  #joined = new Set<string>();
  #stopped = false;

  constructor(options: AutoJoinOptions) {
    this.#options = options;
    this.#ttl = options.leaseTtlMs ?? DEFAULT_JOIN_LEASE_TTL_MS;
  }

  /** Whether the cluster's join is recorded (registered after its first inventory sync), on any replica. */
  joined(clusterId: string): boolean {
    return this.#joined.has(clusterId);
  }

  registered(clusterId: string): boolean {
    return this.#options.host.registered().includes(clusterId);
  }

  /** Clusters whose subgraph runs in this replica. */
  local(): readonly string[] {
    return [...this.#local.keys()];
  }

  /** Brings the joins in line with `wanted` (cluster id → kubeconfig); called on changes and periodically. */
  async reconcile(wanted: ReadonlyMap<string, string>): Promise<void> {
    if (this.#stopped) return;
    const { store, owner, logger } = this.#options;
    const records = this.#records();
    for (const [clusterId, kubeconfig] of wanted) {
      const held = await store.leases.acquire(leaseName(clusterId), owner, this.#ttl);
      if (!held) {
        // Another replica holds it now (this one was too slow to renew): its subgraph is the shard.
        const running = this.#local.get(clusterId);
        if (running !== undefined) {
          this.#local.delete(clusterId);
          await running.close();
        }
        continue;
      }
      if (this.#local.has(clusterId) || this.#starting.has(clusterId)) continue;
      this.#starting.add(clusterId);
      // In the background: a slow cluster must not hold up the renewal of the other leases.
      void this.#join(clusterId, kubeconfig)
        .catch((error: unknown) =>
          logger.warn({ err: error, clusterId }, 'provisioned cluster could not join; retrying'),
        )
        .finally(() => this.#starting.delete(clusterId));
    }
    for (const [clusterId, running] of [...this.#local]) {
      if (wanted.has(clusterId)) continue;
      this.#local.delete(clusterId);
      // Stopped first, so its event publisher is quiet before the DELETE of its objects is announced.
      await running.close();
      await this.#leave(clusterId);
      await store.leases.release(leaseName(clusterId), owner);
    }
    // Joins left by a replica that is gone (its lease expired) for clusters that are no longer wanted.
    for (const clusterId of await records) {
      if (wanted.has(clusterId) || this.#local.has(clusterId)) continue;
      if ((await store.leases.holder(leaseName(clusterId))) !== undefined) continue;
      await this.#leave(clusterId);
    }
    this.#joined = new Set(await this.#records());
  }

  async #records(): Promise<string[]> {
    return (await this.#options.store.collection<JoinRecord>(JOINS_COLLECTION).list()).map(({ id }) => id);
  }

  async #join(clusterId: string, kubeconfig: string): Promise<void> {
    const { host, store, logger } = this.#options;
    const running = await host.start(clusterId, kubeconfig);
    if (this.#stopped) {
      await running.close();
      return;
    }
    this.#local.set(clusterId, running);
    await host.register({ clusterId, url: running.url, wsUrl: running.wsUrl });
    await store
      .collection<JoinRecord>(JOINS_COLLECTION)
      .put(clusterId, withSchemaVersion(JOIN_RECORDS, { clusterId, joinedAt: new Date().toISOString() }));
    this.#joined.add(clusterId);
    logger.info({ clusterId, url: running.url }, 'provisioned cluster joined the graph');
  }

  async #leave(clusterId: string): Promise<void> {
    const { host, store, logger } = this.#options;
    if (host.registered().includes(clusterId)) await host.deregister(clusterId);
    await store.collection<JoinRecord>(JOINS_COLLECTION).delete(clusterId);
    this.#joined.delete(clusterId);
    logger.info({ clusterId }, 'provisioned cluster left the graph');
  }

  /**
   * Stops this replica's subgraphs and releases their leases WITHOUT deregistering: the clusters still exist,
   * and another replica (or this one restarted) takes them over.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    const { store, owner } = this.#options;
    await Promise.allSettled(
      [...this.#local].map(async ([clusterId, running]) => {
        await running.close();
        await store.leases.release(leaseName(clusterId), owner);
      }),
    );
    this.#local.clear();
  }
}
