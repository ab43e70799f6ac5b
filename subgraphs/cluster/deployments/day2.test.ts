/**
 * Day-2 operations end to end with the real helm binary against a simulated cluster whose controllers
 * run real pods: scale out/in (bounds), scale to a level, heal of one VNFC and of the whole VNF, change of
 * flavour, of package and of external connectivity, rollback of a failed scale, and cancel.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterScopedId } from '../../../o2/ids.ts';
import { DmsError } from '../../../dms/errors.ts';
import {
  LifecycleService,
  type OccurrenceRecord,
  type VnfDescriptor,
  type VnfInstanceRecord,
} from '../../../dms/lifecycle/index.ts';
import { startSimCluster, type SimCluster } from '../../../sim/cluster.ts';
import { createMemoryStore } from '../../../state/memory-store.ts';
import type { StateStore } from '../../../state/store.ts';
import { chartDescriptor, chartFiles, packChart, TestPackages } from '../../../testing/dms-packages.ts';
import { helmPath } from '../../../testing/kube-tools.ts';
import { startClusterInformers, type ClusterInformers } from '../informers.ts';
import { kubeAccess } from '../kube-client.ts';
import {
  startDeploymentJobRunner,
  type DeploymentJobRunner,
  type DeploymentRunnerSettings,
} from './runner.ts';

const run = promisify(execFile);
const ALL = { tenant: '*' } as const;
const VDUS = ['vdu1', 'vdu2'];

/** The test chart with a CPU request per pod, so a node's room bounds how far a VNF can scale. */
function cpuChart(): Record<string, string> {
  const files = chartFiles(VDUS);
  return {
    ...files,
    'values.yaml': `${files['values.yaml']}cpu: 500m\n`,
    'templates/workloads.yaml': files['templates/workloads.yaml']!.replaceAll(
      'env: [{ name: GREETING',
      'resources: { requests: { cpu: {{ .Values.cpu | quote }} } }, env: [{ name: GREETING',
    ),
  };
}

/** chartDescriptor with a second flavour `large` (2 replicas per VDU, another greeting). */
function twoFlavours(vnfdId: string): VnfDescriptor {
  const base = chartDescriptor(vnfdId, VDUS);
  const { defaultInstantiationLevelId: _level, ...small } = base.flavours[0]!;
  return {
    ...base,
    flavours: [
      base.flavours[0]!,
      {
        ...small,
        flavourId: 'large',
        values: { greeting: 'large' },
        vdus: small.vdus.map((v) => ({ ...v, initialReplicas: 2 })),
        instantiationLevels: [],
      },
    ],
  };
}

interface Env {
  sim: SimCluster;
  kubeconfigPath: string;
  informers: ClusterInformers;
}

