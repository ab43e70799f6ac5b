/**
 * A GraphExecutor for the facade's tests: real GraphQL execution on the merged subgraph schema, with root
 * resolvers over the fixture inventory that behave like the router's shard executor as far as the facade can
 * observe — lists fan out over clusters and de-duplicate resource types, lookups by id go to the cluster the
 * id's tag names (all clusters for ids without one), and a cluster marked unavailable contributes no data and
 * one SHARD_UNAVAILABLE error naming it, appended without a path (DESIGN.md §1).
 */
import { execute } from 'graphql';
import type { ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { graphError } from '../../common/errors.ts';
import { clusterTag, tagOfId } from '../../common/ids.ts';
import type { GraphExecutor, GraphRequest } from '../../router/executor.ts';
import { fixtureInventory } from './fixture-inventory.ts';
import type { FixtureCluster, FixtureInventory, FixtureResourceType } from './fixture-inventory.ts';
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

function uniqueTypes(types: readonly FixtureResourceType[]): FixtureResourceType[] {
  return [...new Map(types.map((type) => [type.resourceTypeId, type])).values()];
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
    const fault = this.fault;
    return {
      oCloud: () => this.inventory.oCloud,
      deploymentManagers: () => live().map((cluster) => cluster.deploymentManager),
      deploymentManager: ({ deploymentManagerId }: { deploymentManagerId: string }) =>
        lookup(deploymentManagerId, (cluster) =>
          cluster.deploymentManager.deploymentManagerId === deploymentManagerId
            ? cluster.deploymentManager
            : undefined,
        ),
      resourcePools: () => {
        if (fault === 'resolver-throws') throw new Error(`connection to etcd failed (${SECRET_IN_FAULT})`);
        if (fault === 'bad-user-input')
          throw graphError('BAD_USER_INPUT', 'the pool listing needs a tenant scope');
        return live().flatMap((cluster) => cluster.resourcePools);
      },
      resourcePool: ({ resourcePoolId }: { resourcePoolId: string }) =>
        lookup(resourcePoolId, (cluster) =>
          cluster.resourcePools.find((pool) => pool.resourcePoolId === resourcePoolId),
        ),
      resource: ({ resourceId }: { resourceId: string }) =>
        lookup(resourceId, (cluster) =>
          cluster.resourcePools
            .flatMap((pool) => pool.resources)
            .find((resource) => resource.resourceId === resourceId),
        ),
      resourceTypes: () => uniqueTypes(live().flatMap((cluster) => cluster.resourceTypes)),
      resourceType: ({ resourceTypeId }: { resourceTypeId: string }) =>
        lookup(resourceTypeId, (cluster) =>
          cluster.resourceTypes.find((type) => type.resourceTypeId === resourceTypeId),
        ),
    };
  }
}
