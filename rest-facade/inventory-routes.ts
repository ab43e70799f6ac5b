/**
 * The route table of the O2 IMS Infrastructure Inventory API, once for every profile: one entry per path of
 * schema/o2ims-inventory-{v2,v1}.openapi.yaml, relative to the profile's prefix (`/v2`, `/v1`, below
 * `/o2ims-infrastructureInventory`). What differs between profiles is data (inventory-profiles.ts): the
 * objects' attributes, names, defaults and mandatory sets, the marker style, the status of malformed ids. A
 * route whose object the profile does not publish (the v1 profile has no sites and locations) is not mounted.
 */
import { LIST_ARGUMENTS, LIST_VARIABLES, equalsFilter, query } from './documents.ts';
import { groupIds, listMember, member, objectsOf, stringMember } from './graph-data.ts';
import type { InventoryProfile } from './inventory-profiles.ts';
import { modelsOf } from './models/inventory-objects.ts';
import type { ObjectModel, ShapeContext } from './models/object-model.ts';
import type { AttributeSet } from './models/projection.ts';
import { listRoute, objectRoute, staticRoute } from './route-table.ts';
import type { InventoryRoute } from './route-table.ts';

const noVariables = (): Record<string, unknown> => ({});

/** Whether a request produces an attribute of the model (one the profile does not publish never is). */
function produces(model: ObjectModel, attributes: AttributeSet, name: string): boolean {
  return model.attributes[name] !== undefined && (attributes === 'all' || attributes.has(name));
}

