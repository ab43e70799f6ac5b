/**
 * The demo topology (`npm run demo`) and the harness the end-to-end tests share: simulated clusters from a
 * scenario, one cluster subgraph per cluster on a loopback port, and the gateway with the in-memory store
 * (Redis when REDIS_URL is set).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGatewayConfig, type GatewayConfigInput } from '../common/config.ts';
import { createLogger, type Logger } from '../common/log.ts';
import {
  loadScenario,
  startCompositionFunction,
  startScenario,
  startTimeline,
  type CompositionFunction,
  type Scenario,
  type SimCluster,
} from '../sim/index.ts';
import { createStateStore } from '../state/index.ts';
import type { StateStore } from '../state/store.ts';
import { PackageRepository } from '../dms/packages/index.ts';
import { startClusterSubgraph, type ClusterSubgraph } from '../subgraphs/cluster/server.ts';
import {
  clusterInventorySource,
  startEventPublisher,
  type EventPublisher,
} from '../subgraphs/cluster/event-publisher.ts';
import { startGateway, type GatewayProcess } from './gateway.ts';
import { startDemoIssuer, DEMO_TENANT, type DemoIssuer } from './demo-issuer.ts';
import { DEMO_CLIENT_CN, writeDemoCertificates, type DemoCertificates } from './demo-certificates.ts';

export const DEMO_SCENARIO = fileURLToPath(new URL('../sim/scenarios/demo.yaml', import.meta.url));

/**
 * The deployment policies `npm run demo` ships (config `dms.policies`, docs/dms.md "Policy"): nothing is
 * deployed into the system namespaces, and each tenant (the demo's development mode is the operators' tenant
 * `*`) runs at most 20 replicas of the charts as rendered — the sample package's largest level is 10.
 */
export const DEMO_DMS_POLICIES = [
  {
    policyId: 'no-system-namespaces',
    description: 'No tenant deploys into the namespaces of Kubernetes itself.',
    forbiddenNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  },
  {
    policyId: 'tenant-replicas',
    description: 'Each tenant runs at most 20 replicas (pods of the rendered charts) in the O-Cloud.',
    quotas: { perTenant: { maxReplicas: 20 } },
  },
] as const;

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
  /**
   * jwt: a local issuer (cli/demo-issuer.ts) serves a JWKS on loopback, writes one token per role to
   * `tokensDir`, and the gateway runs in jwt mode against it (overrides `gateway.auth`).
   */
  readonly auth?: { readonly mode: 'jwt'; readonly tokensDir: string };
  /**
   * Spare clusters: simulated and served by a cluster subgraph, but NOT registered with the gateway, so an
   * admin can add (and remove) a real cluster at runtime (`PUT /netweave/v1/clusters/{id}`). The body of
   * that PUT is written to `<kubeconfigDir>/<cluster>.registration.json`. A spare cluster's objects are
   * announced (CREATE events) when it is registered and deleted when it is deregistered.
   */
  readonly spare?: string | Scenario;
  /**
   * HTTPS on the gateway and the cluster subgraphs with certificates made at start-up and written to `dir`
   * (cli/demo-certificates.ts); `require`: mTLS, a client without a certificate of the demo CA is refused.
   */
  readonly tls?: { readonly dir: string; readonly clientCertificates: 'none' | 'require' };
  /** Staleness bound of every cluster subgraph (tests shorten it); the subgraph default otherwise. */
  readonly stalenessSeconds?: number;
  /**
   * Provisioning (docs/provisioning.md): the scenario cluster that serves Crossplane's XRDs is the management
   * cluster; the in-repo composition function (sim/crossplane/) plays Crossplane on it and the gateway
   * provisions through it. `false` turns it off; `readyDelayMs` is the time a new cluster takes to be Ready.
   */
  readonly provisioning?: false | { readonly readyDelayMs?: number };
}

