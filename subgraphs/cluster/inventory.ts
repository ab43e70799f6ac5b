/**
 * The O2 inventory of one cluster, maintained incrementally from node events (docs/architecture.md "Data flows" "Change").
 *
 * A node event re-maps that node only; its pool and the deployment manager are updated through running
 * capacity sums, and resource types through reference counts. A change event is emitted only when an O2
 * object's state actually changes (structural comparison), so resourceVersion bumps and kubelet heartbeats
 * emit nothing. Events of one mutation are dispatched after the mutation is complete, in referential order:
 * types and pools an object refers to are created before it and deleted after it.
 */
import { isDeepStrictEqual } from 'node:util';
import type { V1Node } from '@kubernetes/client-node';
import { CapacityTotals, sameNodeCapacity } from './capacity.ts';
import {
  type MappedNode,
  type MappingContext,
  mapDeploymentManager,
  mapLocation,
  mapNode,
  mapOCloudSite,
  mapResourcePool,
  resourcePoolIdOf,
} from './mapping.ts';
import type {
  DeploymentManager,
  InventoryChange,
  Location,
  OCloudSite,
  Resource,
  ResourcePool,
  ResourceType,
} from './model.ts';

export type InventoryListener = (change: InventoryChange) => void;

export interface InventoryOptions {
  /** Clock for `occurredAt` (injectable for tests). */
  readonly now?: () => Date;
  /** Where a throwing listener is reported; it never disturbs the inventory or other listeners. */
  readonly onListenerError?: (error: unknown) => void;
}

interface PoolRecord {
  readonly name: string;
  readonly resourcePoolId: string;
  readonly totals: CapacityTotals;
  readonly nodeNames: Set<string>;
  state: ResourcePool;
}

interface TypeRecord {
  readonly type: ResourceType;
  /** Nodes whose resource or elements have this type. */
  references: number;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type PendingChange = DistributiveOmit<InventoryChange, 'cursor' | 'clusterId' | 'occurredAt'>;

export class ClusterInventory {
  readonly clusterId: string;
  readonly oCloudSite: OCloudSite;
  readonly location: Location;

  readonly #ctx: MappingContext;
  readonly #now: () => Date;
  readonly #onListenerError: (error: unknown) => void;
  readonly #listeners = new Set<InventoryListener>();

  /** Mapped nodes by node name (the informer's key); the uid tells incarnations apart. */
  readonly #nodes = new Map<string, MappedNode>();
  /** Top-level resources and their elements by resourceId. */
  readonly #resources = new Map<string, Resource>();
  /** Node name of each top-level resource. */
  readonly #nodeNames = new Map<string, string>();
  readonly #pools = new Map<string, PoolRecord>();
  readonly #poolsById = new Map<string, PoolRecord>();
  readonly #types = new Map<string, TypeRecord>();
  readonly #totals = new CapacityTotals();
  #kubernetesVersion: string | null = null;
  #deploymentManager: DeploymentManager;
  #sequence = 0;
  #pending: PendingChange[] = [];
  #sortedResources: Resource[] | undefined;
  #sortedPools: ResourcePool[] | undefined;
  #sortedTypes: ResourceType[] | undefined;
  #resourcesById: Resource[] | undefined;
  readonly #resourcesByPool = new Map<string, Resource[]>();
  #poolsSortedById: ResourcePool[] | undefined;

  constructor(ctx: MappingContext, options: InventoryOptions = {}) {
    this.#ctx = ctx;
    this.clusterId = ctx.clusterId;
    this.#now = options.now ?? (() => new Date());
    this.#onListenerError = options.onListenerError ?? (() => {});
    this.oCloudSite = mapOCloudSite(ctx.site);
    this.location = mapLocation(ctx.site);
    // The deployment manager exists from the start (an empty cluster is still a cluster); it changes, and
    // emits MODIFY, as nodes add capacity.
    this.#deploymentManager = mapDeploymentManager(ctx, this.#totals, null);
  }

  // ---- reads -------------------------------------------------------------------------------------------

  get kubernetesVersion(): string | null {
    return this.#kubernetesVersion;
  }

  deploymentManager(): DeploymentManager {
    return this.#deploymentManager;
  }

  /** Pools sorted by name. */
  resourcePools(): readonly ResourcePool[] {
    this.#sortedPools ??= [...this.#pools.values()]
      .sort((a, b) => compareText(a.name, b.name))
      .map((record) => record.state);
    return this.#sortedPools;
  }