/** The O-Cloud and location names a v4 pool names; fetched in the same operation only when produced. */
function poolJoins(model: ObjectModel, attributes: AttributeSet): string {
  const joins = [
    produces(model, attributes, 'oCloudId') ? 'oCloud { oCloudId }' : '',
    produces(model, attributes, 'location') ? 'locations { globalLocationId name }' : '',
  ].join(' ');
  return joins.trim() === '' ? '' : ` ${joins}`;
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

const sitesByLocation = (data: unknown): ShapeContext => ({
  sitesByLocation: groupIds(objectsOf(data, 'oCloudSites'), 'globalLocationId', 'oCloudSiteId'),
});

const poolsBySite = (data: unknown): ShapeContext => ({
  poolsBySite: groupIds(objectsOf(data, 'resourcePools'), 'oCloudSiteId', 'resourcePoolId'),
});

export function inventoryRoutes(profile: InventoryProfile): InventoryRoute[] {
  const models = modelsOf(profile.objects, profile.fieldsMode);
  const named = (suffix: string): string => `${profile.operationPrefix}${suffix}`;
  const routes: InventoryRoute[] = [
    staticRoute({ operationId: 'getMinorVersions', path: '/api_versions', body: profile.versions }),
  ];

  const { cloudInfo } = models;
  if (cloudInfo !== undefined) {
    routes.push(
      objectRoute({
        operationId: 'getCloudInfo',
        path: '',
        model: cloudInfo,
        document: (selection) => query(named('CloudInfo'), '', `oCloud { ${selection} }`),
        variables: noVariables,
        extract: (data) => member(data, 'oCloud'),
        subject: () => 'the O-Cloud',
      }),
    );
  }

  const { deploymentManager } = models;
  if (deploymentManager !== undefined) {
    routes.push(
      listRoute({
        operationId: 'getDeploymentManagers',
        path: '/deploymentManagers',
        model: deploymentManager,
        evaluation: 'shards',
        document: (selection) =>
          query(
            named('DeploymentManagers'),
            LIST_VARIABLES,
            `deploymentManagers(${LIST_ARGUMENTS}) { ${selection} }`,
          ),
        variables: noVariables,
        extract: (data) => listMember(data, 'deploymentManagers'),
      }),
      objectRoute({
        operationId: 'getDeploymentManager',
        path: '/deploymentManagers/{deploymentManagerId}',
        model: deploymentManager,
        document: (selection) =>
          query(
            named('DeploymentManager'),
            '$deploymentManagerId: ID!',
            `deploymentManager(deploymentManagerId: $deploymentManagerId) { ${selection} }`,
          ),
        variables: ({ deploymentManagerId }) => ({ deploymentManagerId }),
        extract: (data) => member(data, 'deploymentManager'),
        subject: ({ deploymentManagerId }) => `deployment manager ${deploymentManagerId}`,
      }),
    );
  }

  const { resourceType, alarmDictionary } = models;
  if (resourceType !== undefined) {
    routes.push(
      listRoute({
        operationId: 'getResourceTypes',
        path: '/resourceTypes',
        model: resourceType,
        evaluation: 'shards',
        document: (selection) =>
          query(named('ResourceTypes'), LIST_VARIABLES, `resourceTypes(${LIST_ARGUMENTS}) { ${selection} }`),
        variables: noVariables,
        extract: (data) => listMember(data, 'resourceTypes'),
      }),
      objectRoute({
        operationId: 'getResourceType',
        path: '/resourceTypes/{resourceTypeId}',
        model: resourceType,
        document: (selection) =>
          query(
            named('ResourceType'),
            '$resourceTypeId: ID!',
            `resourceType(resourceTypeId: $resourceTypeId) { ${selection} }`,
          ),
        variables: ({ resourceTypeId }) => ({ resourceTypeId }),
        extract: (data) => member(data, 'resourceType'),
        subject: ({ resourceTypeId }) => `resource type ${resourceTypeId}`,
      }),
    );
  }
  if (resourceType !== undefined && alarmDictionary !== undefined) {
    routes.push(
      objectRoute({
        operationId: 'getResourceTypeAlarmDictionary',
        path: '/resourceTypes/{resourceTypeId}/alarmDictionary',
        model: alarmDictionary,
        document: (selection) =>
          query(
            named('ResourceTypeAlarmDictionary'),
            '$resourceTypeId: ID!',
            `resourceType(resourceTypeId: $resourceTypeId) { alarmDictionary { ${selection} } }`,
          ),
        variables: ({ resourceTypeId }) => ({ resourceTypeId }),
        extract: (data) => member(member(data, 'resourceType'), 'alarmDictionary'),
        subject: ({ resourceTypeId }) => `the alarm dictionary of resource type ${resourceTypeId}`,
      }),
    );
  }

  const { resourcePool, resource } = models;
  if (resourcePool !== undefined) {
    const joinsPools = resourcePool.attributes['oCloudId'] !== undefined;
    routes.push(
      listRoute({
        operationId: 'getResourcePools',
        path: '/resourcePools',
        model: resourcePool,
        evaluation: 'shards',
        document: (selection, attributes) =>
          query(
            named('ResourcePools'),
            LIST_VARIABLES,
            `resourcePools(${LIST_ARGUMENTS}) { ${selection} }${poolJoins(resourcePool, attributes)}`,
          ),
        variables: noVariables,
        extract: (data) => listMember(data, 'resourcePools'),
        ...(joinsPools ? { context: poolContext } : {}),
      }),
      objectRoute({
        operationId: 'getResourcePool',
        path: '/resourcePools/{resourcePoolId}',
        model: resourcePool,
        document: (selection, attributes) =>
          query(
            named('ResourcePool'),
            '$resourcePoolId: ID!',
            `resourcePool(resourcePoolId: $resourcePoolId) { ${selection} }${poolJoins(resourcePool, attributes)}`,
          ),
        variables: ({ resourcePoolId }) => ({ resourcePoolId }),
        extract: (data) => member(data, 'resourcePool'),
        ...(joinsPools ? { context: poolContext } : {}),
        subject: ({ resourcePoolId }) => `resource pool ${resourcePoolId}`,
      }),
    );
  }
  if (resourcePool !== undefined && resource !== undefined) {
    routes.push(
      listRoute({
        operationId: 'getResources',
        path: '/resourcePools/{resourcePoolId}/resources',
        model: resource,
        evaluation: 'shards',
        // Through the pool rather than `resources(resourcePoolId:)`: a missing pool reads as null (404) instead
        // of an empty list, and the lookup by pool id goes to the one shard that owns the pool.
        document: (selection) =>
          query(
            named('PoolResources'),
            `$resourcePoolId: ID!, ${LIST_VARIABLES}`,
            `resourcePool(resourcePoolId: $resourcePoolId) { resources(${LIST_ARGUMENTS}) { ${selection} } }`,
          ),
        variables: ({ resourcePoolId }) => ({ resourcePoolId }),
        extract: (data) => listMember(member(data, 'resourcePool'), 'resources'),
        owner: ({ resourcePoolId }) => `resource pool ${resourcePoolId}`,
      }),
      objectRoute({
        operationId: 'getResource',
        path: '/resourcePools/{resourcePoolId}/resources/{resourceId}',
        model: resource,
        document: (selection) =>
          query(
            named('Resource'),
            '$resourceId: ID!',
            // resourcePoolId is always fetched: it decides whether the resource belongs to the addressed pool.
            `resource(resourceId: $resourceId) { resourcePoolId ${selection} }`,
          ),
        variables: ({ resourceId }) => ({ resourceId }),
        extract: (data) => member(data, 'resource'),
        // Resources are looked up by id alone; one addressed under a pool that is not its own does not exist there.
        belongs: (item, { resourcePoolId }) =>
          stringMember(item, 'resourcePoolId')?.toLowerCase() === resourcePoolId,
        subject: ({ resourcePoolId, resourceId }) =>
          `resource ${resourceId} in resource pool ${resourcePoolId}`,
      }),
    );
  }

  if (alarmDictionary !== undefined) {
    routes.push(
      listRoute({
        operationId: 'getAlarmDictionaries',
        path: '/alarmDictionaries',
        model: alarmDictionary,
        evaluation: 'shards',
        document: (selection) =>
          query(
            named('AlarmDictionaries'),
            LIST_VARIABLES,
            `alarmDictionaries(${LIST_ARGUMENTS}) { ${selection} }`,
          ),
        variables: noVariables,
        extract: (data) => listMember(data, 'alarmDictionaries'),
      }),
      objectRoute({
        operationId: 'getAlarmDictionary',
        path: '/alarmDictionaries/{alarmDictionaryId}',
        model: alarmDictionary,
        document: (selection) =>
          query(
            named('AlarmDictionary'),
            '$alarmDictionaryId: ID!',
            `alarmDictionary(alarmDictionaryId: $alarmDictionaryId) { ${selection} }`,
          ),
        variables: ({ alarmDictionaryId }) => ({ alarmDictionaryId }),
        extract: (data) => member(data, 'alarmDictionary'),
        subject: ({ alarmDictionaryId }) => `alarm dictionary ${alarmDictionaryId}`,
      }),
    );
  }

  const { location } = models;
  if (location !== undefined) {
    routes.push(
      listRoute({
        operationId: 'getLocations',
        path: '/locations',
        model: location,
        // A location's oCloudSiteIds gather the sites of every cluster there: filtered and paged after the join.
        evaluation: 'gateway',
        document: (selection, attributes) =>
          query(
            named('Locations'),
            '',
            `locations { ${selection} }${produces(location, attributes, 'oCloudSiteIds') ? ' oCloudSites { oCloudSiteId globalLocationId }' : ''}`,
          ),
        variables: noVariables,
        extract: (data) => listMember(data, 'locations'),
        context: sitesByLocation,
      }),
      objectRoute({
        operationId: 'getLocation',
        path: '/locations/{globalLocationId}',
        model: location,
        document: (selection) =>
          query(
            named('Location'),
            '$globalLocationId: ID!, $sites: JSON',
            `location(globalLocationId: $globalLocationId) { ${selection} } oCloudSites(compiledFilter: $sites) { oCloudSiteId globalLocationId }`,
          ),
        variables: ({ globalLocationId }) => ({
          globalLocationId,
          sites: equalsFilter('globalLocationId', 'string', globalLocationId),
        }),
        extract: (data) => member(data, 'location'),
        context: sitesByLocation,
        subject: ({ globalLocationId }) => `location ${globalLocationId}`,
        joined: true,
      }),
    );
  }

  const { oCloudSite } = models;
  if (oCloudSite !== undefined) {
    routes.push(
      listRoute({
        operationId: 'getOCloudSites',
        path: '/oCloudSites',
        model: oCloudSite,
        // A site's resourcePools gather the pools of every cluster at the site: filtered and paged after the join.
        evaluation: 'gateway',
        document: (selection, attributes) =>
          query(
            named('OCloudSites'),
            '',
            `oCloudSites { ${selection} }${produces(oCloudSite, attributes, 'resourcePools') ? ' resourcePools { resourcePoolId oCloudSiteId }' : ''}`,
          ),
        variables: noVariables,
        extract: (data) => listMember(data, 'oCloudSites'),
        context: poolsBySite,
      }),
      objectRoute({
        operationId: 'getOCloudSite',
        path: '/oCloudSites/{oCloudSiteId}',
        model: oCloudSite,
        document: (selection) =>
          query(
            named('OCloudSite'),
            '$oCloudSiteId: ID!, $pools: JSON',
            `oCloudSite(oCloudSiteId: $oCloudSiteId) { ${selection} } resourcePools(compiledFilter: $pools) { resourcePoolId oCloudSiteId }`,
          ),
        variables: ({ oCloudSiteId }) => ({
          oCloudSiteId,
          pools: equalsFilter('oCloudSiteId', 'uuid', oCloudSiteId),
        }),
        extract: (data) => member(data, 'oCloudSite'),
        context: poolsBySite,
        subject: ({ oCloudSiteId }) => `O-Cloud site ${oCloudSiteId}`,
        joined: true,
      }),
    );
  }

  return routes.map((route) => ({ ...route, path: `/${profile.name}${route.path}` }));
}
