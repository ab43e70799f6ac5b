import { describe, expect, it } from 'vitest';
import { clusterScopedId, clusterTag, globalId, isUuid, tagOfId } from '../../o2/ids.ts';
import { CapacityTotals } from './capacity.ts';
import {
  TEST_SITE,
  controlPlaneNode,
  gpuNode,
  nodeFixture,
  testContext,
} from '../../testing/cluster-fixtures.ts';
import {
  DEFAULT_POOL_NAME,
  mapDeploymentManager,
  mapLocation,
  mapNode,
  mapOCloudSite,
  mapResourcePool,
  resourcePoolIdOf,
} from './mapping.ts';
import type { Resource } from './model.ts';
import { parseQuantity } from '../../common/quantity.ts';

function element(resource: Resource, resourceName: string): Resource {
  const found = resource.elements.find((e) => e.extensions['resourceName'] === resourceName);
  if (found === undefined) throw new Error(`no element ${resourceName}`);
  return found;
}

describe('quantities', () => {
  it('parses decimal and binary suffixes and exponents', () => {
    expect(parseQuantity('64')).toBe(64);
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('1Ki')).toBe(1024);
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(parseQuantity('2k')).toBe(2000);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1E')).toBe(1e18);
    expect(parseQuantity('12Qi')).toBeUndefined();
    expect(parseQuantity('abc')).toBeUndefined();
    expect(parseQuantity('')).toBeUndefined();
  });
});

describe('resource pools', () => {
  it('groups nodes by the pool label and puts unlabelled nodes in the default pool', () => {
    const ctx = testContext();
    const gpu = mapNode(ctx, gpuNode('gpu-1'));
    const cp = mapNode(ctx, controlPlaneNode('cp-1'));
    expect(gpu.poolName).toBe('gpu');
    expect(cp.poolName).toBe(DEFAULT_POOL_NAME);
    expect(gpu.resource.resourcePoolId).toBe(clusterScopedId('edge-1', 'resourcePool', 'gpu'));
    expect(cp.resource.resourcePoolId).toBe(clusterScopedId('edge-1', 'resourcePool', 'default'));
    expect(gpu.resource.groups).toEqual(['pool:gpu', 'zone:muc-1a']);
  });

  it('uses the configured pool label', () => {
    const ctx = testContext('edge-1', 'example.com/rack');
    const node = mapNode(
      ctx,
      nodeFixture({ name: 'n1', labels: { 'example.com/rack': 'r12', 'netweave.io/pool': 'gpu' } }),
    );
    expect(node.poolName).toBe('r12');
  });

  it('maps a pool with its site, location and capacity', () => {
    const ctx = testContext();
    const totals = new CapacityTotals();
    totals.add(mapNode(ctx, gpuNode('gpu-1')).capacity);
    const pool = mapResourcePool(ctx, 'gpu', totals);
    expect(pool).toMatchObject({
      clusterId: 'edge-1',
      resourcePoolId: resourcePoolIdOf(ctx, 'gpu'),
      name: 'gpu',
      oCloudSiteId: globalId('site', TEST_SITE.name),
      globalLocationId: TEST_SITE.location.globalLocationId,
      extensions: { poolLabel: 'netweave.io/pool', nodeCount: 1 },
    });
  });
});

