/**
 * The route table model: each O2 route is one declarative entry
 *
 *     path (OpenAPI template) + O2 object model
 *       → GraphQL document generated from the selection (what is not selected is not fetched)
 *         + variables from the path parameters, the pushed-down filter and the shard window
 *       → result extraction (the items or the object inside `data`) → O2 shaping → selection
 *
 * and the kinds below turn an entry into an `InventoryRoute` that the express adapter mounts. The meaning of
 * "not found", "partial", "owner unavailable", filters, selectors and pages is decided here once, not per
 * route.
 */
import type { ExecutionResult } from 'graphql';
import type { AuthContext } from '../common/auth.ts';
import { matches } from '../o2/sol013/index.ts';
import type { MarkerCodec } from '../o2/sol013/index.ts';
import { readGraphResult } from './graph-outcome.ts';
import { NO_CONTEXT } from './models/object-model.ts';
import type { GraphObject, ObjectModel, ShapeContext } from './models/object-model.ts';
import { graphSelectionOf, selectFrom, shapeObject } from './models/projection.ts';
import type { AttributeSet } from './models/projection.ts';
import type { OperationSource } from './operation-cache.ts';
import { cutPage, shardWindow } from './paging.ts';
import { parameterNamesOf } from './path-params.ts';
import type { KnownParameter, PathParamsOf } from './path-params.ts';
import { ProblemError, unavailableClustersDetail } from './problem.ts';
import { compileListQuery, compileObjectQuery } from './query/compile-query.ts';
import type { QueryParameters } from './query/query-params.ts';

/** How lists are paged on a profile. */
export interface PagingSettings {
  readonly pageSize: number;
  readonly markers: MarkerCodec;
  /** How long an issued marker stays valid. */
  readonly markerTtlMs: number;
  /** Accept page numbers as markers (the v4 profile). */
  readonly pageNumbers: boolean;
  /** What the Link header of a next page carries. */
  readonly linkStyle: 'opaque' | 'page-number';
  readonly now: () => number;
}

export interface RouteContext {
  /** Validated, normalised values of every parameter the route's template names. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: QueryParameters;
  readonly auth: AuthContext;
  /** Identifies the profile in marker hashes, so a /v2 marker is refused on /v1. */
  readonly profile: string;
  readonly paging: PagingSettings;
  /** Runs an operation; its document is parsed and validated once and then cached. */
  execute(operation: OperationSource, variables: Record<string, unknown>): Promise<ExecutionResult<unknown>>;
}

export interface RouteAnswer {
  /** The O2 JSON body. */
  readonly body: unknown;
  /** Clusters whose data the answer lacks (→ Netweave-Partial-Result). */
  readonly missingClusters: readonly string[];
  /** Clusters that answered from a stale cache (→ Netweave-Partial-Result with reason="stale"). */
  readonly staleClusters?: readonly string[];
  /** The nextpage_opaque_marker of the next page, when there is one. */
  readonly nextMarker?: string | undefined;
}

export interface InventoryRoute {
  /** The operationId of the route in the profile's OpenAPI document. */
  readonly operationId: string;
  /** OpenAPI path template relative to the service root `/o2ims-infrastructureInventory`. */
  readonly path: string;
  /** 'list' routes take the list-only query parameters (filter, paging marker); the others ignore them. */
  readonly kind: 'list' | 'object' | 'static';
  readonly parameters: readonly KnownParameter[];
  /** The operation of the default selection, compiled at start-up; undefined for routes without the graph. */
  readonly operation: OperationSource | undefined;
  answer(context: RouteContext): Promise<RouteAnswer>;
}

/** A document for a selection set; `attributes` are the top-level attributes the request produces. */
export type DocumentTemplate = (selection: string, attributes: AttributeSet) => OperationSource;

interface GraphRouteSpec<TPath extends string> {
  readonly operationId: string;
  readonly path: TPath;
  readonly model: ObjectModel;
  readonly document: DocumentTemplate;
  readonly variables: (params: PathParamsOf<TPath>) => Record<string, unknown>;
  /** Values the shaping needs besides the object (joins, the O-Cloud), read from the same result. */
  readonly context?: (data: unknown, attributes: AttributeSet) => ShapeContext;
}

export interface ListRouteSpec<TPath extends string> extends GraphRouteSpec<TPath> {
  /** The items; null when the object that owns the list does not exist (nested lists, e.g. a pool's resources). */
  readonly extract: (data: unknown) => readonly unknown[] | null;
  /**
   * 'shards': the list field takes `filter`/`first`/`after` (pushdown and paging in the subgraphs).
   * 'gateway': small lists whose attributes are joined across clusters; filtered and paged here.
   */
  readonly evaluation: 'shards' | 'gateway';
  /** Names the owning object in 404 and 503 details; required when `extract` can return null. */
  readonly owner?: (params: PathParamsOf<TPath>) => string;
}

