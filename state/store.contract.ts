/**
 * The one contract both StateStore implementations must pass (docs/architecture.md "Conventions" 3). Each implementation's
 * test file calls describeStateStoreContract; behaviour is asserted, never timing: where time
 * matters the context's elapse() moves it, and effects are polled for with a bounded wait.
 */
import { describe } from 'vitest';
import type { StateStore } from './store.ts';
import { consumerGroupContract } from './contract/consumer-groups.ts';
import { documentsContract } from './contract/documents.ts';
import { eventLogContract } from './contract/event-log.ts';
import { leasesContract } from './contract/leases.ts';
import { lifecycleContract } from './contract/lifecycle.ts';
import { pubSubContract } from './contract/pubsub.ts';
import { rateLimitsContract } from './contract/rate-limits.ts';
import type { ContractContext } from './contract/support.ts';

export type { ContractContext } from './contract/support.ts';
export { eventually } from './contract/support.ts';

export function describeStateStoreContract<S extends StateStore>(
  name: string,
  makeStore: () => Promise<S>,
  context: Omit<ContractContext<S>, 'makeStore'>,
): void {
  const shared: ContractContext<S> = { makeStore, ...context };
  describe(`StateStore contract: ${name}`, () => {
    documentsContract(shared);
    eventLogContract(shared);
    consumerGroupContract(shared);
    leasesContract(shared);
    pubSubContract(shared);
    lifecycleContract(shared);
    rateLimitsContract(shared);
  });
}