describe('node resources', () => {
  const ctx = testContext();
  const gpu = mapNode(ctx, gpuNode('gpu-1'));

  it('maps a node to a resource with tags, groups, asset id and extensions', () => {
    const cp = mapNode(ctx, controlPlaneNode('cp-1'));
    expect(cp.resource.tags).toEqual(['control-plane']);
    expect(cp.resource.description).toBe('cp-1 (control-plane)');
    expect(gpu.resource.description).toBe('gpu-1 (worker)');
    expect(gpu.resource.globalAssetId).toBe('SN-gpu-1');
    // Without the serial-number annotation the SMBIOS system UUID identifies the machine.
    expect(cp.resource.globalAssetId).toBe('system-uuid-cp-1');
    expect(gpu.resource.clusterId).toBe('edge-1');
    expect(gpu.resource.extensions).toMatchObject({
      nodeName: 'gpu-1',
      labels: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
      capacity: { 'nvidia.com/gpu': '4' },
      allocatable: { cpu: '62' },
      conditions: { Ready: { status: 'True', reason: 'KubeletReady' } },
      nodeInfo: { kubeletVersion: 'v1.31.2', systemUUID: 'system-uuid-gpu-1' },
      addresses: [
        { type: 'InternalIP', address: '10.0.0.10' },
        { type: 'Hostname', address: 'gpu-1' },
      ],
      unschedulable: false,
    });
  });

  it('has one element per CPU, memory, GPU, SR-IOV NIC and ephemeral storage, none for pods', () => {
    const names = gpu.resource.elements.map((e) => e.extensions['resourceName']);
    expect(names).toEqual([
      'cpu',
      'ephemeral-storage',
      'intel.com/sriov_netdevice',
      'memory',
      'nvidia.com/gpu',
    ]);
  });

  it('describes the CPU element from NFD labels', () => {
    const cpu = element(gpu.resource, 'cpu');
    expect(cpu.extensions).toMatchObject({
      category: 'cpu',
      capacity: '64',
      allocatable: '62',
      vendorId: 'Intel',
      family: '6',
      modelId: '106',
    });
    expect(cpu.tags).toEqual(['cpu']);
    const type = gpu.resourceTypes.find((t) => t.resourceTypeId === cpu.resourceTypeId);
    expect(type).toMatchObject({
      vendor: 'Intel',
      model: 'family 6 model 106',
      version: 'amd64',
      resourceKind: 'PHYSICAL',
      resourceClass: 'COMPUTE',
    });
  });

  it('describes memory with its hugepages', () => {
    const memory = element(gpu.resource, 'memory');
    expect(memory.extensions).toMatchObject({
      category: 'memory',
      capacity: '527939460Ki',
      hugepages: { 'hugepages-1Gi': { capacity: '16Gi', allocatable: '16Gi' } },
    });
    expect(memory.description).toBe('503.5 GiB memory');
  });

  it('describes the GPU element and type from GPU feature discovery labels', () => {
    const gpuElement = element(gpu.resource, 'nvidia.com/gpu');
    expect(gpuElement.extensions).toMatchObject({
      category: 'gpu',
      capacity: '4',
      product: 'NVIDIA-A100-SXM4-80GB',
      memoryMiB: '81920',
    });
    expect(gpuElement.description).toBe('4 x NVIDIA NVIDIA-A100-SXM4-80GB (nvidia.com/gpu)');
    const type = gpu.resourceTypes.find((t) => t.resourceTypeId === gpuElement.resourceTypeId);
    expect(type).toMatchObject({
      vendor: 'NVIDIA',
      model: 'NVIDIA-A100-SXM4-80GB',
      resourceKind: 'PHYSICAL',
      resourceClass: 'COMPUTE',
    });
  });

  it('classifies SR-IOV extended resources as networking', () => {
    const nic = element(gpu.resource, 'intel.com/sriov_netdevice');
    expect(nic.extensions).toMatchObject({ category: 'nic', capacity: '16' });
    const type = gpu.resourceTypes.find((t) => t.resourceTypeId === nic.resourceTypeId);
    expect(type).toMatchObject({ vendor: 'Intel', model: 'sriov_netdevice', resourceClass: 'NETWORKING' });
  });

  it('classifies ephemeral storage as logical storage', () => {
    const storage = element(gpu.resource, 'ephemeral-storage');
    const type = gpu.resourceTypes.find((t) => t.resourceTypeId === storage.resourceTypeId);
    expect(type).toMatchObject({ resourceKind: 'LOGICAL', resourceClass: 'STORAGE' });
  });

  it('gives every element its own deterministic id in the owning cluster', () => {
    const ids = gpu.resource.elements.map((e) => e.resourceId);
    expect(new Set([...ids, gpu.resource.resourceId]).size).toBe(ids.length + 1);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(tagOfId(id)).toBe(clusterTag('edge-1'));
    }
    expect(element(gpu.resource, 'nvidia.com/gpu').resourceId).toBe(
      clusterScopedId('edge-1', 'resource', 'uid-gpu-1/nvidia.com/gpu'),
    );
    for (const e of gpu.resource.elements) expect(e.resourcePoolId).toBe(gpu.resource.resourcePoolId);
  });

  it('derives the node type from the server vendor and model labels', () => {
    const type = gpu.resourceTypes[0]!;
    expect(type.resourceTypeId).toBe(gpu.resource.resourceTypeId);
    expect(type).toMatchObject({
      name: 'Dell PowerEdge R750xa',
      vendor: 'Dell',
      model: 'PowerEdge R750xa',
      version: 'amd64',
      resourceKind: 'PHYSICAL',
      resourceClass: 'COMPUTE',
      alarmDictionaryId: globalId('alarmDictionary', type.resourceTypeId),
    });
    const cloud = mapNode(
      ctx,
      nodeFixture({ name: 'vm-1', labels: { 'node.kubernetes.io/instance-type': 'm6i.4xlarge' } }),
    );
    expect(cloud.resourceTypes[0]).toMatchObject({
      vendor: '',
      model: 'm6i.4xlarge',
      resourceKind: 'UNDEFINED',
    });
  });

  it('prefers the exact vendor and model names of the asset annotations over the sanitised labels', () => {
    const node = mapNode(
      ctx,
      nodeFixture({
        name: 'srv-1',
        labels: { 'netweave.io/vendor': 'Dell-Inc', 'netweave.io/model': 'PowerEdge-XR11' },
        annotations: { 'netweave.io/vendor': 'Dell Inc.', 'netweave.io/model': 'PowerEdge XR11' },
      }),
    );
    expect(node.resourceTypes[0]).toMatchObject({
      name: 'Dell Inc. PowerEdge XR11',
      vendor: 'Dell Inc.',
      model: 'PowerEdge XR11',
    });
  });

  it('lists each distinct type once', () => {
    const ids = gpu.resourceTypes.map((t) => t.resourceTypeId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(6);
  });
});

