/**
 * The alarm rules of a cluster (docs/architecture.md "The shape" "Alarm: derived from cluster state"), as pure functions over
 * watched state: each turns what the cluster reports into the conditions that should be active alarms, as
 * (definition, resource, severity). Whether an alarm is new, changed or cleared is the ledger's business
 * (alarms/alarm-ledger.ts); these functions only say what is true now.
 *
 *   node Ready=False                  NodeNotReady         on the node      MAJOR
 *   node Ready=Unknown                NodeUnreachable      on the node      MAJOR
 *   MemoryPressure/DiskPressure/PIDPressure=True           on the node      catalogue severity
 *   NetworkUnavailable=True           NetworkUnavailable   on the node      catalogue severity
 *   spec.unschedulable                NodeCordoned         on the node      (MANUAL clearing)
 *   0 < allocatable < capacity        DeviceUnhealthy      on the element   WARNING ≤ 1/4 lost, MINOR ≤ 1/2, MAJOR
 *   allocatable = 0 < capacity        DeviceMissing        on the element   MAJOR
 *   pods crash-looping on the node    WorkloadCrashLooping on the node      MINOR, MAJOR from 3 pods
 *
 * Node rules read the node's O2 resource (inventory.ts), whose extensions carry the condition status and
 * reason, `unschedulable`, and each element's capacity and allocatable: the inventory emits a change exactly
 * when one of those changes, so heartbeats cost nothing here.
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import {
  type AlarmDefinitionTemplate,
  type ResourceCategory,
  alarmDefinitionIdOf,
  alarmDefinitionTemplate,
  isResourceCategory,
  probableCauseIdOf,
} from '../../alarms/alarm-catalogue.ts';
import type { AlarmCondition } from '../../alarms/alarm-ledger.ts';
import { type ActiveSeverity, PERCEIVED_SEVERITY, isActiveSeverity } from '../../alarms/alarm-record.ts';
import type { JsonObject, Resource } from './model.ts';
import { parseQuantity } from '../../common/quantity.ts';

/** Node conditions that raise an alarm when they have the given status, and the definition they raise. */
const CONDITION_RULES: readonly { readonly type: string; readonly status: string; readonly code: string }[] =
  [
    { type: 'Ready', status: 'False', code: 'NodeNotReady' },
    { type: 'Ready', status: 'Unknown', code: 'NodeUnreachable' },
    { type: 'MemoryPressure', status: 'True', code: 'MemoryPressure' },
    { type: 'DiskPressure', status: 'True', code: 'DiskPressure' },
    { type: 'PIDPressure', status: 'True', code: 'PIDPressure' },
    { type: 'NetworkUnavailable', status: 'True', code: 'NetworkUnavailable' },
  ];

/** Device categories whose capacity loss is an alarm (device-plugin resources). */
const DEVICE_CATEGORIES: ReadonlySet<ResourceCategory> = new Set(['gpu', 'nic', 'accelerator']);

/** Pods crash-looping on one node from which the node, not one workload, is suspect. */
export const CRASH_LOOP_MAJOR_PODS = 3;
/** Restarts since a container was last ready that make it crash-looping even between back-offs. */
export const CRASH_LOOP_RESTARTS = 2;

