/**
 * A collapsed controller-manager, scheduler and kubelets for workloads (docs/dms.md): Deployments get
 * ReplicaSets, ReplicaSets/StatefulSets/DaemonSets get Pods, pending Pods get nodes, bound Pods start
 * (after `podStartDelayMs`, without pulling images) and become Ready unless told not to (kubelet.ts), pods
 * of deleted nodes are garbage-collected, and every workload's status is computed from its real pods.
 *
 * Event-driven: store notifications mark what to look at, and one pass runs on the next macrotask —
 * never inside the notification, so every watcher sees a change before the controllers' reaction to it,
 * in resourceVersion order. Nothing runs while nothing changes (no polling); the only timers are the
 * pending pod starts and the restarts of crash-looping pods (kubelet.ts, `sim.netweave.io/crash-loop`).
 */
import type { MemoryObjectStore } from '../store/object-store.ts';
import type { StoreEvent } from '../store/event-log.ts';
import type { KubeObject } from '../types.ts';
import { ControllerContext } from './context.ts';
import { reconcileDaemonSet } from './daemon-set.ts';
import { reconcileDeployment } from './deployment.ts';
import { controllerRef, isDeleting } from './json-access.ts';
import { crashLoopDelayMs, crashLoopStatus, runningStatus } from './kubelet.ts';
import { nodeReady } from './placement.ts';
import { nodeNameOf, phaseOf } from './pods.ts';
import { reconcileReplicaSet } from './replica-set.ts';
import { schedulePending } from './scheduler.ts';
import { reconcileStatefulSet } from './stateful-set.ts';

export interface WorkloadControllerOptions {
  /**
   * How long a pod bound to a node takes to be Running (and Ready, unless held unready): the stand-in
   * for image pull and container start. Default 300 ms; 0 starts pods on the next turn of the event loop.
   */
  readonly podStartDelayMs?: number;
  /**
   * Time between two restarts of a crash-looping pod's containers (annotation `sim.netweave.io/crash-loop`):
   * a fixed stand-in for the kubelet's back-off (10 s doubling to 5 min). Default 5 s.
   */
  readonly crashLoopRestartMs?: number;
  readonly now?: () => number;
}

export const DEFAULT_POD_START_DELAY_MS = 300;
export const DEFAULT_CRASH_LOOP_RESTART_MS = 5_000;

type Reconcile = (ctx: ControllerContext, object: KubeObject) => void;

const RECONCILERS: Readonly<Record<string, Reconcile>> = {
  'Deployment.apps': reconcileDeployment,
  'ReplicaSet.apps': reconcileReplicaSet,
  'StatefulSet.apps': reconcileStatefulSet,
  'DaemonSet.apps': reconcileDaemonSet,
};
const POD = 'Pod.';
const NODE = 'Node.';

interface Key {
  readonly groupKind: string;
  readonly namespace: string | undefined;
  readonly name: string;
}

