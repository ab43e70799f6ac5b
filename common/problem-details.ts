/**
 * ProblemDetails (RFC 9457), the form every error of netweave's HTTP APIs takes, and the one place where an
 * error of any origin (route code, authentication, the GraphQL graph, the HTTP layer) becomes an HTTP status
 * (docs/architecture.md "Errors"). No HTTP framework here: rest-facade/problem.ts sends these with express.
 *
 * Bodies carry `status`, `title` and `detail` only. `instance` is omitted on purpose: RFC 9457 makes it a URI
 * string, but the O-RAN SC compliance suite types it as an array, so any value would fail one of the two.
 */
import { STATUS_CODES } from 'node:http';
import { AuthError } from './auth.ts';
import { ERROR_CODES, errorCodeOf } from './errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDetails {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
}

/** An error whose status and detail are written for the client (404, 400, 503 ...); thrown by route code. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

/**
 * 429: a rate limit budget is spent (docs/security.md "Rate limits"). Every adapter sends `Retry-After` (whole
 * seconds, at least 1) with it.
 */
export class RateLimitedError extends ProblemError {
  constructor(
    readonly retryAfterSeconds: number,
    detail: string,
  ) {
    super(429, detail);
    this.name = 'RateLimitedError';
  }
}

export function titleOf(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** The ProblemDetails body of a status and a detail written for the client. */
export function problemDetails(
  status: number,
  detail: string,
  title: string = titleOf(status),
): ProblemDetails {
  return { status, title, detail };
}

/** The detail of a 503 caused by clusters that did not answer; names them so operators can act. */
export function unavailableClustersDetail(clusterIds: readonly string[], consequence: string): string {
  const names = clusterIds.map((id) => `"${id}"`).join(', ');
  const subject = clusterIds.length === 1 ? `Cluster ${names} did` : `Clusters ${names} did`;
  return `${subject} not answer; ${consequence} Retry later.`;
}

/**
 * Seconds a client should wait before retrying a 503 (`Retry-After`): a store outage or clusters that did not
 * answer are usually over within seconds (a Redis restart, a failover, an API server restart).
 */
export const RETRY_AFTER_SECONDS = 5;

/** state/'s StoreUnavailableError, recognised by name (common/ imports nothing of ours). */
export function isStoreUnavailable(err: unknown): boolean {
  return err instanceof Error && err.name === 'StoreUnavailableError';
}

interface GraphErrorLike {
  readonly message: string;
  readonly extensions: Record<string, unknown>;
}

/** GraphQL errors are recognised by shape: the router may hand back errors built by another graphql copy. */
function isGraphErrorLike(err: unknown): err is GraphErrorLike {
  if (typeof err !== 'object' || err === null) return false;
  const candidate = err as { message?: unknown; extensions?: unknown };
  return (
    typeof candidate.message === 'string' &&
    typeof candidate.extensions === 'object' &&
    candidate.extensions !== null
  );
}

/** 4xx statuses that express, its router and body parsers attach to errors (e.g. an undecodable path). */
function httpLayerClientStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const candidate = err as { status?: unknown; statusCode?: unknown };
  const status = candidate.status ?? candidate.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500
    ? status
    : undefined;
}

function masked(requestId: string): ProblemDetails {
  return {
    status: 500,
    title: titleOf(500),
    detail: `An unexpected error occurred. It was logged with request id ${requestId}; quote it when reporting.`,
  };
}

function fromGraphError(err: GraphErrorLike, requestId: string): ProblemDetails {
  const code = errorCodeOf(err);
  const status: number = ERROR_CODES[code];
  if (code === 'SHARD_UNAVAILABLE') {
    const clusterId = err.extensions['clusterId'];
    const detail = unavailableClustersDetail(
      [typeof clusterId === 'string' ? clusterId : 'unknown'],
      'the answer is incomplete.',
    );
    return { status, title: titleOf(status), detail };
  }
  // Messages of coded client errors are written by netweave's subgraphs for clients; anything else may carry
  // internals (resolver exceptions, upstream messages), so it is masked.
  if (status >= 500) return masked(requestId);
  return { status, title: titleOf(status), detail: err.message };
}

/**
 * The ProblemDetails for an error. Pure: logging is the caller's job (see problemErrorHandler). Never echoes
 * request input or internals for errors it does not know to be client-facing.
 */
export function problemFromError(err: unknown, requestId: string): ProblemDetails {
  if (isStoreUnavailable(err))
    return {
      status: 503,
      title: titleOf(503),
      detail: 'The state store is unavailable, so this request cannot be served now. Retry later.',
    };
  if (err instanceof ProblemError)
    return { status: err.status, title: titleOf(err.status), detail: err.detail };
  if (err instanceof AuthError)
    return { status: err.status, title: titleOf(err.status), detail: err.message };
  if (isGraphErrorLike(err)) return fromGraphError(err, requestId);
  const clientStatus = httpLayerClientStatus(err);
  if (clientStatus !== undefined) {
    // The messages of these errors quote the offending input (e.g. "Failed to decode param '%E0'"): not echoed.
    return {
      status: clientStatus,
      title: titleOf(clientStatus),
      detail: 'The request could not be processed as sent.',
    };
  }
  return masked(requestId);
}
