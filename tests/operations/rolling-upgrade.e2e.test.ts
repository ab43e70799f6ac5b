/**
 * A rolling upgrade of two gateway replicas on Redis under load (docs/operations.md "Shutdown and
 * upgrades"): replica A drains, a new replica C starts, then B drains — while a client loop keeps sending
 * REST requests through a "load balancer" (the replicas whose /readyz says ready) and a cluster keeps
 * changing. No request fails and the webhook receiver gets a notification for every change.
 *
 * The replicas are gateways in this test process, each with its own Redis connections (what they share is
 * Redis, as separate processes would); the drain is the one SIGTERM runs (`GatewayProcess.drain`), whose
 * process-level behaviour tests/operations/graceful-shutdown.e2e.test.ts checks with a child process.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayProcess } from '../../cli/gateway.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import { loadScenario, startScenario, type KubeObject, type SimCluster } from '../../sim/index.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { startClusterSubgraph, type ClusterSubgraph } from '../../subgraphs/cluster/server.ts';
import { TEST_SITE } from '../../testing/cluster-fixtures.ts';
import { redisForTests, type TestRedis } from '../../testing/redis.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.ts';

const SCENARIO = fileURLToPath(new URL('../../sim/scenarios/minimal.yaml', import.meta.url));
const API = '/o2ims-infrastructureInventory/v2';
const logger = createLogger('silent');

let redis: TestRedis;
let keyPrefix: string;
let sims: { clusters: Map<string, SimCluster>; dispose(): Promise<void> };
let sim: SimCluster;
let subgraph: ClusterSubgraph;
let receiver: WebhookReceiver;
const stores: StateStore[] = [];
const gateways: GatewayProcess[] = [];

async function store(): Promise<StateStore> {
  const s = await createRedisStore({ url: redis.url, keyPrefix });
  stores.push(s);
  return s;
}

async function replica(): Promise<GatewayProcess> {
  const config = parseGatewayConfig({
    listen: { host: '127.0.0.1', port: 0 },
    auth: { mode: 'development' },
    logLevel: 'silent',
    internalToken: 'rolling-upgrade-internal-token',
    shutdown: { readinessDelayMs: 300, gracePeriodMs: 10_000 },
    subscriptions: { probe: { enabled: false }, callbacks: { requireHttps: false, allowLoopback: true } },
    clusters: [{ clusterId: subgraph.clusterId, url: subgraph.url, wsUrl: subgraph.wsUrl }],
  });
  const g = await startGateway(config, { store: await store(), logger });
  gateways.push(g);
  return g;
}

beforeAll(async () => {
  redis = await redisForTests();
  keyPrefix = redis.keyPrefix();
  sims = await startScenario(loadScenario(SCENARIO), { host: '127.0.0.1' });
  const [clusterId, first] = [...sims.clusters.entries()][0]!;
  sim = first;
  subgraph = await startClusterSubgraph({
    clusterId,
    oCloudId: '0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a60',
    site: TEST_SITE,
    kube: { server: sim.url },
    internalToken: 'rolling-upgrade-internal-token',
    store: await store(),
    logger,
  });
  receiver = await startWebhookReceiver();
}, 60_000);

afterAll(async () => {
  for (const g of gateways) await g.close().catch(() => undefined);
  await subgraph?.close();
  await receiver?.close();
  await sims?.dispose();
  for (const s of stores) await s.dispose().catch(() => undefined);
  await redis?.dispose();
});

function nodeNamed(name: string): KubeObject {
  const copy = structuredClone(sim.objects.list('v1', 'Node')[0]!);
  return { ...copy, metadata: { name, labels: { ...copy.metadata.labels }, annotations: {} } };
}

/** Hostnames of the nodes the receiver was notified of (CREATE of a resource). */
function notifiedNodes(): Set<string> {
  const names = new Set<string>();
  for (const request of receiver.notifications) {
    const text = request.rawBody;
    for (const match of text.matchAll(/rolling-node-\d+/g)) names.add(match[0]);
  }
  return names;
}

describe('rolling upgrade of two replicas on Redis', () => {
  it('loses no request and no notification', async () => {
    const a = await replica();
    const b = await replica();
    const created = await fetch(`${a.url}${API}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ callback: receiver.url }),
    });
    expect(created.status).toBe(201);

    // The load balancer: round robin over the replicas that are not draining.
    const balanced: GatewayProcess[] = [a, b];
    let sent = 0;
    const failures: string[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        const ready = balanced.filter((g) => !g.draining);
        const target = ready[sent % ready.length];
        if (target === undefined) throw new Error('no replica ready');
        sent++;
        try {
          const response = await fetch(`${target.url}${API}/resourcePools`);
          await response.arrayBuffer();
          if (!response.ok) failures.push(`${target.url}: ${response.status}`);
        } catch (error) {
          failures.push(`${target.url}: ${String(error)}`);
        }
      }
    })();

    let node = 0;
    const changes = (count: number): void => {
      for (let i = 0; i < count; i++) sim.objects.create(nodeNamed(`rolling-node-${++node}`));
    };

    changes(3);
    const drainA = a.drain();
    const c = await replica(); // the new version comes up while A drains
    balanced.push(c);
    await drainA;
    changes(3);
    const drainB = b.drain();
    changes(3);
    await drainB;
    changes(3);
    const countAtEnd = sent;
    await expect.poll(() => sent, { timeout: 10_000 }).toBeGreaterThan(countAtEnd + 5);
    running = false;
    await load;

    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(10);
    const expected = Array.from({ length: node }, (_, i) => `rolling-node-${i + 1}`);
    await expect.poll(() => [...notifiedNodes()].sort(), { timeout: 30_000 }).toEqual(expected.sort());
  }, 120_000);
});
