/**
 * The route table model: each O2 route is one declarative entry
 *
 *     path (OpenAPI template) → GraphQL operation (+ variables from path parameters)
 *       → result extraction (the items or the object inside `data`) → O2 shaping
 *
 * and the three kinds below turn an entry into an `InventoryRoute` that the express adapter mounts. The
 * meaning of "not found", "partial" and "owner unavailable" is decided here once, not per route.
 *
 * Filters, selectors and paging slot in as further inputs of `RouteContext` (parsed query) that the list kind
 * compiles into variables and selection sets; entries stay declarative.
 */
import type { ExecutionResult } from 'graphql';
import type { AuthContext } from '../common/auth.ts';
import { readGraphResult } from './graph-outcome.ts';
import type { GraphOperation, OperationSource } from './operation-cache.ts';
import { parameterNamesOf } from './path-params.ts';
import type { KnownParameter, PathParamsOf } from './path-params.ts';
import { ProblemError, unavailableClustersDetail } from './problem.ts';

export interface RouteContext {
  /** Validated, normalised values of every parameter the route's template names. */
  readonly params: Readonly<Record<string, string>>;
  readonly auth: AuthContext;
  /** Runs an operation whose document was compiled when the facade was created. */
  execute<TData, TVariables extends Record<string, unknown>>(
    operation: GraphOperation<TData, TVariables>,
    variables: TVariables,
  ): Promise<ExecutionResult<TData>>;
}

export interface RouteAnswer {
  /** The O2 JSON body. */
  readonly body: object;
  /** Clusters whose data a list answer lacks (→ Netweave-Partial-Result); empty for single objects. */
  readonly missingClusters: readonly string[];
}

export interface InventoryRoute {
  /** The operationId of the route in schema/o2ims-inventory-v2.openapi.yaml. */
  readonly operationId: string;
  /** OpenAPI path template relative to the service root `/o2ims-infrastructureInventory`. */
  readonly path: string;
  readonly parameters: readonly KnownParameter[];
  /** Compiled and validated at start-up; undefined for routes answered without the graph. */
  readonly operation: OperationSource | undefined;
  answer(context: RouteContext): Promise<RouteAnswer>;
}

interface GraphRouteSpec<TPath extends string, TData, TVariables extends Record<string, unknown>> {
  readonly operationId: string;
  readonly path: TPath;
  readonly operation: GraphOperation<TData, TVariables>;
  readonly variables: (params: PathParamsOf<TPath>) => TVariables;
}

export interface ListRouteSpec<
  TPath extends string,
  TData,
  TVariables extends Record<string, unknown>,
  TItem,
> extends GraphRouteSpec<TPath, TData, TVariables> {
  /** The items; null when the object that owns the list does not exist (nested lists, e.g. a pool's resources). */
  readonly extract: (data: TData) => readonly (TItem | null)[] | null;
  readonly shape: (item: TItem) => object;
  /** Names the owning object in 404 and 503 details; required when `extract` can return null. */
  readonly owner?: (params: PathParamsOf<TPath>) => string;
}

export interface ObjectRouteSpec<
  TPath extends string,
  TData,
  TVariables extends Record<string, unknown>,
  TItem,
> extends GraphRouteSpec<TPath, TData, TVariables> {
  readonly extract: (data: TData) => TItem | null;
  /** For objects addressed under another one: false answers 404 (e.g. a resource of another pool). */
  readonly belongs?: (item: TItem, params: PathParamsOf<TPath>) => boolean;
  readonly shape: (item: TItem) => object;
  /** Names the addressed object in 404 and 503 details, e.g. `resource pool <id>`. */
  readonly subject: (params: PathParamsOf<TPath>) => string;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A null lookup is "not found" only when every cluster that could own the object answered; otherwise the
 * object may live on a cluster that is down, and claiming 404 would be wrong (an SMO may act on absence).
 */
function absent(subject: string, missingClusters: readonly string[]): ProblemError {
  if (missingClusters.length > 0) {
    return new ProblemError(
      503,
      unavailableClustersDetail(missingClusters, `cannot tell whether ${subject} exists.`),
    );
  }
  return new ProblemError(404, `${capitalized(subject)} was not found.`);
}

/**
 * The facade validated every parameter the template names before calling `answer`, which is what the typed view
 * promises.
 */
function typedParams<TPath extends string>(context: RouteContext): PathParamsOf<TPath> {
  return context.params as PathParamsOf<TPath>;
}

/**
 * A list: 200 with the items that could be read; clusters that did not answer are reported, not fatal. Items
 * that a shard nulled are dropped (their cluster is reported by the error that nulled them).
 */
export function listRoute<TPath extends string, TData, TVariables extends Record<string, unknown>, TItem>(
  spec: ListRouteSpec<TPath, TData, TVariables, TItem>,
): InventoryRoute {
  return {
    operationId: spec.operationId,
    path: spec.path,
    parameters: parameterNamesOf(spec.path),
    operation: spec.operation,
    async answer(context) {
      const params = typedParams<TPath>(context);
      const { data, missingClusters } = readGraphResult(
        await context.execute(spec.operation, spec.variables(params)),
      );
      const items = spec.extract(data);
      if (items === null) {
        if (spec.owner === undefined) throw new Error(`route ${spec.path}: list extraction returned null`);
        throw absent(spec.owner(params), missingClusters);
      }
      const body = items.filter((item): item is TItem => item !== null).map(spec.shape);
      return { body, missingClusters };
    },
  };
}

/** A single object: 200, 404 when absent, 503 when absent while clusters are missing. */
export function objectRoute<TPath extends string, TData, TVariables extends Record<string, unknown>, TItem>(
  spec: ObjectRouteSpec<TPath, TData, TVariables, TItem>,
): InventoryRoute {
  return {
    operationId: spec.operationId,
    path: spec.path,
    parameters: parameterNamesOf(spec.path),
    operation: spec.operation,
    async answer(context) {
      const params = typedParams<TPath>(context);
      const { data, missingClusters } = readGraphResult(
        await context.execute(spec.operation, spec.variables(params)),
      );
      const item = spec.extract(data);
      if (item === null) throw absent(spec.subject(params), missingClusters);
      if (spec.belongs !== undefined && !spec.belongs(item, params)) throw absent(spec.subject(params), []);
      // An object that was found is complete whichever other clusters failed: ids are unique across clusters.
      return { body: spec.shape(item), missingClusters: [] };
    },
  };
}

/** A route answered without the graph (API version information). */
export function staticRoute(spec: {
  readonly operationId: string;
  readonly path: string;
  readonly body: object;
}): InventoryRoute {
  return {
    operationId: spec.operationId,
    path: spec.path,
    parameters: parameterNamesOf(spec.path),
    operation: undefined,
    answer: () => Promise.resolve({ body: spec.body, missingClusters: [] }),
  };
}
