import { describe, expect, it } from 'vitest';
import { scopeField, seesCluster, seesNamespace, tenantScopeOf, type TenancyConfig } from './tenancy.ts';

const TENANCY: TenancyConfig = {
  tenants: { red: { clusters: ['edge-a'], namespaces: ['team-a'] }, blue: { clusters: ['edge-b'] } },
  unlistedTenants: 'none',
  clustersClaim: 'netweave_clusters',
  namespacesClaim: 'netweave_namespaces',
};

describe('tenant scopes', () => {
  it('come from configuration, narrowed (never widened) by the token claims', () => {
    expect(tenantScopeOf(TENANCY, 'red')).toEqual({
      name: 'red',
      clusters: ['edge-a'],
      namespaces: ['team-a'],
    });
    expect(tenantScopeOf(TENANCY, 'green')).toEqual({ name: 'green', clusters: [], namespaces: [] });
    expect(tenantScopeOf({ ...TENANCY, unlistedTenants: 'all' }, 'green')).toEqual({ name: 'green' });
    expect(tenantScopeOf(TENANCY, 'blue', { netweave_clusters: ['edge-a', 'edge-b'] })).toEqual({
      name: 'blue',
      clusters: ['edge-b'],
    });
    expect(tenantScopeOf(TENANCY, 'blue', { netweave_namespaces: ['x'] })).toEqual({
      name: 'blue',
      clusters: ['edge-b'],
      namespaces: ['x'],
    });
    // Without `tenants` scoping is off, but claims still narrow; `*` is never narrowed.
    const off = { ...TENANCY, tenants: undefined };
    expect(tenantScopeOf(off, 'green')).toEqual({ name: 'green' });
    expect(tenantScopeOf(off, 'green', { netweave_clusters: ['edge-a'] })).toEqual({
      name: 'green',
      clusters: ['edge-a'],
    });
    expect(tenantScopeOf(TENANCY, '*', { netweave_clusters: ['edge-a'] })).toEqual({ name: '*' });
    // A malformed claim is ignored, not trusted.
    expect(tenantScopeOf(off, 'green', { netweave_clusters: 'edge-a' })).toEqual({ name: 'green' });
  });

  it('decide visibility of clusters, namespaces and O-Cloud level objects', () => {
    const red = tenantScopeOf(TENANCY, 'red');
    expect(seesCluster(red, 'edge-a')).toBe(true);
    expect(seesCluster(red, 'edge-b')).toBe(false);
    expect(seesCluster(red, null)).toBe(true);
    expect(seesNamespace(red, 'team-a')).toBe(true);
    expect(seesNamespace(red, 'kube-system')).toBe(false);
    expect(seesCluster({ name: '*', clusters: [] }, 'edge-b')).toBe(true);
    expect(scopeField(red)).toEqual({ scope: { clusters: ['edge-a'], namespaces: ['team-a'] } });
    expect(scopeField({ name: '*' })).toEqual({});
  });
});
