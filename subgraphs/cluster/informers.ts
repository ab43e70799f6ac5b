/**
 * The informers of one cluster: nodes, pods, namespaces and the workload controllers, each a supervised
 * list-watch cache (supervisor.ts) over the subgraph's API client (kube-http.ts). Exposes typed read-only caches, one change listener for all kinds, start-up
 * sync and health.
 */
import type {
  V1DaemonSet,
  V1Deployment,
  V1Namespace,
  V1Node,
  V1Pod,
  V1ReplicaSet,
  V1Secret,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { KubeApi } from './kube-http.ts';
import {
  type InformerError,
  type InformerHealth,
  type InformerSupervision,
  type ObjectEventType,
  SupervisedInformer,
  type WatchTransport,
} from './supervisor.ts';

export const INFORMER_KINDS = [
  'nodes',
  'pods',
  'namespaces',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'helmreleases',
] as const;
export type InformerKind = (typeof INFORMER_KINDS)[number];

/**
 * The objects of each kind, as the API server's JSON (kube-http.ts): client-node's model types give their
 * shape; their Date fields hold RFC 3339 strings.
 */
export interface InformerObjects {
  nodes: V1Node;
  pods: V1Pod;
  namespaces: V1Namespace;
  deployments: V1Deployment;
  statefulsets: V1StatefulSet;
  daemonsets: V1DaemonSet;
  replicasets: V1ReplicaSet;
  /** Helm's release records: Secrets labelled owner=helm (one per release revision; helm-releases.ts). */
  helmreleases: V1Secret;
}

/** Read access to an informer's cache. Objects are shared: never mutate them. */
export interface ReadonlyCache<T> {
  get(name: string, namespace?: string): T | undefined;
  /** Every object, or those of one namespace. */
  list(namespace?: string): readonly T[];
}

export type InformerEvent = {
  [K in InformerKind]: {
    readonly kind: K;
    readonly type: ObjectEventType;
    readonly object: InformerObjects[K];
  };
}[InformerKind];

export interface ClusterInformersHealth {
  /** Every informer has completed its first list. */
  readonly synced: boolean;
  /** Every informer has an open watch. */
  readonly connected: boolean;
  readonly restarts: number;
  /** The longest time any informer has been without an open watch (0 when all are watching). */
  readonly disconnectedForMs: number;
  readonly lastError: (InformerError & { readonly informer: InformerKind }) | null;
  readonly informers: { readonly [K in InformerKind]: InformerHealth };
}

export interface ClusterInformers extends AsyncDisposable {
  cache<K extends InformerKind>(kind: K): ReadonlyCache<InformerObjects[K]>;
  /** Object events of every kind, after the cache has been updated; returns the unsubscribe function. */
  onEvent(listener: (event: InformerEvent) => void): () => void;
  /** A watch came back after failures (any kind). */
  onRecovered(listener: () => void): () => void;
  /** Resolves once every informer has listed (it never rejects: failures are retried). */
  synced(): Promise<void>;
  readonly isSynced: boolean;
  health(): ClusterInformersHealth;
  close(): Promise<void>;
}

interface KindSpec {
  readonly path: string;
  /** Restricts list and watch to these objects (Helm's secrets, not every secret of the cluster). */
  readonly labelSelector?: string;
}

/** Helm (3 and 4) labels every release secret it writes `owner=helm`. */
export const HELM_RELEASE_SELECTOR = 'owner=helm';

const KIND_SPECS: { readonly [K in InformerKind]: KindSpec } = {
  nodes: { path: '/api/v1/nodes' },
  pods: { path: '/api/v1/pods' },
  namespaces: { path: '/api/v1/namespaces' },
  deployments: { path: '/apis/apps/v1/deployments' },
  statefulsets: { path: '/apis/apps/v1/statefulsets' },
  daemonsets: { path: '/apis/apps/v1/daemonsets' },
  replicasets: { path: '/apis/apps/v1/replicasets' },
  helmreleases: { path: '/api/v1/secrets', labelSelector: HELM_RELEASE_SELECTOR },
};

export interface ClusterInformerOptions extends InformerSupervision {
  /** Request side of watches; the API client's own by default. */
  readonly transport?: WatchTransport;
}

type InformerMap = { readonly [K in InformerKind]: SupervisedInformer<InformerObjects[K]> };

/**
 * Kinds the cluster's readiness does not wait for: credentials that may not list Secrets (a remote cluster's
 * narrow service account) must not take the inventory down; the releases are then unknown, and the
 * informer's own health (per kind) says why.
 */
const UNGATED_KINDS: ReadonlySet<InformerKind> = new Set(['helmreleases']);

/** The watches of a transport restricted by a label selector (ListWatch itself sends none). */
function selecting(transport: WatchTransport, labelSelector: string): WatchTransport {
  return {
    watch: (path, queryParams, callback, done) =>
      transport.watch(path, { ...queryParams, labelSelector }, callback, done),
  };
}

/** Creates and starts the informers of one cluster. */
export function startClusterInformers(api: KubeApi, options: ClusterInformerOptions = {}): ClusterInformers {
  const transport = options.transport ?? api;
  const logger: Logger | undefined = options.logger;
  const listeners = new Set<(event: InformerEvent) => void>();

  function create<K extends InformerKind>(kind: K): SupervisedInformer<InformerObjects[K]> {
    const spec = KIND_SPECS[kind];
    const query = spec.labelSelector === undefined ? {} : { labelSelector: spec.labelSelector };
    const informer = new SupervisedInformer<InformerObjects[K]>({
      ...options,
      name: kind,
      path: spec.path,
      list: () => api.list<InformerObjects[K]>(spec.path, query),
      transport: spec.labelSelector === undefined ? transport : selecting(transport, spec.labelSelector),
    });
    for (const type of ['add', 'update', 'delete'] as const) {
      informer.on(type, (object) => {
        // The cast restores the kind/object correlation that TypeScript loses across the generic K.
        const event = { kind, type, object } as InformerEvent;
        for (const listener of listeners) {
          try {
            listener(event);
          } catch (error) {
            logger?.error({ err: error, informer: kind }, 'informer event listener failed');
          }
        }
      });
    }
    return informer;
  }

  const informers: InformerMap = {
    nodes: create('nodes'),
    pods: create('pods'),
    namespaces: create('namespaces'),
    deployments: create('deployments'),
    statefulsets: create('statefulsets'),
    daemonsets: create('daemonsets'),
    replicasets: create('replicasets'),
    helmreleases: create('helmreleases'),
  };
  const all = INFORMER_KINDS.map((kind) => informers[kind]);
  const gating = INFORMER_KINDS.filter((kind) => !UNGATED_KINDS.has(kind)).map((kind) => informers[kind]);
  for (const informer of all) informer.start();
  const syncedPromise = Promise.all(gating.map((informer) => informer.synced())).then(() => undefined);
  let closed: Promise<void> | undefined;

  const close = (): Promise<void> => {
    closed ??= Promise.all(all.map((informer) => informer.stop())).then(() => undefined);
    return closed;
  };

  return {
    cache: (kind) => informers[kind],
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    onRecovered(listener) {
      const unsubscribes = all.map((informer) => informer.onRecovered(listener));
      return () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
      };
    },
    synced: () => syncedPromise,
    get isSynced() {
      return gating.every((informer) => informer.isSynced);
    },
    health() {
      const perKind = {} as Record<InformerKind, InformerHealth>;
      let lastError: ClusterInformersHealth['lastError'] = null;
      let restarts = 0;
      for (const kind of INFORMER_KINDS) {
        const health = informers[kind].health();
        perKind[kind] = health;
        restarts += health.restarts;
        if (health.lastError !== null && (lastError === null || health.lastError.at > lastError.at)) {
          lastError = { ...health.lastError, informer: kind };
        }
      }
      const states = INFORMER_KINDS.filter((kind) => !UNGATED_KINDS.has(kind)).map((kind) => perKind[kind]);
      return {
        synced: states.every((h) => h.synced),
        connected: states.every((h) => h.connected),
        restarts,
        disconnectedForMs: Math.max(0, ...states.map((h) => h.disconnectedForMs)),
        lastError,
        informers: perKind,
      };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
