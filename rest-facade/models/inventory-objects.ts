/**
 * The O2 inventory objects the REST facade serves, declared once for every API profile: each object's title,
 * id and the union of the attributes any profile publishes (with their SOL013 type, graph selection and
 * reading). A profile (rest-facade/inventory-profiles.ts) is data over this declaration: which attributes it
 * publishes and in which order, under which names, what is mandatory and what is left out by default.
 * `modelsOf` turns the two into the ObjectModels the routes use.
 */
import {
  ALARM_DICTIONARY_ATTRIBUTES,
  ALARM_DICTIONARY_SCHEMA,
  DEPLOYMENT_MANAGER_ATTRIBUTES,
  LOCATION_ATTRIBUTES,
  RESOURCE_ATTRIBUTES,
  RESOURCE_TYPE_CLASSIFICATION,
  RESOURCE_TYPE_CORE,
  SITE_ATTRIBUTES,
  alarmDictionaryFields,
  nullToAbsent,
} from './attributes.ts';
import { computed, field, mappedField, objectModel } from './object-model.ts';
import type { AttributeModel, ObjectModel } from './object-model.ts';

export const INVENTORY_OBJECTS = [
  'cloudInfo',
  'deploymentManager',
  'resourcePool',
  'resource',
  'resourceType',
  'alarmDictionary',
  'location',
  'oCloudSite',
] as const;

export type InventoryObject = (typeof INVENTORY_OBJECTS)[number];

interface ObjectDeclaration {
  readonly title: string;
  readonly idAttribute: string;
  readonly attributes: Readonly<Record<string, AttributeModel>>;
}

const DECLARATIONS: Readonly<Record<InventoryObject, ObjectDeclaration>> = {
  cloudInfo: {
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
  },
  deploymentManager: {
    title: 'deployment manager',
    idAttribute: 'deploymentManagerId',
    attributes: DEPLOYMENT_MANAGER_ATTRIBUTES,
  },
  resourcePool: {
    title: 'resource pool',
    idAttribute: 'resourcePoolId',
    attributes: {
      resourcePoolId: field('uuid', 'resourcePoolId'),
      name: field('string', 'name'),
      description: field('string', 'description'),
      oCloudSiteId: field('uuid', 'oCloudSiteId'),
      // One value for every pool: filters on it are decided at the gateway without changing pages.
      oCloudId: computed('uuid', (_item, context) => context.oCloudId),
      globalLocationId: field('string', 'globalLocationId'),
      // The name of the pool's location (v4), joined at the gateway.
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
  },
  resource: { title: 'resource', idAttribute: 'resourceId', attributes: RESOURCE_ATTRIBUTES },
  resourceType: {
    title: 'resource type',
    idAttribute: 'resourceTypeId',
    attributes: {
      ...RESOURCE_TYPE_CORE,
      // O2 types it as a UUID, not a nullable one: a type without a dictionary leaves it out.
      alarmDictionaryId: mappedField('uuid', 'alarmDictionaryId', nullToAbsent),
      ...RESOURCE_TYPE_CLASSIFICATION,
      // The dictionary embedded in its type (v4).
      alarmDictionary: mappedField(
        { object: ALARM_DICTIONARY_SCHEMA },
        'alarmDictionary',
        nullToAbsent,
        (inner) => `alarmDictionary { ${alarmDictionaryFields(inner)} }`,
      ),
    },
  },
  alarmDictionary: {
    title: 'alarm dictionary',
    idAttribute: 'alarmDictionaryId',
    attributes: ALARM_DICTIONARY_ATTRIBUTES,
  },
  location: { title: 'location', idAttribute: 'globalLocationId', attributes: LOCATION_ATTRIBUTES },
  oCloudSite: { title: 'O-Cloud site', idAttribute: 'oCloudSiteId', attributes: SITE_ATTRIBUTES },
};

/** How one profile publishes one object: data over the declaration above (names are declaration names). */
export interface ObjectProfile {
  /** The attributes the profile publishes, in O2 order. */
  readonly attributes: readonly string[];
  /** Attributes published under other O2 names, in place and in this order (e.g. `globalcloudId`). */
  readonly renamed?: Readonly<Record<string, readonly string[]>>;
  /** Members an object-valued attribute never carries on the profile (e.g. credentials). */
  readonly withheld?: Readonly<Record<string, readonly string[]>>;
  /** What `exclude_default` leaves out and what is absent unless asked for. */
  readonly defaultExcluded?: readonly string[];
  /** Attributes selectors cannot remove; 'all' for every published attribute. */
  readonly mandatory: readonly string[] | 'all';
}

export type ObjectModels = Readonly<Partial<Record<InventoryObject, ObjectModel>>>;

function withholding(attribute: AttributeModel, members: readonly string[]): AttributeModel {
  return {
    ...attribute,
    read: (item, context) => {
      const value = attribute.read(item, context);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value).filter(([name]) => !members.includes(name)));
    },
  };
}

function modelOf(
  declaration: ObjectDeclaration,
  profile: ObjectProfile,
  fieldsMode: 'only' | 'sol013',
): ObjectModel {
  const namesOf = (name: string): readonly string[] => profile.renamed?.[name] ?? [name];
  const attributes: Record<string, AttributeModel> = {};
  for (const name of profile.attributes) {
    const declared = declaration.attributes[name];
    if (declared === undefined) throw new Error(`${declaration.title}: no attribute ${name}`);
    const withheld = profile.withheld?.[name];
    const attribute = withheld === undefined ? declared : withholding(declared, withheld);
    for (const published of namesOf(name)) attributes[published] = attribute;
  }
  const mandatory = profile.mandatory === 'all' ? profile.attributes : profile.mandatory;
  return objectModel({
    title: declaration.title,
    idAttribute: declaration.idAttribute,
    attributes,
    defaultExcluded: (profile.defaultExcluded ?? []).flatMap(namesOf).map((name) => [name]),
    mandatory: mandatory.flatMap(namesOf),
    fieldsMode,
  });
}

/** The object models of a profile: one per object it publishes. */
export function modelsOf(
  objects: Readonly<Partial<Record<InventoryObject, ObjectProfile>>>,
  fieldsMode: 'only' | 'sol013',
): ObjectModels {
  const models: Partial<Record<InventoryObject, ObjectModel>> = {};
  for (const name of INVENTORY_OBJECTS) {
    const profile = objects[name];
    if (profile !== undefined) models[name] = modelOf(DECLARATIONS[name], profile, fieldsMode);
  }
  return models;
}
