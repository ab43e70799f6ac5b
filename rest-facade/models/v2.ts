/**
 * The O2 objects of /o2ims-infrastructureInventory/v2 (O2IMS interface v11 model, as oran-o2ims describes
 * it). Mandatory attributes are the `required` ones of that model: SOL013 lets selectors leave out only
 * optional attributes, and a response without them would not conform. Nothing is excluded by default
 * (oran-o2ims returns every attribute unless asked otherwise).
 */
import {
  ALARM_DICTIONARY_ATTRIBUTES,
  DEPLOYMENT_MANAGER_ATTRIBUTES,
  LOCATION_ATTRIBUTES,
  RESOURCE_ATTRIBUTES,
  RESOURCE_TYPE_CLASSIFICATION,
  RESOURCE_TYPE_CORE,
  SITE_ATTRIBUTES,
} from './attributes.ts';
import { field, mappedField, objectModel } from './object-model.ts';
import type { ObjectModel } from './object-model.ts';

export interface V2Models {
  readonly cloudInfo: ObjectModel;
  readonly deploymentManager: ObjectModel;
  readonly resourcePool: ObjectModel;
  readonly resource: ObjectModel;
  readonly resourceType: ObjectModel;
  readonly alarmDictionary: ObjectModel;
  readonly location: ObjectModel;
  readonly oCloudSite: ObjectModel;
}

export function v2Models(fieldsMode: 'only' | 'sol013'): V2Models {
  return {
    cloudInfo: objectModel({
      title: 'O-Cloud',
      idAttribute: 'oCloudId',
      attributes: {
        oCloudId: field('uuid', 'oCloudId'),
        globalCloudId: field('uuid', 'globalCloudId'),
        name: field('string', 'name'),
        description: field('string', 'description'),
        serviceUri: field('string', 'serviceUri'),
        extensions: field('object', 'extensions'),
      },
      mandatory: ['oCloudId', 'globalCloudId', 'name', 'description', 'serviceUri', 'extensions'],
      fieldsMode,
    }),
    deploymentManager: objectModel({
      title: 'deployment manager',
      idAttribute: 'deploymentManagerId',
      attributes: DEPLOYMENT_MANAGER_ATTRIBUTES,
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
        oCloudSiteId: field('uuid', 'oCloudSiteId'),
        extensions: field('object', 'extensions'),
      },
      mandatory: ['resourcePoolId', 'name', 'oCloudSiteId', 'description'],
      fieldsMode,
    }),
    resource: objectModel({
      title: 'resource',
      idAttribute: 'resourceId',
      attributes: RESOURCE_ATTRIBUTES,
      mandatory: Object.keys(RESOURCE_ATTRIBUTES),
      fieldsMode,
    }),
    resourceType: objectModel({
      title: 'resource type',
      idAttribute: 'resourceTypeId',
      attributes: {
        ...RESOURCE_TYPE_CORE,
        // O2 types it as a UUID, not a nullable one: a type without a dictionary leaves it out.
        alarmDictionaryId: mappedField('uuid', 'alarmDictionaryId', (value) =>
          value === null ? undefined : value,
        ),
        ...RESOURCE_TYPE_CLASSIFICATION,
      },
      mandatory: [...Object.keys(RESOURCE_TYPE_CORE), ...Object.keys(RESOURCE_TYPE_CLASSIFICATION)],
      fieldsMode,
    }),
    alarmDictionary: objectModel({
      title: 'alarm dictionary',
      idAttribute: 'alarmDictionaryId',
      attributes: ALARM_DICTIONARY_ATTRIBUTES,
      mandatory: Object.keys(ALARM_DICTIONARY_ATTRIBUTES),
      fieldsMode,
    }),
    location: objectModel({
      title: 'location',
      idAttribute: 'globalLocationId',
      attributes: LOCATION_ATTRIBUTES,
      mandatory: ['globalLocationId', 'name', 'description', 'oCloudSiteIds', 'extensions'],
      fieldsMode,
    }),
    oCloudSite: objectModel({
      title: 'O-Cloud site',
      idAttribute: 'oCloudSiteId',
      attributes: SITE_ATTRIBUTES,
      mandatory: Object.keys(SITE_ATTRIBUTES),
      fieldsMode,
    }),
  };
}