  resourcePool(resourcePoolId: string): ResourcePool | undefined {
    return this.#poolsById.get(resourcePoolId)?.state;
  }

  /** Top-level resources (nodes) sorted by node name, of one pool when resourcePoolId is given. */
  resources(resourcePoolId?: string): readonly Resource[] {
    if (this.#sortedResources === undefined) {
      const names = [...this.#nodes.keys()].sort(compareText);
      this.#sortedResources = names.map((name) => this.#nodes.get(name)!.resource);
    }
    if (resourcePoolId === undefined) return this.#sortedResources;
    return this.#sortedResources.filter((resource) => resource.resourcePoolId === resourcePoolId);
  }

  /**
   * Top-level resources in ascending order of resourceId, of one pool when resourcePoolId is given: the order
   * of the inventory list fields (o2/list-window.ts). Kept until the next node change, per pool.
   */
  resourcesById(resourcePoolId?: string): readonly Resource[] {
    if (this.#resourcesById === undefined) {
      this.#resourcesById = [...this.#nodes.values()]
        .map((node) => node.resource)
        .sort((a, b) => compareText(a.resourceId, b.resourceId));
      this.#resourcesByPool.clear();
    }
    if (resourcePoolId === undefined) return this.#resourcesById;
    let list = this.#resourcesByPool.get(resourcePoolId);
    if (list === undefined) {
      list = this.#resourcesById.filter((resource) => resource.resourcePoolId === resourcePoolId);
      this.#resourcesByPool.set(resourcePoolId, list);
    }
    return list;
  }

  /** Pools in ascending order of resourcePoolId (the order of the inventory list fields). */
  resourcePoolsById(): readonly ResourcePool[] {
    this.#poolsSortedById ??= [...this.#pools.values()]
      .map((record) => record.state)
      .sort((a, b) => compareText(a.resourcePoolId, b.resourcePoolId));
    return this.#poolsSortedById;
  }

  /** A top-level resource or an element. */
  resource(resourceId: string): Resource | undefined {
    return this.#resources.get(resourceId);
  }

  /** The Kubernetes node behind a top-level resource; undefined for elements and unknown ids. */
  nodeNameOf(resourceId: string): string | undefined {
    return this.#nodeNames.get(resourceId);
  }

  /** Resource types referenced by at least one node, sorted by id. */
  resourceTypes(): readonly ResourceType[] {
    this.#sortedTypes ??= [...this.#types.values()]
      .map((record) => record.type)
      .sort((a, b) => compareText(a.resourceTypeId, b.resourceTypeId));
    return this.#sortedTypes;
  }

  resourceType(resourceTypeId: string): ResourceType | undefined {
    return this.#types.get(resourceTypeId)?.type;
  }

  /** The cursor of the last emitted event ("0" before the first). */
  get cursor(): string {
    return String(this.#sequence);
  }

  // ---- change events -------------------------------------------------------------------------------

  /** Subscribes to change events; returns the unsubscribe function. */
  onChange(listener: InventoryListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  // ---- mutations (from informer events) ------------------------------------------------------------

  /** A node was added or updated. */
  applyNode(node: V1Node): void {
    const next = mapNode(this.#ctx, node);
    const prior = this.#nodes.get(next.name);
    if (prior === undefined) {
      this.#addNode(next);
    } else if (prior.uid !== next.uid) {
      // The node was deleted and re-created under the same name while we were not watching (a relist
      // reports it as an update): a different machine, or at least a different incarnation.
      this.#removeNode(prior);
      this.#addNode(next);
    } else {
      this.#replaceNode(prior, next);
    }
    this.#flush();
  }

  /** A node was deleted. A delete for an older incarnation of the name is ignored. */
  deleteNode(node: V1Node): void {
    const name = node.metadata?.name ?? '';
    const prior = this.#nodes.get(name);
    if (prior === undefined) return;
    const uid = node.metadata?.uid;
    if (uid !== undefined && uid !== prior.uid) return;
    this.#removeNode(prior);
    this.#flush();
  }

  /** The API server's version (from /version); part of the deployment manager's capabilities. */
  setKubernetesVersion(version: string | null): void {
    if (version === this.#kubernetesVersion) return;
    this.#kubernetesVersion = version;
    this.#refreshDeploymentManager();
    this.#flush();
  }

  #addNode(next: MappedNode): void {
    this.#retainTypes(next.resourceTypes);
    this.#joinPool(next);
    this.#indexResource(next);
    this.#pending.push({
      changeKind: 'CREATE',
      objectKind: 'RESOURCE',
      objectId: next.resource.resourceId,
      objectRef: resourceRef(next.resource),
      priorObjectState: null,
      postObjectState: next.resource,
    });
    this.#totals.add(next.capacity);
    this.#refreshDeploymentManager();
  }

  #removeNode(prior: MappedNode): void {
    this.#unindexResource(prior);
    this.#pending.push({
      changeKind: 'DELETE',
      objectKind: 'RESOURCE',
      objectId: prior.resource.resourceId,
      objectRef: resourceRef(prior.resource),
      priorObjectState: prior.resource,
      postObjectState: null,
    });
    this.#leavePool(prior);
    this.#releaseTypes(prior.resourceTypes);
    this.#totals.remove(prior.capacity);
    this.#refreshDeploymentManager();
  }

