/**
 * One event pipeline, end to end on loopback: a simulated cluster → its cluster subgraph → the event publisher
 * → the global event log → (a) the gateway's O2 subscriptions and notifier → a real webhook receiver, and
 * (b) the hub's resumable `inventoryChanged` through the router over graphql-ws.
 */
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startGateway } from '../../cli/gateway.ts';
import type { GatewayProcess } from '../../cli/gateway.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { INVENTORY_EVENT_LOG } from '../../o2/events.ts';
import { createLogger } from '../../common/log.ts';
import { verifySignature } from '../../notifier/signature.ts';
import {
  OWN_INVENTORY_DOCUMENT,
  OpenApiContract,
  REFERENCE_COMMON_DOCUMENT,
  REFERENCE_INVENTORY_DOCUMENT,
  REFERENCE_SKIP_NOTE,
  referenceSpecsAvailable,
} from '../../testing/openapi-contract.ts';
import { loadScenario, startScenario } from '../../sim/index.ts';
import type { KubeObject, SimCluster } from '../../sim/index.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { MemoryStore } from '../../state/memory-store.ts';
import { clusterInventorySource, startEventPublisher } from '../../subgraphs/cluster/event-publisher.ts';
import type { EventPublisher } from '../../subgraphs/cluster/event-publisher.ts';
import { startClusterSubgraph } from '../../subgraphs/cluster/server.ts';
import type { ClusterSubgraph } from '../../subgraphs/cluster/server.ts';
import { startWebhookReceiver } from '../../testing/webhook-receiver.ts';
import type { ReceivedRequest, WebhookReceiver } from '../../testing/webhook-receiver.ts';

const SCENARIO = fileURLToPath(new URL('../../sim/scenarios/minimal.yaml', import.meta.url));
const SECRET = 'e2e-signing-secret-with-more-than-32-chars';
const API = '/o2ims-infrastructureInventory/v2';

let sims: { clusters: Map<string, SimCluster>; dispose(): Promise<void> };
let sim: SimCluster;
let subgraph: ClusterSubgraph;
let store: MemoryStore;
let publisher: EventPublisher;
let gateway: GatewayProcess;
let receiver: WebhookReceiver;

const own = new OpenApiContract([OWN_INVENTORY_DOCUMENT]);
const reference = referenceSpecsAvailable
  ? new OpenApiContract([REFERENCE_INVENTORY_DOCUMENT, REFERENCE_COMMON_DOCUMENT])
  : undefined;

interface InventoryEventView {
  cursor: string;
  eventId: string;
  clusterId: string;
  changeKind: string;
  objectKind: string;
  objectId: string;
  postObjectState: Record<string, unknown> | null;
}

