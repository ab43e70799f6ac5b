/**
 * Turns a request's credentials into an AuthContext (docs/architecture.md "Security"). One function for REST, GraphQL over
 * HTTP and graphql-ws connection params.
 *
 * - development: no checks; every caller is the `development-user` with all roles. The gateway logs a
 *   warning at start-up: this is an explicit, loud setting.
 * - jwt: an OAuth2 bearer token verified with jose against a JWKS (URL or file). `exp`, the configured issuer
 *   and audience are required; a lifetime over `maxTokenLifetimeSeconds` is refused; roles and tenant come
 *   from configurable claims, and a token without a tenant gets `defaultTenant` or is refused
 *   (docs/security.md "Tokens"); the tenant's clusters and namespaces are resolved here, once (common/tenancy.ts).
 *   Permissions are checked by common/authorization.ts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  jwtVerify,
  type JWTVerifyGetKey,
  type JWTPayload,
} from 'jose';
import { AuthError, developmentContext, ROLES, type AuthContext, type Role } from './auth.ts';
import type { GatewayConfig } from './config.ts';
import { tenantScopeOf } from './tenancy.ts';

export type Authenticator = (authorization: string | undefined, requestId?: string) => Promise<AuthContext>;

export function createAuthenticator(
  auth: GatewayConfig['auth'],
  now: () => number = Date.now,
): Authenticator {
  if (auth.mode === 'development') {
    return async (_authorization, requestId = randomUUID()) => developmentContext(requestId);
  }
  let keys: JWTVerifyGetKey;
  if (auth.jwksUrl) keys = createRemoteJWKSet(new URL(auth.jwksUrl));
  else if (auth.jwksFile) keys = createLocalJWKSet(JSON.parse(readFileSync(auth.jwksFile, 'utf8')) as never);
  else throw new Error('auth.mode jwt needs auth.jwksUrl or auth.jwksFile');

  return async (authorization, requestId = randomUUID()) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new AuthError(401, 'a bearer token is required');
    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(match[1]!, keys, {
        issuer: auth.issuer,
        audience: auth.audience,
        requiredClaims: ['exp'],
        clockTolerance: auth.clockToleranceSeconds,
        currentDate: new Date(now()),
      });
      payload = verified.payload;
    } catch {
      throw new AuthError(401, 'the bearer token is invalid or expired');
    }
    const exp = payload.exp!;
    const issuedAt = typeof payload.iat === 'number' ? payload.iat : Math.floor(now() / 1000);
    if (exp - issuedAt > auth.maxTokenLifetimeSeconds) {
      throw new AuthError(401, `the bearer token lives longer than ${auth.maxTokenLifetimeSeconds} s`);
    }
    const claimedRoles = payload[auth.rolesClaim];
    const roles = (Array.isArray(claimedRoles) ? claimedRoles : []).filter((r): r is Role =>
      (ROLES as readonly unknown[]).includes(r),
    );
    const claimedTenant = payload[auth.tenantClaim];
    const tenant =
      typeof claimedTenant === 'string' && claimedTenant.length > 0 ? claimedTenant : auth.defaultTenant;
    if (tenant === undefined) throw new AuthError(401, `the bearer token has no "${auth.tenantClaim}" claim`);
    if (payload.sub === undefined) throw new AuthError(401, 'the bearer token has no "sub" claim');
    return {
      principal: payload.sub,
      roles,
      tenant: tenantScopeOf(auth.tenancy, tenant, payload),
      method: 'bearer',
      requestId,
      expiresAt: exp * 1000,
    };
  };
}
