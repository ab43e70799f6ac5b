/**
 * Deployment policy (docs/dms.md "Policy"), checked by the lifecycle service before
 * an occurrence exists: a request that would break a rule is refused with 422 naming the rule, and
 * nothing is created on the cluster. Rules come from configuration (`dms.policy`, docs/dms.md).
 *
 * Replicas are counted from the VNFD (each VDU's replicas at the target scale levels or instantiation
 * level), not from a rendered chart; instances are the tenant's INSTANTIATED ones (and those being
 * instantiated). Operators (tenant scope `*`) are bound by forbidden namespaces only.
 */
import { DmsError } from '../errors.ts';
import type { VnfInstanceRecord } from './records.ts';

export interface TenantPolicy {
  /** Instances INSTANTIATED at once. */
  readonly maxInstances?: number | undefined;
  /** Replicas (pods of all VDUs) of all the tenant's instances together. */
  readonly maxReplicas?: number | undefined;
  /** Clusters (cluster ids) the tenant may deploy to; absent = every cluster. */
  readonly allowedClusters?: readonly string[] | undefined;
}

export interface DmsPolicy {
  /** Namespaces no instantiation may use (e.g. kube-system). */
  readonly forbiddenNamespaces?: readonly string[] | undefined;
  /** Rules of a tenant by its name; `default` applies to tenants not listed. */
  readonly tenants?: Readonly<Record<string, TenantPolicy>> | undefined;
  readonly default?: TenantPolicy | undefined;
}

export interface PolicyQuestion {
  readonly tenant: string;
  readonly clusterId: string;
  /** Namespace of an instantiation. */
  readonly namespace?: string;
  /** The instance the request is about (excluded from the tenant's current totals). */
  readonly instanceId: string;
  /** Replicas of the instance after the request. */
  readonly replicas: number;
  /** True for an instantiation (adds an instance). */
  readonly addsInstance: boolean;
}

function refuse(rule: string, detail: string): DmsError {
  return new DmsError('UNPROCESSABLE', `refused by policy rule ${rule}: ${detail}`);
}

/** Replicas an instantiated instance runs now: its VNFCs. */
function replicasOf(instance: VnfInstanceRecord): number {
  return instance.instantiatedVnfInfo?.vnfcResourceInfo?.length ?? 0;
}

export function checkPolicy(
  policy: DmsPolicy | undefined,
  question: PolicyQuestion,
  instances: readonly VnfInstanceRecord[],
): void {
  if (policy === undefined) return;
  if (question.namespace !== undefined && (policy.forbiddenNamespaces ?? []).includes(question.namespace))
    throw refuse('forbiddenNamespaces', `namespace ${question.namespace} is reserved`);
  if (question.tenant === '*') return;
  const rules = policy.tenants?.[question.tenant] ?? policy.default;
  if (rules === undefined) return;
  const scope = question.tenant === '' ? 'the tenant' : `tenant ${question.tenant}`;
  if (rules.allowedClusters !== undefined && !rules.allowedClusters.includes(question.clusterId))
    throw refuse('allowedClusters', `${scope} may not deploy to cluster ${question.clusterId}`);
  const others = instances.filter(
    (i) =>
      i.tenant === question.tenant &&
      i.id !== question.instanceId &&
      (i.instantiationState === 'INSTANTIATED' || i.activeOccurrenceId !== undefined),
  );
  if (question.addsInstance && rules.maxInstances !== undefined) {
    const count = others.length + 1;
    if (count > rules.maxInstances)
      throw refuse('maxInstances', `${scope} would have ${count} instances, more than ${rules.maxInstances}`);
  }
  if (rules.maxReplicas !== undefined) {
    const total = others.reduce((sum, i) => sum + replicasOf(i), 0) + question.replicas;
    if (total > rules.maxReplicas)
      throw refuse('maxReplicas', `${scope} would run ${total} replicas, more than ${rules.maxReplicas}`);
  }
}
