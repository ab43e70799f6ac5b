/**
 * Deployment policy (docs/dms.md "Policy"): the rules an LCM operation must keep, evaluated by the cluster's
 * job runner while the occurrence is STARTING (subgraphs/cluster/deployments/policy-gate.ts). A refusal ends
 * the occurrence ROLLED_BACK with an `error` naming the rule as `<policyId>.<rule path>`, before anything is
 * created on the cluster.
 *
 * A policy is one document; every policy whose `appliesTo` matches the request applies, and all of them must
 * hold. Quotas count the chart as rendered (`helm template`), so values that raise replicas or requests are
 * seen; usage of the other instances comes from what their own operations were admitted with (policy-store.ts).
 * This module is pure: the documents' schema and the evaluation.
 */
import { z } from 'zod';
import { parseQuantity } from '../../common/quantity.ts';

/** A Kubernetes quantity as text ("4", "500m", "8Gi"). */
const quantity = z
  .string()
  .min(1)
  .max(64)
  .refine((text) => parseQuantity(text) !== undefined && parseQuantity(text)! >= 0, {
    message: 'must be a non-negative Kubernetes quantity such as "4", "500m" or "8Gi"',
  });

const names = z.array(z.string().min(1).max(253)).max(1000);

const quotaSchema = z
  .object({
    /** Instances INSTANTIATED (or being instantiated) at once. */
    maxInstances: z.number().int().min(0).optional(),
    /** Pods of the rendered workloads (replicas of Deployments, StatefulSets, ReplicaSets; Pods; DaemonSets per node). */
    maxReplicas: z.number().int().min(0).optional(),
    /** Sum of the pods' CPU requests. */
    maxCpu: quantity.optional(),
    /** Sum of the pods' memory requests. */
    maxMemory: quantity.optional(),
  })
  .strict();

const placementSchema = z
  .object({
    /** Cluster ids the matched requests may deploy to. */
    allowedClusters: names.optional(),
    /** Resource pools (the node label value that names the pool, e.g. `general`): a Ready node in one is required. */
    allowedResourcePools: names.optional(),
    /** O-Cloud sites (site names or oCloudSiteIds) whose clusters may be used. */
    allowedSites: names.optional(),
    /** Labels a Ready node of the target cluster must carry (all of them, on one node). */
    requiredNodeLabels: z.record(z.string().min(1).max(317), z.string().max(63)).optional(),
    /** Extended resources a Ready node must offer (allocatable > 0), e.g. `nvidia.com/gpu`. */
    requiredAccelerators: names.optional(),
  })
  .strict();

export const POLICY_ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The body of `PUT /netweave/v1/policies/{policyId}` (policyId optional in the body; it must match the path). */
export const policyBodySchema = z
  .object({
    policyId: z.string().regex(POLICY_ID, 'must be a DNS label (a-z, 0-9, -)').optional(),
    description: z.string().max(1000).optional(),
    /** Which requests the policy governs; absent fields match everything. */
    appliesTo: z
      .object({
        tenants: names.optional(),
        vnfdIds: names.optional(),
        vnfProviders: names.optional(),
        vnfProductNames: names.optional(),
      })
      .strict()
      .optional(),
    /** Namespaces no matched request may deploy into. */
    forbiddenNamespaces: names.optional(),
    quotas: z
      .object({
        /** Summed over the instances of the requesting tenant (all clusters). */
        perTenant: quotaSchema.optional(),
        /** Summed over the instances in the target namespace of the target cluster (all tenants). */
        perNamespace: quotaSchema.optional(),
      })
      .strict()
      .optional(),
    placement: placementSchema.optional(),
  })
  .strict();

export type PolicyBody = z.infer<typeof policyBodySchema>;
export type PolicyQuota = z.infer<typeof quotaSchema>;
export type DmsPolicy = PolicyBody & { readonly policyId: string };

