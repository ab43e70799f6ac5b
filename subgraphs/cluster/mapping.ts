/**
 * Pure mapping from Kubernetes objects to the O2 inventory of one cluster (docs/architecture.md "The shape" "O2 objects from
 * Kubernetes"). Everything here is a function of its arguments; the only state is the id memo in the
 * mapping context, which caches SHA-1 derived ids because node updates (status heartbeats every few
 * seconds on every node) re-map the node each time.
 *
 * Volatile Kubernetes fields (resourceVersion, heartbeat times, managed fields, images) never enter an O2
 * state, so that an update that changes only them maps to an equal object and emits no change event.
 */
import type { V1Node } from '@kubernetes/client-node';
import { alarmDictionaryIdOf as catalogueAlarmDictionaryIdOf } from '../../alarms/alarm-catalogue.ts';
import { clusterScopedId, globalId } from '../../o2/ids.ts';
import type { SiteConfig } from '../../common/site.ts';
import { dmsApiRootOf } from '../../dms/api-roots.ts';
import { type CapacityTotals, type NodeCapacity, nodeCapacity } from './capacity.ts';
import { DEFAULT_POOL_LABEL } from './config.ts';
import {
  ANNOTATIONS,
  type ElementCategory,
  LABELS,
  deviceName,
  elementCategory,
  isHugepages,
  nodeRoles,
  vendorOfResource,
} from './hardware.ts';
import type {
  DeploymentManager,
  JsonObject,
  Location,
  OCloudSite,
  Resource,
  ResourceClass,
  ResourceKind,
  ResourcePool,
  ResourceType,
} from './model.ts';
import { parseQuantity } from '../../common/quantity.ts';

/** Nodes without the pool label belong to this pool. */
export const DEFAULT_POOL_NAME = 'default';

export interface MappingInput {
  readonly clusterId: string;
  readonly oCloudId: string;
  readonly site: SiteConfig;
  readonly poolLabel?: string | undefined;
  /** The cluster's API server URL (the deployment manager's serviceUri). */
  readonly serviceUri: string;
  /** Base64 PEM of the API server's CA, when the kubeconfig carries it inline (DMS K8s profile). */
  readonly clusterCaCertificate?: string | undefined;
}

export interface MappingContext {
  readonly clusterId: string;
  readonly oCloudId: string;
  readonly site: SiteConfig;
  readonly poolLabel: string;
  readonly serviceUri: string;
  readonly clusterCaCertificate: string | null;
  readonly oCloudSiteId: string;
  readonly deploymentManagerId: string;
  /** Memo of derived ids: keys are `kind\0naturalKey`. */
  readonly ids: Map<string, string>;
  /** Memo of resource types by natural key; sharing one object also makes equality checks cheap. */
  readonly types: Map<string, ResourceType>;
}

// A cluster sees a bounded set of node uids, resource names and types; the cap only guards against a
// pathological churn of node uids in a long-running process.
const ID_MEMO_LIMIT = 100_000;

export function createMappingContext(input: MappingInput): MappingContext {
  return {
    clusterId: input.clusterId,
    oCloudId: input.oCloudId,
    site: input.site,
    poolLabel: input.poolLabel ?? DEFAULT_POOL_LABEL,
    serviceUri: input.serviceUri,
    clusterCaCertificate: input.clusterCaCertificate ?? null,
    oCloudSiteId: oCloudSiteIdOf(input.site),
    deploymentManagerId: clusterScopedId(input.clusterId, 'deploymentManager', 'deploymentManager'),
    ids: new Map(),
    types: new Map(),
  };
}

function memoized(ctx: MappingContext, memoKey: string, derive: () => string): string {
  let id = ctx.ids.get(memoKey);
  if (id === undefined) {
    if (ctx.ids.size >= ID_MEMO_LIMIT) ctx.ids.clear();
    id = derive();
    ctx.ids.set(memoKey, id);
  }
  return id;
}

// ---- ids -----------------------------------------------------------------------------------------------

export function oCloudSiteIdOf(site: SiteConfig): string {
  return globalId('site', site.name);
}

