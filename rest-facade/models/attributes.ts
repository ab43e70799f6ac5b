/**
 * Attribute declarations shared by both API profiles: the O2 objects whose attributes are the same in the
 * O2IMS v11 model (/v2) and the v4 model (/v1). The profiles differ in which attributes exist, which are
 * mandatory and which are left out by default; see models/inventory-objects.ts and inventory-profiles.ts.
 */
import { selectedTopLevel } from '../../o2/sol013/index.ts';
import type { AttrType, AttributeSchema, Selection } from '../../o2/sol013/index.ts';
import { computed, field, mappedField } from './object-model.ts';
import type { AttributeModel, GraphObject } from './object-model.ts';
import { innerSelection } from './projection.ts';

export const STRING_LIST: AttrType = { array: 'string' };
export const UUID_LIST: AttrType = { array: 'uuid' };

// ---- resources ----------------------------------------------------------------------------------------

/**
 * Levels of `elements` fetched below a node: CPUs, memory, accelerators, NICs and storage, and parts of
 * those (virtual functions of an SR-IOV NIC). GraphQL cannot select a recursive field to any depth; the
 * cluster subgraph never nests deeper.
 */
export const ELEMENT_DEPTH = 2;

const ELEMENT_SCHEMA: AttributeSchema = {
  resourceId: 'uuid',
  resourcePoolId: 'uuid',
  resourceTypeId: 'uuid',
  globalAssetId: 'string',
  description: 'string',
  tags: STRING_LIST,
  groups: STRING_LIST,
  extensions: 'object',
};

/** The schema of a resource to `depth` levels of elements (arrays of the element schema). */
function resourceSchema(depth: number): AttributeSchema {
  if (depth === 0) return { ...ELEMENT_SCHEMA, elements: { array: { object: ELEMENT_SCHEMA } } };
  return { ...ELEMENT_SCHEMA, elements: { array: { object: resourceSchema(depth - 1) } } };
}

const RESOURCE_SCALAR_FIELDS = Object.keys(ELEMENT_SCHEMA);

/** The selection set of a resource element, trimmed to what `inner` selects, `depth` levels deep. */
function elementFields(inner: Selection, depth: number): string {
  const top = selectedTopLevel(inner);
  const parts = RESOURCE_SCALAR_FIELDS.filter(
    (name) => top === 'all' || top.has(name) || name === 'resourceId',
  );
  if (depth > 0 && (top === 'all' || top.has('elements'))) {
    parts.push(`elements { ${elementFields(innerSelection(inner, 'elements'), depth - 1)} }`);
  }
  return parts.join(' ');
}

/** An element in O2 form; at the deepest fetched level `elements` is empty (nothing deeper is modelled). */
const ELEMENT_OUTPUT_ORDER = [
  ...RESOURCE_SCALAR_FIELDS.slice(0, 5),
  'elements',
  ...RESOURCE_SCALAR_FIELDS.slice(5),
];

