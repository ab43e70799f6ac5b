import { afterEach, describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../store/object-store.ts';
import type { KubeObject } from '../types.ts';
import { CRASH_LOOP_ANNOTATION, READY_ANNOTATION } from './kubelet.ts';
import { startWorkloadControllers } from './workload-controllers.ts';

type Json = Record<string, unknown>;
interface PodView {
  name: string;
  node: string | undefined;
  phase: string;
  ready: boolean;
  owner: string | undefined;
  labels: Record<string, string>;
  podIP: string | undefined;
  scheduled: Json | undefined;
}

let nodeCount = 0;

function node(
  name: string,
  labels: Record<string, string> = {},
  allocatable: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: { podCIDR: `10.244.${++nodeCount}.0/24` },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: `10.0.0.${nodeCount}` }],
      allocatable: { cpu: '4', memory: '8Gi', pods: '110', ...allocatable },
    },
  };
}

function template(
  labels: Record<string, string>,
  extra: Json = {},
  annotations?: Record<string, string>,
): Json {
  return {
    metadata: { labels, ...(annotations === undefined ? {} : { annotations }) },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], ...extra },
  };
}

function deployment(name: string, replicas: number, tpl: Json = template({ app: name })): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: tpl },
  };
}

describe('workload controllers', () => {
  let stop: (() => void) | undefined;
  let store: MemoryObjectStore;

  function setup(nodes: KubeObject[], crashLoopRestartMs?: number): void {
    store = new MemoryObjectStore();
    store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    for (const n of nodes) store.create(n);
    stop = startWorkloadControllers(store, {
      podStartDelayMs: 0,
      ...(crashLoopRestartMs === undefined ? {} : { crashLoopRestartMs }),
    });
  }

  afterEach(() => stop?.());

  const pods = (selector?: string): PodView[] =>
    store
      .list('v1', 'Pod', {
        namespace: 'default',
        ...(selector === undefined ? {} : { labelSelector: selector }),
      })
      .map((p) => {
        const status = p['status'] as Json;
        const conditions = (status['conditions'] as Json[] | undefined) ?? [];
        return {
          name: p.metadata.name,
          node: (p['spec'] as Json)['nodeName'] as string | undefined,
          phase: status['phase'] as string,
          ready: conditions.some((c) => c['type'] === 'Ready' && c['status'] === 'True'),
          owner: p.metadata.ownerReferences
            ?.filter((r) => r.controller === true)
            .map((r) => `${r.kind}/${r.name}`)[0],
          labels: p.metadata.labels ?? {},
          podIP: status['podIP'] as string | undefined,
          scheduled: conditions.find((c) => c['type'] === 'PodScheduled'),
        };
      });
  const status = (kind: string, name: string): Json =>
    (store.get('apps/v1', kind, name, 'default')?.['status'] as Json | undefined) ?? {};
  const replicaSets = (): Array<{
    name: string;
    replicas: unknown;
    owner: string | undefined;
    revision: string | undefined;
  }> =>
    store.list('apps/v1', 'ReplicaSet', { namespace: 'default' }).map((rs) => ({
      name: rs.metadata.name,
      replicas: (rs['spec'] as Json)['replicas'],
      owner: rs.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}/${r.uid}`)[0],
      revision: rs.metadata.annotations?.['deployment.kubernetes.io/revision'],
    }));

  it('gives a Deployment a ReplicaSet with pod-template-hash and ready pods owned by it, scaling both ways', async () => {
    setup([node('a'), node('b')]);
    const created = store.create(deployment('web', 3));
    await expect
      .poll(() => status('Deployment', 'web')['readyReplicas'] === 3, {
        timeout: 10_000,
        message: '3 ready replicas',
      })
      .toBeTruthy();
    const [rs] = replicaSets();
    expect(replicaSets()).toHaveLength(1);
    const hash = rs!.name.slice('web-'.length);
    expect(rs).toMatchObject({ replicas: 3, owner: `Deployment/web/${created.metadata.uid}`, revision: '1' });
    const list = pods();
    expect(list).toHaveLength(3);
    for (const pod of list) {
      expect(pod.name).toMatch(new RegExp(`^${rs!.name}-[a-z0-9]{5}$`));
      expect(pod).toMatchObject({ owner: `ReplicaSet/${rs!.name}`, phase: 'Running', ready: true });
      expect(pod.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(pod.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    }
    // Replicas spread over both nodes, each pod with its own address.
    expect(new Set(list.map((p) => p.node))).toEqual(new Set(['a', 'b']));
    expect(new Set(list.map((p) => p.podIP)).size).toBe(3);
    expect(status('Deployment', 'web')).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    });

    store.mergePatch('apps/v1', 'Deployment', 'web', { spec: { replicas: 5 } }, 'default');
    await expect
      .poll(() => status('Deployment', 'web')['readyReplicas'] === 5, {
        timeout: 10_000,
        message: 'scale up to 5',
      })
      .toBeTruthy();
    expect(pods().filter((p) => p.ready)).toHaveLength(5);
    expect(status('Deployment', 'web')['observedGeneration']).toBe(2);

    store.mergePatch('apps/v1', 'Deployment', 'web', { spec: { replicas: 1 } }, 'default');
    await expect
      .poll(() => pods().length === 1 && status('Deployment', 'web')['replicas'] === 1, {
        timeout: 10_000,
        message: 'scale down to 1',
      })
      .toBeTruthy();
    expect(status('Deployment', 'web')['readyReplicas']).toBe(1);
    expect(replicaSets()).toEqual([expect.objectContaining({ replicas: 1 })]);
  });

  it('rolls a changed template out through a new ReplicaSet and scales the old one to zero', async () => {
    setup([node('a'), node('b')]);
    store.create(deployment('web', 4));
    await expect
      .poll(() => status('Deployment', 'web')['readyReplicas'] === 4, {
        timeout: 10_000,
        message: 'first rollout',
      })
      .toBeTruthy();
    const [first] = replicaSets();
    const changed = template({ app: 'web' }, { containers: [{ name: 'app', image: 'busybox:1.37' }] });
    store.mergePatch('apps/v1', 'Deployment', 'web', { spec: { template: changed } }, 'default');
    await expect
      .poll(
        () => {
          const s = status('Deployment', 'web');
          return (
            s['observedGeneration'] === 2 &&
            s['updatedReplicas'] === 4 &&
            s['replicas'] === 4 &&
            s['availableReplicas'] === 4
          );
        },
        { timeout: 10_000, message: 'the second rollout' },
      )
      .toBeTruthy();
    const sets = replicaSets();
    expect(sets).toHaveLength(2);
    const second = sets.find((rs) => rs.name !== first!.name)!;
    expect(sets.find((rs) => rs.name === first!.name)).toMatchObject({ replicas: 0, revision: '1' });
    expect(second).toMatchObject({ replicas: 4, revision: '2' });
    const list = pods();
    expect(list).toHaveLength(4);
    expect(list.every((p) => p.owner === `ReplicaSet/${second.name}` && p.ready)).toBe(true);
    expect(store.get('apps/v1', 'Deployment', 'web', 'default')?.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '2',
    });
    expect(status('Deployment', 'web')['conditions']).toContainEqual(
      expect.objectContaining({
        type: 'Progressing',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${second.name}" has successfully progressed.`,
      }),
    );

    // Rolling back to the first template reuses the first ReplicaSet (as revision 3).
    store.mergePatch(
      'apps/v1',
      'Deployment',
      'web',
      { spec: { template: template({ app: 'web' }) } },
      'default',
    );
    await expect
      .poll(
        () =>
          status('Deployment', 'web')['observedGeneration'] === 3 &&
          status('Deployment', 'web')['updatedReplicas'] === 4 &&
          status('Deployment', 'web')['replicas'] === 4,
        { timeout: 10_000, message: 'the rollback' },
      )
      .toBeTruthy();
    expect(replicaSets().find((rs) => rs.name === first!.name)).toMatchObject({ replicas: 4, revision: '3' });
  });

  it('names StatefulSet pods by ordinal, creating them in order and removing the highest first', async () => {
    setup([node('a')]);
    store.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        replicas: 3,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: template({ app: 'db' }),
      },
    });
    await expect
      .poll(() => status('StatefulSet', 'db')['readyReplicas'] === 3, {
        timeout: 10_000,
        message: 'three ready members',
      })
      .toBeTruthy();
    const list = pods();
    expect(list.map((p) => p.name)).toEqual(['db-0', 'db-1', 'db-2']);
    expect(list.map((p) => p.labels['apps.kubernetes.io/pod-index'])).toEqual(['0', '1', '2']);
    expect(list.every((p) => p.owner === 'StatefulSet/db')).toBe(true);
    const pod = store.get('v1', 'Pod', 'db-1', 'default')!;
    expect(pod['spec']).toMatchObject({ hostname: 'db-1', subdomain: 'db' });
    const s = status('StatefulSet', 'db');
    expect(s).toMatchObject({ replicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(s['currentRevision']).toBe(s['updateRevision']);

    store.mergePatch('apps/v1', 'StatefulSet', 'db', { spec: { replicas: 1 } }, 'default');
    await expect
      .poll(() => pods().length === 1 && status('StatefulSet', 'db')['replicas'] === 1, {
        timeout: 10_000,
        message: 'scale down',
      })
      .toBeTruthy();
    expect(pods().map((p) => p.name)).toEqual(['db-0']);
  });

  it('rolls a StatefulSet template change out from the highest ordinal, and a DaemonSet one node at a time', async () => {
    setup([node('a'), node('b')]);
    store.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: template({ app: 'db' }),
      },
    });
    store.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }) },
    });
    await expect
      .poll(
        () =>
          status('StatefulSet', 'db')['readyReplicas'] === 2 &&
          status('DaemonSet', 'agent')['numberReady'] === 2,
        { timeout: 10_000, message: 'both ready' },
      )
      .toBeTruthy();
    const before = status('StatefulSet', 'db')['updateRevision'];
    const agentHashes = new Set(pods('app=agent').map((p) => p.labels['controller-revision-hash']));
    const deletions: string[] = [];
    store.subscribe((e) => {
      if (e.type === 'DELETED' && e.object.kind === 'Pod')
        deletions.push(e.object.metadata.name.startsWith('db-') ? e.object.metadata.name : 'agent');
    });
    const changed = template({ app: 'x' }, { containers: [{ name: 'app', image: 'busybox:1.37' }] });
    store.mergePatch(
      'apps/v1',
      'StatefulSet',
      'db',
      { spec: { template: { spec: changed['spec'] } } },
      'default',
    );
    store.mergePatch(
      'apps/v1',
      'DaemonSet',
      'agent',
      { spec: { template: { spec: changed['spec'] } } },
      'default',
    );
    await expect
      .poll(
        () => {
          const s = status('StatefulSet', 'db');
          const d = status('DaemonSet', 'agent');
          return (
            s['updateRevision'] !== before &&
            s['currentRevision'] === s['updateRevision'] &&
            s['updatedReplicas'] === 2 &&
            s['readyReplicas'] === 2 &&
            d['observedGeneration'] === 2 &&
            d['updatedNumberScheduled'] === 2 &&
            d['numberAvailable'] === 2
          );
        },
        { timeout: 10_000, message: 'both rolled out' },
      )
      .toBeTruthy();
    expect(deletions.filter((d) => d.startsWith('db-'))).toEqual(['db-1', 'db-0']);
    expect(deletions.filter((d) => d === 'agent')).toHaveLength(2);
    expect(
      pods('app=db').every(
        (p) => p.labels['controller-revision-hash'] === status('StatefulSet', 'db')['updateRevision'],
      ),
    ).toBe(true);
    expect(pods('app=agent').some((p) => agentHashes.has(p.labels['controller-revision-hash']!))).toBe(false);
  });

  it('schedules nothing onto a NotReady node, and starts pods bound to it once it is Ready', async () => {
    const down = node('down');
    down['status'] = { ...(down['status'] as Json), conditions: [{ type: 'Ready', status: 'Unknown' }] };
    setup([down]);
    store.create(deployment('web', 1));
    await expect
      .poll(() => pods()[0]?.scheduled?.['status'] === 'False', {
        timeout: 10_000,
        message: 'an unschedulable pod',
      })
      .toBeTruthy();
    expect(pods()[0]!.scheduled?.['message']).toMatch(
      /1 node\(s\) had untolerated taint \{node.kubernetes.io\/not-ready: \}/,
    );
    // A pod bound to the node by hand (nodeName set) waits for the node's kubelet.
    store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pinned', namespace: 'default' },
      spec: { nodeName: 'down', containers: [{ name: 'c', image: 'x:1' }] },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pods().find((p) => p.name === 'pinned')?.phase).toBe('Pending');
    store.mergePatch('v1', 'Node', 'down', { status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    await expect
      .poll(() => pods().every((p) => p.phase === 'Running' && p.ready), {
        timeout: 10_000,
        message: 'both pods running',
      })
      .toBeTruthy();
    expect(pods().map((p) => p.node)).toEqual(['down', 'down']);
  });

  it('runs one DaemonSet pod per matching node, following nodes as they come and go', async () => {
    setup([node('a', { pool: 'edge' }), node('b', { pool: 'edge' }), node('c', { pool: 'core' })]);
    store.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: template({ app: 'agent' }, { nodeSelector: { pool: 'edge' } }),
      },
    });
    await expect
      .poll(() => status('DaemonSet', 'agent')['numberReady'] === 2, {
        timeout: 10_000,
        message: 'two ready daemon pods',
      })
      .toBeTruthy();
    expect(
      pods()
        .map((p) => p.node)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(status('DaemonSet', 'agent')).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberAvailable: 2,
      updatedNumberScheduled: 2,
    });

    store.create(node('d', { pool: 'edge' }));
    await expect
      .poll(() => status('DaemonSet', 'agent')['numberReady'] === 3, {
        timeout: 10_000,
        message: 'a pod on the new node',
      })
      .toBeTruthy();
    store.delete('v1', 'Node', 'a');
    await expect
      .poll(() => status('DaemonSet', 'agent')['desiredNumberScheduled'] === 2 && pods().length === 2, {
        timeout: 10_000,
        message: 'the pod of the deleted node gone',
      })
      .toBeTruthy();
    expect(
      pods()
        .map((p) => p.node)
        .sort(),
    ).toEqual(['b', 'd']);
  });

  it('keeps a pod no node can take Pending/Unschedulable and schedules it when a big enough node joins', async () => {
    setup([node('small', {}, { 'nvidia.com/gpu': '1' }), node('cpu-only')]);
    store.create(
      deployment(
        'trainer',
        1,
        template(
          { app: 'trainer' },
          {
            containers: [
              { name: 'app', image: 'trainer:1', resources: { limits: { 'nvidia.com/gpu': '2' } } },
            ],
          },
        ),
      ),
    );
    await expect
      .poll(() => pods()[0]?.scheduled?.['status'] === 'False', {
        timeout: 10_000,
        message: 'an unschedulable pod',
      })
      .toBeTruthy();
    expect(pods()[0]).toMatchObject({ phase: 'Pending', node: undefined });
    expect(pods()[0]!.scheduled).toMatchObject({
      reason: 'Unschedulable',
      message:
        '0/2 nodes are available: 2 Insufficient nvidia.com/gpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    });
    expect(status('Deployment', 'trainer')['readyReplicas']).toBeUndefined();

    store.create(node('big', {}, { 'nvidia.com/gpu': '4' }));
    await expect
      .poll(() => status('Deployment', 'trainer')['readyReplicas'] === 1, {
        timeout: 10_000,
        message: 'the pod on the big node',
      })
      .toBeTruthy();
    expect(pods()[0]).toMatchObject({
      node: 'big',
      phase: 'Running',
      ready: true,
      scheduled: expect.objectContaining({ status: 'True' }),
    });
  });

  it('counts requests of bound pods, honours taints and cordons', async () => {
    const tainted = node('tainted');
    tainted['spec'] = {
      ...(tainted['spec'] as Json),
      taints: [{ key: 'dedicated', value: 'ran', effect: 'NoSchedule' }],
    };
    const cordoned = node('cordoned');
    cordoned['spec'] = { ...(cordoned['spec'] as Json), unschedulable: true };
    setup([node('a', {}, { cpu: '3' }), tainted, cordoned]);
    const big = {
      containers: [{ name: 'app', image: 'x:1', resources: { requests: { cpu: '2', memory: '1Gi' } } }],
    };
    store.create(deployment('heavy', 2, template({ app: 'heavy' }, big)));
    await expect
      .poll(
        () =>
          pods().some((p) => p.scheduled?.['status'] === 'False') &&
          status('Deployment', 'heavy')['readyReplicas'] === 1,
        { timeout: 10_000, message: 'one pod bound, one pending' },
      )
      .toBeTruthy();
    const pending = pods().find((p) => p.node === undefined)!;
    expect(
      store.list('v1', 'Pod', { namespace: 'default' }).map((p) => (p['status'] as Json)['qosClass']),
    ).toEqual(['Burstable', 'Burstable']);
    expect(pending.scheduled?.['message']).toBe(
      '0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: ran}, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    // A pod tolerating the taint goes there.
    store.create(
      deployment(
        'ran',
        1,
        template(
          { app: 'ran' },
          {
            ...big,
            tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ran', effect: 'NoSchedule' }],
          },
        ),
      ),
    );
    await expect
      .poll(() => status('Deployment', 'ran')['readyReplicas'] === 1, {
        timeout: 10_000,
        message: 'the tolerating pod',
      })
      .toBeTruthy();
    expect(pods('app=ran')[0]?.node).toBe('tainted');
  });

  it('keeps pods unready under the annotation or an always-failing exec readiness probe', async () => {
    setup([node('a')]);
    store.create(deployment('held', 2, template({ app: 'held' }, {}, { [READY_ANNOTATION]: 'false' })));
    store.create(
      deployment(
        'probe',
        1,
        template(
          { app: 'probe' },
          {
            containers: [
              { name: 'app', image: 'x:1', readinessProbe: { exec: { command: ['/bin/false'] } } },
            ],
          },
        ),
      ),
    );
    store.create(
      deployment(
        'fine',
        1,
        template(
          { app: 'fine' },
          { containers: [{ name: 'app', image: 'x:1', readinessProbe: { exec: { command: ['true'] } } }] },
        ),
      ),
    );
    await expect
      .poll(
        () =>
          pods().length === 4 &&
          pods().every((p) => p.phase === 'Running') &&
          status('Deployment', 'fine')['readyReplicas'] === 1,
        { timeout: 10_000, message: 'all pods running' },
      )
      .toBeTruthy();
    expect(pods('app=held').map((p) => p.ready)).toEqual([false, false]);
    expect(pods('app=probe').map((p) => p.ready)).toEqual([false]);
    const held = status('Deployment', 'held');
    expect(held['readyReplicas']).toBeUndefined();
    expect(held).toMatchObject({ replicas: 2, unavailableReplicas: 2 });
    expect(held['conditions']).toContainEqual(
      expect.objectContaining({ type: 'Available', status: 'False' }),
    );
    expect(held['conditions']).toContainEqual(
      expect.objectContaining({ type: 'Progressing', reason: 'ReplicaSetUpdated' }),
    );
    const pod = store.list('v1', 'Pod', { namespace: 'default', labelSelector: 'app=probe' })[0]!;
    expect((pod['status'] as Json)['conditions']).toContainEqual(
      expect.objectContaining({
        type: 'Ready',
        status: 'False',
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [app]',
      }),
    );
  });

  it('crash-loops pods under the crash-loop annotation: at once, or after running Ready for a while', async () => {
    setup([node('a')], 20);
    store.create(
      deployment('crashy', 1, template({ app: 'crashy' }, {}, { [CRASH_LOOP_ANNOTATION]: 'true' })),
    );
    store.create(
      deployment('later', 1, template({ app: 'later' }, {}, { [CRASH_LOOP_ANNOTATION]: '300ms' })),
    );
    store.create(deployment('calm', 1, template({ app: 'calm' }, {}, { [CRASH_LOOP_ANNOTATION]: 'false' })));
    const container = (app: string): Json => {
      const pod = store.list('v1', 'Pod', { namespace: 'default', labelSelector: `app=${app}` })[0];
      return ((pod?.['status'] as Json | undefined)?.['containerStatuses'] as Json[] | undefined)?.[0] ?? {};
    };
    // The "later" pod is seen Ready before it starts to crash.
    await expect.poll(() => pods('app=later')[0]?.ready, { timeout: 10_000 }).toBe(true);
    await expect
      .poll(() => Number(container('crashy')['restartCount']), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(3);
    expect(container('crashy')).toMatchObject({
      ready: false,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
    });
    expect(pods('app=crashy')[0]).toMatchObject({ phase: 'Running', ready: false });
    await expect
      .poll(() => Number(container('later')['restartCount']), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    expect(pods('app=later')[0]?.ready).toBe(false);
    expect(status('Deployment', 'crashy')['readyReplicas']).toBeUndefined();
    expect(container('calm')).toMatchObject({ ready: true, restartCount: 0 });
    // Deleting a crash-looping pod stops its restarts; its replacement crash-loops in turn.
    const first = store.list('v1', 'Pod', { namespace: 'default', labelSelector: 'app=crashy' })[0]!;
    store.delete('v1', 'Pod', first.metadata.name, 'default');
    await expect
      .poll(
        () => {
          const next = store.list('v1', 'Pod', { namespace: 'default', labelSelector: 'app=crashy' })[0];
          return next !== undefined && next.metadata.uid !== first.metadata.uid
            ? container('crashy')['state']
            : undefined;
        },
        { timeout: 10_000 },
      )
      .toMatchObject({ waiting: { reason: 'CrashLoopBackOff' } });
  });

  it('deletes dependents in the background or in the foreground, as the propagation policy says', async () => {
    setup([node('a')]);
    store.create(deployment('bg', 2));
    store.create(deployment('fg', 2));
    await expect
      .poll(
        () =>
          status('Deployment', 'bg')['readyReplicas'] === 2 &&
          status('Deployment', 'fg')['readyReplicas'] === 2,
        { timeout: 10_000, message: 'both deployments ready' },
      )
      .toBeTruthy();
    store.delete('apps/v1', 'Deployment', 'bg', 'default');
    expect(pods('app=bg')).toEqual([]);
    expect(replicaSets().filter((rs) => rs.name.startsWith('bg-'))).toEqual([]);

    const seen: string[] = [];
    store.subscribe((e) =>
      seen.push(
        `${e.type} ${e.object.kind}${e.object.metadata.deletionTimestamp === undefined ? '' : ' (deleting)'}`,
      ),
    );
    store.deleteObject(store.typeOf('apps/v1', 'Deployment'), 'default', 'fg', {
      propagationPolicy: 'Foreground',
    });
    expect(seen).toEqual([
      'MODIFIED Deployment (deleting)',
      'MODIFIED ReplicaSet (deleting)',
      'DELETED Pod',
      'DELETED Pod',
      'DELETED ReplicaSet (deleting)',
      'DELETED Deployment (deleting)',
    ]);
    // Nothing comes back: the controllers do not recreate what was deleted with its owner.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pods()).toEqual([]);
    expect(replicaSets()).toEqual([]);
  });

  it('reacts only after watchers saw the change, and not at all while nothing changes', async () => {
    setup([node('a')]);
    const seen: string[] = [];
    store.subscribe((e) => seen.push(`${e.type} ${e.object.kind}`));
    store.create(deployment('web', 1));
    expect(seen).toEqual(['ADDED Deployment']);
    await expect
      .poll(() => status('Deployment', 'web')['readyReplicas'] === 1, { timeout: 10_000, message: 'ready' })
      .toBeTruthy();
    expect(seen.slice(0, 2)).toEqual(['ADDED Deployment', 'ADDED ReplicaSet']);
    expect(seen.indexOf('ADDED Pod')).toBeGreaterThan(1);
    const revision = store.resourceVersion;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(store.resourceVersion).toBe(revision);
  });
});
