/**
 * The cluster subgraph against the Kubernetes API simulator over real loopback sockets: the unmodified
 * client-node informers, Apollo Server over HTTP and graphql-ws. Waits are bounded polls, never sleeps
 * followed by assertions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from 'graphql-ws';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { clusterScopedId } from '../../o2/ids.ts';
import {
  type ClusterScenario,
  type KubeObject,
  type SimCluster,
  loadScenario,
  startSimCluster,
} from '../../sim/index.ts';
import { encodedCaller } from '../../testing/cluster-fixtures.ts';
import { type ClusterSubgraph, startClusterSubgraph } from './server.ts';

const TOKEN = 'internal-token-for-tests-0123456789';
const O_CLOUD_ID = '0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a60';

let scenario: ClusterScenario;
let sim: SimCluster;
let subgraph: ClusterSubgraph;
let dir: string;

interface GraphResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function query<T>(
  text: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphResponse<T> & { status: number }> {
  const response = await fetch(subgraph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
    body: JSON.stringify({ query: text, variables }),
  });
  return { status: response.status, ...((await response.json()) as GraphResponse<T>) };
}

/** Waits (bounded, vi.waitFor) until `probe` returns a value. */
async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error(`timed out waiting for ${what}`);
      return value;
    },
    { timeout: 7_500, interval: 50 },
  );
}

function simNodes(): KubeObject[] {
  return sim.objects.list('v1', 'Node');
}

/** A copy of a scenario node under a new name (the simulator assigns uid and resourceVersion). */
function newNode(name: string): KubeObject {
  const template = structuredClone(simNodes()[0]!);
  return {
    ...template,
    metadata: {
      name,
      labels: { ...template.metadata.labels, 'kubernetes.io/hostname': name },
      annotations: { 'netweave.io/serial-number': `SN-${name}` },
    },
  };
}

async function nodeNamesInGraph(): Promise<string[]> {
  const result = await query<{ resources: { extensions: { nodeName: string } }[] }>(
    '{ resources { extensions } }',
  );
  return (result.data?.resources ?? []).map((r) => r.extensions.nodeName).sort();
}

