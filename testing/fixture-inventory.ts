/**
 * A small, realistic federated inventory for the facade's tests: an edge cluster with one default pool, and a
 * regional cluster with a GPU pool (accelerators, an SR-IOV NIC with virtual functions) and a general pool.
 * Ids are derived the way netweave derives them (o2/ids.ts), so lookups route by cluster tag as in the
 * router. Objects carry graph-only fields (clusterId, a pool's globalLocationId) that the facade must drop.
 */
import { alarmDictionaryIdOf } from '../alarms/alarm-catalogue.ts';
import type { ResourceCategory } from '../alarms/alarm-catalogue.ts';
import { clusterScopedId, globalId } from '../o2/ids.ts';
import type {
  GraphDeploymentManager,
  GraphOCloud,
  GraphResource,
  GraphResourcePool,
  GraphResourceType,
  JsonObject,
  O2ResourceClass,
  O2ResourceKind,
} from '../o2/inventory.ts';

export type { O2ResourceClass, O2ResourceKind };

/** The graph shapes are the O2 model's (o2/inventory.ts); fixtures add the graph-only fields. */
export type FixtureResourceType = GraphResourceType;

/** The kind of hardware of a fixture type: picks its alarm definitions (alarms/alarm-catalogue.ts). */
export const TYPE_CATEGORIES = new Map<string, ResourceCategory>();

export interface FixtureSite {
  readonly oCloudSiteId: string;
  readonly globalLocationId: string;
  readonly name: string;
  readonly description: string;
  readonly extensions: Record<string, unknown>;
}

export interface FixtureLocation {
  readonly globalLocationId: string;
  readonly name: string;
  readonly description: string;
  readonly coordinate: Record<string, unknown> | null;
  readonly civicAddress: readonly { readonly caType: number; readonly caValue: string }[] | null;
  readonly address: string | null;
  /** The sites of this cluster at the location (the graph gathers every cluster's). */
  readonly oCloudSiteIds: readonly string[];
  readonly extensions: Record<string, unknown>;
}

export interface FixtureResource extends Omit<GraphResource, 'elements'> {
  readonly clusterId: string;
  readonly elements: readonly FixtureResource[];
}

export interface FixtureResourcePool extends GraphResourcePool {
  readonly clusterId: string;
  readonly globalLocationId: string;
  readonly resources: readonly FixtureResource[];
}

export interface FixtureDeploymentManager extends GraphDeploymentManager {
  readonly clusterId: string;
}

export interface FixtureCluster {
  readonly clusterId: string;
  readonly deploymentManager: FixtureDeploymentManager;
  readonly resourcePools: readonly FixtureResourcePool[];
  readonly resourceTypes: readonly FixtureResourceType[];
  readonly site: FixtureSite;
  readonly location: FixtureLocation;
}

export type FixtureOCloud = GraphOCloud;

export interface FixtureInventory {
  readonly oCloud: FixtureOCloud;
  readonly clusters: readonly FixtureCluster[];
}

export const EDGE_CLUSTER = 'edge-madrid-1';
export const REGIONAL_CLUSTER = 'regional-paris-1';

const OCLOUD_ID = globalId('OCloud', 'netweave-fixture');

function resourceType(
  vendor: string,
  model: string,
  version: string,
  resourceKind: O2ResourceKind,
  resourceClass: O2ResourceClass,
  category: ResourceCategory | null,
): FixtureResourceType {
  const key = `${vendor}/${model}/${version}/${resourceKind}/${resourceClass}`;
  const resourceTypeId = globalId('ResourceType', key);
  if (category !== null) TYPE_CATEGORIES.set(resourceTypeId, category);
  return {
    resourceTypeId,
    name: `${vendor} ${model}`,
    description: `${resourceClass.toLowerCase()} resource: ${vendor} ${model} ${version}`,
    vendor,
    model,
    version,
    // Types without a category stand for types whose dictionary is unknown: the id is left null.
    alarmDictionaryId: category === null ? null : alarmDictionaryIdOf(resourceTypeId),
    resourceKind,
    resourceClass,
    extensions: { 'netweave.io/source': 'node-labels' },
  };
}

export const TYPES = {
  edgeServer: resourceType('Dell', 'PowerEdge XR11', 'v1', 'PHYSICAL', 'COMPUTE', 'node'),
  gpuServer: resourceType('Supermicro', 'SYS-420GP-TNR', 'v2', 'PHYSICAL', 'COMPUTE', 'node'),
  cpu: resourceType('Intel', 'Xeon Gold 6338N', '3rd gen', 'PHYSICAL', 'COMPUTE', null),
  memory: resourceType('generic', 'DDR4 RDIMM', 'any', 'PHYSICAL', 'COMPUTE', null),
  gpu: resourceType('NVIDIA', 'A100-PCIE-40GB', 'ampere', 'PHYSICAL', 'COMPUTE', 'gpu'),
  nic: resourceType('Intel', 'E810-XXVDA4', 'fw 4.2', 'PHYSICAL', 'NETWORKING', 'nic'),
  virtualFunction: resourceType('Intel', 'E810 iavf', 'sr-iov', 'LOGICAL', 'NETWORKING', null),
} as const;

