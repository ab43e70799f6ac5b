/**
 * O2 alarm subscriptions in the state store (they survive restarts and are shared by every replica), the O2
 * AlarmSubscriptionInfo view of them, and validation of a POST body. The rules are those of inventory
 * subscriptions (rest-facade/subscriptions): the same callback policy, probe, duplicate detection on
 * (callback, filter) with a configurable 400/409, and tenant visibility.
 *
 * Stored with `subscriptionId` (the notifier's name for it); the API calls it `alarmSubscriptionId`.
 */
import { z } from 'zod';
import { compileAlarmSubscriptionFilter } from '../../common/alarm-event-filter.ts';
import { parseSubscriptionBody } from '../subscriptions/request-body.ts';
import { ALARM_EVENT_LOG } from '../../common/alarm-ledger.ts';
import type { AuthContext } from '../../common/auth.ts';
import type { AttributeSchema, SelectorSpec } from '../../common/sol013/index.ts';
import type { StateStore } from '../../state/store.ts';
import { SubscriptionCollection } from '../subscriptions/collection.ts';

export const ALARM_SUBSCRIPTIONS_COLLECTION = 'o2-alarm-subscriptions';
/** Hint to the notifiers of every replica that alarm subscriptions changed (they also re-read periodically). */
export const ALARM_SUBSCRIPTIONS_CHANGED_CHANNEL = 'o2-alarm-subscriptions-changed';

export const storedAlarmSubscriptionSchema = z.object({
  subscriptionId: z.string().uuid(),
  callback: z.string().url(),
  consumerSubscriptionId: z.string().optional(),
  filter: z.string().optional(),
  /** Cursor of the alarm event log just before creation ('0' when empty): later events are notified. */
  startCursor: z.string(),
  tenant: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type StoredAlarmSubscription = z.infer<typeof storedAlarmSubscriptionSchema>;

export type { CreateOutcome } from '../subscriptions/collection.ts';

/** Same duplicate and tenant rules as inventory subscriptions (rest-facade/subscriptions/collection.ts). */
export class AlarmSubscriptionRepository extends SubscriptionCollection<StoredAlarmSubscription> {
  constructor(store: StateStore) {
    super(store, {
      collection: ALARM_SUBSCRIPTIONS_COLLECTION,
      changedChannel: ALARM_SUBSCRIPTIONS_CHANGED_CHANNEL,
      eventLog: ALARM_EVENT_LOG,
      schema: storedAlarmSubscriptionSchema,
    });
  }
}

// ---- the O2 view ------------------------------------------------------------------------------------------

export interface O2AlarmSubscription {
  readonly alarmSubscriptionId: string;
  readonly callback: string;
  readonly consumerSubscriptionId?: string;
  readonly filter?: string;
}

export function toO2AlarmSubscription(stored: StoredAlarmSubscription): O2AlarmSubscription {
  return {
    alarmSubscriptionId: stored.subscriptionId,
    callback: stored.callback,
    ...(stored.consumerSubscriptionId === undefined
      ? {}
      : { consumerSubscriptionId: stored.consumerSubscriptionId }),
    ...(stored.filter === undefined ? {} : { filter: stored.filter }),
  };
}

export const ALARM_SUBSCRIPTION_SCHEMA = {
  alarmSubscriptionId: 'uuid',
  callback: 'string',
  consumerSubscriptionId: 'uuid',
  filter: 'string',
} as const satisfies AttributeSchema;

export const ALARM_SUBSCRIPTION_SELECTORS: SelectorSpec = {
  schema: ALARM_SUBSCRIPTION_SCHEMA,
  defaultExcluded: [],
  mandatory: ['alarmSubscriptionId', 'callback'],
};

/** Tenant isolation: a subscription exists only for its own tenant and for operators (`*`). */
export function visibleTo(auth: AuthContext, stored: StoredAlarmSubscription): boolean {
  return auth.tenant.name === '*' || auth.tenant.name === stored.tenant;
}

// ---- the POST body -----------------------------------------------------------------------------------------

export interface AlarmSubscriptionRequest {
  readonly callback: string;
  readonly consumerSubscriptionId?: string;
  /** Absent when the client sent none or an empty one (both mean "report every event"). */
  readonly filter?: string;
}

/** The inventory subscription body rules (rest-facade/subscriptions), with the alarm filter and names. */
export function parseAlarmSubscriptionBody(
  contentType: string | undefined,
  raw: Buffer,
  options: { readonly rejectUnknownFields: boolean },
): AlarmSubscriptionRequest {
  return parseSubscriptionBody(contentType, raw, {
    rejectUnknownFields: options.rejectUnknownFields,
    compileFilter: compileAlarmSubscriptionFilter,
    objectName: 'AlarmSubscriptionInfo',
    assignedIdMembers: ['alarmSubscriptionId', 'subscriptionId'],
  });
}