export function resourcePoolIdOf(ctx: MappingContext, poolName: string): string {
  return memoized(ctx, `pool\0${poolName}`, () => clusterScopedId(ctx.clusterId, 'resourcePool', poolName));
}

/** Node resources are keyed by metadata.uid: a node re-created under the same name is a new resource. */
export function nodeResourceIdOf(ctx: MappingContext, nodeUid: string): string {
  return memoized(ctx, `node\0${nodeUid}`, () => clusterScopedId(ctx.clusterId, 'resource', nodeUid));
}

/** Element ids: node uid + Kubernetes resource name (uids contain no "/", so the key is unambiguous). */
export function elementResourceIdOf(ctx: MappingContext, nodeUid: string, resourceName: string): string {
  const naturalKey = `${nodeUid}/${resourceName}`;
  return memoized(ctx, `element\0${naturalKey}`, () =>
    clusterScopedId(ctx.clusterId, 'resource', naturalKey),
  );
}

/** The identity of a resource type: equal keys in any cluster give equal ids. */
export interface ResourceTypeKey {
  /** 'node' or the element category: keeps a node type and an element type with equal labels apart. */
  readonly category: 'node' | ElementCategory;
  readonly vendor: string;
  readonly model: string;
  readonly version: string;
  readonly resourceKind: ResourceKind;
  readonly resourceClass: ResourceClass;
}

function typeNaturalKey(key: ResourceTypeKey): string {
  return JSON.stringify([
    key.category,
    key.vendor,
    key.model,
    key.version,
    key.resourceKind,
    key.resourceClass,
  ]);
}

function resourceTypeFor(ctx: MappingContext, key: ResourceTypeKey): ResourceType {
  const naturalKey = typeNaturalKey(key);
  let type = ctx.types.get(naturalKey);
  if (type === undefined) {
    if (ctx.types.size >= ID_MEMO_LIMIT) ctx.types.clear();
    type = mapResourceType(key);
    ctx.types.set(naturalKey, type);
  }
  return type;
}

export function resourceTypeIdOf(key: ResourceTypeKey): string {
  return globalId('resourceType', typeNaturalKey(key));
}

/** The id of a type's alarm dictionary; the catalogue that builds the dictionaries owns the derivation. */
export const alarmDictionaryIdOf = catalogueAlarmDictionaryIdOf;

// ---- pools, nodes, elements ----------------------------------------------------------------------------

export function poolNameOf(ctx: MappingContext, node: V1Node): string {
  const value = node.metadata?.labels?.[ctx.poolLabel];
  return value === undefined || value === '' ? DEFAULT_POOL_NAME : value;
}

/** A node mapped to O2: its resource (with elements), the types it refers to and its capacity contribution. */
export interface MappedNode {
  readonly name: string;
  readonly uid: string;
  readonly poolName: string;
  readonly resource: Resource;
  /** Distinct types of the node and its elements, the node's own type first. */
  readonly resourceTypes: readonly ResourceType[];
  readonly capacity: NodeCapacity;
}

type Labels = Readonly<Record<string, string>>;
const NO_LABELS: Labels = Object.freeze({});

