/**
 * Provisioning in the gateway process (docs/provisioning.md): the management cluster's watches, the
 * provisioning service and auto-join, whose host side lives here because it starts cluster subgraphs
 * in-process (subgraphs/cluster) and registers them with the shard registry (router/). Every replica runs
 * this; the join lease makes exactly one of them serve each provisioned cluster. In a Kubernetes install the
 * subgraph runs inside the gateway pod that holds the lease too (no Deployment per cluster).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../common/config.ts';
import { uuidV5 } from '../o2/ids.ts';
import type { LifecycleService } from '../dms/lifecycle/index.ts';
import type { PackageRepository } from '../dms/packages/index.ts';
import { AutoJoin, type JoinHost } from '../provisioning/auto-join.ts';
import { ManagementCluster } from '../provisioning/management-cluster.ts';
import { ProvisioningService } from '../provisioning/service.ts';
import { retireClusterInventory } from '../router/cluster-retirement.ts';
import type { ShardRegistry } from '../router/shard-registry.ts';
import type { StateStore } from '../state/store.ts';
import { startClusterSubgraph } from '../subgraphs/cluster/server.ts';

export interface Provisioning {
  readonly service: ProvisioningService;
  readonly joins: AutoJoin;
  stop(): Promise<void>;
}

export interface ProvisioningDependencies {
  readonly config: GatewayConfig;
  readonly store: StateStore;
  readonly registry: ShardRegistry;
  readonly lifecycle: LifecycleService;
  readonly packages: PackageRepository;
  readonly logger: Logger;
}

/** The management cluster's client configuration (provisioning.management). */
function managementKubeConfig(
  management: NonNullable<GatewayConfig['provisioning']['management']>,
): KubeConfig {
  const kc = new KubeConfig();
  if ('inCluster' in management) kc.loadFromCluster();
  else if ('kubeconfigPath' in management) {
    kc.loadFromFile(management.kubeconfigPath);
    if (management.context !== undefined) kc.setCurrentContext(management.context);
  } else {
    kc.loadFromClusterAndUser(
      {
        name: 'management',
        server: management.server,
        skipTLSVerify: false,
        ...(management.caData === undefined ? {} : { caData: management.caData }),
      },
      { name: 'netweave', token: management.token },
    );
  }
  return kc;
}

/**
 * The provisioned cluster's kubeconfig as a file only this process can read, for the subgraph's lifetime:
 * helm needs the cluster's CA, which it takes only from a file (a kubeconfig or --kube-ca-file).
 */
async function kubeconfigFile(
  clusterId: string,
  kubeconfig: string,
): Promise<{ path: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `netweave-${clusterId}-`));
  const path = join(dir, 'kubeconfig');
  await writeFile(path, kubeconfig, { mode: 0o600 });
  return { path, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts provisioning when `provisioning.management` is configured; undefined otherwise. */
export async function startProvisioning(deps: ProvisioningDependencies): Promise<Provisioning | undefined> {
  const { config, store, registry, lifecycle, logger } = deps;
  const settings = config.provisioning;
  if (settings.management === undefined) return undefined;
  const log = logger.child({ component: 'provisioning' });
  const composites = new ManagementCluster({
    kubeConfig: managementKubeConfig(settings.management),
    namespace: settings.namespace,
    logger: log,
  });
  const host: JoinHost = {
    async start(clusterId, kubeconfig) {
      const file = await kubeconfigFile(clusterId, kubeconfig);
      const subgraph = await startClusterSubgraph({
        clusterId,
        oCloudId: config.oCloud.oCloudId,
        // A provisioned cluster's site is its own until an operator configures one (docs/provisioning.md).
        site: {
          name: `${clusterId}-site`,
          description: `Site of the provisioned cluster ${clusterId}`,
          location: { globalLocationId: uuidV5(`provisioned-location/${clusterId}`), name: clusterId },
        },
        kube: { kubeconfigPath: file.path },
        host: '127.0.0.1',
        port: 0,
        internalToken: config.internalToken,
        metricsToken: config.metrics.scrapeToken,
        ...(config.listen.tls === undefined ? {} : { tls: config.listen.tls }),
        store,
        logger: logger.child({ clusterId }),
        deployments: {
          packages: deps.packages,
          helmPath: config.dms.helmPath,
          maxHelmProcesses: config.dms.maxHelmProcesses,
          readinessTimeoutMs: config.dms.readinessTimeoutMs,
        },
      });
      // startClusterSubgraph waits (bounded) for the first list; the join waits for it unbounded.
      await subgraph.informers.synced();
      return {
        url: subgraph.url,
        wsUrl: subgraph.wsUrl,
        async close() {
          await subgraph.close();
          await file.dispose();
        },
      };
    },
    register: (endpoint) => registry.register(endpoint),
    async deregister(clusterId) {
      await registry.deregister(clusterId);
      await retireClusterInventory(store, clusterId);
    },
    registered: () => registry.list().map((record) => record.clusterId),
  };
  const joins = new AutoJoin({
    store,
    host,
    owner: randomUUID(),
    leaseTtlMs: settings.joinLeaseTtlMs,
    logger: log,
  });
  const service = new ProvisioningService({
    composites,
    joins,
    logger: log,
    syncGraceSeconds: settings.syncGraceSeconds,
    tickMs: settings.tickMs,
    clusterIds: () => registry.list().map((record) => record.clusterId),
    nfInstancesOn: async (clusterId) =>
      (await lifecycle.listInstances({ tenant: '*', clusterId }))
        .filter((instance) => instance.instantiationState === 'INSTANTIATED')
        .map((instance) => instance.id),
  });
  await composites.start();
  service.start();
  log.info(
    { namespace: settings.namespace, templates: service.templates().map((t) => `${t.name}.${t.version}`) },
    'provisioning: watching the management cluster',
  );
  return {
    service,
    joins,
    async stop() {
      await service.stop();
      await joins.stop();
      await composites.stop();
    },
  };
}
