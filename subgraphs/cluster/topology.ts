/**
 * Pure mapping of the topology view (Node, Pod, Workload GraphQL types) from informer objects. Unlike the
 * O2 inventory these are not change-tracked: they are mapped when a query asks for them.
 */
import type {
  V1DaemonSet,
  V1Deployment,
  V1Node,
  V1OwnerReference,
  V1Pod,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { type MappingContext, nodeResourceIdOf, poolNameOf, resourcePoolIdOf } from './mapping.ts';
import type { Node, NodeCondition, Pod, Workload, WorkloadKind, WorkloadRef } from './model.ts';

/**
 * Timestamps arrive as Date from the generated list API; tolerate ISO strings too (objects built by hand
 * or by other clients).
 */
export function isoTime(value: Date | string | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? value : value.toISOString();
}

export function isNodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function mapNodeView(ctx: MappingContext, node: V1Node): Node {
  const name = node.metadata?.name ?? '';
  const uid = node.metadata?.uid ?? `name:${name}`;
  const conditions: NodeCondition[] = (node.status?.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason ?? null,
    message: c.message ?? null,
    lastTransitionTime: isoTime(c.lastTransitionTime),
  }));
  return {
    clusterId: ctx.clusterId,
    name,
    uid,
    ready: isNodeReady(node),
    labels: node.metadata?.labels ?? {},
    capacity: node.status?.capacity ?? {},
    allocatable: node.status?.allocatable ?? {},
    conditions,
    resourceId: nodeResourceIdOf(ctx, uid),
    resourcePoolId: resourcePoolIdOf(ctx, poolNameOf(ctx, node)),
  };
}

/**
 * The Kubernetes pod behind a Pod view: `Pod.workload` follows its owner references. A symbol key stays out
 * of responses.
 */
export const POD_SOURCE: unique symbol = Symbol('pod source');
export type PodView = Pod & { readonly [POD_SOURCE]: V1Pod };

/** A Pod view that can still name its workload (every Pod the graph returns must be one). */
export function podView(ctx: MappingContext, pod: V1Pod): PodView {
  return { ...mapPod(ctx, pod), [POD_SOURCE]: pod };
}

export function mapPod(ctx: MappingContext, pod: V1Pod): Pod {
  let restarts = 0;
  for (const status of pod.status?.containerStatuses ?? []) restarts += status.restartCount;
  return {
    clusterId: ctx.clusterId,
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    nodeName: pod.spec?.nodeName ?? null,
    restarts,
  };
}

export function mapDeployment(ctx: MappingContext, deployment: V1Deployment): Workload {
  return {
    clusterId: ctx.clusterId,
    kind: 'Deployment',
    namespace: deployment.metadata?.namespace ?? '',
    name: deployment.metadata?.name ?? '',
    // The API server defaults spec.replicas to 1.
    replicas: deployment.spec?.replicas ?? 1,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
  };
}

export function mapStatefulSet(ctx: MappingContext, statefulSet: V1StatefulSet): Workload {
  return {
    clusterId: ctx.clusterId,
    kind: 'StatefulSet',
    namespace: statefulSet.metadata?.namespace ?? '',
    name: statefulSet.metadata?.name ?? '',
    replicas: statefulSet.spec?.replicas ?? 1,
    readyReplicas: statefulSet.status?.readyReplicas ?? 0,
  };
}

/** A DaemonSet's replicas are the nodes it should run on. */
export function mapDaemonSet(ctx: MappingContext, daemonSet: V1DaemonSet): Workload {
  return {
    clusterId: ctx.clusterId,
    kind: 'DaemonSet',
    namespace: daemonSet.metadata?.namespace ?? '',
    name: daemonSet.metadata?.name ?? '',
    replicas: daemonSet.status?.desiredNumberScheduled ?? 0,
    readyReplicas: daemonSet.status?.numberReady ?? 0,
  };
}

function controllerOf(owners: readonly V1OwnerReference[] | undefined): V1OwnerReference | undefined {
  return owners?.find((owner) => owner.controller === true) ?? owners?.[0];
}

/** Looks up a ReplicaSet by namespace and name (the informer cache). */
export type ReplicaSetLookup = (namespace: string, name: string) => V1ReplicaSet | undefined;

/**
 * The workload that owns a pod: Pod → ReplicaSet → Deployment, or a StatefulSet or DaemonSet directly.
 * When the ReplicaSet is not (yet) in the cache, its name is the Deployment's name plus the pod's
 * pod-template-hash, which is enough to name the Deployment.
 */
export function workloadRefOfPod(pod: V1Pod, replicaSet: ReplicaSetLookup): WorkloadRef | undefined {
  const namespace = pod.metadata?.namespace ?? '';
  const owner = controllerOf(pod.metadata?.ownerReferences);
  if (owner === undefined) return undefined;
  switch (owner.kind) {
    case 'StatefulSet':
    case 'DaemonSet':
      return { kind: owner.kind, namespace, name: owner.name };
    case 'ReplicaSet': {
      const set = replicaSet(namespace, owner.name);
      if (set !== undefined) {
        const deployment = controllerOf(set.metadata?.ownerReferences);
        return deployment?.kind === 'Deployment'
          ? { kind: 'Deployment', namespace, name: deployment.name }
          : undefined;
      }
      const hash = pod.metadata?.labels?.['pod-template-hash'];
      if (hash !== undefined && owner.name.endsWith(`-${hash}`)) {
        return { kind: 'Deployment', namespace, name: owner.name.slice(0, -(hash.length + 1)) };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet';
}
