/**
 * SOL003 LCM subscriptions in the state store (they survive restarts and are shared by every replica): what
 * the LCM channel of the notifier delivers to. Stored form and filter semantics: dms/notifications/lcm-subscriptions.ts;
 * the REST API: rest-facade/dms/subscriptions.ts.
 */
import { LCM_EVENT_LOG } from '../../dms/notifications/lcm-events.ts';
import { storedLcmSubscriptionSchema } from '../../dms/notifications/lcm-subscriptions.ts';
import type { StoredLcmSubscription } from '../../dms/notifications/lcm-subscriptions.ts';
import type { StateStore } from '../../state/store.ts';
import { SubscriptionCollection } from './collection.ts';

export const LCM_SUBSCRIPTIONS_COLLECTION = 'dms-lcm-subscriptions';
/** Hint to the notifiers of every replica that LCM subscriptions changed (they also re-read periodically). */
export const LCM_SUBSCRIPTIONS_CHANGED_CHANNEL = 'dms-lcm-subscriptions-changed';

/** Same duplicate and tenant rules as the O2 subscriptions (collection.ts). */
export class LcmSubscriptionRepository extends SubscriptionCollection<StoredLcmSubscription> {
  constructor(store: StateStore) {
    super(store, {
      collection: LCM_SUBSCRIPTIONS_COLLECTION,
      changedChannel: LCM_SUBSCRIPTIONS_CHANGED_CHANNEL,
      eventLog: LCM_EVENT_LOG,
      schema: storedLcmSubscriptionSchema,
    });
  }
}
