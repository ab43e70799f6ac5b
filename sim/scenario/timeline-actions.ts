/**
 * What each timeline action does to a cluster, through the programmatic store (so watchers see it):
 * the same writes a kubelet, the node lifecycle controller or an operator would make.
 */
import { formatTime } from '../store/metadata.ts';
import type { SimObjectStore } from '../store/object-store.ts';
import type { KubeObject } from '../types.ts';
import { isPlainObject } from '../types.ts';
import type { NodeCondition } from './node-conditions.ts';
import { HEALTHY, UNREACHABLE, UNREACHABLE_TAINT_KEY } from './node-conditions.ts';
import { nodeLease } from './nodes.ts';
import { stampTimes } from './stamp-times.ts';
import type { TimelineStep } from './types.ts';

interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

function node(store: SimObjectStore, name: string): KubeObject {
  const found = store.get('v1', 'Node', name);
  if (found === undefined) throw new Error(`node ${name} not found`);
  return found;
}

function statusOf(object: KubeObject): Record<string, unknown> {
  if (!isPlainObject(object['status'])) object['status'] = {};
  return object['status'] as Record<string, unknown>;
}

function conditionsOf(object: KubeObject): NodeCondition[] {
  const status = statusOf(object);
  if (!Array.isArray(status['conditions'])) status['conditions'] = [];
  return status['conditions'] as NodeCondition[];
}

/** Sets one condition; the transition time moves only when the status changes, as kubelets do. */
function setCondition(
  object: KubeObject,
  type: string,
  value: Omit<NodeCondition, 'type'>,
  now: string,
): void {
  const conditions = conditionsOf(object);
  const existing = conditions.find((c) => c.type === type);
  if (existing === undefined) {
    conditions.push({ type, ...value, lastHeartbeatTime: now, lastTransitionTime: now });
    return;
  }
  if (existing.status !== value.status) existing.lastTransitionTime = now;
  existing.status = value.status;
  existing.reason = value.reason;
  existing.message = value.message;
  existing.lastHeartbeatTime = now;
}

function setTaints(object: KubeObject, update: (taints: Taint[]) => Taint[]): void {
  const spec = isPlainObject(object['spec']) ? object['spec'] : (object['spec'] = {});
  const taints = update(Array.isArray(spec['taints']) ? (spec['taints'] as Taint[]) : []);
  if (taints.length === 0) delete spec['taints'];
  else spec['taints'] = taints;
}

function setNodeReady(store: SimObjectStore, name: string, ready: boolean, now: string): void {
  const object = node(store, name);
  for (const type of Object.keys(HEALTHY)) {
    // The lifecycle controller marks every kubelet-owned condition Unknown; NetworkUnavailable is the CNI's.
    if (type === 'NetworkUnavailable') continue;
    setCondition(object, type, ready ? HEALTHY[type]! : UNREACHABLE, now);
  }
  setTaints(object, (taints) => {
    const others = taints.filter((t) => t.key !== UNREACHABLE_TAINT_KEY);
    if (ready) return others;
    return [
      ...others,
      { key: UNREACHABLE_TAINT_KEY, effect: 'NoSchedule', timeAdded: now },
      { key: UNREACHABLE_TAINT_KEY, effect: 'NoExecute', timeAdded: now },
    ];
  });
  store.update(object);
  nodeEvent(store, object, ready ? 'NodeReady' : 'NodeNotReady', now);
}

/** The Event the node lifecycle controller records when a node's readiness changes. */
function nodeEvent(store: SimObjectStore, node: KubeObject, reason: string, now: string): void {
  const name = node.metadata.name;
  store.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: '', generateName: `${name}.`, namespace: 'default' },
    involvedObject: { apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? name },
    reason,
    message: `Node ${name} status is now: ${reason}`,
    source: { component: 'node-controller' },
    reportingComponent: 'node-controller',
    reportingInstance: '',
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type: 'Normal',
  });
}

function setNodeCondition(
  store: SimObjectStore,
  name: string,
  type: string,
  status: NodeCondition['status'],
  reason: string | undefined,
  now: string,
): void {
  const object = node(store, name);
  const healthy = HEALTHY[type];
  const chosenReason =
    reason ??
    (healthy !== undefined && healthy.status === status
      ? healthy.reason
      : status === 'Unknown'
        ? UNREACHABLE.reason
        : `${type}${status}`);
  const message =
    healthy !== undefined && healthy.status === status && reason === undefined
      ? healthy.message
      : `${type} is ${status} (${chosenReason})`;
  setCondition(object, type, { status, reason: chosenReason, message }, now);
  store.update(object);
}

function setExtendedResource(
  store: SimObjectStore,
  name: string,
  resource: string,
  allocatable: string,
  capacity: string | undefined,
): void {
  const object = node(store, name);
  const status = statusOf(object);
  const currentCapacity = isPlainObject(status['capacity']) ? status['capacity'][resource] : undefined;
  store.mergePatch('v1', 'Node', name, {
    status: {
      allocatable: { [resource]: allocatable },
      capacity: {
        [resource]: capacity ?? (typeof currentCapacity === 'string' ? currentCapacity : allocatable),
      },
    },
  });
}

/** Applies one step to its cluster's store; throws when the step cannot apply (e.g. unknown node). */
export function applyStep(step: TimelineStep, store: SimObjectStore, nowMs: number): void {
  const now = formatTime(nowMs);
  switch (step.action) {
    case 'setNodeReady':
      return setNodeReady(store, step.node, step.ready, now);
    case 'setNodeCondition':
      return setNodeCondition(store, step.node, step.type, step.status, step.reason, now);
    case 'addNode': {
      // A joining kubelet registers its Node and then its heartbeat Lease.
      const created = store.create(stampTimes([step.node], nowMs)[0]!);
      store.create(stampTimes([nodeLease(created)], nowMs)[0]!);
      return;
    }
    case 'deleteNode':
      if (store.delete('v1', 'Node', step.node) === undefined) throw new Error(`node ${step.node} not found`);
      return;
    case 'labelNode':
      node(store, step.node);
      store.mergePatch('v1', 'Node', step.node, { metadata: { labels: step.labels } });
      return;
    case 'setExtendedResource':
      return setExtendedResource(store, step.node, step.resource, step.allocatable, step.capacity);
  }
}
