/**
 * The demo topology (`npm run demo`) and the harness the end-to-end tests share: simulated clusters from a
 * scenario, one cluster subgraph per cluster on a loopback port, and the gateway with the in-memory store
 * (Redis when REDIS_URL is set).
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGatewayConfig, type GatewayConfigInput } from '../common/config.ts';
import { createLogger, type Logger } from '../common/log.ts';
import { loadScenario, startScenario, startTimeline, type Scenario, type SimCluster } from '../sim/index.ts';
import { createStateStore } from '../state/index.ts';
import type { StateStore } from '../state/store.ts';
import { PackageRepository } from '../dms/packages/index.ts';
import { startClusterSubgraph, type ClusterSubgraph } from '../subgraphs/cluster/server.ts';
import { startGateway, type GatewayProcess } from './gateway.ts';

export const DEMO_SCENARIO = fileURLToPath(new URL('../sim/scenarios/demo.yaml', import.meta.url));

export interface DemoOptions {
  readonly scenario?: string | Scenario;
  readonly host?: string;
  /** Gateway port; 0 for an ephemeral one (tests). */
  readonly port?: number;
  /** Apply the scenario's timeline of injected changes. */
  readonly timeline?: boolean;
  /** Where kubeconfigs are written; none when undefined. */
  readonly kubeconfigDir?: string;
  readonly store?: StateStore;
  readonly logger?: Logger;
  /** Extra gateway settings (merged over the demo defaults). */
  readonly gateway?: GatewayConfigInput;
  /** The DMS package repository shared by the gateway and every cluster's job runner. */
  readonly dmsPackages?: PackageRepository;
  /** Staleness bound of every cluster subgraph (tests shorten it); the subgraph default otherwise. */
  readonly stalenessSeconds?: number;
}

export interface Demo extends AsyncDisposable {
  readonly scenario: Scenario;
  readonly clusters: ReadonlyMap<string, SimCluster>;
  readonly subgraphs: Map<string, ClusterSubgraph>;
  readonly gateway: GatewayProcess;
  readonly internalToken: string;
  /** Starts a cluster subgraph for a simulated cluster (used to restart a stopped one). */
  startSubgraph(clusterId: string): Promise<ClusterSubgraph>;
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? createLogger('info');
  const scenario =
    typeof options.scenario === 'object' ? options.scenario : loadScenario(options.scenario ?? DEMO_SCENARIO);
  const kubeconfigDir = options.kubeconfigDir ? resolve(options.kubeconfigDir) : undefined;
  if (kubeconfigDir) await mkdir(kubeconfigDir, { recursive: true });
  const sims = await startScenario(scenario, { host, ...(kubeconfigDir ? { kubeconfigDir } : {}) });
  const internalToken = randomBytes(24).toString('base64url');
  const config = parseGatewayConfig({
    listen: { host, port: options.port ?? 8080 },
    internalToken,
    ...options.gateway,
  });
  const subgraphs = new Map<string, ClusterSubgraph>();
  // One store for the gateway and the cluster subgraphs: the subgraphs write the alarms they derive into it.
  const ownsStore = options.store === undefined;
  const store =
    options.store ??
    (await createStateStore(
      config.store.kind === 'memory'
        ? { kind: 'memory' }
        : {
            kind: 'redis',
            keyPrefix: config.store.keyPrefix,
            ...(config.store.url === undefined ? {} : { url: config.store.url }),
          },
    ));
  if (ownsStore && store.kind === 'memory') {
    logger.warn(
      'state store: in-memory — subscriptions, alarms and events do NOT survive a restart; set REDIS_URL for durability',
    );
  }

  const dmsPackages = options.dmsPackages ?? new PackageRepository(store);
  const startSubgraph = async (clusterId: string): Promise<ClusterSubgraph> => {
    const clusterScenario = scenario.clusters.find((c) => c.name === clusterId);
    const sim = sims.clusters.get(clusterId);
    if (!clusterScenario || !sim) throw new Error(`no simulated cluster ${clusterId}`);
    const kubeconfigPath = kubeconfigDir ? join(kubeconfigDir, `${clusterId}.kubeconfig`) : undefined;
    const subgraph = await startClusterSubgraph({
      clusterId,
      oCloudId: config.oCloud.oCloudId,
      site: clusterScenario.site,
      poolLabel: clusterScenario.poolLabel,
      ...(options.stalenessSeconds === undefined ? {} : { stalenessSeconds: options.stalenessSeconds }),
      kube: kubeconfigPath ? { kubeconfigPath } : { server: sim.url },
      host,
      port: 0,
      internalToken,
      store,
      logger: logger.child({ clusterId }),
      // Every simulated cluster runs its DMS jobs with the real helm binary (config dms.helmPath).
      deployments: {
        packages: dmsPackages,
        helmPath: config.dms.helmPath,
        maxHelmProcesses: config.dms.maxHelmProcesses,
        readinessTimeoutMs: config.dms.readinessTimeoutMs,
      },
    });
    subgraphs.set(clusterId, subgraph);
    return subgraph;
  };

  let gateway: GatewayProcess | undefined;
  let timeline: { dispose(): void } | undefined;
  try {
    for (const cluster of scenario.clusters) await startSubgraph(cluster.name);
    gateway = await startGateway(
      {
        ...config,
        clusters: [...subgraphs.values()].map((s) => ({
          clusterId: s.clusterId,
          url: s.url,
          wsUrl: s.wsUrl,
        })),
      },
      { logger, store, dmsPackages },
    );
    if (options.timeline) timeline = startTimeline(scenario, sims.clusters);
  } catch (error) {
    await Promise.allSettled([...subgraphs.values()].map((s) => s.close()));
    await sims.dispose();
    if (ownsStore) await store.dispose();
    throw error;
  }
  const started = gateway;

  let closed = false;
  const demo: Demo = {
    scenario,
    clusters: sims.clusters,
    subgraphs,
    gateway: started,
    internalToken,
    startSubgraph,
    async close() {
      if (closed) return;
      closed = true;
      timeline?.dispose();
      await started.close();
      await Promise.allSettled([...subgraphs.values()].map((s) => s.close()));
      await sims.dispose();
      if (ownsStore) await store.dispose();
    },
    [Symbol.asyncDispose]() {
      return demo.close();
    },
  };
  return demo;
}
