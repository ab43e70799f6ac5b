/**
 * What a GraphQL result means for a REST answer.
 *
 * The router reports a cluster shard that did not answer as an error with `extensions.code: SHARD_UNAVAILABLE`
 * and `extensions.clusterId`, next to the data of the clusters that did (docs/architecture.md "The shape"). Those errors make an
 * answer partial; any other error fails the request, so a REST client never receives data that the graph
 * itself flagged as wrong. Coded client errors keep their status, the rest become a masked 500 (problem.ts).
 */
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { errorCodeOf } from '../common/errors.ts';
import { ProblemError, unavailableClustersDetail } from './problem.ts';

export interface GraphOutcome<TData> {
  readonly data: TData;
  /** Clusters that did not answer, in the order the router reported them; empty when every cluster answered. */
  readonly missingClusters: readonly string[];
}

type GraphError = Pick<GraphQLFormattedError, 'message' | 'extensions'>;

function clusterIdOf(error: GraphError): string {
  const clusterId = error.extensions?.['clusterId'];
  // A shard error without a cluster id is a router bug; the answer is still partial and must say so.
  return typeof clusterId === 'string' && clusterId !== '' ? clusterId : 'unknown';
}

export function readGraphResult<TData>(result: ExecutionResult<TData>): GraphOutcome<TData> {
  const missingClusters: string[] = [];
  let failure: GraphError | undefined;
  for (const error of result.errors ?? []) {
    if (errorCodeOf(error) === 'SHARD_UNAVAILABLE') missingClusters.push(clusterIdOf(error));
    else failure ??= error;
  }
  // The first failure decides the status; the router logs every error it produced.
  if (failure !== undefined) throw failure;
  if (result.data === null || result.data === undefined) {
    if (missingClusters.length > 0) {
      throw new ProblemError(503, unavailableClustersDetail(missingClusters, 'no inventory could be read.'));
    }
    throw new Error('the graph answered with neither data nor errors');
  }
  return { data: result.data, missingClusters };
}
