/**
 * The `filter` of an O2 alarm subscription: which AlarmEventNotifications the subscriber does NOT need (the
 * O2IMS text: "criteria for events which do not need to be reported"). Two forms are accepted:
 *
 *   NEW | CHANGE | CLEAR | ACKNOWLEDGE, or a comma-separated list of them
 *       the oran-o2ims form (an enumeration of notification types): notifications of those types are not sent;
 *   a SOL013 filter over the notification's attributes, e.g. `(eq,perceivedSeverity,3)` or
 *   `(neq,extensions/clusterId,edge-1)`
 *       notifications that match it are not sent (the same exclusion reading as inventory subscriptions).
 *
 * Both are validated when the subscription is created (400 otherwise) and evaluated by the notifier's fan-out.
 */
import { ALARM_EVENT_KINDS, ALARM_EVENT_TYPES } from './alarm-record.ts';
import type { AlarmEventKind } from './alarm-record.ts';
import { compileFilter, matches, parseFilter } from '../o2/sol013/index.ts';
import type { AttributeSchema, CompiledFilter } from '../o2/sol013/index.ts';

/** The notification attributes a SOL013 alarm subscription filter can name. */
export const ALARM_NOTIFICATION_FILTER_SCHEMA = {
  notificationEventType: 'integer',
  alarmEventRecordId: 'uuid',
  resourceTypeID: 'uuid',
  resourceID: 'uuid',
  alarmDefinitionID: 'uuid',
  probableCauseID: 'uuid',
  alarmRaisedTime: 'datetime',
  alarmChangedTime: 'datetime',
  alarmAcknowledged: 'boolean',
  perceivedSeverity: 'integer',
  extensions: 'object',
} as const satisfies AttributeSchema;

export type AlarmSubscriptionFilter =
  | { readonly kind: 'event-types'; readonly excluded: ReadonlySet<AlarmEventKind> }
  | { readonly kind: 'sol013'; readonly filter: CompiledFilter };

const EVENT_TYPE_LIST = /^\s*[A-Z]+(\s*,\s*[A-Z]+)*\s*$/;

/** Parses either form; throws Sol013Error (a 400) when the text is neither. */
export function compileAlarmSubscriptionFilter(text: string): AlarmSubscriptionFilter {
  if (EVENT_TYPE_LIST.test(text)) {
    const names = text.split(',').map((name) => name.trim());
    if (
      names.every((name): name is AlarmEventKind => (ALARM_EVENT_KINDS as readonly string[]).includes(name))
    ) {
      return { kind: 'event-types', excluded: new Set(names) };
    }
  }
  return { kind: 'sol013', filter: compileFilter(parseFilter(text), ALARM_NOTIFICATION_FILTER_SCHEMA) };
}

/** What a filter is evaluated against: the notification's attributes (the record's, plus the event type). */
export interface AlarmNotificationView {
  readonly kind: AlarmEventKind;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** True when the subscription does NOT want this notification. */
export function alarmFilterExcludes(
  filter: AlarmSubscriptionFilter,
  notification: AlarmNotificationView,
): boolean {
  if (filter.kind === 'event-types') return filter.excluded.has(notification.kind);
  return matches(filter.filter, {
    ...notification.attributes,
    notificationEventType: ALARM_EVENT_TYPES[notification.kind],
  });
}
