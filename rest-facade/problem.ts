/**
 * ProblemDetails over express: the REST facade's error responses and its final error handler. The form and the
 * mapping of errors to statuses are common/problem-details.ts (no HTTP framework there).
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AuthError } from '../common/auth.ts';
import { repeatLimited } from '../common/log.ts';
import {
  PROBLEM_CONTENT_TYPE,
  RETRY_AFTER_SECONDS,
  problemDetails,
  problemFromError,
  RateLimitedError,
  titleOf,
} from '../common/problem-details.ts';
import { requestIdOf } from './request-context.ts';

export {
  PROBLEM_CONTENT_TYPE,
  ProblemError,
  problemDetails,
  problemFromError,
  titleOf,
  unavailableClustersDetail,
} from '../common/problem-details.ts';
export type { ProblemDetails } from '../common/problem-details.ts';

/** Carries the correlation id on every facade response, so a client can quote it. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

export function sendProblem(
  res: Response,
  status: number,
  detail: string,
  title: string = titleOf(status),
): void {
  const body = problemDetails(status, detail, title);
  // Every 503 is "retry later" (a store outage, clusters that did not answer): say when.
  if (status === 503 && !res.hasHeader('Retry-After')) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
  // res.json keeps a Content-Type that is already set, so the problem media type survives.
  res.status(status).type(PROBLEM_CONTENT_TYPE).json(body);
}

/**
 * The final error handler of the facade, reusable for the GraphQL HTTP paths: answers ProblemDetails, logs
 * every 5xx with the request id (the masked body points to that log line), adds `WWW-Authenticate` to 401s.
 */
export function problemErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const requestId = requestIdOf(req);
    const problem = problemFromError(err, requestId);
    if (problem.status >= 500) {
      // The path without its query string: query strings may carry secrets or large input. A 500 is a bug or
      // an outage nobody anticipated; other 5xx (clusters down, store unreachable) are expected, reported
      // elsewhere too, and logged once a minute per outage rather than once per request.
      const entry = { err, requestId, method: req.method, path: req.baseUrl + req.path };
      if (problem.status === 500) logger.error(entry, 'request failed unexpectedly');
      else
        repeatLimited(logger).warn(
          `request-failed:${problem.status}:${problem.detail}`,
          entry,
          'request failed',
        );
    }
    if (err instanceof AuthError && err.status === 401) res.set('WWW-Authenticate', 'Bearer');
    if (err instanceof RateLimitedError) res.set('Retry-After', String(err.retryAfterSeconds));
    res.set(REQUEST_ID_HEADER, requestId);
    sendProblem(res, problem.status, problem.detail, problem.title);
  };
}
