/**
 * The O2 inventory change event (docs/architecture.md "Data flows" "Change"): what a cluster subgraph appends to the global event
 * log and what both deliveries read — the hub's resumable GraphQL subscription and the notifier's webhooks.
 *
 * Object states are exactly what the O2 REST API returns for that object (no clusterId, no graph-only
 * fields), so a notification can carry them unchanged. Events are read back from a shared store that other
 * processes (and other versions of netweave) write, so every reader validates them with `parseInventoryChangeEvent`.
 */
import { z } from 'zod';

/** The one global log of inventory changes of every cluster. */
export const INVENTORY_EVENT_LOG = 'o2-inventory';

export const O2_OBJECT_KINDS = ['DEPLOYMENT_MANAGER', 'RESOURCE_POOL', 'RESOURCE', 'RESOURCE_TYPE'] as const;
export type O2ObjectKind = (typeof O2_OBJECT_KINDS)[number];

export const CHANGE_KINDS = ['CREATE', 'MODIFY', 'DELETE'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** `notificationEventType` of an O2 InventoryChangeNotification for each change kind. */
export const NOTIFICATION_EVENT_TYPES = { CREATE: 0, MODIFY: 1, DELETE: 2 } as const satisfies Record<
  ChangeKind,
  number
>;

/** An O2 object as the REST API returns it (a JSON object). */
export type O2ObjectState = Readonly<Record<string, unknown>>;

interface EventCommon {
  /** UUID, unique per event: the key every consumer deduplicates by (the log delivers at least once). */
  readonly eventId: string;
  readonly clusterId: string;
  readonly objectKind: O2ObjectKind;
  readonly objectId: string;
  /** Path of the object relative to the inventory API root, e.g. `/resourcePools/{id}`. */
  readonly objectRef: string;
  /** ISO 8601 time at which the cluster subgraph observed the change. */
  readonly occurredAt: string;
}

export type InventoryChangeEvent = EventCommon &
  (
    | {
        readonly changeKind: 'CREATE';
        readonly priorObjectState: null;
        readonly postObjectState: O2ObjectState;
      }
    | {
        readonly changeKind: 'MODIFY';
        readonly priorObjectState: O2ObjectState;
        readonly postObjectState: O2ObjectState;
      }
    | {
        readonly changeKind: 'DELETE';
        readonly priorObjectState: O2ObjectState;
        readonly postObjectState: null;
      }
  );

const objectState = z.record(z.unknown());
const common = {
  eventId: z.string().uuid(),
  clusterId: z.string().min(1).max(253),
  objectKind: z.enum(O2_OBJECT_KINDS),
  objectId: z.string().min(1).max(256),
  // A relative path: never a URL, so a forged event cannot point a notification at another host.
  objectRef: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, 'a path relative to the inventory API root'),
  occurredAt: z.string().datetime({ offset: true }),
};

/** Validates an event read from the store; extra members (from a newer writer) are dropped. */
export const inventoryChangeEventSchema = z.discriminatedUnion('changeKind', [
  z.object({
    ...common,
    changeKind: z.literal('CREATE'),
    priorObjectState: z.null(),
    postObjectState: objectState,
  }),
  z.object({
    ...common,
    changeKind: z.literal('MODIFY'),
    priorObjectState: objectState,
    postObjectState: objectState,
  }),
  z.object({
    ...common,
    changeKind: z.literal('DELETE'),
    priorObjectState: objectState,
    postObjectState: z.null(),
  }),
]);

export type EventParseResult =
  | { readonly ok: true; readonly event: InventoryChangeEvent }
  | { readonly ok: false; readonly reason: string };

/** Never throws: a malformed entry in a shared log must not stop a reader, only be reported and skipped. */
export function parseInventoryChangeEvent(value: unknown): EventParseResult {
  const result = inventoryChangeEventSchema.safeParse(value);
  if (result.success) return { ok: true, event: result.data as InventoryChangeEvent };
  const reason = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason };
}

/** The path of an O2 object relative to the inventory API root (`/o2ims-infrastructureInventory/v2`). */
export function objectRefOf(kind: O2ObjectKind, objectId: string, state: O2ObjectState): string {
  switch (kind) {
    case 'DEPLOYMENT_MANAGER':
      return `/deploymentManagers/${objectId}`;
    case 'RESOURCE_POOL':
      return `/resourcePools/${objectId}`;
    case 'RESOURCE_TYPE':
      return `/resourceTypes/${objectId}`;
    case 'RESOURCE': {
      const pool = state['resourcePoolId'];
      if (typeof pool !== 'string') throw new TypeError('a resource state without resourcePoolId');
      return `/resourcePools/${pool}/resources/${objectId}`;
    }
  }
}

/**
 * The collection holding the last published O2 state of every object of one cluster: written by the cluster's
 * event publisher (subgraphs/cluster/event-publisher.ts), read back when a cluster is deregistered to announce
 * the DELETE of its objects (router/cluster-retirement.ts).
 */
export function publishedStateCollection(clusterId: string): string {
  return `o2-published.${clusterId}`;
}

/** The record of the last published state of one object. */
export interface PublishedObject {
  readonly objectKind: O2ObjectKind;
  readonly objectRef: string;
  readonly state: O2ObjectState;
}