  #replaceNode(prior: MappedNode, next: MappedNode): void {
    // The resource state covers everything else this node contributes (its pool is in resourcePoolId,
    // its types in resourceTypeIds, its capacity in extensions): equal resources mean nothing changed.
    if (isDeepStrictEqual(prior.resource, next.resource)) return;
    this.#retainTypes(next.resourceTypes);
    const samePool = prior.poolName === next.poolName;
    const sameCapacity = sameNodeCapacity(prior.capacity, next.capacity);
    if (samePool) {
      if (!sameCapacity) this.#recountPool(prior, next);
    } else {
      this.#joinPool(next);
    }
    this.#unindexResource(prior);
    this.#indexResource(next);
    this.#pending.push({
      changeKind: 'MODIFY',
      objectKind: 'RESOURCE',
      objectId: next.resource.resourceId,
      objectRef: resourceRef(next.resource),
      priorObjectState: prior.resource,
      postObjectState: next.resource,
    });
    if (!samePool) this.#leavePool(prior);
    this.#releaseTypes(prior.resourceTypes);
    if (!sameCapacity) {
      this.#totals.remove(prior.capacity);
      this.#totals.add(next.capacity);
      this.#refreshDeploymentManager();
    }
  }

  #indexResource(mapped: MappedNode): void {
    const { resource } = mapped;
    this.#nodes.set(mapped.name, mapped);
    this.#resources.set(resource.resourceId, resource);
    for (const element of resource.elements) this.#resources.set(element.resourceId, element);
    this.#nodeNames.set(resource.resourceId, mapped.name);
    this.#sortedResources = undefined;
    this.#resourcesById = undefined;
  }

  #unindexResource(mapped: MappedNode): void {
    const { resource } = mapped;
    this.#nodes.delete(mapped.name);
    this.#resources.delete(resource.resourceId);
    for (const element of resource.elements) this.#resources.delete(element.resourceId);
    this.#nodeNames.delete(resource.resourceId);
    this.#sortedResources = undefined;
    this.#resourcesById = undefined;
  }

  #joinPool(mapped: MappedNode): void {
    let record = this.#pools.get(mapped.poolName);
    const created = record === undefined;
    if (record === undefined) {
      const totals = new CapacityTotals();
      record = {
        name: mapped.poolName,
        resourcePoolId: resourcePoolIdOf(this.#ctx, mapped.poolName),
        totals,
        nodeNames: new Set(),
        state: mapResourcePool(this.#ctx, mapped.poolName, totals),
      };
      this.#pools.set(record.name, record);
      this.#poolsById.set(record.resourcePoolId, record);
    }
    record.nodeNames.add(mapped.name);
    record.totals.add(mapped.capacity);
    if (created) {
      record.state = mapResourcePool(this.#ctx, record.name, record.totals);
      this.#sortedPools = undefined;
      this.#poolsSortedById = undefined;
      this.#pending.push({
        changeKind: 'CREATE',
        objectKind: 'RESOURCE_POOL',
        objectId: record.resourcePoolId,
        objectRef: poolRef(record.resourcePoolId),
        priorObjectState: null,
        postObjectState: record.state,
      });
    } else {
      this.#refreshPool(record);
    }
  }

  #leavePool(mapped: MappedNode): void {
    const record = this.#pools.get(mapped.poolName);
    if (record === undefined) return;
    record.nodeNames.delete(mapped.name);
    record.totals.remove(mapped.capacity);
    if (record.nodeNames.size > 0) {
      this.#refreshPool(record);
      return;
    }
    // A pool exists while it has nodes: the label value names it, nothing else records it.
    this.#pools.delete(record.name);
    this.#poolsById.delete(record.resourcePoolId);
    this.#sortedPools = undefined;
    this.#poolsSortedById = undefined;
    this.#pending.push({
      changeKind: 'DELETE',
      objectKind: 'RESOURCE_POOL',
      objectId: record.resourcePoolId,
      objectRef: poolRef(record.resourcePoolId),
      priorObjectState: record.state,
      postObjectState: null,
    });
  }

  #recountPool(prior: MappedNode, next: MappedNode): void {
    const record = this.#pools.get(next.poolName);
    if (record === undefined) return;
    record.totals.remove(prior.capacity);
    record.totals.add(next.capacity);
    this.#refreshPool(record);
  }

  #refreshPool(record: PoolRecord): void {
    const state = mapResourcePool(this.#ctx, record.name, record.totals);
    if (isDeepStrictEqual(state, record.state)) return;
    const prior = record.state;
    record.state = state;
    this.#sortedPools = undefined;
    this.#poolsSortedById = undefined;
    this.#pending.push({
      changeKind: 'MODIFY',
      objectKind: 'RESOURCE_POOL',
      objectId: record.resourcePoolId,
      objectRef: poolRef(record.resourcePoolId),
      priorObjectState: prior,
      postObjectState: state,
    });
  }

  #retainTypes(types: readonly ResourceType[]): void {
    for (const type of types) {
      const record = this.#types.get(type.resourceTypeId);
      if (record !== undefined) {
        record.references++;
        continue;
      }
      this.#types.set(type.resourceTypeId, { type, references: 1 });
      this.#sortedTypes = undefined;
      this.#pending.push({
        changeKind: 'CREATE',
        objectKind: 'RESOURCE_TYPE',
        objectId: type.resourceTypeId,
        objectRef: typeRef(type.resourceTypeId),
        priorObjectState: null,
        postObjectState: type,
      });
    }
  }

  #releaseTypes(types: readonly ResourceType[]): void {
    for (const type of types) {
      const record = this.#types.get(type.resourceTypeId);
      if (record === undefined || --record.references > 0) continue;
      this.#types.delete(type.resourceTypeId);
      this.#sortedTypes = undefined;
      this.#pending.push({
        changeKind: 'DELETE',
        objectKind: 'RESOURCE_TYPE',
        objectId: type.resourceTypeId,
        objectRef: typeRef(type.resourceTypeId),
        priorObjectState: record.type,
        postObjectState: null,
      });
    }
  }

  #refreshDeploymentManager(): void {
    const state = mapDeploymentManager(this.#ctx, this.#totals, this.#kubernetesVersion);
    if (isDeepStrictEqual(state, this.#deploymentManager)) return;
    const prior = this.#deploymentManager;
    this.#deploymentManager = state;
    this.#pending.push({
      changeKind: 'MODIFY',
      objectKind: 'DEPLOYMENT_MANAGER',
      objectId: state.deploymentManagerId,
      objectRef: `/deploymentManagers/${state.deploymentManagerId}`,
      priorObjectState: prior,
      postObjectState: state,
    });
  }

  /** Assigns cursors and dispatches the events of the mutation that just completed. */
  #flush(): void {
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    this.#pending = [];
    const occurredAt = this.#now().toISOString();
    for (const change of pending) {
      const event: InventoryChange = {
        ...change,
        cursor: String(++this.#sequence),
        clusterId: this.clusterId,
        occurredAt,
      };
      for (const listener of this.#listeners) {
        try {
          listener(event);
        } catch (error) {
          this.#onListenerError(error);
        }
      }
    }
  }
}

function resourceRef(resource: Resource): string {
  return `/resourcePools/${resource.resourcePoolId}/resources/${resource.resourceId}`;
}

function poolRef(resourcePoolId: string): string {
  return `/resourcePools/${resourcePoolId}`;
}

function typeRef(resourceTypeId: string): string {
  return `/resourceTypes/${resourceTypeId}`;
}

/** Code-unit order: stable and locale-independent, so every replica lists in the same order. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
