/**
 * A notification channel: what differs between the kinds of O2 notifications netweave delivers through the one
 * notifier design (fan-out leader + per-subscription delivery queues with leases, retries, dead letters and
 * signatures; notifier/notifier.ts). The inventory channel has InventoryChangeEvents and inventory
 * subscriptions; the alarm channel (notifier/alarm-channel.ts) has AlarmEvents and alarm
 * subscriptions. Everything else — queues, leases, retry rules, signatures, OAuth2, dead letters, metrics —
 * is shared, and so are the guarantees.
 *
 * Names a channel owns in the state store (next to the shared per-subscription ones of queues.ts):
 *   lease notifier.fanout.<name>               its fan-out leader
 *   notifier-fanout.<name> / position          the leader's position in the channel's event log
 *   notifier-fanout-attached.<name> / <subId>  subscriptions the fan-out already feeds
 *   notifier-replicas.<name> / <replicaId>     heartbeats of the replicas delivering the channel
 *   pub/sub notifier-queued.<name>             hint: the fan-out queued notifications
 * unless the channel names them itself (`storeNames`: the inventory channel, inventory-channel.ts).
 */
import type { Logger } from 'pino';
import type { StateStore } from '../../state/store.ts';
import type { ClientCredentialsConfig } from '../oauth2-client.ts';
import { seesObject, type StoredScope } from '../../common/tenancy.ts';

/** What every channel's subscriptions have (the stored form, not the O2 view). */
export interface ChannelSubscription {
  readonly subscriptionId: string;
  readonly callback: string;
  /** Events after this cursor of the channel's log are notified. */
  readonly startCursor: string;
  /** The filter text; the fan-out recompiles the subscription's selector when it changes. */
  readonly filter?: string | undefined;
  /** Its creator's tenant scope (notifier/subscriptions/collection.ts); absent: every cluster. */
  readonly scope?: StoredScope | undefined;
}

/** What every channel's events have. */
export interface ChannelEvent {
  /** Unique per event: queues and deliveries deduplicate by it. */
  readonly eventId: string;
  /** ISO time of the change (delivery latency is measured from it). */
  readonly occurredAt: string;
}

/** The body POSTed to a callback; notificationId is the same on every attempt of one notification. */
export type ChannelNotification = { readonly notificationId: string } & Readonly<Record<string, unknown>>;

export interface NotificationChannel<TEvent extends ChannelEvent, TSubscription extends ChannelSubscription> {
  /** Short, `[a-z0-9-]+`: names the channel's own store records and its log lines. */
  readonly name: string;
  /** The global event log the channel fans out. */
  readonly eventLog: string;
  /** The pub/sub hint its subscription API publishes when subscriptions change. */
  readonly subscriptionsChangedChannel: string;
  /** Every valid subscription of the channel. */
  listSubscriptions(store: StateStore): Promise<TSubscription[]>;
  /** Validates an event read back from the shared store; undefined: skip it. */
  parseEvent(raw: unknown): TEvent | undefined;
  /** Whether the subscription wants an event; called once per subscription and filter text. */
  selector(subscription: TSubscription): (event: TEvent) => boolean;
  /**
   * The cluster (and namespace) an event is about, for tenant scoping: a subscription only gets events of the
   * clusters in its `scope` (`null` cluster: O-Cloud level, every subscription). Without it, no scoping.
   */
  subjectOf?(event: TEvent): { readonly clusterId?: string | null; readonly namespace?: string | null };
  buildNotification(event: TEvent, subscription: TSubscription, publicUrl: string): ChannelNotification;
  /**
   * Extra headers and the credentials of one subscription's deliveries (SOL003: `Version` and the
   * subscription's own BASIC or OAuth2 client credentials). Without it, or without `authentication`, the
   * notifier's configured OAuth2 client (`subscriptions.delivery.oauth2`) applies as for every channel.
   */
  deliveryOf?(subscription: TSubscription): ChannelDelivery;
  /**
   * Names of the channel's own store records; derived from `name` when absent. The inventory channel keeps the
   * names it had before there were channels, so replicas of both versions share one leader and one position.
   */
  readonly storeNames?: ChannelStoreNames;
}

/** Per-subscription delivery settings of a channel (see NotificationChannel.deliveryOf). */
export interface ChannelDelivery {
  /** Added to every POST; they cannot replace the notifier's own (content type, signature, ids). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly authentication?: ChannelAuthentication;
}

export type ChannelAuthentication =
  | { readonly kind: 'basic'; readonly userName: string; readonly password: string }
  | { readonly kind: 'oauth2-client-credentials'; readonly client: ClientCredentialsConfig };

/** A channel with its types erased, as the generic pipeline stages hold it. */
export type AnyNotificationChannel = NotificationChannel<ChannelEvent, ChannelSubscription>;

/** The names of the records a channel owns in the state store (see above), and of its "queued" hint. */
export interface ChannelStoreNames {
  readonly fanOutLease: string;
  readonly fanOutState: string;
  readonly fanOutAttached: string;
  readonly replicas: string;
  /** The pub/sub hint that the channel's fan-out queued notifications (receivers also poll). */
  readonly queued: string;
}

/** The channel's own names, or the ones derived from its name. */
export function storeNamesOf(
  channel: Pick<AnyNotificationChannel, 'name' | 'storeNames'>,
): ChannelStoreNames {
  return (
    channel.storeNames ?? {
      fanOutLease: `notifier.fanout.${channel.name}`,
      fanOutState: `notifier-fanout.${channel.name}`,
      fanOutAttached: `notifier-fanout-attached.${channel.name}`,
      replicas: `notifier-replicas.${channel.name}`,
      queued: `notifier-queued.${channel.name}`,
    }
  );
}

/** Erases a channel's types for the pipeline; the pipeline only hands each channel back its own values. */
export function eraseChannel<TEvent extends ChannelEvent, TSubscription extends ChannelSubscription>(
  channel: NotificationChannel<TEvent, TSubscription>,
): AnyNotificationChannel {
  return channel as unknown as AnyNotificationChannel;
}

/**
 * The subscription's selector restricted to the clusters of its scope: the ONE place webhook deliveries are
 * tenant-scoped, for every channel (the fan-out calls it instead of `selector`).
 */
export function scopedSelector(
  channel: AnyNotificationChannel,
  subscription: ChannelSubscription,
): (event: ChannelEvent) => boolean {
  const wants = channel.selector(subscription);
  const { scope } = subscription;
  const subjectOf = channel.subjectOf?.bind(channel);
  if (scope === undefined || subjectOf === undefined) return wants;
  const tenant = { name: subscription.subscriptionId, ...scope };
  return (event) => seesObject(tenant, subjectOf(event)) && wants(event);
}

/**
 * A channel's selector from a subscription's filter text: compiled once, then `wants(filter, event)`. A filter
 * that no longer compiles (validated at creation; another version wrote it) excludes nothing, and is logged
 * with `message`: an SMO is better served by too many notifications than by silently missing ones.
 */
export function filterSelector<TEvent, TFilter>(
  subscription: ChannelSubscription,
  compile: (filter: string) => TFilter,
  wants: (filter: TFilter, event: TEvent) => boolean,
  logger: Logger | undefined,
  message: string,
): (event: TEvent) => boolean {
  if (subscription.filter === undefined) return () => true;
  let filter: TFilter;
  try {
    filter = compile(subscription.filter);
  } catch (error) {
    logger?.error({ err: error, subscriptionId: subscription.subscriptionId }, message);
    return () => true;
  }
  return (event) => wants(filter, event);
}
