/**
 * `Subscription.topology` end to end (docs/graphql.md "Topology stream"): real graphql-ws clients through the
 * router to the cluster subgraphs of the demo's simulated clusters, changed with kubectl. A view gets one
 * snapshot per cluster, disconnects, a node is added meanwhile, and the view resumes with its cursors: the node
 * arrives as a change, without a snapshot. Also: `pod { workload }` on changes, reset snapshots for cursors a
 * cluster cannot resume from, cluster and namespace scoping, and one BAD_USER_INPUT for a malformed cursor.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import { encodeTopologyCursor } from '../../subgraphs/cluster/topology-journal.ts';
import { kubectlCreateNode, kubectlPath } from '../../testing/kube-tools.ts';

const run = promisify(execFile);

const TOPOLOGY = /* GraphQL */ `
  subscription Topology($clusters: [ID!], $namespaces: [String!], $after: [String!]) {
    topology(clusters: $clusters, namespaces: $namespaces, after: $after) {
      clusterId
      kind
      cursor
      reset
      snapshot {
        nodes {
          name
        }
        pods {
          namespace
          name
          workload {
            kind
            name
          }
        }
        workloads {
          kind
          namespace
          name
        }
      }
      change {
        kind
        eventType
        namespace
        name
        pod {
          name
          workload {
            kind
            name
          }
        }
      }
    }
  }
`;

interface Update {
  clusterId: string;
  kind: 'SNAPSHOT' | 'CHANGE';
  cursor: string;
  reset: boolean;
  snapshot: {
    nodes: Array<{ name: string }>;
    pods: Array<{ namespace: string; name: string; workload: { kind: string; name: string } | null }>;
    workloads: Array<{ kind: string; namespace: string; name: string }>;
  } | null;
  change: {
    kind: string;
    eventType: string;
    namespace: string | null;
    name: string;
    pod: { name: string; workload: { kind: string; name: string } | null } | null;
  } | null;
}

