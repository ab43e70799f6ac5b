/**
 * The query parameters of O2 list and object reads (SOL013 §5.2–5.4), read from express's parsed query.
 *
 * Each is single-valued: a repeated one is refused (400) rather than one copy picked, since the copies may
 * disagree and any choice would silently ignore part of the request. Values are never quoted back.
 */
import { ProblemError } from '../problem.ts';

export const SELECTOR_PARAMETERS = ['all_fields', 'fields', 'exclude_fields', 'exclude_default'] as const;
export const FILTER_PARAMETER = 'filter';
export const MARKER_PARAMETER = 'nextpage_opaque_marker';

export type QueryParameters = Readonly<Record<string, unknown>>;

/** The value of a single-valued parameter, undefined when absent. */
export function singleParameter(query: QueryParameters, name: string): string | undefined {
  if (!Object.hasOwn(query, name)) return undefined;
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new ProblemError(400, `The ${name} query parameter must be given once.`);
  return value;
}

export interface SelectorParameters {
  all_fields?: string | undefined;
  fields?: string | undefined;
  exclude_fields?: string | undefined;
  exclude_default?: string | undefined;
}

export function selectorParameters(query: QueryParameters): SelectorParameters {
  return {
    all_fields: singleParameter(query, 'all_fields'),
    fields: singleParameter(query, 'fields'),
    exclude_fields: singleParameter(query, 'exclude_fields'),
    exclude_default: singleParameter(query, 'exclude_default'),
  };
}
