/**
 * Is a Helm release ready, and which pods does it run? The release's workloads come from its manifest
 * (`helm get manifest`: exactly what Helm applied, no guessing by labels); their state comes from the
 * cluster subgraph's informer caches (no extra API traffic).
 *
 * Ready means what `kubectl rollout status` means: the controller has observed the latest generation and
 * every wanted replica is updated and ready (Deployment: also available; DaemonSet: every scheduled pod
 * ready). Pods are reported where they exist (a cluster without a pod controller has none).
 */
import type { V1DaemonSet, V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { InformerKind, InformerObjects, ReadonlyCache } from '../informers.ts';

/** The part of ClusterInformers the readiness check reads. */
export interface WorkloadView {
  cache<K extends InformerKind>(kind: K): ReadonlyCache<InformerObjects[K]>;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface ReleaseWorkload {
  readonly kind: WorkloadKind;
  readonly name: string;
  readonly namespace: string;
}

export interface WorkloadState extends ReleaseWorkload {
  readonly ready: boolean;
  /** Pods the workload wants (replicas, or the DaemonSet's scheduled count). */
  readonly wanted: number;
  /** Why not ready, for the occurrence's error. */
  readonly reason?: string;
  readonly pods: readonly V1Pod[];
}

const KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** The workloads a release manifest creates (namespace defaulted to the release's). */
export function workloadsOfManifest(manifest: string, namespace: string): ReleaseWorkload[] {
  const found: ReleaseWorkload[] = [];
  for (const doc of parseAllDocuments(manifest)) {
    const value: unknown = doc.toJS();
    if (typeof value !== 'object' || value === null) continue;
    const object = value as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    if (typeof object.kind !== 'string' || !KINDS.has(object.kind)) continue;
    if (typeof object.metadata?.name !== 'string') continue;
    found.push({
      kind: object.kind as WorkloadKind,
      name: object.metadata.name,
      namespace: typeof object.metadata.namespace === 'string' ? object.metadata.namespace : namespace,
    });
  }
  return found;
}

function ownedBy(
  pod: { metadata?: { ownerReferences?: { uid: string }[] } },
  uid: string | undefined,
): boolean {
  return uid !== undefined && (pod.metadata?.ownerReferences ?? []).some((ref) => ref.uid === uid);
}

function deploymentState(view: WorkloadView, w: ReleaseWorkload): WorkloadState {
  const d: V1Deployment | undefined = view.cache('deployments').get(w.name, w.namespace);
  if (d === undefined)
    return { ...w, ready: false, wanted: 0, reason: 'not seen in the cluster yet', pods: [] };
  const replicaSets = view
    .cache('replicasets')
    .list(w.namespace)
    .filter((rs) => ownedBy(rs, d.metadata?.uid));
  // Pods of the Deployment's ReplicaSets (what kube-controller-manager makes); pods owned by the
  // Deployment itself are counted too, for simulators that skip the ReplicaSet level.
  const pods = view
    .cache('pods')
    .list(w.namespace)
    .filter(
      (pod) => ownedBy(pod, d.metadata?.uid) || replicaSets.some((rs) => ownedBy(pod, rs.metadata?.uid)),
    );
  const wanted = d.spec?.replicas ?? 1;
  const status = d.status ?? {};
  const observed = (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1);
  const ready =
    observed &&
    (status.updatedReplicas ?? 0) >= wanted &&
    (status.readyReplicas ?? 0) >= wanted &&
    (status.availableReplicas ?? 0) >= wanted;
  return ready
    ? { ...w, ready, wanted, pods }
    : { ...w, ready, wanted, reason: `${status.readyReplicas ?? 0}/${wanted} replicas ready`, pods };
}

function statefulSetState(view: WorkloadView, w: ReleaseWorkload): WorkloadState {
  const s: V1StatefulSet | undefined = view.cache('statefulsets').get(w.name, w.namespace);
  if (s === undefined)
    return { ...w, ready: false, wanted: 0, reason: 'not seen in the cluster yet', pods: [] };
  const pods = view
    .cache('pods')
    .list(w.namespace)
    .filter((pod) => ownedBy(pod, s.metadata?.uid));
  const wanted = s.spec?.replicas ?? 1;
  const status = s.status;
  const observed = (status?.observedGeneration ?? 0) >= (s.metadata?.generation ?? 1);
  const ready = observed && (status?.readyReplicas ?? 0) >= wanted;
  return ready
    ? { ...w, ready, wanted, pods }
    : { ...w, ready, wanted, reason: `${status?.readyReplicas ?? 0}/${wanted} replicas ready`, pods };
}

function daemonSetState(view: WorkloadView, w: ReleaseWorkload): WorkloadState {
  const ds: V1DaemonSet | undefined = view.cache('daemonsets').get(w.name, w.namespace);
  if (ds === undefined)
    return { ...w, ready: false, wanted: 0, reason: 'not seen in the cluster yet', pods: [] };
  const pods = view
    .cache('pods')
    .list(w.namespace)
    .filter((pod) => ownedBy(pod, ds.metadata?.uid));
  const status = ds.status;
  const observed = (status?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 1);
  const wanted = status?.desiredNumberScheduled ?? 0;
  const ready = observed && (status?.numberReady ?? 0) >= wanted;
  return ready
    ? { ...w, ready, wanted, pods }
    : { ...w, ready, wanted, reason: `${status?.numberReady ?? 0}/${wanted} pods ready`, pods };
}

export function workloadStates(view: WorkloadView, workloads: readonly ReleaseWorkload[]): WorkloadState[] {
  return workloads.map((w) => {
    switch (w.kind) {
      case 'Deployment':
        return deploymentState(view, w);
      case 'StatefulSet':
        return statefulSetState(view, w);
      case 'DaemonSet':
        return daemonSetState(view, w);
    }
  });
}
