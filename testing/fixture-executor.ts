/**
 * A GraphExecutor for the facade's tests: real GraphQL execution on the merged subgraph schema, with root
 * resolvers over the fixture inventory that behave like the router's shard executor as far as the facade can
 * observe — lists fan out over clusters and de-duplicate resource types, lookups by id go to the cluster the
 * id's tag names (all clusters for ids without one), and a cluster marked unavailable contributes no data and
 * one SHARD_UNAVAILABLE error naming it, appended without a path (docs/architecture.md "The shape").
 */
import { execute } from 'graphql';
import type { ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { graphError } from '../common/errors.ts';
import { clusterTag, tagOfId } from '../o2/ids.ts';
import type { GraphExecutor, GraphRequest } from '../router/executor.ts';
import { alarmDictionaryFor } from '../alarms/alarm-catalogue.ts';
import type { O2AlarmDictionary } from '../alarms/alarm-catalogue.ts';
import { ListWindowError, listWindow } from '../o2/list-window.ts';
import type { ListWindowArgs } from '../o2/list-window.ts';

/** The list arguments the REST facade sends (schema/cluster.graphql). */
type FacadeListArgs = Omit<ListWindowArgs, 'filter'> & { readonly compiledFilter?: unknown };
import { TYPE_CATEGORIES, fixtureInventory } from './fixture-inventory.ts';
import type {
  FixtureCluster,
  FixtureInventory,
  FixtureResourcePool,
  FixtureResourceType,
} from './fixture-inventory.ts';
import { buildSupergraphApiSchema } from './supergraph-schema.ts';

/**
 * Faults a test can inject. `resolver-throws` puts secrets in the message (it must never reach a client);
 * `executor-rejects` fails the whole call; `bad-user-input` answers a coded client error.
 */
export type InjectedFault = 'none' | 'resolver-throws' | 'executor-rejects' | 'bad-user-input';

export const SECRET_IN_FAULT = 'password=hunter2';

function shardErrors(clusterIds: ReadonlySet<string>): GraphQLError[] {
  return [...clusterIds].map((clusterId) =>
    graphError('SHARD_UNAVAILABLE', `cluster ${clusterId} did not answer within the shard timeout`, {
      clusterId,
    }),
  );
}

export class FixtureGraphExecutor implements GraphExecutor {
  readonly schema: GraphQLSchema;
  /** Clusters simulated as down (or slow past the shard timeout). */
  readonly unavailable = new Set<string>();
  /** Every request received, for assertions on operation names and document reuse. */
  readonly requests: GraphRequest[] = [];
  fault: InjectedFault = 'none';

  constructor(
    readonly inventory: FixtureInventory = fixtureInventory(),
    schema: GraphQLSchema = buildSupergraphApiSchema(),
  ) {
    this.schema = schema;
  }

  async execute<TData = Record<string, unknown>>(request: GraphRequest): Promise<ExecutionResult<TData>> {
    this.requests.push(request);
    if (this.fault === 'executor-rejects') throw new Error(`router exploded (${SECRET_IN_FAULT})`);
    const missing = new Set<string>();
    const result = await execute({
      schema: this.schema,
      document: request.document,
      rootValue: this.#rootValue(missing),
      contextValue: { auth: request.auth },
      variableValues: request.variables,
      operationName: request.operationName,
    });
    const errors = [...(result.errors ?? []), ...shardErrors(missing)];
    const merged = errors.length > 0 ? { ...result, errors } : result;
    // The router's contract: data has the shape of the validated document, which the caller typed as TData.
    return merged as ExecutionResult<TData>;
  }

  /** Clusters that would be asked for an id: the one its tag names, else every cluster (like the router). */
  #owners(id: string): readonly FixtureCluster[] {
    const tag = tagOfId(id);
    const tagged = this.inventory.clusters.filter((cluster) => clusterTag(cluster.clusterId) === tag);
    return tagged.length > 0 ? tagged : this.inventory.clusters;
  }

  #rootValue(missing: Set<string>): Record<string, unknown> {
    const answering = (clusters: readonly FixtureCluster[]): FixtureCluster[] =>
      clusters.filter((cluster) => {
        if (!this.unavailable.has(cluster.clusterId)) return true;
        missing.add(cluster.clusterId);
        return false;
      });
    const live = (): FixtureCluster[] => answering(this.inventory.clusters);
    const lookup = <T>(id: string, find: (cluster: FixtureCluster) => T | undefined): T | null => {
      for (const cluster of answering(this.#owners(id))) {
        const found = find(cluster);
        if (found !== undefined) return found;
      }
      return null;
    };
    /**
     * A list field as the router presents it: every live cluster applies the list arguments to its own
     * objects (o2/list-window.ts, as the cluster subgraphs do), the answers are concatenated in cluster
     * order, and objects that several clusters report are kept once (router/shard-executor.ts).
     */
    const fanOut = <T>(
      args: FacadeListArgs,
      of: (cluster: FixtureCluster) => readonly T[],
      idOf: (item: T) => string,
      shared = false,
    ): T[] => {
      const answering = live();
      if (answering.length === 0 && this.inventory.clusters.length > 0) {
        // Like the router: no cluster answered a list → the field is null with an error naming them all.
        const clusterIds = this.inventory.clusters.map((cluster) => cluster.clusterId);
        throw graphError('SHARD_UNAVAILABLE', `no cluster answered: ${clusterIds.join(', ')}`, {
          clusterId: clusterIds[0],
          clusterIds,
        });
      }
      const merged = answering.flatMap((cluster) => shardWindow(of(cluster), idOf, args));
      return shared ? [...new Map(merged.map((item) => [idOf(item), item])).values()] : merged;
    };
    const fault = this.fault;
    return {
      oCloud: () => this.inventory.oCloud,
      deploymentManagers: (args: FacadeListArgs) =>
        fanOut(
          args,
          (cluster) => [cluster.deploymentManager],
          (dm) => dm.deploymentManagerId,
        ),
      deploymentManager: ({ deploymentManagerId }: { deploymentManagerId: string }) =>
        lookup(deploymentManagerId, (cluster) =>
          cluster.deploymentManager.deploymentManagerId === deploymentManagerId
            ? cluster.deploymentManager
            : undefined,
        ),
      resourcePools: (args: FacadeListArgs) => {
        if (fault === 'resolver-throws') throw new Error(`connection to etcd failed (${SECRET_IN_FAULT})`);
        if (fault === 'bad-user-input')
          throw graphError('BAD_USER_INPUT', 'the pool listing needs a tenant scope');
        return fanOut(
          args,
          (cluster) => cluster.resourcePools.map(poolView),
          (pool) => pool.resourcePoolId,
        );
      },
      resourcePool: ({ resourcePoolId }: { resourcePoolId: string }) =>
        lookup(resourcePoolId, (cluster) => {
          const pool = cluster.resourcePools.find((candidate) => candidate.resourcePoolId === resourcePoolId);
          return pool === undefined ? undefined : poolView(pool);
        }),
      resource: ({ resourceId }: { resourceId: string }) =>
        lookup(resourceId, (cluster) =>
          cluster.resourcePools
            .flatMap((pool) => pool.resources)
            .find((resource) => resource.resourceId === resourceId),
        ),
      resourceTypes: (args: FacadeListArgs) =>
        fanOut(
          args,
          (cluster) => cluster.resourceTypes.map(typeView),
          (type) => type.resourceTypeId,
          true,
        ),
      resourceType: ({ resourceTypeId }: { resourceTypeId: string }) =>
        lookup(resourceTypeId, (cluster) => {
          const type = cluster.resourceTypes.find((candidate) => candidate.resourceTypeId === resourceTypeId);
          return type === undefined ? undefined : typeView(type);
        }),
      alarmDictionaries: (args: FacadeListArgs) =>
        fanOut(
          args,
          (cluster) => cluster.resourceTypes.flatMap((type) => dictionaryOf(type) ?? []),
          (dictionary) => dictionary.alarmDictionaryId,
        ),
      alarmDictionary: ({ alarmDictionaryId }: { alarmDictionaryId: string }) =>
        lookup(alarmDictionaryId, (cluster) =>
          cluster.resourceTypes
            .flatMap((type) => dictionaryOf(type) ?? [])
            .find((dictionary) => dictionary.alarmDictionaryId === alarmDictionaryId),
        ),
      oCloudSites: (args: FacadeListArgs) =>
        fanOut(
          args,
          (cluster) => [cluster.site],
          (site) => site.oCloudSiteId,
          true,
        ),
      oCloudSite: ({ oCloudSiteId }: { oCloudSiteId: string }) =>
        lookup(oCloudSiteId, (cluster) =>
          cluster.site.oCloudSiteId === oCloudSiteId ? cluster.site : undefined,
        ),
      locations: (args: FacadeListArgs) =>
        fanOut(
          args,
          (cluster) => [cluster.location],
          (location) => location.globalLocationId,
          true,
        ),
      location: ({ globalLocationId }: { globalLocationId: string }) =>
        lookup(globalLocationId, (cluster) =>
          cluster.location.globalLocationId === globalLocationId ? cluster.location : undefined,
        ),
    };
  }
}

