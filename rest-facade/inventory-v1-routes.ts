/**
 * The route table of the v4-compatible profile on /o2ims-infrastructureInventory/v1: the paths of the last
 * oran-o2ims inventory API before the v11 model and of O-RAN SC INF (pti-o2), one entry per path of
 * schema/o2ims-inventory-v1.openapi.yaml. The objects are v4-shaped (models/v1.ts); the data is the same
 * federated graph as /v2.
 */
import { INVENTORY_V1_VERSIONS } from './api-versions.ts';
import { LIST_ARGUMENTS, LIST_VARIABLES, query } from './documents.ts';
import { listMember, member, objectsOf, stringMember } from './graph-data.ts';
import type { ShapeContext } from './models/object-model.ts';
import type { AttributeSet } from './models/projection.ts';
import { v1Models } from './models/v1.ts';
import type { V1Settings } from './models/v1.ts';
import { listRoute, objectRoute, staticRoute } from './route-table.ts';
import type { InventoryRoute } from './route-table.ts';

const noVariables = (): Record<string, unknown> => ({});

function produces(attributes: AttributeSet, name: string): boolean {
  return attributes === 'all' || attributes.has(name);
}

/** The O-Cloud and location names a v4 pool names; fetched in the same operation only when produced. */
function poolJoins(attributes: AttributeSet): string {
  return [
    produces(attributes, 'oCloudId') ? 'oCloud { oCloudId }' : '',
    produces(attributes, 'location') ? 'locations { globalLocationId name }' : '',
  ].join(' ');
}

function poolContext(data: unknown): ShapeContext {
  const locationNames = new Map<string, string>();
  for (const location of objectsOf(data, 'locations')) {
    const id = stringMember(location, 'globalLocationId');
    const name = stringMember(location, 'name');
    if (id !== undefined && name !== undefined) locationNames.set(id, name);
  }
  return { oCloudId: stringMember(member(data, 'oCloud'), 'oCloudId'), locationNames };
}

