/**
 * Helpers for notifier tests: inventory change events as a cluster subgraph would publish them, and
 * subscriptions stored the way the REST API stores them.
 */
import { randomUUID } from 'node:crypto';
import { INVENTORY_EVENT_LOG } from '../o2/events.ts';
import type { InventoryChangeEvent, O2ObjectState } from '../o2/events.ts';
import type { StateStore } from '../state/store.ts';
import { SubscriptionRepository } from '../notifier/subscriptions/repository.ts';
import type { StoredSubscription } from '../notifier/subscriptions/repository.ts';

export const POOL_ID = '8c1c151d-2899-4c96-b76f-4fe92064b57b';
const SITE_ID = '7fd364a0-6d82-4e0c-a418-5c1a2f8b9c3e';
const TYPE_ID = '5b2ad0e1-3c4f-4e8a-9d7b-1a2b3c4d5e6f';

/** A node resource in its O2 REST shape. */
export function resourceState(resourceId: string, labels: Record<string, string> = {}): O2ObjectState {
  return {
    resourceId,
    resourcePoolId: POOL_ID,
    resourceTypeId: TYPE_ID,
    globalAssetId: `SN-${resourceId.slice(0, 8)}`,
    description: `node ${resourceId.slice(0, 8)}`,
    elements: [],
    tags: [],
    groups: [],
    extensions: { labels },
  };
}

export function poolState(labelValue = 'gpu'): O2ObjectState {
  return {
    resourcePoolId: POOL_ID,
    name: labelValue,
    description: `pool ${labelValue}`,
    oCloudSiteId: SITE_ID,
    extensions: {},
  };
}

export function typeState(): O2ObjectState {
  return {
    resourceTypeId: TYPE_ID,
    name: 'PowerEdge R750xa',
    description: 'GPU server',
    vendor: 'Dell',
    model: 'PowerEdge R750xa',
    version: 'v1',
    resourceKind: 'PHYSICAL',
    resourceClass: 'COMPUTE',
    extensions: {},
  };
}

type Kind = InventoryChangeEvent['objectKind'];

/** A change event with a fresh eventId; prior/post decide the change kind. */
export function changeEvent(
  objectKind: Kind,
  objectId: string,
  prior: O2ObjectState | null,
  post: O2ObjectState | null,
  clusterId = 'edge-1',
): InventoryChangeEvent {
  const objectRef =
    objectKind === 'RESOURCE'
      ? `/resourcePools/${POOL_ID}/resources/${objectId}`
      : objectKind === 'RESOURCE_POOL'
        ? `/resourcePools/${objectId}`
        : objectKind === 'RESOURCE_TYPE'
          ? `/resourceTypes/${objectId}`
          : `/deploymentManagers/${objectId}`;
  const common = {
    eventId: randomUUID(),
    clusterId,
    objectKind,
    objectId,
    objectRef,
    occurredAt: new Date().toISOString(),
  };
  if (prior === null && post !== null)
    return { ...common, changeKind: 'CREATE', priorObjectState: null, postObjectState: post };
  if (prior !== null && post !== null)
    return { ...common, changeKind: 'MODIFY', priorObjectState: prior, postObjectState: post };
  if (prior !== null)
    return { ...common, changeKind: 'DELETE', priorObjectState: prior, postObjectState: null };
  throw new Error('an event needs a prior or a post state');
}

/** CREATE, MODIFY (relabel), DELETE of one node. */
export function nodeLifecycle(resourceId: string = randomUUID()): InventoryChangeEvent[] {
  const created = resourceState(resourceId);
  const relabelled = resourceState(resourceId, { rack: 'r7' });
  return [
    changeEvent('RESOURCE', resourceId, null, created),
    changeEvent('RESOURCE', resourceId, created, relabelled),
    changeEvent('RESOURCE', resourceId, relabelled, null),
  ];
}

export async function publish(store: StateStore, events: readonly InventoryChangeEvent[]): Promise<void> {
  const log = store.eventLog<InventoryChangeEvent>(INVENTORY_EVENT_LOG);
  for (const event of events) await log.append(event);
}

/** Stores a subscription as POST would (starting after the current end of the global log). */
export async function subscribe(
  store: StateStore,
  callback: string,
  extra: Partial<Pick<StoredSubscription, 'filter' | 'consumerSubscriptionId' | 'apiVersion'>> = {},
): Promise<StoredSubscription> {
  const repository = new SubscriptionRepository(store);
  const subscription: StoredSubscription = {
    subscriptionId: randomUUID(),
    callback,
    apiVersion: 'v2',
    startCursor: await repository.currentCursor(),
    tenant: '*',
    createdBy: 'test',
    createdAt: new Date().toISOString(),
    ...extra,
  };
  const outcome = await repository.create(subscription);
  if (!outcome.created) throw new Error('duplicate subscription in a test');
  return subscription;
}
