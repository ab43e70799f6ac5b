/**
 * Prometheus metrics of the notifier, every series labelled with its channel (`inventory`, `alarms`): the
 * notifiers of both channels can register in one registry, and share its metrics. By default a notifier has a
 * registry of its own (the gateway merges it into /metrics): several notifiers of one channel may live in one
 * process (tests), and prom-client refuses duplicate names per registry.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeadLetterReason } from './queues.ts';

/** One channel's view of the metrics: what it records carries `channel="<its name>"`. */
export interface NotifierMetrics {
  readonly registry: Registry;
  readonly channel: string;
  readonly attempts: { inc(labels: { readonly outcome: string }): void };
  readonly delivered: { inc(value?: number): void };
  /** From the change's occurredAt to the receiver's 2xx. */
  readonly latency: { observe(seconds: number): void };
  readonly fannedOut: { inc(value?: number): void };
  /** Subscriptions this replica delivers whose notification in flight has failed for `failingAfterMs`. */
  readonly failing: { inc(): void; dec(): void };
  deadLetter(reason: DeadLetterReason): void;
  /**
   * Read at scrape time: how far the channel's fan-out trails its event log, and the notifications waiting
   * in the queues this replica delivers. Registered by the running notifier, removed when it stops.
   */
  observeBacklog(source: ChannelBacklog): () => void;
}

export interface ChannelBacklog {
  /** Seconds between the newest event of the channel's log and the fan-out's position (0 when caught up). */
  eventLogLagSeconds(): Promise<number>;
  /** Notifications queued and not yet delivered, over the subscriptions this replica delivers. */
  pendingNotifications(): Promise<number>;
}

/** The backlog sources of each registry, by channel: gauges are created once per registry. */
const backlogs = new WeakMap<Registry, Map<string, ChannelBacklog>>();

function backlogSources(registry: Registry): Map<string, ChannelBacklog> {
  const existing = backlogs.get(registry);
  if (existing !== undefined) return existing;
  const known = new Map<string, ChannelBacklog>();
  backlogs.set(registry, known);
  const gauge = (name: string, help: string, read: (source: ChannelBacklog) => Promise<number>): void => {
    new Gauge({
      name,
      help,
      labelNames: ['channel'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const [channel, source] of known) {
          // A store that cannot answer leaves the series out of this scrape rather than failing it.
          const value = await read(source).catch(() => undefined);
          if (value !== undefined) this.set({ channel }, value);
        }
      },
    });
  };
  gauge(
    'netweave_event_log_lag_seconds',
    "How far the channel's fan-out position trails the newest event of its log, in seconds of event time.",
    (source) => source.eventLogLagSeconds(),
  );
  gauge(
    'netweave_notification_queue_pending',
    'Notifications queued and not yet delivered, over the subscriptions this replica delivers, by channel.',
    (source) => source.pendingNotifications(),
  );
  return known;
}

/** The metric already in the registry (another channel's notifier made it), or a new one. */
function registered<M>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): Counter<L> {
  return registered(registry, name, () => new Counter({ name, help, labelNames, registers: [registry] }));
}

export function createNotifierMetrics(
  registry: Registry = new Registry(),
  channel = 'inventory',
): NotifierMetrics {
  const attempts = counter(
    registry,
    'netweave_notification_attempts_total',
    'Webhook delivery attempts by channel and outcome (delivered, retry, final).',
    ['channel', 'outcome'],
  );
  const delivered = counter(
    registry,
    'netweave_notifications_delivered_total',
    'Notifications a receiver accepted with 2xx, by channel.',
    ['channel'],
  );
  const deadLettered = counter(
    registry,
    'netweave_notifications_dead_lettered_total',
    'Notifications given up on, by channel and reason; see GET /netweave/v1/subscriptions/{id}/dead-letters.',
    ['channel', 'reason'],
  );
  const fannedOut = counter(
    registry,
    'netweave_notifications_queued_total',
    'Notifications the fan-out queued for subscriptions, by channel.',
    ['channel'],
  );
  const failingName = 'netweave_notification_subscriptions_failing';
  const failing = registered(
    registry,
    failingName,
    () =>
      new Gauge({
        name: failingName,
        help: 'Subscriptions (delivered by this replica) whose receiver has kept failing for subscriptions.delivery.failingAfterMs, by channel.',
        labelNames: ['channel'] as const,
        registers: [registry],
      }),
  );
  const latencyName = 'netweave_notification_delivery_seconds';
  const latency = registered(
    registry,
    latencyName,
    () =>
      new Histogram({
        name: latencyName,
        help: 'Time from a change (inventory change, alarm event) to its notification being accepted, by channel.',
        labelNames: ['channel'] as const,
        buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        registers: [registry],
      }),
  );
  return {
    registry,
    channel,
    attempts: { inc: ({ outcome }) => attempts.inc({ channel, outcome }) },
    delivered: delivered.labels({ channel }),
    latency: latency.labels({ channel }),
    fannedOut: fannedOut.labels({ channel }),
    failing: failing.labels({ channel }),
    deadLetter: (reason) => deadLettered.inc({ channel, reason }),
    observeBacklog(source) {
      const sources = backlogSources(registry);
      sources.set(channel, source);
      return () => {
        if (sources.get(channel) === source) sources.delete(channel);
      };
    },
  };
}