export interface Demo extends AsyncDisposable {
  readonly scenario: Scenario;
  readonly clusters: ReadonlyMap<string, SimCluster>;
  readonly subgraphs: Map<string, ClusterSubgraph>;
  readonly gateway: GatewayProcess;
  readonly internalToken: string;
  /** The local token issuer of `auth: { mode: 'jwt' }`. */
  readonly issuer: DemoIssuer | undefined;
  /** The spare clusters' subgraphs (not registered at start), by cluster id. */
  readonly spares: ReadonlyMap<string, ClusterSubgraph>;
  /** The certificate files of `tls`. */
  readonly certificates: DemoCertificates | undefined;
  /** The stand-in for Crossplane on the management cluster (undefined without provisioning). */
  readonly compositionFunction: CompositionFunction | undefined;
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
  // Like real clusters, the simulated ones refuse requests without their token (the kubeconfigs carry it).
  const sims = await startScenario(scenario, {
    host,
    requireToken: true,
    ...(kubeconfigDir ? { kubeconfigDir } : {}),
  });
  const managementName =
    options.provisioning === false ? undefined : scenario.clusters.find(servesCrossplane)?.name;
  const management = managementName === undefined ? undefined : sims.clusters.get(managementName);
  const readyDelayMs = options.provisioning === false ? undefined : options.provisioning?.readyDelayMs;
  const compositionFunction =
    management === undefined
      ? undefined
      : startCompositionFunction({
          management,
          host,
          ...(readyDelayMs === undefined ? {} : { readyDelayMs }),
        });
  const internalToken = randomBytes(24).toString('base64url');
  let issuer: DemoIssuer | undefined;
  let certificates: DemoCertificates | undefined;
  let config: ReturnType<typeof parseGatewayConfig>;
  try {
    issuer = options.auth ? await startDemoIssuer({ tokensDir: options.auth.tokensDir, host }) : undefined;
    certificates = options.tls ? await writeDemoCertificates(options.tls.dir, host) : undefined;
    const clientCertificates = options.tls?.clientCertificates ?? 'none';
    config = parseGatewayConfig({
      listen: {
        host,
        port: options.port ?? 8080,
        ...(certificates
          ? {
              tls: {
                certFile: certificates.certFile,
                keyFile: certificates.keyFile,
                caFile: certificates.caFile,
                clientCertificates,
              },
            }
          : {}),
      },
      internalToken,
      ...options.gateway,
      ...(management === undefined
        ? {}
        : { provisioning: { management: simAccess(management), ...options.gateway?.provisioning } }),
      // The harness of the e2e and conformance suites sends thousands of requests from one address and
      // principal: no budgets unless asked for (`netweave demo` asks; docs/security.md "Rate limits").
      rateLimits: { enabled: false, ...options.gateway?.rateLimits },
      ...(issuer
        ? {
            auth: {
              mode: 'jwt',
              jwksUrl: issuer.jwksUrl,
              issuer: issuer.issuer,
              audience: issuer.audience,
              // curl with the demo's client certificate and no token is a reader (docs/security.md).
              ...(certificates && clientCertificates !== 'none'
                ? {
                    clientCertificates: {
                      principals: { [DEMO_CLIENT_CN]: { roles: ['reader'], tenant: DEMO_TENANT } },
                    },
                  }
                : {}),
            },
          }
        : {}),
      ...(certificates
        ? {
            // The router → subgraph traffic is TLS too: trust the demo CA, present the client certificate.
            shards: {
              ...options.gateway?.shards,
              tls: {
                caFile: certificates.caFile,
                certFile: certificates.clientCertFile,
                keyFile: certificates.clientKeyFile,
              },
            },
          }
        : {}),
    });
  } catch (error) {
    await issuer?.close();
    await compositionFunction?.stop();
    await sims.dispose();
    throw error;
  }
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
      kube: kubeconfigPath ? { kubeconfigPath } : simAccess(sim),
      host,
      port: 0,
      internalToken,
      metricsToken: config.metrics.scrapeToken,
      ...(config.listen.tls === undefined ? {} : { tls: config.listen.tls }),
      store,
      logger: logger.child({ clusterId }),
      // Every simulated cluster runs its DMS jobs with the real helm binary (config dms.helmPath).
      deployments: {
        packages: dmsPackages,
        helmPath: config.dms.helmPath,
        maxHelmProcesses: config.dms.maxHelmProcesses,
        readinessTimeoutMs: config.dms.readinessTimeoutMs,
      },
      nfUnreadyGraceMs: config.dms.nfUnreadyGraceMs,
    });
    subgraphs.set(clusterId, subgraph);
    return subgraph;
  };

  let gateway: GatewayProcess | undefined;
  let timeline: { dispose(): void } | undefined;
  const spares = new Map<string, ClusterSubgraph>();
  let spareSims: { dispose(): Promise<void> } | undefined;
  let stopSpareEvents: (() => Promise<void>) | undefined;
  try {
    for (const cluster of scenario.clusters) await startSubgraph(cluster.name);
    if (options.spare !== undefined) {
      const spareScenario = typeof options.spare === 'object' ? options.spare : loadScenario(options.spare);
      const started = await startScenario(spareScenario, {
        host,
        requireToken: true,
        ...(kubeconfigDir ? { kubeconfigDir } : {}),
      });
      spareSims = started;
      for (const cluster of spareScenario.clusters) {
        const sim = started.clusters.get(cluster.name)!;
        const subgraph = await startClusterSubgraph({
          clusterId: cluster.name,
          oCloudId: config.oCloud.oCloudId,
          site: cluster.site,
          poolLabel: cluster.poolLabel,
          kube: simAccess(sim),
          host,
          port: 0,
          internalToken,
          store,
          publishEvents: false,
          logger: logger.child({ clusterId: cluster.name }),
        });
        spares.set(cluster.name, subgraph);
        if (kubeconfigDir)
          await writeFile(
            join(kubeconfigDir, `${cluster.name}.registration.json`),
            `${JSON.stringify({ url: subgraph.url, wsUrl: subgraph.wsUrl })}\n`,
          );
      }
    }
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
    if (spares.size > 0) stopSpareEvents = publishWhileRegistered(gateway, spares, store, logger);
  } catch (error) {
    await Promise.allSettled([...subgraphs.values(), ...spares.values()].map((s) => s.close()));
    await spareSims?.dispose();
    await compositionFunction?.stop();
    await sims.dispose();
    await issuer?.close();
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
    issuer,
    spares,
    certificates,
    compositionFunction,
    startSubgraph,
    async close() {
      if (closed) return;
      closed = true;
      timeline?.dispose();
      await stopSpareEvents?.();
      await started.close();
      await Promise.allSettled([...subgraphs.values(), ...spares.values()].map((s) => s.close()));
      await spareSims?.dispose();
      await compositionFunction?.stop();
      await sims.dispose();
      await issuer?.close();
      if (ownsStore) await store.dispose();
    },
    [Symbol.asyncDispose]() {
      return demo.close();
    },
  };
  return demo;
}

