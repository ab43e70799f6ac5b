/**
 * How netweave's own components (the REST facade, the notifier) run GraphQL operations on the federated
 * graph: in-process, without an HTTP hop (docs/architecture.md "Data flows"). The router implements it.
 */
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { AuthContext } from '../common/auth.ts';

export interface GraphRequest {
  readonly document: DocumentNode;
  readonly operationName?: string;
  readonly variables?: Record<string, unknown>;
  readonly auth: AuthContext;
  /**
   * Filled with the ids of the clusters whose shards the operation asked: what its answer was computed from
   * (the REST facade's answer cache invalidates it by their change events).
   */
  readonly clustersAsked?: Set<string>;
}

export interface GraphExecutor {
  /** Executes one operation on the supergraph; shard failures appear as errors next to partial data. */
  execute<TData = Record<string, unknown>>(request: GraphRequest): Promise<ExecutionResult<TData>>;
  /** The supergraph's public API schema, for validating compiled documents once at start-up. */
  readonly schema: GraphQLSchema;
}
