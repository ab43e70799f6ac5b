/**
 * O2 alarm subscriptions in the state store (they survive restarts and are shared by every replica): what the
 * alarm channel of the notifier delivers to. The REST view and the POST body are in
 * rest-facade/monitoring/alarm-subscriptions.ts.
 *
 * Stored with `subscriptionId` (the notifier's name for it); the API calls it `alarmSubscriptionId`.
 */
import { z } from 'zod';
import { ALARM_EVENT_LOG } from '../../alarms/alarm-ledger.ts';
import type { StateStore } from '../../state/store.ts';
import { SubscriptionCollection, storedScopeSchema } from './collection.ts';

export const ALARM_SUBSCRIPTIONS_COLLECTION = 'o2-alarm-subscriptions';
/** Hint to the notifiers of every replica that alarm subscriptions changed (they also re-read periodically). */
export const ALARM_SUBSCRIPTIONS_CHANGED_CHANNEL = 'o2-alarm-subscriptions-changed';

export const storedAlarmSubscriptionSchema = z.object({
  subscriptionId: z.string().uuid(),
  callback: z.string().url(),
  consumerSubscriptionId: z.string().optional(),
  filter: z.string().optional(),
  /** Cursor of the alarm event log just before creation ('0' when empty): later events are notified. */
  startCursor: z.string(),
  tenant: z.string(),
  scope: storedScopeSchema,
  createdBy: z.string(),
  createdAt: z.string(),
});
export type StoredAlarmSubscription = z.infer<typeof storedAlarmSubscriptionSchema>;

export type { CreateOutcome } from './collection.ts';

/** Same duplicate and tenant rules as inventory subscriptions (collection.ts). */
export class AlarmSubscriptionRepository extends SubscriptionCollection<StoredAlarmSubscription> {
  constructor(store: StateStore) {
    super(store, {
      collection: ALARM_SUBSCRIPTIONS_COLLECTION,
      changedChannel: ALARM_SUBSCRIPTIONS_CHANGED_CHANNEL,
      eventLog: ALARM_EVENT_LOG,
      schema: storedAlarmSubscriptionSchema,
    });
  }
}
