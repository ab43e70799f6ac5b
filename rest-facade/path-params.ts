/**
 * Path parameters of the O2 inventory routes: route templates in OpenAPI syntax (`/resourcePools/{resourcePoolId}`,
 * the same strings as schema/o2ims-inventory-v2.openapi.yaml), their translation to express paths, and the
 * validation of values at the edge (docs/architecture.md "Security": bad input is a 4xx, never a query).
 */
import { isUuid } from '../o2/ids.ts';
import { ProblemError } from './problem.ts';

/** The names of the parameters of a route template, as a type: `'/a/{x}/b/{y}'` gives `'x' | 'y'`. */
type ParamNames<TPath extends string> = TPath extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamNames<Rest>
  : never;

export type PathParamsOf<TPath extends string> = { readonly [Name in ParamNames<TPath>]: string };

/**
 * Every parameter a route may name, with its format. O2 inventory ids are UUIDs; a location's
 * globalLocationId is whatever text the SMO assigned (`text`: non-empty, bounded, taken as is).
 */
const PARAMETER_FORMATS = {
  deploymentManagerId: 'uuid',
  resourceId: 'uuid',
  resourcePoolId: 'uuid',
  resourceTypeId: 'uuid',
  alarmDictionaryId: 'uuid',
  oCloudSiteId: 'uuid',
  globalLocationId: 'text',
} as const satisfies Record<string, 'uuid' | 'text'>;

/** Longer text ids are refused: no location id of a real SMO comes near it, and it bounds the work. */
export const MAX_TEXT_ID_LENGTH = 256;

export type KnownParameter = keyof typeof PARAMETER_FORMATS;

function isKnownParameter(name: string): name is KnownParameter {
  return Object.hasOwn(PARAMETER_FORMATS, name);
}

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** Parameter names of a template; throws at start-up for names without a declared format. */
export function parameterNamesOf(template: string): readonly KnownParameter[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => {
    const name = match[1]!;
    if (!isKnownParameter(name))
      throw new Error(`route ${template}: path parameter ${name} has no declared format`);
    return name;
  });
}

/** `/resourcePools/{resourcePoolId}` → `/resourcePools/:resourcePoolId` (express 5 / path-to-regexp 8). */
export function toExpressPath(template: string): string {
  return template.replace(PLACEHOLDER, (_placeholder, name: string) => `:${name}`);
}

/**
 * Validated, normalised parameter values. UUIDs are compared case-insensitively (RFC 9562) and netweave issues
 * lower-case ids, so values are lower-cased before they reach the graph. A malformed value answers
 * `malformedStatus`: 400 naming the parameter (/v2), or 404 (the v4 profile: no object has that id, it-test 7.3.9).
 */
export function parsePathParams(
  names: readonly KnownParameter[],
  raw: Readonly<Record<string, string | readonly string[] | undefined>>,
  malformedStatus: 400 | 404 = 400,
): Record<string, string> {
  const params: Record<string, string> = {};
  const malformed = (rule: string): ProblemError =>
    malformedStatus === 404
      ? new ProblemError(404, 'No object of the O2 IMS infrastructure inventory has this id.')
      : new ProblemError(400, rule);
  for (const name of names) {
    const value = raw[name];
    // The value is not quoted back: it is arbitrary client input. (Arrays come from wildcards, never used here.)
    if (PARAMETER_FORMATS[name] === 'text') {
      if (typeof value !== 'string' || value === '' || value.length > MAX_TEXT_ID_LENGTH)
        throw malformed(`Path parameter ${name} must be 1 to ${MAX_TEXT_ID_LENGTH} characters.`);
      params[name] = value;
      continue;
    }
    if (typeof value !== 'string' || !isUuid(value))
      throw malformed(`Path parameter ${name} must be a UUID.`);
    params[name] = value.toLowerCase();
  }
  return params;
}