function record(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

interface ConditionSubject {
  readonly clusterId: string;
  readonly resource: Resource;
  readonly category: ResourceCategory;
}

/** One condition for a definition of the resource's category; undefined if the catalogue lacks it. */
function conditionFor(
  subject: ConditionSubject,
  code: string,
  extensions: JsonObject,
  severity?: ActiveSeverity,
): AlarmCondition | undefined {
  const template: AlarmDefinitionTemplate | undefined = alarmDefinitionTemplate(subject.category, code);
  if (template === undefined) return undefined;
  const fallback = isActiveSeverity(template.perceivedSeverity)
    ? template.perceivedSeverity
    : PERCEIVED_SEVERITY.INDETERMINATE;
  return {
    alarmDefinitionId: alarmDefinitionIdOf(subject.resource.resourceTypeId, code),
    alarmCode: code,
    alarmName: template.alarmName,
    clearingType: template.clearingType,
    probableCauseId: probableCauseIdOf(code),
    resourceTypeId: subject.resource.resourceTypeId,
    resourceId: subject.resource.resourceId,
    clusterId: subject.clusterId,
    resourcePoolId: subject.resource.resourcePoolId,
    source: 'cluster',
    perceivedSeverity: severity ?? fallback,
    extensions,
  };
}

/** The node (and element) alarms a node's O2 resource calls for. */
export function resourceAlarms(clusterId: string, resource: Resource): AlarmCondition[] {
  const out: AlarmCondition[] = [];
  const nodeName = text(resource.extensions['nodeName']) ?? '';
  const node: ConditionSubject = { clusterId, resource, category: 'node' };
  const conditions = record(resource.extensions['conditions']) ?? {};
  for (const rule of CONDITION_RULES) {
    const condition = record(conditions[rule.type]);
    if (condition === undefined || condition['status'] !== rule.status) continue;
    const alarm = conditionFor(node, rule.code, {
      nodeName,
      condition: rule.type,
      status: rule.status,
      reason: text(condition['reason']),
    });
    if (alarm !== undefined) out.push(alarm);
  }
  if (resource.extensions['unschedulable'] === true) {
    const alarm = conditionFor(node, 'NodeCordoned', { nodeName });
    if (alarm !== undefined) out.push(alarm);
  }
  for (const element of resource.elements) {
    const alarm = deviceAlarm(clusterId, nodeName, element);
    if (alarm !== undefined) out.push(alarm);
  }
  return out;
}

/** Allocatable below capacity on a device-plugin element: some devices are unhealthy, or all are gone. */
function deviceAlarm(clusterId: string, nodeName: string, element: Resource): AlarmCondition | undefined {
  const category = element.extensions['category'];
  if (!isResourceCategory(category) || !DEVICE_CATEGORIES.has(category)) return undefined;
  const capacityText = text(element.extensions['capacity']);
  const allocatableText = text(element.extensions['allocatable']);
  const capacity = capacityText === null ? undefined : parseQuantity(capacityText);
  const allocatable = allocatableText === null ? undefined : parseQuantity(allocatableText);
  if (capacity === undefined || allocatable === undefined || capacity <= 0 || allocatable >= capacity)
    return undefined;
  const subject: ConditionSubject = { clusterId, resource: element, category };
  const extensions: JsonObject = {
    nodeName,
    resourceName: text(element.extensions['resourceName']),
    capacity: capacityText,
    allocatable: allocatableText,
  };
  if (allocatable <= 0) return conditionFor(subject, 'DeviceMissing', extensions, PERCEIVED_SEVERITY.MAJOR);
  const lost = (capacity - allocatable) / capacity;
  const severity =
    lost <= 0.25
      ? PERCEIVED_SEVERITY.WARNING
      : lost <= 0.5
        ? PERCEIVED_SEVERITY.MINOR
        : PERCEIVED_SEVERITY.MAJOR;
  return conditionFor(subject, 'DeviceUnhealthy', extensions, severity);
}

// ---- crash-looping workloads ----------------------------------------------------------------------------

/** Restart counts of a pod's containers when each was last seen ready (or first seen): the rule's memory. */
export type RestartBaselines = ReadonlyMap<string, number>;

export interface PodCrashLoop {
  readonly namespace: string;
  readonly name: string;
  /** Names of the crash-looping containers (init containers included), sorted. */
  readonly containers: readonly string[];
}

function statusesOf(pod: V1Pod): V1ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

/**
 * A container crash-loops when the kubelet holds it in CrashLoopBackOff, or when it has restarted at least
 * CRASH_LOOP_RESTARTS times since it was last ready and is not ready now (the restart count keeps growing
 * between back-offs, when it is briefly running).
 */
export function crashLoopOf(pod: V1Pod, baselines: RestartBaselines): PodCrashLoop | undefined {
  const containers: string[] = [];
  for (const status of statusesOf(pod)) {
    const waiting = status.state?.waiting?.reason;
    const baseline = baselines.get(status.name);
    const restartsSinceReady = baseline === undefined ? 0 : status.restartCount - baseline;
    if (waiting === 'CrashLoopBackOff' || (!status.ready && restartsSinceReady >= CRASH_LOOP_RESTARTS)) {
      containers.push(status.name);
    }
  }
  if (containers.length === 0) return undefined;
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    containers: containers.sort(),
  };
}

/**
 * The baselines after observing `pod`: a ready container's count moves to its current value; a container seen
 * for the first time starts at its current count, so a restarted subgraph raises nothing for restarts it did
 * not see (a persisting CrashLoopBackOff is still caught by its waiting reason).
 */
export function nextBaselines(pod: V1Pod, prior: RestartBaselines | undefined): Map<string, number> {
  const next = new Map<string, number>();
  for (const status of statusesOf(pod)) {
    const before = prior?.get(status.name);
    next.set(
      status.name,
      before === undefined || status.ready ? status.restartCount : Math.min(before, status.restartCount),
    );
  }
  return next;
}

/** The crash-loop alarm of a node, undefined when none of its pods crash-loops. */
export function crashLoopAlarm(
  clusterId: string,
  node: Resource,
  pods: readonly PodCrashLoop[],
): AlarmCondition | undefined {
  if (pods.length === 0) return undefined;
  const sorted = [...pods].sort((a, b) =>
    a.namespace === b.namespace ? compare(a.name, b.name) : compare(a.namespace, b.namespace),
  );
  const severity = pods.length >= CRASH_LOOP_MAJOR_PODS ? PERCEIVED_SEVERITY.MAJOR : PERCEIVED_SEVERITY.MINOR;
  return conditionFor(
    { clusterId, resource: node, category: 'node' },
    'WorkloadCrashLooping',
    {
      nodeName: text(node.extensions['nodeName']) ?? '',
      pods: sorted.map((pod) => ({
        namespace: pod.namespace,
        name: pod.name,
        containers: [...pod.containers],
      })),
    },
    severity,
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
