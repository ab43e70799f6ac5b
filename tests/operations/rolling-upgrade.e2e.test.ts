/**
 * A rolling upgrade of two `netweave serve` child processes on one Redis, under load (docs/operations.md
 * "Shutdown and upgrades"): replica A gets SIGTERM while its successor A' starts; once A' is ready, B gets
 * SIGTERM while B' starts. Meanwhile a client loop sends REST requests through a load balancer that follows
 * each replica's /readyz, and nodes are added to a simulated cluster before, during and after each step.
 *
 * The load balancer is client-side: it probes every replica's /readyz every PROBE_INTERVAL_MS and sends each
 * request, round robin, to a replica whose latest probe answered 200 — what kubelet's readiness probe and
 * kube-proxy do together with a Service's endpoints. It never retries: a request refused by a replica that is
 * going away would be a failure here. That holds because the drain keeps serving for
 * `shutdown.readinessDelayMs` after readiness turns false, which is longer than the balancer's probe period
 * (the same contract as a Kubernetes readiness probe's period against the chart's readiness delay).
 *
 * What the cluster side shares (the simulated cluster, its subgraph, Redis, the webhook receiver) lives in
 * this test process; only the gateways are separate processes, so each replica's SIGTERM, drain and exit are
 * the real ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log.ts';
import { realTimers } from '../../common/timers.ts';
import { loadScenario, startScenario, type KubeObject, type SimCluster } from '../../sim/index.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { startClusterSubgraph, type ClusterSubgraph } from '../../subgraphs/cluster/server.ts';
import { TEST_SITE } from '../../testing/cluster-fixtures.ts';
import { startServeProcess, type ServeProcess } from '../../testing/demo-process.ts';
import { redisForTests, type TestRedis } from '../../testing/redis.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.ts';

const SCENARIO = fileURLToPath(new URL('../../sim/scenarios/minimal.yaml', import.meta.url));
const API = '/o2ims-infrastructureInventory/v2';
const INTERNAL_TOKEN = 'rolling-upgrade-internal-token';
const PROBE_INTERVAL_MS = 100;
/** Serving after readiness turned false: many probe periods, so the balancer moved away before the listener closes. */
const READINESS_DELAY_MS = 2_000;
const logger = createLogger('silent');

let redis: TestRedis;
let keyPrefix: string;
let dir: string;
let sims: { clusters: Map<string, SimCluster>; dispose(): Promise<void> };
let sim: SimCluster;
let store: StateStore;
let subgraph: ClusterSubgraph;
let receiver: WebhookReceiver;
const replicas: ServeProcess[] = [];

beforeAll(async () => {
  redis = await redisForTests();
  keyPrefix = redis.keyPrefix();
  dir = mkdtempSync(join(tmpdir(), 'netweave-rolling-'));
  sims = await startScenario(loadScenario(SCENARIO), { host: '127.0.0.1' });
  const [clusterId, first] = [...sims.clusters.entries()][0]!;
  sim = first;
  store = await createRedisStore({ url: redis.url, keyPrefix });
  subgraph = await startClusterSubgraph({
    clusterId,
    oCloudId: '0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a60',
    site: TEST_SITE,
    kube: { server: sim.url },
    internalToken: INTERNAL_TOKEN,
    store,
    logger,
  });
  receiver = await startWebhookReceiver();
  writeFileSync(
    join(dir, 'gateway.yaml'),
    // JSON is YAML: the same file for every replica, as a Deployment's ConfigMap.
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      auth: { mode: 'development' },
      logLevel: 'info',
      internalToken: INTERNAL_TOKEN,
      store: { kind: 'redis', url: redis.url, keyPrefix },
      shutdown: { readinessDelayMs: READINESS_DELAY_MS, gracePeriodMs: 15_000 },
      subscriptions: { probe: { enabled: false }, callbacks: { requireHttps: false, allowLoopback: true } },
      clusters: [{ clusterId: subgraph.clusterId, url: subgraph.url, wsUrl: subgraph.wsUrl }],
    }),
  );
}, 60_000);

