/**
 * SOL003 VNF LCM notifications as a channel of the notifier (notifier/channel): the DMS event log
 * (dms/notifications/lcm-events.ts) fanned out to the LCM subscriptions, with the guarantees of every channel
 * — durable per-subscription queues delivered in order (so in order per VNF instance), retries of the same
 * notification (same `id`), dead letters, signatures — plus what SOL003 asks of a notification: the `Version`
 * header and the subscription's own BASIC or OAuth2 client-credentials authentication.
 *
 *   VnfIdentifierCreationNotification / VnfIdentifierDeletionNotification   instance created / deleted
 *   VnfLcmOperationOccurrenceNotification   START when the occurrence enters STARTING, RESULT for every other
 *       state; `error` on FAILED_TEMP, FAILED and ROLLED_BACK; with FULL verbosity also `affectedVnfcs`
 *       (the pod diff of the run) and `changedInfo`.
 *
 * `_links` point into the apiRoot the subscription was made on (the cluster's for `/o2dms/{dmId}`).
 */
import type { Logger } from 'pino';
import { LCM_EVENT_LOG, parseLcmEvent, type LcmEvent } from '../dms/notifications/lcm-events.ts';
import {
  parseSelectorText,
  selectorWants,
  type LcmSelector,
  type StoredLcmSubscription,
} from '../dms/notifications/lcm-subscriptions.ts';
import { clusterScopedId, uuidV5 } from '../o2/ids.ts';
import type { ChannelDelivery, ChannelNotification, NotificationChannel } from './channel/channel.ts';
import { startChannelNotifier } from './channel/channel-notifier.ts';
import type { ChannelNotifier, ChannelNotifierOptions } from './channel/channel-notifier.ts';
import {
  LCM_SUBSCRIPTIONS_CHANGED_CHANNEL,
  LcmSubscriptionRepository,
} from './subscriptions/lcm-repository.ts';

export const LCM_CHANNEL_NAME = 'dms-lcm';
/** The `Version` header of every LCM notification: the vnflcm v2 version of the O2dms ETSI NFV profile. */
export const LCM_NOTIFICATION_VERSION = '2.14.0';
/** The DMS apiRoot path (rest-facade/dms: DMS_SERVICE_PATH). */
const DMS_PATH = '/o2dms';

/** Namespace of LCM notification ids (a fixed, random-once UUID). */
const LCM_NOTIFICATION_NAMESPACE = 'c4f1a8e2-6b3d-4d97-8a15-2e9f0b7c3d61';

const ERROR_STATES: ReadonlySet<string> = new Set(['FAILED_TEMP', 'FAILED', 'ROLLED_BACK']);

export function lcmNotificationIdOf(subscriptionId: string, eventId: string): string {
  return uuidV5(`${subscriptionId}\u0000${eventId}`, LCM_NOTIFICATION_NAMESPACE);
}

/** A subscription's stored selector, or undefined when it does not parse (another version wrote it). */
export function parsedSelector<T>(parse: (text: string) => T, filter: string): T | undefined {
  try {
    return parse(filter);
  } catch {
    return undefined;
  }
}

function selectorOf(subscription: Pick<StoredLcmSubscription, 'filter'>): LcmSelector | undefined {
  return parsedSelector(parseSelectorText, subscription.filter);
}

/** The DMS apiRoot a subscription was made on (LCM and FM subscriptions: the cluster's when its selector names one). */
export function dmsApiRootOf(
  publicUrl: string,
  selector: { readonly clusterId?: string | undefined } | undefined,
): string {
  const base = `${publicUrl.replace(/\/+$/, '')}${DMS_PATH}`;
  return selector?.clusterId === undefined
    ? base
    : `${base}/${clusterScopedId(selector.clusterId, 'deploymentManager', 'deploymentManager')}`;
}

