/**
 * The alarm rules of NF deployments (docs/dms.md "Fault management"): which pods (VNFCs) of an INSTANTIATED VNF
 * instance are faulty now, as pure functions over the informer caches, like the node rules of alarm-rules.ts.
 *
 *   a container waits in CrashLoopBackOff, or restarted twice since last ready   NfPodCrashLooping
 *   the pod's Ready condition is not True for longer than the grace period        NfPodUnready
 *       (since the condition's lastTransitionTime, else the pod's creation: a Pending pod has no Ready condition)
 *
 * A crash-looping pod is not also counted unready. Each alarm is MAJOR when a workload (a VDU) with a faulty
 * pod has no ready pod at all (that part of the NF is down), else MINOR (degraded: others still serve). The instance's pods are those of the workloads its Helm release's
 * manifest names (readiness.ts, the same pods vnfcResourceInfo lists), so no label guessing.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { AlarmCondition } from '../../alarms/alarm-ledger.ts';
import { PERCEIVED_SEVERITY } from '../../alarms/alarm-record.ts';
import type { VnfInstanceRecord } from '../../dms/lifecycle/index.ts';
import { nfPodAlarm, type FaultyVnfc, type NfPodFaultKind } from '../../dms/notifications/nf-alarms.ts';
import { type RestartBaselines, crashLoopOf, nextBaselines } from './alarm-rules.ts';

/** Default of `dms.nfUnreadyGraceMs`: a pod may be unready this long (rollouts, slow starts) before it alarms. */
export const DEFAULT_NF_UNREADY_GRACE_MS = 60_000;

export interface NfInstanceEvaluation {
  readonly conditions: AlarmCondition[];
  /** When an unready pod's grace period ends (epoch ms): evaluate again then. */
  readonly nextCheckAt?: number;
}

function readyCondition(pod: V1Pod): { status: string; since?: number } | undefined {
  const condition = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (condition === undefined) return undefined;
  const at =
    condition.lastTransitionTime === undefined ? NaN : new Date(condition.lastTransitionTime).getTime();
  return { status: condition.status, ...(Number.isFinite(at) ? { since: at } : {}) };
}

function createdAt(pod: V1Pod): number | undefined {
  const at =
    pod.metadata?.creationTimestamp === undefined ? NaN : new Date(pod.metadata.creationTimestamp).getTime();
  return Number.isFinite(at) ? at : undefined;
}

function vnfcOf(pod: V1Pod, containers: readonly string[], unreadySince?: number): FaultyVnfc {
  return {
    id: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    ...(pod.spec?.nodeName === undefined ? {} : { nodeName: pod.spec.nodeName }),
    containers,
    ...(unreadySince === undefined ? {} : { unreadySince: new Date(unreadySince).toISOString() }),
  };
}

/**
 * The pod alarms of one instance, given its pods and the monitor's restart baselines (alarm-rules.ts): a pod
 * the monitor has not seen before starts from its current restart count.
 */
export function nfInstanceAlarms(input: {
  readonly instance: VnfInstanceRecord;
  /** The pods of each workload of the instance's release. */
  readonly workloads: readonly { readonly pods: readonly V1Pod[] }[];
  readonly baselines: (pod: V1Pod) => RestartBaselines | undefined;
  readonly now: number;
  readonly unreadyGraceMs: number;
}): NfInstanceEvaluation {
  const { instance, now, unreadyGraceMs } = input;
  const faulty: Record<NfPodFaultKind, FaultyVnfc[]> = { crashLooping: [], unready: [] };
  let nextCheckAt: number | undefined;
  let down = false;
  for (const workload of input.workloads) {
    let ready = 0;
    let faults = 0;
    for (const pod of workload.pods) {
      if (pod.metadata?.deletionTimestamp != null) continue;
      const condition = readyCondition(pod);
      if (condition?.status === 'True') {
        ready++;
        continue;
      }
      const loop = crashLoopOf(pod, input.baselines(pod) ?? nextBaselines(pod, undefined));
      if (loop !== undefined) {
        faulty.crashLooping.push(vnfcOf(pod, loop.containers));
        faults++;
        continue;
      }
      const since = condition?.since ?? createdAt(pod) ?? now;
      if (now - since >= unreadyGraceMs) {
        const unready = (pod.status?.containerStatuses ?? []).filter((c) => !c.ready).map((c) => c.name);
        faulty.unready.push(vnfcOf(pod, unready.sort(), since));
        faults++;
      } else nextCheckAt = Math.min(nextCheckAt ?? Infinity, since + unreadyGraceMs);
    }
    if (faults > 0 && ready === 0) down = true;
  }
  const severity = down ? PERCEIVED_SEVERITY.MAJOR : PERCEIVED_SEVERITY.MINOR;
  const conditions: AlarmCondition[] = [];
  for (const kind of ['crashLooping', 'unready'] as const) {
    const condition = nfPodAlarm(instance, kind, faulty[kind], severity);
    if (condition !== undefined) conditions.push(condition);
  }
  return { conditions, ...(nextCheckAt === undefined ? {} : { nextCheckAt }) };
}
