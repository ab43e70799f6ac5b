/**
 * O2 InventoryChangeNotifications as a channel of the notifier (channel/channel.ts): the global inventory event
 * log fanned out to the O2 inventory subscriptions. Subscriptions' filters are SOL013 exclusion filters: an
 * event they match is NOT reported.
 *
 * The channel keeps the store names the inventory notifier had before there were channels (queues.ts), so a
 * rolling upgrade keeps one fan-out leader, its position and the attached subscriptions.
 */
import type { Logger } from 'pino';
import { compileEventFilter, eventMatchesFilter } from '../o2/event-filter.ts';
import { INVENTORY_EVENT_LOG, parseInventoryChangeEvent } from '../o2/events.ts';
import type { InventoryChangeEvent } from '../o2/events.ts';
import { SUBSCRIPTIONS_CHANGED_CHANNEL, SubscriptionRepository } from './subscriptions/repository.ts';
import type { StoredSubscription } from './subscriptions/repository.ts';
import { filterSelector } from './channel/channel.ts';
import type { NotificationChannel } from './channel/channel.ts';
import { buildNotification } from './notification.ts';
import {
  FANOUT_ATTACHED_COLLECTION,
  FANOUT_LEASE,
  FANOUT_STATE_COLLECTION,
  QUEUED_CHANNEL,
  REPLICAS_COLLECTION,
} from './queues.ts';

export const INVENTORY_CHANNEL_NAME = 'inventory';

/** The channel; filters that no longer compile (another version wrote them) exclude nothing, and are logged. */
export function inventoryNotificationChannel(
  logger?: Logger,
): NotificationChannel<InventoryChangeEvent, StoredSubscription> {
  return {
    name: INVENTORY_CHANNEL_NAME,
    eventLog: INVENTORY_EVENT_LOG,
    subscriptionsChangedChannel: SUBSCRIPTIONS_CHANGED_CHANNEL,
    storeNames: {
      fanOutLease: FANOUT_LEASE,
      fanOutState: FANOUT_STATE_COLLECTION,
      fanOutAttached: FANOUT_ATTACHED_COLLECTION,
      replicas: REPLICAS_COLLECTION,
      queued: QUEUED_CHANNEL,
    },
    listSubscriptions: (store) => new SubscriptionRepository(store).list(),
    parseEvent(raw) {
      const parsed = parseInventoryChangeEvent(raw);
      return parsed.ok ? parsed.event : undefined;
    },
    selector: (subscription) =>
      filterSelector(
        subscription,
        compileEventFilter,
        (exclusion, event: InventoryChangeEvent) => !eventMatchesFilter(exclusion, event),
        logger,
        'notifier: stored filter does not compile; it is ignored',
      ),
    subjectOf: (event) => ({ clusterId: event.clusterId }),
    buildNotification: (event, subscription, publicUrl) => ({
      ...buildNotification(event, subscription, publicUrl),
    }),
  };
}
