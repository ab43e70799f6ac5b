/**
 * One simulated cluster: a store seeded like a fresh cluster (system namespaces, the `kubernetes`
 * Service) plus the caller's objects, served over HTTP on loopback.
 */
import type { WorkloadControllerOptions } from './controllers/workload-controllers.ts';
import { startWorkloadControllers } from './controllers/workload-controllers.ts';
import { SimApiError } from './errors.ts';
import type { Fault } from './http/server.ts';
import { SimApiServer } from './http/server.ts';
import { simServingCertificate } from './http/tls.ts';
import { kubeconfigYaml, writeKubeconfigFile } from './kubeconfig.ts';
import type { SimObjectStore } from './store/object-store.ts';
import { MemoryObjectStore } from './store/object-store.ts';
import type { KubeObject } from './types.ts';

export type { Fault } from './http/server.ts';

export interface SimCluster extends AsyncDisposable {
  readonly name: string;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Programmatic access with the same semantics as HTTP (bumps resourceVersion, emits watch events). */
  readonly objects: SimObjectStore;
  /** The bearer token of the kubeconfig; required by the server only when `SimClusterOptions.token` set it. */
  readonly token: string;
  /** Base64 PEM of the https server's certificate (its own CA); undefined on plain http. */
  readonly caData: string | undefined;
  /** A kubeconfig (cluster, user and context named after the cluster) pointing at `url`, with a bearer token. */
  kubeconfigYaml(): string;
  writeKubeconfig(path: string): Promise<void>;
  /**
   * unavailable: drop every connection (watches too) and answer 503; slow: hold each request until the
   * client gives up (bounded by `slowDelayMs`, released on close or when the fault clears).
   */
  setFault(fault: Fault): void;
  /** Ends watches and frees the port; also via `await using`. */
  close(): Promise<void>;
}

export interface SimClusterOptions {
  name: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  objects?: KubeObject[];
  /** Default v1.31.2. */
  kubernetesVersion?: string;
  /** The watch window in events; a watch resuming from further back gets 410 Gone. Default 1000. */
  retainedEvents?: number;
  /**
   * When set, every request must carry this bearer token (401 otherwise); the kubeconfig carries it, and the
   * server speaks https with a self-signed certificate (sim/http/tls.ts), since kubectl and helm send
   * credentials only over TLS.
   */
  token?: string;
  /** Period of BOOKMARK events on watches that allow them. Default 10 s. */
  bookmarkIntervalMs?: number;
  /** Hold time of the 'slow' fault. Default 30 s. */
  slowDelayMs?: number;
  /** Longest watch the server keeps open (clients reconnect). Default 30 min. */
  maxWatchTimeoutMs?: number;
  /**
   * Run the workload controllers, scheduler and kubelets (controllers/workload-controllers.ts):
   * Deployments, ReplicaSets, StatefulSets and DaemonSets get their Pods, pods are scheduled onto nodes
   * with room for them and become Running and Ready after `podStartDelayMs` (default 300 ms), unless
   * held unready (`sim.netweave.io/ready: "false"` or an always-failing exec readiness probe). `true`
   * uses the defaults. Default off (pods created through the API then stay Pending); `startScenario`
   * turns it on so the demo behaves like a live cluster (helm --wait, rollout status).
   */
  controllers?: boolean | WorkloadControllerOptions;
  /** Observes each finished HTTP request (debugging). */
  onRequest?: (method: string, url: string, status: number) => void;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** CRDs and namespaces first, so the objects that need them can be created in any given order. */
function seedOrder(object: KubeObject): number {
  if (object.kind === 'Namespace') return 0;
  if (object.kind === 'CustomResourceDefinition') return 1;
  return 2;
}

function seed(store: MemoryObjectStore, objects: readonly KubeObject[]): void {
  for (const name of SYSTEM_NAMESPACES)
    store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  store.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
    },
  });
  const ordered = objects
    .map((object, index) => ({ object, index }))
    .sort((a, b) => seedOrder(a.object) - seedOrder(b.object) || a.index - b.index);
  for (const { object } of ordered) {
    try {
      store.create(object);
    } catch (error) {
      // A scenario may list a system namespace explicitly (to label it): update the seeded one instead.
      if (!(error instanceof SimApiError && error.reason === 'AlreadyExists')) throw error;
      const existing = store.get(
        object.apiVersion,
        object.kind,
        object.metadata.name,
        object.metadata.namespace,
      );
      store.update({
        ...object,
        metadata: { ...object.metadata, resourceVersion: existing?.metadata.resourceVersion ?? '' },
      });
    }
  }
}

export async function startSimCluster(opts: SimClusterOptions): Promise<SimCluster> {
  const store = new MemoryObjectStore({ retainedEvents: opts.retainedEvents ?? 1000 });
  const tls = opts.token === undefined ? undefined : simServingCertificate();
  seed(store, opts.objects ?? []);
  const server = await SimApiServer.start({
    store,
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    ...(opts.token === undefined ? {} : { token: opts.token }),
    ...(tls === undefined ? {} : { tls }),
    kubernetesVersion: opts.kubernetesVersion ?? 'v1.31.2',
    slowDelayMs: opts.slowDelayMs ?? 30_000,
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 10_000,
    maxWatchTimeoutMs: opts.maxWatchTimeoutMs ?? 30 * 60_000,
    now: Date.now,
    ...(opts.onRequest === undefined ? {} : { onRequest: opts.onRequest }),
  });
  const token = opts.token ?? `sim-token-${opts.name}`;
  const stopController =
    opts.controllers === undefined || opts.controllers === false
      ? undefined
      : startWorkloadControllers(store, opts.controllers === true ? {} : opts.controllers);
  const close = async (): Promise<void> => {
    stopController?.();
    await server.close();
  };
  return {
    name: opts.name,
    url: server.url,
    token,
    objects: store,
    caData: tls?.caData,
    kubeconfigYaml: () => kubeconfigYaml(opts.name, server.url, token, tls?.caData),
    writeKubeconfig: (path) =>
      writeKubeconfigFile(path, kubeconfigYaml(opts.name, server.url, token, tls?.caData)),
    setFault: (fault) => server.setFault(fault),
    close,
    [Symbol.asyncDispose]: close,
  };
}
