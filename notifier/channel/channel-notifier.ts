/**
 * Starts the notifier for one channel (channel.ts): its fan-out and its delivery stage, on every replica,
 * with the same configuration (`subscriptions.delivery`, `subscriptions.callbacks`), retry rules, signatures,
 * OAuth2 tokens and dead letters as the inventory notifier.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { Registry } from 'prom-client';
import type { SubscriptionsConfig } from '../../common/config.ts';
import type { StateStore } from '../../state/store.ts';
import { systemResolve } from '../callbacks/callback-policy.ts';
import type { Resolve } from '../callbacks/callback-policy.ts';
import { createCallbackAgents } from '../callbacks/callback-request.ts';
import { DeadLetters } from '../dead-letters.ts';
import { createNotifierMetrics } from '../metrics.ts';
import type { ChannelBacklog, NotifierMetrics } from '../metrics.ts';
import { ClientCredentialsTokens } from '../oauth2-client.ts';
import { realTimers } from '../../common/timers.ts';
import type { Timers } from '../../common/timers.ts';
import { eraseChannel, storeNamesOf } from './channel.ts';
import type { ChannelEvent, ChannelSubscription, NotificationChannel } from './channel.ts';
import { ChannelDeliveryScheduler } from './channel-delivery.ts';
import { ChannelEventCache } from './channel-events.ts';
import type { SubscriptionFailingReport } from './channel-delivery.ts';
import { ChannelFanOut, POSITION_ID, type Position } from './channel-fanout.ts';
import { DELIVERY_STATE_COLLECTION, queueLogName } from '../queues.ts';

export interface ChannelNotifierOptions<
  TEvent extends ChannelEvent,
  TSubscription extends ChannelSubscription,
> {
  readonly store: StateStore;
  readonly channel: NotificationChannel<TEvent, TSubscription>;
  readonly config: SubscriptionsConfig;
  /** The gateway's public base URL (notifications carry absolute URLs under it). */
  readonly publicUrl: () => string;
  readonly logger?: Logger;
  /** Unique per process; defaults to host, pid and a random suffix. */
  readonly replicaId?: string;
  readonly timers?: Timers;
  /** Name resolution for the callback policy (tests). */
  readonly resolve?: Resolve;
  /** Where the metrics register (labelled with the channel's name); a registry of their own by default. */
  readonly metricsRegistry?: Registry;
  /** For the OAuth2 token endpoint (tests). */
  readonly fetch?: typeof fetch;
  /** Heartbeat and lease scan period; a third of the lease TTL, at most 1 s, by default. */
  readonly scanIntervalMs?: number;
  /** Idle workers look at their queue at least this often even without a hint; 1 s by default. */
  readonly pollMs?: number;
  /** A subscription started or stopped failing (`delivery.failingAfterMs`); it is also logged and counted. */
  readonly onSubscriptionFailing?: (report: SubscriptionFailingReport) => Promise<void>;
}

export interface ChannelNotifier extends AsyncDisposable {
  readonly replicaId: string;
  readonly metrics: NotifierMetrics;
  /** Whether this replica currently leads the channel's fan-out. */
  readonly isFanOutLeader: boolean;
  /** Subscriptions this replica delivers right now. */
  heldSubscriptions(): readonly string[];
  /**
   * Stops both stages; notifications in flight are finished or left for another replica. Idempotent. With
   * `graceMs`, deliveries in progress get that long to finish before they are cut (graceful shutdown).
   */
  stop(graceMs?: number): Promise<void>;
}

export async function startChannelNotifier<
  TEvent extends ChannelEvent,
  TSubscription extends ChannelSubscription,