export function site(name: string, city: string): { site: FixtureSite; location: FixtureLocation } {
  const oCloudSiteId = globalId('OCloudSite', name);
  const globalLocationId = `location-${name}`;
  return {
    site: {
      oCloudSiteId,
      globalLocationId,
      name,
      description: `O-Cloud site ${name}`,
      extensions: {},
    },
    location: {
      globalLocationId,
      name: `${city} site`,
      description: `Data centre of the ${city} site`,
      coordinate: city === 'Madrid' ? { type: 'Point', coordinates: [-3.7038, 40.4168] } : null,
      civicAddress:
        city === 'Paris'
          ? [
              { caType: 1, caValue: 'FR' },
              { caType: 6, caValue: 'Paris' },
            ]
          : null,
      address: city === 'Madrid' ? 'Calle de Alcalá 1, 28014 Madrid' : null,
      oCloudSiteIds: [oCloudSiteId],
      extensions: {},
    },
  };
}

export interface ElementSpec {
  readonly key: string;
  readonly type: FixtureResourceType;
  readonly description: string;
  readonly extensions?: JsonObject;
  readonly elements?: readonly ElementSpec[];
}

function element(clusterId: string, poolId: string, node: string, spec: ElementSpec): FixtureResource {
  return {
    clusterId,
    resourceId: clusterScopedId(clusterId, 'Resource', `${node}/${spec.key}`),
    resourcePoolId: poolId,
    resourceTypeId: spec.type.resourceTypeId,
    globalAssetId: '',
    description: spec.description,
    elements: (spec.elements ?? []).map((child) => element(clusterId, poolId, node, child)),
    tags: [],
    groups: [],
    extensions: spec.extensions ?? {},
  };
}