export function buildLcmNotification(
  event: LcmEvent,
  subscription: Pick<StoredLcmSubscription, 'subscriptionId' | 'filter'>,
  publicUrl: string,
): ChannelNotification {
  const selector = selectorOf(subscription);
  const root = `${dmsApiRootOf(publicUrl, selector)}/vnflcm/v2`;
  const id = lcmNotificationIdOf(subscription.subscriptionId, event.eventId);
  const links = {
    vnfInstance: { href: `${root}/vnf_instances/${event.vnfInstanceId}` },
    subscription: { href: `${root}/subscriptions/${subscription.subscriptionId}` },
  };
  const common = {
    // The channel's contract names the id `notificationId` (queues and dead letters use it); SOL003 names
    // it `id`. Both carry the same value; receivers deduplicate by `id`.
    notificationId: id,
    id,
    notificationType: event.notificationType,
    subscriptionId: subscription.subscriptionId,
    timeStamp: event.occurredAt,
    vnfInstanceId: event.vnfInstanceId,
  };
  if (event.notificationType !== 'VnfLcmOperationOccurrenceNotification') return { ...common, _links: links };
  const { occurrence } = event;
  const full = (selector?.verbosity ?? 'FULL') === 'FULL';
  const affectedVnfcs = (occurrence.resourceChanges as { affectedVnfcs?: unknown } | undefined)
    ?.affectedVnfcs;
  return {
    ...common,
    notificationStatus: event.notificationStatus,
    operationState: occurrence.operationState,
    operation: occurrence.operation,
    isAutomaticInvocation: occurrence.isAutomaticInvocation,
    verbosity: full ? 'FULL' : 'SHORT',
    vnfLcmOpOccId: occurrence.id,
    ...(full && Array.isArray(affectedVnfcs) ? { affectedVnfcs } : {}),
    ...(full && occurrence.changedInfo !== undefined ? { changedInfo: occurrence.changedInfo } : {}),
    ...(ERROR_STATES.has(occurrence.operationState) && occurrence.error !== undefined
      ? { error: { type: 'about:blank', ...occurrence.error } }
      : {}),
    _links: { ...links, vnfLcmOpOcc: { href: `${root}/vnf_lcm_op_occs/${occurrence.id}` } },
  };
}

/** The SOL003 headers and the subscription's own authentication (`version`: the LCM or FM API's). */
export function lcmDeliveryOf(
  subscription: StoredLcmSubscription,
  version: string = LCM_NOTIFICATION_VERSION,
): ChannelDelivery {
  const auth = subscription.authentication;
  return {
    headers: { version },
    ...(auth === undefined
      ? {}
      : auth.authType === 'BASIC'
        ? { authentication: { kind: 'basic' as const, userName: auth.userName, password: auth.password } }
        : {
            authentication: {
              kind: 'oauth2-client-credentials' as const,
              client: {
                tokenUrl: auth.tokenEndpoint,
                clientId: auth.clientId,
                clientSecret: auth.clientPassword,
              },
            },
          }),
  };
}

/**
 * The channel. A subscription sees its tenant's instances only (operators, tenant `*`, see all); a stored
 * filter that no longer parses (another version wrote it) excludes nothing, and is logged.
 */
export function lcmNotificationChannel(
  logger?: Logger,
): NotificationChannel<LcmEvent, StoredLcmSubscription> {
  return {
    name: LCM_CHANNEL_NAME,
    eventLog: LCM_EVENT_LOG,
    subscriptionsChangedChannel: LCM_SUBSCRIPTIONS_CHANGED_CHANNEL,
    listSubscriptions: (store) => new LcmSubscriptionRepository(store).list(),
    parseEvent: parseLcmEvent,
    selector(subscription) {
      const selector = selectorOf(subscription);
      if (selector === undefined)
        logger?.error(
          { subscriptionId: subscription.subscriptionId },
          'notifier: stored LCM filter does not parse; it is ignored',
        );
      return (event) =>
        (subscription.tenant === '*' || subscription.tenant === event.tenant) &&
        (selector === undefined || selectorWants(selector, event));
    },
    buildNotification: buildLcmNotification,
    deliveryOf: (subscription) => lcmDeliveryOf(subscription),
  };
}

/** The channel notifier of LCM notifications (both stages on this replica; options as for every channel). */
export function startLcmNotifier(
  options: Omit<ChannelNotifierOptions<LcmEvent, StoredLcmSubscription>, 'channel'>,
): Promise<ChannelNotifier> {
  return startChannelNotifier({ ...options, channel: lcmNotificationChannel(options.logger) });
}