export function mapNode(ctx: MappingContext, node: V1Node): MappedNode {
  const name = node.metadata?.name ?? '';
  // The API server always sets uid; the fallback keeps a malformed object from colliding with real ones.
  const uid = node.metadata?.uid ?? `name:${name}`;
  const labels = node.metadata?.labels ?? NO_LABELS;
  const status = node.status;
  const capacity = status?.capacity;
  const allocatable = status?.allocatable;
  const poolName = poolNameOf(ctx, node);
  const resourcePoolId = resourcePoolIdOf(ctx, poolName);
  const roles = nodeRoles(labels);

  const annotations = node.metadata?.annotations ?? NO_LABELS;
  const nodeType = resourceTypeFor(ctx, nodeTypeKey(labels, annotations));
  const resourceTypes: ResourceType[] = [nodeType];
  const elements: Resource[] = [];
  for (const resourceName of resourceNames(capacity, allocatable)) {
    const category = elementCategory(resourceName);
    if (category === undefined) continue;
    const typeKey = elementTypeKey(category, resourceName, labels);
    const type = resourceTypeFor(ctx, typeKey);
    if (!resourceTypes.some((known) => known.resourceTypeId === type.resourceTypeId))
      resourceTypes.push(type);
    elements.push(
      mapElement(ctx, {
        uid,
        resourceName,
        category,
        resourcePoolId,
        resourceTypeId: type.resourceTypeId,
        typeKey,
        capacity: capacity?.[resourceName] ?? null,
        allocatable: allocatable?.[resourceName] ?? null,
        labels,
        hugepages: category === 'memory' ? hugepagesOf(capacity, allocatable) : undefined,
      }),
    );
  }

  const groups = [`pool:${poolName}`];
  const zone = labels[LABELS.zone];
  if (zone !== undefined) groups.push(`zone:${zone}`);
  const region = labels[LABELS.region];
  if (region !== undefined) groups.push(`region:${region}`);

  const nodeInfo = status?.nodeInfo;
  const resource: Resource = {
    clusterId: ctx.clusterId,
    resourceId: nodeResourceIdOf(ctx, uid),
    resourcePoolId,
    resourceTypeId: nodeType.resourceTypeId,
    globalAssetId: annotations[ANNOTATIONS.serialNumber] ?? nodeInfo?.systemUUID ?? '',
    description: `${name} (${roles.length > 0 ? roles.join(', ') : 'worker'})`,
    elements,
    tags: roles,
    groups,
    extensions: {
      nodeName: name,
      uid,
      labels,
      capacity: capacity ?? {},
      allocatable: allocatable ?? {},
      conditions: conditionSummary(node),
      nodeInfo:
        nodeInfo === undefined
          ? null
          : {
              architecture: nodeInfo.architecture,
              operatingSystem: nodeInfo.operatingSystem,
              osImage: nodeInfo.osImage,
              kernelVersion: nodeInfo.kernelVersion,
              kubeletVersion: nodeInfo.kubeletVersion,
              containerRuntimeVersion: nodeInfo.containerRuntimeVersion,
              machineID: nodeInfo.machineID,
              systemUUID: nodeInfo.systemUUID,
              bootID: nodeInfo.bootID,
            },
      addresses: (status?.addresses ?? []).map((a) => ({ type: a.type, address: a.address })),
      // timeAdded is omitted: the node lifecycle controller rewrites it, and it says nothing about the node.
      taints: (node.spec?.taints ?? []).map((t) => ({
        key: t.key,
        value: t.value ?? null,
        effect: t.effect,
      })),
      unschedulable: node.spec?.unschedulable ?? false,
    },
  };
  return { name, uid, poolName, resource, resourceTypes, capacity: nodeCapacity(capacity, allocatable) };
}

function resourceNames(capacity: Labels | undefined, allocatable: Labels | undefined): readonly string[] {
  const names: string[] = capacity === undefined ? [] : Object.keys(capacity);
  if (allocatable !== undefined) {
    for (const name in allocatable) if (capacity?.[name] === undefined) names.push(name);
  }
  // Sorted so that element order (and therefore structural equality of resources) does not depend on the
  // order in which the API server happened to serialize the maps.
  return names.sort();
}

function hugepagesOf(capacity: Labels | undefined, allocatable: Labels | undefined): JsonObject {
  const hugepages: Record<string, JsonObject> = {};
  for (const name of resourceNames(capacity, allocatable)) {
    if (isHugepages(name)) {
      hugepages[name] = { capacity: capacity?.[name] ?? null, allocatable: allocatable?.[name] ?? null };
    }
  }
  return hugepages;
}

/** Condition status and reason by type; times and messages are left out as they change without news. */
function conditionSummary(node: V1Node): JsonObject {
  const summary: Record<string, JsonObject> = {};
  for (const condition of node.status?.conditions ?? []) {
    summary[condition.type] = { status: condition.status, reason: condition.reason ?? null };
  }
  return summary;
}

/**
 * Node types. Kubernetes exposes no hardware revision, so `version` carries the CPU architecture: it is
 * what tells otherwise equal models apart and what workloads are scheduled by. Servers that netweave's
 * inventory names (netweave.io/vendor) are physical; for others (cloud instances, unlabelled nodes) the kind
 * is undefined. Without a model the instance type stands in for it.
 */
