/**
 * The hub's `lcmEvents` GraphQL subscription: the DMS event log (dms/notifications/lcm-events.ts) — VNF
 * instance creations and deletions and every state an LCM operation occurrence enters — with cursors,
 * resumable after a disconnect exactly like `inventoryChanged` (event-stream.ts). It is the same log the
 * SOL003 webhooks are sent from, so a graphql-ws subscriber and a webhook receiver see the same events in the
 * same order. A caller of a tenant sees only that tenant's instances.
 */
import type { TenantScope } from '../../common/auth.ts';
import { seesCluster } from '../../common/tenancy.ts';
import type { Logger } from 'pino';
import { pino } from 'pino';
import {
  LCM_EVENT_LOG,
  parseLcmEvent,
  type LcmEvent,
  type LcmNotificationType,
} from '../../dms/notifications/lcm-events.ts';
import type { StateStore } from '../../state/store.ts';
import { createLogEventStream } from './event-stream.ts';
import type { LcmEvent as GraphLcmEvent } from './generated/graphql.ts';
import type { StreamItem } from './event-stream.ts';

export interface LcmEventsArgs {
  /** Resume after this cursor; absent: live events only; "0": everything retained. */
  readonly after?: string | null | undefined;
  readonly notificationTypes?: readonly LcmNotificationType[] | null | undefined;
  readonly vnfInstanceId?: string | null | undefined;
  readonly clusterId?: string | null | undefined;
}

export type LcmStreamItem = StreamItem<LcmEvent>;

export interface LcmEventStream extends AsyncDisposable {
  /**
   * `tenant`: the caller's tenant ('*' or absent: every tenant), or its whole scope (events of clusters out of
   * it are skipped too, docs/security.md "Tenants").
   */
  subscribe(
    args: LcmEventsArgs,
    tenant: string | TenantScope | undefined,
  ): Promise<AsyncIterableIterator<LcmStreamItem>>;
  dispose(): Promise<void>;
}

export function createLcmEventStream(store: StateStore, options: { logger?: Logger } = {}): LcmEventStream {
  const logger = options.logger ?? pino({ level: 'silent' });
  const stream = createLogEventStream<LcmEvent>(store, LCM_EVENT_LOG, {
    logger,
    expiredAdvice: 're-read the VNF instances and LCM operation occurrences',
  });
  return {
    subscribe(args, caller) {
      const scope = typeof caller === 'string' ? { name: caller } : caller;
      const tenant = scope?.name;
      const types = args.notificationTypes == null ? undefined : new Set(args.notificationTypes);
      return stream.open(args.after, (raw, cursor) => {
        const event = parseLcmEvent(raw);
        if (event === undefined) {
          logger.warn({ cursor }, 'lcmEvents: skipping an invalid event');
          return undefined;
        }
        if (tenant !== undefined && tenant !== '*' && event.tenant !== tenant) return undefined;
        if (scope !== undefined && !seesCluster(scope, event.clusterId)) return undefined;
        if (types !== undefined && !types.has(event.notificationType)) return undefined;
        if (args.vnfInstanceId != null && event.vnfInstanceId !== args.vnfInstanceId) return undefined;
        if (args.clusterId != null && event.clusterId !== args.clusterId) return undefined;
        return event;
      });
    },
    dispose: () => stream.dispose(),
    [Symbol.asyncDispose]() {
      return stream.dispose();
    },
  };
}

/** The GraphQL shape of an event (schema/hub.graphql `LcmEvent`). */
export function toGraphLcmEvent(item: { cursor: string; event: LcmEvent }): GraphLcmEvent {
  const { event } = item;
  const base = {
    cursor: item.cursor,
    eventId: event.eventId,
    notificationType: event.notificationType,
    occurredAt: event.occurredAt,
    vnfInstanceId: event.vnfInstanceId,
    vnfdId: event.vnfdId ?? null,
    clusterId: event.clusterId ?? null,
    notificationStatus: null,
    vnfLcmOpOccId: null,
    operation: null,
    operationState: null,
    error: null,
    affectedVnfcs: null,
  };
  if (event.notificationType !== 'VnfLcmOperationOccurrenceNotification') return base;
  const { occurrence } = event;
  return {
    ...base,
    notificationStatus: event.notificationStatus,
    vnfLcmOpOccId: occurrence.id,
    operation: occurrence.operation,
    operationState: occurrence.operationState,
    error: occurrence.error ?? null,
    affectedVnfcs:
      (occurrence.resourceChanges as { affectedVnfcs?: unknown } | undefined)?.affectedVnfcs ?? null,
  };
}
