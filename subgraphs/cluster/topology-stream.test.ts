/**
 * The topology stream of one cluster (topology-stream.ts over topology-journal.ts): snapshot first, then changes
 * with cursors; resume replays exactly what was missed; an unusable cursor or a slow subscriber gets a reset
 * snapshot; namespace scoping. Informer events are fed by hand, in the order real informers emit them.
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { nodeFixture, testContext } from '../../testing/cluster-fixtures.ts';
import type { InformerEvent } from './informers.ts';
import { TopologyJournal, decodeTopologyCursor, encodeTopologyCursor } from './topology-journal.ts';
import { topologyStream, type TopologySnapshot, type TopologyUpdate } from './topology-stream.ts';

const mapping = testContext('edge-1');

/** A cluster's nodes and pods as its informer caches hold them, with the journal fed like informers feed it. */
function fakeCluster(capacity?: number) {
  const listeners = new Set<(event: InformerEvent) => void>();
  const nodes = new Map<string, V1Node>();
  const pods = new Map<string, V1Pod>();
  const journal = new TopologyJournal(
    mapping,
    {
      onEvent: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    capacity,
  );
  const emit = (event: InformerEvent): void => {
    for (const listener of listeners) listener(event);
  };
  return {
    journal,
    addNode(name: string): void {
      const node = nodeFixture({ name });
      nodes.set(name, node);
      emit({ kind: 'nodes', type: 'add', object: node });
    },
    addPod(namespace: string, name: string): void {
      const pod: V1Pod = { metadata: { namespace, name, uid: `uid-${name}` }, spec: { containers: [] } };
      pods.set(`${namespace}/${name}`, pod);
      emit({ kind: 'pods', type: 'add', object: pod });
    },
    snapshot(namespaces?: readonly string[]): TopologySnapshot {
      return {
        nodes: [...nodes.keys()].map((name) => ({
          clusterId: 'edge-1',
          name,
          uid: name,
          ready: true,
          labels: {},
          capacity: {},
          allocatable: {},
          conditions: [],
          resourceId: name,
          resourcePoolId: 'pool',
        })),
        pods: [...pods.values()]
          .filter((p) => namespaces === undefined || namespaces.includes(p.metadata!.namespace!))
          .map((p) => ({
            clusterId: 'edge-1',
            namespace: p.metadata!.namespace!,
            name: p.metadata!.name!,
            uid: p.metadata!.uid!,
            phase: 'Running',
            ready: true,
            nodeName: null,
            restarts: 0,
          })) as unknown as TopologySnapshot['pods'],
        workloads: [],
      };
    },
  };
}

type Cluster = ReturnType<typeof fakeCluster>;

function open(
  cluster: Cluster,
  options: { after?: string[]; namespaces?: string[]; maxBuffered?: number } = {},
): AsyncIterableIterator<TopologyUpdate> {
  const namespaces = options.namespaces;
  return topologyStream({
    journal: cluster.journal,
    after: options.after,
    maxBuffered: options.maxBuffered ?? 100,
    inScope: (event) =>
      event.namespace === null || namespaces === undefined || namespaces.includes(event.namespace),
    snapshot: () => cluster.snapshot(namespaces),
  });
}

async function take(stream: AsyncIterableIterator<TopologyUpdate>, count: number): Promise<TopologyUpdate[]> {
  const updates: TopologyUpdate[] = [];
  for (let i = 0; i < count; i++) {
    const next = await stream.next();
    if (next.done === true) throw new Error('stream ended');
    updates.push(next.value);
  }
  return updates;
}

const names = (update: TopologyUpdate): string[] => [
  ...(update.snapshot?.nodes.map((n) => `node/${n.name}`) ?? []),
  ...(update.snapshot?.pods.map((p) => `pod/${p.namespace}/${p.name}`) ?? []),
  ...(update.change ? [`${update.change.kind}/${update.change.name}`] : []),
];

describe('topology stream', () => {
  it('starts with a snapshot at a cursor and continues with each change after it', async () => {
    const cluster = fakeCluster();
    cluster.addNode('n1');
    const stream = open(cluster);
    // A change between subscribing and the first read is part of the snapshot, not repeated after it.
    cluster.addNode('n2');
    const [snapshot] = await take(stream, 1);
    expect(snapshot).toMatchObject({ kind: 'SNAPSHOT', reset: false, clusterId: 'edge-1' });
    expect(names(snapshot!)).toEqual(['node/n1', 'node/n2']);
    cluster.addNode('n3');
    cluster.addPod('ran', 'du-0');
    const changes = await take(stream, 2);
    expect(changes.map(names)).toEqual([['NODE/n3'], ['POD/du-0']]);
    expect(changes.map((c) => c.kind)).toEqual(['CHANGE', 'CHANGE']);
    const cursors = [snapshot!, ...changes].map((u) => decodeTopologyCursor(u.cursor)!.seq);
    expect(cursors).toEqual([2, 3, 4]);
    await stream.return!();
  });

  it('resumes after a cursor with exactly the changes made meanwhile, without a snapshot', async () => {
    const cluster = fakeCluster();
    const first = open(cluster);
    const [snapshot] = await take(first, 1);
    cluster.addNode('n1');
    const [seen] = await take(first, 1);
    await first.return!();
    cluster.addNode('while-away');
    cluster.addPod('ran', 'cu-0');
    const resumed = open(cluster, { after: [seen!.cursor] });
    cluster.addNode('after-resume');
    const updates = await take(resumed, 3);
    expect(updates.map(names)).toEqual([['NODE/while-away'], ['POD/cu-0'], ['NODE/after-resume']]);
    expect(snapshot!.kind).toBe('SNAPSHOT');
    await resumed.return!();
  });

  it('answers a cursor it cannot resume from (too old, another epoch) with a reset snapshot', async () => {
    const cluster = fakeCluster(2);
    const first = open(cluster);
    const [snapshot] = await take(first, 1);
    await first.return!();
    // The journal keeps at least 2 changes, at most 4: 6 changes push the snapshot's position out.
    for (let i = 0; i < 6; i++) cluster.addNode(`n${i}`);
    const tooOld = open(cluster, { after: [snapshot!.cursor] });
    const [reset] = await take(tooOld, 1);
    expect(reset).toMatchObject({ kind: 'SNAPSHOT', reset: true });
    expect(reset!.snapshot!.nodes).toHaveLength(6);
    await tooOld.return!();

    const restarted = encodeTopologyCursor({ clusterId: 'edge-1', epoch: 'gone', seq: 1 });
    const other = open(cluster, { after: [restarted] });
    expect((await take(other, 1))[0]).toMatchObject({ kind: 'SNAPSHOT', reset: true });
    await other.return!();
  });

  it('ignores other clusters’ cursors and refuses a string that is no cursor', async () => {
    const cluster = fakeCluster();
    const elsewhere = encodeTopologyCursor({ clusterId: 'edge-9', epoch: 'x', seq: 4 });
    const stream = open(cluster, { after: [elsewhere] });
    expect((await take(stream, 1))[0]).toMatchObject({ kind: 'SNAPSHOT', reset: false });
    await stream.return!();
    expect(() => open(cluster, { after: ['not-a-cursor'] })).toThrow(/not a topology cursor/);
  });

  it('gives a subscriber that falls behind a reset snapshot instead of an unbounded backlog', async () => {
    const cluster = fakeCluster();
    const stream = open(cluster, { maxBuffered: 3 });
    await take(stream, 1);
    for (let i = 0; i < 10; i++) cluster.addNode(`burst-${i}`);
    const [reset] = await take(stream, 1);
    expect(reset).toMatchObject({ kind: 'SNAPSHOT', reset: true });
    expect(reset!.snapshot!.nodes).toHaveLength(10);
    cluster.addNode('later');
    expect(names((await take(stream, 1))[0]!)).toEqual(['NODE/later']);
    await stream.return!();
  });

  it('scopes pods by namespace; nodes are always in scope', async () => {
    const cluster = fakeCluster();
    cluster.addPod('ran', 'du-0');
    cluster.addPod('other', 'x');
    const stream = open(cluster, { namespaces: ['ran'] });
    expect(names((await take(stream, 1))[0]!)).toEqual(['pod/ran/du-0']);
    cluster.addPod('other', 'y');
    cluster.addNode('n1');
    cluster.addPod('ran', 'du-1');
    expect((await take(stream, 2)).map(names)).toEqual([['NODE/n1'], ['POD/du-1']]);
    await stream.return!();
  });
});