function nodeTypeKey(labels: Labels, annotations: Labels): ResourceTypeKey {
  const vendor = annotations[ANNOTATIONS.serverVendor] ?? labels[LABELS.serverVendor];
  return {
    category: 'node',
    vendor: vendor ?? '',
    model:
      annotations[ANNOTATIONS.serverModel] ?? labels[LABELS.serverModel] ?? labels[LABELS.instanceType] ?? '',
    version: labels[LABELS.arch] ?? '',
    resourceKind: vendor === undefined ? 'UNDEFINED' : 'PHYSICAL',
    resourceClass: 'COMPUTE',
  };
}

function elementTypeKey(category: ElementCategory, resourceName: string, labels: Labels): ResourceTypeKey {
  switch (category) {
    case 'cpu': {
      // NFD's x86 vendor id, family and model number; the same family/model numbers mean different parts
      // on other architectures, hence the architecture as the version.
      const family = labels[LABELS.cpuFamily];
      const modelId = labels[LABELS.cpuModelId];
      const model = [
        family === undefined ? '' : `family ${family}`,
        modelId === undefined ? '' : `model ${modelId}`,
      ]
        .filter((part) => part !== '')
        .join(' ');
      return {
        category,
        vendor: labels[LABELS.cpuVendor] ?? '',
        model,
        version: labels[LABELS.arch] ?? '',
        resourceKind: 'PHYSICAL',
        resourceClass: 'COMPUTE',
      };
    }
    case 'memory':
      return {
        category,
        vendor: '',
        model: '',
        version: '',
        resourceKind: 'PHYSICAL',
        resourceClass: 'COMPUTE',
      };
    case 'storage':
      // Ephemeral storage is the kubelet's filesystem, not a device.
      return {
        category,
        vendor: '',
        model: '',
        version: '',
        resourceKind: 'LOGICAL',
        resourceClass: 'STORAGE',
      };
    case 'gpu':
      return {
        category,
        ...gpuModel(resourceName, labels),
        resourceKind: 'PHYSICAL',
        resourceClass: 'COMPUTE',
      };
    case 'nic':
      return {
        category,
        vendor: vendorOfResource(resourceName),
        model: deviceName(resourceName),
        version: '',
        resourceKind: 'PHYSICAL',
        resourceClass: 'NETWORKING',
      };
    case 'accelerator':
      return {
        category,
        vendor: vendorOfResource(resourceName),
        model: deviceName(resourceName),
        version: '',
        resourceKind: 'PHYSICAL',
        resourceClass: 'COMPUTE',
      };
  }
}

/** GPU model from NVIDIA GPU Feature Discovery labels; version = CUDA compute capability when labelled. */
function gpuModel(resourceName: string, labels: Labels): { vendor: string; model: string; version: string } {
  const vendor = vendorOfResource(resourceName);
  const device = deviceName(resourceName);
  if (vendor !== 'NVIDIA') return { vendor, model: device, version: '' };
  const product = labels[LABELS.gpuProduct];
  const major = labels[LABELS.gpuComputeMajor];
  const minor = labels[LABELS.gpuComputeMinor];
  const version = major !== undefined && minor !== undefined ? `${major}.${minor}` : '';
  if (product === undefined) return { vendor, model: device, version };
  // MIG slices ("mig-1g.10gb") are their own type: a slice of the product.
  return { vendor, model: device === 'gpu' ? product : `${product} ${device}`, version };
}

const CATEGORY_TITLES: Readonly<Record<'node' | ElementCategory, string>> = {
  node: 'Kubernetes node',
  cpu: 'CPU',
  memory: 'Memory',
  storage: 'Ephemeral storage',
  gpu: 'GPU',
  nic: 'Network interface',
  accelerator: 'Accelerator',
};

