/**
 * The whole shape of docs/architecture.md standing end to end: the demo topology (simulated clusters → cluster
 * subgraphs → sharded router → REST facade) started in-process on ephemeral ports, exercised over real
 * HTTP, websockets and kubectl.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import { startScenario, type KubeObject } from '../../sim/index.ts';
import { startClusterSubgraph } from '../../subgraphs/cluster/server.ts';
import { kubectlPath } from '../../testing/kube-tools.ts';

const run = promisify(execFile);
const API = '/o2ims-infrastructureInventory/v2';

let demo: Demo;
let base: string;
let kubeconfigDir: string;

interface GraphResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

async function graphql<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphResponse<T>> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphResponse<T>;
}

async function rest<T>(path: string): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${base}${API}${path}`);
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

/** Polls `probe` until it returns a value (bounded), for effects that travel through watches. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, attempts = 100): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function simNodes(clusterId: string): KubeObject[] {
  return demo.clusters.get(clusterId)!.objects.list('v1', 'Node');
}

function poolOf(node: KubeObject, poolLabel: string): string {
  return node.metadata.labels?.[poolLabel] ?? 'default';
}

beforeAll(async () => {
  kubeconfigDir = await mkdtemp(join(tmpdir(), 'netweave-e2e-'));
  demo = await startDemo({
    port: 0,
    timeline: false,
    kubeconfigDir,
    logger: createLogger('silent'),
    gateway: {
      logLevel: 'silent',
      shards: { timeoutMs: 2_000, failureThreshold: 2, cooldownMs: 500 },
      // Every read goes to the graph: these tests change the clusters and look at the answers at once.
      inventory: { cache: { maxAgeMs: 0 } },
    },
  });
  base = demo.gateway.url;
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await rm(kubeconfigDir, { recursive: true, force: true });
});

describe('foundation, end to end', () => {
  it('REST lists exactly the union of the pools the simulated clusters hold', async () => {
    const expected = new Set<string>();
    for (const cluster of demo.scenario.clusters) {
      for (const node of simNodes(cluster.name))
        expected.add(`${cluster.name}/${poolOf(node, cluster.poolLabel)}`);
    }
    const { status, body } = await rest<Array<{ resourcePoolId: string; name: string }>>('/resourcePools');
    expect(status).toBe(200);
    expect(body).toHaveLength(expected.size);
    // Every pool's resources are exactly the nodes carrying its label in that cluster.
    let resources = 0;
    for (const pool of body) {
      const page = await rest<Array<{ resourceId: string; resourcePoolId: string }>>(
        `/resourcePools/${pool.resourcePoolId}/resources`,
      );
      expect(page.status).toBe(200);
      expect(page.body.every((r) => r.resourcePoolId === pool.resourcePoolId)).toBe(true);
      resources += page.body.length;
    }
    const nodeCount = demo.scenario.clusters.reduce((n, c) => n + simNodes(c.name).length, 0);
    expect(resources).toBe(nodeCount);
  });

  it('one GraphQL query returns pools with their resources across all clusters', async () => {
    const result = await graphql<{
      clusters: Array<{ clusterId: string; nodes: Array<{ name: string }> }>;
      resourcePools: Array<{ clusterId: string; resources: Array<{ node: { name: string } | null }> }>;
    }>(
      '{ clusters { clusterId nodes { name } } resourcePools { clusterId name resources { resourceId node { name } } } }',
    );
    expect(result.errors).toBeUndefined();
    for (const cluster of demo.scenario.clusters) {
      const expectedNames = simNodes(cluster.name)
        .map((n) => n.metadata.name)
        .sort();
      const graphCluster = result.data!.clusters.find((c) => c.clusterId === cluster.name);
      expect(graphCluster?.nodes.map((n) => n.name).sort()).toEqual(expectedNames);
      const viaPools = result
        .data!.resourcePools.filter((p) => p.clusterId === cluster.name)
        .flatMap((p) => p.resources.map((r) => r.node?.name))
        .sort();
      expect(viaPools).toEqual(expectedNames);
    }
  });

  it('a node added in the simulator appears over REST and on a graphql-ws subscription', async () => {
    const client = createClient({
      url: `${base.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
    });
    try {
      const events = client.iterate<{
        inventoryChanged: {
          clusterId: string;
          changeKind: string;
          objectKind: string;
          postObjectState: { description?: string } | null;
        };
      }>({
        query:
          'subscription { inventoryChanged(objectKinds: [RESOURCE]) { clusterId changeKind objectKind postObjectState } }',
      });
      // Give the router time to open its upstream subscriptions before the change (bounded wait).
      await new Promise((r) => setTimeout(r, 500));
      const cluster = demo.clusters.get('edge-1')!;
      const template = simNodes('edge-1')[0]!;
      const name = 'edge-1-e2e-added';
      cluster.objects.create({
        ...structuredClone(template),
        metadata: { name, labels: { ...template.metadata.labels, 'kubernetes.io/hostname': name } },
      });
      const created = await (async () => {
        for await (const event of events) {
          const change = event.data?.inventoryChanged;
          if (change?.changeKind === 'CREATE' && change.clusterId === 'edge-1') return change;
        }
        return undefined;
      })();
      expect(created?.objectKind).toBe('RESOURCE');
      const graph = await eventually(async () => {
        const r = await graphql<{ cluster: { nodes: Array<{ name: string }> } }>(
          '{ cluster(clusterId: "edge-1") { nodes { name } } }',
        );
        return r.data?.cluster.nodes.some((n) => n.name === name) ? r : undefined;
      }, 'the node in GraphQL');
      expect(graph.errors).toBeUndefined();
      const pools = await rest<Array<{ resourcePoolId: string }>>('/resourcePools');
      const found = await eventually(async () => {
        for (const pool of pools.body) {
          const page = await rest<
            Array<{ description: string; extensions: { labels?: Record<string, string> } }>
          >(`/resourcePools/${pool.resourcePoolId}/resources`);
          const match = page.body.find((r) => r.extensions.labels?.['kubernetes.io/hostname'] === name);
          if (match) return match;
        }
        return undefined;
      }, 'the node over REST');
      expect(found).toBeDefined();
    } finally {
      await client.dispose();
    }
  });

  it('streams live topology (a pod created in one cluster) through the router over graphql-ws', async () => {
    const client = createClient({
      url: `${base.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
    });
    try {
      const events = client.iterate<{
        topologyChanged: {
          clusterId: string;
          kind: string;
          eventType: string;
          name: string;
          pod: { nodeName: string | null } | null;
        };
      }>({
        query:
          'subscription { topologyChanged(kinds: [POD]) { clusterId kind eventType name pod { nodeName } } }',
      });
      const name = 'e2e-topology-pod';
      const node = simNodes('edge-2')[0]!.metadata.name;
      // Upstream subscriptions open asynchronously: create the pod, then re-label it until its event arrives (bounded).
      const cluster = demo.clusters.get('edge-2')!;
      cluster.objects.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: { nodeName: node, containers: [{ name: 'app', image: 'registry.example/app:1' }] },
      });
      const nudge = setInterval(() => {
        cluster.objects.mergePatch(
          'v1',
          'Pod',
          name,
          { metadata: { labels: { nudge: String(Date.now()) } } },
          'default',
        );
      }, 200);
      try {
        for await (const event of events) {
          const change = event.data?.topologyChanged;
          if (change?.name !== name) continue;
          expect(change).toMatchObject({ clusterId: 'edge-2', kind: 'POD', pod: { nodeName: node } });
          expect(['ADDED', 'MODIFIED']).toContain(change.eventType);
          break;
        }
      } finally {
        clearInterval(nudge);
      }
    } finally {
      await client.dispose();
    }
  });

  it('kubectl works against a simulated cluster and its changes reach the graph', async () => {
    const kubeconfig = join(kubeconfigDir, 'edge-2.kubeconfig');
    const kubectl = kubectlPath();
    const { stdout } = await run(kubectl, ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'name']);
    const nodes = stdout
      .trim()
      .split('\n')
      .map((l) => l.replace('node/', ''));
    expect(nodes.sort()).toEqual(
      simNodes('edge-2')
        .map((n) => n.metadata.name)
        .sort(),
    );
    const target = nodes[0]!;
    await run(kubectl, ['--kubeconfig', kubeconfig, 'label', 'node', target, 'netweave-e2e=labelled']);
    await eventually(async () => {
      const r = await graphql<{
        cluster: { nodes: Array<{ name: string; labels: Record<string, string> }> };
      }>('{ cluster(clusterId: "edge-2") { nodes { name labels } } }');
      const node = r.data?.cluster.nodes.find((n) => n.name === target);
      return node?.labels['netweave-e2e'] === 'labelled' ? node : undefined;
    }, 'the kubectl label in the graph');
  });

  it('answers with the other clusters and names the missing one while a cluster subgraph is down', async () => {
    const stopped = demo.subgraphs.get('edge-2')!;
    await stopped.close();
    try {
      const result = await graphql<{ resourcePools: Array<{ clusterId: string }> }>(
        '{ resourcePools { clusterId } }',
      );
      const clusters = new Set(result.data?.resourcePools.map((p) => p.clusterId));
      expect(clusters).toEqual(new Set(['edge-1', 'regional-1']));
      expect(result.errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'SHARD_UNAVAILABLE', clusterId: 'edge-2' }),
        }),
      ]);
      const { status, headers, body } = await rest<unknown[]>('/resourcePools');
      expect(status).toBe(200);
      expect(body.length).toBeGreaterThan(0);
      expect(headers.get('netweave-partial-result')).toContain('edge-2');
    } finally {
      // Bring the cluster back on a new port and re-register it, as an operator would.
      const restarted = await demo.startSubgraph('edge-2');
      await demo.gateway.registry.register({
        clusterId: 'edge-2',
        url: restarted.url,
        wsUrl: restarted.wsUrl,
      });
    }
    const healed = await eventually(async () => {
      const r = await graphql<{ resourcePools: Array<{ clusterId: string }> }>(
        '{ resourcePools { clusterId } }',
      );
      return r.errors === undefined && r.data?.resourcePools.some((p) => p.clusterId === 'edge-2')
        ? r
        : undefined;
    }, 'edge-2 back in the graph');
    expect(healed.errors).toBeUndefined();
  });

  it('exposes Prometheus metrics of the process and the notifier', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('netweave_process_cpu_user_seconds_total');
    expect(text).toContain('netweave_notifications_delivered_total');
  });

  it('a cluster registered at runtime appears without a restart', async () => {
    const sims = await startScenario({
      name: 'late',
      timeline: [],
      clusters: [{ ...demo.scenario.clusters[0]!, name: 'edge-9' }],
    });
    const subgraph = await startClusterSubgraph({
      clusterId: 'edge-9',
      oCloudId: parseGatewayConfig({}).oCloud.oCloudId,
      site: demo.scenario.clusters[0]!.site,
      poolLabel: demo.scenario.clusters[0]!.poolLabel,
      kube: { server: sims.clusters.get('edge-9')!.url },
      host: '127.0.0.1',
      port: 0,
      internalToken: demo.internalToken,
      logger: createLogger('silent'),
    });
    try {
      const response = await fetch(`${base}/netweave/v1/clusters/edge-9`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: subgraph.url, wsUrl: subgraph.wsUrl }),
      });
      expect(response.status).toBe(201);
      const result = await graphql<{ clusters: Array<{ clusterId: string }> }>('{ clusters { clusterId } }');
      expect(result.data?.clusters.map((c) => c.clusterId)).toContain('edge-9');
      const pools = await rest<Array<{ resourcePoolId: string }>>('/resourcePools');
      const lookups = await Promise.all(
        pools.body.map((p) =>
          graphql<{ resourcePool: { clusterId: string } | null }>(
            'query($id: ID!) { resourcePool(resourcePoolId: $id) { clusterId } }',
            { id: p.resourcePoolId },
          ),
        ),
      );
      expect(lookups.some((l) => l.data?.resourcePool?.clusterId === 'edge-9')).toBe(true);
    } finally {
      await demo.gateway.registry.deregister('edge-9');
      await subgraph.close();
      await sims.dispose();
    }
  });
});