export function inventoryV1Routes(settings: V1Settings): InventoryRoute[] {
  const models = v1Models(settings);
  return [
    staticRoute({ operationId: 'getMinorVersions', path: '/v1/api_versions', body: INVENTORY_V1_VERSIONS }),
    objectRoute({
      operationId: 'getCloudInfo',
      path: '/v1',
      model: models.cloudInfo,
      document: (selection) => query('O2ImsV1CloudInfo', '', `oCloud { ${selection} }`),
      variables: noVariables,
      extract: (data) => member(data, 'oCloud'),
      subject: () => 'the O-Cloud',
    }),
    listRoute({
      operationId: 'getDeploymentManagers',
      path: '/v1/deploymentManagers',
      model: models.deploymentManager,
      evaluation: 'shards',
      document: (selection) =>
        query(
          'O2ImsV1DeploymentManagers',
          LIST_VARIABLES,
          `deploymentManagers(${LIST_ARGUMENTS}) { ${selection} }`,
        ),
      variables: noVariables,
      extract: (data) => listMember(data, 'deploymentManagers'),
    }),
    objectRoute({
      operationId: 'getDeploymentManager',
      path: '/v1/deploymentManagers/{deploymentManagerId}',
      model: models.deploymentManager,
      document: (selection) =>
        query(
          'O2ImsV1DeploymentManager',
          '$deploymentManagerId: ID!',
          `deploymentManager(deploymentManagerId: $deploymentManagerId) { ${selection} }`,
        ),
      variables: ({ deploymentManagerId }) => ({ deploymentManagerId }),
      extract: (data) => member(data, 'deploymentManager'),
      subject: ({ deploymentManagerId }) => `deployment manager ${deploymentManagerId}`,
    }),
    listRoute({
      operationId: 'getResourceTypes',
      path: '/v1/resourceTypes',
      model: models.resourceType,
      evaluation: 'shards',
      document: (selection) =>
        query('O2ImsV1ResourceTypes', LIST_VARIABLES, `resourceTypes(${LIST_ARGUMENTS}) { ${selection} }`),
      variables: noVariables,
      extract: (data) => listMember(data, 'resourceTypes'),
    }),
    objectRoute({
      operationId: 'getResourceType',
      path: '/v1/resourceTypes/{resourceTypeId}',
      model: models.resourceType,
      document: (selection) =>
        query(
          'O2ImsV1ResourceType',
          '$resourceTypeId: ID!',
          `resourceType(resourceTypeId: $resourceTypeId) { ${selection} }`,
        ),
      variables: ({ resourceTypeId }) => ({ resourceTypeId }),
      extract: (data) => member(data, 'resourceType'),
      subject: ({ resourceTypeId }) => `resource type ${resourceTypeId}`,
    }),
    objectRoute({
      operationId: 'getResourceTypeAlarmDictionary',
      path: '/v1/resourceTypes/{resourceTypeId}/alarmDictionary',
      model: models.alarmDictionary,
      document: (selection) =>
        query(
          'O2ImsV1ResourceTypeAlarmDictionary',
          '$resourceTypeId: ID!',
          `resourceType(resourceTypeId: $resourceTypeId) { alarmDictionary { ${selection} } }`,
        ),
      variables: ({ resourceTypeId }) => ({ resourceTypeId }),
      extract: (data) => member(member(data, 'resourceType'), 'alarmDictionary'),
      subject: ({ resourceTypeId }) => `the alarm dictionary of resource type ${resourceTypeId}`,
    }),
    listRoute({
      operationId: 'getResourcePools',
      path: '/v1/resourcePools',
      model: models.resourcePool,
      evaluation: 'shards',
      document: (selection, attributes) =>
        query(
          'O2ImsV1ResourcePools',
          LIST_VARIABLES,
          `resourcePools(${LIST_ARGUMENTS}) { ${selection} } ${poolJoins(attributes)}`,
        ),
      variables: noVariables,
      extract: (data) => listMember(data, 'resourcePools'),
      context: poolContext,
    }),
    objectRoute({
      operationId: 'getResourcePool',
      path: '/v1/resourcePools/{resourcePoolId}',
      model: models.resourcePool,
      document: (selection, attributes) =>
        query(
          'O2ImsV1ResourcePool',
          '$resourcePoolId: ID!',
          `resourcePool(resourcePoolId: $resourcePoolId) { ${selection} } ${poolJoins(attributes)}`,
        ),
      variables: ({ resourcePoolId }) => ({ resourcePoolId }),
      extract: (data) => member(data, 'resourcePool'),
      context: poolContext,
      subject: ({ resourcePoolId }) => `resource pool ${resourcePoolId}`,
    }),
    listRoute({
      operationId: 'getResources',
      path: '/v1/resourcePools/{resourcePoolId}/resources',
      model: models.resource,
      evaluation: 'shards',
      document: (selection) =>
        query(
          'O2ImsV1PoolResources',
          `$resourcePoolId: ID!, ${LIST_VARIABLES}`,
          `resourcePool(resourcePoolId: $resourcePoolId) { resources(${LIST_ARGUMENTS}) { ${selection} } }`,
        ),
      variables: ({ resourcePoolId }) => ({ resourcePoolId }),
      extract: (data) => listMember(member(data, 'resourcePool'), 'resources'),
      owner: ({ resourcePoolId }) => `resource pool ${resourcePoolId}`,
    }),
    objectRoute({
      operationId: 'getResource',
      path: '/v1/resourcePools/{resourcePoolId}/resources/{resourceId}',
      model: models.resource,
      document: (selection) =>
        query(
          'O2ImsV1Resource',
          '$resourceId: ID!',
          `resource(resourceId: $resourceId) { resourcePoolId ${selection} }`,
        ),
      variables: ({ resourceId }) => ({ resourceId }),
      extract: (data) => member(data, 'resource'),
      belongs: (resource, { resourcePoolId }) =>
        stringMember(resource, 'resourcePoolId')?.toLowerCase() === resourcePoolId,
      subject: ({ resourcePoolId, resourceId }) =>
        `resource ${resourceId} in resource pool ${resourcePoolId}`,
    }),
    listRoute({
      operationId: 'getAlarmDictionaries',
      path: '/v1/alarmDictionaries',
      model: models.alarmDictionary,
      evaluation: 'shards',
      document: (selection) =>
        query(
          'O2ImsV1AlarmDictionaries',
          LIST_VARIABLES,
          `alarmDictionaries(${LIST_ARGUMENTS}) { ${selection} }`,
        ),
      variables: noVariables,
      extract: (data) => listMember(data, 'alarmDictionaries'),
    }),
    objectRoute({
      operationId: 'getAlarmDictionary',
      path: '/v1/alarmDictionaries/{alarmDictionaryId}',
      model: models.alarmDictionary,
      document: (selection) =>
        query(
          'O2ImsV1AlarmDictionary',
          '$alarmDictionaryId: ID!',
          `alarmDictionary(alarmDictionaryId: $alarmDictionaryId) { ${selection} }`,
        ),
      variables: ({ alarmDictionaryId }) => ({ alarmDictionaryId }),
      extract: (data) => member(data, 'alarmDictionary'),
      subject: ({ alarmDictionaryId }) => `alarm dictionary ${alarmDictionaryId}`,
    }),
  ];
}