beforeAll(async () => {
  const loaded = await loadScenario('minimal');
  scenario = loaded.clusters[0]!;
  sim = await startSimCluster({
    name: scenario.name,
    objects: scenario.objects,
    kubernetesVersion: scenario.kubernetesVersion,
  });
  dir = await mkdtemp(join(tmpdir(), 'netweave-cluster-subgraph-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfigPath);
  subgraph = await startClusterSubgraph({
    clusterId: scenario.name,
    oCloudId: O_CLOUD_ID,
    site: scenario.site,
    poolLabel: scenario.poolLabel,
    kube: { kubeconfigPath },
    internalToken: TOKEN,
    logger: pino({ level: 'silent' }),
    supervision: {
      backoff: { initialDelayMs: 20, maxDelayMs: 200, multiplier: 2, jitter: 0.5 },
      healthyAfterMs: 200,
    },
  });
});

afterAll(async () => {
  await subgraph?.close();
  await sim?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('cluster subgraph on the simulator', () => {
  it('serves the simulated nodes as O2 resources grouped into pools', async () => {
    const nodes = simNodes();
    expect(await nodeNamesInGraph()).toEqual(nodes.map((n) => n.metadata.name).sort());
    const result = await query<{
      resourcePools: {
        name: string;
        resources: { resourceId: string; elements: { resourceId: string }[] }[];
      }[];
      deploymentManagers: { serviceUri: string; capabilities: { kubernetesVersion: string | null } }[];
    }>(
      '{ resourcePools { name resources { resourceId elements { resourceId } } } deploymentManagers { serviceUri capabilities } }',
    );
    expect(result.errors).toBeUndefined();
    const poolNames = new Set(nodes.map((n) => n.metadata.labels?.[scenario.poolLabel] ?? 'default'));
    expect(result.data!.resourcePools.map((p) => p.name).sort()).toEqual([...poolNames].sort());
    for (const pool of result.data!.resourcePools) {
      for (const resource of pool.resources) expect(resource.elements.length).toBeGreaterThan(0);
    }
    expect(result.data!.deploymentManagers[0]!.serviceUri).toBe(sim.url);
    await eventually(async () => {
      const dm = await query<{
        deploymentManagers: { capabilities: { kubernetesVersion: string | null } }[];
      }>('{ deploymentManagers { capabilities } }');
      return dm.data?.deploymentManagers[0]?.capabilities.kubernetesVersion === scenario.kubernetesVersion
        ? true
        : undefined;
    }, 'the Kubernetes version');
  });

  it('answers /healthz once the cluster is listed', async () => {
    const response = await fetch(subgraph.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', clusterId: scenario.name, synced: true });
  });

  it('resolves _entities of this cluster and null for another cluster', async () => {
    const resources = await query<{ resources: { resourceId: string }[] }>('{ resources { resourceId } }');
    const resourceId = resources.data!.resources[0]!.resourceId;
    const result = await query<{ _entities: ({ resourceId: string } | null)[] }>(
      'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Resource { resourceId } } }',
      {
        reps: [
          { __typename: 'Resource', clusterId: scenario.name, resourceId },
          { __typename: 'Resource', clusterId: 'another-cluster', resourceId },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([{ resourceId }, null]);
  });

  it('shows a node added in the simulator, and a graphql-ws subscriber receives its CREATE', async () => {
    const client: Client = createClient({
      url: subgraph.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${TOKEN}` },
      retryAttempts: 0,
    });
    try {
      const events = client.iterate<{
        liveInventoryChanged: {
          changeKind: string;
          objectKind: string;
          objectId: string;
          postObjectState: { extensions: { nodeName: string } } | null;
        };
      }>({
        query:
          'subscription { liveInventoryChanged(objectKinds: [RESOURCE]) { changeKind objectKind objectId postObjectState } }',
      });
      // The subscription is live once it reports a change: touch a label until one arrives.
      const probeNode = simNodes()[0]!.metadata.name;
      let probes = 0;
      const probe = setInterval(() => {
        sim.objects.mergePatch('v1', 'Node', probeNode, {
          metadata: { labels: { 'netweave.io/probe': String(++probes) } },
        });
      }, 50);
      let first;
      try {
        first = await events.next();
      } finally {
        clearInterval(probe);
      }
      expect(first.value?.data?.liveInventoryChanged).toMatchObject({
        changeKind: 'MODIFY',
        objectKind: 'RESOURCE',
      });

      const created = sim.objects.create(newNode('added-node-1'));
      for (;;) {
        const next = await events.next();
        if (next.done === true) throw new Error('subscription ended');
        const change = next.value.data?.liveInventoryChanged;
        if (change?.changeKind !== 'CREATE') continue;
        expect(change.postObjectState?.extensions.nodeName).toBe('added-node-1');
        expect(change.objectId).toBe(clusterScopedId(scenario.name, 'resource', created.metadata.uid!));
        break;
      }
      await events.return?.();
      expect(await nodeNamesInGraph()).toContain('added-node-1');
    } finally {
      await client.dispose();
    }
  });

  it('recovers from an API server outage and converges on what changed meanwhile', async () => {
    const restartsBefore = subgraph.informers.health().restarts;
    sim.setFault('unavailable');
    await eventually(() => (subgraph.informers.health().connected ? undefined : true), 'the watches to drop');
    // Changes the subgraph cannot see while the API server is down for clients.
    const doomed = simNodes().find((n) => n.metadata.name !== 'added-node-1')!.metadata.name;
    sim.objects.delete('v1', 'Node', doomed);
    sim.objects.create(newNode('added-during-outage'));
    sim.setFault('none');
    const expected = simNodes()
      .map((n) => n.metadata.name)
      .sort();
    await eventually(async () => {
      const names = await nodeNamesInGraph();
      return JSON.stringify(names) === JSON.stringify(expected) ? names : undefined;
    }, 'the inventory to converge after the outage');
    const health = await eventually(() => {
      const h = subgraph.informers.health();
      return h.connected ? h : undefined;
    }, 'the watches to reconnect');
    expect(health.restarts).toBeGreaterThan(restartsBefore);
    expect(health.lastError).not.toBeNull();
  });

  it('answers malformed requests with BAD_USER_INPUT in the GraphQL error shape', async () => {
    const unparsable = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: '{not json',
    });
    expect(unparsable.status).toBe(400);
    expect(((await unparsable.json()) as GraphResponse<unknown>).errors?.[0]?.extensions?.['code']).toBe(
      'BAD_USER_INPUT',
    );
    const invalid = await query('{ noSuchField }');
    expect(invalid.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      graphqlCode: 'GRAPHQL_VALIDATION_FAILED',
    });
  });

  it('enforces the internal token on HTTP and websockets and takes the caller context from the router', async () => {
    const anonymous = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ clusters { clusterId } }' }),
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as GraphResponse<unknown>).errors?.[0]?.extensions?.['code']).toBe(
      'UNAUTHENTICATED',
    );
    const wrong = await query('{ clusters { clusterId } }', {}, { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);

    const withCaller = await query<{ clusters: { clusterId: string }[] }>(
      '{ clusters { clusterId } }',
      {},
      {
        'x-netweave-auth': encodedCaller({ principal: 'alice', requestId: 'req-42' }),
      },
    );
    expect(withCaller.data?.clusters).toEqual([{ clusterId: scenario.name }]);
    const malformed = await query('{ clusters { clusterId } }', {}, { 'x-netweave-auth': 'not json' });
    expect(malformed.status).toBe(400);

    let rejected: Client | undefined;
    const closeCode = await new Promise<number>((resolve) => {
      rejected = createClient({
        url: subgraph.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: 'Bearer not-the-token' },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
    });
    await rejected?.dispose();
    expect(closeCode).toBe(4401);
  });
});
