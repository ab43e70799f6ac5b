/**
 * The O2 InventoryChangeNotification that netweave POSTs to a subscription's callback, built from one change
 * event. Its notificationId is derived from the subscription and the event, so every attempt — retries, and
 * the redelivery by another replica after a crash — carries the same id and a receiver can deduplicate by it.
 */
import { uuidV5 } from '../o2/ids.ts';
import { NOTIFICATION_EVENT_TYPES } from '../o2/events.ts';
import type { InventoryChangeEvent, O2ObjectState } from '../o2/events.ts';
import { INVENTORY_SERVICE_PATH } from '../o2/service-paths.ts';
import type { StoredSubscription } from './subscriptions/repository.ts';

/** Namespace of notification ids (a fixed, random-once UUID). */
const NOTIFICATION_NAMESPACE = '9a3c1f6e-2b7d-4e58-8c0a-5d1e7f2b4a96';

export interface InventoryChangeNotification {
  readonly notificationId: string;
  readonly consumerSubscriptionId?: string;
  readonly notificationEventType: 0 | 1 | 2;
  /** Absolute URL of the object under the API version the subscription was created with. */
  readonly objectRef: string;
  /** Present for MODIFY and DELETE. */
  readonly priorObjectState?: O2ObjectState;
  /** Present for CREATE and MODIFY. */
  readonly postObjectState?: O2ObjectState;
}

export function notificationIdOf(subscriptionId: string, eventId: string): string {
  return uuidV5(`${subscriptionId}\u0000${eventId}`, NOTIFICATION_NAMESPACE);
}

export function buildNotification(
  event: InventoryChangeEvent,
  subscription: Pick<StoredSubscription, 'subscriptionId' | 'consumerSubscriptionId' | 'apiVersion'>,
  publicUrl: string,
): InventoryChangeNotification {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    notificationId: notificationIdOf(subscription.subscriptionId, event.eventId),
    ...(subscription.consumerSubscriptionId === undefined
      ? {}
      : { consumerSubscriptionId: subscription.consumerSubscriptionId }),
    notificationEventType: NOTIFICATION_EVENT_TYPES[event.changeKind],
    objectRef: `${base}${INVENTORY_SERVICE_PATH}/${subscription.apiVersion}${event.objectRef}`,
    ...(event.priorObjectState === null ? {} : { priorObjectState: event.priorObjectState }),
    ...(event.postObjectState === null ? {} : { postObjectState: event.postObjectState }),
  };
}
