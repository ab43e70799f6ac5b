/**
 * Checks at the HTTP edge of the O2 REST API that do not depend on the route (docs/architecture.md "Security": bad input is a
 * 4xx ProblemDetails, never a 500 and never silently ignored):
 *
 * - 413 Content Too Large: a declared body above the limit is refused before anything reads it;
 * - 415 Unsupported Media Type: a body that is not JSON (the inventory reads take none; writes take JSON);
 * - 406 Not Acceptable: a client that accepts neither JSON nor problem+json cannot be answered in O2 terms.
 */
import type { Request, RequestHandler } from 'express';
import { ProblemError, sendProblem } from './problem.ts';

/** Larger than any O2 request body (a subscription is well under 4 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;

const JSON_MEDIA_TYPES = ['application/json', 'application/problem+json'];

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** 413 for a declared Content-Length above the limit. */
export const rejectLargeBodies: RequestHandler = (req, _res, next) => {
  const length = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(length) && length > MAX_BODY_BYTES) {
    throw new ProblemError(413, `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
  }
  next();
};

/** 415 for a body whose media type is not JSON. */
export function requireJsonBody(req: Request): void {
  if (!hasBody(req)) return;
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ProblemError(415, 'Request bodies must be application/json.');
  }
}

/** 406 when the Accept header rules out JSON. */
export function requireJsonAcceptable(req: Request): void {
  if (req.headers.accept === undefined) return;
  if (req.accepts(JSON_MEDIA_TYPES) === false) {
    throw new ProblemError(
      406,
      'This API answers application/json (and application/problem+json for errors).',
    );
  }
}

/** 405 with `Allow` for the methods a resource does not support (SOL013 6.4). */
export const notAllowed =
  (allow: string): RequestHandler =>
  (_req, res) => {
    res.set('Allow', allow);
    sendProblem(res, 405, `This resource supports ${allow} only.`);
  };
