/**
 * Prometheus metrics of the notifier, in a registry of their own (the gateway merges it into /metrics):
 * several notifiers may live in one process (tests), and prom-client refuses duplicate names per registry.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import type { DeadLetterReason } from './queues.ts';

export interface NotifierMetrics {
  readonly registry: Registry;
  readonly attempts: Counter<'outcome'>;
  readonly delivered: Counter;
  readonly deadLettered: Counter<'reason'>;
  /** From the change's occurredAt to the receiver's 2xx. */
  readonly latency: Histogram;
  readonly fannedOut: Counter;
  deadLetter(reason: DeadLetterReason): void;
}

export function createNotifierMetrics(registry: Registry = new Registry()): NotifierMetrics {
  const attempts = new Counter({
    name: 'netweave_notification_attempts_total',
    help: 'Webhook delivery attempts by outcome (delivered, retry, final).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const delivered = new Counter({
    name: 'netweave_notifications_delivered_total',
    help: 'Notifications a receiver accepted with 2xx.',
    registers: [registry],
  });
  const deadLettered = new Counter({
    name: 'netweave_notifications_dead_lettered_total',
    help: 'Notifications given up on, by reason; see GET /netweave/v1/subscriptions/{id}/dead-letters.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'netweave_notification_delivery_seconds',
    help: 'Time from an inventory change to its notification being accepted.',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const fannedOut = new Counter({
    name: 'netweave_notifications_queued_total',
    help: 'Notifications the fan-out queued for subscriptions.',
    registers: [registry],
  });
  return {
    registry,
    attempts,
    delivered,
    deadLettered,
    latency,
    fannedOut,
    deadLetter: (reason) => deadLettered.inc({ reason }),
  };
}
