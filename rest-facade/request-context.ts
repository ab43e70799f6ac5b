/**
 * Per-request state of the REST facade: the correlation id and, once `authenticate` succeeded, the auth context.
 *
 * Kept in a WeakMap keyed by the express request rather than on `res.locals` (typed `any` by express) so the
 * values stay typed and nothing outlives the request.
 */
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { AuthContext } from '../common/auth.ts';

interface RequestState {
  /** Used until (or unless) authentication yields the request id of the auth context. */
  readonly fallbackRequestId: string;
  auth: AuthContext | undefined;
}

const states = new WeakMap<Request, RequestState>();

function stateOf(req: Request): RequestState {
  let state = states.get(req);
  if (state === undefined) {
    state = { fallbackRequestId: randomUUID(), auth: undefined };
    states.set(req, state);
  }
  return state;
}

/**
 * The correlation id of a request: the auth context's once authenticated (so logs of the facade, the router and
 * the subgraphs agree), a generated one for requests that failed before or during authentication.
 */
export function requestIdOf(req: Request): string {
  const state = stateOf(req);
  return state.auth?.requestId ?? state.fallbackRequestId;
}

export function bindAuth(req: Request, auth: AuthContext): void {
  stateOf(req).auth = auth;
}

/** The auth context of an authenticated request; route handlers only run after authentication. */
export function authOf(req: Request): AuthContext {
  const auth = states.get(req)?.auth;
  if (auth === undefined) throw new Error('route handler reached without an auth context');
  return auth;
}