interface Message {
  data?: { topology: Update } | null;
  errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

let demo: Demo;
let kubeconfigDir: string;
const clients: Client[] = [];

/** One subscription read in order; every wait is bounded (no timing assertion). */
function subscribe(variables: Record<string, unknown>) {
  const client = createClient({
    url: `${demo.gateway.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: false,
  });
  clients.push(client);
  const messages = client.iterate({ query: TOPOLOGY, variables }) as AsyncIterableIterator<Message>;
  return {
    client,
    async next(): Promise<Message | undefined> {
      const next = await Promise.race([
        messages.next(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('no update within 30 s')), 30_000).unref(),
        ),
      ]);
      return next.done === true ? undefined : next.value;
    },
    /** Reads updates until `match`; returns it and everything read before it. */
    async until(match: (u: Update) => boolean): Promise<{ found: Update; before: Update[] }> {
      const before: Update[] = [];
      for (;;) {
        const message = await this.next();
        if (message === undefined) throw new Error('the subscription ended');
        const update = message.data?.topology;
        if (update === undefined) throw new Error(`an error: ${JSON.stringify(message.errors)}`);
        if (match(update)) return { found: update, before };
        before.push(update);
      }
    },
    close: () => client.dispose(),
  };
}

async function kubectl(clusterId: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(kubectlPath(), [
    '--kubeconfig',
    join(kubeconfigDir, `${clusterId}.kubeconfig`),
    ...args,
  ]);
  return stdout;
}

function addNode(clusterId: string, name: string): Promise<void> {
  return kubectlCreateNode(join(kubeconfigDir, `${clusterId}.kubeconfig`), name, kubeconfigDir);
}

beforeAll(async () => {
  kubeconfigDir = await mkdtemp(join(tmpdir(), 'netweave-topology-'));
  demo = await startDemo({
    port: 0,
    timeline: false,
    kubeconfigDir,
    logger: createLogger('silent'),
    gateway: { logLevel: 'silent' },
  });
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.dispose()));
  await demo?.close();
  await rm(kubeconfigDir, { recursive: true, force: true });
});

describe('topology stream through the router', () => {
  const clusterIds = (): string[] => demo.scenario.clusters.map((c) => c.name).sort();

  it('snapshots every cluster, and a view that resumes with its cursors gets the node added while away', async () => {
    const first = subscribe({});
    const cursors = new Map<string, string>();
    const snapshots = new Map<string, Update>();
    while (snapshots.size < clusterIds().length) {
      const { found } = await first.until((u) => u.kind === 'SNAPSHOT');
      snapshots.set(found.clusterId, found);
      cursors.set(found.clusterId, found.cursor);
    }
    expect([...snapshots.keys()].sort()).toEqual(clusterIds());
    for (const [clusterId, snapshot] of snapshots) {
      expect(snapshot.reset).toBe(false);
      const simNodes = demo.clusters.get(clusterId)!.objects.list('v1', 'Node');
      expect(snapshot.snapshot!.nodes.map((n) => n.name).sort()).toEqual(
        simNodes.map((n) => n.metadata.name).sort(),
      );
      // Pods name their workloads (Deployment through its ReplicaSet, DaemonSet directly).
      expect(snapshot.snapshot!.pods.some((p) => p.workload?.kind === 'Deployment')).toBe(true);
    }
    await first.close();

    // Away: kubectl adds a node; the graph has it before the view comes back.
    const name = 'edge-1-topology-away';
    await addNode('edge-1', name);
    const resumed = subscribe({ after: [...cursors.values()] });
    const { found, before } = await resumed.until((u) => u.change?.name === name);
    expect(found).toMatchObject({
      clusterId: 'edge-1',
      kind: 'CHANGE',
      change: { kind: 'NODE', eventType: 'ADDED' },
    });
    // Resumed: no snapshot of any cluster, only the changes made meanwhile.
    expect(before.filter((u) => u.kind === 'SNAPSHOT')).toEqual([]);

    // Live after the resume: a Deployment's pods arrive with their workload.
    await kubectl('edge-2', 'create', 'deployment', 'topology-e2e', '--image=registry.example/app:1');
    const pod = await resumed.until((u) => u.change?.kind === 'POD' && u.clusterId === 'edge-2');
    expect(pod.found.change!.pod!.workload).toEqual({ kind: 'Deployment', name: 'topology-e2e' });
    await resumed.close();
  }, 120_000);

  it('answers a cursor the cluster cannot resume from with a reset snapshot, scoped to the clusters and namespaces asked', async () => {
    const stale = encodeTopologyCursor({ clusterId: 'edge-1', epoch: 'restarted', seq: 7 });
    const view = subscribe({ clusters: ['edge-1'], namespaces: ['kube-system'], after: [stale] });
    const { found: snapshot, before } = await view.until((u) => u.kind === 'SNAPSHOT');
    expect(before).toEqual([]);
    expect(snapshot).toMatchObject({ clusterId: 'edge-1', reset: true });
    expect(snapshot.snapshot!.pods.length).toBeGreaterThan(0);
    expect(new Set(snapshot.snapshot!.pods.map((p) => p.namespace))).toEqual(new Set(['kube-system']));
    expect(new Set(snapshot.snapshot!.workloads.map((w) => w.namespace))).toEqual(new Set(['kube-system']));

    // Another cluster's node, then this cluster's: only this cluster's reaches the view.
    await addNode('edge-2', 'edge-2-topology-scoped');
    await addNode('edge-1', 'edge-1-topology-scoped');
    const { before: between } = await view.until((u) => u.change?.name === 'edge-1-topology-scoped');
    expect(between.filter((u) => u.clusterId !== 'edge-1')).toEqual([]);
    await view.close();
  }, 120_000);

  it('refuses a malformed cursor once with BAD_USER_INPUT and ends the subscription', async () => {
    const view = subscribe({ after: ['not-a-cursor'] });
    const message = await view.next();
    expect(message?.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    expect(await view.next()).toBeUndefined();
    await view.close();
  }, 60_000);
});