describe('identity across clusters and runs', () => {
  it('gives the same type the same id in every cluster, and cluster-owned objects distinct ids', () => {
    const a = mapNode(testContext('edge-1'), gpuNode('gpu-1'));
    const b = mapNode(testContext('regional-1'), gpuNode('gpu-7', { uid: 'another-uid' }));
    expect(b.resourceTypes).toEqual(a.resourceTypes);
    expect(b.resource.resourceTypeId).toBe(a.resource.resourceTypeId);
    expect(b.resource.resourceId).not.toBe(a.resource.resourceId);
    expect(tagOfId(b.resource.resourceId)).toBe(clusterTag('regional-1'));
    expect(b.resource.resourcePoolId).not.toBe(a.resource.resourcePoolId);
  });

  it('derives the same ids in independent runs', () => {
    const first = mapNode(testContext(), gpuNode('gpu-1'));
    const second = mapNode(testContext(), gpuNode('gpu-1'));
    expect(second.resource).toEqual(first.resource);
    expect(first.resource.resourceId).toBe(clusterScopedId('edge-1', 'resource', 'uid-gpu-1'));
  });

  it('maps site and location from configuration only, so clusters at one site agree', () => {
    expect(mapOCloudSite(TEST_SITE)).toEqual({
      oCloudSiteId: globalId('site', 'munich-edge-1'),
      globalLocationId: 'urn:o-ran:location:de-muc-01',
      name: 'munich-edge-1',
      description: 'Edge site Munich 1',
      extensions: {},
    });
    expect(mapLocation(TEST_SITE)).toEqual({
      globalLocationId: 'urn:o-ran:location:de-muc-01',
      name: 'Munich',
      description: 'Munich',
      coordinate: { type: 'Point', coordinates: [11.575, 48.137] },
      civicAddress: [{ caType: 3, caValue: 'Munich' }],
      address: 'Example Str. 1, Munich',
      oCloudSiteIds: [globalId('site', 'munich-edge-1')],
      extensions: {},
    });
  });
});

