/**
 * SOL013 query parameters → what a route executes: the attribute selection (→ GraphQL selection set), the
 * compiled filter split into the part pushed down to the cluster subgraphs and the part the gateway
 * evaluates, and where the page starts. Every client mistake is a 400 ProblemDetails whose detail comes
 * from the SOL013 library, which never quotes the input.
 */
import { Sol013Error, compileFilter, parseFilter, parseSelectors, queryHash } from '../../o2/sol013/index.ts';
import type { CompiledClause, CompiledFilter, MarkerCodec, Selection } from '../../o2/sol013/index.ts';
import type { ObjectModel } from '../models/object-model.ts';
import { attributesToProduce } from '../models/projection.ts';
import type { AttributeSet } from '../models/projection.ts';
import { ProblemError } from '../problem.ts';
import { FILTER_PARAMETER, MARKER_PARAMETER, selectorParameters, singleParameter } from './query-params.ts';
import type { QueryParameters } from './query-params.ts';

/** Where a page starts: the first page, after a key (opaque marker), or a page number (v4 profile). */
export type PageStart =
  | { readonly kind: 'first' }
  | { readonly kind: 'after'; readonly after: string }
  | { readonly kind: 'number'; readonly page: number };

export interface ObjectQuery {
  readonly selection: Selection;
  readonly attributes: AttributeSet;
}

export interface ListQuery extends ObjectQuery {
  /** Clauses the cluster subgraphs evaluate (null: none). */
  readonly pushdown: CompiledFilter | null;
  /** Clauses the gateway evaluates on shaped objects (null: none). */
  readonly gatewayFilter: CompiledFilter | null;
  readonly start: PageStart;
  /** Binds markers to this query: route, path parameters, filter and selectors. */
  readonly queryHash: string;
}

export interface ListQueryOptions {
  /** Whether the route's list field takes a filter; false: the gateway evaluates every clause. */
  readonly pushdown: boolean;
  readonly markers: MarkerCodec;
  /** Accept page numbers as nextpage_opaque_marker (the v4 compliance suite's markers). */
  readonly pageNumbers: boolean;
  /** What identifies the list apart from its parameters: profile, operation, path parameters. */
  readonly scope: readonly string[];
}

/** Page numbers beyond this are refused: each page re-reads all pages before it. */
export const MAX_PAGE_NUMBER = 100_000;
const PAGE_NUMBER = /^[1-9][0-9]{0,5}$/;

function clientError(error: unknown): never {
  if (error instanceof Sol013Error) throw new ProblemError(400, error.message);
  throw error;
}

export function compileObjectQuery(model: ObjectModel, query: QueryParameters): ObjectQuery {
  let selection: Selection;
  try {
    selection = parseSelectors(selectorParameters(query), model.selectors);
  } catch (error) {
    clientError(error);
  }
  return { selection, attributes: attributesToProduce(model, selection) };
}

function filterOf(clauses: readonly CompiledClause[]): CompiledFilter | null {
  return clauses.length === 0 ? null : { v: 1, clauses };
}

function splitFilter(
  model: ObjectModel,
  text: string | undefined,
  pushdown: boolean,
): { pushdown: CompiledFilter | null; gateway: CompiledFilter | null } {
  if (text === undefined) return { pushdown: null, gateway: null };
  let compiled: CompiledFilter;
  try {
    compiled = compileFilter(parseFilter(text), model.selectors.schema);
  } catch (error) {
    clientError(error);
  }
  const down: CompiledClause[] = [];
  const here: CompiledClause[] = [];
  for (const clause of compiled.clauses) {
    const attribute = model.attributes[clause.path[0]!];
    if (pushdown && attribute?.filterAt === 'subgraph') down.push(clause);
    else here.push(clause);
  }
  return { pushdown: filterOf(down), gateway: filterOf(here) };
}

function pageStart(marker: string | undefined, options: ListQueryOptions, hash: string): PageStart {
  if (marker === undefined) return { kind: 'first' };
  if (options.pageNumbers && PAGE_NUMBER.test(marker)) {
    const page = Number(marker);
    if (page > MAX_PAGE_NUMBER) {
      throw new ProblemError(400, `invalid paging marker: page numbers go up to ${MAX_PAGE_NUMBER}`);
    }
    return page === 1 ? { kind: 'first' } : { kind: 'number', page };
  }
  try {
    return { kind: 'after', after: options.markers.verify(marker, hash).after };
  } catch (error) {
    clientError(error);
  }
}

export function compileListQuery(
  model: ObjectModel,
  query: QueryParameters,
  options: ListQueryOptions,
): ListQuery {
  const { selection } = compileObjectQuery(model, query);
  const filter = splitFilter(model, singleParameter(query, FILTER_PARAMETER), options.pushdown);
  const gatewayAttributes = (filter.gateway?.clauses ?? []).map((clause) => clause.path[0]!);
  const hash = queryHash([
    ...options.scope,
    JSON.stringify(filter.pushdown),
    JSON.stringify(filter.gateway),
    JSON.stringify(selection),
  ]);
  return {
    selection,
    attributes: attributesToProduce(model, selection, gatewayAttributes),
    pushdown: filter.pushdown,
    gatewayFilter: filter.gateway,
    start: pageStart(singleParameter(query, MARKER_PARAMETER), options, hash),
    queryHash: hash,
  };
}