describe('DMS day-2 operations (real helm, simulated cluster with pods)', { timeout: 120_000 }, () => {
  let dir: string;
  let chart: Buffer;
  const envs: Env[] = [];
  const runners: DeploymentJobRunner[] = [];
  let store: StateStore;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nw-day2-'));
    chart = await packChart(cpuChart());
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.dispose()));
    await store?.dispose();
  });
  afterAll(async () => {
    for (const env of envs.splice(0)) {
      await env.informers.close();
      await env.sim.close();
    }
    await rm(dir, { recursive: true, force: true });
  });

  async function cluster(name: string, cpu = '16'): Promise<Env> {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `${name}-node`, labels: { 'kubernetes.io/hostname': `${name}-node` } },
      spec: { podCIDR: '10.244.1.0/24' },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
        allocatable: { cpu, memory: '16Gi', pods: '110' },
        capacity: { cpu, memory: '16Gi', pods: '110' },
      },
    };
    const sim = await startSimCluster({ name, controllers: true, objects: [node] });
    const kubeconfigPath = join(dir, `${name}.kubeconfig`);
    await sim.writeKubeconfig(kubeconfigPath);
    const informers = startClusterInformers(kubeAccess({ kubeconfigPath }).api, {});
    await informers.synced();
    const env = { sim, kubeconfigPath, informers };
    envs.push(env);
    return env;
  }

  async function setup(env: Env, clusterId: string, settings: DeploymentRunnerSettings = {}) {
    store = createMemoryStore();
    const packages = new TestPackages();
    for (const [id, vnfdId] of [
      ['pkg-v1', 'vnfd-v1'],
      ['pkg-v2', 'vnfd-v2'],
    ] as const) {
      packages.add(
        {
          id,
          tenant: undefined,
          onboardingState: 'ONBOARDED',
          operationalState: 'ENABLED',
          usageState: 'NOT_IN_USE',
          descriptor: { ...twoFlavours(vnfdId), vnfSoftwareVersion: id === 'pkg-v1' ? '1.0.0' : '2.0.0' },
        },
        { '': chart },
      );
    }
    packages.add({
      id: 'pkg-off',
      tenant: undefined,
      onboardingState: 'ONBOARDED',
      operationalState: 'DISABLED',
      usageState: 'NOT_IN_USE',
      descriptor: twoFlavours('vnfd-off'),
    });
    const dm = clusterScopedId(clusterId, 'deploymentManager', 'deploymentManager');
    const service = new LifecycleService({
      store,
      packages,
      deploymentManagers: {
        clusterOf: (id) => (id === dm ? clusterId : undefined),
        deploymentManagerOf: () => dm,
      },
    });
    const runner = await startDeploymentJobRunner({
      clusterId,
      store,
      packages,
      workloads: env.informers,
      kube: { kubeconfigPath: env.kubeconfigPath },
      helmPath: helmPath(),
      readinessTimeoutMs: 30_000,
      pollIntervalMs: 50,
      podGraceMs: 300,
      ...settings,
    });
    runners.push(runner);
    const scope = { tenant: '*', clusterId };
    const instance = await service.createInstance(scope, { vnfdId: 'vnfd-v1' });
    const occurrence = await service.instantiate(scope, instance.id, {
      flavourId: 'default',
      additionalParams: { namespace: 'nf' },
    });
    expect((await settled(service, occurrence.id)).operationState).toBe('COMPLETED');
    return { service, packages, scope, instance };
  }

  async function settled(
    service: LifecycleService,
    id: string,
    states = ['COMPLETED', 'FAILED_TEMP', 'ROLLED_BACK', 'FAILED'],
  ): Promise<OccurrenceRecord> {
    let last: OccurrenceRecord | undefined;
    await expect
      .poll(
        async () => {
          last = await service.getOccurrence(ALL, id);
          return last.operationState;
        },
        { timeout: 60_000, interval: 100 },
      )
      .toSatisfy((state: string) => states.includes(state));
    return last!;
  }

  async function completed(service: LifecycleService, occurrence: Promise<OccurrenceRecord>) {
    const done = await settled(service, (await occurrence).id);
    expect(done.error).toBeUndefined();
    expect(done.operationState).toBe('COMPLETED');
    return done;
  }

  async function current(service: LifecycleService, id: string): Promise<VnfInstanceRecord> {
    return (await service.getInstance(ALL, id)).instance;
  }

  function pods(env: Env): string[] {
    return env.sim.objects
      .list('v1', 'Pod', { namespace: 'nf' })
      .map((p) => p.metadata.name)
      .sort();
  }

  function replicas(env: Env, vdu: string, release: string): number | undefined {
    const d = env.sim.objects.get('apps/v1', 'Deployment', `${vdu}-${release}`, 'nf');
    return (d?.['spec'] as { replicas?: number } | undefined)?.replicas;
  }

  async function helm(env: Env, ...args: string[]): Promise<string> {
    const home = join(dir, 'helm-home');
    const { stdout } = await run(helmPath(), [...args, '--kubeconfig', env.kubeconfigPath], {
      env: { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home },
    });
    return stdout;
  }

  async function refused(promise: Promise<unknown>): Promise<DmsError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DmsError);
    return error as DmsError;
  }

  it('scales out and in by aspect and steps, to a level, within maxScaleLevel; VNFCs follow the pods', async () => {
    const env = await cluster('day2-scale');
    const { service, scope, instance } = await setup(env, 'day2-scale');
    const release = instance.releaseName;
    expect(pods(env)).toHaveLength(2);

    const out = await completed(
      service,
      service.day2.scale(scope, instance.id, { type: 'SCALE_OUT', aspectId: 'workers', numberOfSteps: 2 }),
    );
    expect(replicas(env, 'vdu1', release)).toBe(3);
    let after = await current(service, instance.id);
    expect(after.instantiatedVnfInfo?.scaleStatus).toEqual([{ aspectId: 'workers', scaleLevel: 2 }]);
    expect(after.instantiatedVnfInfo?.vnfcResourceInfo?.map((v) => v.id).sort()).toEqual(pods(env));
    expect(pods(env)).toHaveLength(6);
    expect(out.resourceChanges?.affectedVnfcs?.filter((a) => a.changeType === 'ADDED')).toHaveLength(4);

    // Level 2 + 2 > maxScaleLevel 3: refused before any occurrence; an unknown aspect is 400.
    expect(
      (
        await refused(
          service.day2.scale(scope, instance.id, {
            type: 'SCALE_OUT',
            aspectId: 'workers',
            numberOfSteps: 2,
          }),
        )
      ).code,
    ).toBe('UNPROCESSABLE');
    expect(
      (
        await refused(
          service.day2.scale(scope, instance.id, { type: 'SCALE_IN', aspectId: 'nope', numberOfSteps: 1 }),
        )
      ).code,
    ).toBe('INVALID');

    const scaledIn = await completed(
      service,
      service.day2.scale(scope, instance.id, { type: 'SCALE_IN', aspectId: 'workers', numberOfSteps: 1 }),
    );
    expect(replicas(env, 'vdu2', release)).toBe(2);
    expect(scaledIn.resourceChanges?.affectedVnfcs?.map((a) => a.changeType)).toEqual(['REMOVED', 'REMOVED']);
    after = await current(service, instance.id);
    expect(after.instantiatedVnfInfo?.vnfcResourceInfo?.map((v) => v.id).sort()).toEqual(pods(env));

    await completed(
      service,
      service.day2.scaleToLevel(scope, instance.id, { instantiationLevelId: 'small' }),
    );
    after = await current(service, instance.id);
    expect(after.instantiatedVnfInfo).toMatchObject({
      instantiationLevelId: 'small',
      scaleStatus: [{ aspectId: 'workers', scaleLevel: 0 }],
    });
    expect(pods(env)).toHaveLength(2);
    await completed(
      service,
      service.day2.scaleToLevel(scope, instance.id, { scaleInfo: [{ aspectId: 'workers', scaleLevel: 3 }] }),
    );
    expect(replicas(env, 'vdu1', release)).toBe(4);
    expect((await current(service, instance.id)).instantiatedVnfInfo?.instantiationLevelId).toBeUndefined();
    expect(
      (
        await refused(
          service.day2.scaleToLevel(scope, instance.id, {
            scaleInfo: [{ aspectId: 'workers', scaleLevel: 4 }],
          }),
        )
      ).code,
    ).toBe('UNPROCESSABLE');

    const history = JSON.parse(
      await helm(env, 'history', release, '--namespace', 'nf', '--output', 'json'),
    ) as {
      revision: number;
      description: string;
    }[];
    expect(history.map((r) => r.description.split(' ').at(-1))).toEqual([
      'INSTANTIATE',
      'SCALE',
      'SCALE',
      'SCALE_TO_LEVEL',
      'SCALE_TO_LEVEL',
    ]);
  });

  it('rolls back a scale whose pods cannot run to the revision and pod set before it', async () => {
    // 2 CPUs, 500m per pod: 2 pods run, a scale out to 8 pods cannot become ready.
    const env = await cluster('day2-rollback', '2');
    const { service, scope, instance } = await setup(env, 'day2-rollback', { readinessTimeoutMs: 4_000 });
    const before = pods(env);
    const failed = await settled(
      service,
      (
        await service.day2.scale(scope, instance.id, {
          type: 'SCALE_OUT',
          aspectId: 'workers',
          numberOfSteps: 3,
        })
      ).id,
    );
    expect(failed.operationState).toBe('FAILED_TEMP');
    expect(failed.error).toMatchObject({ status: 504 });
    expect(failed.execution).toMatchObject({ revisionBefore: 1, revision: 2 });
    // The instance stays blocked until the occurrence is handled.
    expect((await refused(service.day2.heal(scope, instance.id, {}))).code).toBe('CONFLICT');
    await service.rollback(scope, failed.id);
    expect((await settled(service, failed.id)).operationState).toBe('ROLLED_BACK');
    // The same ReplicaSets with the same number of pods as before the scale. Which pod of a ReplicaSet a
    // scale-in removes is the controller's choice (the simulator does not yet prefer pending pods as
    // Kubernetes does), so pods are compared by owner, not by their random suffix.
    const byOwner = (names: string[]): string[] => names.map((name) => name.replace(/-[a-z0-9]{5}$/, ''));
    await expect.poll(() => byOwner(pods(env)), { timeout: 20_000 }).toEqual(byOwner(before));
    expect(replicas(env, 'vdu1', instance.releaseName)).toBe(1);
    expect((await current(service, instance.id)).instantiatedVnfInfo?.scaleStatus).toEqual([
      { aspectId: 'workers', scaleLevel: 0 },
    ]);
    expect(await helm(env, 'history', instance.releaseName, '--namespace', 'nf')).toContain('Rollback to 1');
  });

  it('heals named VNFCs by replacing their pods, and the whole VNF by re-applying its revision', async () => {
    const env = await cluster('day2-heal');
    const { service, scope, instance } = await setup(env, 'day2-heal');
    const vnfcs = (await current(service, instance.id)).instantiatedVnfInfo?.vnfcResourceInfo ?? [];
    expect(vnfcs).toHaveLength(2);
    const sick = vnfcs[0]!.id;
    const healed = await completed(
      service,
      service.day2.heal(scope, instance.id, { vnfcInstanceId: [sick] }),
    );
    const after = (await current(service, instance.id)).instantiatedVnfInfo?.vnfcResourceInfo ?? [];
    expect(after).toHaveLength(2);
    // The simulator names a replacement pod like the one it replaces (a real cluster would not): the
    // healed pod is recognised by its uid.
    const uid = (v: (typeof after)[number]): unknown => v.metadata?.['uid'];
    expect(after.map(uid)).not.toContain(uid(vnfcs[0]!));
    expect(after.map((v) => v.id).sort()).toEqual(pods(env));
    expect(healed.resourceChanges?.affectedVnfcs?.map((a) => [a.changeType, a.vduId]).sort()).toEqual([
      ['ADDED', vnfcs[0]!.vduId],
      ['REMOVED', vnfcs[0]!.vduId],
    ]);
    expect(
      (await refused(service.day2.heal(scope, instance.id, { vnfcInstanceId: ['no-such-pod'] }))).code,
    ).toBe('UNPROCESSABLE');
    const whole = await completed(service, service.day2.heal(scope, instance.id, {}));
    expect(whole.execution).toMatchObject({ revisionBefore: 1, revision: 2 });
    // A heal cannot be undone: its rollback is refused (FAILED_TEMP stays, 422).
  });

  it('changes flavour, package (usage states follow) and external connectivity, each a new revision', async () => {
    const env = await cluster('day2-change');
    const { service, packages, scope, instance } = await setup(env, 'day2-change');
    const release = instance.releaseName;
    expect(
      (await refused(service.day2.changeFlavour(scope, instance.id, { newFlavourId: 'default' }))).code,
    ).toBe('CONFLICT');
    expect(
      (await refused(service.day2.changeFlavour(scope, instance.id, { newFlavourId: 'huge' }))).code,
    ).toBe('INVALID');
    await completed(service, service.day2.changeFlavour(scope, instance.id, { newFlavourId: 'large' }));
    expect(replicas(env, 'vdu1', release)).toBe(2);
    expect(JSON.stringify(env.sim.objects.get('apps/v1', 'Deployment', `vdu1-${release}`, 'nf'))).toContain(
      '"large"',
    );
    let after = await current(service, instance.id);
    expect(after.instantiatedVnfInfo).toMatchObject({
      flavourId: 'large',
      scaleStatus: [{ aspectId: 'workers', scaleLevel: 0 }],
    });
    expect(after.instantiatedVnfInfo?.vnfcResourceInfo).toHaveLength(4);

    expect((await refused(service.day2.changeVnfpkg(scope, instance.id, { vnfdId: 'vnfd-off' }))).code).toBe(
      'UNPROCESSABLE',
    );
    expect((await refused(service.day2.changeVnfpkg(scope, instance.id, { vnfdId: 'vnfd-none' }))).code).toBe(
      'UNPROCESSABLE',
    );
    await completed(
      service,
      service.day2.changeVnfpkg(scope, instance.id, {
        vnfdId: 'vnfd-v2',
        additionalParams: { helm_parameters: { greeting: 'v2' } },
      }),
    );
    after = await current(service, instance.id);
    expect(after).toMatchObject({ vnfPkgId: 'pkg-v2', vnfdId: 'vnfd-v2', vnfSoftwareVersion: '2.0.0' });
    expect(packages.records.get('pkg-v2')?.usageState).toBe('IN_USE');
    await expect.poll(() => packages.records.get('pkg-v1')?.usageState).toBe('NOT_IN_USE');
    const deployment = JSON.stringify(env.sim.objects.get('apps/v1', 'Deployment', `vdu1-${release}`, 'nf'));
    expect(deployment).toContain('"v2"');
    // Values given before (the flavour's replicas) were reused.
    expect(replicas(env, 'vdu1', release)).toBe(2);

    await completed(
      service,
      service.day2.changeExtConn(scope, instance.id, {
        extVirtualLinks: [
          {
            id: 'n3-net',
            resourceId: 'macvlan-n3',
            extCps: [
              {
                cpdId: 'ext-cp',
                cpConfig: { n3: { cpProtocolData: [{ layerProtocol: 'IP_OVER_ETHERNET' }] } },
              },
            ],
          },
        ],
        additionalParams: { helm_parameters: { greeting: 'linked' } },
      }),
    );
    after = await current(service, instance.id);
    expect(after.instantiatedVnfInfo?.extCpInfo).toEqual([
      {
        id: 'ext-cp-n3',
        cpdId: 'ext-cp',
        cpConfigId: 'n3',
        cpProtocolInfo: [{ layerProtocol: 'IP_OVER_ETHERNET' }],
        associatedVnfVirtualLinkId: 'n3-net',
      },
    ]);
    expect(after.instantiatedVnfInfo?.extVirtualLinkInfo).toMatchObject([
      { id: 'n3-net', resourceHandle: { resourceId: 'macvlan-n3' } },
    ]);
    const values = JSON.parse(
      await helm(env, 'get', 'values', release, '--namespace', 'nf', '--output', 'json'),
    ) as {
      netweave?: { extCps?: Record<string, { network: string }> };
      greeting?: string;
    };
    expect(values.netweave?.extCps?.['ext-cp']?.network).toBe('macvlan-n3');
    expect(values.greeting).toBe('linked');
    expect(await helm(env, 'history', release, '--namespace', 'nf')).toContain('CHANGE_EXT_CONN');
  });

  it('cancels a PROCESSING scale: GRACEFUL and FORCEFUL end FAILED_TEMP, then rollback restores the pods', async () => {
    // 2 CPUs, 500m per pod: a scale out to 8 pods waits for readiness until cancelled.
    const env = await cluster('day2-cancel', '2');
    const { service, scope, instance } = await setup(env, 'day2-cancel', { readinessTimeoutMs: 120_000 });
    const before = pods(env);
    for (const mode of ['GRACEFUL', 'FORCEFUL'] as const) {
      const scaling = await service.day2.scale(scope, instance.id, {
        type: 'SCALE_OUT',
        aspectId: 'workers',
        numberOfSteps: 3,
      });
      // Helm has applied the new revision; the job waits for pods that cannot be scheduled.
      await expect
        .poll(async () => (await service.getOccurrence(ALL, scaling.id)).execution?.revision, {
          timeout: 30_000,
        })
        .toBeDefined();
      const pending = await service.day2.cancel(scope, scaling.id, mode);
      expect(pending).toMatchObject({
        operationState: 'PROCESSING',
        isCancelPending: true,
        cancelMode: mode,
      });
      const cancelled = await settled(service, scaling.id);
      expect(cancelled).toMatchObject({
        operationState: 'FAILED_TEMP',
        isCancelPending: false,
        cancelMode: mode,
        error: { status: 409, title: 'Cancelled' },
      });
      expect((await refused(service.day2.cancel(scope, scaling.id, 'FORCEFUL'))).code).toBe('CONFLICT');
      await service.rollback(scope, scaling.id);
      expect((await settled(service, scaling.id)).operationState).toBe('ROLLED_BACK');
      // The same ReplicaSets with the same number of pods as before the scale. Which pod of a ReplicaSet a
      // scale-in removes is the controller's choice (the simulator does not yet prefer pending pods as
      // Kubernetes does), so pods are compared by owner, not by their random suffix.
      const byOwner = (names: string[]): string[] => names.map((name) => name.replace(/-[a-z0-9]{5}$/, ''));
      await expect.poll(() => byOwner(pods(env)), { timeout: 20_000 }).toEqual(byOwner(before));
    }
  });

  it('refuses to roll back a heal (FAILED_TEMP, 422), as for a termination', async () => {
    const env = await cluster('day2-heal-rb', '1');
    // 1 CPU: two pods run; a replacement is scheduled once its predecessor is gone.
    const { service, scope, instance } = await setup(env, 'day2-heal-rb', { readinessTimeoutMs: 2_000 });
    // Make the heal fail: the release's pods cannot be replaced while the node is cordoned.
    const node = env.sim.objects.get('v1', 'Node', 'day2-heal-rb-node')!;
    env.sim.objects.mergePatch('v1', 'Node', node.metadata.name, { spec: { unschedulable: true } });
    const vnfc = (await current(service, instance.id)).instantiatedVnfInfo!.vnfcResourceInfo![0]!;
    const healing = await service.day2.heal(scope, instance.id, { vnfcInstanceId: [vnfc.id] });
    const failed = await settled(service, healing.id);
    expect(failed).toMatchObject({ operationState: 'FAILED_TEMP', error: { status: 504 } });
    await service.rollback(scope, healing.id);
    const refusedRollback = await settled(service, healing.id, ['FAILED_TEMP', 'ROLLED_BACK']);
    expect(refusedRollback).toMatchObject({ operationState: 'FAILED_TEMP', error: { status: 422 } });
    expect(refusedRollback.error?.detail).toContain('HEAL');
  });
});
