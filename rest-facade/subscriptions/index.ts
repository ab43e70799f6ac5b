/** O2 IMS inventory subscriptions: the REST API and the stored subscriptions the notifier delivers to. */
export { createSubscriptionsApi, subscriptionsPath } from './api.ts';
export type { SubscriptionsApiOptions } from './api.ts';
export {
  SUBSCRIPTIONS_CHANGED_CHANNEL,
  SUBSCRIPTIONS_COLLECTION,
  SubscriptionRepository,
} from '../../notifier/subscriptions/repository.ts';
export type { StoredSubscription, SubscriptionApiVersion } from '../../notifier/subscriptions/repository.ts';
export { toO2Subscription } from './subscription-view.ts';
export type { O2Subscription } from './subscription-view.ts';
