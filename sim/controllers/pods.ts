/** What the controllers need to know about Pods: their state, their requests, and new pods from templates. */
import type { KubeObject } from '../types.ts';
import type { Json } from './json-access.ts';
import {
  isDeleting,
  newControllerRef,
  parseQuantity,
  record,
  records,
  specOf,
  statusOf,
  strings,
} from './json-access.ts';

export function phaseOf(pod: KubeObject): string {
  const phase = statusOf(pod)['phase'];
  return typeof phase === 'string' ? phase : 'Pending';
}

/** Counted by its controller: not finished and not on its way out. */
export function isActive(pod: KubeObject): boolean {
  const phase = phaseOf(pod);
  return phase !== 'Succeeded' && phase !== 'Failed' && !isDeleting(pod);
}

export function nodeNameOf(pod: KubeObject): string | undefined {
  const name = specOf(pod)['nodeName'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}

export function isReady(pod: KubeObject): boolean {
  return records(statusOf(pod)['conditions']).some((c) => c['type'] === 'Ready' && c['status'] === 'True');
}

/** minReadySeconds is not modelled: a ready pod is available. */
export function isAvailable(pod: KubeObject): boolean {
  return isActive(pod) && isReady(pod);
}

/**
 * What the scheduler reserves for a pod: per resource, the larger of the sum over its containers and the
 * largest init container (requests, or limits where only limits are given, as the API server defaults them).
 */
export function podRequests(pod: KubeObject): Map<string, number> {
  const spec = specOf(pod);
  const of = (container: Json): Map<string, number> => {
    const resources = record(container['resources']);
    const wanted = new Map<string, number>();
    for (const [name, value] of Object.entries({
      ...record(resources['limits']),
      ...record(resources['requests']),
    })) {
      const amount = parseQuantity(value);
      if (Number.isFinite(amount)) wanted.set(name, amount);
    }
    return wanted;
  };
  const total = new Map<string, number>();
  for (const container of records(spec['containers']))
    for (const [name, amount] of of(container)) total.set(name, (total.get(name) ?? 0) + amount);
  for (const container of records(spec['initContainers']))
    for (const [name, amount] of of(container)) total.set(name, Math.max(total.get(name) ?? 0, amount));
  return total;
}

export function qosClass(spec: Json): string {
  const containers = [...records(spec['containers']), ...records(spec['initContainers'])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const container of containers) {
    const resources = record(container['resources']);
    const limits = record(resources['limits']);
    const requests = { ...limits, ...record(resources['requests']) };
    // QoS looks at cpu and memory only; extended resources do not make a pod Burstable.
    if (['cpu', 'memory'].some((name) => requests[name] !== undefined)) any = true;
    for (const name of ['cpu', 'memory'])
      if (limits[name] === undefined || parseQuantity(limits[name]) !== parseQuantity(requests[name]))
        guaranteed = false;
  }
  if (guaranteed) return 'Guaranteed';
  return any ? 'Burstable' : 'BestEffort';
}

export interface NewPod {
  readonly owner: KubeObject;
  readonly template: Json;
  readonly name: string;
  /** The prefix the name was generated from (ReplicaSet and DaemonSet pods), kept as the real API keeps it. */
  readonly generateName?: string;
  readonly labels?: Record<string, string>;
  readonly spec?: Json;
}

/** A Pod as a workload controller creates it from its template: owned by `owner`, not yet scheduled. */
export function podFromTemplate(plan: NewPod): KubeObject {
  const templateMeta = record(plan.template['metadata']);
  const annotations = strings(templateMeta['annotations']);
  const spec: Json = {
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    ...structuredClone(record(plan.template['spec'])),
    ...plan.spec,
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: plan.name,
      ...(plan.generateName === undefined ? {} : { generateName: plan.generateName }),
      namespace: plan.owner.metadata.namespace!,
      labels: { ...strings(templateMeta['labels']), ...plan.labels },
      ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
      ownerReferences: [newControllerRef(plan.owner)],
    },
    spec,
    status: { phase: 'Pending', qosClass: qosClass(spec) },
  };
}
