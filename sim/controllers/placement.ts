/**
 * Whether a pod may go on a node, apart from resources: nodeSelector, required node affinity, taints and
 * tolerations. Shared by the scheduler and the DaemonSet controller (which decides where daemon pods
 * should exist), as in Kubernetes.
 */
import type { KubeObject } from '../types.ts';
import type { Json } from './json-access.ts';
import { record, records, specOf, statusOf, strings } from './json-access.ts';

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

export function nodeReady(node: KubeObject): boolean {
  return records(statusOf(node)['conditions']).some((c) => c['type'] === 'Ready' && c['status'] === 'True');
}

/**
 * The node's taints plus the ones the node lifecycle controller would add (TaintNodesByCondition): a node
 * that is not Ready is `not-ready:NoSchedule` (unless already tainted unreachable), a cordoned one
 * `unschedulable:NoSchedule`.
 */
export function effectiveTaints(node: KubeObject): Taint[] {
  const spec = specOf(node);
  const taints: Taint[] = records(spec['taints']).flatMap((t) =>
    typeof t['key'] === 'string' && typeof t['effect'] === 'string'
      ? [
          {
            key: t['key'],
            effect: t['effect'],
            ...(typeof t['value'] === 'string' ? { value: t['value'] } : {}),
          },
        ]
      : [],
  );
  const has = (key: string): boolean => taints.some((t) => t.key === key && t.effect === 'NoSchedule');
  if (!nodeReady(node) && !has(NOT_READY_TAINT) && !has(UNREACHABLE_TAINT))
    taints.push({ key: NOT_READY_TAINT, effect: 'NoSchedule' });
  if (spec['unschedulable'] === true && !has(UNSCHEDULABLE_TAINT))
    taints.push({ key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' });
  return taints;
}

export function tolerates(tolerations: readonly Json[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (typeof t['effect'] === 'string' && t['effect'] !== '' && t['effect'] !== taint.effect) return false;
    const operator = t['operator'] === 'Exists' ? 'Exists' : 'Equal';
    const key = typeof t['key'] === 'string' ? t['key'] : '';
    if (key === '') return operator === 'Exists';
    if (key !== taint.key) return false;
    return (
      operator === 'Exists' || (typeof t['value'] === 'string' ? t['value'] : '') === (taint.value ?? '')
    );
  });
}

/** The first taint with one of `effects` that the pod spec does not tolerate. */
export function untoleratedTaint(
  podSpec: Json,
  node: KubeObject,
  effects: readonly string[],
): Taint | undefined {
  const tolerations = records(podSpec['tolerations']);
  return effectiveTaints(node).find((t) => effects.includes(t.effect) && !tolerates(tolerations, t));
}

function matchesRequirement(requirement: Json, value: string | undefined): boolean {
  const values = Array.isArray(requirement['values']) ? requirement['values'].map(String) : [];
  switch (requirement['operator']) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution node affinity (terms ORed, requirements ANDed). */
export function matchesNode(podSpec: Json, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = strings(podSpec['nodeSelector']);
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
  const required = record(
    record(record(podSpec['affinity'])['nodeAffinity'])['requiredDuringSchedulingIgnoredDuringExecution'],
  );
  const terms = records(required['nodeSelectorTerms']);
  if (terms.length === 0) return true;
  return terms.some((term) => {
    const expressions = records(term['matchExpressions']);
    const fields = records(term['matchFields']);
    if (expressions.length === 0 && fields.length === 0) return false;
    return (
      expressions.every((r) =>
        matchesRequirement(r, typeof r['key'] === 'string' ? labels[r['key']] : undefined),
      ) &&
      fields.every((r) =>
        matchesRequirement(r, r['key'] === 'metadata.name' ? node.metadata.name : undefined),
      )
    );
  });
}

/** The node a DaemonSet pod is pinned to through its `metadata.name` matchFields affinity. */
export function pinnedNode(podSpec: Json): string | undefined {
  const required = record(
    record(record(podSpec['affinity'])['nodeAffinity'])['requiredDuringSchedulingIgnoredDuringExecution'],
  );
  for (const term of records(required['nodeSelectorTerms']))
    for (const field of records(term['matchFields']))
      if (field['key'] === 'metadata.name' && field['operator'] === 'In' && Array.isArray(field['values']))
        return String(field['values'][0]);
  return undefined;
}
