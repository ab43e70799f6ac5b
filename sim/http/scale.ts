/** The `/scale` subresource: an autoscaling/v1 Scale view of a workload's replica count. */
import { invalid } from '../errors.ts';
import type { ResourceType, ScaleSubresource } from '../resources/resource-type.ts';
import type { KubeObject } from '../types.ts';
import { isPlainObject } from '../types.ts';

function getPath(object: unknown, path: string): unknown {
  let current = object;
  for (const segment of path.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = current[segment];
  }
  return current;
}

/** A copy of `object` with `value` at the dotted `path` (intermediate maps are copied, never mutated). */
export function setPath(object: unknown, path: readonly string[], value: unknown): Record<string, unknown> {
  const base = isPlainObject(object) ? { ...object } : {};
  const [head, ...rest] = path;
  if (head === undefined) return base;
  base[head] = rest.length === 0 ? value : setPath(base[head], rest, value);
  return base;
}

function selectorString(selector: unknown): string {
  if (typeof selector === 'string') return selector;
  if (!isPlainObject(selector)) return '';
  const labels = isPlainObject(selector['matchLabels']) ? selector['matchLabels'] : {};
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

export function toScale(scale: ScaleSubresource, object: KubeObject): KubeObject {
  const metadata: KubeObject['metadata'] = { name: object.metadata.name };
  for (const key of ['namespace', 'uid', 'resourceVersion', 'creationTimestamp'] as const) {
    const value = object.metadata[key];
    if (value !== undefined) metadata[key] = value;
  }
  const status: Record<string, unknown> = { replicas: getPath(object, scale.statusReplicasPath) ?? 0 };
  if (scale.labelSelectorPath !== undefined)
    status['selector'] = selectorString(getPath(object, scale.labelSelectorPath));
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: { replicas: getPath(object, scale.specReplicasPath) ?? 0 },
    status,
  };
}

/** The replica count a Scale written by a client asks for. */
export function requestedReplicas(type: ResourceType, name: string, scale: unknown): number {
  const replicas =
    isPlainObject(scale) && isPlainObject(scale['spec']) ? scale['spec']['replicas'] : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid(type, name, 'spec.replicas', 'Invalid value: must be a non-negative integer');
  }
  return replicas;
}
