/**
 * A collapsed controller-manager + kubelets for workloads: whenever a Deployment, StatefulSet, DaemonSet
 * or ReplicaSet changes (new generation), its status is set to "rolled out and ready", as a healthy
 * cluster would report moments later. No Pods are created; the point is that `helm install --wait`,
 * `kubectl rollout status` and status-watching code see workloads converge.
 *
 * Updates run on the next macrotask, never inside the store's notification of the change itself, so
 * every watcher sees the spec change before the status change, in resourceVersion order.
 */
import type { ResourceType } from '../resources/resource-type.ts';
import { parseLabelSelector } from '../store/label-selector.ts';
import { formatTime } from '../store/metadata.ts';
import type { MemoryObjectStore } from '../store/object-store.ts';
import type { KubeObject } from '../types.ts';
import { isPlainObject } from '../types.ts';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

type Status = Record<string, unknown>;

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function nonZero(fields: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== 0));
}

function replicas(object: KubeObject): number {
  const value = record(object['spec'])['replicas'];
  return typeof value === 'number' ? value : 1;
}

/** Nodes a DaemonSet's pods would run on: those matching its template's nodeSelector. */
function daemonNodes(store: MemoryObjectStore, object: KubeObject): number {
  const selector = record(record(record(record(object['spec'])['template'])['spec'])['nodeSelector']);
  const text = Object.entries(selector)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
  return store.listObjects(store.typeOf('v1', 'Node'), { labelSelector: parseLabelSelector(text) }).items
    .length;
}

function readyStatus(store: MemoryObjectStore, object: KubeObject, now: string): Status {
  const generation = object.metadata.generation ?? 1;
  const previous = record(object['status']);
  switch (object.kind) {
    case 'Deployment': {
      const r = replicas(object);
      const since = (type: string): string => {
        const old = Array.isArray(previous['conditions'])
          ? previous['conditions'].map(record).find((c) => c['type'] === type && c['status'] === 'True')
          : undefined;
        return typeof old?.['lastTransitionTime'] === 'string' ? old['lastTransitionTime'] : now;
      };
      return {
        observedGeneration: generation,
        ...nonZero({ replicas: r, updatedReplicas: r, readyReplicas: r, availableReplicas: r }),
        conditions: [
          {
            type: 'Available',
            status: 'True',
            lastUpdateTime: now,
            lastTransitionTime: since('Available'),
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          },
          {
            type: 'Progressing',
            status: 'True',
            lastUpdateTime: now,
            lastTransitionTime: since('Progressing'),
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${object.metadata.name}" has successfully progressed.`,
          },
        ],
      };
    }
    case 'StatefulSet': {
      const r = replicas(object);
      const revision = `${object.metadata.name}-${generation}`;
      return {
        observedGeneration: generation,
        replicas: r,
        ...nonZero({ readyReplicas: r, currentReplicas: r, updatedReplicas: r, availableReplicas: r }),
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
      };
    }
    case 'DaemonSet': {
      const n = daemonNodes(store, object);
      return {
        observedGeneration: generation,
        desiredNumberScheduled: n,
        currentNumberScheduled: n,
        numberMisscheduled: 0,
        numberReady: n,
        ...nonZero({ updatedNumberScheduled: n, numberAvailable: n }),
      };
    }
    default: {
      const r = replicas(object);
      return {
        observedGeneration: generation,
        replicas: r,
        ...nonZero({ fullyLabeledReplicas: r, readyReplicas: r, availableReplicas: r }),
      };
    }
  }
}

function needsStatus(object: KubeObject): boolean {
  return record(object['status'])['observedGeneration'] !== (object.metadata.generation ?? 1);
}

/** Starts the controller on `store`; the returned function stops it (pending updates are dropped). */
export function startWorkloadController(store: MemoryObjectStore, now: () => number = Date.now): () => void {
  const pending = new Map<string, NodeJS.Immediate>();
  const reconcile = (type: ResourceType, namespace: string | undefined, name: string): void => {
    const current = store.getObject(type, namespace, name);
    if (current === undefined || current.metadata.deletionTimestamp !== undefined || !needsStatus(current))
      return;
    store.replaceObject(
      type,
      {
        ...current,
        metadata: { ...current.metadata },
        status: readyStatus(store, current, formatTime(now())),
      },
      { scope: 'status' },
    );
  };
  const unsubscribe = store.subscribe((event) => {
    const object = event.object;
    if (
      event.type === 'DELETED' ||
      !WORKLOAD_KINDS.has(object.kind) ||
      !object.apiVersion.startsWith('apps/') ||
      !needsStatus(object)
    )
      return;
    const key = `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    if (pending.has(key)) return;
    const type = store.typeOf(object.apiVersion, object.kind);
    pending.set(
      key,
      setImmediate(() => {
        pending.delete(key);
        reconcile(type, object.metadata.namespace, object.metadata.name);
      }),
    );
  });
  return () => {
    unsubscribe();
    for (const handle of pending.values()) clearImmediate(handle);
    pending.clear();
  };
}
