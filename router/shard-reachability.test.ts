/** Reachability of cluster shards from probes and reported failures: thresholds and transitions only. */
import { describe, expect, it } from 'vitest';
import { ShardReachability, healthUrlOf } from './shard-reachability.ts';
import type { ReachabilityChange } from './shard-reachability.ts';

type Health = { status: number; body: unknown } | 'refused';

function setup(health: Map<string, Health>, threshold = 2) {
  const shards = [...health.keys()].map((clusterId) => ({
    clusterId,
    record: { clusterId, url: `http://${clusterId}.test/graphql`, wsUrl: '' },
  }));
  const fakeFetch = (async (input: string | URL | Request) => {
    const url = String(input);
    const clusterId = new URL(url).hostname.replace('.test', '');
    const answer = health.get(clusterId);
    if (answer === undefined || answer === 'refused') throw new TypeError('fetch failed');
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  }) as typeof fetch;
  const reachability = new ShardReachability({
    pool: { shards: () => shards as never },
    failureThreshold: threshold,
    probeTimeoutMs: 1_000,
    fetch: fakeFetch,
  });
  const changes: string[] = [];
  reachability.onChange((change: ReachabilityChange) =>
    changes.push(change.reachable ? `${change.clusterId} up` : `${change.clusterId} down: ${change.reason}`),
  );
  return { reachability, changes };
}

const healthy: Health = { status: 200, body: { status: 'ok', synced: true, connected: true } };

describe('shard reachability', () => {
  it('probes /healthz next to the GraphQL endpoint', () => {
    expect(healthUrlOf('http://10.0.0.1:4001/graphql')).toBe('http://10.0.0.1:4001/healthz');
  });

  it('reports a shard unreachable after the threshold, once, and reachable at the first good probe', async () => {
    const health = new Map<string, Health>([
      ['a', healthy],
      ['b', 'refused'],
    ]);
    const { reachability, changes } = setup(health);
    await reachability.probe();
    expect(changes).toEqual([]);
    await reachability.probe();
    await reachability.probe();
    expect(changes).toEqual(['b down: the cluster subgraph could not be reached']);
    expect([...reachability.unreachable().keys()]).toEqual(['b']);
    health.set('b', healthy);
    await reachability.probe();
    expect(changes.at(-1)).toBe('b up');
    expect(reachability.unreachable().size).toBe(0);
  });

  it('counts disconnected watches, a syncing subgraph and HTTP errors as failures', async () => {
    const health = new Map<string, Health>([
      ['watches', { status: 200, body: { synced: true, connected: false } }],
      ['syncing', { status: 503, body: { synced: false, connected: false } }],
      ['broken', { status: 500, body: {} }],
    ]);
    const { reachability } = setup(health, 1);
    await reachability.probe();
    expect(Object.fromEntries(reachability.unreachable())).toEqual({
      watches: "the cluster subgraph's watches on the Kubernetes API are disconnected",
      syncing: 'the cluster subgraph has not listed its Kubernetes API yet',
      broken: 'the cluster subgraph answered HTTP 500',
    });
  });

  it('lets reported request failures count toward the threshold', async () => {
    const { reachability, changes } = setup(new Map([['a', healthy]]), 3);
    reachability.reportFailure('a', 'circuit open after repeated failures');
    reachability.reportFailure('a', 'circuit open after repeated failures');
    expect(changes).toEqual([]);
    reachability.reportFailure('a', 'timed out');
    expect(changes).toEqual(['a down: timed out']);
    await reachability.probe();
    expect(changes).toEqual(['a down: timed out', 'a up']);
  });
});