afterAll(async () => {
  for (const r of replicas)
    if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  await Promise.all(replicas.map((r) => r.exited));
  await subgraph?.close();
  await receiver?.close();
  await sims?.dispose();
  await store?.dispose().catch(() => undefined);
  await redis?.dispose();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function startReplica(): Promise<ServeProcess> {
  const replica = await startServeProcess(join(dir, 'gateway.yaml'));
  replicas.push(replica);
  return replica;
}

/** Round robin over the replicas whose latest /readyz probe answered 200; see the header. */
class ReadinessBalancer {
  readonly #ready = new Map<string, boolean>();
  readonly #stop = new AbortController();
  readonly #probes: Promise<void>[] = [];
  #next = 0;

  /** Starts probing a replica (not ready until its first probe answers 200). */
  add(url: string): void {
    this.#ready.set(url, false);
    this.#probes.push(this.#probe(url));
  }

  /** Stops probing a replica that is gone. */
  remove(url: string): void {
    this.#ready.delete(url);
  }

  isReady(url: string): boolean {
    return this.#ready.get(url) === true;
  }

  /** The next ready replica, or undefined when none is. */
  pick(): string | undefined {
    const ready = [...this.#ready].filter(([, ok]) => ok).map(([url]) => url);
    if (ready.length === 0) return undefined;
    return ready[this.#next++ % ready.length];
  }

  async close(): Promise<void> {
    this.#stop.abort();
    await Promise.all(this.#probes);
  }

  async #probe(url: string): Promise<void> {
    while (!this.#stop.signal.aborted && this.#ready.has(url)) {
      let ok: boolean;
      try {
        const answer = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) });
        await answer.arrayBuffer();
        ok = answer.status === 200;
      } catch {
        ok = false; // refused, reset or timed out: not ready
      }
      if (this.#ready.has(url)) this.#ready.set(url, ok);
      await realTimers.sleep(PROBE_INTERVAL_MS, this.#stop.signal);
    }
  }
}

function nodeNamed(name: string): KubeObject {
  const copy = structuredClone(sim.objects.list('v1', 'Node')[0]!);
  return { ...copy, metadata: { name, labels: { ...copy.metadata.labels }, annotations: {} } };
}

/** SIGTERM, as Kubernetes stops a pod; resolves with the exit code. */
function terminate(replica: ServeProcess): Promise<number | null> {
  replica.child.kill('SIGTERM');
  return replica.exited;
}

describe('rolling upgrade of two netweave serve processes on Redis', () => {
  it('loses no request and no notification; every replica exits 0', async () => {
    const balancer = new ReadinessBalancer();
    const [a, b] = await Promise.all([startReplica(), startReplica()]);
    balancer.add(a.url);
    balancer.add(b.url);
    await expect
      .poll(() => balancer.isReady(a.url) && balancer.isReady(b.url), { timeout: 30_000 })
      .toBe(true);

    const created = await fetch(`${a.url}${API}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ callback: receiver.url }),
    });
    expect(created.status).toBe(201);
    const { subscriptionId } = (await created.json()) as { subscriptionId: string };

    // The client loop: two concurrent clients, each request a list of pools (shards) or the subscription (Redis).
    const paths = [`${API}/resourcePools`, `${API}/subscriptions/${subscriptionId}`];
    let sent = 0;
    const answeredBy = new Map<string, number>();
    const failures: string[] = [];
    let running = true;
    const client = async (): Promise<void> => {
      while (running) {
        const target = balancer.pick();
        if (target === undefined) {
          // Never expected (one replica is always ready); the client waits for one instead of failing.
          await realTimers.sleep(PROBE_INTERVAL_MS);
          continue;
        }
        const path = paths[sent++ % paths.length]!;
        try {
          const answer = await fetch(`${target}${path}`);
          await answer.arrayBuffer();
          if (answer.ok) answeredBy.set(target, (answeredBy.get(target) ?? 0) + 1);
          else failures.push(`${target}${path}: ${answer.status}`);
        } catch (error) {
          failures.push(`${target}${path}: ${String(error)}`);
        }
      }
    };
    const load = Promise.all([client(), client()]);

    let node = 0;
    const changes = (count: number): void => {
      for (let i = 0; i < count; i++) sim.objects.create(nodeNamed(`rolling-node-${++node}`));
    };
    const requestsSoFar = (): number => sent;
    const someRequests = async (): Promise<void> => {
      const before = requestsSoFar();
      await expect.poll(requestsSoFar, { timeout: 15_000 }).toBeGreaterThan(before + 10);
    };

    changes(3);
    await someRequests();

    /**
     * One step of the rolling upgrade: `old` gets SIGTERM and its successor starts (its process spawned while
     * `old` drains); nodes change while `old` drains and after the successor is ready.
     */
    const roll = async (old: ServeProcess): Promise<ServeProcess> => {
      const oldExit = terminate(old);
      await expect.poll(() => balancer.isReady(old.url), { timeout: 5_000 }).toBe(false);
      changes(3); // while the old replica drains
      const successor = await startReplica();
      balancer.add(successor.url);
      expect(await oldExit, old.output()).toBe(0);
      balancer.remove(old.url);
      await expect.poll(() => balancer.isReady(successor.url), { timeout: 30_000 }).toBe(true);
      changes(3);
      await someRequests();
      return successor;
    };
    const a2 = await roll(a); // A stops, A' starts
    const b2 = await roll(b); // then B stops, B' starts

    running = false;
    await load;
    await balancer.close();

    expect(failures).toEqual([]);
    // Every replica served part of the load, the new ones included.
    for (const r of [a, b, a2, b2]) expect(answeredBy.get(r.url) ?? 0, r.url).toBeGreaterThan(0);

    // Every node: exactly one notification (one POST, one notificationId, one event), a CREATE. Delivery is at
    // least once (docs/subscriptions.md), but a graceful hand-over repeats nothing: a delivery is repeated only
    // when it was cut (a crash, or the end of the grace period, which a receiver that answers at once never
    // reaches).
    const expected = Array.from({ length: node }, (_, i) => `rolling-node-${i + 1}`).sort();
    const notified = (): Map<string, { notificationId: unknown; eventId: unknown; type: unknown }[]> => {
      const byNode = new Map<string, { notificationId: unknown; eventId: unknown; type: unknown }[]>();
      for (const request of receiver.notifications) {
        for (const name of new Set(request.rawBody.match(/rolling-node-\d+\b/g) ?? [])) {
          const list = byNode.get(name) ?? [];
          list.push({
            notificationId: request.body?.['notificationId'],
            eventId: request.headers['x-netweave-event-id'],
            type: request.body?.['notificationEventType'],
          });
          byNode.set(name, list);
        }
      }
      return byNode;
    };
    await expect.poll(() => [...notified().keys()].sort(), { timeout: 30_000 }).toEqual(expected);
    for (const [name, received] of notified()) {
      expect(received, name).toHaveLength(1);
      expect(received[0]!.type, name).toBe(0);
      expect(typeof received[0]!.notificationId, name).toBe('string');
      expect(typeof received[0]!.eventId, name).toBe('string');
    }

    // The new replicas stop as cleanly.
    expect(await Promise.all([terminate(a2), terminate(b2)])).toEqual([0, 0]);
  }, 120_000);
});
