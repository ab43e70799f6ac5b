/**
 * The route table of the O2 IMS Infrastructure Inventory API v2 (O2IMS v11 model): one entry per path of
 * schema/o2ims-inventory-v2.openapi.yaml (paths relative to `/o2ims-infrastructureInventory`).
 */
import { INVENTORY_V2_VERSIONS } from './api-versions.ts';
import { LIST_ARGUMENTS, LIST_VARIABLES, equalsFilter, query } from './documents.ts';
import { groupIds, listMember, member, objectsOf, stringMember } from './graph-data.ts';
import { v2Models } from './models/v2.ts';
import type { AttributeSet } from './models/projection.ts';
import { listRoute, objectRoute, staticRoute } from './route-table.ts';
import type { InventoryRoute } from './route-table.ts';

const noVariables = (): Record<string, unknown> => ({});

function produces(attributes: AttributeSet, name: string): boolean {
  return attributes === 'all' || attributes.has(name);
}

export interface V2RouteSettings {
  readonly fieldsMode: 'only' | 'sol013';
}

export function inventoryV2Routes(settings: V2RouteSettings): InventoryRoute[] {
  const models = v2Models(settings.fieldsMode);
  return [
    staticRoute({ operationId: 'getMinorVersions', path: '/v2/api_versions', body: INVENTORY_V2_VERSIONS }),
    objectRoute({
      operationId: 'getCloudInfo',
      path: '/v2',
      model: models.cloudInfo,
      document: (selection) => query('O2ImsCloudInfo', '', `oCloud { ${selection} }`),
      variables: noVariables,
      extract: (data) => member(data, 'oCloud'),
      subject: () => 'the O-Cloud',
    }),
    listRoute({
      operationId: 'getDeploymentManagers',
      path: '/v2/deploymentManagers',
      model: models.deploymentManager,
      evaluation: 'shards',
      document: (selection) =>
        query(
          'O2ImsDeploymentManagers',
          LIST_VARIABLES,
          `deploymentManagers(${LIST_ARGUMENTS}) { ${selection} }`,
        ),
      variables: noVariables,
      extract: (data) => listMember(data, 'deploymentManagers'),
    }),
    objectRoute({
      operationId: 'getDeploymentManager',
      path: '/v2/deploymentManagers/{deploymentManagerId}',
      model: models.deploymentManager,
      document: (selection) =>
        query(
          'O2ImsDeploymentManager',
          '$deploymentManagerId: ID!',
          `deploymentManager(deploymentManagerId: $deploymentManagerId) { ${selection} }`,
        ),
      variables: ({ deploymentManagerId }) => ({ deploymentManagerId }),
      extract: (data) => member(data, 'deploymentManager'),
      subject: ({ deploymentManagerId }) => `deployment manager ${deploymentManagerId}`,
    }),
    listRoute({
      operationId: 'getResourceTypes',
      path: '/v2/resourceTypes',
      model: models.resourceType,
      evaluation: 'shards',
      document: (selection) =>
        query('O2ImsResourceTypes', LIST_VARIABLES, `resourceTypes(${LIST_ARGUMENTS}) { ${selection} }`),
      variables: noVariables,
      extract: (data) => listMember(data, 'resourceTypes'),
    }),
    objectRoute({
      operationId: 'getResourceType',
      path: '/v2/resourceTypes/{resourceTypeId}',
      model: models.resourceType,
      document: (selection) =>
        query(
          'O2ImsResourceType',
          '$resourceTypeId: ID!',
          `resourceType(resourceTypeId: $resourceTypeId) { ${selection} }`,
        ),
      variables: ({ resourceTypeId }) => ({ resourceTypeId }),
      extract: (data) => member(data, 'resourceType'),
      subject: ({ resourceTypeId }) => `resource type ${resourceTypeId}`,
    }),
    objectRoute({
      operationId: 'getResourceTypeAlarmDictionary',
      path: '/v2/resourceTypes/{resourceTypeId}/alarmDictionary',
      model: models.alarmDictionary,
      document: (selection) =>
        query(
          'O2ImsResourceTypeAlarmDictionary',
          '$resourceTypeId: ID!',
          `resourceType(resourceTypeId: $resourceTypeId) { alarmDictionary { ${selection} } }`,
        ),
      variables: ({ resourceTypeId }) => ({ resourceTypeId }),
      extract: (data) => member(member(data, 'resourceType'), 'alarmDictionary'),
      subject: ({ resourceTypeId }) => `the alarm dictionary of resource type ${resourceTypeId}`,
    }),
    listRoute({
      operationId: 'getResourcePools',
      path: '/v2/resourcePools',
      model: models.resourcePool,
      evaluation: 'shards',
      document: (selection) =>
        query('O2ImsResourcePools', LIST_VARIABLES, `resourcePools(${LIST_ARGUMENTS}) { ${selection} }`),
      variables: noVariables,
      extract: (data) => listMember(data, 'resourcePools'),
    }),
    objectRoute({
      operationId: 'getResourcePool',
      path: '/v2/resourcePools/{resourcePoolId}',
      model: models.resourcePool,
      document: (selection) =>
        query(
          'O2ImsResourcePool',
          '$resourcePoolId: ID!',
          `resourcePool(resourcePoolId: $resourcePoolId) { ${selection} }`,
        ),
      variables: ({ resourcePoolId }) => ({ resourcePoolId }),
      extract: (data) => member(data, 'resourcePool'),
      subject: ({ resourcePoolId }) => `resource pool ${resourcePoolId}`,
    }),
    listRoute({
      operationId: 'getResources',
      path: '/v2/resourcePools/{resourcePoolId}/resources',
      model: models.resource,
      evaluation: 'shards',
      // Through the pool rather than `resources(resourcePoolId:)`: a missing pool reads as null (404) instead
      // of an empty list, and the lookup by pool id goes to the one shard that owns the pool.
      document: (selection) =>
        query(
          'O2ImsPoolResources',
          `$resourcePoolId: ID!, ${LIST_VARIABLES}`,
          `resourcePool(resourcePoolId: $resourcePoolId) { resources(${LIST_ARGUMENTS}) { ${selection} } }`,
        ),
      variables: ({ resourcePoolId }) => ({ resourcePoolId }),
      extract: (data) => listMember(member(data, 'resourcePool'), 'resources'),
      owner: ({ resourcePoolId }) => `resource pool ${resourcePoolId}`,
    }),
    objectRoute({
      operationId: 'getResource',
      path: '/v2/resourcePools/{resourcePoolId}/resources/{resourceId}',
      model: models.resource,
      document: (selection) =>
        query(
          'O2ImsResource',
          '$resourceId: ID!',
          // resourcePoolId is always fetched: it decides whether the resource belongs to the addressed pool.
          `resource(resourceId: $resourceId) { resourcePoolId ${selection} }`,
        ),
      variables: ({ resourceId }) => ({ resourceId }),
      extract: (data) => member(data, 'resource'),
      // Resources are looked up by id alone; one addressed under a pool that is not its own does not exist there.
      belongs: (resource, { resourcePoolId }) =>
        stringMember(resource, 'resourcePoolId')?.toLowerCase() === resourcePoolId,
      subject: ({ resourcePoolId, resourceId }) =>
        `resource ${resourceId} in resource pool ${resourcePoolId}`,
    }),
    listRoute({
      operationId: 'getAlarmDictionaries',
      path: '/v2/alarmDictionaries',
      model: models.alarmDictionary,
      evaluation: 'shards',
      document: (selection) =>
        query(
          'O2ImsAlarmDictionaries',
          LIST_VARIABLES,
          `alarmDictionaries(${LIST_ARGUMENTS}) { ${selection} }`,
        ),
      variables: noVariables,
      extract: (data) => listMember(data, 'alarmDictionaries'),
    }),
    objectRoute({
      operationId: 'getAlarmDictionary',
      path: '/v2/alarmDictionaries/{alarmDictionaryId}',
      model: models.alarmDictionary,
      document: (selection) =>
        query(
          'O2ImsAlarmDictionary',
          '$alarmDictionaryId: ID!',
          `alarmDictionary(alarmDictionaryId: $alarmDictionaryId) { ${selection} }`,
        ),
      variables: ({ alarmDictionaryId }) => ({ alarmDictionaryId }),
      extract: (data) => member(data, 'alarmDictionary'),
      subject: ({ alarmDictionaryId }) => `alarm dictionary ${alarmDictionaryId}`,
    }),
    listRoute({
      operationId: 'getLocations',
      path: '/v2/locations',
      model: models.location,
      // A location's oCloudSiteIds gather the sites of every cluster there: filtered and paged after the join.
      evaluation: 'gateway',
      document: (selection, attributes) =>
        query(
          'O2ImsLocations',
          '',
          `locations { ${selection} }${produces(attributes, 'oCloudSiteIds') ? ' oCloudSites { oCloudSiteId globalLocationId }' : ''}`,
        ),
      variables: noVariables,
      extract: (data) => listMember(data, 'locations'),
      context: (data) => ({
        sitesByLocation: groupIds(objectsOf(data, 'oCloudSites'), 'globalLocationId', 'oCloudSiteId'),
      }),
    }),
    objectRoute({
      operationId: 'getLocation',
      path: '/v2/locations/{globalLocationId}',
      model: models.location,
      document: (selection) =>
        query(
          'O2ImsLocation',
          '$globalLocationId: ID!, $sites: JSON',
          `location(globalLocationId: $globalLocationId) { ${selection} } oCloudSites(filter: $sites) { oCloudSiteId globalLocationId }`,
        ),
      variables: ({ globalLocationId }) => ({
        globalLocationId,
        sites: equalsFilter('globalLocationId', 'string', globalLocationId),
      }),
      extract: (data) => member(data, 'location'),
      context: (data) => ({
        sitesByLocation: groupIds(objectsOf(data, 'oCloudSites'), 'globalLocationId', 'oCloudSiteId'),
      }),
      subject: ({ globalLocationId }) => `location ${globalLocationId}`,
      joined: true,
    }),
    listRoute({
      operationId: 'getOCloudSites',
      path: '/v2/oCloudSites',
      model: models.oCloudSite,
      // A site's resourcePools gather the pools of every cluster at the site: filtered and paged after the join.
      evaluation: 'gateway',
      document: (selection, attributes) =>
        query(
          'O2ImsOCloudSites',
          '',
          `oCloudSites { ${selection} }${produces(attributes, 'resourcePools') ? ' resourcePools { resourcePoolId oCloudSiteId }' : ''}`,
        ),
      variables: noVariables,
      extract: (data) => listMember(data, 'oCloudSites'),
      context: (data) => ({
        poolsBySite: groupIds(objectsOf(data, 'resourcePools'), 'oCloudSiteId', 'resourcePoolId'),
      }),
    }),
    objectRoute({
      operationId: 'getOCloudSite',
      path: '/v2/oCloudSites/{oCloudSiteId}',
      model: models.oCloudSite,
      document: (selection) =>
        query(
          'O2ImsOCloudSite',
          '$oCloudSiteId: ID!, $pools: JSON',
          `oCloudSite(oCloudSiteId: $oCloudSiteId) { ${selection} } resourcePools(filter: $pools) { resourcePoolId oCloudSiteId }`,
        ),
      variables: ({ oCloudSiteId }) => ({
        oCloudSiteId,
        pools: equalsFilter('oCloudSiteId', 'uuid', oCloudSiteId),
      }),
      extract: (data) => member(data, 'oCloudSite'),
      context: (data) => ({
        poolsBySite: groupIds(objectsOf(data, 'resourcePools'), 'oCloudSiteId', 'resourcePoolId'),
      }),
      subject: ({ oCloudSiteId }) => `O-Cloud site ${oCloudSiteId}`,
      joined: true,
    }),
  ];
}
