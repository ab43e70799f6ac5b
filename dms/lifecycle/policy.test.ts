/**
 * Deployment policy rules (policy.ts): validation naming the bad path, and evaluation of forbidden namespaces,
 * placement (clusters, sites, pools, node labels, accelerators) and per-tenant / per-namespace quotas of
 * instances, replicas, CPU and memory — each refusal naming `<policyId>.<rule>`.
 */
import { describe, expect, it } from 'vitest';
import {
  PolicyValidationError,
  configuredPolicies,
  evaluatePolicies,
  parsePolicy,
  refusalDetail,
  type DmsPolicy,
  type InstanceUsage,
  type PlacementNode,
  type PolicyRequest,
} from './policy.ts';

const GPU_NODE: PlacementNode = {
  labels: { 'netweave.io/pool': 'accel', 'feature.node.kubernetes.io/sriov': 'true' },
  accelerators: ['nvidia.com/gpu'],
  pool: 'accel',
};
const PLAIN_NODE: PlacementNode = { labels: {}, accelerators: [], pool: 'general' };

function request(overrides: Partial<PolicyRequest> = {}): PolicyRequest {
  return {
    tenant: 'red',
    clusterId: 'edge-1',
    namespace: 'ran',
    vnfdId: 'vnfd-1',
    vnfProvider: 'netweave',
    vnfProductName: 'sample',
    instanceId: 'new',
    addsInstance: true,
    footprint: { replicas: 2, cpuMillis: 100, memoryBytes: 32 * 2 ** 20 },
    placement: { site: { name: 'site-a', id: 'site-a-id' }, readyNodes: [PLAIN_NODE, GPU_NODE] },
    ...overrides,
  };
}

function usage(overrides: Partial<InstanceUsage>): InstanceUsage {
  return {
    instanceId: 'other',
    tenant: 'red',
    clusterId: 'edge-1',
    namespace: 'ran',
    replicas: 3,
    cpuMillis: 500,
    memoryBytes: 2 ** 30,
    ...overrides,
  };
}

const ruleOf = (policies: DmsPolicy[], req = request(), others: InstanceUsage[] = []): string | undefined =>
  evaluatePolicies(policies, req, others)?.rule;