/** Starts the controllers on `store`; the returned function stops them (pending work is dropped). */
export function startWorkloadControllers(
  store: MemoryObjectStore,
  options: WorkloadControllerOptions = {},
): () => void {
  const ctx = new ControllerContext(store, options.now ?? Date.now);
  const delay = Math.max(0, options.podStartDelayMs ?? DEFAULT_POD_START_DELAY_MS);
  const dirty = new Map<string, Key>();
  const goneNodes = new Set<string>();
  const readyNodes = new Set<string>();
  const starting = new Map<string, NodeJS.Timeout>();
  const restartEvery = Math.max(1, options.crashLoopRestartMs ?? DEFAULT_CRASH_LOOP_RESTART_MS);
  /** The next crash of each crash-looping pod, by uid. */
  const crashing = new Map<string, NodeJS.Timeout>();
  let schedule = false;
  let allDaemonSets = false;
  let pass: NodeJS.Immediate | undefined;
  let stopped = false;

  const request = (): void => {
    if (pass === undefined && !stopped) pass = setImmediate(run);
  };
  const enqueue = (groupKind: string, namespace: string | undefined, name: string): void => {
    dirty.set(`${groupKind}/${namespace ?? ''}/${name}`, { groupKind, namespace, name });
    request();
  };

  /** The kubelet's side: a bound pod that has not started yet starts after the delay. */
  const watchStart = (pod: KubeObject): void => {
    const uid = pod.metadata.uid ?? '';
    if (starting.has(uid) || nodeNameOf(pod) === undefined || phaseOf(pod) !== 'Pending' || isDeleting(pod))
      return;
    const { namespace, name } = pod.metadata;
    starting.set(
      uid,
      setTimeout(() => {
        starting.delete(uid);
        start(namespace, name, uid);
      }, delay),
    );
  };
  const start = (namespace: string | undefined, name: string, uid: string): void => {
    const pod = store.getObject(ctx.type('v1', 'Pod'), namespace, name);
    if (pod === undefined || pod.metadata.uid !== uid || phaseOf(pod) !== 'Pending' || isDeleting(pod))
      return;
    const nodeName = nodeNameOf(pod);
    const node =
      nodeName === undefined ? undefined : store.getObject(ctx.type('v1', 'Node'), undefined, nodeName);
    // A node that is not Ready has no kubelet to start anything; its pods start when it comes back.
    if (node === undefined || !nodeReady(node)) return;
    const onNode = ctx.pods().filter((p) => nodeNameOf(p) === nodeName);
    const crashAfter = crashLoopDelayMs(pod);
    let status = runningStatus(pod, node, onNode, ctx.timestamp());
    // Crash-looping from the start: the pod is never seen Ready.
    if (crashAfter === 0) status = crashLoopStatus({ ...pod, status }, ctx.timestamp());
    guarded(() => ctx.writeStatus(pod, status));
    if (crashAfter !== undefined)
      scheduleCrash(namespace, name, uid, crashAfter === 0 ? restartEvery : crashAfter);
  };

  /** The kubelet restarting a crash-looping pod's containers, which crash again. */
  const scheduleCrash = (namespace: string | undefined, name: string, uid: string, afterMs: number): void => {
    if (stopped) return;
    crashing.set(
      uid,
      setTimeout(() => {
        crashing.delete(uid);
        const pod = store.getObject(ctx.type('v1', 'Pod'), namespace, name);
        if (pod === undefined || pod.metadata.uid !== uid || phaseOf(pod) !== 'Running' || isDeleting(pod))
          return;
        guarded(() => ctx.writeStatus(pod, crashLoopStatus(pod, ctx.timestamp())));
        scheduleCrash(namespace, name, uid, restartEvery);
      }, afterMs),
    );
  };

  const onEvent = (event: StoreEvent): void => {
    const object = event.object;
    if (event.groupKind === POD) {
      const owner = controllerRef(object);
      if (owner !== undefined) {
        const groupKind = `${owner.kind}.${owner.apiVersion.split('/')[0] ?? ''}`;
        if (RECONCILERS[groupKind] !== undefined) enqueue(groupKind, object.metadata.namespace, owner.name);
      }
      if (event.type === 'DELETED') {
        clearTimeout(starting.get(object.metadata.uid ?? ''));
        starting.delete(object.metadata.uid ?? '');
        clearTimeout(crashing.get(object.metadata.uid ?? ''));
        crashing.delete(object.metadata.uid ?? '');
      } else watchStart(object);
      schedule = true;
      request();
      return;
    }
    if (event.groupKind === NODE) {
      if (event.type === 'DELETED') goneNodes.add(object.metadata.name);
      else if (nodeReady(object) && (event.previous === undefined || !nodeReady(event.previous)))
        readyNodes.add(object.metadata.name);
      schedule = true;
      allDaemonSets = true;
      request();
      return;
    }
    if (RECONCILERS[event.groupKind] === undefined) return;
    if (event.type !== 'DELETED') enqueue(event.groupKind, object.metadata.namespace, object.metadata.name);
    const owner = controllerRef(object);
    if (event.groupKind === 'ReplicaSet.apps' && owner?.kind === 'Deployment')
      enqueue('Deployment.apps', object.metadata.namespace, owner.name);
  };

  const run = (): void => {
    pass = undefined;
    if (stopped) return;
    if (goneNodes.size > 0) {
      // The pod garbage collector: pods bound to a node that no longer exists are deleted.
      const gone = new Set(
        [...goneNodes].filter((n) => store.getObject(ctx.type('v1', 'Node'), undefined, n) === undefined),
      );
      goneNodes.clear();
      for (const pod of ctx.pods()) if (gone.has(nodeNameOf(pod) ?? '')) guarded(() => ctx.delete(pod));
    }
    if (readyNodes.size > 0) {
      for (const pod of ctx.pods()) if (readyNodes.has(nodeNameOf(pod) ?? '')) watchStart(pod);
      readyNodes.clear();
    }
    if (allDaemonSets) {
      allDaemonSets = false;
      for (const ds of store.listObjects(ctx.type('apps/v1', 'DaemonSet')).items)
        dirty.set(`DaemonSet.apps/${ds.metadata.namespace ?? ''}/${ds.metadata.name}`, {
          groupKind: 'DaemonSet.apps',
          namespace: ds.metadata.namespace,
          name: ds.metadata.name,
        });
    }
    const work = [...dirty.values()];
    dirty.clear();
    for (const key of work) {
      const reconcile = RECONCILERS[key.groupKind]!;
      const [kind] = key.groupKind.split('.');
      const object = store.getObject(ctx.type('apps/v1', kind!), key.namespace, key.name);
      if (object !== undefined) guarded(() => reconcile(ctx, object));
    }
    if (schedule) {
      schedule = false;
      guarded(() => schedulePending(ctx));
    }
  };

  const unsubscribe = store.subscribe(onEvent);
  // What a controller-manager does when it starts: look at everything once.
  for (const groupKind of Object.keys(RECONCILERS)) {
    const [kind] = groupKind.split('.');
    for (const object of store.listObjects(ctx.type('apps/v1', kind!)).items)
      enqueue(groupKind, object.metadata.namespace, object.metadata.name);
  }
  for (const pod of ctx.pods()) watchStart(pod);
  schedule = true;
  request();

  return () => {
    stopped = true;
    unsubscribe();
    if (pass !== undefined) clearImmediate(pass);
    for (const timer of starting.values()) clearTimeout(timer);
    starting.clear();
    for (const timer of crashing.values()) clearTimeout(timer);
    crashing.clear();
    dirty.clear();
  };
}

/** A controller's write can lose a race with a client (the object went away): the next event retries. */
function guarded(action: () => void): void {
  try {
    action();
  } catch (error) {
    const reason = (error as { reason?: unknown }).reason;
    if (reason === 'NotFound' || reason === 'AlreadyExists' || reason === 'Conflict') return;
    process.emitWarning(`sim workload controller: ${error instanceof Error ? error.message : String(error)}`);
  }
}
