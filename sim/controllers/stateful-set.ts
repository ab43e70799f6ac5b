/**
 * The StatefulSet controller: pods `<name>-0 … <name>-(n-1)` with stable identities (hostname, subdomain,
 * pod-name and pod-index labels). OrderedReady (the default) creates them one at a time in ordinal order,
 * each once the previous ones are Running and Ready, and removes the highest ordinal first; Parallel does
 * it all at once. A RollingUpdate replaces pods whose `controller-revision-hash` is not the template's,
 * highest ordinal first and one at a time (down to `partition`). Pods without the label (hand-written
 * fixtures) count as up to date.
 */
import type { KubeObject } from '../types.ts';
import type { ControllerContext } from './context.ts';
import type { Json } from './json-access.ts';
import { desiredReplicas, isDeleting, numberField, record, specOf, statusOf } from './json-access.ts';
import { isActive, isAvailable, isReady, phaseOf, podFromTemplate } from './pods.ts';
import { CONTROLLER_REVISION_HASH, templateHash } from './revision.ts';

export function statefulSetRevision(name: string, template: unknown): string {
  return `${name}-${templateHash(template)}`;
}

function ordinalOf(set: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${set.metadata.name}-`;
  if (!pod.metadata.name.startsWith(prefix)) return undefined;
  const rest = pod.metadata.name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

function revisionOf(pod: KubeObject, updateRevision: string): string {
  return pod.metadata.labels?.[CONTROLLER_REVISION_HASH] ?? updateRevision;
}

const healthy = (pod: KubeObject): boolean => phaseOf(pod) === 'Running' && isReady(pod) && isActive(pod);

export function reconcileStatefulSet(ctx: ControllerContext, set: KubeObject): void {
  if (isDeleting(set)) return;
  const spec = specOf(set);
  const replicas = desiredReplicas(set);
  const template = record(spec['template']);
  const revision = statefulSetRevision(set.metadata.name, template);
  const parallel = spec['podManagementPolicy'] === 'Parallel';
  const strategy = record(spec['updateStrategy']);
  const partition = numberField(record(strategy['rollingUpdate']), 'partition');
  const serviceName = typeof spec['serviceName'] === 'string' ? spec['serviceName'] : undefined;

  const byOrdinal = new Map<number, KubeObject>();
  for (const pod of ctx.owned(set, 'v1', 'Pod')) {
    const ordinal = ordinalOf(set, pod);
    if (ordinal !== undefined && !isDeleting(pod)) byOrdinal.set(ordinal, pod);
  }
  // Finished pods are replaced, as the controller does for Failed/Succeeded members.
  for (const [ordinal, pod] of byOrdinal)
    if (!isActive(pod)) {
      ctx.delete(pod);
      byOrdinal.delete(ordinal);
    }

  const create = (ordinal: number): void => {
    const name = `${set.metadata.name}-${ordinal}`;
    const pod = podFromTemplate({
      owner: set,
      template,
      name,
      labels: {
        [CONTROLLER_REVISION_HASH]: revision,
        'statefulset.kubernetes.io/pod-name': name,
        'apps.kubernetes.io/pod-index': String(ordinal),
      },
      spec: { hostname: name, ...(serviceName === undefined ? {} : { subdomain: serviceName }) },
    });
    byOrdinal.set(ordinal, ctx.create(pod));
  };

  let blocked = false;
  for (let ordinal = 0; ordinal < replicas && !blocked; ordinal++) {
    const pod = byOrdinal.get(ordinal);
    if (pod === undefined) {
      create(ordinal);
      blocked = !parallel;
    } else if (!parallel && !healthy(pod)) blocked = true;
  }
  const condemned = [...byOrdinal.keys()].filter((o) => o >= replicas).sort((a, b) => b - a);
  const allHealthy = (): boolean => [...byOrdinal.values()].every(healthy);
  if (condemned.length > 0 && (parallel || allHealthy() || !blocked)) {
    for (const ordinal of parallel ? condemned : condemned.slice(0, 1)) {
      ctx.delete(byOrdinal.get(ordinal)!);
      byOrdinal.delete(ordinal);
    }
  } else if (condemned.length === 0 && strategy['type'] !== 'OnDelete' && !blocked && allHealthy()) {
    for (let ordinal = replicas - 1; ordinal >= partition; ordinal--) {
      const pod = byOrdinal.get(ordinal);
      if (pod !== undefined && revisionOf(pod, revision) !== revision) {
        ctx.delete(pod);
        byOrdinal.delete(ordinal);
        break;
      }
    }
  }

  const pods = [...byOrdinal.values()];
  const updated = pods.filter((p) => revisionOf(p, revision) === revision).length;
  const previous = statusOf(set);
  const rolledOut = updated === replicas && pods.length === replicas && pods.every(healthy);
  const currentRevision =
    rolledOut || typeof previous['currentRevision'] !== 'string' ? revision : previous['currentRevision'];
  const current = pods.filter((p) => revisionOf(p, revision) === currentRevision).length;
  const ready = pods.filter(isReady).length;
  const available = pods.filter(isAvailable).length;
  const status: Json = {
    observedGeneration: set.metadata.generation ?? 1,
    replicas: pods.length,
    ...Object.fromEntries(
      Object.entries({ readyReplicas: ready, currentReplicas: current, updatedReplicas: updated }).filter(
        ([, v]) => v !== 0,
      ),
    ),
    availableReplicas: available,
    currentRevision,
    updateRevision: revision,
    collisionCount: 0,
  };
  ctx.writeStatus(set, status);
}