describe('policy validation', () => {
  it('accepts a full document and fills the policyId from the path', () => {
    const policy = parsePolicy('full', {
      description: 'everything',
      appliesTo: { tenants: ['red'], vnfdIds: ['vnfd-1'] },
      forbiddenNamespaces: ['kube-system'],
      quotas: { perTenant: { maxInstances: 2, maxReplicas: 10, maxCpu: '4', maxMemory: '8Gi' } },
      placement: { allowedClusters: ['edge-1'], requiredAccelerators: ['nvidia.com/gpu'] },
    });
    expect(policy.policyId).toBe('full');
  });

  it.each([
    [{ quotas: { perTenant: { maxCpu: 'lots' } } }, 'quotas.perTenant.maxCpu'],
    [{ quotas: { perNamespace: { maxReplicas: -1 } } }, 'quotas.perNamespace.maxReplicas'],
    [{ forbiddenNamespaces: 'kube-system' }, 'forbiddenNamespaces'],
    [{ placement: { requiredNodeLabels: { a: 1 } } }, 'placement.requiredNodeLabels.a'],
    [{ quotas: { perTenant: { maxPods: 1 } } }, 'quotas.perTenant'],
    [{ policyId: 'other' }, 'policyId'],
  ])('names the bad path of %j', (body, path) => {
    let caught: unknown;
    try {
      parsePolicy('p', body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PolicyValidationError);
    expect((caught as PolicyValidationError).path).toBe(path);
  });

  it('refuses a policyId that is no DNS label', () => {
    expect(() => parsePolicy('Bad_Id', {})).toThrow(PolicyValidationError);
  });

  it('fails configuration naming the entry', () => {
    expect(() => configuredPolicies([{ policyId: 'ok' }, { policyId: 'bad', quotas: 1 } as never])).toThrow(
      /dms\.policies\[1\] \(bad\): quotas/,
    );
  });
});

describe('policy evaluation', () => {
  it('admits what no rule forbids', () => {
    expect(ruleOf([{ policyId: 'empty' }])).toBeUndefined();
  });

  it('refuses a forbidden namespace for an instantiation, naming the rule', () => {
    const policies = [{ policyId: 'system', forbiddenNamespaces: ['kube-system'] }];
    const refusal = evaluatePolicies(policies, request({ namespace: 'kube-system' }), []);
    expect(refusal?.rule).toBe('system.forbiddenNamespaces');
    expect(refusalDetail(refusal!)).toMatch(/^refused by policy rule system\.forbiddenNamespaces: /);
    expect(ruleOf(policies, request({ namespace: 'kube-system', addsInstance: false }))).toBeUndefined();
  });

  it('applies a policy only to what appliesTo matches', () => {
    const policies: DmsPolicy[] = [
      { policyId: 'blue-only', appliesTo: { tenants: ['blue'] }, forbiddenNamespaces: ['ran'] },
      { policyId: 'other-vnfd', appliesTo: { vnfdIds: ['x'] }, forbiddenNamespaces: ['ran'] },
    ];
    expect(ruleOf(policies)).toBeUndefined();
    expect(ruleOf(policies, request({ tenant: 'blue' }))).toBe('blue-only.forbiddenNamespaces');
  });

  it('checks clusters, sites, pools, node labels and accelerators', () => {
    const place = (placement: DmsPolicy['placement']) => ruleOf([{ policyId: 'p', placement }]);
    expect(place({ allowedClusters: ['edge-2'] })).toBe('p.placement.allowedClusters');
    expect(place({ allowedClusters: ['edge-1'] })).toBeUndefined();
    expect(place({ allowedSites: ['site-b'] })).toBe('p.placement.allowedSites');
    expect(place({ allowedSites: ['site-a-id'] })).toBeUndefined();
    expect(place({ allowedResourcePools: ['storage'] })).toBe('p.placement.allowedResourcePools');
    expect(place({ requiredNodeLabels: { 'feature.node.kubernetes.io/sriov': 'true' } })).toBeUndefined();
    expect(place({ requiredNodeLabels: { zone: 'a' } })).toBe('p.placement.requiredNodeLabels');
    expect(place({ requiredAccelerators: ['nvidia.com/gpu'] })).toBeUndefined();
    // The accelerator must be on a node of an allowed pool.
    expect(place({ allowedResourcePools: ['general'], requiredAccelerators: ['nvidia.com/gpu'] })).toBe(
      'p.placement.requiredAccelerators',
    );
    // Day-2 operations keep their cluster: no placement question.
    expect(
      ruleOf(
        [{ policyId: 'p', placement: { allowedClusters: ['edge-2'] } }],
        (({ placement: _placement, ...rest }) => ({ ...rest, addsInstance: false }))(request()),
      ),
    ).toBeUndefined();
  });

  it('sums per-tenant quotas over the tenant’s other instances only', () => {
    const others = [usage({}), usage({ instanceId: 'blue-1', tenant: 'blue', replicas: 100 })];
    const quota = (perTenant: NonNullable<DmsPolicy['quotas']>['perTenant']) =>
      ruleOf([{ policyId: 'q', quotas: { perTenant } }], request(), others);
    expect(quota({ maxReplicas: 5 })).toBeUndefined();
    expect(quota({ maxReplicas: 4 })).toBe('q.quotas.perTenant.maxReplicas');
    expect(quota({ maxInstances: 1 })).toBe('q.quotas.perTenant.maxInstances');
    expect(quota({ maxCpu: '600m' })).toBeUndefined();
    expect(quota({ maxCpu: '0.5' })).toBe('q.quotas.perTenant.maxCpu');
    expect(quota({ maxMemory: '1056Mi' })).toBeUndefined();
    expect(quota({ maxMemory: '1Gi' })).toBe('q.quotas.perTenant.maxMemory');
  });

  it('sums per-namespace quotas over every tenant in that namespace of that cluster', () => {
    const others = [
      usage({ tenant: 'blue', replicas: 4 }),
      usage({ instanceId: 'elsewhere', clusterId: 'edge-2', replicas: 50 }),
      usage({ instanceId: 'other-ns', namespace: 'core', replicas: 50 }),
    ];
    const policies = [{ policyId: 'ns', quotas: { perNamespace: { maxReplicas: 6 } } }];
    expect(ruleOf(policies, request(), others)).toBeUndefined();
    expect(
      ruleOf(policies, request({ footprint: { replicas: 3, cpuMillis: 0, memoryBytes: 0 } }), others),
    ).toBe('ns.quotas.perNamespace.maxReplicas');
  });

  it('counts a day-2 operation as the instance’s new footprint, not in addition to its old one', () => {
    const policies = [{ policyId: 'q', quotas: { perTenant: { maxReplicas: 5, maxInstances: 1 } } }];
    const self = usage({ instanceId: 'new', replicas: 4 });
    const scaled = request({ addsInstance: false, footprint: { replicas: 5, cpuMillis: 0, memoryBytes: 0 } });
    expect(ruleOf(policies, scaled, [self])).toBeUndefined();
    expect(
      ruleOf(policies, { ...scaled, footprint: { replicas: 6, cpuMillis: 0, memoryBytes: 0 } }, [self]),
    ).toBe('q.quotas.perTenant.maxReplicas');
  });
});
