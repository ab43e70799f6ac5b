/**
 * What a GraphQL result means for a REST answer.
 *
 * The router reports a cluster shard that did not answer as an error with `extensions.code: SHARD_UNAVAILABLE`
 * and `extensions.clusterId`, next to the data of the clusters that did (docs/architecture.md "The shape"). Those errors make an
 * answer partial; any other error fails the request, so a REST client never receives data that the graph
 * itself flagged as wrong. Coded client errors keep their status, the rest become a masked 500 (problem.ts).
 */
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { ERROR_CODES, errorCodeOf } from '../common/errors.ts';
import { ProblemError, unavailableClustersDetail } from './problem.ts';

export interface GraphOutcome<TData> {
  readonly data: TData;
  /** Clusters that did not answer, in the order the router reported them; empty when every cluster answered. */
  readonly missingClusters: readonly string[];
  /** Clusters that answered from a cache they could not refresh past their staleness bound (SHARD_STALE). */
  readonly staleClusters: readonly string[];
}

type GraphError = Pick<GraphQLFormattedError, 'message' | 'extensions'>;

function clusterIdOf(error: GraphError): string {
  const clusterId = error.extensions?.['clusterId'];
  // A shard error without a cluster id is a router bug; the answer is still partial and must say so.
  return typeof clusterId === 'string' && clusterId !== '' ? clusterId : 'unknown';
}

function clusterIdsOf(error: GraphError): string[] {
  const clusterIds = error.extensions?.['clusterIds'];
  return Array.isArray(clusterIds) && clusterIds.every((id) => typeof id === 'string')
    ? (clusterIds as string[])
    : [clusterIdOf(error)];
}

export function readGraphResult<TData>(result: ExecutionResult<TData>): GraphOutcome<TData> {
  const missing = new Set<string>();
  const stale = new Set<string>();
  let failure: GraphError | undefined;
  for (const error of result.errors ?? []) {
    const code = errorCodeOf(error);
    if (code === 'SHARD_UNAVAILABLE') for (const id of clusterIdsOf(error)) missing.add(id);
    else if (code === 'SHARD_STALE') stale.add(clusterIdOf(error));
    else failure ??= error;
  }
  const missingClusters = [...missing];
  const noData = result.data === null || result.data === undefined;
  // A client error decides the status first (it would fail on any cluster); then "no cluster answered"
  // (data is null when every cluster asked for a list failed, router/shard-executor.ts): 503 naming them,
  // never an empty 200; then any other failure. The router logs every error it produced.
  if (failure !== undefined && (ERROR_CODES[errorCodeOf(failure)] < 500 || !noData || missing.size === 0))
    throw failure;
  if (noData) {
    if (missingClusters.length > 0) {
      throw new ProblemError(
        503,
        unavailableClustersDetail([...missingClusters].sort(), 'no inventory could be read.'),
      );
    }
    throw new Error('the graph answered with neither data nor errors');
  }
  return { data: result.data!, missingClusters, staleClusters: [...stale] };
}
