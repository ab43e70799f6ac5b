/**
 * The GraphQL operations behind the O2 inventory routes, with the TypeScript types of their results.
 *
 * Fragments select exactly the fields of the O2 objects (schema/cluster.graphql names them as O2 does), never
 * graph-only ones such as clusterId, so the shard executor does not fetch what the REST answer would drop.
 * The result types are written by hand against these selections; codegen will replace them once it covers
 * the facade's documents.
 */
import { graphOperation } from './operation-cache.ts';
import type { O2ResourceClass, O2ResourceKind } from './o2-inventory.ts';

/** A JSON object value of the `JSON` scalar: O2 `extensions`, `capabilities`, `capacity`. */
export type JsonObject = { readonly [key: string]: unknown };

export interface GraphOCloud {
  readonly oCloudId: string;
  readonly globalCloudId: string;
  readonly name: string;
  readonly description: string;
  readonly serviceUri: string;
  readonly extensions: JsonObject;
}

export interface GraphDeploymentManager {
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

export interface GraphResourcePool {
  readonly resourcePoolId: string;
  readonly name: string;
  readonly description: string;
  readonly oCloudSiteId: string;
  readonly extensions: JsonObject;
}

export interface GraphResource {
  readonly resourceId: string;
  readonly resourcePoolId: string;
  readonly resourceTypeId: string;
  readonly globalAssetId: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly groups: readonly string[];
  readonly extensions: JsonObject;
  /** Absent on the deepest selected level. */
  readonly elements?: readonly GraphResource[];
}

export interface GraphResourceType {
  readonly resourceTypeId: string;
  readonly name: string;
  readonly description: string;
  readonly vendor: string;
  readonly model: string;
  readonly version: string;
  readonly alarmDictionaryId: string | null;
  readonly resourceKind: O2ResourceKind;
  readonly resourceClass: O2ResourceClass;
  readonly extensions: JsonObject;
}

const CLOUD_INFO_FRAGMENT = /* GraphQL */ `
  fragment O2CloudInfo on OCloud {
    oCloudId
    globalCloudId
    name
    description
    serviceUri
    extensions
  }
`;

const DEPLOYMENT_MANAGER_FRAGMENT = /* GraphQL */ `
  fragment O2DeploymentManager on DeploymentManager {
    deploymentManagerId
    name
    description
    oCloudId
    serviceUri
    supportedLocations
    capabilities
    capacity
    extensions
  }
`;

const RESOURCE_POOL_FRAGMENT = /* GraphQL */ `
  fragment O2ResourcePool on ResourcePool {
    resourcePoolId
    name
    description
    oCloudSiteId
    extensions
  }
`;

/**
 * A node and two levels of `elements` below it. GraphQL cannot select a recursive field to any depth; the
 * cluster subgraph models a node's CPUs, memory, accelerators, NICs and storage as its elements and, at most,
 * parts of those (e.g. the virtual functions of an SR-IOV NIC) one level further down.
 */
const RESOURCE_FRAGMENT = /* GraphQL */ `
  fragment O2ResourceFields on Resource {
    resourceId
    resourcePoolId
    resourceTypeId
    globalAssetId
    description
    tags
    groups
    extensions
  }
  fragment O2Resource on Resource {
    ...O2ResourceFields
    elements {
      ...O2ResourceFields
      elements {
        ...O2ResourceFields
      }
    }
  }
`;

const RESOURCE_TYPE_FRAGMENT = /* GraphQL */ `
  fragment O2ResourceType on ResourceType {
    resourceTypeId
    name
    description
    vendor
    model
    version
    alarmDictionaryId
    resourceKind
    resourceClass
    extensions
  }
`;

export const CLOUD_INFO = graphOperation<{ readonly oCloud: GraphOCloud | null }>(
  'O2ImsCloudInfo',
  `query O2ImsCloudInfo { oCloud { ...O2CloudInfo } } ${CLOUD_INFO_FRAGMENT}`,
);

export const DEPLOYMENT_MANAGERS = graphOperation<{
  readonly deploymentManagers: readonly (GraphDeploymentManager | null)[];
}>(
  'O2ImsDeploymentManagers',
  `query O2ImsDeploymentManagers { deploymentManagers { ...O2DeploymentManager } } ${DEPLOYMENT_MANAGER_FRAGMENT}`,
);

export const DEPLOYMENT_MANAGER = graphOperation<
  { readonly deploymentManager: GraphDeploymentManager | null },
  { deploymentManagerId: string }
>(
  'O2ImsDeploymentManager',
  `query O2ImsDeploymentManager($deploymentManagerId: ID!) {
    deploymentManager(deploymentManagerId: $deploymentManagerId) { ...O2DeploymentManager }
  } ${DEPLOYMENT_MANAGER_FRAGMENT}`,
);

export const RESOURCE_POOLS = graphOperation<{
  readonly resourcePools: readonly (GraphResourcePool | null)[];
}>(
  'O2ImsResourcePools',
  `query O2ImsResourcePools { resourcePools { ...O2ResourcePool } } ${RESOURCE_POOL_FRAGMENT}`,
);

export const RESOURCE_POOL = graphOperation<
  { readonly resourcePool: GraphResourcePool | null },
  { resourcePoolId: string }
>(
  'O2ImsResourcePool',
  `query O2ImsResourcePool($resourcePoolId: ID!) {
    resourcePool(resourcePoolId: $resourcePoolId) { ...O2ResourcePool }
  } ${RESOURCE_POOL_FRAGMENT}`,
);

/**
 * Resources through their pool rather than `resources(resourcePoolId:)`: a missing pool then reads as null
 * (404) instead of an empty list, and the lookup by pool id goes to the one shard that owns the pool.
 */
export const POOL_RESOURCES = graphOperation<
  { readonly resourcePool: { readonly resources: readonly (GraphResource | null)[] } | null },
  { resourcePoolId: string }
>(
  'O2ImsPoolResources',
  `query O2ImsPoolResources($resourcePoolId: ID!) {
    resourcePool(resourcePoolId: $resourcePoolId) { resources { ...O2Resource } }
  } ${RESOURCE_FRAGMENT}`,
);

export const RESOURCE = graphOperation<{ readonly resource: GraphResource | null }, { resourceId: string }>(
  'O2ImsResource',
  `query O2ImsResource($resourceId: ID!) { resource(resourceId: $resourceId) { ...O2Resource } } ${RESOURCE_FRAGMENT}`,
);

export const RESOURCE_TYPES = graphOperation<{
  readonly resourceTypes: readonly (GraphResourceType | null)[];
}>(
  'O2ImsResourceTypes',
  `query O2ImsResourceTypes { resourceTypes { ...O2ResourceType } } ${RESOURCE_TYPE_FRAGMENT}`,
);

export const RESOURCE_TYPE = graphOperation<
  { readonly resourceType: GraphResourceType | null },
  { resourceTypeId: string }
>(
  'O2ImsResourceType',
  `query O2ImsResourceType($resourceTypeId: ID!) {
    resourceType(resourceTypeId: $resourceTypeId) { ...O2ResourceType }
  } ${RESOURCE_TYPE_FRAGMENT}`,
);
