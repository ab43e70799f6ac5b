/**
 * SOL003 LCM subscriptions in the state store (they survive restarts and are shared by every replica): what
 * the LCM channel of the notifier delivers to. Stored form and filter semantics: dms/notifications/lcm-subscriptions.ts;
 * the REST API: rest-facade/dms/subscriptions.ts. SOL003 FM subscriptions (`vnffm/v1/subscriptions`) have the same
 * stored form (their filter text is an FmSelector, dms/notifications/fm-subscriptions.ts) in a collection of their
 * own, fanned out from the alarm event log by the FM channel (notifier/fm-channel.ts).
 */
import { ALARM_EVENT_LOG } from '../../alarms/alarm-ledger.ts';
import { LCM_EVENT_LOG } from '../../dms/notifications/lcm-events.ts';
import { storedLcmSubscriptionSchema } from '../../dms/notifications/lcm-subscriptions.ts';
import type { StoredLcmSubscription } from '../../dms/notifications/lcm-subscriptions.ts';
import type { StateStore } from '../../state/store.ts';
import { SubscriptionCollection } from './collection.ts';

export const LCM_SUBSCRIPTIONS_COLLECTION = 'dms-lcm-subscriptions';
/** Hint to the notifiers of every replica that LCM subscriptions changed (they also re-read periodically). */
export const LCM_SUBSCRIPTIONS_CHANGED_CHANNEL = 'dms-lcm-subscriptions-changed';

/** SOL003 subscriptions (LCM and FM): same stored form, same duplicate and tenant rules as the O2 ones (collection.ts). */
class Sol003SubscriptionCollection extends SubscriptionCollection<StoredLcmSubscription> {
  constructor(store: StateStore, collection: string, changedChannel: string, eventLog: string) {
    super(store, { collection, changedChannel, eventLog, schema: storedLcmSubscriptionSchema });
  }
}

export class LcmSubscriptionRepository extends Sol003SubscriptionCollection {
  constructor(store: StateStore) {
    super(store, LCM_SUBSCRIPTIONS_COLLECTION, LCM_SUBSCRIPTIONS_CHANGED_CHANNEL, LCM_EVENT_LOG);
  }
}

export const FM_SUBSCRIPTIONS_COLLECTION = 'dms-fm-subscriptions';
export const FM_SUBSCRIPTIONS_CHANGED_CHANNEL = 'dms-fm-subscriptions-changed';

/** SOL003 FM subscriptions: new ones are notified of alarm events after their creation. */
export class FmSubscriptionRepository extends Sol003SubscriptionCollection {
  constructor(store: StateStore) {
    super(store, FM_SUBSCRIPTIONS_COLLECTION, FM_SUBSCRIPTIONS_CHANGED_CHANNEL, ALARM_EVENT_LOG);
  }
}