/** The management cluster of a scenario: the one that serves Crossplane's CompositeResourceDefinitions. */
function servesCrossplane(cluster: Scenario['clusters'][number]): boolean {
  return cluster.objects.some((object) => object.kind === 'CompositeResourceDefinition');
}

/** How a cluster subgraph reaches a simulated cluster without a kubeconfig: URL, token and CA. */
function simAccess(sim: SimCluster): { server: string; token: string; caData?: string } {
  return { server: sim.url, token: sim.token, ...(sim.caData === undefined ? {} : { caData: sim.caData }) };
}

/**
 * Publishes a spare cluster's change events while it is registered: its objects are announced (CREATE, shared
 * resource types only when new to the O-Cloud) when an admin registers it; deregistering stops the publisher
 * (the gateway announces the DELETEs, router/cluster-retirement.ts).
 */
function publishWhileRegistered(
  gateway: GatewayProcess,
  spares: ReadonlyMap<string, ClusterSubgraph>,
  store: StateStore,
  logger: Logger,
): () => Promise<void> {
  const publishers = new Map<string, EventPublisher>();
  const pending = new Set<Promise<void>>();
  const reconcile = (): void => {
    const registered = new Set(gateway.registry.list().map((record) => record.clusterId));
    for (const [clusterId, subgraph] of spares) {
      const publisher = publishers.get(clusterId);
      if (registered.has(clusterId) && publisher === undefined) {
        publishers.set(
          clusterId,
          startEventPublisher({
            clusterId,
            source: clusterInventorySource(subgraph.inventory, subgraph.informers),
            store,
            logger: logger.child({ clusterId }),
          }),
        );
      } else if (!registered.has(clusterId) && publisher !== undefined) {
        publishers.delete(clusterId);
        const disposal = publisher.dispose().finally(() => pending.delete(disposal));
        pending.add(disposal);
      }
    }
  };
  const detach = gateway.registry.onChange(reconcile);
  reconcile();
  return async () => {
    detach();
    await Promise.allSettled([...pending, ...[...publishers.values()].map((p) => p.dispose())]);
  };
}
