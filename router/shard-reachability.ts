/**
 * Whether each cluster shard answers (docs/architecture.md "The shape": "a shard that is down … raises an alarm"). Two signals:
 *
 * - the shard executor's failures (`reportFailure`, wired to its `onShardFailure` hook): requests that timed
 *   out, were refused, or met an open circuit;
 * - a probe of every shard's `/healthz`, which also says whether the subgraph's watches on its Kubernetes API
 *   are connected, so an API server that went away is noticed even while the subgraph itself answers. A probe
 *   is also what tells that a shard answers again: the executor reports no successes, and a cluster nobody
 *   queries would otherwise stay "unreachable" forever.
 *
 * A shard becomes unreachable after `failureThreshold` consecutive failures (of either kind) and reachable at
 * the first successful probe. Listeners hear only the transitions.
 */
import type { ShardPool } from './shard-pool.ts';

export interface ShardReachabilityOptions {
  readonly pool: Pick<ShardPool, 'shards'>;
  readonly failureThreshold: number;
  readonly probeTimeoutMs: number;
  /** For the probes (tests inject failures); the global fetch by default. */
  readonly fetch?: typeof fetch;
}

export type ReachabilityChange =
  | { readonly clusterId: string; readonly reachable: false; readonly reason: string }
  | { readonly clusterId: string; readonly reachable: true };

interface ShardState {
  failures: number;
  unreachable: boolean;
  reason: string;
}

/** The `/healthz` of a cluster subgraph next to its GraphQL endpoint. */
export function healthUrlOf(graphqlUrl: string): string {
  return new URL('/healthz', graphqlUrl).href;
}

export class ShardReachability {
  readonly #options: ShardReachabilityOptions;
  readonly #fetch: typeof fetch;
  readonly #states = new Map<string, ShardState>();
  readonly #listeners = new Set<(change: ReachabilityChange) => void>();

  constructor(options: ShardReachabilityOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
  }

  /** The clusters registered now. */
  clusterIds(): readonly string[] {
    return this.#options.pool.shards().map((shard) => shard.clusterId);
  }

  onChange(listener: (change: ReachabilityChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Clusters currently considered unreachable, with the last reason. */
  unreachable(): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const [clusterId, state] of this.#states) if (state.unreachable) out.set(clusterId, state.reason);
    return out;
  }

  /** A failed request or probe of the shard. */
  reportFailure(clusterId: string, reason: string): void {
    const state = this.#state(clusterId);
    state.failures += 1;
    state.reason = reason;
    if (!state.unreachable && state.failures >= this.#options.failureThreshold) {
      state.unreachable = true;
      this.#emit({ clusterId, reachable: false, reason });
    }
  }

  /** A successful probe of the shard. */
  reportSuccess(clusterId: string): void {
    const state = this.#state(clusterId);
    state.failures = 0;
    if (state.unreachable) {
      state.unreachable = false;
      this.#emit({ clusterId, reachable: true });
    }
  }

  /** Probes every registered shard once, in parallel; shards no longer registered are forgotten. */
  async probe(): Promise<void> {
    const shards = this.#options.pool.shards();
    const present = new Set(shards.map((shard) => shard.clusterId));
    for (const clusterId of [...this.#states.keys()])
      if (!present.has(clusterId)) this.#states.delete(clusterId);
    await Promise.all(
      shards.map(async (shard) => {
        const failure = await this.#probeOne(shard.record.url);
        if (failure === undefined) this.reportSuccess(shard.clusterId);
        else this.reportFailure(shard.clusterId, failure);
      }),
    );
  }

  /** Undefined when the shard is healthy, else why not (phrased for operators; no internals). */
  async #probeOne(graphqlUrl: string): Promise<string | undefined> {
    let response: Response;
    try {
      response = await this.#fetch(healthUrlOf(graphqlUrl), {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.#options.probeTimeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      return name === 'TimeoutError'
        ? 'the cluster subgraph did not answer in time'
        : 'the cluster subgraph could not be reached';
    }
    const body = (await response.json().catch(() => undefined)) as
      { synced?: unknown; connected?: unknown } | undefined;
    if (response.status === 503 && body?.synced === false)
      return 'the cluster subgraph has not listed its Kubernetes API yet';
    if (!response.ok) return `the cluster subgraph answered HTTP ${response.status}`;
    if (body?.connected === false)
      return "the cluster subgraph's watches on the Kubernetes API are disconnected";
    return undefined;
  }

  #state(clusterId: string): ShardState {
    let state = this.#states.get(clusterId);
    if (state === undefined) {
      state = { failures: 0, unreachable: false, reason: '' };
      this.#states.set(clusterId, state);
    }
    return state;
  }

  #emit(change: ReachabilityChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}
