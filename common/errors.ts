/**
 * One error model (docs/architecture.md "Conventions" 8): GraphQL errors carry `extensions.code`; the REST facade maps each code
 * to a ProblemDetails status. Unexpected errors are masked and logged with the request's correlation id.
 */
import { GraphQLError } from 'graphql';

export const ERROR_CODES = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** The If-Match of a write names another version of the object. */
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  /** Well-formed, but not applicable to this object (e.g. a disabled package, a cluster contradiction). */
  UNPROCESSABLE: 422,
  /** A cluster shard did not answer (down, slow or circuit open): the result is partial. */
  SHARD_UNAVAILABLE: 503,
  /**
   * A cluster shard answered from a cache it could not refresh for longer than its staleness bound (its
   * Kubernetes API cannot be watched): the data is there but may be out of date. A warning next to data.
   */
  SHARD_STALE: 503,
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Response header of a cluster subgraph whose answer may be stale: the whole seconds since its last open
 * Kubernetes watch (subgraphs/cluster/graphql-http.ts sets it; the router turns it into SHARD_STALE).
 */
export const STALE_HEADER = 'x-netweave-stale';

export function graphError(
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** The code of a GraphQL error as received (possibly after serialization), INTERNAL_SERVER_ERROR if none. */
export function errorCodeOf(error: { readonly extensions?: Record<string, unknown> | undefined }): ErrorCode {
  const code = error.extensions?.['code'];
  return typeof code === 'string' && code in ERROR_CODES ? (code as ErrorCode) : 'INTERNAL_SERVER_ERROR';
}