>(options: ChannelNotifierOptions<TEvent, TSubscription>): Promise<ChannelNotifier> {
  const { store, config } = options;
  const channel = eraseChannel(options.channel);
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ channel: channel.name });
  const replicaId = options.replicaId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const timers = options.timers ?? realTimers;
  const metrics = createNotifierMetrics(options.metricsRegistry, channel.name);
  const agents = createCallbackAgents();
  const oauth2 = config.delivery.oauth2;
  const tokens =
    oauth2 === undefined
      ? undefined
      : new ClientCredentialsTokens(oauth2, {
          now: () => timers.now(),
          ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        });
  const queued = storeNamesOf(channel).queued;
  // Queues hold references to the channel's log: one resolver per replica serves every worker and the fan-out.
  const events = new ChannelEventCache(store.eventLog<object>(channel.eventLog), (raw) =>
    channel.parseEvent(raw),
  );

  const scheduler = new ChannelDeliveryScheduler({
    store,
    channel,
    replicaId,
    config,
    publicUrl: options.publicUrl,
    logger,
    metrics,
    timers,
    agents,
    deadLetters: new DeadLetters(store, {
      retentionMs: config.delivery.deadLetterRetentionMs,
      now: () => timers.now(),
    }),
    ...(options.onSubscriptionFailing === undefined ? {} : { onFailing: options.onSubscriptionFailing }),
    resolve: options.resolve ?? systemResolve,
    tokens,
    events,
    pollMs: options.pollMs ?? 1_000,
    scanIntervalMs: options.scanIntervalMs ?? Math.min(1_000, Math.floor(config.delivery.leaseTtlMs / 3)),
  });
  const fanOut = new ChannelFanOut({
    store,
    channel,
    replicaId,
    leaseTtlMs: config.delivery.leaseTtlMs,
    queueMaxLength: config.delivery.queueMaxLength,
    logger,
    metrics,
    timers,
    events,
    onQueued: (ids) => {
      scheduler.wake(ids);
      void store.publish(queued, 'queued').catch(() => undefined);
    },
  });

  const unsubscribers = await Promise.all([
    store.subscribe(queued, () => scheduler.wake()),
    store.subscribe(channel.subscriptionsChangedChannel, () => {
      scheduler.rescan();
      fanOut.subscriptionsChanged();
    }),
  ]);
  const stopObserving = metrics.observeBacklog(
    backlogOf(store, channel.eventLog, storeNamesOf(channel).fanOutState, () => scheduler.held, config),
  );
  scheduler.start();
  fanOut.start();
  logger.info({ replicaId }, 'notifier started');

  let stopping: Promise<void> | undefined;
  const notifier: ChannelNotifier = {
    replicaId,
    metrics,
    get isFanOutLeader() {
      return fanOut.isLeader;
    },
    heldSubscriptions: () => scheduler.held,
    stop(graceMs = 0) {
      stopping ??= (async () => {
        stopObserving();
        await Promise.all(unsubscribers.map((unsubscribe) => unsubscribe().catch(() => undefined)));
        await fanOut.stop();
        await scheduler.stop(graceMs);
        agents.destroy();
      })();
      return stopping;
    },
    [Symbol.asyncDispose]() {
      return notifier.stop();
    },
  };
  return notifier;
}

/** The milliseconds part of a `<ms>-<seq>` event log cursor. */
function cursorMillis(cursor: string): number {
  return Number(cursor.split('-', 1)[0]);
}

/** What /metrics reads of a channel at scrape time (notifier/metrics.ts `ChannelBacklog`). */
function backlogOf(
  store: StateStore,
  eventLog: string,
  fanOutState: string,
  held: () => readonly string[],
  config: SubscriptionsConfig,
): ChannelBacklog {
  const positions = store.collection<Position>(fanOutState);
  const log = store.eventLog<object>(eventLog);
  const states = store.collection<{ readonly cursor?: string }>(DELIVERY_STATE_COLLECTION);
  return {
    async eventLogLagSeconds() {
      const [position, head] = await Promise.all([positions.get(POSITION_ID), log.latestCursor()]);
      if (position === undefined || head === undefined) return 0;
      return Math.max(0, cursorMillis(head) - cursorMillis(position.cursor)) / 1000;
    },
    async pendingNotifications() {
      let pending = 0;
      for (const subscriptionId of held()) {
        const queue = store.eventLog<object>(queueLogName(subscriptionId));
        const cursor = (await states.get(subscriptionId))?.cursor;
        pending += (await queue.read(cursor, config.delivery.queueMaxLength)).length;
      }
      return pending;
    },
  };
}
