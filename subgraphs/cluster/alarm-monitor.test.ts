/**
 * Every derivation rule from simulator state to alarm and back: a real simulated cluster (the Kubernetes HTTP
 * API), a real cluster subgraph watching it, and the alarm ledger in a state store. Changes are made the way a
 * kubelet, the node lifecycle controller or an operator makes them; the test waits (bounded) for the ledger.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { PERCEIVED_SEVERITY } from '../../alarms/alarm-record.ts';
import type { AlarmRecord } from '../../alarms/alarm-record.ts';
import { createLogger } from '../../common/log.ts';
import { loadScenario, startScenario } from '../../sim/index.ts';
import type { SimCluster } from '../../sim/index.ts';
import { applyStep } from '../../sim/scenario/timeline-actions.ts';
import type { TimelineStep } from '../../sim/scenario/types.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { StateStore } from '../../state/store.ts';
import { startClusterSubgraph } from './server.ts';
import type { ClusterSubgraph } from './server.ts';

const SCENARIO = `
name: alarm-rules
kubernetesVersion: v1.31.2
clusters:
  - name: rules-1
    region: eu-test
    site:
      name: rules-site
      location: { globalLocationId: 3f1c7a40-5c1e-4f55-9b7c-0d1e2f3a4b5c, name: Rules test site }
    nodeGroups:
      - { prefix: rules-node, count: 2, pool: edge, role: converged, instanceType: xr11, vendor: Dell Inc., model: PowerEdge XR11, cpu: { count: 8, vendor: Intel, family: 6, model: 106 }, memory: 32Gi, ephemeralStorage: 100Gi }
      - prefix: rules-gpu
        count: 1
        pool: gpu
        instanceType: xe8545
        vendor: Dell Inc.
        model: PowerEdge XE8545
        cpu: { count: 32, vendor: AMD, family: 25, model: 1 }
        memory: 256Gi
        ephemeralStorage: 1Ti
        gpu: { product: NVIDIA-A100-SXM4-40GB, memoryMiB: 40960, count: 4, family: ampere }
    workloads:
      - kind: Deployment
        name: app
        namespace: demo
        replicas: 3
        pool: edge
        containers: [{ name: app, image: registry.example.org/demo/app:1.0.0, cpu: 100m, memory: 128Mi }]
`;

const CLUSTER = 'rules-1';
let store: StateStore;
let ledger: AlarmLedger;
let sim: SimCluster;
let subgraph: ClusterSubgraph;
let disposeSims: () => Promise<void>;

type StepAction = TimelineStep extends unknown
  ? TimelineStep extends infer S
    ? S extends TimelineStep
      ? Omit<S, 'at' | 'cluster'>
      : never
    : never
  : never;

function step(action: StepAction): void {
  applyStep({ at: 0, cluster: CLUSTER, ...action } as TimelineStep, sim.objects, Date.now());
}

async function alarmsFor(nodeName: string, code: string): Promise<AlarmRecord[]> {
  return (await ledger.list()).filter((a) => a.alarmCode === code && a.extensions['nodeName'] === nodeName);
}

/** The active alarm of `code` on `nodeName`, once it appears (and satisfies `accept`). */
async function active(
  nodeName: string,
  code: string,
  accept: (alarm: AlarmRecord) => boolean = () => true,
): Promise<AlarmRecord> {
  return vi.waitFor(
    async () => {
      const alarm = (await alarmsFor(nodeName, code)).find(
        (a) => a.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED && accept(a),
      );
      if (alarm === undefined) throw new Error(`no active ${code} alarm on ${nodeName} yet`);
      return alarm;
    },
    { timeout: 10_000, interval: 20 },
  );
}

/** Waits until the alarm with this id is cleared. */
async function cleared(id: string): Promise<AlarmRecord> {
  return vi.waitFor(
    async () => {
      const alarm = await ledger.get(id);
      if (alarm?.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED)
        throw new Error(`alarm ${id} not cleared yet`);
      return alarm;
    },
    { timeout: 10_000, interval: 20 },
  );
}