function shapeElement(element: GraphObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of ELEMENT_OUTPUT_ORDER) {
    if (name === 'elements') {
      out[name] = shapeElements(element[name]) ?? [];
      continue;
    }
    const value = element[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function shapeElements(value: unknown): Record<string, unknown>[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((element: GraphObject) => shapeElement(element));
}

export const RESOURCE_ATTRIBUTES: Readonly<Record<string, AttributeModel>> = {
  resourceId: field('uuid', 'resourceId'),
  resourcePoolId: field('uuid', 'resourcePoolId'),
  resourceTypeId: field('uuid', 'resourceTypeId'),
  globalAssetId: field('string', 'globalAssetId'),
  description: field('string', 'description'),
  elements: mappedField(
    resourceSchema(ELEMENT_DEPTH - 1).elements!,
    'elements',
    (value) => shapeElements(value),
    (inner) => `elements { ${elementFields(inner, ELEMENT_DEPTH - 1)} }`,
  ),
  tags: field(STRING_LIST, 'tags'),
  groups: field(STRING_LIST, 'groups'),
  extensions: field('object', 'extensions'),
};

// ---- deployment managers --------------------------------------------------------------------------------

export const DEPLOYMENT_MANAGER_ATTRIBUTES: Readonly<Record<string, AttributeModel>> = {
  deploymentManagerId: field('uuid', 'deploymentManagerId'),
  name: field('string', 'name'),
  description: field('string', 'description'),
  oCloudId: field('uuid', 'oCloudId'),
  serviceUri: field('string', 'serviceUri'),
  supportedLocations: field(STRING_LIST, 'supportedLocations'),
  capabilities: field('object', 'capabilities'),
  capacity: field('object', 'capacity'),
  extensions: field('object', 'extensions'),
};

// ---- resource types ------------------------------------------------------------------------------------

export const RESOURCE_TYPE_CORE: Readonly<Record<string, AttributeModel>> = {
  resourceTypeId: field('uuid', 'resourceTypeId'),
  name: field('string', 'name'),
  description: field('string', 'description'),
  vendor: field('string', 'vendor'),
  model: field('string', 'model'),
  version: field('string', 'version'),
};

export const RESOURCE_TYPE_CLASSIFICATION: Readonly<Record<string, AttributeModel>> = {
  resourceKind: field('string', 'resourceKind'),
  resourceClass: field('string', 'resourceClass'),
  extensions: field('object', 'extensions'),
};

// ---- alarm dictionaries --------------------------------------------------------------------------------

const ALARM_DEFINITION_SCHEMA: AttributeSchema = {
  alarmDefinitionId: 'uuid',
  alarmName: 'string',
  alarmLastChange: 'string',
  alarmChangeType: 'string',
  alarmDescription: 'string',
  proposedRepairActions: 'string',
  clearingType: 'string',
  managementInterfaceId: STRING_LIST,
  pkNotificationField: STRING_LIST,
  alarmAdditionalFields: 'object',
};

const ALARM_DEFINITION_FIELDS = Object.keys(ALARM_DEFINITION_SCHEMA);

function alarmDefinitionFields(inner: Selection): string {
  const top = selectedTopLevel(inner);
  return ALARM_DEFINITION_FIELDS.filter((name) => top === 'all' || top.has(name)).join(' ');
}

export const ALARM_DICTIONARY_ATTRIBUTES: Readonly<Record<string, AttributeModel>> = {
  alarmDictionaryId: field('uuid', 'alarmDictionaryId'),
  alarmDictionaryVersion: field('string', 'alarmDictionaryVersion'),
  alarmDictionarySchemaVersion: field('string', 'alarmDictionarySchemaVersion'),
  entityType: field('string', 'entityType'),
  vendor: field('string', 'vendor'),
  managementInterfaceId: field(STRING_LIST, 'managementInterfaceId'),
  pkNotificationField: field(STRING_LIST, 'pkNotificationField'),
  alarmDefinition: mappedField(
    { array: { object: ALARM_DEFINITION_SCHEMA } },
    'alarmDefinition',
    (value) => value,
    (inner) => `alarmDefinition { ${alarmDefinitionFields(inner) || 'alarmDefinitionId'} }`,
  ),
};

export const ALARM_DICTIONARY_SCHEMA: AttributeSchema = Object.fromEntries(
  Object.entries(ALARM_DICTIONARY_ATTRIBUTES).map(([name, attribute]) => [name, attribute.type]),
);

/** The selection set of a whole alarm dictionary (embedded under a v1 resource type). */
export function alarmDictionaryFields(inner: Selection): string {
  const top = selectedTopLevel(inner);
  return Object.entries(ALARM_DICTIONARY_ATTRIBUTES)
    .filter(([name]) => top === 'all' || top.has(name) || name === 'alarmDictionaryId')
    .map(([name, attribute]) => attribute.graph?.(innerSelection(inner, name)) ?? name)
    .join(' ');
}

// ---- sites and locations -------------------------------------------------------------------------------

export const LOCATION_ATTRIBUTES: Readonly<Record<string, AttributeModel>> = {
  globalLocationId: field('string', 'globalLocationId'),
  name: field('string', 'name'),
  description: field('string', 'description'),
  oCloudSiteIds: computed(
    UUID_LIST,
    (item, context) => {
      const id = item['globalLocationId'];
      return typeof id === 'string' ? (context.sitesByLocation?.get(id) ?? []) : [];
    },
    ['globalLocationId'],
  ),
  // O2 types these as objects, arrays and strings, not nullable ones: a location without them leaves them out.
  coordinate: mappedField(
    { object: { type: 'string', coordinates: { array: 'number' } } },
    'coordinate',
    nullToAbsent,
  ),
  civicAddress: mappedField(
    { array: { object: { caType: 'integer', caValue: 'string' } } },
    'civicAddress',
    nullToAbsent,
  ),
  address: mappedField('string', 'address', nullToAbsent),
  extensions: field('object', 'extensions'),
};

export const SITE_ATTRIBUTES: Readonly<Record<string, AttributeModel>> = {
  oCloudSiteId: field('uuid', 'oCloudSiteId'),
  globalLocationId: field('string', 'globalLocationId'),
  name: field('string', 'name'),
  description: field('string', 'description'),
  resourcePools: computed(
    UUID_LIST,
    (item, context) => {
      const id = item['oCloudSiteId'];
      return typeof id === 'string' ? (context.poolsBySite?.get(id) ?? []) : [];
    },
    ['oCloudSiteId'],
  ),
  extensions: field('object', 'extensions'),
};

/** O2 types these attributes as non-nullable: a null from the graph leaves the attribute out. */
export function nullToAbsent(value: unknown): unknown {
  return value === null ? undefined : value;
}
