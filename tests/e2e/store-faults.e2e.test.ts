/**
 * State store faults (issue 14, item 7): a gateway on a real redis-server that the test stops and restarts
 * empty. With Redis stopped, writes answer 503 + Retry-After at once (never hang) and /readyz fails; restarted
 * empty, the configured clusters are written back to the shard registry and the O2 lists never go empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayProcess } from '../../cli/gateway.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { startFixtureSubgraph, type FixtureSubgraph } from '../../testing/fixture-subgraph.ts';
import { restartableRedisForTests, type RestartableRedis } from '../../testing/redis.ts';

const POOLS = '/o2ims-infrastructureInventory/v2/resourcePools';
const SUBSCRIPTIONS = '/o2ims-infrastructureInventory/v2/subscriptions';
/** A bound, not a measurement: a request that hangs fails the test instead of the test timing out. */
const bound = (): RequestInit => ({ signal: AbortSignal.timeout(10_000) });

let redis: RestartableRedis;
let subgraph: FixtureSubgraph;
let gateway: GatewayProcess;
let keyPrefix: string;

beforeAll(async () => {
  redis = await restartableRedisForTests();
  subgraph = await startFixtureSubgraph('edge-1', ['workers', 'gpu'], ['R750']);
  keyPrefix = redis.keyPrefix();
  gateway = await startGateway(
    parseGatewayConfig({
      listen: { port: 0 },
      logLevel: 'silent',
      store: { kind: 'redis', url: redis.url, keyPrefix },
      clusters: [{ clusterId: 'edge-1', url: subgraph.url, wsUrl: subgraph.wsUrl }],
      subscriptions: { probe: { enabled: false }, callbacks: { requireHttps: false, allowLoopback: true } },
    }),
    { logger: createLogger('silent') },
  );
});

afterAll(async () => {
  await gateway?.close();
  await subgraph?.close();
  await redis?.dispose();
});

async function poolCount(): Promise<number> {
  const response = await fetch(`${gateway.url}${POOLS}`, bound());
  expect(response.status).toBe(200);
  return ((await response.json()) as unknown[]).length;
}

function createSubscription(): Promise<Response> {
  return fetch(`${gateway.url}${SUBSCRIPTIONS}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ callback: 'http://127.0.0.1:9/notify' }),
    ...bound(),
  });
}

describe('state store faults', () => {
  it('with Redis stopped, writes answer 503 + Retry-After at once and /readyz fails; reads of clusters still work', async () => {
    expect((await fetch(`${gateway.url}/readyz`, bound())).status).toBe(200);
    expect(await poolCount()).toBe(2);
    await redis.stop();

    const write = await createSubscription();
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBe('5');
    expect(write.headers.get('content-type')).toContain('application/problem+json');
    expect(((await write.json()) as { detail: string }).detail).toMatch(/state store is unavailable/);
    const read = await fetch(`${gateway.url}${SUBSCRIPTIONS}`, bound());
    expect(read.status).toBe(503);
    const ready = await fetch(`${gateway.url}/readyz`, bound());
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    // Inventory comes from the clusters, not from the store: still served.
    expect(await poolCount()).toBe(2);
  });

  it('restarted empty, Redis gets the configured clusters back and the O2 lists never go empty', async () => {
    await redis.start();
    expect(await poolCount()).toBe(2);
    await expect
      .poll(async () => (await fetch(`${gateway.url}/readyz`, bound())).status, {
        timeout: 20_000,
        message: '/readyz once Redis answers again',
      })
      .toBe(200);
    // The registry's next re-read writes the configured cluster back to the (empty) store.
    await using store = await createRedisStore({ url: redis.url, keyPrefix });
    await expect
      .poll(async () => (await store.collection<{ url: string }>('shards').get('edge-1'))?.url, {
        timeout: 30_000,
        message: 'edge-1 written back to the shard registry',
      })
      .toBe(subgraph.url);
    expect(await poolCount()).toBe(2);
    expect((await createSubscription()).status).toBe(201);
    // A configured cluster cannot be deregistered at runtime (the next re-read would restore it).
    const removal = await fetch(`${gateway.url}/netweave/v1/clusters/edge-1`, {
      method: 'DELETE',
      ...bound(),
    });
    expect(removal.status).toBe(409);
  });

  it('/readyz fails while no cluster is registered (unless readiness.requireCluster is off)', async () => {
    const store = createMemoryStore();
    const empty = await startGateway(parseGatewayConfig({ listen: { port: 0 }, logLevel: 'silent' }), {
      store,
      logger: createLogger('silent'),
    });
    try {
      const answer = await fetch(`${empty.url}/readyz`, bound());
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as { detail: string }).detail).toBe('no cluster is registered');
    } finally {
      await empty.close();
    }
    const relaxed = await startGateway(
      parseGatewayConfig({ listen: { port: 0 }, logLevel: 'silent', readiness: { requireCluster: false } }),
      { store, logger: createLogger('silent') },
    );
    try {
      expect((await fetch(`${relaxed.url}/readyz`, bound())).status).toBe(200);
    } finally {
      await relaxed.close();
      await store.dispose();
    }
  });
});
