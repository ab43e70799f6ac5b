/**
 * Authentication of requests to a cluster subgraph (docs/architecture.md "Security"). Only netweave's router calls a
 * subgraph: it proves itself with the shared internal token (HTTP `authorization` header, graphql-ws
 * `connectionParams.authorization`) and forwards the caller's auth context as base64url JSON in
 * `x-netweave-auth` (HTTP header, or the subscribe payload's extensions). The forwarded context is trusted
 * because the token is; without a forwarded context the request runs as netweave itself.
 */
import { type AuthContext, ROLES, type Role, type TenantScope, internalContext } from '../../common/auth.ts';
export { bearerMatches } from '../../common/metrics-endpoint.ts';

/** Header (and payload extension) carrying the caller's auth context; the router's name for it. */
export const AUTH_CONTEXT_HEADER = 'x-netweave-auth';

export class AuthContextError extends Error {
  override name = 'AuthContextError';
}

/** Every method, checked by the compiler: a method added to AuthContext without a line here fails to build. */
const METHOD_SET = {
  development: true,
  bearer: true,
  'client-certificate': true,
  internal: true,
} as const satisfies Record<AuthContext['method'], true>;
const METHODS = Object.keys(METHOD_SET) as readonly AuthContext['method'][];

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function tenantScope(value: unknown): TenantScope {
  if (typeof value !== 'object' || value === null) throw new AuthContextError('tenant must be an object');
  const tenant = value as Record<string, unknown>;
  if (typeof tenant['name'] !== 'string') throw new AuthContextError('tenant.name must be a string');
  const scope: { name: string; clusters?: string[]; namespaces?: string[]; pools?: string[] } = {
    name: tenant['name'],
  };
  for (const key of ['clusters', 'namespaces', 'pools'] as const) {
    const list = tenant[key];
    if (list === undefined) continue;
    if (!isStringArray(list)) throw new AuthContextError(`tenant.${key} must be a list of strings`);
    scope[key] = list;
  }
  return scope;
}

/** Decodes and validates a forwarded auth context; throws AuthContextError when it is malformed. */
export function decodeAuthContext(encoded: string): AuthContext {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new AuthContextError(`${AUTH_CONTEXT_HEADER} is not base64url JSON`);
  }
  if (typeof value !== 'object' || value === null)
    throw new AuthContextError(`${AUTH_CONTEXT_HEADER} must be an object`);
  const record = value as Record<string, unknown>;
  const { principal, roles, method, requestId } = record;
  if (typeof principal !== 'string') throw new AuthContextError('principal must be a string');
  if (!isStringArray(roles) || !roles.every((role) => (ROLES as readonly string[]).includes(role))) {
    throw new AuthContextError(`roles must be a list of ${ROLES.join(', ')}`);
  }
  if (typeof method !== 'string' || !(METHODS as readonly string[]).includes(method)) {
    throw new AuthContextError(`method must be one of ${METHODS.join(', ')}`);
  }
  if (typeof requestId !== 'string') throw new AuthContextError('requestId must be a string');
  return {
    principal,
    roles: roles as Role[],
    tenant: tenantScope(record['tenant']),
    method: method as AuthContext['method'],
    requestId,
  };
}

/** The auth context of a request: the forwarded one, or netweave's internal context when none came. */
export function requestAuthContext(encoded: unknown, requestId: string): AuthContext {
  return typeof encoded === 'string' && encoded !== ''
    ? decodeAuthContext(encoded)
    : internalContext(requestId);
}