interface StreamResult {
  data?: { inventoryChanged: InventoryEventView } | null;
  errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

const EVENT_FIELDS = 'cursor eventId clusterId changeKind objectKind objectId postObjectState';

/** Collects a subscription's results as they arrive, with a bounded wait for a condition. */
function collect(
  client: Client,
  query: string,
): { results: StreamResult[]; until: (n: number, what: string) => Promise<void> } {
  const results: StreamResult[] = [];
  const waiters = new Set<() => void>();
  client.subscribe<StreamResult['data']>(
    { query },
    {
      next: (value) => {
        results.push(value as StreamResult);
        for (const wake of [...waiters]) wake();
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  const until = (n: number, what: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (results.length < n) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what} (have ${results.length})`));
      }, 20_000);
      waiters.add(check);
      check();
    });
  return { results, until };
}

function wsClient(): Client {
  return createClient({
    url: `${gateway.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
  });
}

function nodeNamed(name: string): KubeObject {
  const template = sim.objects.list('v1', 'Node')[0]!;
  const copy = structuredClone(template);
  return {
    ...copy,
    metadata: {
      name,
      labels: { ...copy.metadata.labels, 'kubernetes.io/hostname': name },
      annotations: copy.metadata.annotations ?? {},
    },
  };
}

function resourceNotifications(requests: readonly ReceivedRequest[], hostname: string): ReceivedRequest[] {
  return requests.filter((r) => {
    const body = r.body;
    const state = (body?.['postObjectState'] ?? body?.['priorObjectState']) as
      { extensions?: { labels?: Record<string, string> } } | undefined;
    return (
      String(body?.['objectRef']).includes('/resources/') &&
      state?.extensions?.labels?.['kubernetes.io/hostname'] === hostname
    );
  });
}

beforeAll(async () => {
  const scenario = loadScenario(SCENARIO);
  const cluster = scenario.clusters[0]!;
  sims = await startScenario({ ...scenario, timeline: [] });
  sim = sims.clusters.get(cluster.name)!;
  const logger = createLogger('silent');
  const config = parseGatewayConfig({
    listen: { host: '127.0.0.1', port: 0 },
    logLevel: 'silent',
    subscriptions: {
      probe: { enabled: true, timeoutMs: 2_000 },
      callbacks: { requireHttps: false, allowLoopback: true },
      delivery: { signingSecret: SECRET, initialBackoffMs: 20, maxBackoffMs: 200, leaseTtlMs: 1_500 },
    },
  });
  subgraph = await startClusterSubgraph({
    clusterId: cluster.name,
    oCloudId: config.oCloud.oCloudId,
    site: cluster.site,
    poolLabel: cluster.poolLabel,
    kube: { server: sim.url },
    logger,
  });
  store = createMemoryStore();
  publisher = startEventPublisher({
    clusterId: cluster.name,
    source: clusterInventorySource(subgraph.inventory, subgraph.informers),
    store,
    logger,
  });
  await publisher.ready;
  gateway = await startGateway(
    { ...config, clusters: [{ clusterId: subgraph.clusterId, url: subgraph.url, wsUrl: subgraph.wsUrl }] },
    { store, logger },
  );
  receiver = await startWebhookReceiver();
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  await gateway?.close();
  await publisher?.dispose();
  await subgraph?.close();
  await store?.dispose();
  await sims?.dispose();
});

describe('event pipeline, end to end', () => {
  it('a subscriber gets CREATE, MODIFY, DELETE for a node added, relabelled and removed in the simulator', async () => {
    const created = await fetch(`${gateway.url}${API}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        callback: receiver.url,
        consumerSubscriptionId: '0f8a4f4e-2c1b-4d7e-9a55-0b6b0c1d2e3f',
      }),
    });
    expect(created.status).toBe(201);
    // The probe reached the receiver first.
    expect(receiver.requests.map((r) => r.method)).toEqual(['GET']);

    const name = 'edge-min-node-e2e';
    sim.objects.create(nodeNamed(name));
    await receiver.waitFor((n) => resourceNotifications(n, name).length >= 1, 'the CREATE');
    sim.objects.mergePatch('v1', 'Node', name, { metadata: { labels: { 'netweave-e2e': 'relabelled' } } });
    await receiver.waitFor((n) => resourceNotifications(n, name).length >= 2, 'the MODIFY');
    sim.objects.delete('v1', 'Node', name);
    await receiver.waitFor((n) => resourceNotifications(n, name).length >= 3, 'the DELETE');

    const mine = resourceNotifications(receiver.notifications, name);
    expect(mine.map((n) => n.body?.['notificationEventType'])).toEqual([0, 1, 2]);
    const [create, modify] = mine.map((n) => n.body!);
    const labels = (state: unknown): Record<string, string> =>
      (state as { extensions: { labels: Record<string, string> } }).extensions.labels;
    expect(labels(modify!['priorObjectState'])).not.toHaveProperty('netweave-e2e');
    expect(labels(modify!['postObjectState'])['netweave-e2e']).toBe('relabelled');
    expect(String(create!['objectRef']).startsWith(`${gateway.url}${API}/resourcePools/`)).toBe(true);
    for (const notification of receiver.notifications) {
      expect(own.errors('/components/schemas/InventoryChangeNotification', notification.body)).toEqual([]);
      expect(
        verifySignature(String(notification.headers['x-netweave-signature']), notification.rawBody, SECRET),
      ).toBe(true);
    }
    // Every notification id is unique (no retries happened against this healthy receiver).
    expect(new Set(receiver.notifications.map((n) => n.body?.['notificationId'])).size).toBe(
      receiver.notifications.length,
    );
  });

  it.skipIf(!referenceSpecsAvailable)(
    `the notifications also satisfy the reference InventoryChangeNotification${REFERENCE_SKIP_NOTE}`,
    () => {
      expect(receiver.notifications.length).toBeGreaterThan(0);
      for (const notification of receiver.notifications) {
        expect(
          reference!.errors('/components/schemas/InventoryChangeNotification', notification.body),
        ).toEqual([]);
      }
    },
  );

  it('a notified object state is exactly what REST returns for the object', async () => {
    const name = 'edge-min-node-rest';
    sim.objects.create(nodeNamed(name));
    await receiver.waitFor((n) => resourceNotifications(n, name).length >= 1, 'the CREATE');
    const create = resourceNotifications(receiver.notifications, name)[0]!.body!;
    const response = await fetch(String(create['objectRef']));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(create['postObjectState']);
    sim.objects.delete('v1', 'Node', name);
    await receiver.waitFor((n) => resourceNotifications(n, name).length >= 2, 'the DELETE');
  });

  it('a graphql-ws client through the router resumes with its cursor without gap or duplicate', async () => {
    const first = wsClient();
    // Start at the current end of the log, so the test does not depend on when the router opens the stream.
    const now = (await store.eventLog(INVENTORY_EVENT_LOG).latestCursor()) ?? '0';
    const live = collect(
      first,
      `subscription { inventoryChanged(after: "${now}", objectKinds: [RESOURCE]) { ${EVENT_FIELDS} } }`,
    );
    const name = 'edge-min-node-ws';
    sim.objects.create(nodeNamed(name));
    await live.until(1, 'the CREATE over graphql-ws');
    const seen = live.results[0]!.data!.inventoryChanged;
    expect(seen).toMatchObject({ changeKind: 'CREATE', objectKind: 'RESOURCE', clusterId: sim.name });
    await first.dispose();

    // Changes while the client is away.
    sim.objects.mergePatch('v1', 'Node', name, { metadata: { labels: { away: 'yes' } } });
    sim.objects.mergePatch('v1', 'Node', name, { metadata: { labels: { away: 'still' } } });
    await receiver.waitFor(
      (n) => resourceNotifications(n, name).length >= 3,
      'the changes while away to be published',
    );

    const second = wsClient();
    const resumed = collect(
      second,
      `subscription { inventoryChanged(after: "${seen.cursor}", objectKinds: [RESOURCE]) { ${EVENT_FIELDS} } }`,
    );
    await resumed.until(2, 'the missed events');
    sim.objects.delete('v1', 'Node', name);
    await resumed.until(3, 'the live DELETE');
    const events = resumed.results.map((r) => r.data!.inventoryChanged);
    expect(resumed.results.every((r) => r.errors === undefined)).toBe(true);
    expect(events.map((e) => e.changeKind)).toEqual(['MODIFY', 'MODIFY', 'DELETE']);
    expect(events.every((e) => e.objectId === seen.objectId)).toBe(true);
    expect(new Set([seen, ...events].map((e) => e.eventId)).size).toBe(4);
    // The same events, in the same order, as the webhook subscriber got.
    await receiver.waitFor((n) => resourceNotifications(n, name).length >= 4, 'the DELETE at the webhook');
    expect(
      resourceNotifications(receiver.notifications, name).map((n) => n.headers['x-netweave-event-id']),
    ).toEqual([seen, ...events].map((e) => e.eventId));
    await second.dispose();
  });

  it('a cursor older than the retention gives CURSOR_EXPIRED through the router, then the retained events', async () => {
    const client = wsClient();
    const stream = collect(client, `subscription { inventoryChanged(after: "1-0") { ${EVENT_FIELDS} } }`);
    await stream.until(2, 'the error and the oldest event');
    expect(stream.results[0]!.errors?.[0]?.extensions?.['code']).toBe('CURSOR_EXPIRED');
    expect(stream.results[1]!.data?.inventoryChanged.eventId).toEqual(expect.any(String));
    await client.dispose();
  });
});
