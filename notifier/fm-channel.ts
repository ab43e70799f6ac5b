/**
 * SOL003 VNF fault management notifications as a channel of the notifier (notifier/channel): the same alarm
 * event log as the O2 IMS alarm channel (alarm-channel.ts), restricted to NF deployment alarms
 * (dms/notifications/nf-alarms.ts) and fanned out to the `vnffm/v1` subscriptions, with the guarantees of
 * every channel (durable per-subscription queues delivered in order, retries of the same `id`, dead letters,
 * signatures) and what SOL003 asks of a notification: the `Version` header of vnffm and the subscription's own
 * BASIC or OAuth2 client-credentials authentication (as for LCM notifications, lcm-channel.ts).
 *
 *   AlarmNotification          the alarm was raised, changed or acknowledged: the Alarm as vnffm serves it
 *   AlarmClearedNotification   the alarm was cleared: its id and clearing time, `_links.alarm`
 *
 * `_links` point into the apiRoot the subscription was made on (the cluster's for `/o2dms/{dmId}`).
 */
import type { Logger } from 'pino';
import { ALARM_EVENT_LOG } from '../alarms/alarm-ledger.ts';
import { parseAlarmEvent, type AlarmEvent } from '../alarms/alarm-record.ts';
import {
  fmNotificationTypeOf,
  fmSelectorWants,
  parseFmSelectorText,
  type FmSelector,
} from '../dms/notifications/fm-subscriptions.ts';
import type { StoredLcmSubscription } from '../dms/notifications/lcm-subscriptions.ts';
import { toVnfFmAlarm } from '../dms/notifications/nf-alarms.ts';
import { uuidV5 } from '../o2/ids.ts';
import type { ChannelNotification, NotificationChannel } from './channel/channel.ts';
import { startChannelNotifier } from './channel/channel-notifier.ts';
import type { ChannelNotifier, ChannelNotifierOptions } from './channel/channel-notifier.ts';
import { dmsApiRootOf, lcmDeliveryOf, parsedSelector } from './lcm-channel.ts';
import {
  FM_SUBSCRIPTIONS_CHANGED_CHANNEL,
  FmSubscriptionRepository,
} from './subscriptions/lcm-repository.ts';

export const FM_CHANNEL_NAME = 'dms-fm';
/** The `Version` header of every FM notification: SOL003 V3.7.1's vnffm (rest-facade/dms/vnffm.ts). */
export const FM_NOTIFICATION_VERSION = '1.5.0';

/** Namespace of FM notification ids (a fixed, random-once UUID). */
const FM_NOTIFICATION_NAMESPACE = '5b7e0c2d-91a4-4f3e-b6d8-0a2c4e6f8b13';

function selectorOf(subscription: Pick<StoredLcmSubscription, 'filter'>): FmSelector | undefined {
  return parsedSelector(parseFmSelectorText, subscription.filter);
}

export function buildFmNotification(
  event: AlarmEvent,
  subscription: Pick<StoredLcmSubscription, 'subscriptionId' | 'filter'>,
  publicUrl: string,
): ChannelNotification {
  const apiRoot = dmsApiRootOf(publicUrl, selectorOf(subscription));
  const id = uuidV5(`${subscription.subscriptionId}\u0000${event.eventId}`, FM_NOTIFICATION_NAMESPACE);
  const alarmId = event.alarm.alarmEventRecordId;
  const common = {
    // `notificationId` for the channel's queues and dead letters, `id` for SOL003: the same value.
    notificationId: id,
    id,
    notificationType: fmNotificationTypeOf(event),
    subscriptionId: subscription.subscriptionId,
    timeStamp: event.occurredAt,
  };
  const subscriptionLink = { href: `${apiRoot}/vnffm/v1/subscriptions/${subscription.subscriptionId}` };
  if (common.notificationType === 'AlarmNotification')
    return {
      ...common,
      alarm: toVnfFmAlarm(event.alarm, apiRoot),
      _links: { subscription: subscriptionLink },
    };
  return {
    ...common,
    alarmId,
    alarmClearedTime: event.alarm.alarmClearedTime ?? event.occurredAt,
    _links: {
      subscription: subscriptionLink,
      alarm: { href: `${apiRoot}/vnffm/v1/alarms/${alarmId}` },
    },
  };
}

/** The channel; a stored filter that no longer parses (another version wrote it) gets nothing, and is logged. */
export function fmNotificationChannel(
  logger?: Logger,
): NotificationChannel<AlarmEvent, StoredLcmSubscription> {
  return {
    name: FM_CHANNEL_NAME,
    eventLog: ALARM_EVENT_LOG,
    subscriptionsChangedChannel: FM_SUBSCRIPTIONS_CHANGED_CHANNEL,
    listSubscriptions: (store) => new FmSubscriptionRepository(store).list(),
    parseEvent: parseAlarmEvent,
    selector(subscription) {
      const selector = selectorOf(subscription);
      if (selector === undefined) {
        logger?.error(
          { subscriptionId: subscription.subscriptionId },
          'notifier: stored FM filter does not parse; the subscription gets nothing',
        );
        return () => false;
      }
      return (event) => fmSelectorWants(selector, subscription.tenant, event);
    },
    buildNotification: buildFmNotification,
    deliveryOf: (subscription) => lcmDeliveryOf(subscription, FM_NOTIFICATION_VERSION),
  };
}

/** The channel notifier of FM notifications (both stages on this replica; options as for every channel). */
export function startFmNotifier(
  options: Omit<ChannelNotifierOptions<AlarmEvent, StoredLcmSubscription>, 'channel'>,
): Promise<ChannelNotifier> {
  return startChannelNotifier({ ...options, channel: fmNotificationChannel(options.logger) });
}
