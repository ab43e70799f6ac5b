/**
 * One cluster subgraph (docs/architecture.md "The shape"): supervised informers on one Kubernetes cluster, the O2 inventory
 * they maintain, and schema/cluster.graphql served over GraphQL-over-HTTP and graphql-ws on one port and
 * path.
 *
 * Only netweave's router is meant to call it: with `internalToken` set, every HTTP request and websocket
 * connection must present it (401 / close 4401 otherwise). Until the informers have listed the cluster,
 * GraphQL requests get 503 SHARD_UNAVAILABLE.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { createHttpObservability } from '../../common/http-observability.ts';
import { createLogger, inRequestScope } from '../../common/log.ts';
import { bearerMatches, METRICS_PATH, metricsText, processMetrics } from '../../common/metrics-endpoint.ts';
import { createClusterSubgraphMetrics } from './metrics.ts';
import { createTlsServer, type ServerTlsSettings } from '../../common/tls.ts';
import { traceHttpRequest } from '../../common/tracing.ts';
import type { StateStore } from '../../state/store.ts';
import { dmsRecordsOf } from './nf-deployments.ts';
import { type ClusterAlarmMonitor, startClusterAlarmMonitor } from './alarm-monitor.ts';
import { clusterInventorySource, startEventPublisher } from './event-publisher.ts';
import { DEFAULT_STALENESS_SECONDS } from './config.ts';
import type { ClusterSubgraphConfig } from './config.ts';
import { type GraphQLHttp, createGraphQLHttp } from './graphql-http.ts';
import { type GraphQLWsEndpoint, attachGraphQLWs } from './graphql-ws-endpoint.ts';
import { type ClusterInformers, startClusterInformers } from './informers.ts';
import { ClusterInventory } from './inventory.ts';
import { kubeAccess } from './kube-client.ts';
import { adminProfileData, createMappingContext, oCloudSiteIdOf } from './mapping.ts';
import type { ClusterDataSources } from './resolvers.ts';
import { buildClusterSchema } from './schema.ts';
import type { PackageCatalog } from '../../dms/lifecycle/index.ts';
// Types only: the DMS job runner (Helm, client-node's typed API) is imported when a store and `deployments`
// ask for it — a read-only subgraph never loads it (docs/benchmarks.md "Scale": standalone memory).
import type { DeploymentJobRunner, DeploymentRunnerSettings } from './deployments/index.ts';
import type { InformerSupervision } from './supervisor.ts';

export const GRAPHQL_PATH = '/graphql';

export interface ClusterSubgraphOptions extends ClusterSubgraphConfig {
  /** Listen address; 127.0.0.1 by default (the subgraph is internal). */
  readonly host?: string;
  /** Listen port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** HTTPS/WSS on the listener (docs/security.md "TLS and mTLS"); the router trusts it through shards.tls. */
  readonly tls?: ServerTlsSettings | undefined;
  /** Shared secret the router presents; without it anyone who reaches the port can read (development). */
  readonly internalToken?: string | undefined;
  /**
   * Bearer token Prometheus presents on `/metrics` (NETWEAVE_METRICS_TOKEN); the internal token is accepted
   * there too. Without either, /metrics is open like the rest (development).
   */
  readonly metricsToken?: string | undefined;
  readonly logger?: Logger;
  /** Backoff, timers and jitter of the informer supervisors (tests make them fast). */
  readonly supervision?: Omit<InformerSupervision, 'logger'>;
  /** How long start-up waits for the first list before serving (not ready) anyway; 15 s by default. */
  readonly syncTimeoutMs?: number;
  /**
   * The state store shared with the gateway: derived alarms and O2 change events are written to it (neither
   * without a store).
   */
  readonly store?: StateStore;
  /**
   * Publish O2 change events to the store (default true). The demo's spare cluster starts with false and
   * publishes once an admin registers it, so its objects are announced when they join the O-Cloud.
   */
  readonly publishEvents?: boolean;
  /**
   * Runs this cluster's DMS jobs (Helm) from the store's queue; needs `store`. Absent: no runner (the
   * DMS cannot deploy to this cluster).
   */
  readonly deployments?: DeploymentRunnerSettings & { readonly packages: PackageCatalog };
  /**
   * How long a pod of an INSTANTIATED VNF instance may stay unready before the NfPodUnready alarm
   * (config `dms.nfUnreadyGraceMs`; nf-alarm-rules.ts, 60 s by default).
   */
  readonly nfUnreadyGraceMs?: number;
}

