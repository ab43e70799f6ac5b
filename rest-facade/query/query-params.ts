/**
 * The query parameters of O2 list and object reads (SOL013 §5.2–5.4), read from express's parsed query.
 *
 * Each is single-valued: a repeated one is refused (400) rather than one copy picked, since the copies may
 * disagree and any choice would silently ignore part of the request. Values are never quoted back.
 */
import type { Request } from 'express';
import { Sol013Error, compileFilter, parseFilter, parseSelectors } from '../../o2/sol013/index.ts';
import type { CompiledFilter, Selection, SelectorSpec } from '../../o2/sol013/index.ts';
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

/** Query parameters as express's simple parser gives them (repeats as arrays), independent of app settings. */
export function queryOf(req: Request): QueryParameters {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URL(req.originalUrl, 'http://netweave.invalid').searchParams) {
    const existing = out[name];
    out[name] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** Runs a SOL013 parse; a syntax error is the caller's (400), anything else propagates. */
export function sol013<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof Sol013Error) throw new ProblemError(400, error.message);
    throw error;
  }
}

export function selectionOf(query: QueryParameters, spec: SelectorSpec): Selection {
  return sol013(() => parseSelectors(selectorParameters(query), spec));
}

export function filterOf(query: QueryParameters, spec: SelectorSpec): CompiledFilter | undefined {
  const text = singleParameter(query, FILTER_PARAMETER);
  return text === undefined ? undefined : sol013(() => compileFilter(parseFilter(text), spec.schema));
}
