/**
 * The O2 Subscription as the API shows it, its SOL013 attribute schema (for `filter` and the attribute
 * selectors of the list), and who may see it.
 */
import type { AuthContext } from '../../common/auth.ts';
import type { AttributeSchema, SelectorSpec } from '../../o2/sol013/index.ts';
import type { StoredSubscription } from '../../notifier/subscriptions/repository.ts';

export interface O2Subscription {
  readonly subscriptionId: string;
  readonly callback: string;
  readonly consumerSubscriptionId?: string;
  readonly filter?: string;
}

export function toO2Subscription(stored: StoredSubscription): O2Subscription {
  return {
    subscriptionId: stored.subscriptionId,
    callback: stored.callback,
    ...(stored.consumerSubscriptionId === undefined
      ? {}
      : { consumerSubscriptionId: stored.consumerSubscriptionId }),
    ...(stored.filter === undefined ? {} : { filter: stored.filter }),
  };
}

export const SUBSCRIPTION_SCHEMA = {
  subscriptionId: 'uuid',
  callback: 'string',
  consumerSubscriptionId: 'uuid',
  filter: 'string',
} as const satisfies AttributeSchema;

export const SUBSCRIPTION_SELECTORS: SelectorSpec = {
  schema: SUBSCRIPTION_SCHEMA,
  defaultExcluded: [],
  mandatory: ['subscriptionId', 'callback'],
};

/** Tenant isolation: a subscription exists only for its own tenant and for operators (`*`). */
export function visibleTo(auth: AuthContext, stored: StoredSubscription): boolean {
  return auth.tenant.name === '*' || auth.tenant.name === stored.tenant;
}
