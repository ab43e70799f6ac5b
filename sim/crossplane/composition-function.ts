/**
 * A stand-in for Crossplane on a simulated management cluster (docs/provisioning.md "Simulator"): what a
 * real installation does with Crossplane, a composition function and a cluster provider, in one small
 * controller.
 *
 * - Every CompositeResourceDefinition gets the CRD of its composite kind (crds.ts), as Crossplane's XRD
 *   controller generates it.
 * - A new composite gets the finalizer Crossplane puts on it, `Synced=True` and `Ready=False (Creating)`;
 *   then a NEW simulated cluster is started (its nodes from `spec.parameters`, https + token like every
 *   simulated cluster), its kubeconfig is written to the Secret `<xr-name>-kubeconfig` (key `kubeconfig`) in
 *   the composite's namespace, and after `readyDelayMs` the composite turns `Ready=True`.
 * - A changed spec (new `metadata.generation`) adds or removes nodes and goes through Ready=False again.
 * - The annotation `sim.netweave.io/fail` or the parameter `simulateFailure` (its value is the message) makes
 *   the function fail: `Synced=False (ReconcileError)`, never Ready, no cluster.
 * - Deleting the composite stops its cluster, deletes the Secret and then releases the finalizer.
 *
 * Conditions carry `observedGeneration`, so a reader can tell a Ready of an older spec from a current one.
 */
import { randomBytes } from 'node:crypto';
import type { SimCluster } from '../cluster.ts';
import { startSimCluster } from '../cluster.ts';
import { SimApiError } from '../errors.ts';
import type { StoreEvent } from '../store/event-log.ts';
import type { KubeObject } from '../types.ts';
import { isPlainObject } from '../types.ts';
import { CROSSPLANE_API_VERSION, compositeCrdOf } from './crds.ts';
import { simulatedNodes, type NodeParameters } from './nodes.ts';

export const FAIL_ANNOTATION = 'sim.netweave.io/fail';
export const COMPOSITE_FINALIZER = 'composite.apiextensions.crossplane.io';
export const KUBECONFIG_SECRET_KEY = 'kubeconfig';

export interface CompositionFunctionOptions {
  /** The management cluster the XRDs and composites live in. */
  readonly management: SimCluster;
  /** Listen address of the clusters it creates (default 127.0.0.1). */
  readonly host?: string;
  /** Time between Synced and Ready, the "provider" creating the cluster (default 500 ms). */
  readonly readyDelayMs?: number;
  /** Pod start delay of the created clusters' kubelets (see SimClusterOptions.controllers). */
  readonly podStartDelayMs?: number;
  /** Observes each cluster started or stopped (the demo prints it). */
  readonly onCluster?: (event: 'started' | 'stopped', cluster: SimCluster) => void;
}

export interface CompositionFunction extends AsyncDisposable {
  /** The running clusters, by composite name. */
  readonly clusters: ReadonlyMap<string, SimCluster>;
  /** Resolves once every reconcile queued so far has finished (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface Composite {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

interface Running {
  readonly cluster: SimCluster;
  generation: number;
}

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function condition(type: string, status: string, reason: string, generation: number, message?: string) {
  return {
    type,
    status,
    reason,
    observedGeneration: generation,
    lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    ...(message === undefined ? {} : { message }),
  };
}

export function startCompositionFunction(options: CompositionFunctionOptions): CompositionFunction {
  const store = options.management.objects;
  const readyDelayMs = options.readyDelayMs ?? 500;
  const running = new Map<string, Running>();
  const queues = new Map<string, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  /** The composite kinds (group/kind keys) defined by the XRDs seen so far. */
  const compositeKinds = new Map<string, { apiVersion: string; kind: string }>();
  let stopped = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const current = (xr: Composite): KubeObject | undefined =>
    store.get(xr.apiVersion, xr.kind, xr.name, xr.namespace);

