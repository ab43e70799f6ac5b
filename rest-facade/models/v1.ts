/**
 * The O2 objects of /o2ims-infrastructureInventory/v1, the O2IMS v4-compatible profile: the shapes of the
 * last oran-o2ims inventory API before the v11 model (commit 81ae09d) and of O-RAN SC INF (pti-o2), as the
 * O-RAN SC compliance suite (it-test) checks them:
 *
 * - the O-Cloud's SMO id is spelled `globalcloudId` (configurable: `globalCloudId` or both);
 * - a resource pool names its O-Cloud (`oCloudId`), its location (`globalLocationId`) and `location`
 *   (the location's name), not an O-Cloud site;
 * - a resource type embeds its `alarmDictionary` instead of naming its id;
 * - default field sets follow pti-o2's: complex attributes (extensions, elements, the embedded dictionary)
 *   and a few v4 extras (`location`, `globalAssetId`, `tags`, `groups`) appear only with `all_fields`,
 *   `fields` or `exclude_default`. Mandatory attributes are the `required` ones of the it-test schemas.
 */
import {
  ALARM_DICTIONARY_ATTRIBUTES,
  ALARM_DICTIONARY_SCHEMA,
  DEPLOYMENT_MANAGER_ATTRIBUTES,
  RESOURCE_ATTRIBUTES,
  RESOURCE_TYPE_CLASSIFICATION,
  RESOURCE_TYPE_CORE,
  alarmDictionaryFields,
} from './attributes.ts';
import { computed, field, mappedField, objectModel } from './object-model.ts';
import type { AttributeModel, ObjectModel } from './object-model.ts';

export type CloudIdSpelling = 'globalcloudId' | 'globalCloudId' | 'both';

export interface V1Settings {
  readonly globalCloudIdSpelling: CloudIdSpelling;
  readonly fieldsMode: 'only' | 'sol013';
}

export interface V1Models {
  readonly cloudInfo: ObjectModel;
  readonly deploymentManager: ObjectModel;
  readonly resourcePool: ObjectModel;
  readonly resource: ObjectModel;
  readonly resourceType: ObjectModel;
  readonly alarmDictionary: ObjectModel;
}

function cloudIdAttributes(spelling: CloudIdSpelling): Record<string, AttributeModel> {
  const attribute = field('uuid', 'globalCloudId');
  if (spelling === 'both') return { globalcloudId: attribute, globalCloudId: attribute };
  return { [spelling]: attribute };
}

/**
 * v4's profileData carries the cluster's admin credentials (the it-test schema requires them whenever
 * profileData is present). netweave never publishes credentials, so the v4 profile leaves profileData out;
 * the API endpoint is the deployment manager's serviceUri.
 */
function withoutProfileData(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const { profileData: _credentialsOnV4, ...rest } = value as Record<string, unknown>;
  return rest;
}

export function v1Models(settings: V1Settings): V1Models {
  const { fieldsMode } = settings;
  const cloudIds = cloudIdAttributes(settings.globalCloudIdSpelling);
  return {
    cloudInfo: objectModel({
      title: 'O-Cloud',
      idAttribute: 'oCloudId',
      attributes: {
        oCloudId: field('uuid', 'oCloudId'),
        ...cloudIds,
        name: field('string', 'name'),
        description: field('string', 'description'),
        serviceUri: field('string', 'serviceUri'),
        extensions: field('object', 'extensions'),
      },
      defaultExcluded: [['extensions']],
      mandatory: ['oCloudId', ...Object.keys(cloudIds), 'name', 'description', 'serviceUri'],
      fieldsMode,
    }),
    deploymentManager: objectModel({
      title: 'deployment manager',
      idAttribute: 'deploymentManagerId',
      attributes: {
        ...DEPLOYMENT_MANAGER_ATTRIBUTES,
        extensions: mappedField('object', 'extensions', withoutProfileData),
      },
      defaultExcluded: [['extensions']],
      mandatory: [
        'deploymentManagerId',
        'name',
        'description',
        'oCloudId',
        'serviceUri',
        'supportedLocations',
        'capabilities',
        'capacity',
      ],
      fieldsMode,
    }),
    resourcePool: objectModel({
      title: 'resource pool',
      idAttribute: 'resourcePoolId',
      attributes: {
        resourcePoolId: field('uuid', 'resourcePoolId'),
        name: field('string', 'name'),
        description: field('string', 'description'),
        // One value for every pool: filters on it are decided at the gateway without changing pages.
        oCloudId: computed('uuid', (_item, context) => context.oCloudId),
        globalLocationId: field('string', 'globalLocationId'),
        location: computed(
          'string',
          (item, context) => {
            const id = item['globalLocationId'];
            return typeof id === 'string' ? (context.locationNames?.get(id) ?? '') : undefined;
          },
          ['globalLocationId'],
        ),
        extensions: field('object', 'extensions'),
      },
      defaultExcluded: [['location'], ['extensions']],
      mandatory: ['resourcePoolId', 'name', 'description', 'oCloudId', 'globalLocationId'],
      fieldsMode,
    }),
    resource: objectModel({
      title: 'resource',
      idAttribute: 'resourceId',
      attributes: RESOURCE_ATTRIBUTES,
      defaultExcluded: [['globalAssetId'], ['elements'], ['tags'], ['groups'], ['extensions']],
      mandatory: ['resourceId', 'resourcePoolId', 'resourceTypeId', 'description'],
      fieldsMode,
    }),
    resourceType: objectModel({
      title: 'resource type',
      idAttribute: 'resourceTypeId',
      attributes: {
        ...RESOURCE_TYPE_CORE,
        ...RESOURCE_TYPE_CLASSIFICATION,
        alarmDictionary: mappedField(
          { object: ALARM_DICTIONARY_SCHEMA },
          'alarmDictionary',
          (value) => (value === null ? undefined : value),
          (inner) => `alarmDictionary { ${alarmDictionaryFields(inner)} }`,
        ),
      },
      defaultExcluded: [['alarmDictionary'], ['extensions']],
      mandatory: Object.keys(RESOURCE_TYPE_CORE),
      fieldsMode,
    }),
    alarmDictionary: objectModel({
      title: 'alarm dictionary',
      idAttribute: 'alarmDictionaryId',
      attributes: ALARM_DICTIONARY_ATTRIBUTES,
      mandatory: Object.keys(ALARM_DICTIONARY_ATTRIBUTES),
      fieldsMode,
    }),
  };
}
