/**
 * The API profiles of the O2 IMS infrastructure inventory, as data over ONE route table
 * (inventory-routes.ts) and ONE declaration of the objects (models/inventory-objects.ts):
 *
 * - `/v2`: the O2IMS interface v11 model as oran-o2ims describes it. Mandatory attributes are the `required`
 *   ones of that model (SOL013 lets selectors leave out only optional attributes, and an answer without them
 *   would not conform). Nothing is excluded by default (oran-o2ims returns every attribute unless asked).
 * - `/v1`: v4-compatible, the shapes of the last oran-o2ims inventory API before the v11 model (commit
 *   81ae09d) and of O-RAN SC INF (pti-o2), as the O-RAN SC compliance suite (it-test) checks them:
 *   - the O-Cloud's SMO id is spelled `globalcloudId` (configurable: `globalCloudId` or both);
 *   - a resource pool names its O-Cloud (`oCloudId`), its location (`globalLocationId`) and `location` (the
 *     location's name), not an O-Cloud site; there are no `/locations` and `/oCloudSites`;
 *   - a resource type embeds its `alarmDictionary` instead of naming its id;
 *   - default field sets follow pti-o2's: complex attributes (extensions, elements, the embedded dictionary)
 *     and a few v4 extras (`location`, `globalAssetId`, `tags`, `groups`) appear only with `all_fields`,
 *     `fields` or `exclude_default`. Mandatory attributes are the `required` ones of the it-test schemas;
 *   - a deployment manager's `extensions.profileData` is never sent: v4's carries the cluster's admin
 *     credentials (the it-test schema requires them whenever profileData is present), and netweave never
 *     publishes credentials; the API endpoint is the deployment manager's serviceUri;
 *   - page numbers are accepted as `nextpage_opaque_marker` and the next page's Link carries one;
 *   - a malformed id in the path is 404 (it-test 7.3.9), where /v2 answers 400 naming the parameter.
 */
import type { ProfileName } from './api-documents.ts';
import { INVENTORY_V1_VERSIONS, INVENTORY_V2_VERSIONS } from './api-versions.ts';
import type { ApiVersions } from './api-versions.ts';
import type { InventoryObject, ObjectProfile } from './models/inventory-objects.ts';

export type FieldsMode = 'only' | 'sol013';
export type CloudIdSpelling = 'globalcloudId' | 'globalCloudId' | 'both';

export interface InventoryProfile {
  /** The major version: the path prefix `/{name}`, the OpenAPI document, the scope of paging markers. */
  readonly name: ProfileName;
  readonly versions: ApiVersions;
  /** Prefix of the GraphQL operation names, so router logs and metrics tell the profiles apart. */
  readonly operationPrefix: string;
  /** The objects the profile publishes; routes of the others are not mounted. */
  readonly objects: Readonly<Partial<Record<InventoryObject, ObjectProfile>>>;
  /** What `fields` alone means: 'only' the listed (and mandatory) attributes, or SOL013's Table 5.3.2-1. */
  readonly fieldsMode: FieldsMode;
  /** Accept page numbers as nextpage_opaque_marker. */
  readonly pageNumbers: boolean;
  /** What the Link header of a next page carries. */
  readonly linkStyle: 'opaque' | 'page-number';
  /** The status of a path id that is not well formed. */
  readonly malformedIdStatus: 400 | 404;
}

const DEPLOYMENT_MANAGER_MANDATORY = [
  'deploymentManagerId',
  'name',
  'description',
  'oCloudId',
  'serviceUri',
  'supportedLocations',
  'capabilities',
  'capacity',
];
const DEPLOYMENT_MANAGER = [...DEPLOYMENT_MANAGER_MANDATORY, 'extensions'];
const RESOURCE = [
  'resourceId',
  'resourcePoolId',
  'resourceTypeId',
  'globalAssetId',
  'description',
  'elements',
  'tags',
  'groups',
  'extensions',
];
const RESOURCE_TYPE_CORE = ['resourceTypeId', 'name', 'description', 'vendor', 'model', 'version'];
const RESOURCE_TYPE_CLASSIFICATION = ['resourceKind', 'resourceClass', 'extensions'];
const ALARM_DICTIONARY: ObjectProfile = {
  attributes: [
    'alarmDictionaryId',
    'alarmDictionaryVersion',
    'alarmDictionarySchemaVersion',
    'entityType',
    'vendor',
    'managementInterfaceId',
    'pkNotificationField',
    'alarmDefinition',
  ],
  mandatory: 'all',
};

