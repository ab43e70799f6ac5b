/**
 * SOL013 filters over inventory change events, shared by the O2 subscriptions (where a matching event is
 * NOT reported: the spec's exclusion semantics) and the hub's GraphQL `inventoryChanged` (where a matching
 * event IS delivered, as a query filter would). The two uses differ only in what they do with `matches`.
 *
 * The attributes a filter can name are those of the notification as the SMO receives it, plus netweave's
 * own `changeKind`, `objectKind`, `objectId` and `clusterId` (docs/subscriptions.md lists them). `objectRef` is
 * the path relative to the inventory API root, so filters do not depend on the gateway's public URL. The
 * attributes of the O2 objects themselves (`resourcePoolId`, `resourceTypeId`, …) are shorthand for the object
 * state, as pti-o2 clients write filters; see `eventMatchesFilter` for which state.
 */
import type { InventoryChangeEvent, O2ObjectState } from './events.ts';
import { NOTIFICATION_EVENT_TYPES } from './events.ts';
import { compileFilter, matches, parseFilter } from './sol013/index.ts';
import type { AttributeSchema, CompiledFilter } from './sol013/index.ts';

/** The attributes of the event itself (they read the same whichever object state is looked at). */
const EVENT_ATTRIBUTES = {
  notificationEventType: 'integer',
  changeKind: 'string',
  objectKind: 'string',
  objectId: 'uuid',
  objectRef: 'string',
  clusterId: 'string',
  // O2 object states are free-form here: any nested path (postObjectState/extensions/labels/x) is allowed.
  priorObjectState: 'object',
  postObjectState: 'object',
} as const satisfies AttributeSchema;

/**
 * The top-level attributes of the O2 objects an event can carry (DeploymentManager, ResourcePool, Resource,
 * ResourceType of the v2 model, o2/inventory.ts), as pti-o2 clients name them in a filter:
 * `(eq,resourcePoolId,<id>)` is shorthand for the object state's attribute. Structured members are free-form.
 */
const OBJECT_ATTRIBUTES = {
  deploymentManagerId: 'uuid',
  resourcePoolId: 'uuid',
  resourceId: 'uuid',
  resourceTypeId: 'uuid',
  oCloudId: 'uuid',
  oCloudSiteId: 'uuid',
  alarmDictionaryId: 'uuid',
  name: 'string',
  description: 'string',
  serviceUri: 'string',
  globalAssetId: 'string',
  vendor: 'string',
  model: 'string',
  version: 'string',
  resourceKind: 'string',
  resourceClass: 'string',
  supportedLocations: { array: 'string' },
  tags: { array: 'string' },
  groups: { array: 'string' },
  capabilities: 'object',
  capacity: 'object',
  elements: 'object',
  extensions: 'object',
} as const satisfies AttributeSchema;

export const EVENT_FILTER_SCHEMA = {
  ...EVENT_ATTRIBUTES,
  ...OBJECT_ATTRIBUTES,
} as const satisfies AttributeSchema;

/** Parses and type-checks a filter; throws Sol013Error (a 400 / BAD_USER_INPUT) when it is invalid. */
export function compileEventFilter(text: string): CompiledFilter {
  return compileFilter(parseFilter(text), EVENT_FILTER_SCHEMA);
}

const OBJECT_ATTRIBUTE_NAMES = Object.keys(OBJECT_ATTRIBUTES);

/**
 * What a filter is evaluated against: the event's attributes, plus the object attributes read from one of its
 * states (absent when that state is null, so a positive clause on them does not match).
 */
function filterView(event: InventoryChangeEvent, state: O2ObjectState | null): Record<string, unknown> {
  const view: Record<string, unknown> = {
    notificationEventType: NOTIFICATION_EVENT_TYPES[event.changeKind],
    changeKind: event.changeKind,
    objectKind: event.objectKind,
    objectId: event.objectId,
    objectRef: event.objectRef,
    clusterId: event.clusterId,
    priorObjectState: event.priorObjectState,
    postObjectState: event.postObjectState,
  } satisfies Record<keyof typeof EVENT_ATTRIBUTES, unknown>;
  if (state !== null) {
    for (const name of OBJECT_ATTRIBUTE_NAMES) if (Object.hasOwn(state, name)) view[name] = state[name];
  }
  return view;
}

/** Whether the filter names an object attribute (then both states are looked at). */
const namesObjectAttributes = new WeakMap<CompiledFilter, boolean>();

function usesObjectAttributes(filter: CompiledFilter): boolean {
  let uses = namesObjectAttributes.get(filter);
  if (uses === undefined) {
    uses = filter.clauses.some((clause) => Object.hasOwn(OBJECT_ATTRIBUTES, clause.path[0] ?? ''));
    namesObjectAttributes.set(filter, uses);
  }
  return uses;
}

/**
 * An event matches when the filter holds with the object attributes read from its post state, or from its
 * prior state: a MODIFY that moves a resource out of `(eq,resourcePoolId,<id>)` is still about that pool,
 * and a DELETE is judged by the object as it was.
 */
export function eventMatchesFilter(filter: CompiledFilter, event: InventoryChangeEvent): boolean {
  if (matches(filter, filterView(event, event.postObjectState))) return true;
  return usesObjectAttributes(filter) && matches(filter, filterView(event, event.priorObjectState));
}