export interface ClusterSubgraph extends AsyncDisposable {
  readonly clusterId: string;
  /** GraphQL over HTTP: http://host:port/graphql */
  readonly url: string;
  /** graphql-ws: ws://host:port/graphql */
  readonly wsUrl: string;
  readonly inventory: ClusterInventory;
  readonly informers: ClusterInformers;
  /** Derives this cluster's alarms into the store; absent without a store. */
  readonly alarmMonitor: ClusterAlarmMonitor | undefined;
  /** The DMS job runner; absent without a store or `deployments`. */
  readonly deploymentRunner: DeploymentJobRunner | undefined;
  close(): Promise<void>;
}

const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
]);

/** An unspecified listen address accepts loopback connections: advertise that to in-process callers. */
function advertisedHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Feeds node events into the inventory and keeps the Kubernetes version current. */
function connectInventory(
  informers: ClusterInformers,
  inventory: ClusterInventory,
  fetchVersion: () => Promise<string>,
  logger: Logger,
): void {
  informers.onEvent((event) => {
    if (event.kind !== 'nodes') return;
    if (event.type === 'delete') inventory.deleteNode(event.object);
    else inventory.applyNode(event.object);
  });
  const refreshVersion = (): void => {
    fetchVersion().then(
      (version) => inventory.setKubernetesVersion(version),
      (error: unknown) => logger.warn({ err: error }, 'could not read the Kubernetes version'),
    );
  };
  refreshVersion();
  // The version changes only with an API server upgrade, which breaks every watch: re-read it whenever a
  // watch comes back.
  informers.onRecovered(refreshVersion);
}

