/**
 * The notifier (docs/architecture.md "The shape", "Data flows"): at-least-once delivery of O2 InventoryChangeNotifications to the callbacks
 * of the O2 inventory subscriptions — the inventory channel (inventory-channel.ts) of the channel notifier,
 * whose two stages every gateway replica runs:
 *
 *   fan-out   ONE leader at a time: global event log → one queue per subscription   (channel/channel-fanout.ts)
 *   delivery  per-subscription leases spread over the replicas: queue → callback     (channel/channel-delivery.ts)
 *
 * Replicas talk only through the state store: leases, documents, and pub/sub hints ("notifications queued",
 * "subscriptions changed") that shorten waits; everything also works from periodic re-reads when a hint is lost.
 */
import { pino } from 'pino';
import type { InventoryChangeEvent } from '../o2/events.ts';
import type { StoredSubscription } from './subscriptions/repository.ts';
import { startChannelNotifier } from './channel/channel-notifier.ts';
import type { ChannelNotifier, ChannelNotifierOptions } from './channel/channel-notifier.ts';
import { inventoryNotificationChannel } from './inventory-channel.ts';

/** The options of the channel notifier, less the channel: the inventory channel. */
export type NotifierOptions = Omit<
  ChannelNotifierOptions<InventoryChangeEvent, StoredSubscription>,
  'channel'
>;

export type Notifier = ChannelNotifier;

export async function startNotifier(options: NotifierOptions): Promise<Notifier> {
  const logger = options.logger ?? pino({ level: 'silent' });
  if (options.config.delivery.signingSecret === undefined) {
    logger.warn(
      'notifier: no signing secret (subscriptions.delivery.signingSecret / NETWEAVE_WEBHOOK_SECRET): webhooks are sent UNSIGNED',
    );
  }
  return startChannelNotifier({ ...options, logger, channel: inventoryNotificationChannel(logger) });
}
