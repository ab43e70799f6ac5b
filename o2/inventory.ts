/**
 * The O2 IMS infrastructure inventory objects in their complete v2 form (O2IMS interface v11 model), and the
 * shaping of graph-model objects into them. The REST routes shape through the object models in models/
 * (selectors decide what is fetched); this module serves code that needs whole O2 objects from the graph
 * model, such as the object states of inventory change notifications.
 *
 * Shaping picks the O2 fields explicitly instead of passing graph objects through: the graph carries fields that
 * are not part of O2 (clusterId, topology links) and the v2 model drops some that the graph keeps for v1
 * (a pool's globalLocationId). What leaves here is exactly the O2 object, whatever a document selected.
 */
/** A value of the `JSON` scalar (common/json-scalar.ts). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
/** A JSON object value of the `JSON` scalar: O2 `extensions`, `capabilities`, `capacity`. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export interface O2CloudInfo {
  readonly oCloudId: string;
  readonly globalCloudId: string;
  readonly name: string;
  readonly description: string;
  readonly serviceUri: string;
  readonly extensions: JsonObject;
}

export interface O2DeploymentManager {
  readonly deploymentManagerId: string;
  readonly name: string;
  readonly description: string;
  readonly oCloudId: string;
  readonly serviceUri: string;
  readonly supportedLocations: readonly string[];
  readonly capabilities: JsonObject;
  readonly capacity: JsonObject;
  readonly extensions: JsonObject;
}

export interface O2ResourcePool {
  readonly resourcePoolId: string;
  readonly name: string;
  readonly description: string;
  readonly oCloudSiteId: string;
  readonly extensions: JsonObject;
}

export interface O2Resource {
  readonly resourceId: string;
  readonly resourcePoolId: string;
  readonly resourceTypeId: string;
  readonly globalAssetId: string;
  readonly description: string;
  readonly elements: readonly O2Resource[];
  readonly tags: readonly string[];
  readonly groups: readonly string[];
  readonly extensions: JsonObject;
}

export const RESOURCE_KINDS = ['UNDEFINED', 'PHYSICAL', 'LOGICAL'] as const;
export type O2ResourceKind = (typeof RESOURCE_KINDS)[number];
export const RESOURCE_CLASSES = ['UNDEFINED', 'COMPUTE', 'NETWORKING', 'STORAGE'] as const;
export type O2ResourceClass = (typeof RESOURCE_CLASSES)[number];

export interface O2ResourceType {
  readonly resourceTypeId: string;
  readonly name: string;
  readonly description: string;
  readonly vendor: string;
  readonly model: string;
  readonly version: string;
  /** Absent (not null) when the type has no alarm dictionary: O2 types it as a UUID, not a nullable one. */
  readonly alarmDictionaryId?: string;
  readonly resourceKind: O2ResourceKind;
  readonly resourceClass: O2ResourceClass;
  readonly extensions: JsonObject;
}

/**
 * The graph model's objects (what the cluster and hub subgraphs resolve): the O2 objects themselves, except
 * where GraphQL differs from the O2 JSON — a resource's `elements` are absent below the deepest selected
 * level, and a type without an alarm dictionary has `alarmDictionaryId: null`. The graph objects also carry
 * fields that are not O2 (clusterId, topology links): the `toO2*` functions below pick the O2 ones.
 */
export type GraphOCloud = O2CloudInfo;
export type GraphDeploymentManager = O2DeploymentManager;
export type GraphResourcePool = O2ResourcePool;

export interface GraphResource extends Omit<O2Resource, 'elements'> {
  /** Absent on the deepest selected level. */
  readonly elements?: readonly GraphResource[];
}

export interface GraphResourceType extends Omit<O2ResourceType, 'alarmDictionaryId'> {
  readonly alarmDictionaryId: string | null;
}

export function toO2CloudInfo(cloud: GraphOCloud): O2CloudInfo {
  return {
    oCloudId: cloud.oCloudId,
    globalCloudId: cloud.globalCloudId,
    name: cloud.name,
    description: cloud.description,
    serviceUri: cloud.serviceUri,
    extensions: cloud.extensions,
  };
}

export function toO2DeploymentManager(manager: GraphDeploymentManager): O2DeploymentManager {
  return {
    deploymentManagerId: manager.deploymentManagerId,
    name: manager.name,
    description: manager.description,
    oCloudId: manager.oCloudId,
    serviceUri: manager.serviceUri,
    supportedLocations: manager.supportedLocations,
    capabilities: manager.capabilities,
    capacity: manager.capacity,
    extensions: manager.extensions,
  };
}

export function toO2ResourcePool(pool: GraphResourcePool): O2ResourcePool {
  return {
    resourcePoolId: pool.resourcePoolId,
    name: pool.name,
    description: pool.description,
    oCloudSiteId: pool.oCloudSiteId,
    extensions: pool.extensions,
  };
}

export function toO2Resource(resource: GraphResource): O2Resource {
  return {
    resourceId: resource.resourceId,
    resourcePoolId: resource.resourcePoolId,
    resourceTypeId: resource.resourceTypeId,
    globalAssetId: resource.globalAssetId,
    description: resource.description,
    // The deepest selected level carries no `elements` selection (GraphQL cannot recurse); see
    // ELEMENT_DEPTH in rest-facade/models/attributes.ts.
    elements: (resource.elements ?? []).map(toO2Resource),
    tags: resource.tags,
    groups: resource.groups,
    extensions: resource.extensions,
  };
}

export function toO2ResourceType(type: GraphResourceType): O2ResourceType {
  return {
    resourceTypeId: type.resourceTypeId,
    name: type.name,
    description: type.description,
    vendor: type.vendor,
    model: type.model,
    version: type.version,
    ...(type.alarmDictionaryId === null ? {} : { alarmDictionaryId: type.alarmDictionaryId }),
    resourceKind: type.resourceKind,
    resourceClass: type.resourceClass,
    extensions: type.extensions,
  };
}