/** A resource type is a function of its key alone, so every cluster maps one type to one equal object. */
export function mapResourceType(key: ResourceTypeKey): ResourceType {
  const resourceTypeId = resourceTypeIdOf(key);
  const title = CATEGORY_TITLES[key.category];
  const product = [key.vendor, key.model].filter((part) => part !== '').join(' ');
  const name = product === '' ? title : key.category === 'node' ? product : `${product} ${title}`;
  const versionLabel = key.category === 'node' || key.category === 'cpu' ? 'architecture' : 'version';
  const description = [
    title,
    product === '' ? '' : ` ${product}`,
    key.version === '' ? '' : `, ${versionLabel} ${key.version}`,
  ].join('');
  return {
    resourceTypeId,
    name,
    description,
    vendor: key.vendor,
    model: key.model,
    version: key.version,
    alarmDictionaryId: alarmDictionaryIdOf(resourceTypeId),
    resourceKind: key.resourceKind,
    resourceClass: key.resourceClass,
    extensions: { category: key.category },
  };
}

interface ElementInput {
  readonly uid: string;
  readonly resourceName: string;
  readonly category: ElementCategory;
  readonly resourcePoolId: string;
  readonly resourceTypeId: string;
  readonly typeKey: ResourceTypeKey;
  readonly capacity: string | null;
  readonly allocatable: string | null;
  readonly labels: Labels;
  readonly hugepages: JsonObject | undefined;
}

function mapElement(ctx: MappingContext, input: ElementInput): Resource {
  const { resourceName, category, capacity, allocatable, labels, typeKey } = input;
  const extensions: Record<string, JsonObject[string]> = { resourceName, category, capacity, allocatable };
  switch (category) {
    case 'cpu':
      extensions['vendorId'] = labels[LABELS.cpuVendor] ?? null;
      extensions['family'] = labels[LABELS.cpuFamily] ?? null;
      extensions['modelId'] = labels[LABELS.cpuModelId] ?? null;
      extensions['architecture'] = labels[LABELS.arch] ?? null;
      break;
    case 'memory':
      extensions['hugepages'] = input.hugepages ?? {};
      break;
    case 'gpu':
      if (typeKey.vendor === 'NVIDIA') {
        extensions['product'] = labels[LABELS.gpuProduct] ?? null;
        extensions['memoryMiB'] = labels[LABELS.gpuMemory] ?? null;
      }
      break;
    case 'storage':
    case 'nic':
    case 'accelerator':
      break;
  }
  return {
    clusterId: ctx.clusterId,
    resourceId: elementResourceIdOf(ctx, input.uid, resourceName),
    resourcePoolId: input.resourcePoolId,
    resourceTypeId: input.resourceTypeId,
    globalAssetId: '',
    description: elementDescription(category, resourceName, capacity, typeKey),
    elements: [],
    tags: [category],
    groups: [],
    extensions,
  };
}