function nodeResourceId(nodeName: string): string {
  const resource = subgraph.inventory.resources().find((r) => r.extensions['nodeName'] === nodeName);
  if (resource === undefined) throw new Error(`no resource for node ${nodeName}`);
  return resource.resourceId;
}

async function startSubgraph(): Promise<ClusterSubgraph> {
  const cluster = scenario.clusters[0]!;
  const started = await startClusterSubgraph({
    clusterId: CLUSTER,
    oCloudId: '0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a60',
    site: cluster.site,
    poolLabel: cluster.poolLabel,
    kube: { server: sim.url },
    store,
    logger: createLogger('silent'),
  });
  await started.alarmMonitor!.ready;
  return started;
}

const scenario = loadScenario(SCENARIO);

beforeAll(async () => {
  const sims = await startScenario(scenario);
  disposeSims = sims.dispose;
  sim = sims.clusters.get(CLUSTER)!;
  store = createMemoryStore();
  ledger = new AlarmLedger(store);
  subgraph = await startSubgraph();
});

afterAll(async () => {
  await subgraph?.close();
  await disposeSims?.();
  await store?.dispose();
});

describe('alarm derivation from cluster state', () => {
  it('a healthy cluster has no alarms', async () => {
    expect(await ledger.list()).toEqual([]);
  });

  it('node Ready=False raises NodeNotReady on the node resource, Ready=True clears it', async () => {
    step({
      action: 'setNodeCondition',
      node: 'rules-node-01',
      type: 'Ready',
      status: 'False',
      reason: 'KubeletNotReady',
    });
    const alarm = await active('rules-node-01', 'NodeNotReady');
    expect(alarm).toMatchObject({
      resourceId: nodeResourceId('rules-node-01'),
      clusterId: CLUSTER,
      perceivedSeverity: PERCEIVED_SEVERITY.MAJOR,
      source: 'cluster',
      clearingType: 'AUTOMATIC',
      alarmAcknowledged: false,
    });
    expect(alarm.extensions).toMatchObject({
      condition: 'Ready',
      status: 'False',
      reason: 'KubeletNotReady',
    });
    step({ action: 'setNodeCondition', node: 'rules-node-01', type: 'Ready', status: 'True' });
    const done = await cleared(alarm.alarmEventRecordId);
    expect(done.alarmClearedTime).not.toBeNull();
  });

  it('an unreachable node (Ready=Unknown) raises NodeUnreachable and no pressure alarms; back → cleared', async () => {
    step({ action: 'setNodeReady', node: 'rules-node-02', ready: false });
    const alarm = await active('rules-node-02', 'NodeUnreachable');
    expect(alarm.extensions).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    const others = (await ledger.list()).filter(
      (a) => a.extensions['nodeName'] === 'rules-node-02' && a.alarmCode !== 'NodeUnreachable',
    );
    expect(others).toEqual([]);
    step({ action: 'setNodeReady', node: 'rules-node-02', ready: true });
    await cleared(alarm.alarmEventRecordId);
  });

  it.each([
    ['MemoryPressure', 'MemoryPressure'],
    ['DiskPressure', 'DiskPressure'],
    ['PIDPressure', 'PIDPressure'],
    ['NetworkUnavailable', 'NetworkUnavailable'],
  ])('%s=True raises %s, False clears it', async (type, code) => {
    step({ action: 'setNodeCondition', node: 'rules-node-01', type, status: 'True' });
    const alarm = await active('rules-node-01', code);
    expect(alarm.extensions).toMatchObject({ condition: type, status: 'True' });
    step({ action: 'setNodeCondition', node: 'rules-node-01', type, status: 'False' });
    await cleared(alarm.alarmEventRecordId);
  });

  it('a new occurrence after a clear gets a new alarmEventRecordId', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      step({ action: 'setNodeCondition', node: 'rules-node-02', type: 'DiskPressure', status: 'True' });
      const alarm = await active('rules-node-02', 'DiskPressure');
      ids.push(alarm.alarmEventRecordId);
      step({ action: 'setNodeCondition', node: 'rules-node-02', type: 'DiskPressure', status: 'False' });
      await cleared(alarm.alarmEventRecordId);
    }
    expect(new Set(ids).size).toBe(2);
  });

  it('GPU allocatable below capacity raises DeviceUnhealthy on the GPU element, worsening is a CHANGE, 0 is DeviceMissing', async () => {
    step({
      action: 'setExtendedResource',
      node: 'rules-gpu-01',
      resource: 'nvidia.com/gpu',
      allocatable: '3',
    });
    const alarm = await active('rules-gpu-01', 'DeviceUnhealthy');
    const gpuElement = subgraph.inventory
      .resource(nodeResourceId('rules-gpu-01'))!
      .elements.find((e) => e.extensions['resourceName'] === 'nvidia.com/gpu')!;
    expect(alarm).toMatchObject({
      resourceId: gpuElement.resourceId,
      resourceTypeId: gpuElement.resourceTypeId,
      perceivedSeverity: PERCEIVED_SEVERITY.WARNING,
    });
    expect(alarm.extensions).toMatchObject({
      resourceName: 'nvidia.com/gpu',
      capacity: '4',
      allocatable: '3',
    });

    step({
      action: 'setExtendedResource',
      node: 'rules-gpu-01',
      resource: 'nvidia.com/gpu',
      allocatable: '1',
    });
    const changed = await active(
      'rules-gpu-01',
      'DeviceUnhealthy',
      (a) => a.perceivedSeverity === PERCEIVED_SEVERITY.MAJOR,
    );
    expect(changed.alarmEventRecordId).toBe(alarm.alarmEventRecordId);

    step({
      action: 'setExtendedResource',
      node: 'rules-gpu-01',
      resource: 'nvidia.com/gpu',
      allocatable: '0',
    });
    const missing = await active('rules-gpu-01', 'DeviceMissing');
    await cleared(alarm.alarmEventRecordId);

    step({
      action: 'setExtendedResource',
      node: 'rules-gpu-01',
      resource: 'nvidia.com/gpu',
      allocatable: '4',
    });
    await cleared(missing.alarmEventRecordId);
  });

  it('a crash-looping pod raises WorkloadCrashLooping on its node; recovered → cleared', async () => {
    const pod = sim.objects
      .list('v1', 'Pod', { namespace: 'demo' })
      .find((p) => (p['spec'] as { nodeName?: string }).nodeName === 'rules-node-01')!;
    const name = pod.metadata.name;
    const crashing = {
      status: {
        containerStatuses: [
          {
            name: 'app',
            image: 'registry.example.org/demo/app:1.0.0',
            imageID: '',
            ready: false,
            started: false,
            restartCount: 4,
            state: {
              waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' },
            },
            lastState: { terminated: { exitCode: 1, reason: 'Error' } },
          },
        ],
      },
    };
    sim.objects.mergePatch('v1', 'Pod', name, crashing, 'demo');
    const alarm = await active('rules-node-01', 'WorkloadCrashLooping');
    expect(alarm.perceivedSeverity).toBe(PERCEIVED_SEVERITY.MINOR);
    expect(alarm.extensions['pods']).toEqual([{ namespace: 'demo', name, containers: ['app'] }]);
    const running = {
      status: {
        containerStatuses: [
          {
            name: 'app',
            image: 'registry.example.org/demo/app:1.0.0',
            imageID: '',
            ready: true,
            started: true,
            restartCount: 5,
            state: { running: { startedAt: new Date().toISOString() } },
            lastState: { terminated: { exitCode: 1, reason: 'Error' } },
          },
        ],
      },
    };
    sim.objects.mergePatch('v1', 'Pod', name, running, 'demo');
    await cleared(alarm.alarmEventRecordId);
  });

  it('a cordoned node raises NodeCordoned (MANUAL): it stays after uncordon until cleared manually, and is not re-raised while the condition lasts', async () => {
    sim.objects.mergePatch('v1', 'Node', 'rules-node-02', { spec: { unschedulable: true } });
    const alarm = await active('rules-node-02', 'NodeCordoned');
    expect(alarm.clearingType).toBe('MANUAL');
    expect((await ledger.clearManually(alarm.alarmEventRecordId)).outcome).toBe('cleared');
    // Still cordoned: another evaluation of the node (a label change) must not raise it again.
    sim.objects.mergePatch('v1', 'Node', 'rules-node-02', { metadata: { labels: { touched: 'yes' } } });
    await expect
      .poll(
        () =>
          subgraph.inventory.resource(nodeResourceId('rules-node-02'))?.extensions['labels'] !== undefined,
        { timeout: 10_000 },
      )
      .toBeTruthy();
    await subgraph.alarmMonitor!.idle();
    expect(
      (await alarmsFor('rules-node-02', 'NodeCordoned')).filter(
        (a) => a.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED,
      ),
    ).toEqual([]);

    // Uncordoned and cordoned again: a new occurrence, which an uncordon alone does not clear.
    sim.objects.mergePatch('v1', 'Node', 'rules-node-02', { spec: { unschedulable: null } });
    await expect
      .poll(
        () =>
          subgraph.inventory.resource(nodeResourceId('rules-node-02'))?.extensions['unschedulable'] === false,
        { timeout: 10_000 },
      )
      .toBeTruthy();
    await subgraph.alarmMonitor!.idle();
    sim.objects.mergePatch('v1', 'Node', 'rules-node-02', { spec: { unschedulable: true } });
    const again = await active('rules-node-02', 'NodeCordoned');
    expect(again.alarmEventRecordId).not.toBe(alarm.alarmEventRecordId);
    sim.objects.mergePatch('v1', 'Node', 'rules-node-02', { spec: { unschedulable: null } });
    await expect
      .poll(
        () =>
          subgraph.inventory.resource(nodeResourceId('rules-node-02'))?.extensions['unschedulable'] === false,
        { timeout: 10_000 },
      )
      .toBeTruthy();
    await subgraph.alarmMonitor!.idle();
    expect((await ledger.get(again.alarmEventRecordId))?.perceivedSeverity).not.toBe(
      PERCEIVED_SEVERITY.CLEARED,
    );
    await ledger.clearManually(again.alarmEventRecordId);
  });

  it('after a restart, the same alarm keeps its id, and one whose condition ended meanwhile is cleared', async () => {
    step({ action: 'setNodeCondition', node: 'rules-node-01', type: 'MemoryPressure', status: 'True' });
    step({ action: 'setNodeCondition', node: 'rules-node-02', type: 'PIDPressure', status: 'True' });
    const memory = await active('rules-node-01', 'MemoryPressure');
    const pid = await active('rules-node-02', 'PIDPressure');
    await subgraph.close();
    step({ action: 'setNodeCondition', node: 'rules-node-02', type: 'PIDPressure', status: 'False' });
    subgraph = await startSubgraph();
    await cleared(pid.alarmEventRecordId);
    const still = (await alarmsFor('rules-node-01', 'MemoryPressure')).filter(
      (a) => a.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED,
    );
    expect(still.map((a) => a.alarmEventRecordId)).toEqual([memory.alarmEventRecordId]);
    step({ action: 'setNodeCondition', node: 'rules-node-01', type: 'MemoryPressure', status: 'False' });
    await cleared(memory.alarmEventRecordId);
  });

  it('a deleted node clears its automatic alarms', async () => {
    step({ action: 'setNodeCondition', node: 'rules-node-02', type: 'DiskPressure', status: 'True' });
    const alarm = await active('rules-node-02', 'DiskPressure');
    sim.objects.delete('v1', 'Node', 'rules-node-02');
    await cleared(alarm.alarmEventRecordId);
  });
});
