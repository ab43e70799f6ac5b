/**
 * The one authorization model (docs/security.md): a table from permissions to the roles that hold them. REST
 * routes, the admin API, GraphQL fields (router/graphql-authorization.ts maps schema coordinates to these
 * permissions) and graphql-ws subscriptions all ask `can` / `requirePermission`, so a role means the same thing
 * on every path. New APIs (the DMS REST) add a permission here and call `requirePermission` in their handlers.
 */
import { AuthError, ROLES, type AuthContext, type Role } from './auth.ts';

export const PERMISSIONS = {
  /** API version documents of every O2 API (discovery): any role. */
  'api:discover': ROLES,
  /** O2 IMS inventory (REST and graph) and the graph's live topology (nodes, pods, workloads). */
  'inventory:read': ['reader', 'maintainer', 'deployer', 'admin'],
  /** Alarms, the alarm service configuration, the alarm dictionaries the alarms refer to. */
  'alarms:read': ['reader', 'maintainer', 'admin'],
  /** Acknowledge/clear alarms, change the alarm service configuration, ingest Alertmanager webhooks. */
  'alarms:write': ['maintainer', 'admin'],
  /** O2 inventory and alarm subscriptions (own tenant only). */
  'subscriptions:read': ['reader', 'subscriber', 'admin'],
  'subscriptions:write': ['subscriber', 'admin'],
  /** SOL003 LCM subscriptions are readable by deployers too (they follow their own operations). */
  'lcm-subscriptions:read': ['reader', 'subscriber', 'deployer', 'admin'],
  /** O2 DMS: NF packages, deployments, operation occurrences. */
  'dms:read': ['reader', 'deployer', 'admin'],
  'dms:write': ['deployer', 'admin'],
  /** Prometheus metrics: any role (a scraper gets a token with one). */
  'metrics:read': ROLES,
  /** Cluster registration, dead letters and every other /netweave/v1 administration path. */
  admin: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesFor(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}

/** Whether the caller holds a role that grants the permission. */
export function can(auth: Pick<AuthContext, 'roles'>, permission: Permission): boolean {
  const granted: readonly Role[] = PERMISSIONS[permission];
  return auth.roles.some((role) => granted.includes(role));
}

/** The 403 detail of a refused action, naming the roles that would be granted it. */
export function deniedDetail(permission: Permission, action: string): string {
  return `${action} needs one of the roles ${rolesFor(permission).join(', ')}`;
}

/**
 * Throws AuthError 403 unless the caller holds the permission; every HTTP adapter maps it to a ProblemDetails
 * 403 (rest-facade/problem.ts) and GraphQL to a FORBIDDEN error.
 */
export function requirePermission(
  auth: Pick<AuthContext, 'roles'>,
  permission: Permission,
  action: string,
): void {
  if (!can(auth, permission)) throw new AuthError(403, deniedDetail(permission, action));
}

/**
 * Whether the tenant of the caller may see an object owned by `ownerTenant`. `*` (operators, development mode)
 * sees every tenant. Callers answer 404 for a refused object, so its existence never leaks.
 */
export function sameTenant(auth: Pick<AuthContext, 'tenant'>, ownerTenant: string | undefined): boolean {
  return auth.tenant.name === '*' || auth.tenant.name === ownerTenant;
}
