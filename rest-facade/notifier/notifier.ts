/**
 * The notifier (DESIGN.md §1, §3): at-least-once delivery of O2 InventoryChangeNotifications to the callbacks
 * of the O2 inventory subscriptions, in two stages that every gateway replica runs:
 *
 *   fan-out   ONE leader at a time: global event log → one queue per subscription   (fanout.ts)
 *   delivery  per-subscription leases spread over the replicas: queue → callback     (delivery-scheduler.ts,
 *                                                                                     delivery-worker.ts)
 *
 * Replicas talk only through the state store: leases, documents, and pub/sub hints ("notifications queued",
 * "subscriptions changed") that shorten waits; everything also works from periodic re-reads when a hint is lost.
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
import { SUBSCRIPTIONS_CHANGED_CHANNEL } from '../subscriptions/repository.ts';
import { DeadLetters } from './dead-letters.ts';
import { DeliveryScheduler } from './delivery-scheduler.ts';
import { FanOut } from './fanout.ts';
import { createNotifierMetrics } from './metrics.ts';
import type { NotifierMetrics } from './metrics.ts';
import { ClientCredentialsTokens } from './oauth2-client.ts';
import { QUEUED_CHANNEL } from './queues.ts';
import { realTimers } from './timers.ts';
import type { NotifierTimers } from './timers.ts';

export interface NotifierOptions {
  readonly store: StateStore;
  readonly config: SubscriptionsConfig;
  /** The gateway's public base URL (notifications' objectRef are absolute URLs under it). */
  readonly publicUrl: () => string;
  readonly logger?: Logger;
  /** Unique per process; defaults to host, pid and a random suffix. */
  readonly replicaId?: string;
  readonly timers?: NotifierTimers;
  /** Name resolution for the callback policy (tests). */
  readonly resolve?: Resolve;
  /** Where the metrics register; a registry of their own by default (see NotifierMetrics). */
  readonly metricsRegistry?: Registry;
  /** For the OAuth2 token endpoint (tests). */
  readonly fetch?: typeof fetch;
  /** Heartbeat and lease scan period; a third of the lease TTL, at most 1 s, by default. */
  readonly scanIntervalMs?: number;
  /** Idle workers look at their queue at least this often even without a hint; 1 s by default. */
  readonly pollMs?: number;
}

export interface Notifier extends AsyncDisposable {
  readonly replicaId: string;
  readonly metrics: NotifierMetrics;
  /** Whether this replica currently leads the fan-out. */
  readonly isFanOutLeader: boolean;
  /** Subscriptions this replica delivers right now. */
  heldSubscriptions(): readonly string[];
  /** Stops both stages; notifications in flight are finished or left for another replica. Idempotent. */
  stop(): Promise<void>;
}

export async function startNotifier(options: NotifierOptions): Promise<Notifier> {
  const { store, config } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const replicaId = options.replicaId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const timers = options.timers ?? realTimers;
  const metrics = createNotifierMetrics(options.metricsRegistry);
  const agents = createCallbackAgents();
  const oauth2 = config.delivery.oauth2;
  const tokens =
    oauth2 === undefined
      ? undefined
      : new ClientCredentialsTokens(oauth2, options.fetch === undefined ? {} : { fetch: options.fetch });
  if (config.delivery.signingSecret === undefined) {
    logger.warn(
      'notifier: no signing secret (subscriptions.delivery.signingSecret / NETWEAVE_WEBHOOK_SECRET): webhooks are sent UNSIGNED',
    );
  }

  const scheduler = new DeliveryScheduler({
    store,
    replicaId,
    config,
    publicUrl: options.publicUrl,
    logger,
    metrics,
    timers,
    agents,
    deadLetters: new DeadLetters(store),
    resolve: options.resolve ?? systemResolve,
    tokens,
    pollMs: options.pollMs ?? 1_000,
    scanIntervalMs: options.scanIntervalMs ?? Math.min(1_000, Math.floor(config.delivery.leaseTtlMs / 3)),
  });
  const fanOut = new FanOut({
    store,
    replicaId,
    leaseTtlMs: config.delivery.leaseTtlMs,
    queueMaxLength: config.delivery.queueMaxLength,
    logger,
    metrics,
    timers,
    onQueued: (ids) => {
      scheduler.wake(ids);
      void store.publish(QUEUED_CHANNEL, 'queued').catch(() => undefined);
    },
  });

  const unsubscribers = await Promise.all([
    store.subscribe(QUEUED_CHANNEL, () => scheduler.wake()),
    store.subscribe(SUBSCRIPTIONS_CHANGED_CHANNEL, () => {
      scheduler.rescan();
      fanOut.subscriptionsChanged();
    }),
  ]);
  scheduler.start();
  fanOut.start();
  logger.info({ replicaId }, 'notifier started');

  let stopping: Promise<void> | undefined;
  const notifier: Notifier = {
    replicaId,
    metrics,
    get isFanOutLeader() {
      return fanOut.isLeader;
    },
    heldSubscriptions: () => scheduler.held,
    stop() {
      stopping ??= (async () => {
        await Promise.all(unsubscribers.map((unsubscribe) => unsubscribe().catch(() => undefined)));
        await fanOut.stop();
        await scheduler.stop();
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
