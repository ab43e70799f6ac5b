/**
 * The answer cache is exact (issue 16): with answers kept for a minute, a read issued after a notification was
 * sent never returns the state before it. A simulated cluster → its cluster subgraph → the event publisher →
 * the event log → the notifier → a real webhook receiver; the test deletes a node, waits for the DELETE
 * notification at the receiver, and reads the resource (cached as 200 just before) and its pool's list: 404
 * and absent, every time. Once on the memory store with one gateway, once on Redis with two replicas that
 * share the log (whichever replica's notifier sent it, reads through BOTH see the deletion).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../cli/gateway.ts';
import type { GatewayProcess } from '../../cli/gateway.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import { loadScenario, startScenario } from '../../sim/index.ts';
import type { KubeObject, SimCluster } from '../../sim/index.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { clusterInventorySource, startEventPublisher } from '../../subgraphs/cluster/event-publisher.ts';
import { startClusterSubgraph } from '../../subgraphs/cluster/server.ts';
import { redisForTests } from '../../testing/redis.ts';
import { startWebhookReceiver } from '../../testing/webhook-receiver.ts';
import type { ReceivedRequest, WebhookReceiver } from '../../testing/webhook-receiver.ts';

const SCENARIO = fileURLToPath(new URL('../../sim/scenarios/minimal.yaml', import.meta.url));
const API = '/o2ims-infrastructureInventory/v2';
const ROUNDS = 6;
const logger = createLogger('silent');
const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

interface Topology {
  readonly sim: SimCluster;
  readonly gateways: readonly GatewayProcess[];
  readonly receiver: WebhookReceiver;
}

/** One simulated cluster and its subgraph publishing to `stores[0]`; one gateway per store. */
async function topology(stores: readonly StateStore[]): Promise<Topology> {
  const scenario = loadScenario(SCENARIO);
  const cluster = scenario.clusters[0]!;
  const sims = await startScenario({ ...scenario, timeline: [] });
  cleanups.push(() => sims.dispose());
  const sim = sims.clusters.get(cluster.name)!;
  const config = parseGatewayConfig({
    listen: { host: '127.0.0.1', port: 0 },
    logLevel: 'silent',
    // Answers are reused for a minute: only the change events can make a read see the deletion.
    inventory: { cache: { maxAgeMs: 60_000 } },
    subscriptions: {
      probe: { enabled: false },
      callbacks: { requireHttps: false, allowLoopback: true },
      delivery: { initialBackoffMs: 20, maxBackoffMs: 200, leaseTtlMs: 1_500 },
    },
  });
  const subgraph = await startClusterSubgraph({
    clusterId: cluster.name,
    oCloudId: config.oCloud.oCloudId,
    site: cluster.site,
    poolLabel: cluster.poolLabel,
    kube: { server: sim.url },
    logger,
  });
  cleanups.push(() => subgraph.close());
  const publisher = startEventPublisher({
    clusterId: cluster.name,
    source: clusterInventorySource(subgraph.inventory, subgraph.informers),
    store: stores[0]!,
    logger,
  });
  cleanups.push(() => publisher.dispose());
  await publisher.ready;
  const gateways: GatewayProcess[] = [];
  for (const store of stores) {
    const gateway = await startGateway(
      { ...config, clusters: [{ clusterId: subgraph.clusterId, url: subgraph.url, wsUrl: subgraph.wsUrl }] },
      { store, logger },
    );
    cleanups.push(() => gateway.close());
    gateways.push(gateway);
  }
  const receiver = await startWebhookReceiver();
  cleanups.push(() => receiver.close());
  const created = await fetch(`${gateways[0]!.url}${API}/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ callback: receiver.url }),
  });
  expect(created.status).toBe(201);
  return { sim, gateways, receiver };
}

function nodeNamed(sim: SimCluster, name: string): KubeObject {
  const copy = structuredClone(sim.objects.list('v1', 'Node')[0]!);
  return {
    ...copy,
    metadata: {
      name,
      labels: { ...copy.metadata.labels, 'kubernetes.io/hostname': name },
      annotations: copy.metadata.annotations ?? {},
    },
  };
}

function notificationsOf(requests: readonly ReceivedRequest[], hostname: string): ReceivedRequest[] {
  return requests.filter((r) => {
    const state = (r.body?.['postObjectState'] ?? r.body?.['priorObjectState']) as
      { extensions?: { labels?: Record<string, string> } } | undefined;
    return (
      String(r.body?.['objectRef']).includes('/resources/') &&
      state?.extensions?.labels?.['kubernetes.io/hostname'] === hostname
    );
  });
}

/** The path of an objectRef below the gateway origin that notified it (the same on every replica). */
function pathOf(objectRef: unknown): string {
  return new URL(String(objectRef)).pathname;
}

async function read(gateway: GatewayProcess, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(gateway.url + path);
  return { status: response.status, body: await response.json() };
}

function idsOf(body: unknown): string[] {
  return (body as Array<{ resourceId: string }>).map((r) => r.resourceId);
}

/** Node added, read (and cached) everywhere, deleted; after the DELETE notification every read sees it gone. */
async function deleteAndRead({ sim, gateways, receiver }: Topology, round: number): Promise<void> {
  const name = `exact-answer-node-${round}`;
  sim.objects.create(nodeNamed(sim, name));
  await receiver.waitFor((n) => notificationsOf(n, name).length >= 1, `the CREATE of ${name}`);
  const created = notificationsOf(receiver.notifications, name)[0]!.body!;
  const resource = pathOf(created['objectRef']);
  const pool = resource.slice(0, resource.lastIndexOf('/'));
  const resourceId = resource.slice(resource.lastIndexOf('/') + 1);
  for (const gateway of gateways) {
    // Twice: the second read is answered from the cache.
    for (let i = 0; i < 2; i++) {
      expect((await read(gateway, resource)).status).toBe(200);
      expect(idsOf((await read(gateway, pool)).body)).toContain(resourceId);
    }
  }
  sim.objects.delete('v1', 'Node', name);
  await receiver.waitFor((n) => notificationsOf(n, name).length >= 2, `the DELETE of ${name}`);
  expect(notificationsOf(receiver.notifications, name)[1]!.body?.['notificationEventType']).toBe(2);
  for (const gateway of gateways) {
    const after = await read(gateway, resource);
    expect(after.status, `GET ${resource} after its DELETE notification`).toBe(404);
    expect(idsOf((await read(gateway, pool)).body)).not.toContain(resourceId);
  }
}

describe('exact answer cache', () => {
  it('after a DELETE notification a read never returns the deleted resource (memory store, one gateway)', async () => {
    const store = createMemoryStore();
    cleanups.push(() => store.dispose());
    const setup = await topology([store]);
    for (let round = 0; round < ROUNDS; round++) await deleteAndRead(setup, round);
  }, 120_000);

  it('the same through two replicas sharing a Redis store, whichever replica notified', async () => {
    const redis = await redisForTests();
    cleanups.push(() => redis.dispose());
    const keyPrefix = redis.keyPrefix();
    const stores = await Promise.all([0, 1].map(() => createRedisStore({ url: redis.url, keyPrefix })));
    for (const store of stores) cleanups.push(() => store.dispose());
    // stores[0]: the subgraph's publisher and replica A; stores[1]: replica B (its own connections).
    const setup = await topology(stores);
    for (let round = 0; round < ROUNDS; round++) await deleteAndRead(setup, round);
  }, 120_000);
});
