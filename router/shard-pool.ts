/**
 * The live ShardClient for every registered shard: created when a shard is registered, replaced when its
 * address changes, disposed when it is deregistered. The shard executor reads `shards()` per request, so
 * membership changes apply to the next request and to running subscriptions (through `onChange`).
 */
import type { TenantScope } from '../common/auth.ts';
import { seesCluster } from '../common/tenancy.ts';
import { ShardClient, type ShardClientOptions, type ShardRecord } from './shard-client.ts';
import type { ShardRegistry } from './shard-registry.ts';

export type ShardPoolOptions = ShardClientOptions;

/** The membership of the pool as the shard executor reads it (possibly narrowed to a tenant's clusters). */
export interface ShardView {
  shards(): readonly ShardClient[];
  onChange(listener: (clients: readonly ShardClient[]) => void): () => void;
}

/**
 * The shards of the clusters a caller may see (docs/security.md "Tenants"): the ONE place cluster scoping is applied
 * to everything the cluster subgraph answers (lists, lookups by id, entities, live subscriptions), so a new root
 * field cannot forget it. Without a scope (internal calls) every shard.
 */
export function visibleShards(pool: ShardView, scope: TenantScope | undefined): ShardView {
  if (scope === undefined || scope.name === '*' || scope.clusters === undefined) return pool;
  const visible = (clients: readonly ShardClient[]): readonly ShardClient[] =>
    clients.filter((client) => seesCluster(scope, client.clusterId));
  return {
    shards: () => visible(pool.shards()),
    onChange: (listener) => pool.onChange((clients) => listener(visible(clients))),
  };
}

/** The shards of the named clusters only (a subscription scoped by its arguments). */
export function namedShards(pool: ShardView, clusterIds: ReadonlySet<string> | undefined): ShardView {
  if (clusterIds === undefined) return pool;
  const named = (clients: readonly ShardClient[]): readonly ShardClient[] =>
    clients.filter((client) => clusterIds.has(client.clusterId));
  return {
    shards: () => named(pool.shards()),
    onChange: (listener) => pool.onChange((clients) => listener(named(clients))),
  };
}

export class ShardPool implements AsyncDisposable, ShardView {
  #clients: readonly ShardClient[] = [];
  readonly #listeners = new Set<(clients: readonly ShardClient[]) => void>();
  readonly #stopWatching: () => void;

  constructor(
    registry: ShardRegistry,
    private readonly options: ShardPoolOptions,
  ) {
    this.#sync(registry.list());
    this.#stopWatching = registry.onChange((records) => this.#sync(records));
  }

  shards(): readonly ShardClient[] {
    return this.#clients;
  }

  onChange(listener: (clients: readonly ShardClient[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #sync(records: readonly ShardRecord[]): void {
    const previous = new Map(this.#clients.map((c) => [c.clusterId, c]));
    const next: ShardClient[] = [];
    for (const record of records) {
      const existing = previous.get(record.clusterId);
      if (existing && existing.record.url === record.url && existing.record.wsUrl === record.wsUrl) {
        next.push(existing);
        previous.delete(record.clusterId);
      } else {
        next.push(new ShardClient(record, this.options));
      }
    }
    this.#clients = next;
    for (const gone of previous.values()) void gone.dispose();
    for (const listener of this.#listeners) listener(next);
  }

  async dispose(): Promise<void> {
    this.#stopWatching();
    this.#listeners.clear();
    const clients = this.#clients;
    this.#clients = [];
    await Promise.all(clients.map((c) => c.dispose()));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
