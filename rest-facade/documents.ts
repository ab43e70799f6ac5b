/**
 * GraphQL documents of the inventory routes, generated from the selection set the request's selectors
 * compile to. Every document is named (router logs and metrics tell REST-originated calls apart) and goes
 * through the facade's bounded OperationCache, so each distinct document is parsed and validated once.
 */
import type { CompiledFilter } from '../o2/sol013/index.ts';
import type { OperationSource } from './operation-cache.ts';

/** Variables every paged list declares (o2/list-window.ts describes the contract). */
export const LIST_VARIABLES = '$filter: JSON, $first: Int, $after: ID';
export const LIST_ARGUMENTS = 'compiledFilter: $filter, first: $first, after: $after';

export function operation(name: string, source: string): OperationSource {
  return { name, source };
}

/** `query Name(<variables>) { <body> }`, without parentheses when there are no variables. */
export function query(name: string, variables: string, body: string): OperationSource {
  return operation(name, `query ${name}${variables === '' ? '' : `(${variables})`} { ${body} }`);
}

/** A one-clause filter the facade pushes down itself (joins: the pools of one site, the sites of a location). */
export function equalsFilter(attribute: string, type: 'uuid' | 'string', value: string): CompiledFilter {
  return { v: 1, clauses: [{ op: 'eq', path: [attribute], type, values: [value] }] };
}