  const setConditions = (xr: Composite, conditions: unknown[]): void => {
    if (current(xr) === undefined) return;
    store.mergePatch(xr.apiVersion, xr.kind, xr.name, { status: { conditions } }, xr.namespace);
  };

  const defineComposite = (xrd: KubeObject): void => {
    const crd = compositeCrdOf(xrd);
    const spec = record(crd['spec']);
    const names = record(spec['names']);
    const versions = Array.isArray(spec['versions']) ? spec['versions'].map(record) : [];
    const version = String((versions.find((v) => v['storage'] === true) ?? versions[0])?.['name'] ?? 'v1');
    compositeKinds.set(`${String(names['kind'])}.${String(spec['group'])}`, {
      apiVersion: `${String(spec['group'])}/${version}`,
      kind: String(names['kind']),
    });
    if (store.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', crd.metadata.name) === undefined)
      store.create(crd);
  };

  const secretName = (xr: Composite): string => `${xr.name}-kubeconfig`;

  const teardown = async (xr: Composite): Promise<void> => {
    const entry = running.get(xr.name);
    running.delete(xr.name);
    if (entry) {
      await entry.cluster.close();
      options.onCluster?.('stopped', entry.cluster);
    }
    store.delete('v1', 'Secret', secretName(xr), xr.namespace);
    const object = current(xr);
    if (object === undefined) return;
    // Releasing the finalizer completes the deletion the client asked for.
    const finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== COMPOSITE_FINALIZER);
    store.update({ ...object, metadata: { ...object.metadata, finalizers } });
  };