export function node(
  clusterId: string,
  poolId: string,
  name: string,
  type: FixtureResourceType,
  elements: readonly ElementSpec[],
): FixtureResource {
  return {
    clusterId,
    resourceId: clusterScopedId(clusterId, 'Resource', `node/${name}`),
    resourcePoolId: poolId,
    resourceTypeId: type.resourceTypeId,
    globalAssetId: `serial:${name.toUpperCase()}`,
    description: `Kubernetes node ${name}`,
    elements: elements.map((spec) => element(clusterId, poolId, name, spec)),
    tags: ['kubernetes-node'],
    groups: [`pool:${poolId}`],
    extensions: {
      labels: { 'kubernetes.io/hostname': name, 'netweave.io/pool': poolId },
      allocatable: { cpu: '62', memory: '250Gi' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

export const CPU_AND_MEMORY: readonly ElementSpec[] = [
  { key: 'cpu0', type: TYPES.cpu, description: 'CPU socket 0', extensions: { cores: 32 } },
  { key: 'memory', type: TYPES.memory, description: 'system memory', extensions: { capacity: '256Gi' } },
];

export function pool(
  clusterId: string,
  name: string,
  site: string,
  build: (poolId: string) => readonly FixtureResource[],
): FixtureResourcePool {
  const resourcePoolId = clusterScopedId(clusterId, 'ResourcePool', name);
  return {
    clusterId,
    resourcePoolId,
    name,
    description: `node pool ${name} of cluster ${clusterId}`,
    oCloudSiteId: globalId('OCloudSite', site),
    globalLocationId: `location-${site}`,
    extensions: { 'netweave.io/pool-label': name },
    resources: build(resourcePoolId),
  };
}

export function deploymentManager(clusterId: string, site: string, nodes: number): FixtureDeploymentManager {
  return {
    clusterId,
    deploymentManagerId: clusterScopedId(clusterId, 'DeploymentManager', clusterId),
    name: clusterId,
    description: `Kubernetes cluster ${clusterId}`,
    oCloudId: OCLOUD_ID,
    serviceUri: `https://${clusterId}.k8s.example.net:6443`,
    supportedLocations: [`location-${site}`],
    capabilities: { kubernetesVersion: 'v1.31.2', helm: true },
    capacity: { nodes, cpu: String(nodes * 64), memory: `${nodes * 256}Gi` },
    extensions: { profile: 'kubernetes-native' },
  };
}

function edgeCluster(): FixtureCluster {
  const clusterId = EDGE_CLUSTER;
  const defaultPool = pool(clusterId, 'default', 'madrid-edge', (poolId) => [
    node(clusterId, poolId, 'edge-mad-n1', TYPES.edgeServer, CPU_AND_MEMORY),
    node(clusterId, poolId, 'edge-mad-n2', TYPES.edgeServer, CPU_AND_MEMORY),
  ]);
  return {
    clusterId,
    deploymentManager: deploymentManager(clusterId, 'madrid-edge', 2),
    resourcePools: [defaultPool],
    resourceTypes: [TYPES.edgeServer, TYPES.cpu, TYPES.memory],
    ...site('madrid-edge', 'Madrid'),
  };
}

function regionalCluster(): FixtureCluster {
  const clusterId = REGIONAL_CLUSTER;
  const gpuPool = pool(clusterId, 'gpu', 'paris-regional', (poolId) => [
    node(clusterId, poolId, 'par-gpu-1', TYPES.gpuServer, [
      ...CPU_AND_MEMORY,
      {
        key: 'gpu0',
        type: TYPES.gpu,
        description: 'GPU 0000:17:00.0',
        extensions: { resource: 'nvidia.com/gpu' },
      },
      {
        key: 'gpu1',
        type: TYPES.gpu,
        description: 'GPU 0000:31:00.0',
        extensions: { resource: 'nvidia.com/gpu' },
      },
      {
        key: 'nic0',
        type: TYPES.nic,
        description: 'NIC 0000:4b:00.0',
        extensions: { sriov: { totalVfs: 2 } },
        elements: [
          { key: 'nic0/vf0', type: TYPES.virtualFunction, description: 'VF 0000:4b:01.0' },
          { key: 'nic0/vf1', type: TYPES.virtualFunction, description: 'VF 0000:4b:01.1' },
        ],
      },
    ]),
  ]);
  const generalPool = pool(clusterId, 'general', 'paris-regional', (poolId) => [
    node(clusterId, poolId, 'par-gen-1', TYPES.edgeServer, CPU_AND_MEMORY),
  ]);
  return {
    clusterId,
    deploymentManager: deploymentManager(clusterId, 'paris-regional', 2),
    resourcePools: [gpuPool, generalPool],
    ...site('paris-regional', 'Paris'),
    // The edge server, CPU and memory types also exist in the edge cluster: the graph lists them once.
    resourceTypes: [
      TYPES.gpuServer,
      TYPES.edgeServer,
      TYPES.cpu,
      TYPES.memory,
      TYPES.gpu,
      TYPES.nic,
      TYPES.virtualFunction,
    ],
  };
}

export function fixtureInventory(): FixtureInventory {
  return {
    oCloud: {
      oCloudId: OCLOUD_ID,
      globalCloudId: globalId('SmoCloud', 'smo-assigned'),
      name: 'netweave fixture cloud',
      description: 'Two clusters: an edge site in Madrid and a regional site in Paris',
      serviceUri: 'https://netweave.example.net',
      extensions: { operator: 'example-telco', country: 'ES' },
    },
    clusters: [edgeCluster(), regionalCluster()],
  };
}

/** Handy lookups for tests. */
export function clusterOf(inventory: FixtureInventory, clusterId: string): FixtureCluster {
  const cluster = inventory.clusters.find((candidate) => candidate.clusterId === clusterId);
  if (cluster === undefined) throw new Error(`no fixture cluster ${clusterId}`);
  return cluster;
}

export function poolNamed(inventory: FixtureInventory, clusterId: string, name: string): FixtureResourcePool {
  const found = clusterOf(inventory, clusterId).resourcePools.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no fixture pool ${name} in ${clusterId}`);
  return found;
}

/**
 * A larger inventory for paging tests: `clusters` clusters at their own sites, each with `pools` pools of
 * `nodes` nodes (edge servers; every third one also has a GPU). Ids are derived as in the small fixture.
 */
export function scaledInventory(clusters: number, pools: number, nodes: number): FixtureInventory {
  const base = fixtureInventory();
  return {
    oCloud: base.oCloud,
    clusters: Array.from({ length: clusters }, (_, c) => {
      const clusterId = `scaled-${c + 1}`;
      const siteName = `scaled-site-${c + 1}`;
      const resourcePools = Array.from({ length: pools }, (_, p) =>
        pool(clusterId, `pool-${p + 1}`, siteName, (poolId) =>
          Array.from({ length: nodes }, (_, n) => {
            const gpu = n % 3 === 0;
            return node(
              clusterId,
              poolId,
              `c${c + 1}-p${p + 1}-n${n + 1}`,
              gpu ? TYPES.gpuServer : TYPES.edgeServer,
              [
                ...CPU_AND_MEMORY,
                ...(gpu ? [{ key: 'gpu0', type: TYPES.gpu, description: 'GPU 0000:17:00.0' }] : []),
              ],
            );
          }),
        ),
      );
      return {
        clusterId,
        deploymentManager: deploymentManager(clusterId, siteName, pools * nodes),
        resourcePools,
        resourceTypes: [TYPES.edgeServer, TYPES.gpuServer, TYPES.cpu, TYPES.memory, TYPES.gpu],
        ...site(siteName, `City ${c + 1}`),
      };
    }),
  };
}
