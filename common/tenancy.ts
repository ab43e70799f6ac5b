/**
 * Tenant scoping of clusters and namespaces (docs/security.md "Tenants"). A caller's `TenantScope` (common/auth.ts)
 * says which clusters — and, for namespaced objects (pods, workloads, DMS deployments), which namespaces — the
 * caller may see. It is resolved ONCE, when the caller is authenticated (`tenantScopeOf`), and then travels with
 * the auth context: the shard executor only fans out to the shards of visible clusters, the hub filters alarms
 * and events by their cluster, cluster subgraphs filter namespaced objects, and webhook subscriptions store the
 * scope of their creator. Every check asks `seesCluster` / `seesNamespace`, so the rule is written once.
 *
 * Shared, O-Cloud level objects (the O-Cloud, resource types, alarms of no cluster) are not scoped.
 */
import type { TenantScope } from './auth.ts';

/** `auth.tenancy` in jwt mode (common/config.ts). */
export interface TenancyConfig {
  /** Clusters and namespaces assigned to each tenant. Unset: tenancy scoping is off (every tenant sees all). */
  readonly tenants?: Readonly<Record<string, TenantAssignment>> | undefined;
  /** What a tenant missing from `tenants` sees when `tenants` is set: nothing (default) or everything. */
  readonly unlistedTenants: 'none' | 'all';
  /** Token claims (lists of strings) that narrow the scope of one token; never widen it. */
  readonly clustersClaim: string;
  readonly namespacesClaim: string;
}

export interface TenantAssignment {
  /** Cluster ids; unset = every cluster. */
  readonly clusters?: readonly string[] | undefined;
  /** Namespaces of namespaced objects on those clusters; unset = every namespace. */
  readonly namespaces?: readonly string[] | undefined;
}

/** A tenant scope as checked: the auth context's, or a stored subscription's. */
export type ScopeLike = { readonly name: string } & StoredScope;

const NOTHING: TenantAssignment = { clusters: [], namespaces: [] };

/** Whether the scope restricts anything (false for operators, `*`, and unscoped tenants). */
export function isScoped(scope: ScopeLike): boolean {
  return scope.name !== '*' && (scope.clusters !== undefined || scope.namespaces !== undefined);
}

/**
 * Whether a caller of this scope may see objects of a cluster. `null`/`undefined` cluster: an O-Cloud level
 * object (the O-Cloud, alarms raised by no cluster), visible to all.
 */
export function seesCluster(scope: ScopeLike, clusterId: string | null | undefined): boolean {
  if (scope.name === '*' || scope.clusters === undefined || clusterId == null) return true;
  return scope.clusters.includes(clusterId);
}

/** Whether a caller may see a namespaced object of a visible cluster. Cluster-scoped objects pass `undefined`. */
export function seesNamespace(scope: ScopeLike, namespace: string | null | undefined): boolean {
  if (scope.name === '*' || scope.namespaces === undefined || namespace == null) return true;
  return scope.namespaces.includes(namespace);
}

/** Both checks for an object of a cluster and, when namespaced, a namespace. */
export function seesObject(
  scope: ScopeLike,
  object: { readonly clusterId?: string | null; readonly namespace?: string | null },
): boolean {
  return seesCluster(scope, object.clusterId) && seesNamespace(scope, object.namespace);
}

function stringList(value: unknown): readonly string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function intersect(
  configured: readonly string[] | undefined,
  claimed: readonly string[] | undefined,
): readonly string[] | undefined {
  if (claimed === undefined) return configured;
  if (configured === undefined) return claimed;
  return configured.filter((item) => claimed.includes(item));
}

/**
 * The scope of a token of tenant `name`: the configured assignment (or the unlisted default) narrowed by the
 * token's cluster/namespace claims when it carries them (claims narrow, never widen). `*` (operators) is never
 * narrowed.
 */
export function tenantScopeOf(
  tenancy: TenancyConfig,
  name: string,
  claims: Readonly<Record<string, unknown>> = {},
): TenantScope {
  // Operators see every tenant's clusters; neither configuration nor claims narrow `*`.
  if (name === '*') return { name };
  const configured: TenantAssignment =
    tenancy.tenants === undefined
      ? {}
      : (tenancy.tenants[name] ?? (tenancy.unlistedTenants === 'all' ? {} : NOTHING));
  const clusters = intersect(configured.clusters, stringList(claims[tenancy.clustersClaim]));
  const namespaces = intersect(configured.namespaces, stringList(claims[tenancy.namespacesClaim]));
  return {
    name,
    ...(clusters === undefined ? {} : { clusters }),
    ...(namespaces === undefined ? {} : { namespaces }),
  };
}

/** The part of a scope stored with a webhook subscription (its creator's scope at creation). */
export interface StoredScope {
  readonly clusters?: readonly string[] | undefined;
  readonly namespaces?: readonly string[] | undefined;
}

/** The `scope` field of a new subscription created by a caller of this scope (none when unscoped). */
export function scopeField(scope: TenantScope): {
  scope?: { clusters?: string[]; namespaces?: string[] };
} {
  if (!isScoped(scope)) return {};
  return {
    scope: {
      ...(scope.clusters === undefined ? {} : { clusters: [...scope.clusters] }),
      ...(scope.namespaces === undefined ? {} : { namespaces: [...scope.namespaces] }),
    },
  };
}
