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
 * Entity lookups are batched: a query such as `resourcePools { resources { alarms } }` resolves `alarms` for
 * every entity the router sends in one `_entities` call, and one per-request DataLoader (keyed by the request's
 * context object) gathers them into ONE read of the alarm ledger instead of one read per entity (the N+1).
 */
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { compileFilterArgument } from '../../o2/graphql-filter.ts';
import { prepareFilter } from '../../o2/sol013/index.ts';
import type { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { ALARM_EVENT_TYPES, PERCEIVED_SEVERITY, SEVERITY_NAMES } from '../../alarms/alarm-record.ts';
import type { AlarmEvent, AlarmRecord } from '../../alarms/alarm-record.ts';
import type { TenantScope } from '../../common/auth.ts';
import { graphError } from '../../common/errors.ts';
import { seesCluster } from '../../common/tenancy.ts';
import type { AlarmFeed } from './alarm-feed.ts';
import type { Resolvers } from './generated/graphql.ts';

export interface HubAlarmSources {
  readonly ledger: AlarmLedger;
  readonly feed: AlarmFeed;
}

interface AlarmsArgs {
  readonly includeCleared?: boolean | null;
  /** A SOL013 filter string over the AlarmEventRecord fields (docs/graphql.md "Lists"). */
  readonly filter?: string | null;
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

/** Whose alarms a field asks for: the whole O-Cloud or one entity of the cluster subgraph. */
type AlarmScope =
  | { readonly kind: 'oCloud' }
  | ({ readonly kind: 'cluster' } & ClusterKey)
  | ({ readonly kind: 'resourcePool' } & ResourcePoolKey)
  | ({ readonly kind: 'resource' } & ResourceKey);

function inScope(alarm: AlarmRecord, scope: AlarmScope): boolean {
  switch (scope.kind) {
    case 'oCloud':
      return true;
    case 'cluster':
      return alarm.clusterId === scope.clusterId;
    case 'resourcePool':
      return alarm.clusterId === scope.clusterId && alarm.resourcePoolId === scope.resourcePoolId;
    case 'resource':
      // Only the resource's own alarms: a node's elements (GPUs, NICs …) are Resources with their own `alarms`.
      return alarm.clusterId === scope.clusterId && alarm.resourceId === scope.resourceId;
  }
}

function scopeKey(scope: AlarmScope): string {
  switch (scope.kind) {
    case 'oCloud':
      return 'oCloud';
    case 'cluster':
      return JSON.stringify([scope.kind, scope.clusterId]);
    case 'resourcePool':
      return JSON.stringify([scope.kind, scope.clusterId, scope.resourcePoolId]);
    case 'resource':
      return JSON.stringify([scope.kind, scope.clusterId, scope.resourceId]);
  }
}

type AlarmLoader = DataLoader<AlarmScope, readonly AlarmRecord[], string>;

const requestLoaders = new WeakMap<object, AlarmLoader>();

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
  const newLoader = (tenant: TenantScope | undefined): AlarmLoader => {
    // One snapshot per request: a later batch of the same request (another level of the query) reuses it.
    // Tenant scoping: the snapshot holds only the alarms of clusters the caller may see (and O-Cloud ones).
    let snapshot: Promise<readonly AlarmRecord[]> | undefined;
    return new DataLoader<AlarmScope, readonly AlarmRecord[], string>(
      async (scopes) => {
        if (sources === undefined) return scopes.map(() => []);
        snapshot ??= sources.ledger
          .list()
          .then((list) =>
            list
              .filter((alarm) => tenant === undefined || seesCluster(tenant, alarm.clusterId))
              .sort(byRaiseTime),
          );
        const all = await snapshot;
        return scopes.map((scope) => all.filter((alarm) => inScope(alarm, scope)));
      },
      { cacheKeyFn: scopeKey },
    );
  };

  const loaderOf = (context: unknown): AlarmLoader => {
    // In-process callers may execute without a context object: then there is no request to batch over.
    if (typeof context !== 'object' || context === null) return newLoader(undefined);
    let loader = requestLoaders.get(context);
    if (loader === undefined) {
      const tenant = (context as { auth?: { tenant?: TenantScope } }).auth?.tenant;
      requestLoaders.set(context, (loader = newLoader(tenant)));
    }
    return loader;
  };

  const select =
    <Parent>(scopeOf: (parent: Parent) => AlarmScope) =>
    async (
      parent: Parent,
      args: AlarmsArgs,
      context: unknown,
      info: Pick<GraphQLResolveInfo, 'schema'>,
    ): Promise<readonly AlarmRecord[]> => {
      const filter = compileFilterArgument(args.filter, 'AlarmEventRecord', info);
      const prepared = filter === undefined ? undefined : prepareFilter(filter);
      return (await loaderOf(context).load(scopeOf(parent))).filter(
        (alarm) =>
          (args.includeCleared === true || alarm.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED) &&
          // The filter sees the record as the graph shows it, `severity` (a computed field) included.
          (prepared === undefined ||
            prepared.matches({ ...alarm, severity: SEVERITY_NAMES[alarm.perceivedSeverity] })),
      );
    };

  /** An alarm the caller may see (its cluster's tenant scope), else NOT_FOUND: the REST twin's 404. */
  const visibleAlarm = async (id: string, tenant: TenantScope): Promise<AlarmRecord> => {
    const record = await sources?.ledger.get(id);
    if (record === undefined || !seesCluster(tenant, record.clusterId))
      throw graphError('NOT_FOUND', `Alarm ${id} was not found.`);
    return record;
  };
  const ledgerOf = (): AlarmLedger => {
    if (sources === undefined) throw graphError('INTERNAL_SERVER_ERROR', 'this gateway keeps no alarms');
    return sources.ledger;
  };

  return {
    Query: {
      alarm: async (_, args, context) => {
        if (sources === undefined) return null;
        const record = await sources.ledger.get(args.alarmEventRecordId);
        return record !== undefined && seesCluster(context.auth.tenant, record.clusterId) ? record : null;
      },
    },
    // The REST PATCH twin (rest-facade/monitoring/api.ts): same ledger calls, same outcomes, same roles.
    Mutation: {
      acknowledgeAlarm: async (_, args, context) => {
        const ledger = ledgerOf();
        await visibleAlarm(args.alarmEventRecordId, context.auth.tenant);
        const outcome = await ledger.acknowledge(args.alarmEventRecordId);
        if (outcome.outcome === 'not-found')
          throw graphError('NOT_FOUND', `Alarm ${args.alarmEventRecordId} was not found.`);
        return outcome.record;
      },
      clearAlarm: async (_, args, context) => {
        const ledger = ledgerOf();
        const id = args.alarmEventRecordId;
        await visibleAlarm(id, context.auth.tenant);
        const outcome = await ledger.clearManually(id);
        switch (outcome.outcome) {
          case 'not-found':
            throw graphError('NOT_FOUND', `Alarm ${id} was not found.`);
          case 'not-manual':
            throw graphError(
              'CONFLICT',
              `Alarm ${id} is cleared automatically when its condition ends (its definition's clearingType is AUTOMATIC); it cannot be cleared by hand.`,
            );
          case 'cleared':
          case 'unchanged':
            return outcome.record;
        }
      },
    },
    AlarmEventRecord: {
      severity: (alarm) => SEVERITY_NAMES[alarm.perceivedSeverity],
    },
    AlarmEvent: {
      notificationEventType: (event) => ALARM_EVENT_TYPES[event.kind],
    },
    OCloud: {
      alarms: select(() => ({ kind: 'oCloud' })),
    },
    // Entities of the cluster subgraph are resolved from their key alone: the hub adds a field, nothing else.
    Cluster: {
      __resolveReference: (cluster) => cluster,
      alarms: select<ClusterKey>(({ clusterId }) => ({ kind: 'cluster', clusterId })),
    },
    ResourcePool: {
      __resolveReference: (pool) => pool,
      alarms: select<ResourcePoolKey>(({ clusterId, resourcePoolId }) => ({
        kind: 'resourcePool',
        clusterId,
        resourcePoolId,
      })),
    },
    Resource: {
      __resolveReference: (resource) => resource,
      alarms: select<ResourceKey>(({ clusterId, resourceId }) => ({
        kind: 'resource',
        clusterId,
        resourceId,
      })),
    },
    Subscription: {
      alarmChanged: {
        subscribe: (_, args, context) => {
          if (sources === undefined)
            return Promise.reject(graphError('INTERNAL_SERVER_ERROR', 'this gateway keeps no alarms'));
          return sources.feed.subscribe(args, context.auth.tenant);
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
