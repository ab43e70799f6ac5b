/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods stamped from the template (creating the
 * missing ones, deleting the surplus — unscheduled, then not running, then not ready, then newest first)
 * and reports what the pods really are in its status.
 */
import type { KubeObject } from '../types.ts';
import type { ControllerContext } from './context.ts';
import { desiredReplicas, isDeleting, record, specOf, statusOf } from './json-access.ts';
import { isActive, isAvailable, isReady, nodeNameOf, phaseOf, podFromTemplate } from './pods.ts';

/** Lower sorts first: the pods a scale-down removes before the others. */
function deletionRank(pod: KubeObject): number {
  if (nodeNameOf(pod) === undefined) return 0;
  if (phaseOf(pod) !== 'Running') return 1;
  return isReady(pod) ? 3 : 2;
}

export function activePodsOf(ctx: ControllerContext, owner: KubeObject): KubeObject[] {
  return ctx.owned(owner, 'v1', 'Pod').filter(isActive);
}

export function reconcileReplicaSet(ctx: ControllerContext, rs: KubeObject): void {
  if (isDeleting(rs)) return;
  const desired = desiredReplicas(rs);
  const active = activePodsOf(ctx, rs);
  const template = record(specOf(rs)['template']);
  const namespace = rs.metadata.namespace;
  for (let i = active.length; i < desired; i++) {
    const name = ctx.freeName(`${rs.metadata.name}-`, namespace, `${rs.metadata.uid ?? ''}/${i}`);
    ctx.create(podFromTemplate({ owner: rs, template, name, generateName: `${rs.metadata.name}-` }));
  }
  if (active.length > desired) {
    const surplus = [...active].sort(
      (a, b) =>
        deletionRank(a) - deletionRank(b) ||
        (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') ||
        b.metadata.name.localeCompare(a.metadata.name),
    );
    for (const pod of surplus.slice(0, active.length - desired)) ctx.delete(pod);
  }
  const pods = activePodsOf(ctx, rs);
  const ready = pods.filter(isReady).length;
  const available = pods.filter(isAvailable).length;
  const status: Record<string, unknown> = {
    replicas: pods.length,
    ...(pods.length === 0 ? {} : { fullyLabeledReplicas: pods.length }),
    ...(ready === 0 ? {} : { readyReplicas: ready }),
    ...(available === 0 ? {} : { availableReplicas: available }),
    observedGeneration: rs.metadata.generation ?? 1,
  };
  const conditions = statusOf(rs)['conditions'];
  if (Array.isArray(conditions) && conditions.length > 0) status['conditions'] = conditions;
  ctx.writeStatus(rs, status);
}
