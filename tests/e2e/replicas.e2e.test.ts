/**
 * Gateway replicas share cluster membership through Redis: a cluster registered on one replica is served
 * by the other, a replica that goes away takes nothing with it, and a Redis failover (master killed,
 * Sentinel promotes the replica) neither loses registrations nor stops new ones.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type GatewayProcess } from '../../cli/gateway.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { startFixtureSubgraph, type FixtureSubgraph } from '../../testing/fixture-subgraph.ts';
import { redisFailoverSet, type RedisFailoverSet } from '../../testing/redis-failover.ts';
import { redisForTests, type TestRedis } from '../../testing/redis.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  cleanups.length = 0;
});

const logger = createLogger('silent');
const config = parseGatewayConfig({ listen: { port: 0 }, logLevel: 'silent', shards: { timeoutMs: 2_000 } });

async function subgraph(clusterId: string): Promise<FixtureSubgraph> {
  const s = await startFixtureSubgraph(clusterId, ['workers'], ['R750']);
  cleanups.push(() => s.close());
  return s;
}

async function gateway(store: StateStore): Promise<GatewayProcess> {
  const g = await startGateway(config, { store, logger });
  cleanups.push(() => g.close());
  return g;
}

async function clusterIds(g: GatewayProcess): Promise<string[]> {
  const response = await fetch(`${g.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: '{ clusters { clusterId } }' }),
  });
  const body = (await response.json()) as { data?: { clusters: Array<{ clusterId: string } | null> } };
  return (body.data?.clusters ?? []).flatMap((c) => (c ? [c.clusterId] : [])).sort();
}

async function register(g: GatewayProcess, s: FixtureSubgraph): Promise<number> {
  const response = await fetch(`${g.url}/netweave/v1/clusters/${s.clusterId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: s.url, wsUrl: s.wsUrl }),
  });
  return response.status;
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 150; attempt++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('gateway replicas on Redis', () => {
  it('share cluster registrations, and one replica going away leaves the other serving', async () => {
    const redis: TestRedis = await redisForTests();
    cleanups.push(() => redis.dispose());
    const keyPrefix = redis.keyPrefix();
    const storeA = await createRedisStore({ url: redis.url, keyPrefix });
    const storeB = await createRedisStore({ url: redis.url, keyPrefix });
    cleanups.push(
      () => storeA.dispose(),
      () => storeB.dispose(),
    );
    const [edge1, edge2] = [await subgraph('edge-1'), await subgraph('edge-2')];
    const replicaA = await gateway(storeA);
    const replicaB = await gateway(storeB);

    expect(await register(replicaA, edge1)).toBe(201);
    await eventually(
      async () => ((await clusterIds(replicaB)).includes('edge-1') ? true : undefined),
      'edge-1 on replica B',
    );
    expect(await register(replicaB, edge2)).toBe(201);
    await eventually(
      async () => ((await clusterIds(replicaA)).length === 2 ? true : undefined),
      'edge-2 on replica A',
    );

    await replicaA.close();
    expect(await clusterIds(replicaB)).toEqual(['edge-1', 'edge-2']);
  });

  it('keeps registrations and accepts new ones across a Sentinel failover', async () => {
    const ha: RedisFailoverSet = await redisFailoverSet();
    cleanups.push(() => ha.dispose());
    const store = await createRedisStore({
      sentinels: ha.sentinels,
      sentinelName: ha.name,
      keyPrefix: 'nwfail:',
    });
    cleanups.push(() => store.dispose());
    const [edge1, edge2] = [await subgraph('edge-1'), await subgraph('edge-2')];
    const g = await gateway(store);
    expect(await register(g, edge1)).toBe(201);
    await ha.syncReplica();

    await ha.killMaster();

    // Writes fail while ioredis finds the new master; the registration must then go through (bounded).
    await eventually(
      async () => ((await register(g, edge2)) === 201 ? true : undefined),
      'a registration after failover',
    );
    await g.registry.refresh();
    expect(await clusterIds(g)).toEqual(['edge-1', 'edge-2']);
  }, 60_000);
});
