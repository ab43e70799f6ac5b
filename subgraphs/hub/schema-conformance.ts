/**
 * Compile-time only: the hub's model types (the mappers of codegen.yml) agree with schema/hub.graphql
 * (generated/graphql.ts); see common/schema-conformance.ts.
 */
import type { AlarmEvent, AlarmRecord } from '../../alarms/alarm-record.ts';
import type { Assert, Conforms, Covers } from '../../common/schema-conformance.ts';
import type * as Schema from './generated/graphql.ts';
import type { ClusterKey, ResourceKey, ResourcePoolKey } from './alarm-resolvers.ts';
import type { InventoryEventWithCursor } from './inventory-events.ts';
import type { OCloudInfo } from './schema.ts';

export type HubSchemaConformance = [
  Assert<Conforms<OCloudInfo, Schema.OCloud, 'clusters' | 'alarms'>>,
  Assert<Conforms<ClusterKey, Schema.Cluster, 'alarms'>>,
  Assert<Conforms<ResourcePoolKey, Schema.ResourcePool, 'alarms'>>,
  Assert<Conforms<ResourceKey, Schema.Resource, 'alarms'>>,
  // Stored records carry bookkeeping the graph does not show (alarmKey, revision …).
  Assert<Covers<AlarmRecord, Schema.AlarmEventRecord, 'severity'>>,
  Assert<Covers<AlarmEvent, Schema.AlarmEvent, 'notificationEventType' | 'alarm'>>,
  Assert<Covers<InventoryEventWithCursor, Schema.InventoryEvent>>,
];
