/**
 * A notification channel: what differs between the kinds of O2 notifications netweave delivers through the one
 * notifier design (fan-out leader + per-subscription delivery queues with leases, retries, dead letters and
 * signatures; rest-facade/notifier/notifier.ts). The inventory channel has InventoryChangeEvents and inventory
 * subscriptions; the alarm channel (rest-facade/monitoring/alarm-channel.ts) has AlarmEvents and alarm
 * subscriptions. Everything else — queues, leases, retry rules, signatures, OAuth2, dead letters, metrics —
 * is shared, and so are the guarantees.
 *
 * Names a channel owns in the state store (next to the shared per-subscription ones of queues.ts):
 *   lease notifier.fanout.<name>               its fan-out leader
 *   notifier-fanout.<name> / position          the leader's position in the channel's event log
 *   notifier-fanout-attached.<name> / <subId>  subscriptions the fan-out already feeds
 *   notifier-replicas.<name> / <replicaId>     heartbeats of the replicas delivering the channel
 */
import type { StateStore } from '../../../state/store.ts';

/** What every channel's subscriptions have (the stored form, not the O2 view). */
export interface ChannelSubscription {
  readonly subscriptionId: string;
  readonly callback: string;
  /** Events after this cursor of the channel's log are notified. */
  readonly startCursor: string;
  /** The filter text; the fan-out recompiles the subscription's selector when it changes. */
  readonly filter?: string | undefined;
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
  buildNotification(event: TEvent, subscription: TSubscription, publicUrl: string): ChannelNotification;
}

/** A channel with its types erased, as the generic pipeline stages hold it. */
export type AnyNotificationChannel = NotificationChannel<ChannelEvent, ChannelSubscription>;

export function fanOutLeaseName(channel: { readonly name: string }): string {
  return `notifier.fanout.${channel.name}`;
}

export function fanOutStateCollection(channel: { readonly name: string }): string {
  return `notifier-fanout.${channel.name}`;
}

export function fanOutAttachedCollection(channel: { readonly name: string }): string {
  return `notifier-fanout-attached.${channel.name}`;
}

export function replicasCollection(channel: { readonly name: string }): string {
  return `notifier-replicas.${channel.name}`;
}

/** Erases a channel's types for the pipeline; the pipeline only hands each channel back its own values. */
export function eraseChannel<TEvent extends ChannelEvent, TSubscription extends ChannelSubscription>(
  channel: NotificationChannel<TEvent, TSubscription>,
): AnyNotificationChannel {
  return channel as unknown as AnyNotificationChannel;
}
