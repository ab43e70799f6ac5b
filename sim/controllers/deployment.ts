/**
 * The Deployment controller: one ReplicaSet per pod template (named `<deployment>-<pod-template-hash>`,
 * its pods labelled with the hash), found again by template equality so a rollback reuses the old one.
 * RollingUpdate scales the new ReplicaSet up within maxSurge and the old ones down while maxUnavailable
 * allows (counting only available pods), Recreate scales the old ones to zero first. The status and the
 * Available/Progressing conditions are computed from the ReplicaSets, the way `kubectl rollout status`
 * and Helm's kstatus read them.
 */
import type { KubeObject } from '../types.ts';
import type { ControllerContext } from './context.ts';
import type { Json } from './json-access.ts';
import {
  desiredReplicas,
  isDeleting,
  numberField,
  record,
  specOf,
  statusOf,
  strings,
} from './json-access.ts';
import { newControllerRef } from './json-access.ts';
import { POD_TEMPLATE_HASH, sameTemplate, templateHash } from './revision.ts';
import { activePodsOf } from './replica-set.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';

/** An int-or-percent of `total`, rounded up (surge) or down (unavailable) as Kubernetes does. */
function scaled(value: unknown, total: number, roundUp: boolean, fallback: string): number {
  const raw = value ?? fallback;
  if (typeof raw === 'number') return raw;
  const match = /^(\d+)%$/.exec(String(raw));
  if (match === null) return Number(raw) || 0;
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

function limits(d: KubeObject, replicas: number): { maxSurge: number; maxUnavailable: number } {
  const strategy = record(specOf(d)['strategy']);
  if (strategy['type'] === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas };
  const rolling = record(strategy['rollingUpdate']);
  const maxSurge = scaled(rolling['maxSurge'], replicas, true, '25%');
  let maxUnavailable = scaled(rolling['maxUnavailable'], replicas, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

const specReplicas = (rs: KubeObject): number => numberField(specOf(rs), 'replicas');
const available = (rs: KubeObject): number => numberField(statusOf(rs), 'availableReplicas');
const revisionOf = (rs: KubeObject): number => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
const byAge = (a: KubeObject, b: KubeObject): number =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
  a.metadata.name.localeCompare(b.metadata.name);

export function reconcileDeployment(ctx: ControllerContext, deployment: KubeObject): void {
  if (isDeleting(deployment)) return;
  let d = deployment;
  const replicas = desiredReplicas(d);
  const { maxSurge, maxUnavailable } = limits(d, replicas);
  const template = record(specOf(d)['template']);
  const owned = ctx
    .owned(d, 'apps/v1', 'ReplicaSet')
    .filter((rs) => !isDeleting(rs))
    .sort(byAge);
  let newRs = owned.find((rs) => sameTemplate(specOf(rs)['template'], template));
  const olds = owned.filter((rs) => rs !== newRs);
  const maxOldRevision = Math.max(0, ...olds.map(revisionOf));
  const revision =
    newRs !== undefined && revisionOf(newRs) > maxOldRevision ? revisionOf(newRs) : maxOldRevision + 1;
  const recreate = record(specOf(d)['strategy'])['type'] === 'Recreate';
  const paused = specOf(d)['paused'] === true;

  const scale = (rs: KubeObject, count: number): KubeObject => {
    const annotations = {
      ...rs.metadata.annotations,
      [DESIRED]: String(replicas),
      [MAX]: String(replicas + maxSurge),
      [REVISION]: rs === newRs ? String(revision) : (rs.metadata.annotations?.[REVISION] ?? '0'),
    };
    if (specReplicas(rs) === count && strings(rs.metadata.annotations)[REVISION] === annotations[REVISION])
      return rs;
    return ctx.update({
      ...rs,
      metadata: { ...rs.metadata, annotations },
      spec: { ...specOf(rs), replicas: count },
    });
  };
  const total = (): number =>
    [...olds, ...(newRs === undefined ? [] : [newRs])].reduce((n, rs) => n + specReplicas(rs), 0);

  if (!paused) {
    if (recreate) {
      for (let i = 0; i < olds.length; i++) olds[i] = scale(olds[i]!, 0);
      const oldPods = olds.reduce((n, rs) => n + activePodsOf(ctx, rs).length, 0);
      if (oldPods === 0)
        newRs =
          newRs === undefined
            ? createReplicaSet(ctx, d, revision, replicas, replicas + maxSurge)
            : scale(newRs, replicas);
    } else {
      const current = newRs === undefined ? 0 : specReplicas(newRs);
      let wanted = replicas;
      if (current < replicas) {
        const room = replicas + maxSurge - total();
        wanted = room <= 0 ? current : current + Math.min(room, replicas - current);
      }
      if (newRs === undefined) newRs = createReplicaSet(ctx, d, revision, wanted, replicas + maxSurge);
      else newRs = scale(newRs, wanted);
      scaleDownOld(olds, newRs, replicas - maxUnavailable, scale);
    }
  }
  cleanupHistory(ctx, d, olds);
  if (newRs !== undefined && d.metadata.annotations?.[REVISION] !== String(revision))
    d = ctx.update({
      ...d,
      metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, [REVISION]: String(revision) } },
    });
  writeDeploymentStatus(ctx, d, newRs, replicas, maxUnavailable);
}

function createReplicaSet(
  ctx: ControllerContext,
  d: KubeObject,
  revision: number,
  count: number,
  max: number,
): KubeObject {
  const template = record(specOf(d)['template']);
  let collision = numberField(statusOf(d), 'collisionCount');
  let hash = templateHash(template, collision);
  const rsType = ctx.type('apps/v1', 'ReplicaSet');
  // A same-named ReplicaSet with another template (a hash collision) moves to the next name, as Kubernetes does.
  while (ctx.store.getObject(rsType, d.metadata.namespace, `${d.metadata.name}-${hash}`) !== undefined)
    hash = templateHash(template, ++collision);
  const meta = record(template['metadata']);
  const labels = { ...strings(meta['labels']), [POD_TEMPLATE_HASH]: hash };
  const selector = record(specOf(d)['selector']);
  return ctx.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace!,
      labels,
      annotations: {
        [DESIRED]: String(desiredReplicas(d)),
        [MAX]: String(max),
        [REVISION]: String(revision),
      },
      ownerReferences: [newControllerRef(d)],
    },
    spec: {
      replicas: count,
      minReadySeconds: numberField(specOf(d), 'minReadySeconds'),
      selector: {
        ...selector,
        matchLabels: { ...strings(selector['matchLabels']), [POD_TEMPLATE_HASH]: hash },
      },
      template: { ...template, metadata: { ...meta, labels } },
    },
  });
}

