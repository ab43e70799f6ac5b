/**
 * O2 AlarmEventNotifications (NEW 0, CHANGE 1, CLEAR 2, ACKNOWLEDGE 3) as a channel of the notifier
 * (notifier/channel): the alarm event log fanned out to the alarm subscriptions, with the same
 * delivery guarantees as inventory notifications.
 *
 * A notification is the alarm record as it was right after the change (the O2 AlarmEventRecord fields), plus
 * the O-Cloud's globalCloudID, the event type, the subscriber's consumerSubscriptionId and an absolute
 * objectRef. Its notificationId is derived from the subscription and the event, so every attempt — retries,
 * and a redelivery by another replica after a crash — carries the same id.
 */
import type { Logger } from 'pino';
import { alarmFilterExcludes, compileAlarmSubscriptionFilter } from '../alarms/alarm-event-filter.ts';
import { ALARM_EVENT_LOG } from '../alarms/alarm-ledger.ts';
import {
  ALARM_EVENT_TYPES,
  alarmRefOf,
  parseAlarmEvent,
  toO2AlarmEventRecord,
} from '../alarms/alarm-record.ts';
import type { AcknowledgedTimeField, AlarmEvent } from '../alarms/alarm-record.ts';
import { uuidV5 } from '../o2/ids.ts';
import { filterSelector } from './channel/channel.ts';
import type { ChannelNotification, NotificationChannel } from './channel/channel.ts';
import { MONITORING_V1_PATH } from '../o2/service-paths.ts';
import {
  ALARM_SUBSCRIPTIONS_CHANGED_CHANNEL,
  AlarmSubscriptionRepository,
} from './subscriptions/alarm-repository.ts';
import type { StoredAlarmSubscription } from './subscriptions/alarm-repository.ts';

/** Namespace of alarm notification ids (a fixed, random-once UUID). */
const ALARM_NOTIFICATION_NAMESPACE = '3e8b5c1a-7d42-4f96-a0b3-9c6e2d1f4a87';

export interface AlarmNotificationSettings {
  readonly globalCloudId: string;
  readonly acknowledgedTimeField: AcknowledgedTimeField;
}

export function alarmNotificationIdOf(subscriptionId: string, eventId: string): string {
  return uuidV5(`${subscriptionId}\u0000${eventId}`, ALARM_NOTIFICATION_NAMESPACE);
}

export function buildAlarmNotification(
  event: AlarmEvent,
  subscription: Pick<StoredAlarmSubscription, 'subscriptionId' | 'consumerSubscriptionId'>,
  publicUrl: string,
  settings: AlarmNotificationSettings,
): ChannelNotification {
  const { alarmEventRecordId, ...record } = toO2AlarmEventRecord(event.alarm, settings.acknowledgedTimeField);
  return {
    notificationId: alarmNotificationIdOf(subscription.subscriptionId, event.eventId),
    globalCloudID: settings.globalCloudId,
    ...(subscription.consumerSubscriptionId === undefined
      ? {}
      : { consumerSubscriptionId: subscription.consumerSubscriptionId }),
    notificationEventType: ALARM_EVENT_TYPES[event.kind],
    objectRef: `${publicUrl.replace(/\/+$/, '')}${MONITORING_V1_PATH}${alarmRefOf(alarmEventRecordId)}`,
    alarmEventRecordId,
    ...record,
  };
}

/** The channel; filters that no longer compile (another version wrote them) exclude nothing, and are logged. */
export function alarmNotificationChannel(
  settings: AlarmNotificationSettings,
  logger?: Logger,
): NotificationChannel<AlarmEvent, StoredAlarmSubscription> {
  return {
    name: 'alarms',
    eventLog: ALARM_EVENT_LOG,
    subscriptionsChangedChannel: ALARM_SUBSCRIPTIONS_CHANGED_CHANNEL,
    listSubscriptions: (store) => new AlarmSubscriptionRepository(store).list(),
    parseEvent: parseAlarmEvent,
    selector: (subscription) =>
      filterSelector(
        subscription,
        compileAlarmSubscriptionFilter,
        (filter, event: AlarmEvent) =>
          !alarmFilterExcludes(filter, {
            kind: event.kind,
            attributes: toO2AlarmEventRecord(event.alarm, settings.acknowledgedTimeField),
          }),
        logger,
        'notifier: stored alarm filter does not compile; it is ignored',
      ),
    subjectOf: (event) => ({ clusterId: event.alarm.clusterId }),
    buildNotification: (event, subscription, publicUrl) =>
      buildAlarmNotification(event, subscription, publicUrl, settings),
  };
}