/** One cluster's answer to a list field, BAD_USER_INPUT for malformed arguments (as the subgraphs answer). */
function shardWindow<T>(items: readonly T[], idOf: (item: T) => string, args: FacadeListArgs): T[] {
  try {
    // The facade passes its compiled filter as `compiledFilter` (@inaccessible in the public supergraph).
    return listWindow(items, idOf, { ...args, filter: args.compiledFilter }, { sorted: false });
  } catch (error) {
    if (error instanceof ListWindowError) throw graphError('BAD_USER_INPUT', error.message);
    throw error;
  }
}

/** A pool whose `resources` field takes the list arguments, as ResourcePool.resources does in the graph. */
function poolView(
  pool: FixtureResourcePool,
): Omit<FixtureResourcePool, 'resources'> & { resources: (args: FacadeListArgs) => unknown } {
  return {
    ...pool,
    resources: (args: FacadeListArgs) => shardWindow(pool.resources, (resource) => resource.resourceId, args),
  };
}

function dictionaryOf(type: FixtureResourceType): O2AlarmDictionary | undefined {
  const category = TYPE_CATEGORIES.get(type.resourceTypeId);
  return category === undefined ? undefined : alarmDictionaryFor({ ...type, category });
}

function typeView(type: FixtureResourceType): FixtureResourceType & { alarmDictionary: () => unknown } {
  return { ...type, alarmDictionary: () => dictionaryOf(type) ?? null };
}
