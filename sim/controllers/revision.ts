/**
 * The revision identity of a pod template, as the workload controllers label pods with it
 * (`pod-template-hash` for Deployments' ReplicaSets, `controller-revision-hash` for StatefulSets and
 * DaemonSets). Like Kubernetes it is a hash of the template, so the same template always gives the same
 * name and a changed template a new one; the scenario expansion uses it too, so fixture pods are
 * recognised as up to date.
 */
import { createHash } from 'node:crypto';
import { SUFFIX_ALPHABET } from '../store/metadata.ts';
import { isPlainObject } from '../types.ts';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const CONTROLLER_REVISION_HASH = 'controller-revision-hash';

/** JSON with object keys sorted, so key order never changes a hash. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value))
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** A template without the revision labels the controllers add themselves. */
export function withoutRevisionLabels(template: unknown): unknown {
  if (!isPlainObject(template) || !isPlainObject(template['metadata'])) return template;
  const labels = template['metadata']['labels'];
  if (!isPlainObject(labels)) return template;
  const rest = Object.fromEntries(
    Object.entries(labels).filter(([key]) => key !== POD_TEMPLATE_HASH && key !== CONTROLLER_REVISION_HASH),
  );
  return { ...template, metadata: { ...template['metadata'], labels: rest } };
}

/** 10 characters of the API server's name-suffix alphabet, derived from the template (and a collision count). */
export function templateHash(template: unknown, collisionCount = 0): string {
  const digest = createHash('sha256')
    .update(canonical(withoutRevisionLabels(template)))
    .update(String(collisionCount))
    .digest();
  let out = '';
  for (let i = 0; i < 10; i++) out += SUFFIX_ALPHABET[digest[i]! % SUFFIX_ALPHABET.length];
  return out;
}

/** Whether two templates are the same apart from the revision labels (how a Deployment finds its new ReplicaSet). */
export function sameTemplate(a: unknown, b: unknown): boolean {
  return canonical(withoutRevisionLabels(a)) === canonical(withoutRevisionLabels(b));
}