/** Old ReplicaSets go down first by their unavailable pods, then as far as minAvailable allows. */
function scaleDownOld(
  olds: KubeObject[],
  newRs: KubeObject,
  minAvailable: number,
  scale: (rs: KubeObject, count: number) => KubeObject,
): void {
  const all = (): KubeObject[] => [...olds, newRs];
  if (olds.every((rs) => specReplicas(rs) === 0)) return;
  const allPods = all().reduce((n, rs) => n + specReplicas(rs), 0);
  const newUnavailable = Math.max(0, specReplicas(newRs) - available(newRs));
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return;
  let cleaned = 0;
  for (let i = 0; i < olds.length && cleaned < maxScaledDown; i++) {
    const rs = olds[i]!;
    const unhealthy = specReplicas(rs) - Math.min(available(rs), specReplicas(rs));
    if (unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    olds[i] = scale(rs, specReplicas(rs) - down);
    cleaned += down;
  }
  const availablePods = all().reduce((n, rs) => n + Math.min(available(rs), specReplicas(rs)), 0);
  let budget = availablePods - minAvailable;
  for (let i = 0; i < olds.length && budget > 0; i++) {
    const rs = olds[i]!;
    const down = Math.min(specReplicas(rs), budget);
    if (down === 0) continue;
    olds[i] = scale(rs, specReplicas(rs) - down);
    budget -= down;
  }
}

/** Old ReplicaSets scaled to zero beyond revisionHistoryLimit (default 10) are deleted, oldest first. */
function cleanupHistory(ctx: ControllerContext, d: KubeObject, olds: readonly KubeObject[]): void {
  const limit = specOf(d)['revisionHistoryLimit'];
  const keep = typeof limit === 'number' ? limit : 10;
  const idle = olds.filter((rs) => specReplicas(rs) === 0 && numberField(statusOf(rs), 'replicas') === 0);
  for (const rs of [...idle]
    .sort((a, b) => revisionOf(a) - revisionOf(b))
    .slice(0, Math.max(0, idle.length - keep)))
    ctx.delete(rs);
}

function writeDeploymentStatus(
  ctx: ControllerContext,
  d: KubeObject,
  newRs: KubeObject | undefined,
  replicas: number,
  maxUnavailable: number,
): void {
  const all = ctx.owned(d, 'apps/v1', 'ReplicaSet').filter((rs) => !isDeleting(rs));
  const fresh = newRs === undefined ? undefined : all.find((rs) => rs.metadata.uid === newRs.metadata.uid);
  const sum = (f: (rs: KubeObject) => number): number => all.reduce((n, rs) => n + f(rs), 0);
  const actual = sum((rs) => numberField(statusOf(rs), 'replicas'));
  const updated = fresh === undefined ? 0 : numberField(statusOf(fresh), 'replicas');
  const ready = sum((rs) => numberField(statusOf(rs), 'readyReplicas'));
  const availableCount = sum(available);
  const unavailable = Math.max(0, sum(specReplicas) - availableCount);
  const isAvailable = availableCount >= replicas - maxUnavailable;
  const rsName = fresh?.metadata.name ?? newRs?.metadata.name ?? d.metadata.name;
  const complete =
    fresh !== undefined &&
    updated === replicas &&
    actual === replicas &&
    availableCount === replicas &&
    specReplicas(fresh) === replicas &&
    numberField(statusOf(fresh), 'observedGeneration') >= (fresh.metadata.generation ?? 1);
  const status: Json = {
    observedGeneration: d.metadata.generation ?? 1,
    ...Object.fromEntries(
      Object.entries({
        replicas: actual,
        updatedReplicas: updated,
        readyReplicas: ready,
        availableReplicas: availableCount,
        unavailableReplicas: unavailable,
      }).filter(([, v]) => v !== 0),
    ),
    conditions: [
      {
        type: 'Available',
        status: isAvailable ? 'True' : 'False',
        lastUpdateTime: '',
        reason: isAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        message: isAvailable
          ? 'Deployment has minimum availability.'
          : 'Deployment does not have minimum availability.',
      },
      {
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: '',
        reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
        message: complete
          ? `ReplicaSet "${rsName}" has successfully progressed.`
          : `ReplicaSet "${rsName}" is progressing.`,
      },
    ],
  };
  const collision = statusOf(d)['collisionCount'];
  if (typeof collision === 'number') status['collisionCount'] = collision;
  ctx.writeStatus(d, status);
}
