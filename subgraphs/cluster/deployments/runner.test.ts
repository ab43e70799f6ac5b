/**
 * The DMS job runner against a simulated cluster with the real helm binary: instantiate → COMPLETED
 * (pods as vnfcResourceInfo), a chart that fails to render → FAILED_TEMP → rollback, workloads that
 * never become ready → FAILED_TEMP after the (short) readiness timeout, terminate, and a runner stopped
 * mid-job whose successor finishes the occurrence.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { clusterScopedId } from '../../../o2/ids.ts';
import { LifecycleService, type OccurrenceRecord } from '../../../dms/lifecycle/index.ts';
import { startSimCluster, type SimCluster } from '../../../sim/cluster.ts';
import { createMemoryStore } from '../../../state/memory-store.ts';
import type { StateStore } from '../../../state/store.ts';
import { chartDescriptor, chartFiles, packChart, TestPackages } from '../../../testing/dms-packages.ts';
import { helmPath } from '../../../testing/kube-tools.ts';
import { redisForTests, type TestRedis } from '../../../testing/redis.ts';
import { createRedisStore } from '../../../state/redis-store.ts';
import { startClusterInformers, type ClusterInformers } from '../informers.ts';
import { kubeAccess } from '../kube-client.ts';
import {
  startDeploymentJobRunner,
  type DeploymentJobRunner,
  type DeploymentRunnerSettings,
} from './runner.ts';

const run = promisify(execFile);
const ALL = { tenant: '*' } as const;

interface Env {
  sim: SimCluster;
  kubeconfigPath: string;
  informers: ClusterInformers;
}

describe('DMS job runner (real helm, simulated cluster)', () => {
  let dir: string;
  let good: Buffer;
  let broken: Buffer;
  const envs: Env[] = [];
  const runners: DeploymentJobRunner[] = [];
  let store: StateStore;
  let redis: TestRedis | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nw-runner-'));
    good = await packChart(chartFiles(['vdu1', 'vdu2']));
    broken = await packChart(chartFiles(['vdu1'], { broken: true }));
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
    await redis?.dispose();
  });

  async function cluster(name: string, controllers: boolean): Promise<Env> {
    // One schedulable node: with the simulator's pod controller, pods need a node to run on.
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `${name}-node`, labels: { 'kubernetes.io/hostname': `${name}-node` } },
      spec: { podCIDR: '10.244.1.0/24' },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
        allocatable: { cpu: '8', memory: '16Gi', pods: '110' },
        capacity: { cpu: '8', memory: '16Gi', pods: '110' },
      },
    };
    const sim = await startSimCluster({ name, controllers, objects: [node] });
    const kubeconfigPath = join(dir, `${name}.kubeconfig`);
    await sim.writeKubeconfig(kubeconfigPath);
    const informers = startClusterInformers(kubeAccess({ kubeconfigPath }).api, {});
    await informers.synced();
    const env = { sim, kubeconfigPath, informers };
    envs.push(env);
    return env;
  }

  function setup(
    env: Env,
    clusterId: string,
    settings: DeploymentRunnerSettings = {},
    useStore?: StateStore,
  ) {
    store = useStore ?? createMemoryStore();
    const packages = new TestPackages();
    packages.add(
      {
        id: 'pkg-good',
        tenant: undefined,
        onboardingState: 'ONBOARDED',
        operationalState: 'ENABLED',
        usageState: 'NOT_IN_USE',
        descriptor: chartDescriptor('vnfd-good', ['vdu1', 'vdu2']),
      },
      { '': good },
    );
    packages.add(
      {
        id: 'pkg-broken',
        tenant: undefined,
        onboardingState: 'ONBOARDED',
        operationalState: 'ENABLED',
        usageState: 'NOT_IN_USE',
        descriptor: chartDescriptor('vnfd-broken'),
      },
      { '': broken },
    );
    const dm = clusterScopedId(clusterId, 'deploymentManager', 'deploymentManager');
    const service = new LifecycleService({
      store,
      packages,
      deploymentManagers: {
        clusterOf: (id) => (id === dm ? clusterId : undefined),
        deploymentManagerOf: () => dm,
      },
    });
    const startRunner = async (extra: DeploymentRunnerSettings = {}): Promise<DeploymentJobRunner> => {
      const runner = await startDeploymentJobRunner({
        clusterId,
        store,
        packages,
        workloads: env.informers,
        kube: { kubeconfigPath: env.kubeconfigPath },
        helmPath: helmPath(),
        readinessTimeoutMs: 20_000,
        pollIntervalMs: 50,
        podGraceMs: 300,
        ...settings,
        ...extra,
      });
      runners.push(runner);
      return runner;
    };
    const scope = { tenant: '*', clusterId };
    return { service, startRunner, scope };
  }

  async function settled(service: LifecycleService, id: string, states: string[]): Promise<OccurrenceRecord> {
    let last: OccurrenceRecord | undefined;
    await expect
      .poll(
        async () => {
          last = await service.getOccurrence(ALL, id);
          return last.operationState;
        },
        { timeout: 45_000, interval: 100 },
      )
      .toSatisfy((state: string) => states.includes(state));
    return last!;
  }

  async function helm(env: Env, ...args: string[]): Promise<string> {
    const home = join(dir, 'helm-home');
    const { stdout } = await run(helmPath(), [...args, '--kubeconfig', env.kubeconfigPath], {
      env: { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home },
    });
    return stdout;
  }

  it('instantiates with helm upgrade --install, waits for readiness and terminates', async () => {
    const env = await cluster('runner-a', true);
    const { service, startRunner, scope } = setup(env, 'runner-a');
    await startRunner();
    const instance = await service.createInstance(scope, { vnfdId: 'vnfd-good' });
    const occurrence = await service.instantiate(scope, instance.id, {
      flavourId: 'default',
      instantiationLevelId: 'big',
      additionalParams: { namespace: 'nf', helm_parameters: { greeting: 'hi' } },
    });
    const done = await settled(service, occurrence.id, ['COMPLETED', 'FAILED_TEMP']);
    expect(done.error).toBeUndefined();
    expect(done.operationState).toBe('COMPLETED');

    const { instance: after } = await service.getInstance(ALL, instance.id);
    expect(after.instantiationState).toBe('INSTANTIATED');
    expect(after.instantiatedVnfInfo).toMatchObject({
      flavourId: 'default',
      vnfState: 'STARTED',
      instantiationLevelId: 'big',
      scaleStatus: [{ aspectId: 'workers', scaleLevel: 1 }],
      metadata: { namespace: 'nf', releaseName: instance.releaseName, revision: 1 },
      extCpInfo: [
        {
          id: 'ext-cp',
          cpdId: 'ext-cp',
          cpConfigId: 'default',
          cpProtocolInfo: [],
          associatedVnfVirtualLinkId: `${instance.releaseName}-pod-network`,
        },
      ],
    });
    // Values: the level's replicas and helm_parameters reached the workloads.
    const deployment = env.sim.objects.get('apps/v1', 'Deployment', `vdu2-${instance.releaseName}`, 'nf');
    expect((deployment?.['spec'] as { replicas: number }).replicas).toBe(2);
    expect(JSON.stringify(deployment)).toContain('"hi"');
    // One VNFC per pod, where the simulator runs pods (a pod controller is being added separately).
    const pods = env.sim.objects.list('v1', 'Pod', { namespace: 'nf' });
    expect(after.instantiatedVnfInfo?.vnfcResourceInfo ?? []).toHaveLength(pods.length);

    const history = await helm(env, 'history', instance.releaseName, '--namespace', 'nf');
    expect(history).toContain(`netweave occurrence ${occurrence.id} INSTANTIATE`);

    const termination = await service.terminate(scope, instance.id, { terminationType: 'FORCEFUL' });
    expect((await settled(service, termination.id, ['COMPLETED', 'FAILED_TEMP'])).operationState).toBe(
      'COMPLETED',
    );
    expect(
      env.sim.objects.get('apps/v1', 'Deployment', `vdu1-${instance.releaseName}`, 'nf'),
    ).toBeUndefined();
    expect((await service.getInstance(ALL, instance.id)).instance.instantiationState).toBe(
      'NOT_INSTANTIATED',
    );
  });

  it('reports pods of the release as VNFCs with the VDU of their workload', async () => {
    const env = await cluster('runner-pods', false);
    const { service, startRunner, scope } = setup(env, 'runner-pods');
    await startRunner();
    const instance = await service.createInstance(scope, { vnfdId: 'vnfd-good' });
    const occurrence = await service.instantiate(scope, instance.id, { flavourId: 'default' });
    const release = instance.releaseName;
    // Play the controllers: a ReplicaSet and a ready pod per Deployment, then ready statuses.
    await expect
      .poll(() => env.sim.objects.list('apps/v1', 'Deployment', { namespace: 'default' }).length, {
        timeout: 20_000,
      })
      .toBe(2);
    for (const vdu of ['vdu1', 'vdu2']) {
      const d = env.sim.objects.get('apps/v1', 'Deployment', `${vdu}-${release}`, 'default')!;
      const rs = env.sim.objects.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${vdu}-${release}-abc`,
          namespace: 'default',
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: d.metadata.name,
              uid: d.metadata.uid!,
              controller: true,
            },
          ],
        },
        spec: { replicas: 1, selector: { matchLabels: { app: vdu } }, template: {} },
      });
      env.sim.objects.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${vdu}-${release}-abc-x1`,
          namespace: 'default',
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: rs.metadata.name,
              uid: rs.metadata.uid!,
              controller: true,
            },
          ],
        },
        spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }] },
        status: { phase: 'Running' },
      });
      env.sim.objects.mergePatch(
        'apps/v1',
        'Deployment',
        d.metadata.name,
        {
          status: {
            observedGeneration: d.metadata.generation ?? 1,
            replicas: 1,
            updatedReplicas: 1,
            readyReplicas: 1,
            availableReplicas: 1,
          },
        },
        'default',
      );
    }
    const done = await settled(service, occurrence.id, ['COMPLETED', 'FAILED_TEMP']);
    expect(done.operationState).toBe('COMPLETED');
    const vnfcs = (await service.getInstance(ALL, instance.id)).instance.instantiatedVnfInfo
      ?.vnfcResourceInfo;
    expect(vnfcs?.map((v) => [v.vduId, v.id, v.computeResource.vimLevelResourceType]).sort()).toEqual([
      ['vdu1', `vdu1-${release}-abc-x1`, 'Pod'],
      ['vdu2', `vdu2-${release}-abc-x1`, 'Pod'],
    ]);
    expect(done.resourceChanges?.affectedVnfcs?.map((a) => a.changeType)).toEqual(['ADDED', 'ADDED']);
  });

  it('ends FAILED_TEMP with the helm error for a chart that does not render, then rolls back', async () => {
    const env = await cluster('runner-b', true);
    const { service, startRunner, scope } = setup(env, 'runner-b');
    await startRunner();
    const instance = await service.createInstance(scope, { vnfdId: 'vnfd-broken' });
    const occurrence = await service.instantiate(scope, instance.id, { flavourId: 'default' });
    const failed = await settled(service, occurrence.id, ['COMPLETED', 'FAILED_TEMP']);
    expect(failed.operationState).toBe('FAILED_TEMP');
    expect(failed.error).toMatchObject({ status: 422 });
    expect(failed.error?.detail).toMatch(/helm upgrade --install failed/);
    await service.rollback(scope, occurrence.id);
    expect((await settled(service, occurrence.id, ['ROLLED_BACK', 'FAILED_TEMP'])).operationState).toBe(
      'ROLLED_BACK',
    );
    expect((await service.getInstance(ALL, instance.id)).instance).toMatchObject({
      instantiationState: 'NOT_INSTANTIATED',
    });
  });

  it('ends FAILED_TEMP when workloads never become ready; rollback uninstalls the release', async () => {
    const env = await cluster('runner-c', false); // no controllers: nothing ever becomes ready
    const { service, startRunner, scope } = setup(env, 'runner-c', { readinessTimeoutMs: 1_500 });
    await startRunner();
    const instance = await service.createInstance(scope, { vnfdId: 'vnfd-good' });
    const occurrence = await service.instantiate(scope, instance.id, { flavourId: 'default' });
    const failed = await settled(service, occurrence.id, ['COMPLETED', 'FAILED_TEMP']);
    expect(failed.operationState).toBe('FAILED_TEMP');
    expect(failed.error).toMatchObject({ status: 504 });
    expect(failed.error?.detail).toContain(`vdu1-${instance.releaseName}`);
    expect(await helm(env, 'list', '--namespace', 'default')).toContain(instance.releaseName);
    await service.rollback(scope, occurrence.id);
    expect((await settled(service, occurrence.id, ['ROLLED_BACK', 'FAILED_TEMP'])).operationState).toBe(
      'ROLLED_BACK',
    );
    expect(await helm(env, 'list', '--namespace', 'default')).not.toContain(instance.releaseName);
  });

  async function stopMidJobAndRecover(clusterName: string, useStore?: StateStore): Promise<void> {
    const env = await cluster(clusterName, false);
    const { service, startRunner, scope } = setup(
      env,
      clusterName,
      { staleJobMs: 300, sweepIntervalMs: 200, sweepGraceMs: 60_000 },
      useStore,
    );
    const first = await startRunner({ readinessTimeoutMs: 120_000 });
    const instance = await service.createInstance(scope, { vnfdId: 'vnfd-good' });
    const occurrence = await service.instantiate(scope, instance.id, { flavourId: 'default' });
    const release = instance.releaseName;
    // Wait until helm has applied the chart and the runner waits for readiness, then stop it.
    await expect
      .poll(() => env.sim.objects.get('apps/v1', 'Deployment', `vdu2-${release}`, 'default'), {
        timeout: 20_000,
      })
      .toBeDefined();
    await first.dispose();
    expect((await service.getOccurrence(ALL, occurrence.id)).operationState).toBe('PROCESSING');
    // From now on the workloads become ready (as a controller would report); the successor may reinstall
    // them (a helm process stopped mid-install leaves a failed release, which is uninstalled first).
    const controller = setInterval(() => {
      for (const d of env.sim.objects.list('apps/v1', 'Deployment', { namespace: 'default' })) {
        const status = (d['status'] ?? {}) as { readyReplicas?: number };
        if (status.readyReplicas === 1) continue;
        env.sim.objects.mergePatch(
          'apps/v1',
          'Deployment',
          d.metadata.name,
          {
            status: {
              observedGeneration: d.metadata.generation ?? 1,
              replicas: 1,
              updatedReplicas: 1,
              readyReplicas: 1,
              availableReplicas: 1,
            },
          },
          'default',
        );
      }
    }, 50);
    onTestFinished(() => clearInterval(controller));
    await startRunner();
    const done = await settled(service, occurrence.id, ['COMPLETED', 'FAILED_TEMP']);
    expect(done.error).toBeUndefined();
    expect(done.operationState).toBe('COMPLETED');
    const history = await helm(env, 'history', release, '--namespace', 'default', '--output', 'json');
    const revisions = JSON.parse(history) as { revision: number; status: string; description: string }[];
    expect(revisions.at(-1)).toMatchObject({
      status: 'deployed',
      description: `netweave occurrence ${occurrence.id} INSTANTIATE`,
    });
  }

  it('a runner stopped mid-job leaves the job to its successor, which completes the occurrence', async () => {
    await stopMidJobAndRecover('runner-d');
  });

  it('the same with the Redis store (stale claims across runners, leases with expiry)', async () => {
    redis ??= await redisForTests();
    await stopMidJobAndRecover(
      'runner-r',
      await createRedisStore({ url: redis.url, keyPrefix: redis.keyPrefix() }),
    );
  });

  it('ends FAILED_TEMP with 503 when the helm binary is missing', async () => {
    const env = await cluster('runner-f', true);
    const { service, startRunner, scope } = setup(env, 'runner-f', { helmPath: join(dir, 'no-helm-here') });
    await startRunner();
    const instance = await service.createInstance(scope, { vnfdId: 'vnfd-good' });
    const occurrence = await service.instantiate(scope, instance.id, { flavourId: 'default' });
    const failed = await settled(service, occurrence.id, ['COMPLETED', 'FAILED_TEMP']);
    expect(failed.error).toMatchObject({ status: 503 });
    expect(failed.error?.detail).toContain('dms.helmPath');
  });

  it('rolls back, without touching the cluster, an occurrence its instance was never bound to', async () => {
    const env = await cluster('runner-g', true);
    const { service, startRunner, scope } = setup(env, 'runner-g');
    await startRunner();
    const instance = await service.createInstance(scope, { vnfdId: 'vnfd-good' });
    // As if a request died between recording the occurrence and claiming the instance.
    const at = new Date().toISOString();
    const orphan: OccurrenceRecord = {
      id: '7e57a11e-0000-4000-8000-000000000001',
      operationState: 'STARTING',
      stateEnteredTime: at,
      startTime: at,
      vnfInstanceId: instance.id,
      operation: 'INSTANTIATE',
      isAutomaticInvocation: false,
      operationParams: { flavourId: 'default' },
      isCancelPending: false,
      tenant: '*',
      clusterId: 'runner-g',
      attempt: 1,
    };
    await service.ledger.occurrences.put(orphan.id, orphan);
    await service.jobs.enqueue('runner-g', { occurrenceId: orphan.id, attempt: 1 });
    const done = await settled(service, orphan.id, ['ROLLED_BACK', 'COMPLETED', 'FAILED_TEMP']);
    expect(done).toMatchObject({ operationState: 'ROLLED_BACK', error: { status: 409 } });
    expect(env.sim.objects.list('apps/v1', 'Deployment', { namespace: 'default' })).toEqual([]);
    expect((await service.getInstance(ALL, instance.id)).instance.instantiationState).toBe(
      'NOT_INSTANTIATED',
    );
  });

  it('moves an occurrence nobody drives (no lease, no queued job) out of its running state', async () => {
    const env = await cluster('runner-e', true);
    const { service, startRunner, scope } = setup(env, 'runner-e', { sweepGraceMs: 0, sweepIntervalMs: 100 });
    const instance = await service.createInstance(scope, { vnfdId: 'vnfd-good' });
    const occurrence = await service.instantiate(scope, instance.id, { flavourId: 'default' });
    // The job is lost (as if the store lost it): the mark and the entry are gone.
    await store.collection('dms-job-marks').delete(occurrence.id);
    const log = store.eventLog<object>(`dms-jobs.runner-e`);
    await log.trim(0);
    const runner = await startRunner();
    await runner.sweep();
    const swept = await settled(service, occurrence.id, ['FAILED_TEMP']);
    expect(swept.error).toMatchObject({ status: 503 });
  });
});
