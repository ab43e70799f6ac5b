/**
 * Deployment policy through the lifecycle service: forbidden namespaces, allowed clusters, instance and
 * replica quotas per tenant — a refusal is 422 naming the rule, and no occurrence is recorded.
 */
import { describe, expect, it } from 'vitest';
import { clusterScopedId } from '../../o2/ids.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { chartDescriptor, TestPackages } from '../../testing/dms-packages.ts';
import { DmsError } from '../errors.ts';
import type { DmsPolicy } from './policy.ts';
import type { VnfInstanceRecord } from './records.ts';
import { LifecycleService } from './service.ts';

const CLUSTERS = ['edge-1', 'edge-2'];
const dmOf = (c: string): string => clusterScopedId(c, 'deploymentManager', 'deploymentManager');

function setup(policy: DmsPolicy) {
  const store = createMemoryStore();
  const packages = new TestPackages();
  packages.add({
    id: 'pkg',
    tenant: undefined,
    onboardingState: 'ONBOARDED',
    operationalState: 'ENABLED',
    usageState: 'NOT_IN_USE',
    descriptor: chartDescriptor('vnfd', ['vdu1', 'vdu2']),
  });
  const service = new LifecycleService({
    store,
    packages,
    policy,
    deploymentManagers: {
      clusterOf: (id) => CLUSTERS.find((c) => dmOf(c) === id),
      deploymentManagerOf: dmOf,
    },
  });
  return { store, service };
}

async function refusedBy(promise: Promise<unknown>, rule: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DmsError);
  expect((error as DmsError).code).toBe('UNPROCESSABLE');
  expect((error as DmsError).detail).toContain(`policy rule ${rule}`);
}

/** Marks an instance INSTANTIATED with `pods` VNFCs, as a completed instantiation would. */
async function instantiatedWith(service: LifecycleService, id: string, pods: number): Promise<void> {
  await service.ledger.update(service.ledger.instances, id, (i): VnfInstanceRecord => {
    const { activeOccurrenceId: _a, ...rest } = i;
    return {
      ...rest,
      instantiationState: 'INSTANTIATED',
      clusterId: 'edge-1',
      instantiatedVnfInfo: {
        flavourId: 'default',
        vnfState: 'STARTED',
        scaleStatus: [{ aspectId: 'workers', scaleLevel: 0 }],
        vnfcResourceInfo: Array.from({ length: pods }, (_, n) => ({
          id: `pod-${n}`,
          vduId: 'vdu1',
          computeResource: { resourceId: `pod-${n}` },
        })),
      },
    };
  });
}

describe('DMS policy', () => {
  const policy: DmsPolicy = {
    forbiddenNamespaces: ['kube-system'],
    tenants: { ran: { allowedClusters: ['edge-1'], maxInstances: 2, maxReplicas: 5 } },
    default: { maxReplicas: 100 },
  };
  const ran = { tenant: 'ran' };

  it('refuses forbidden namespaces (operators too) and clusters a tenant may not use', async () => {
    const { service, store } = setup(policy);
    const operator = await service.createInstance({ tenant: '*', clusterId: 'edge-1' }, { vnfdId: 'vnfd' });
    await refusedBy(
      service.instantiate({ tenant: '*' }, operator.id, {
        flavourId: 'default',
        additionalParams: { namespace: 'kube-system' },
      }),
      'forbiddenNamespaces',
    );
    const own = await service.createInstance({ tenant: 'ran', clusterId: 'edge-2' }, { vnfdId: 'vnfd' });
    await refusedBy(service.instantiate(ran, own.id, { flavourId: 'default' }), 'allowedClusters');
    expect(await service.listOccurrences({ tenant: '*' })).toEqual([]);
    await store.dispose();
  });

  it('counts instances and replicas of the tenant for instantiation and scaling', async () => {
    const { service, store } = setup(policy);
    const at = { tenant: 'ran', clusterId: 'edge-1' };
    const first = await service.createInstance(at, { vnfdId: 'vnfd' });
    // Level big: 2 replicas per VDU = 4 ≤ 5.
    await service.instantiate(ran, first.id, { flavourId: 'default', instantiationLevelId: 'big' });
    await instantiatedWith(service, first.id, 4);
    const second = await service.createInstance(at, { vnfdId: 'vnfd' });
    // 4 + 2 (default level: 1 per VDU) > 5.
    await refusedBy(service.instantiate(ran, second.id, { flavourId: 'default' }), 'maxReplicas');
    // Scaling the first one out by 2 steps (level 0 → 2: 3 replicas per VDU = 6) breaks the quota too.
    await refusedBy(
      service.day2.scale(ran, first.id, { type: 'SCALE_OUT', aspectId: 'workers', numberOfSteps: 2 }),
      'maxReplicas',
    );
    // Scaling within it is fine.
    await expect(
      service.day2.scale(ran, first.id, { type: 'SCALE_OUT', aspectId: 'workers', numberOfSteps: 1 }),
    ).resolves.toMatchObject({ operation: 'SCALE', operationState: 'STARTING' });
    await store.dispose();
  });

  it('caps the number of instances of a tenant', async () => {
    const { service, store } = setup({ tenants: { ran: { maxInstances: 1 } } });
    const at = { tenant: 'ran', clusterId: 'edge-1' };
    const first = await service.createInstance(at, { vnfdId: 'vnfd' });
    await service.instantiate(ran, first.id, { flavourId: 'default' });
    const second = await service.createInstance(at, { vnfdId: 'vnfd' });
    await refusedBy(service.instantiate(ran, second.id, { flavourId: 'default' }), 'maxInstances');
    // Another tenant is not counted against ran (no rule of its own, no default).
    const other = await service.createInstance({ tenant: 'core', clusterId: 'edge-1' }, { vnfdId: 'vnfd' });
    await expect(
      service.instantiate({ tenant: 'core' }, other.id, { flavourId: 'default' }),
    ).resolves.toBeDefined();
    await store.dispose();
  });
});
