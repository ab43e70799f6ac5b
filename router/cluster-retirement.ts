/**
 * When a cluster is deregistered (`DELETE /netweave/v1/clusters/{id}`), its objects leave the O-Cloud: the
 * gateway announces a DELETE for every object the cluster's event publisher had announced (its record,
 * `o2-published.<clusterId>`), in referential order (resources, then the deployment manager and pools, then
 * types), and forgets the record. A shared resource type is deleted only when no other cluster still has it
 * (o2/shared-types.ts). A cluster registered again later announces its objects afresh when its subgraph
 * starts.
 */
import { randomUUID } from 'node:crypto';
import { INVENTORY_EVENT_LOG, publishedStateCollection } from '../o2/events.ts';
import type { InventoryChangeEvent, O2ObjectKind, PublishedObject } from '../o2/events.ts';
import { RESOURCE_TYPE_HOLDERS, releaseResourceType } from '../o2/shared-types.ts';
import type { TypeHolders } from '../o2/shared-types.ts';
import type { StateStore } from '../state/store.ts';
import { DEFAULT_EVENT_LOG_MAX_LENGTH } from '../state/store.ts';

const DELETE_ORDER: readonly O2ObjectKind[] = [
  'RESOURCE',
  'DEPLOYMENT_MANAGER',
  'RESOURCE_POOL',
  'RESOURCE_TYPE',
];

/** Announces the DELETE of a deregistered cluster's objects; returns how many events were appended. */
export async function retireClusterInventory(
  store: StateStore,
  clusterId: string,
  now: () => Date = () => new Date(),
): Promise<number> {
  const published = store.collection<PublishedObject>(publishedStateCollection(clusterId));
  const holders = store.collection<TypeHolders>(RESOURCE_TYPE_HOLDERS);
  const log = store.eventLog<InventoryChangeEvent>(INVENTORY_EVENT_LOG, {
    maxLength: DEFAULT_EVENT_LOG_MAX_LENGTH,
  });
  const records = await published.list();
  const rank = (kind: O2ObjectKind): number => DELETE_ORDER.indexOf(kind);
  records.sort((a, b) => rank(a.doc.objectKind) - rank(b.doc.objectKind));
  let appended = 0;
  for (const { id, doc } of records) {
    const stillHeld =
      doc.objectKind === 'RESOURCE_TYPE' && (await releaseResourceType(holders, id, clusterId));
    if (!stillHeld) {
      await log.append({
        eventId: randomUUID(),
        clusterId,
        objectKind: doc.objectKind,
        objectId: id,
        objectRef: doc.objectRef,
        occurredAt: now().toISOString(),
        changeKind: 'DELETE',
        priorObjectState: doc.state,
        postObjectState: null,
      });
      appended++;
    }
    await published.delete(id);
  }
  return appended;
}
