/**
 * The auth context that every request carries (docs/architecture.md "Security"): REST, GraphQL over HTTP, graphql-ws and
 * in-process calls alike. What a role may do is common/authorization.ts.
 *
 * Development mode is an explicit setting (`auth.mode: development`), never the absence of a token: it
 * grants a fixed, clearly named principal and the gateway logs a warning at start-up.
 */
export const ROLES = ['reader', 'subscriber', 'maintainer', 'deployer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface TenantScope {
  /** Tenant name; `*` means every tenant (operators). */
  readonly name: string;
  readonly clusters?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly pools?: readonly string[];
}

export interface AuthContext {
  readonly principal: string;
  readonly roles: readonly Role[];
  readonly tenant: TenantScope;
  /** How the principal was established. */
  readonly method: 'development' | 'bearer' | 'client-certificate' | 'internal';
  /** Correlation id for logs and masked errors. */
  readonly requestId: string;
  /** When the credential expires (epoch ms); long-lived sessions (graphql-ws) end then. */
  readonly expiresAt?: number;
}

export type AuthMode = 'development' | 'jwt';

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export function developmentContext(requestId: string): AuthContext {
  return {
    principal: 'development-user',
    roles: ROLES,
    tenant: { name: '*' },
    method: 'development',
    requestId,
  };
}

/** The context of netweave's own components calling each other (router → subgraphs). */
export function internalContext(requestId: string): AuthContext {
  return {
    principal: 'netweave-internal',
    roles: ROLES,
    tenant: { name: '*' },
    method: 'internal',
    requestId,
  };
}
