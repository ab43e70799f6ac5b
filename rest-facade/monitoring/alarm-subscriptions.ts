/**
 * The O2 AlarmSubscriptionInfo view of stored alarm subscriptions (notifier/subscriptions/alarm-repository.ts),
 * and validation of a POST body. The rules are those of inventory subscriptions (rest-facade/subscriptions):
 * the same callback policy, probe, duplicate detection on (callback, filter) with a configurable 400/409, and
 * tenant visibility.
 */
import { compileAlarmSubscriptionFilter } from '../../alarms/alarm-event-filter.ts';
import type { AuthContext } from '../../common/auth.ts';
import type { StoredAlarmSubscription } from '../../notifier/subscriptions/alarm-repository.ts';
import type { AttributeSchema, SelectorSpec } from '../../o2/sol013/index.ts';
import { parseSubscriptionBody } from '../subscriptions/request-body.ts';

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
