/**
 * Alarms in the graph (schema/hub.graphql): `alarms` on the O-Cloud, and on the cluster-owned entities
 * Resource, ResourcePool and Cluster, plus the `alarmChanged` subscription.
 *
 * The hub serves them, not the cluster shards: alarms are O-Cloud level records in the state store (the
 * cluster subgraphs derive and write them, the gateway raises some itself), and an unreachable cluster's
 * alarms — the one about it being unreachable first of all — must stay visible when its shard cannot answer.
 * The hub contributes the `alarms` field to the clusters' entities by key, so a query such as
 * `resourcePools { resources { alarms { … } } }` reads inventory from the shards and alarms from the hub.
 *
 * The alarm list is read once per request (the context object is the memo key), however many entities ask.
 */
import type { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { ALARM_EVENT_TYPES, PERCEIVED_SEVERITY, SEVERITY_NAMES } from '../../alarms/alarm-record.ts';
import type { AlarmEvent, AlarmRecord } from '../../alarms/alarm-record.ts';
import { graphError } from '../../common/errors.ts';
import type { AlarmFeed } from './alarm-feed.ts';
import type { Resolvers } from './generated/graphql.ts';

export interface HubAlarmSources {
  readonly ledger: AlarmLedger;
  readonly feed: AlarmFeed;
}

interface AlarmsArgs {
  readonly includeCleared?: boolean | null;
}

/** The cluster subgraph's entities as the hub sees them: their key fields only (it adds `alarms`). */
export interface ClusterKey {
  readonly clusterId: string;
}
export interface ResourcePoolKey extends ClusterKey {
  readonly resourcePoolId: string;
}
export interface ResourceKey extends ClusterKey {
  readonly resourceId: string;
}

const requestAlarms = new WeakMap<object, Promise<readonly AlarmRecord[]>>();

function byRaiseTime(a: AlarmRecord, b: AlarmRecord): number {
  return a.alarmRaisedTime < b.alarmRaisedTime
    ? -1
    : a.alarmRaisedTime > b.alarmRaisedTime
      ? 1
      : a.alarmEventRecordId < b.alarmEventRecordId
        ? -1
        : 1;
}

export function hubAlarmResolvers(sources: HubAlarmSources | undefined): Resolvers {
  const all = (context: unknown): Promise<readonly AlarmRecord[]> => {
    if (sources === undefined) return Promise.resolve([]);
    const load = (): Promise<readonly AlarmRecord[]> =>
      sources.ledger.list().then((list) => list.sort(byRaiseTime));
    // In-process callers may execute without a context object: then there is nothing to memoize on.
    if (typeof context !== 'object' || context === null) return load();
    let pending = requestAlarms.get(context);
    if (pending === undefined) {
      pending = load();
      requestAlarms.set(context, pending);
    }
    return pending;
  };

  const select =
    <Parent>(matches: (alarm: AlarmRecord, parent: Parent) => boolean) =>
    async (parent: Parent, args: AlarmsArgs, context: unknown): Promise<readonly AlarmRecord[]> =>
      (await all(context)).filter(
        (alarm) =>
          (args.includeCleared === true || alarm.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED) &&
          matches(alarm, parent),
      );

  return {
    AlarmEventRecord: {
      severity: (alarm) => SEVERITY_NAMES[alarm.perceivedSeverity],
    },
    AlarmEvent: {
      notificationEventType: (event) => ALARM_EVENT_TYPES[event.kind],
    },
    OCloud: {
      alarms: select(() => true),
    },
    // Entities of the cluster subgraph are resolved from their key alone: the hub adds a field, nothing else.
    Cluster: {
      __resolveReference: (cluster) => cluster,
      alarms: select<ClusterKey>((alarm, cluster) => alarm.clusterId === cluster.clusterId),
    },
    ResourcePool: {
      __resolveReference: (pool) => pool,
      alarms: select<ResourcePoolKey>(
        (alarm, pool) => alarm.clusterId === pool.clusterId && alarm.resourcePoolId === pool.resourcePoolId,
      ),
    },
    Resource: {
      __resolveReference: (resource) => resource,
      // Only the resource's own alarms: a node's elements (GPUs, NICs …) are Resources with their own `alarms`.
      alarms: select<ResourceKey>(
        (alarm, resource) =>
          alarm.clusterId === resource.clusterId && alarm.resourceId === resource.resourceId,
      ),
    },
    Subscription: {
      alarmChanged: {
        subscribe: (_, args) => {
          if (sources === undefined)
            return Promise.reject(graphError('INTERNAL_SERVER_ERROR', 'this gateway keeps no alarms'));
          return sources.feed.subscribe(args);
        },
        // The subscribed stream's items (the generated type leaves the parent open).
        resolve: (event: AlarmEvent) => event,
      },
    },
  };
}

/** Resolver maps merged per type (the hub's own and the alarm ones share OCloud and Subscription). */
export function mergeResolverMaps(...maps: readonly Resolvers[]): Resolvers {
  const merged: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      // Scalars (GraphQLScalarType) are taken as they are, not merged field by field.
      if (typeof fields !== 'object' || fields === null || fields.constructor !== Object) {
        merged[type] = fields;
        continue;
      }
      merged[type] = { ...(merged[type] as object | undefined), ...(fields as object) };
    }
  }
  return merged as Resolvers;
}