export interface ObjectRouteSpec<TPath extends string> extends GraphRouteSpec<TPath> {
  readonly extract: (data: unknown) => unknown;
  /** For objects addressed under another one: false answers 404 (e.g. a resource of another pool). */
  readonly belongs?: (item: GraphObject, params: PathParamsOf<TPath>) => boolean;
  /** Names the addressed object in 404 and 503 details, e.g. `resource pool <id>`. */
  readonly subject: (params: PathParamsOf<TPath>) => string;
  /** The object joins data of other clusters: an answer while clusters are missing is partial. */
  readonly joined?: boolean;
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

/** The facade validated every parameter the template names before calling `answer`. */
function typedParams<TPath extends string>(context: RouteContext): PathParamsOf<TPath> {
  return context.params as PathParamsOf<TPath>;
}

export function isGraphObject(value: unknown): value is GraphObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The documents a route runs without selectors: compiled at start-up so a schema mismatch stops the gateway. */
function defaultOperation(spec: GraphRouteSpec<string>): OperationSource {
  return spec.document(graphSelectionOf(spec.model, 'all', 'all'), 'all');
}

function idReader(model: ObjectModel): (item: GraphObject) => string {
  const read = model.attributes[model.idAttribute]!.read;
  return (item) => {
    const id = read(item, NO_CONTEXT);
    return typeof id === 'string' ? id : '';
  };
}

/**
 * A list: 200 with the page of items that could be read; clusters that did not answer are reported, not
 * fatal. Items that a shard nulled are dropped (their cluster is reported by the error that nulled them).
 */
export function listRoute<TPath extends string>(spec: ListRouteSpec<TPath>): InventoryRoute {
  const idOf = idReader(spec.model);
  const shards = spec.evaluation === 'shards';
  return {
    operationId: spec.operationId,
    path: spec.path,
    kind: 'list',
    parameters: parameterNamesOf(spec.path),
    operation: defaultOperation(spec),
    async answer(context) {
      const params = typedParams<TPath>(context);
      const { paging } = context;
      const query = compileListQuery(spec.model, context.query, {
        pushdown: shards,
        markers: paging.markers,
        pageNumbers: paging.pageNumbers,
        scope: [context.profile, spec.operationId, ...Object.values(context.params)],
      });
      const selection = graphSelectionOf(spec.model, query.selection, query.attributes);
      const operation = spec.document(selection, query.attributes);
      const variables = spec.variables(params);
      if (shards) {
        const window = shardWindow(query.start, paging.pageSize);
        Object.assign(variables, { filter: query.pushdown, first: window.first, after: window.after });
      }
      const { data, missingClusters, staleClusters } = readGraphResult(
        await context.execute(operation, variables),
      );
      const items = spec.extract(data);
      if (items === null) {
        if (spec.owner === undefined) throw new Error(`route ${spec.path}: list extraction returned null`);
        throw absent(spec.owner(params), missingClusters);
      }
      const shapeContext = spec.context?.(data, query.attributes) ?? NO_CONTEXT;
      const shape = (item: GraphObject): Record<string, unknown> =>
        shapeObject(spec.model, item, query.attributes, shapeContext);
      const gatewayFilter = query.gatewayFilter;
      let page: readonly Record<string, unknown>[];
      let cut;
      if (shards) {
        // The shards paged and filtered; gateway clauses are constants or joins, decided per item of the page.
        cut = cutPage(items.filter(isGraphObject), idOf, query.start, paging.pageSize);
        page = cut.items.map(shape);
        if (gatewayFilter !== null) page = page.filter((item) => matches(gatewayFilter, item));
      } else {
        let shaped = items.filter(isGraphObject).map(shape);
        if (gatewayFilter !== null) shaped = shaped.filter((item) => matches(gatewayFilter, item));
        const idOfShaped = (item: Record<string, unknown>): string => String(item[spec.model.idAttribute]);
        cut = cutPage(shaped, idOfShaped, query.start, paging.pageSize);
        page = cut.items;
      }
      const body = query.selection === 'all' ? page : page.map((item) => selectFrom(query.selection, item));
      let nextMarker: string | undefined;
      if (cut.nextPage !== undefined && paging.linkStyle === 'page-number' && paging.pageNumbers) {
        nextMarker = String(cut.nextPage);
      } else if (cut.nextAfter !== undefined) {
        nextMarker = paging.markers.encode({
          v: 1,
          after: cut.nextAfter,
          q: query.queryHash,
          exp: paging.now() + paging.markerTtlMs,
        });
      }
      return { body, missingClusters, staleClusters, nextMarker };
    },
  };
}

/** A single object: 200, 404 when absent, 503 when absent while clusters are missing. */
export function objectRoute<TPath extends string>(spec: ObjectRouteSpec<TPath>): InventoryRoute {
  return {
    operationId: spec.operationId,
    path: spec.path,
    kind: 'object',
    parameters: parameterNamesOf(spec.path),
    operation: defaultOperation(spec),
    async answer(context) {
      const params = typedParams<TPath>(context);
      const query = compileObjectQuery(spec.model, context.query);
      const selection = graphSelectionOf(spec.model, query.selection, query.attributes);
      const { data, missingClusters } = readGraphResult(
        await context.execute(spec.document(selection, query.attributes), spec.variables(params)),
      );
      const item = spec.extract(data);
      if (!isGraphObject(item)) throw absent(spec.subject(params), missingClusters);
      if (spec.belongs !== undefined && !spec.belongs(item, params)) throw absent(spec.subject(params), []);
      const shaped = shapeObject(
        spec.model,
        item,
        query.attributes,
        spec.context?.(data, query.attributes) ?? NO_CONTEXT,
      );
      return {
        body: selectFrom(query.selection, shaped),
        // An object that was found is complete whichever other clusters failed (ids are unique across
        // clusters), unless it joins data of other clusters.
        missingClusters: spec.joined === true ? missingClusters : [],
      };
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
    kind: 'static',
    parameters: parameterNamesOf(spec.path),
    operation: undefined,
    answer: () => Promise.resolve({ body: spec.body, missingClusters: [] }),
  };
}
