/**
 * The route table of the O2 IMS Infrastructure Inventory API v2: one entry per path of
 * schema/o2ims-inventory-v2.openapi.yaml (paths relative to `/o2ims-infrastructureInventory`).
 */
import { INVENTORY_V2_VERSIONS } from './api-versions.ts';
import {
  toO2CloudInfo,
  toO2DeploymentManager,
  toO2Resource,
  toO2ResourcePool,
  toO2ResourceType,
} from './o2-inventory.ts';
import {
  CLOUD_INFO,
  DEPLOYMENT_MANAGER,
  DEPLOYMENT_MANAGERS,
  POOL_RESOURCES,
  RESOURCE,
  RESOURCE_POOL,
  RESOURCE_POOLS,
  RESOURCE_TYPE,
  RESOURCE_TYPES,
} from './operations.ts';
import { listRoute, objectRoute, staticRoute } from './route-table.ts';
import type { InventoryRoute } from './route-table.ts';

const noVariables = (): Record<string, never> => ({});

export const INVENTORY_V2_ROUTES: readonly InventoryRoute[] = [
  staticRoute({ operationId: 'getAllVersions', path: '/api_versions', body: INVENTORY_V2_VERSIONS }),
  staticRoute({ operationId: 'getMinorVersions', path: '/v2/api_versions', body: INVENTORY_V2_VERSIONS }),
  objectRoute({
    operationId: 'getCloudInfo',
    path: '/v2',
    operation: CLOUD_INFO,
    variables: noVariables,
    extract: (data) => data.oCloud,
    shape: toO2CloudInfo,
    subject: () => 'the O-Cloud',
  }),
  listRoute({
    operationId: 'getResourceTypes',
    path: '/v2/resourceTypes',
    operation: RESOURCE_TYPES,
    variables: noVariables,
    extract: (data) => data.resourceTypes,
    shape: toO2ResourceType,
  }),
  objectRoute({
    operationId: 'getResourceType',
    path: '/v2/resourceTypes/{resourceTypeId}',
    operation: RESOURCE_TYPE,
    variables: ({ resourceTypeId }) => ({ resourceTypeId }),
    extract: (data) => data.resourceType,
    shape: toO2ResourceType,
    subject: ({ resourceTypeId }) => `resource type ${resourceTypeId}`,
  }),
  listRoute({
    operationId: 'getResourcePools',
    path: '/v2/resourcePools',
    operation: RESOURCE_POOLS,
    variables: noVariables,
    extract: (data) => data.resourcePools,
    shape: toO2ResourcePool,
  }),
  objectRoute({
    operationId: 'getResourcePool',
    path: '/v2/resourcePools/{resourcePoolId}',
    operation: RESOURCE_POOL,
    variables: ({ resourcePoolId }) => ({ resourcePoolId }),
    extract: (data) => data.resourcePool,
    shape: toO2ResourcePool,
    subject: ({ resourcePoolId }) => `resource pool ${resourcePoolId}`,
  }),
  listRoute({
    operationId: 'getResources',
    path: '/v2/resourcePools/{resourcePoolId}/resources',
    operation: POOL_RESOURCES,
    variables: ({ resourcePoolId }) => ({ resourcePoolId }),
    extract: (data) => data.resourcePool?.resources ?? null,
    shape: toO2Resource,
    owner: ({ resourcePoolId }) => `resource pool ${resourcePoolId}`,
  }),
  objectRoute({
    operationId: 'getResource',
    path: '/v2/resourcePools/{resourcePoolId}/resources/{resourceId}',
    operation: RESOURCE,
    variables: ({ resourceId }) => ({ resourceId }),
    extract: (data) => data.resource,
    // Resources are looked up by id alone; one addressed under a pool that is not its own does not exist there.
    belongs: (resource, { resourcePoolId }) => resource.resourcePoolId.toLowerCase() === resourcePoolId,
    shape: toO2Resource,
    subject: ({ resourcePoolId, resourceId }) => `resource ${resourceId} in resource pool ${resourcePoolId}`,
  }),
  listRoute({
    operationId: 'getDeploymentManagers',
    path: '/v2/deploymentManagers',
    operation: DEPLOYMENT_MANAGERS,
    variables: noVariables,
    extract: (data) => data.deploymentManagers,
    shape: toO2DeploymentManager,
  }),
  objectRoute({
    operationId: 'getDeploymentManager',
    path: '/v2/deploymentManagers/{deploymentManagerId}',
    operation: DEPLOYMENT_MANAGER,
    variables: ({ deploymentManagerId }) => ({ deploymentManagerId }),
    extract: (data) => data.deploymentManager,
    shape: toO2DeploymentManager,
    subject: ({ deploymentManagerId }) => `deployment manager ${deploymentManagerId}`,
  }),
];
