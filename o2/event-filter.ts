/**
 * SOL013 filters over inventory change events, shared by the O2 subscriptions (where a matching event is
 * NOT reported: the spec's exclusion semantics) and the hub's GraphQL `inventoryChanged` (where a matching
 * event IS delivered, as a query filter would). The two uses differ only in what they do with `matches`.
 *
 * The attributes a filter can name are those of the notification as the SMO receives it, plus netweave's
 * own `changeKind`, `objectKind`, `objectId` and `clusterId` (docs/subscriptions.md lists them). `objectRef` is
 * the path relative to the inventory API root, so filters do not depend on the gateway's public URL.
 */
import type { InventoryChangeEvent } from './events.ts';
import { NOTIFICATION_EVENT_TYPES } from './events.ts';
import { compileFilter, matches, parseFilter } from './sol013/index.ts';
import type { AttributeSchema, CompiledFilter } from './sol013/index.ts';

export const EVENT_FILTER_SCHEMA = {
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

/** Parses and type-checks a filter; throws Sol013Error (a 400 / BAD_USER_INPUT) when it is invalid. */
export function compileEventFilter(text: string): CompiledFilter {
  return compileFilter(parseFilter(text), EVENT_FILTER_SCHEMA);
}

/** What a filter is evaluated against: the event as its attributes are named in EVENT_FILTER_SCHEMA. */
function filterView(event: InventoryChangeEvent): Record<keyof typeof EVENT_FILTER_SCHEMA, unknown> {
  return {
    notificationEventType: NOTIFICATION_EVENT_TYPES[event.changeKind],
    changeKind: event.changeKind,
    objectKind: event.objectKind,
    objectId: event.objectId,
    objectRef: event.objectRef,
    clusterId: event.clusterId,
    priorObjectState: event.priorObjectState,
    postObjectState: event.postObjectState,
  };
}

export function eventMatchesFilter(filter: CompiledFilter, event: InventoryChangeEvent): boolean {
  return matches(filter, filterView(event));
}
