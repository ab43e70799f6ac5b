/**
 * Hand-built Kubernetes objects for the cluster subgraph's unit tests: nodes labelled the way real
 * clusters label them (NFD, GPU feature discovery, SR-IOV device plugin, netweave inventory labels).
 */
import type { V1Node, V1NodeCondition } from '@kubernetes/client-node';
import type { AuthContext } from '../common/auth.ts';
import type { SiteConfig } from '../common/site.ts';
import { type MappingContext, createMappingContext } from '../subgraphs/cluster/mapping.ts';

export const TEST_SITE: SiteConfig = {
  name: 'munich-edge-1',
  description: 'Edge site Munich 1',
  location: {
    globalLocationId: 'urn:o-ran:location:de-muc-01',
    name: 'Munich',
    coordinate: { latitude: 48.137, longitude: 11.575 },
    civicAddress: [{ caType: 3, caValue: 'Munich' }],
    address: 'Example Str. 1, Munich',
  },
};

export const TEST_O_CLOUD_ID = '0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a60';

export function testContext(clusterId = 'edge-1', poolLabel?: string): MappingContext {
  return createMappingContext({
    clusterId,
    oCloudId: TEST_O_CLOUD_ID,
    site: TEST_SITE,
    poolLabel,
    serviceUri: `https://${clusterId}.example:6443`,
  });
}

export interface NodeFixture {
  readonly name: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly capacity?: Record<string, string>;
  readonly allocatable?: Record<string, string>;
  readonly ready?: boolean;
  /** Kubelet heartbeat time of every condition. */
  readonly heartbeat?: Date;
}

const BASE_CAPACITY = {
  cpu: '16',
  memory: '65855180Ki',
  'ephemeral-storage': '488245288Ki',
  pods: '110',
};

const BASE_ALLOCATABLE = {
  cpu: '15500m',
  memory: '63655116Ki',
  'ephemeral-storage': '449966282133',
  pods: '110',
};

export function nodeFixture(fixture: NodeFixture): V1Node {
  const heartbeat = fixture.heartbeat ?? new Date('2025-01-01T00:00:00Z');
  const transition = new Date('2024-12-01T00:00:00Z');
  const condition = (type: string, status: string, reason: string): V1NodeCondition => ({
    type,
    status,
    reason,
    message: `${type} is ${status}`,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: transition,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: fixture.name,
      uid: fixture.uid ?? `uid-${fixture.name}`,
      resourceVersion: fixture.resourceVersion ?? '1',
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': fixture.name,
        ...fixture.labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', ...fixture.annotations },
    },
    spec: {},
    status: {
      capacity: fixture.capacity ?? BASE_CAPACITY,
      allocatable: fixture.allocatable ?? BASE_ALLOCATABLE,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID'),
        fixture.ready === false
          ? condition('Ready', 'False', 'KubeletNotReady')
          : condition('Ready', 'True', 'KubeletReady'),
      ],
      addresses: [
        { type: 'InternalIP', address: '10.0.0.10' },
        { type: 'Hostname', address: fixture.name },
      ],
      nodeInfo: {
        architecture: 'amd64',
        bootID: `boot-${fixture.name}`,
        containerRuntimeVersion: 'containerd://1.7.22',
        kernelVersion: '6.8.0-45-generic',
        kubeProxyVersion: '',
        kubeletVersion: 'v1.31.2',
        machineID: `machine-${fixture.name}`,
        operatingSystem: 'linux',
        osImage: 'Ubuntu 24.04.1 LTS',
        systemUUID: `system-uuid-${fixture.name}`,
      },
      images: [{ names: ['registry.k8s.io/pause:3.10'], sizeBytes: 320368 }],
    },
  };
}

/** A Dell GPU server with NFD, GPU feature discovery and SR-IOV labels, in the "gpu" pool. */
export function gpuNode(name: string, overrides: Partial<NodeFixture> = {}): V1Node {
  return nodeFixture({
    name,
    labels: {
      'netweave.io/pool': 'gpu',
      'netweave.io/vendor': 'Dell',
      'netweave.io/model': 'PowerEdge R750xa',
      'node.kubernetes.io/instance-type': 'r750xa-a100',
      'topology.kubernetes.io/zone': 'muc-1a',
      'feature.node.kubernetes.io/cpu-model.vendor_id': 'Intel',
      'feature.node.kubernetes.io/cpu-model.family': '6',
      'feature.node.kubernetes.io/cpu-model.id': '106',
      'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
      'nvidia.com/gpu.memory': '81920',
      'nvidia.com/gpu.count': '4',
      ...overrides.labels,
    },
    annotations: { 'netweave.io/serial-number': `SN-${name}`, ...overrides.annotations },
    capacity: {
      cpu: '64',
      memory: '527939460Ki',
      'ephemeral-storage': '937156932Ki',
      pods: '110',
      'hugepages-1Gi': '16Gi',
      'hugepages-2Mi': '0',
      'nvidia.com/gpu': '4',
      'intel.com/sriov_netdevice': '16',
      ...overrides.capacity,
    },
    allocatable: {
      cpu: '62',
      memory: '509064836Ki',
      'ephemeral-storage': '863686486857',
      pods: '110',
      'hugepages-1Gi': '16Gi',
      'hugepages-2Mi': '0',
      'nvidia.com/gpu': '4',
      'intel.com/sriov_netdevice': '16',
      ...overrides.allocatable,
    },
    ...(overrides.uid === undefined ? {} : { uid: overrides.uid }),
    ...(overrides.resourceVersion === undefined ? {} : { resourceVersion: overrides.resourceVersion }),
    ...(overrides.heartbeat === undefined ? {} : { heartbeat: overrides.heartbeat }),
    ...(overrides.ready === undefined ? {} : { ready: overrides.ready }),
  });
}

/** A kubeadm control-plane node without pool label (so it lands in the default pool). */
export function controlPlaneNode(name: string, overrides: Partial<NodeFixture> = {}): V1Node {
  return nodeFixture({
    ...overrides,
    name,
    labels: { 'node-role.kubernetes.io/control-plane': '', ...overrides.labels },
  });
}

/** The `x-netweave-auth` value the router would send for a caller. */
export function encodedCaller(overrides: Partial<AuthContext> = {}): string {
  const context: AuthContext = {
    principal: 'alice',
    roles: ['reader'],
    tenant: { name: 'operator' },
    method: 'bearer',
    requestId: 'req-1',
    ...overrides,
  };
  return Buffer.from(JSON.stringify(context)).toString('base64url');
}
