/**
 * Request validation against netweave's own OpenAPI documents (openapi-backend): the path and query
 * parameters of every inventory operation are checked against the document the API publishes, so the
 * document is the contract and not just a description of it. Semantic checks (filter grammar, attribute
 * names, markers) follow in the route; this layer catches what the document itself says (types, formats,
 * single values).
 *
 * Details name the parameter and the rule, never the value sent (docs/architecture.md "Security").
 */
import ajvFormats from 'ajv-formats';
import type { Request } from 'express';
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import { ProblemError } from './problem.ts';

export interface RequestValidator {
  /**
   * Throws ProblemError 400 when the request does not fit operation `operationId` of the document. Only the
   * query parameters named in `parameters` are validated (the others are ignored by the route).
   */
  validate(req: Request, path: string, operationId: string, parameters?: ReadonlySet<string>): void;
}

interface AjvLikeError {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

function describe(error: AjvLikeError): string {
  const [, location, name] = (error.instancePath ?? '').split('/');
  const extra = error.params?.['additionalProperty'];
  if (error.keyword === 'additionalProperties' && location === 'query' && typeof extra === 'string') {
    // Only the SOL013 names reach the validator (queryOf), so the name is one the server knows.
    return `The query parameter ${extra} does not apply to this resource.`;
  }
  const what =
    location === 'query' && name !== undefined
      ? `query parameter ${name}`
      : location === 'path' && name !== undefined
        ? `path parameter ${name}`
        : 'request';
  return `The ${what} is invalid: it ${error.message ?? 'does not match the API document'}.`;
}

function headersOf(req: Request): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = value;
  return headers;
}

/**
 * The query parameters O2 defines (SOL013). Others are left out of validation: O2 clients add their own
 * (cache busters, tracing) and those are ignored, not refused.
 */
export const O2_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  'filter',
  'fields',
  'exclude_fields',
  'all_fields',
  'exclude_default',
  'nextpage_opaque_marker',
]);

/**
 * What a read of one object takes: the selectors. The list-only parameters (`filter`, the paging marker) are
 * ignored there, as oran-o2ims and pti-o2 do: SMO client libraries send list parameters with every GET.
 */
export const O2_OBJECT_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  'fields',
  'exclude_fields',
  'all_fields',
  'exclude_default',
]);

function queryOf(req: Request, parameters: ReadonlySet<string>): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.query as Record<string, unknown>)) {
    if (!parameters.has(name)) continue;
    if (typeof value === 'string') query[name] = value;
    else if (Array.isArray(value)) query[name] = value.filter((v): v is string => typeof v === 'string');
  }
  return query;
}

/**
 * A validator for one OpenAPI document. The document is loaded and compiled in the background; requests that
 * arrive before that is done wait for it.
 */
export async function createRequestValidator(documentPath: string): Promise<RequestValidator> {
  const api = new OpenAPIBackend({
    definition: documentPath,
    // The documents are checked by their own tests (rest-facade/openapi-document.test.ts); at start-up only the
    // request validators are needed, compiled on first use.
    quick: true,
    validate: true,
    customizeAjv: (ajv) => {
      ajvFormats.default(ajv);
      return ajv;
    },
  });
  await api.init();
  // openapi-backend looks an operation id up by flattening every path of the document again (a few % of a
  // small uncached read): look each one up once.
  const operations = new Map<string, Operation>();
  const operationOf = (operationId: string): Operation | string => {
    let operation = operations.get(operationId);
    if (operation === undefined) {
      operation = api.router.getOperation(operationId);
      if (operation === undefined) return operationId; // openapi-backend reports the unknown id
      operations.set(operationId, operation);
    }
    return operation;
  };
  return {
    validate(req, path, operationId, parameters = O2_QUERY_PARAMETERS) {
      const result = api.validateRequest(
        {
          method: req.method.toLowerCase(),
          path,
          query: queryOf(req, parameters),
          headers: headersOf(req),
        },
        operationOf(operationId),
      );
      if (result.valid) return;
      const first = result.errors?.[0];
      throw new ProblemError(
        400,
        first === undefined ? 'The request does not match the API document.' : describe(first),
      );
    },
  };
}
