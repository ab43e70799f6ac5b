/**
 * The DaemonSet controller: one pod per node that should run it — the node matches the template's
 * nodeSelector/required affinity and its NoSchedule/NoExecute taints are tolerated, counting the
 * tolerations Kubernetes adds to every daemon pod (not-ready, unreachable, pressure, unschedulable). Each
 * pod is pinned to its node with `metadata.name` node affinity and bound by the scheduler. Pods on nodes
 * that are gone or no longer tolerated (NoExecute) are deleted. A RollingUpdate replaces pods whose
 * `controller-revision-hash` is not the template's, at most maxUnavailable unavailable at a time.
 */
import type { KubeObject } from '../types.ts';
import type { ControllerContext } from './context.ts';
import type { Json } from './json-access.ts';
import { isDeleting, record, records, specOf } from './json-access.ts';
import { matchesNode, pinnedNode, untoleratedTaint } from './placement.ts';
import { isActive, isAvailable, isReady, nodeNameOf, podFromTemplate } from './pods.ts';
import { CONTROLLER_REVISION_HASH, templateHash } from './revision.ts';

const TEMPLATE_GENERATION = 'pod-template-generation';

/** The tolerations the DaemonSet controller adds to every daemon pod. */
export function daemonTolerations(podSpec: Json): Json[] {
  const added: Json[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (podSpec['hostNetwork'] === true)
    added.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const own = records(podSpec['tolerations']);
  const same = (a: Json, b: Json): boolean => a['key'] === b['key'] && a['effect'] === b['effect'];
  return [...own, ...added.filter((t) => !own.some((o) => same(o, t)))];
}

function pinned(podSpec: Json, node: string): Json {
  const affinity = record(podSpec['affinity']);
  return {
    ...affinity,
    nodeAffinity: {
      ...record(affinity['nodeAffinity']),
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
      },
    },
  };
}

function nonNegative(value: unknown, desired: number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(String(value ?? '1'));
  return match === null ? Number(value) || 1 : Math.ceil((Number(match[1]) * desired) / 100);
}

export function reconcileDaemonSet(ctx: ControllerContext, ds: KubeObject): void {
  if (isDeleting(ds)) return;
  const spec = specOf(ds);
  const template = record(spec['template']);
  const podSpec = { ...record(template['spec']) };
  podSpec['tolerations'] = daemonTolerations(podSpec);
  const hash = templateHash(template);
  const generation = String(ds.metadata.generation ?? 1);
  const nodes = ctx.nodes();
  const shouldRun = new Set(
    nodes
      .filter(
        (n) =>
          matchesNode(podSpec, n) && untoleratedTaint(podSpec, n, ['NoSchedule', 'NoExecute']) === undefined,
      )
      .map((n) => n.metadata.name),
  );
  const mayContinue = new Set(
    nodes
      .filter((n) => matchesNode(podSpec, n) && untoleratedTaint(podSpec, n, ['NoExecute']) === undefined)
      .map((n) => n.metadata.name),
  );

  const byNode = new Map<string, KubeObject>();
  for (const pod of ctx.owned(ds, 'v1', 'Pod')) {
    if (isDeleting(pod)) continue;
    const node = nodeNameOf(pod) ?? pinnedNode(specOf(pod));
    if (node === undefined || !mayContinue.has(node) || byNode.has(node) || !isActive(pod)) ctx.delete(pod);
    else byNode.set(node, pod);
  }
  for (const node of [...shouldRun].sort()) {
    if (byNode.has(node)) continue;
    const pod = podFromTemplate({
      owner: ds,
      template,
      name: ctx.freeName(`${ds.metadata.name}-`, ds.metadata.namespace, `${ds.metadata.uid ?? ''}/${node}`),
      generateName: `${ds.metadata.name}-`,
      labels: { [CONTROLLER_REVISION_HASH]: hash, [TEMPLATE_GENERATION]: generation },
      spec: { tolerations: podSpec['tolerations'], affinity: pinned(podSpec, node) },
    });
    byNode.set(node, ctx.create(pod));
  }

  const upToDate = (pod: KubeObject): boolean =>
    (pod.metadata.labels?.[CONTROLLER_REVISION_HASH] ?? hash) === hash;
  const strategy = record(spec['updateStrategy']);
  if (strategy['type'] !== 'OnDelete') {
    const maxUnavailable = nonNegative(record(strategy['rollingUpdate'])['maxUnavailable'], shouldRun.size);
    let budget = maxUnavailable - [...byNode.values()].filter((p) => !isAvailable(p)).length;
    for (const [node, pod] of [...byNode].sort(([a], [b]) => a.localeCompare(b))) {
      if (upToDate(pod)) continue;
      // Old pods that are not available anyway go first and cost nothing from the budget.
      if (isAvailable(pod)) {
        if (budget <= 0) continue;
        budget -= 1;
      }
      ctx.delete(pod);
      byNode.delete(node);
    }
  }

  const pods = [...byNode.entries()];
  const scheduled = pods.filter(([node]) => shouldRun.has(node));
  const count = (f: (pod: KubeObject) => boolean): number => scheduled.filter(([, p]) => f(p)).length;
  const available = count(isAvailable);
  const status: Json = {
    currentNumberScheduled: scheduled.length,
    numberMisscheduled: pods.length - scheduled.length,
    desiredNumberScheduled: shouldRun.size,
    numberReady: count(isReady),
    observedGeneration: ds.metadata.generation ?? 1,
    ...Object.fromEntries(
      Object.entries({
        updatedNumberScheduled: count(upToDate),
        numberAvailable: available,
        numberUnavailable: Math.max(0, shouldRun.size - available),
      }).filter(([, v]) => v !== 0),
    ),
  };
  ctx.writeStatus(ds, status);
}
