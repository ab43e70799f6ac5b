/**
 * The store's side of policy (policy-store.ts): which instances' usage the quotas count — instantiated ones and
 * those with an operation in progress, with their admitted footprint or, admitted before any policy, their VNFCs —
 * and that a deleted instance's usage goes with it.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../state/memory-store.ts';
import { PolicyStore } from './policy-store.ts';
import { INSTANCES_COLLECTION, type VnfInstanceRecord } from './records.ts';

function instance(id: string, overrides: Partial<VnfInstanceRecord>): VnfInstanceRecord {
  return {
    id,
    vnfdId: 'v',
    vnfProvider: 'p',
    vnfProductName: 'n',
    vnfSoftwareVersion: '1',
    vnfdVersion: '1',
    instantiationState: 'NOT_INSTANTIATED',
    vnfPkgId: 'pkg',
    tenant: 'red',
    releaseName: `r-${id}`,
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  } as VnfInstanceRecord;
}

describe('policy usage in the store', () => {
  it('counts instantiated and in-progress instances, by admitted footprint or VNFCs', async () => {
    const store = createMemoryStore();
    const policies = new PolicyStore(store);
    const instances = store.collection<VnfInstanceRecord>(INSTANCES_COLLECTION);
    const footprint = (instanceId: string, replicas: number) => ({
      instanceId,
      tenant: 'red',
      clusterId: 'edge-1',
      namespace: 'ran',
      replicas,
      cpuMillis: 100,
      memoryBytes: 1,
    });
    await instances.put(
      'admitted',
      instance('admitted', { instantiationState: 'INSTANTIATED', clusterId: 'edge-1' }),
    );
    await policies.recordUsage(footprint('admitted', 3));
    await instances.put('starting', instance('starting', { activeOccurrenceId: 'occ' }));
    await policies.recordUsage(footprint('starting', 2));
    await instances.put(
      'legacy',
      instance('legacy', {
        instantiationState: 'INSTANTIATED',
        clusterId: 'edge-2',
        namespace: 'core',
        instantiatedVnfInfo: {
          flavourId: 'small',
          vnfState: 'STARTED',
          vnfcResourceInfo: [{ id: 'a' }, { id: 'b' }],
        } as unknown as NonNullable<VnfInstanceRecord['instantiatedVnfInfo']>,
      }),
    );
    await instances.put('terminated', instance('terminated', {}));
    await policies.recordUsage(footprint('terminated', 50));
    await instances.put('deleting', instance('deleting', { activeOccurrenceId: 'deleting' }));
    await policies.recordUsage(footprint('deleting', 50));

    const live = await policies.usageOfLiveInstances();
    expect(live.map((u) => [u.instanceId, u.replicas, u.namespace]).sort()).toEqual([
      ['admitted', 3, 'ran'],
      ['legacy', 2, 'core'],
      ['starting', 2, 'ran'],
    ]);

    await policies.forgetUsage('admitted');
    const after = await policies.usageOfLiveInstances();
    // Without its record, an instantiated instance falls back to its VNFCs (none here).
    expect(after.find((u) => u.instanceId === 'admitted')?.replicas).toBe(0);
  });
});