/** A bad policy document: `path` names the offending field (`quotas.perTenant.maxCpu`). */
export class PolicyValidationError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path === '' ? 'the policy' : path}: ${reason}`);
    this.name = 'PolicyValidationError';
  }
}

/** Validates a policy body for `policyId`; throws PolicyValidationError naming the first bad path. */
export function parsePolicy(policyId: string, body: unknown): DmsPolicy {
  if (!POLICY_ID.test(policyId))
    throw new PolicyValidationError('policyId', 'must be a DNS label (a-z, 0-9, -; at most 63 characters)');
  const parsed = policyBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    const reason =
      issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
    throw new PolicyValidationError(path, reason);
  }
  if (parsed.data.policyId !== undefined && parsed.data.policyId !== policyId)
    throw new PolicyValidationError('policyId', `must be the policyId of the path (${policyId}) or absent`);
  return { ...parsed.data, policyId };
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation

/** What a Kubernetes workload set asks for (rendered chart, or an instance's admitted usage). */
export interface ResourceFootprint {
  readonly replicas: number;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
}

/** An instance counted against the quotas (not the one being decided). */
export interface InstanceUsage extends ResourceFootprint {
  readonly instanceId: string;
  readonly tenant: string;
  readonly clusterId: string;
  readonly namespace: string;
}

/** A Ready node of the target cluster, as placement sees it. */
export interface PlacementNode {
  readonly labels: Readonly<Record<string, string>>;
  /** Extended resources with allocatable > 0. */
  readonly accelerators: readonly string[];
  /** The node's resource pool name. */
  readonly pool: string;
}

export interface PolicyRequest {
  readonly tenant: string;
  readonly clusterId: string;
  readonly namespace: string;
  readonly vnfdId: string;
  readonly vnfProvider: string;
  readonly vnfProductName: string;
  readonly instanceId: string;
  /** An instantiation (adds an instance to the counts); day-2 operations replace the instance's footprint. */
  readonly addsInstance: boolean;
  /** The instance after the operation, from the rendered chart. */
  readonly footprint: ResourceFootprint;
  /** Checked only for instantiations: day-2 operations keep their cluster. */
  readonly placement?: {
    /** The target cluster's site: its name and its oCloudSiteId. */
    readonly site: { readonly name: string; readonly id: string };
    readonly readyNodes: readonly PlacementNode[];
  };
}

export interface PolicyRefusal {
  /** `<policyId>.<rule path>`, e.g. `demo-quota.quotas.perTenant.maxReplicas`. */
  readonly rule: string;
  readonly detail: string;
}

function applies(policy: DmsPolicy, request: PolicyRequest): boolean {
  const scope = policy.appliesTo;
  if (scope === undefined) return true;
  const within = (list: readonly string[] | undefined, value: string): boolean =>
    list === undefined || list.includes(value);
  return (
    within(scope.tenants, request.tenant) &&
    within(scope.vnfdIds, request.vnfdId) &&
    within(scope.vnfProviders, request.vnfProvider) &&
    within(scope.vnfProductNames, request.vnfProductName)
  );
}

function cpuText(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

function memoryText(bytes: number): string {
  const mi = bytes / 2 ** 20;
  return Number.isInteger(mi) ? `${mi}Mi` : `${bytes}`;
}

function checkQuota(
  rule: string,
  quota: PolicyQuota | undefined,
  scope: string,
  counted: readonly InstanceUsage[],
  request: PolicyRequest,
): PolicyRefusal | undefined {
  if (quota === undefined) return undefined;
  const sum = (pick: (u: ResourceFootprint) => number): number =>
    counted.reduce((total, usage) => total + pick(usage), 0) + pick(request.footprint);
  const instances = counted.length + 1;
  if (request.addsInstance && quota.maxInstances !== undefined && instances > quota.maxInstances)
    return {
      rule: `${rule}.maxInstances`,
      detail: `${scope} would have ${instances} instances, more than ${quota.maxInstances}`,
    };
  const replicas = sum((u) => u.replicas);
  if (quota.maxReplicas !== undefined && replicas > quota.maxReplicas)
    return {
      rule: `${rule}.maxReplicas`,
      detail: `${scope} would run ${replicas} replicas, more than ${quota.maxReplicas}`,
    };
  if (quota.maxCpu !== undefined) {
    const limit = Math.round(parseQuantity(quota.maxCpu)! * 1000);
    const cpu = sum((u) => u.cpuMillis);
    if (cpu > limit)
      return {
        rule: `${rule}.maxCpu`,
        detail: `${scope} would request ${cpuText(cpu)} CPU, more than ${quota.maxCpu}`,
      };
  }
  if (quota.maxMemory !== undefined) {
    const limit = Math.round(parseQuantity(quota.maxMemory)!);
    const memory = sum((u) => u.memoryBytes);
    if (memory > limit)
      return {
        rule: `${rule}.maxMemory`,
        detail: `${scope} would request ${memoryText(memory)} of memory, more than ${quota.maxMemory}`,
      };
  }
  return undefined;
}

function checkPlacement(policy: DmsPolicy, request: PolicyRequest): PolicyRefusal | undefined {
  const rules = policy.placement;
  const target = request.placement;
  if (rules === undefined || target === undefined) return undefined;
  const at = `${policy.policyId}.placement`;
  if (rules.allowedClusters !== undefined && !rules.allowedClusters.includes(request.clusterId))
    return { rule: `${at}.allowedClusters`, detail: `cluster ${request.clusterId} is not allowed` };
  if (
    rules.allowedSites !== undefined &&
    !rules.allowedSites.includes(target.site.name) &&
    !rules.allowedSites.includes(target.site.id)
  )
    return {
      rule: `${at}.allowedSites`,
      detail: `cluster ${request.clusterId} is at site ${target.site.name}, which is not allowed`,
    };
  let nodes = target.readyNodes;
  if (rules.allowedResourcePools !== undefined) {
    const pools = rules.allowedResourcePools;
    nodes = nodes.filter((n) => pools.includes(n.pool));
    if (nodes.length === 0)
      return {
        rule: `${at}.allowedResourcePools`,
        detail: `cluster ${request.clusterId} has no Ready node in resource pool(s) ${pools.join(', ')}`,
      };
  }
  const labels = Object.entries(rules.requiredNodeLabels ?? {});
  if (labels.length > 0) {
    nodes = nodes.filter((n) => labels.every(([key, value]) => n.labels[key] === value));
    if (nodes.length === 0)
      return {
        rule: `${at}.requiredNodeLabels`,
        detail: `cluster ${request.clusterId} has no Ready node labelled ${labels.map(([k, v]) => `${k}=${v}`).join(', ')}`,
      };
  }
  const accelerators = rules.requiredAccelerators ?? [];
  if (accelerators.length > 0 && !nodes.some((n) => accelerators.every((a) => n.accelerators.includes(a))))
    return {
      rule: `${at}.requiredAccelerators`,
      detail: `cluster ${request.clusterId} has no Ready node offering ${accelerators.join(', ')}`,
    };
  return undefined;
}

/**
 * The first rule the request breaks, or undefined when every applicable policy holds. Policies are taken in
 * policyId order, and within one: forbidden namespaces, placement, per-tenant then per-namespace quotas.
 */
export function evaluatePolicies(
  policies: readonly DmsPolicy[],
  request: PolicyRequest,
  others: readonly InstanceUsage[],
): PolicyRefusal | undefined {
  const counted = others.filter((u) => u.instanceId !== request.instanceId);
  const sameTenant = counted.filter((u) => u.tenant === request.tenant);
  const sameNamespace = counted.filter(
    (u) => u.clusterId === request.clusterId && u.namespace === request.namespace,
  );
  const tenantText = request.tenant === '*' ? 'the operators (tenant *)' : `tenant ${request.tenant}`;
  for (const policy of [...policies].sort((a, b) => (a.policyId < b.policyId ? -1 : 1))) {
    if (!applies(policy, request)) continue;
    if (request.addsInstance && (policy.forbiddenNamespaces ?? []).includes(request.namespace))
      return {
        rule: `${policy.policyId}.forbiddenNamespaces`,
        detail: `namespace ${request.namespace} is reserved`,
      };
    const refusal =
      checkPlacement(policy, request) ??
      checkQuota(
        `${policy.policyId}.quotas.perTenant`,
        policy.quotas?.perTenant,
        tenantText,
        sameTenant,
        request,
      ) ??
      checkQuota(
        `${policy.policyId}.quotas.perNamespace`,
        policy.quotas?.perNamespace,
        `namespace ${request.namespace} of cluster ${request.clusterId}`,
        sameNamespace,
        request,
      );
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}

/** The ProblemDetails `detail` of a refusal: the rule first, so clients can match it. */
export function refusalDetail(refusal: PolicyRefusal): string {
  return `refused by policy rule ${refusal.rule}: ${refusal.detail}`;
}

/** The `dms.policies` configuration entries as policies; a bad one fails start-up naming its path. */
export function configuredPolicies(entries: readonly { readonly policyId: string }[]): DmsPolicy[] {
  return entries.map((entry, index) => {
    const { policyId, ...body } = entry;
    try {
      return parsePolicy(policyId, body);
    } catch (error) {
      if (error instanceof PolicyValidationError)
        throw new Error(`dms.policies[${index}] (${policyId}): ${error.message}`, { cause: error });
      throw error;
    }
  });
}