describe('volatile fields', () => {
  it('maps a node whose heartbeat and resourceVersion changed to an equal resource', () => {
    const ctx = testContext();
    const before = mapNode(ctx, gpuNode('gpu-1'));
    const after = mapNode(
      ctx,
      gpuNode('gpu-1', { heartbeat: new Date('2025-01-01T00:00:40Z'), resourceVersion: '99' }),
    );
    expect(after.resource).toEqual(before.resource);
    expect(JSON.stringify(after.resource)).not.toContain('2025-01-01');
  });
});

describe('deployment manager', () => {
  it('sums node capacity and carries the native Kubernetes profile', () => {
    const ctx = testContext();
    const totals = new CapacityTotals();
    totals.add(mapNode(ctx, gpuNode('gpu-1')).capacity);
    totals.add(mapNode(ctx, gpuNode('gpu-2', { uid: 'u2' })).capacity);
    totals.add(mapNode(ctx, controlPlaneNode('cp-1')).capacity);
    const dm = mapDeploymentManager(ctx, totals, 'v1.31.2');
    expect(dm).toMatchObject({
      clusterId: 'edge-1',
      deploymentManagerId: clusterScopedId('edge-1', 'deploymentManager', 'deploymentManager'),
      serviceUri: 'https://edge-1.example:6443',
      supportedLocations: ['urn:o-ran:location:de-muc-01'],
      capabilities: { profile: 'kubernetes-native', kubernetesVersion: 'v1.31.2', helm: true },
      capacity: {
        nodes: 3,
        cpu: { capacity: 144, allocatable: 139.5 },
        pods: { capacity: 330, allocatable: 330 },
        gpu: { capacity: 8, allocatable: 8 },
        memoryBytes: {
          capacity: (2 * 527939460 + 65855180) * 1024,
          allocatable: (2 * 509064836 + 63655116) * 1024,
        },
        hugepagesBytes: { 'hugepages-1Gi': { capacity: 2 * 16 * 2 ** 30, allocatable: 2 * 16 * 2 ** 30 } },
        extendedResources: {
          'intel.com/sriov_netdevice': { capacity: 32, allocatable: 32 },
          'nvidia.com/gpu': { capacity: 8, allocatable: 8 },
        },
      },
      extensions: {
        profileName: 'native_k8sapi',
        profileData: { cluster_api_endpoint: 'https://edge-1.example:6443' },
      },
    });
  });

  it('advertises the ETSI apiRoot of its cluster and the API versions served there', () => {
    const ctx = testContext();
    const dm = mapDeploymentManager(ctx, new CapacityTotals(), null);
    const apiRoot = `/o2dms/${ctx.deploymentManagerId}`;
    expect(dm.extensions['dms']).toEqual({
      profileName: 'etsi_nfv',
      apiRoot,
      apis: [
        { apiName: 'vnflcm', uriPrefix: `${apiRoot}/vnflcm/v2`, apiVersions: ['2.0.0', '2.14.0'] },
        { apiName: 'vnfpkgm', uriPrefix: `${apiRoot}/vnfpkgm/v1`, apiVersions: ['1.0.0'] },
      ],
    });
  });

  it('returns to the exact same capacity after a node is added and removed', () => {
    const ctx = testContext();
    const totals = new CapacityTotals();
    const cp = mapNode(ctx, controlPlaneNode('cp-1')).capacity;
    totals.add(cp);
    const before = totals.toJSON();
    const gpu = mapNode(ctx, gpuNode('gpu-1')).capacity;
    totals.add(gpu);
    totals.remove(gpu);
    expect(totals.toJSON()).toEqual(before);
  });
});
