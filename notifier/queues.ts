/**
 * Where the notifier keeps its work in the state store (docs/subscriptions.md, "Notifier"):
 *
 *   notifier-queue.<subscriptionId>          event log  the subscription's pending notifications, in order
 *   notifier-dead-letters.<subscriptionId>   event log  notifications given up on (bounded)
 *   notifier-dead-letters-replayed / <subId> document   ids of the dead letters replayed already
 *   notifier-delivery / <subscriptionId>     document   delivery position, recent event ids, attempts in flight
 *   lease notifier.delivery.<subscriptionId> the replica delivering that subscription
 * and, for the inventory channel (the names it had before there were channels; other channels' are derived
 * from their name, channel/channel.ts):
 *   notifier-fanout / position               document   the fan-out leader's position in the global log
 *   notifier-fanout-attached / <subId>       document   subscriptions the fan-out already feeds
 *   notifier-replicas / <replicaId>          document   heartbeats, to spread subscriptions over replicas
 *   lease notifier.fanout                    the single fan-out leader
 *   pub/sub notifier-queued                  hint: the fan-out queued notifications
 *
 * Every record read back is validated: the store is shared with other processes and versions.
 */
import { z } from 'zod';

export const queueLogName = (subscriptionId: string): string => `notifier-queue.${subscriptionId}`;
export const deadLetterLogName = (subscriptionId: string): string =>
  `notifier-dead-letters.${subscriptionId}`;
export const deliveryLeaseName = (subscriptionId: string): string => `notifier.delivery.${subscriptionId}`;
export const FANOUT_LEASE = 'notifier.fanout';
export const DELIVERY_STATE_COLLECTION = 'notifier-delivery';
export const FANOUT_STATE_COLLECTION = 'notifier-fanout';
export const FANOUT_ATTACHED_COLLECTION = 'notifier-fanout-attached';
export const REPLICAS_COLLECTION = 'notifier-replicas';
/** Pub/sub hint: the fan-out queued notifications (receivers also poll). */
export const QUEUED_CHANNEL = 'notifier-queued';
export const DEAD_LETTERS_RETAINED = 1_000;
/** Per subscription: the dead letters an operator replayed already (they leave the list). */
export const REPLAYED_DEAD_LETTERS_COLLECTION = 'notifier-dead-letters-replayed';

export interface DeliveryState {
  /** Queue cursor of the last notification finished with (delivered or dead-lettered). */
  readonly cursor?: string;
  /** Event ids finished most recently: a record re-queued by a fan-out takeover is skipped. */
  readonly recentEventIds: readonly string[];
  /**
   * Failed attempts of the notification in flight and when the first failed (ms), so a takeover continues the
   * same retry budget (`retryForMs`).
   */
  readonly inFlight?: { readonly cursor: string; readonly attempts: number; readonly firstFailedAt?: number };
}

export const deliveryStateSchema = z.object({
  cursor: z.string().optional(),
  recentEventIds: z.array(z.string()),
  inFlight: z
    .object({
      cursor: z.string(),
      attempts: z.number().int().nonnegative(),
      firstFailedAt: z.number().optional(),
    })
    .optional(),
});

/**
 * Duplicates in a queue sit next to their original: a fan-out successor re-queues the event its predecessor
 * was queuing when it died, before anything else. A short window covers that with room to spare, and keeps
 * the state written after every notification small.
 */
export const RECENT_EVENT_IDS = 16;

export const DEAD_LETTER_REASONS = [
  'retry-budget',
  'final-status',
  'callback-refused',
  'queue-overflow',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export interface DeadLetter {
  readonly subscriptionId: string;
  readonly reason: DeadLetterReason;
  /** What the last attempt saw: a status, a timeout, a network error, the policy's refusal. */
  readonly detail: string;
  readonly attempts: number;
  readonly failedAt: string;
  /** Absent for queue-overflow records, which stand for notifications that were never read. */
  readonly notificationId?: string;
  readonly eventId?: string;
  readonly notification?: Readonly<Record<string, unknown>>;
}

export const deadLetterSchema = z.object({
  subscriptionId: z.string(),
  reason: z.enum(DEAD_LETTER_REASONS),
  detail: z.string(),
  attempts: z.number().int().nonnegative(),
  failedAt: z.string(),
  notificationId: z.string().optional(),
  eventId: z.string().optional(),
  notification: z.record(z.unknown()).optional(),
});