  const create = async (xr: Composite, object: KubeObject, generation: number): Promise<void> => {
    const parameters = record(record(object['spec'])['parameters']) as NodeParameters;
    const cluster = await startSimCluster({
      name: xr.name,
      ...(options.host === undefined ? {} : { host: options.host }),
      token: `sim-${randomBytes(18).toString('base64url')}`,
      controllers:
        options.podStartDelayMs === undefined ? true : { podStartDelayMs: options.podStartDelayMs },
      objects: simulatedNodes(xr.name, parameters),
      ...(typeof parameters.kubernetesVersion === 'string'
        ? { kubernetesVersion: parameters.kubernetesVersion }
        : {}),
    });
    if (stopped || current(xr) === undefined) {
      await cluster.close();
      return;
    }
    running.set(xr.name, { cluster, generation });
    options.onCluster?.('started', cluster);
    store.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: secretName(xr),
        namespace: xr.namespace,
        labels: { 'crossplane.io/composite': xr.name },
        ownerReferences: [
          {
            apiVersion: xr.apiVersion,
            kind: xr.kind,
            name: xr.name,
            uid: object.metadata.uid!,
            controller: true,
          },
        ],
      },
      type: 'connection.crossplane.io/v1alpha1',
      data: { [KUBECONFIG_SECRET_KEY]: Buffer.from(cluster.kubeconfigYaml()).toString('base64') },
    });
  };

  const resize = (entry: Running, xr: Composite, object: KubeObject): void => {
    const parameters = record(record(object['spec'])['parameters']) as NodeParameters;
    const wanted = new Map(simulatedNodes(xr.name, parameters).map((node) => [node.metadata.name, node]));
    const nodes = entry.cluster.objects.list('v1', 'Node');
    for (const node of nodes)
      if (!wanted.has(node.metadata.name)) entry.cluster.objects.delete('v1', 'Node', node.metadata.name);
    for (const [name, node] of wanted)
      if (!nodes.some((n) => n.metadata.name === name)) entry.cluster.objects.create(node);
  };

  const reconcile = async (xr: Composite): Promise<void> => {
    const object = current(xr);
    if (object === undefined || object.metadata.deletionTimestamp !== undefined) {
      // A real provider takes a while to tear a cluster down: the composite shows it is being deleted.
      if (object !== undefined) await sleep(readyDelayMs);
      if (stopped) return;
      if (object !== undefined || running.has(xr.name)) await teardown(xr);
      return;
    }
    const generation = object.metadata.generation ?? 1;
    if (!(object.metadata.finalizers ?? []).includes(COMPOSITE_FINALIZER)) {
      store.update({
        ...object,
        metadata: {
          ...object.metadata,
          finalizers: [...(object.metadata.finalizers ?? []), COMPOSITE_FINALIZER],
        },
      });
    }
    const parameters = record(record(object['spec'])['parameters']);
    const failure =
      object.metadata.annotations?.[FAIL_ANNOTATION] ??
      (typeof parameters['simulateFailure'] === 'string' ? parameters['simulateFailure'] : undefined);
    if (failure !== undefined) {
      setConditions(xr, [
        condition(
          'Synced',
          'False',
          'ReconcileError',
          generation,
          `cannot compose resources: ${failure || 'the composition function failed'}`,
        ),
        condition('Ready', 'False', 'Creating', generation),
      ]);
      return;
    }
    const entry = running.get(xr.name);
    if (entry !== undefined && entry.generation === generation) return;
    setConditions(xr, [
      condition('Synced', 'True', 'ReconcileSuccess', generation),
      condition('Ready', 'False', 'Creating', generation, 'Unready resources: cluster'),
    ]);
    await sleep(readyDelayMs);
    if (stopped) return;
    const latest = current(xr);
    if (latest === undefined || latest.metadata.deletionTimestamp !== undefined) return;
    if (entry === undefined) await create(xr, latest, generation);
    else {
      resize(entry, xr, latest);
      entry.generation = generation;
    }
    if (!running.has(xr.name)) return;
    setConditions(xr, [
      condition('Synced', 'True', 'ReconcileSuccess', generation),
      condition('Ready', 'True', 'Available', generation),
    ]);
  };

  /** One reconcile at a time per composite, in event order. */
  const enqueue = (xr: Composite): void => {
    const key = `${xr.namespace}/${xr.name}`;
    const next = (queues.get(key) ?? Promise.resolve())
      .then(() => (stopped ? undefined : reconcile(xr)))
      .catch((error: unknown) => {
        // A failed step (the object changed under us: 409) is retried with the next event or here.
        if (!(error instanceof SimApiError)) throw error;
        if (!stopped) setTimeout(() => enqueue(xr), 100).unref();
      });
    queues.set(key, next);
    void next.finally(() => {
      if (queues.get(key) === next) queues.delete(key);
    });
  };

  const compositeOf = (object: KubeObject): Composite | undefined => {
    const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '';
    if (!compositeKinds.has(`${object.kind}.${group}`) || object.metadata.namespace === undefined)
      return undefined;
    return {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
    };
  };

  const onEvent = (event: StoreEvent): void => {
    const { object } = event;
    if (object.apiVersion === CROSSPLANE_API_VERSION && object.kind === 'CompositeResourceDefinition') {
      if (event.type !== 'DELETED') defineComposite(object);
      return;
    }
    const xr = compositeOf(object);
    if (xr === undefined) return;
    // Our own status writes come back as MODIFIED: reconcile is idempotent, and skips a handled generation.
    enqueue(xr);
  };

  const unsubscribe = store.subscribe(onEvent);
  for (const xrd of store.list(CROSSPLANE_API_VERSION, 'CompositeResourceDefinition')) defineComposite(xrd);
  for (const { apiVersion, kind } of compositeKinds.values()) {
    for (const object of store.list(apiVersion, kind)) {
      const xr = compositeOf(object);
      if (xr !== undefined) enqueue(xr);
    }
  }

  const idle = async (): Promise<void> => {
    while (queues.size > 0) await Promise.allSettled([...queues.values()]);
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    for (const timer of timers) clearTimeout(timer);
    await Promise.allSettled([...running.values()].map((entry) => entry.cluster.close()));
    running.clear();
  };
  return {
    get clusters() {
      return new Map([...running].map(([name, entry]) => [name, entry.cluster]));
    },
    idle,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