async function waitForSync(informers: ClusterInformers, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([informers.synced().then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startClusterSubgraph(options: ClusterSubgraphOptions): Promise<ClusterSubgraph> {
  const { clusterId } = options;
  const logger = options.logger ?? createLogger('info', 'cluster-subgraph');
  const host = options.host ?? '127.0.0.1';
  const token = options.internalToken;
  if (token === undefined) {
    logger.warn(
      { clusterId },
      'cluster subgraph runs WITHOUT an internal token: anyone who can reach it can read it',
    );
  }

  const access = kubeAccess(options.kube);
  const mapping = createMappingContext({
    clusterId,
    oCloudId: options.oCloudId,
    site: options.site,
    poolLabel: options.poolLabel,
    serviceUri: access.serverUrl,
    clusterCaCertificate: access.caCertificate,
  });
  const inventory = new ClusterInventory(mapping, {
    onListenerError: (error) => logger.error({ err: error }, 'inventory change listener failed'),
  });
  const informers = startClusterInformers(access.api, { ...options.supervision, logger });
  connectInventory(informers, inventory, access.fetchVersion, logger);
  const alarmMonitor =
    options.store === undefined
      ? undefined
      : startClusterAlarmMonitor({
          clusterId,
          inventory,
          informers,
          ledger: new AlarmLedger(options.store),
          logger,
          // Alarms of the pods of this cluster's NF deployments (VNF instances in the store).
          nf: {
            records: dmsRecordsOf(options.store),
            ...(options.nfUnreadyGraceMs === undefined ? {} : { unreadyGraceMs: options.nfUnreadyGraceMs }),
          },
        });
  let pendingChanges = (): number => 0;
  const metrics = createClusterSubgraphMetrics(clusterId, informers, () => pendingChanges());
  // O2 inventory changes go to the durable event log (webhooks, the hub's resumable subscription).
  const eventPublisher =
    options.store === undefined || options.publishEvents === false
      ? undefined
      : startEventPublisher({
          clusterId,
          source: clusterInventorySource(inventory, informers),
          store: options.store,
          logger,
          onAppended: (seconds) => metrics.observePublished(seconds),
        });
  if (eventPublisher !== undefined) pendingChanges = () => eventPublisher.pending;

  const sources: ClusterDataSources = {
    mapping,
    inventory,
    informers,
    // NF deployments are the releases named by DMS instance records of this cluster.
    ...(options.store === undefined ? {} : { dmsRecords: dmsRecordsOf(options.store) }),
    adminProfileData: adminProfileData(mapping, access.credentials),
  };
  const httpServer =
    options.tls === undefined
      ? createServer()
      : createTlsServer(options.tls, undefined, {
          onReload: () => logger.info({ clusterId }, 'TLS certificate reloaded'),
          onError: (error) =>
            logger.warn({ err: error, clusterId }, 'TLS files unreadable; keeping the current'),
        }).server;
  let ws: GraphQLWsEndpoint | undefined;
  let http: GraphQLHttp | undefined;
  let port: number;
  try {
    const schema = buildClusterSchema(sources);
    ws = attachGraphQLWs(httpServer, GRAPHQL_PATH, schema, sources, token);
    http = await createGraphQLHttp({
      clusterId,
      path: GRAPHQL_PATH,
      schema,
      sources,
      informers,
      httpServer,
      ws,
      internalToken: token,
      logger,
      stalenessMs: (options.stalenessSeconds ?? DEFAULT_STALENESS_SECONDS) * 1000,
    });
    const handle = http.handle;
    const observability = createHttpObservability({ logger });
    const metricRegistries = [processMetrics(), observability.registry, metrics.registry];
    const metricsToken = options.metricsToken;
    httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?', 1)[0];
      const route = path === GRAPHQL_PATH || path === METRICS_PATH || path === '/healthz' ? path : undefined;
      const requestId = observability.track(req, res, () => route);
      if (path !== METRICS_PATH) {
        // The router's traceparent: this subgraph's span joins the request's trace; its x-request-id tags
        // every log line of the request here too.
        inRequestScope(requestId, () =>
          traceHttpRequest(
            req,
            res,
            () => route,
            () => handle(req, res),
          ),
        );
        return;
      }
      const tokens = [token, metricsToken].filter((t): t is string => t !== undefined);
      if (tokens.length > 0 && !tokens.some((t) => bearerMatches(req.headers.authorization, t))) {
        res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
        res.end('a scrape token is required\n');
        return;
      }
      metricsText(metricRegistries).then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType });
          res.end(body);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'collecting metrics failed');
          res.writeHead(500).end();
        },
      );
    });
    httpServer.listen(options.port ?? 0, host);
    await once(httpServer, 'listening');
    port = (httpServer.address() as AddressInfo).port;
  } catch (error) {
    // Nothing half-started may outlive a failed start: watches and sockets would keep the process alive.
    await (http === undefined ? ws?.dispose() : http.stop())?.catch(() => undefined);
    httpServer.close();
    await eventPublisher?.dispose();
    await alarmMonitor?.dispose();
    await informers.close();
    access.api.close();
    throw error;
  }

  let deploymentRunner: DeploymentJobRunner | undefined;
  try {
    deploymentRunner =
      options.store === undefined || options.deployments === undefined
        ? undefined
        : await (
            await import('./deployments/index.ts')
          ).startDeploymentJobRunner({
            ...options.deployments,
            clusterId,
            store: options.store,
            workloads: informers,
            // Readiness waits wake on the watch events of workloads and pods, not on the next poll.
            onWorkloadChange: (listener) =>
              informers.onEvent((event) => {
                if (WORKLOAD_KINDS.has(event.kind)) listener();
              }),
            kube: options.kube,
            site: { name: options.site.name, id: oCloudSiteIdOf(options.site) },
            ...(options.poolLabel === undefined ? {} : { poolLabel: options.poolLabel }),
            logger,
            onHelmProcess: (command, outcome, seconds) => metrics.observeHelm(command, outcome, seconds),
          });
  } catch (error) {
    await http.stop().catch(() => undefined);
    await eventPublisher?.dispose();
    await alarmMonitor?.dispose();
    await informers.close();
    access.api.close();
    throw error;
  }

  const stopHttp = http.stop;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Draining closes the websockets (ending subscriptions) and the HTTP server; then the watches go.
      await deploymentRunner?.dispose();
      await stopHttp();
      await eventPublisher?.dispose();
      await alarmMonitor?.dispose();
      await informers.close();
      access.api.close();
    })();
    return closing;
  };

  if (!(await waitForSync(informers, options.syncTimeoutMs ?? 15_000))) {
    logger.warn(
      { clusterId, health: informers.health() },
      'cluster not listed yet; answering SHARD_UNAVAILABLE until it is',
    );
  }
  const base = `${advertisedHost(host)}:${port}${GRAPHQL_PATH}`;
  const secure = options.tls === undefined ? '' : 's';
  logger.info(
    { clusterId, url: `http${secure}://${base}`, apiServer: access.serverUrl },
    'cluster subgraph listening',
  );
  return {
    clusterId,
    url: `http${secure}://${base}`,
    wsUrl: `ws${secure}://${base}`,
    inventory,
    informers,
    alarmMonitor,
    deploymentRunner,
    close,
    [Symbol.asyncDispose]: close,
  };
}
