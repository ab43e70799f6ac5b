/**
 * The default scheduler, reduced to its filters: a pending pod goes to a node that is not cordoned, that
 * it matches (nodeSelector, required node affinity), whose NoSchedule/NoExecute taints it tolerates (a
 * node that is not Ready counts as tainted not-ready) and that has allocatable room for its requests
 * (cpu, memory, extended resources, pod count) next to the pods already bound there. Among fitting nodes
 * it prefers the one with the fewest pods of the same owner, then the fewest pods, then the name, so
 * placement is deterministic and replicas spread. A pod that fits nowhere stays Pending with
 * PodScheduled=False/Unschedulable and the message the real scheduler writes.
 */
import type { KubeObject } from '../types.ts';
import type { ControllerContext } from './context.ts';
import type { Json } from './json-access.ts';
import {
  controllerRef,
  isDeleting,
  parseQuantity,
  record,
  records,
  specOf,
  statusOf,
} from './json-access.ts';
import { matchesNode, tolerates, UNSCHEDULABLE_TAINT, untoleratedTaint } from './placement.ts';
import { isActive, nodeNameOf, podRequests } from './pods.ts';

interface NodeUsage {
  readonly node: KubeObject;
  readonly used: Map<string, number>;
  pods: number;
  readonly byOwner: Map<string, number>;
}

/** Whether the scheduler should look at `pod`: not bound, alive, and asking for the default scheduler. */
export function awaitsScheduling(pod: KubeObject): boolean {
  const scheduler = specOf(pod)['schedulerName'];
  return (
    nodeNameOf(pod) === undefined &&
    !isDeleting(pod) &&
    isActive(pod) &&
    (scheduler === undefined || scheduler === 'default-scheduler')
  );
}

function ownerKey(pod: KubeObject): string {
  return controllerRef(pod)?.uid ?? `pod:${pod.metadata.uid ?? ''}`;
}

function usageOf(nodes: readonly KubeObject[], pods: readonly KubeObject[]): Map<string, NodeUsage> {
  const usage = new Map<string, NodeUsage>(
    nodes.map((node) => [node.metadata.name, { node, used: new Map(), pods: 0, byOwner: new Map() }]),
  );
  for (const pod of pods) {
    const entry = usage.get(nodeNameOf(pod) ?? '');
    if (entry !== undefined && isActive(pod)) reserve(entry, pod);
  }
  return usage;
}

function reserve(entry: NodeUsage, pod: KubeObject): void {
  for (const [name, amount] of podRequests(pod)) entry.used.set(name, (entry.used.get(name) ?? 0) + amount);
  entry.pods += 1;
  const owner = ownerKey(pod);
  entry.byOwner.set(owner, (entry.byOwner.get(owner) ?? 0) + 1);
}

/** Why `pod` cannot go on the node, in the real scheduler's words, or undefined when it fits. */
function misfit(pod: KubeObject, entry: NodeUsage): string[] | undefined {
  const spec = specOf(pod);
  const node = entry.node;
  if (
    specOf(node)['unschedulable'] === true &&
    !tolerates(records(spec['tolerations']), { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' })
  )
    return ['node(s) were unschedulable'];
  if (!matchesNode(spec, node)) return ["node(s) didn't match Pod's node affinity/selector"];
  const taint = untoleratedTaint(spec, node, ['NoSchedule', 'NoExecute']);
  if (taint !== undefined) return [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`];
  const allocatable = record(statusOf(node)['allocatable']);
  const reasons: string[] = [];
  const podLimit = parseQuantity(allocatable['pods']);
  if (Number.isFinite(podLimit) && entry.pods + 1 > podLimit) reasons.push('Too many pods');
  for (const [name, amount] of podRequests(pod)) {
    if (amount <= 0) continue;
    const available = parseQuantity(allocatable[name]);
    const free = (Number.isFinite(available) ? available : 0) - (entry.used.get(name) ?? 0);
    // A small tolerance keeps decimal quantities (0.1 + 0.2 cpu) from failing on float rounding.
    if (amount > free + 1e-9) reasons.push(`Insufficient ${name}`);
  }
  return reasons.length === 0 ? undefined : reasons;
}

function unschedulableMessage(total: number, reasons: Map<string, number>): string {
  if (total === 0) return 'no nodes available to schedule pods';
  const listed = [...reasons.entries()]
    .map(([reason, count]) => `${count} ${reason}`)
    .sort()
    .join(', ');
  return `0/${total} nodes are available: ${listed}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}

function withCondition(status: Json, condition: Json, now: string): Json {
  const conditions = records(status['conditions']);
  const old = conditions.find((c) => c['type'] === condition['type']);
  const next: Json = {
    ...condition,
    lastProbeTime: null,
    lastTransitionTime:
      old !== undefined && old['status'] === condition['status'] ? old['lastTransitionTime'] : now,
  };
  return { ...status, conditions: [...conditions.filter((c) => c !== old), next] };
}

/** One scheduling pass over every pending pod, oldest first. */
export function schedulePending(ctx: ControllerContext): void {
  const pods = ctx.pods();
  const pending = pods
    .filter(awaitsScheduling)
    .sort(
      (a, b) =>
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
  if (pending.length === 0) return;
  const nodes = ctx.nodes();
  const usage = usageOf(nodes, pods);
  for (const pod of pending) {
    const reasons = new Map<string, number>();
    let best: NodeUsage | undefined;
    for (const entry of usage.values()) {
      const why = misfit(pod, entry);
      if (why !== undefined) {
        for (const reason of why) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        continue;
      }
      const owner = ownerKey(pod);
      const score = (e: NodeUsage): [number, number] => [e.byOwner.get(owner) ?? 0, e.pods];
      if (best === undefined) best = entry;
      else {
        const [a1, a2] = score(entry);
        const [b1, b2] = score(best);
        if (a1 < b1 || (a1 === b1 && a2 < b2)) best = entry;
      }
    }
    const now = ctx.timestamp();
    const status = statusOf(pod);
    if (best === undefined) {
      const condition = {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: unschedulableMessage(nodes.length, reasons),
      };
      const old = records(status['conditions']).find((c) => c['type'] === 'PodScheduled');
      if (
        old?.['status'] === 'False' &&
        old['reason'] === condition.reason &&
        old['message'] === condition.message
      )
        continue;
      ctx.writeStatus(pod, withCondition(status, condition, now));
      continue;
    }
    reserve(best, pod);
    ctx.update({
      ...pod,
      metadata: { ...pod.metadata },
      spec: { ...specOf(pod), nodeName: best.node.metadata.name },
      status: withCondition(status, { type: 'PodScheduled', status: 'True' }, now),
    });
  }
}