function elementDescription(
  category: ElementCategory,
  resourceName: string,
  capacity: string | null,
  key: ResourceTypeKey,
): string {
  const product = [key.vendor, key.model].filter((part) => part !== '').join(' ');
  switch (category) {
    case 'cpu':
      return `${capacity ?? '0'} CPUs${product === '' ? '' : ` (${product})`}`;
    case 'memory':
      return `${formatBytes(capacity)} memory`;
    case 'storage':
      return `${formatBytes(capacity)} ephemeral storage`;
    case 'gpu':
    case 'nic':
    case 'accelerator':
      // ASCII "x", not "×": one non-Latin-1 character makes V8 hold the whole answer as a two-byte string,
      // and encoding a 420 KB page to UTF-8 then costs ~1.6 ms instead of ~0.1 ms (issue 16).
      return `${capacity ?? '0'} x ${product === '' ? resourceName : product} (${resourceName})`;
  }
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

function formatBytes(quantity: string | null): string {
  let value = quantity === null ? 0 : (parseQuantity(quantity) ?? 0);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

// ---- pools, deployment manager, site, location ---------------------------------------------------------

export function mapResourcePool(ctx: MappingContext, poolName: string, totals: CapacityTotals): ResourcePool {
  const labelled = poolName !== DEFAULT_POOL_NAME;
  return {
    clusterId: ctx.clusterId,
    resourcePoolId: resourcePoolIdOf(ctx, poolName),
    name: poolName,
    description: labelled
      ? `Nodes of cluster ${ctx.clusterId} labelled ${ctx.poolLabel}=${poolName}`
      : `Nodes of cluster ${ctx.clusterId} without a ${ctx.poolLabel} label`,
    oCloudSiteId: ctx.oCloudSiteId,
    globalLocationId: ctx.site.location.globalLocationId,
    extensions: { poolLabel: ctx.poolLabel, nodeCount: totals.nodes, capacity: totals.toJSON() },
  };
}

/** The O2 DMS Kubernetes native profile name. */
export const K8S_NATIVE_PROFILE = 'native_k8sapi';

/**
 * The profile data with credentials, for admin callers only (DeploymentManager.adminProfileData): the names
 * pti-o2 and the O-RAN SC it-test use (`admin_user`, `admin_client_cert`, `admin_client_key`), plus
 * `admin_token` for token access, which kubectl takes as `--token`.
 */
export function adminProfileData(
  ctx: Pick<MappingContext, 'serviceUri' | 'clusterCaCertificate'>,
  credentials: { user: string; token?: string; clientCertificate?: string; clientKey?: string } | undefined,
): Record<string, string> | null {
  if (credentials === undefined) return null;
  return {
    cluster_api_endpoint: ctx.serviceUri,
    ...(ctx.clusterCaCertificate === null ? {} : { cluster_ca_cert: ctx.clusterCaCertificate }),
    admin_user: credentials.user,
    ...(credentials.token === undefined ? {} : { admin_token: credentials.token }),
    ...(credentials.clientCertificate === undefined
      ? {}
      : { admin_client_cert: credentials.clientCertificate }),
    ...(credentials.clientKey === undefined ? {} : { admin_client_key: credentials.clientKey }),
  };
}

export function mapDeploymentManager(
  ctx: MappingContext,
  totals: CapacityTotals,
  kubernetesVersion: string | null,
): DeploymentManager {
  const profileData: Record<string, string> = { cluster_api_endpoint: ctx.serviceUri };
  if (ctx.clusterCaCertificate !== null) profileData['cluster_ca_cert'] = ctx.clusterCaCertificate;
  return {
    clusterId: ctx.clusterId,
    deploymentManagerId: ctx.deploymentManagerId,
    name: ctx.clusterId,
    description: `Kubernetes cluster ${ctx.clusterId} at site ${ctx.site.name}`,
    oCloudId: ctx.oCloudId,
    serviceUri: ctx.serviceUri,
    supportedLocations: [ctx.site.location.globalLocationId],
    capabilities: {
      profile: 'kubernetes-native',
      kubernetesVersion,
      helm: true,
      workloadKinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
    },
    capacity: totals.toJSON(),
    // Credentials are never part of the published profile data (events, notifications, non-admin callers):
    // admins read them through DeploymentManager.adminProfileData. `dms`: the ETSI NFV profile of
    // O2dms for this cluster (its apiRoot on the gateway and the API versions served there).
    extensions: {
      profileName: K8S_NATIVE_PROFILE,
      profileData,
      site: ctx.site.name,
      dms: { ...dmsApiRootOf(ctx.deploymentManagerId) },
    },
  };
}

/** Site and location are functions of the site configuration only: clusters at one site agree on them. */
export function mapOCloudSite(site: SiteConfig): OCloudSite {
  return {
    oCloudSiteId: oCloudSiteIdOf(site),
    globalLocationId: site.location.globalLocationId,
    name: site.name,
    description: site.description ?? `O-Cloud site ${site.name}`,
    extensions: {},
  };
}

export function mapLocation(site: SiteConfig): Location {
  const { location } = site;
  const coordinate = location.coordinate;
  return {
    globalLocationId: location.globalLocationId,
    name: location.name,
    description: location.description ?? location.name,
    // GeoJSON (RFC 7946) Point: longitude first.
    coordinate:
      coordinate === undefined
        ? null
        : {
            type: 'Point',
            coordinates:
              coordinate.altitude === undefined
                ? [coordinate.longitude, coordinate.latitude]
                : [coordinate.longitude, coordinate.latitude, coordinate.altitude],
          },
    civicAddress:
      location.civicAddress === undefined
        ? null
        : location.civicAddress.map((element) => ({ caType: element.caType, caValue: element.caValue })),
    address: location.address ?? null,
    oCloudSiteIds: [oCloudSiteIdOf(site)],
    extensions: {},
  };
}
