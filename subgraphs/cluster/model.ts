/**
 * The O2 objects this subgraph serves, shaped exactly like the GraphQL types of schema/cluster.graphql
 * (field names are the O2 names), plus the change events of the inventory. Nested GraphQL fields that are
 * resolved on demand (ResourcePool.resources, Resource.resourceType, ...) are not part of these shapes: they
 * are the O2 object states that change events carry, so they must stay plain JSON.
 */
import type { ChangeKind, O2ObjectKind } from '../../o2/events.ts';
import type {
  GraphDeploymentManager,
  GraphResource,
  GraphResourcePool,
  GraphResourceType,
  JsonObject,
  JsonValue,
  O2ResourceClass as ResourceClass,
  O2ResourceKind as ResourceKind,
} from '../../o2/inventory.ts';

export type { JsonObject, JsonValue };

// The enum values are the O2 model's (o2/), declared once there.
export { RESOURCE_CLASSES, RESOURCE_KINDS } from '../../o2/inventory.ts';
export type { ResourceClass, ResourceKind };

// The O2 objects are the graph shapes of o2/inventory.ts, plus the cluster that owns them.
export interface DeploymentManager extends GraphDeploymentManager {
  readonly clusterId: string;
}

export interface ResourcePool extends GraphResourcePool {
  readonly clusterId: string;
  readonly globalLocationId: string;
}

/** A node (top level) or one of its elements (CPU, memory, accelerator, NIC, storage). */
export interface Resource extends Omit<GraphResource, 'elements'> {
  readonly clusterId: string;
  readonly elements: readonly Resource[];
}

/** Every type has an alarm dictionary here (the catalogue's per kind of hardware). */
export interface ResourceType extends GraphResourceType {
  readonly alarmDictionaryId: string;
}

export interface OCloudSite {
  readonly oCloudSiteId: string;
  readonly globalLocationId: string;
  readonly name: string;
  readonly description: string;
  readonly extensions: JsonObject;
}

export interface Location {
  readonly globalLocationId: string;
  readonly name: string;
  readonly description: string;
  readonly coordinate: JsonObject | null;
  readonly civicAddress: JsonValue | null;
  readonly address: string | null;
  readonly oCloudSiteIds: readonly string[];
  readonly extensions: JsonObject;
}

/** The topology root; its list fields are resolved from the informer caches. */
export interface Cluster {
  readonly clusterId: string;
  readonly name: string;
  readonly kubernetesVersion: string | null;
  readonly oCloudSiteId: string;
}

export interface NodeCondition {
  readonly type: string;
  readonly status: string;
  readonly reason: string | null;
  readonly message: string | null;
  readonly lastTransitionTime: string | null;
}

export interface Node {
  readonly clusterId: string;
  readonly name: string;
  readonly uid: string;
  readonly ready: boolean;
  readonly labels: JsonObject;
  readonly capacity: JsonObject;
  readonly allocatable: JsonObject;
  readonly conditions: readonly NodeCondition[];
  readonly resourceId: string;
  readonly resourcePoolId: string;
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** Identifies a workload inside its cluster. */
export interface WorkloadRef {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
}

export interface Workload extends WorkloadRef {
  readonly clusterId: string;
  readonly replicas: number;
  readonly readyReplicas: number;
}

export interface Pod {
  readonly clusterId: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly phase: string;
  readonly ready: boolean;
  readonly nodeName: string | null;
  readonly restarts: number;
}

/** The enum values of schema/cluster.graphql: those of the O2 change events (o2/events.ts). */
export { CHANGE_KINDS, O2_OBJECT_KINDS } from '../../o2/events.ts';
export type { ChangeKind, O2ObjectKind };

export interface O2ObjectStates {
  readonly DEPLOYMENT_MANAGER: DeploymentManager;
  readonly RESOURCE_POOL: ResourcePool;
  readonly RESOURCE: Resource;
  readonly RESOURCE_TYPE: ResourceType;
}

interface ChangeCommon<K extends O2ObjectKind> {
  /**
   * Decimal sequence number, increasing by one per event of this cluster process: the live stream's order only.
   * The durable, resumable position is the hub's event log cursor (event-publisher.ts, hub inventoryChanged).
   */
  readonly cursor: string;
  readonly clusterId: string;
  readonly objectKind: K;
  readonly objectId: string;
  /** Path relative to the inventory API root, e.g. /resourcePools/{poolId}/resources/{resourceId}. */
  readonly objectRef: string;
  /** ISO 8601 time at which the subgraph observed the change. */
  readonly occurredAt: string;
}

type ChangeOf<K extends O2ObjectKind> =
  | (ChangeCommon<K> & {
      readonly changeKind: 'CREATE';
      readonly priorObjectState: null;
      readonly postObjectState: O2ObjectStates[K];
    })
  | (ChangeCommon<K> & {
      readonly changeKind: 'MODIFY';
      readonly priorObjectState: O2ObjectStates[K];
      readonly postObjectState: O2ObjectStates[K];
    })
  | (ChangeCommon<K> & {
      readonly changeKind: 'DELETE';
      readonly priorObjectState: O2ObjectStates[K];
      readonly postObjectState: null;
    });

/** One O2 inventory change with prior and post object states (the InventoryChange GraphQL type). */
export type InventoryChange = { [K in O2ObjectKind]: ChangeOf<K> }[O2ObjectKind];
