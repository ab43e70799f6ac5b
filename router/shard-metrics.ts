/**
 * Prometheus series of the shard executor: every shard call by cluster and outcome with its latency, the
 * circuit breaker state of each shard, the number of registered shards and of those serving (breaker not
 * open), read from the pool at scrape time, so a cluster removed at runtime disappears from the series.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CircuitState } from './circuit-breaker.ts';
import type { ShardPool } from './shard-pool.ts';

export type ShardCallOutcome = 'ok' | 'unavailable';

export interface ShardMetrics {
  readonly registry: Registry;
  /** One finished shard call (query or entity lookup) of a fan-out. */
  observeCall(clusterId: string, outcome: ShardCallOutcome, seconds: number): void;
}

const BREAKER_STATES: readonly CircuitState[] = ['closed', 'open', 'half-open'];

export function createShardMetrics(pool: () => ShardPool): ShardMetrics {
  const registry = new Registry();
  const calls = new Counter({
    name: 'netweave_shard_calls_total',
    help: 'Calls from the router to cluster subgraphs, by cluster and outcome',
    labelNames: ['cluster', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'netweave_shard_call_duration_seconds',
    help: 'Latency of calls from the router to cluster subgraphs, by cluster and outcome',
    labelNames: ['cluster', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'netweave_shard_breaker_state',
    help: 'Circuit breaker state of each shard (1 for the current state)',
    labelNames: ['cluster', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const shard of pool().shards())
        for (const state of BREAKER_STATES)
          this.set({ cluster: shard.clusterId, state }, shard.breaker.state === state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'netweave_shards_registered',
    help: 'Cluster subgraphs registered with the router',
    registers: [registry],
    collect() {
      this.set(pool().shards().length);
    },
  });
  new Gauge({
    name: 'netweave_shards_serving',
    help: 'Registered cluster subgraphs the router sends calls to (circuit breaker not open)',
    registers: [registry],
    collect() {
      this.set(
        pool()
          .shards()
          .filter((shard) => shard.breaker.state !== 'open').length,
      );
    },
  });
  return {
    registry,
    observeCall(clusterId, outcome, seconds) {
      calls.inc({ cluster: clusterId, outcome });
      latency.observe({ cluster: clusterId, outcome }, seconds);
    },
  };
}
