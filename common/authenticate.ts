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
import type { ClientCertificate } from './tls.ts';
import { tenantScopeOf } from './tenancy.ts';

/**
 * `client`: the verified TLS client certificate of the connection, if any. In jwt mode a caller without a bearer
 * token whose certificate's subject CN is listed in `auth.clientCertificates.principals` is that principal.
 */
export type Authenticator = (
  authorization: string | undefined,
  requestId?: string,
  client?: ClientCertificate,
) => Promise<AuthContext>;

/** The role names netweave knows; others (of another application sharing the identity provider) are ignored. */
function knownRoles(names: readonly unknown[]): Role[] {
  return names.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r));
}

/** The request headers that may carry credentials (node's IncomingHttpHeaders satisfies this). */
export interface CredentialHeaders {
  readonly authorization?: string | undefined;
  readonly 'x-auth-token'?: string | string[] | undefined;
}

/**
 * The credentials of an O2 DMS request, as an Authorization value: `Authorization` when present, else the
 * token of `X-Auth-Token` as a bearer token. SOL003 clients built on OpenStack (python-tackerclient through
 * keystoneauth) send their token only in `X-Auth-Token`; the DMS accepts it there so such a client works in jwt
 * mode too (docs/security.md "Authentication"). Only the DMS apiRoots use this: the other APIs take
 * `Authorization` alone. A repeated `X-Auth-Token` is no credential (which one would be meant?).
 */
export function dmsCredentials(headers: CredentialHeaders): string | undefined {
  if (headers.authorization !== undefined) return headers.authorization;
  const token = headers['x-auth-token'];
  if (typeof token !== 'string') return undefined;
  const value = token.trim();
  if (value === '') return undefined;
  // A client that wrote the scheme into the header as well is understood.
  return /^Bearer\s/i.test(value) ? value : `Bearer ${value}`;
}

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

  const certificatePrincipals = auth.clientCertificates.principals;
  return async (authorization, requestId = randomUUID(), client) => {
    // Own keys only: a CN such as "constructor" must not find Object.prototype's members.
    const mapped =
      client?.subjectCN !== undefined && Object.hasOwn(certificatePrincipals, client.subjectCN)
        ? certificatePrincipals[client.subjectCN]
        : undefined;
    if (authorization === undefined && mapped !== undefined && client?.subjectCN !== undefined) {
      return {
        principal: client.subjectCN,
        roles: knownRoles(mapped.roles),
        tenant: { name: mapped.tenant },
        method: 'client-certificate',
        requestId,
      };
    }
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
    const roles = knownRoles(Array.isArray(claimedRoles) ? claimedRoles : []);
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