export function inventoryV2Profile(settings: { readonly fieldsMode?: FieldsMode } = {}): InventoryProfile {
  return {
    name: 'v2',
    versions: INVENTORY_V2_VERSIONS,
    operationPrefix: 'O2Ims',
    fieldsMode: settings.fieldsMode ?? 'only',
    pageNumbers: false,
    linkStyle: 'opaque',
    malformedIdStatus: 400,
    objects: {
      cloudInfo: {
        attributes: ['oCloudId', 'globalCloudId', 'name', 'description', 'serviceUri', 'extensions'],
        mandatory: 'all',
      },
      deploymentManager: { attributes: DEPLOYMENT_MANAGER, mandatory: DEPLOYMENT_MANAGER_MANDATORY },
      resourcePool: {
        attributes: ['resourcePoolId', 'name', 'description', 'oCloudSiteId', 'extensions'],
        mandatory: ['resourcePoolId', 'name', 'oCloudSiteId', 'description'],
      },
      resource: { attributes: RESOURCE, mandatory: 'all' },
      resourceType: {
        attributes: [...RESOURCE_TYPE_CORE, 'alarmDictionaryId', ...RESOURCE_TYPE_CLASSIFICATION],
        mandatory: [...RESOURCE_TYPE_CORE, ...RESOURCE_TYPE_CLASSIFICATION],
      },
      alarmDictionary: ALARM_DICTIONARY,
      location: {
        attributes: [
          'globalLocationId',
          'name',
          'description',
          'oCloudSiteIds',
          'coordinate',
          'civicAddress',
          'address',
          'extensions',
        ],
        mandatory: ['globalLocationId', 'name', 'description', 'oCloudSiteIds', 'extensions'],
      },
      oCloudSite: {
        attributes: [
          'oCloudSiteId',
          'globalLocationId',
          'name',
          'description',
          'resourcePools',
          'extensions',
        ],
        mandatory: 'all',
      },
    },
  };
}

export interface V1ProfileSettings {
  readonly globalCloudIdSpelling?: CloudIdSpelling;
  readonly fieldsMode?: FieldsMode;
  readonly markerStyle?: 'page-number' | 'opaque';
}

export function inventoryV1Profile(settings: V1ProfileSettings = {}): InventoryProfile {
  const spelling = settings.globalCloudIdSpelling ?? 'globalcloudId';
  return {
    name: 'v1',
    versions: INVENTORY_V1_VERSIONS,
    operationPrefix: 'O2ImsV1',
    fieldsMode: settings.fieldsMode ?? 'sol013',
    pageNumbers: true,
    linkStyle: settings.markerStyle ?? 'page-number',
    malformedIdStatus: 404,
    objects: {
      cloudInfo: {
        attributes: ['oCloudId', 'globalCloudId', 'name', 'description', 'serviceUri', 'extensions'],
        renamed: { globalCloudId: spelling === 'both' ? ['globalcloudId', 'globalCloudId'] : [spelling] },
        defaultExcluded: ['extensions'],
        mandatory: ['oCloudId', 'globalCloudId', 'name', 'description', 'serviceUri'],
      },
      deploymentManager: {
        attributes: DEPLOYMENT_MANAGER,
        withheld: { extensions: ['profileData'] },
        defaultExcluded: ['extensions'],
        mandatory: DEPLOYMENT_MANAGER_MANDATORY,
      },
      resourcePool: {
        attributes: [
          'resourcePoolId',
          'name',
          'description',
          'oCloudId',
          'globalLocationId',
          'location',
          'extensions',
        ],
        defaultExcluded: ['location', 'extensions'],
        mandatory: ['resourcePoolId', 'name', 'description', 'oCloudId', 'globalLocationId'],
      },
      resource: {
        attributes: RESOURCE,
        defaultExcluded: ['globalAssetId', 'elements', 'tags', 'groups', 'extensions'],
        mandatory: ['resourceId', 'resourcePoolId', 'resourceTypeId', 'description'],
      },
      resourceType: {
        attributes: [...RESOURCE_TYPE_CORE, ...RESOURCE_TYPE_CLASSIFICATION, 'alarmDictionary'],
        defaultExcluded: ['alarmDictionary', 'extensions'],
        mandatory: RESOURCE_TYPE_CORE,
      },
      alarmDictionary: ALARM_DICTIONARY,
    },
  };
}
