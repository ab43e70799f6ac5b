/** O2 inventory subscriptions in the state store (duplicate rules and durability: collection.ts). */
import { z } from 'zod';
import { INVENTORY_EVENT_LOG } from '../../o2/events.ts';
import type { StateStore } from '../../state/store.ts';
import { SubscriptionCollection, storedScopeSchema } from './collection.ts';

export const SUBSCRIPTIONS_COLLECTION = 'o2-inventory-subscriptions';
/** Hint to the notifiers of every replica that the set of subscriptions changed (they also re-read periodically). */
export const SUBSCRIPTIONS_CHANGED_CHANNEL = 'o2-inventory-subscriptions-changed';

export const API_VERSIONS = ['v1', 'v2'] as const;
export type SubscriptionApiVersion = (typeof API_VERSIONS)[number];

export const storedSubscriptionSchema = z.object({
  subscriptionId: z.string().uuid(),
  callback: z.string().url(),
  consumerSubscriptionId: z.string().optional(),
  filter: z.string().optional(),
  /** The API version it was created under: notifications point their objectRef into that version. */
  apiVersion: z.enum(API_VERSIONS),
  /**
   * Cursor of the global event log just before the subscription was created ('0' when the log was empty):
   * events after it are notified, events before it are not.
   */
  startCursor: z.string(),
  tenant: z.string(),
  scope: storedScopeSchema,
  createdBy: z.string(),
  createdAt: z.string(),
});

export type StoredSubscription = z.infer<typeof storedSubscriptionSchema>;

export type { CreateOutcome } from './collection.ts';

export class SubscriptionRepository extends SubscriptionCollection<StoredSubscription> {
  constructor(store: StateStore) {
    super(store, {
      collection: SUBSCRIPTIONS_COLLECTION,
      changedChannel: SUBSCRIPTIONS_CHANGED_CHANNEL,
      eventLog: INVENTORY_EVENT_LOG,
      schema: storedSubscriptionSchema,
    });
  }
}
