/**
 * The netweave gateway process (docs/architecture.md "The shape"): state store, shard registry, router (GraphQL over HTTP
 * and graphql-ws on /graphql, GraphiQL in development), the O2 REST facade and the admin API on one port.
 * The process is stateless: run N replicas against one Redis.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request } from 'express';
import { LRUCache } from 'lru-cache';
import { Registry } from 'prom-client';
import type { AuthContext } from '../common/auth.ts';
import { type Authenticator, createAuthenticator, dmsCredentials } from '../common/authenticate.ts';
import { requirePermission } from '../common/authorization.ts';
import { createHttpObservability } from '../common/http-observability.ts';
import type { GatewayConfig } from '../common/config.ts';
import { createLogger, inRequestScope, repeatLimited, type Logger } from '../common/log.ts';
import { bearerMatches, METRICS_PATH, metricsText, processMetrics } from '../common/metrics-endpoint.ts';
import { createDmsMetrics } from '../dms/lifecycle/metrics.ts';
import { clientCertificateOf, createTlsServer, hstsHeader, type TlsServer } from '../common/tls.ts';
import { traceHttpRequest } from '../common/tracing.ts';
import { migrateStoredRecords, type StoredRecordKind } from '../state/schema-versions.ts';
import { subscriptionRecords } from '../notifier/subscriptions/collection.ts';
import { SUBSCRIPTIONS_COLLECTION } from '../notifier/subscriptions/repository.ts';
import { ALARM_SUBSCRIPTIONS_COLLECTION } from '../notifier/subscriptions/alarm-repository.ts';
import {
  FM_SUBSCRIPTIONS_COLLECTION,
  LCM_SUBSCRIPTIONS_COLLECTION,
} from '../notifier/subscriptions/lcm-repository.ts';
import { ALARM_RECORDS } from '../alarms/alarm-ledger.ts';
import { SHARD_RECORDS } from '../router/shard-registry.ts';
import { DMS_INSTANCE_RECORDS, DMS_OCCURRENCE_RECORDS } from '../dms/lifecycle/records.ts';
import { DMS_PACKAGE_RECORDS } from '../dms/packages/repository.ts';
import { createRestFacade, problemErrorHandler, sendProblem } from '../rest-facade/index.ts';
import { ClusterChangeTracker, inventoryChangeLogs } from '../rest-facade/answer-freshness.ts';
import { startNotifier } from '../notifier/index.ts';
import { startFmNotifier } from '../notifier/fm-channel.ts';
import { startLcmNotifier } from '../notifier/lcm-channel.ts';
import { createDeadLetterApi } from '../rest-facade/dead-letters-api.ts';
import { createAuditApi } from '../rest-facade/audit/audit-api.ts';
import { AuditLog, isAudited, outcomeOf } from '../rest-facade/audit/audit-log.ts';
import { REQUEST_ID_HEADER } from '../common/http-observability.ts';
import { createSubscriptionsApi } from '../rest-facade/subscriptions/index.ts';
import { AlarmLedger } from '../alarms/alarm-ledger.ts';
import { createDmsRouter, deploymentManagerDirectory } from '../rest-facade/dms/index.ts';
import { LifecycleService, PolicyStore, configuredPolicies } from '../dms/lifecycle/index.ts';
import { createPoliciesApi } from '../rest-facade/policies-api.ts';
import { PackageTasks } from '../dms/packages/index.ts';
import { LcmSubscriptionService } from '../notifier/subscriptions/lcm-subscription-service.ts';
import { PackageRepository } from '../dms/packages/index.ts';
import { createVnfPkgmRouter } from '../rest-facade/dms/vnfpkgm.ts';
import { startMonitoring, type Monitoring } from '../rest-facade/monitoring/index.ts';
import { createAdminApi } from '../router/admin-api.ts';
import { retireClusterInventory } from '../router/cluster-retirement.ts';
import { createRouter, GRAPHQL_PATH, sendRateLimited, type Router } from '../router/gateway.ts';
import { topologyPageRoutes } from '../router/topology-page.ts';
import { createRequestLimits } from '../router/request-limits.ts';
import { RateLimitedError } from '../common/problem-details.ts';
import { ShardReachability } from '../router/shard-reachability.ts';
import { ShardRegistry } from '../router/shard-registry.ts';
import { createStateStore, type StateStoreConfig } from '../state/index.ts';
import { startProvisioning, type Provisioning } from './provisioning.ts';
import { JOIN_RECORDS } from '../provisioning/auto-join.ts';
import { createProvisioningRouter } from '../rest-facade/provisioning/index.ts';
import type { StateStore } from '../state/store.ts';

export interface GatewayProcess extends AsyncDisposable {
  /** Base URL the gateway listens on, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly router: Router;
  /** The express application of every path but `/graphql` (the authorization matrix test enumerates its routes). */
  readonly app: Express;
  readonly registry: ShardRegistry;
  readonly store: StateStore;
  readonly logger: Logger;
  /** The listener's TLS (reload on demand in tests); undefined on plain HTTP. */
  readonly tls: TlsServer | undefined;
  /** True from the start of a graceful shutdown: /readyz answers 503. */
  readonly draining: boolean;
  /** O2 IMS provisioning (docs/provisioning.md); undefined without `provisioning.management`. */
  readonly provisioning: Provisioning | undefined;
  /**
   * Graceful shutdown (SIGTERM; docs/operations.md "Shutdown and upgrades"): readiness goes false, requests
   * are still served for `shutdown.readinessDelayMs` while load balancers catch up; then the listener closes,
   * graphql-ws clients get 1012 (reconnect), and in-flight requests and webhook deliveries get up to
   * `shutdown.gracePeriodMs` to finish before everything is closed.
   */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export interface GatewayDependencies {
  /** An existing store (tests share one between replicas); otherwise created from config.store. */
  readonly store?: StateStore;
  readonly logger?: Logger;
  /** The DMS package repository (dms/packages) shared with in-process job runners; else one on the store. */
  readonly dmsPackages?: PackageRepository;
}

/** Every record kind the gateway's store holds, with its schema version and migrations (docs/operations.md). */
export const STORED_RECORDS: readonly StoredRecordKind[] = [
  subscriptionRecords(SUBSCRIPTIONS_COLLECTION),
  subscriptionRecords(ALARM_SUBSCRIPTIONS_COLLECTION),
  subscriptionRecords(LCM_SUBSCRIPTIONS_COLLECTION),
  subscriptionRecords(FM_SUBSCRIPTIONS_COLLECTION),
  ALARM_RECORDS,
  SHARD_RECORDS,
  DMS_INSTANCE_RECORDS,
  DMS_OCCURRENCE_RECORDS,
  DMS_PACKAGE_RECORDS,
  JOIN_RECORDS,
];

/** The validated `store` settings as the state store factory takes them (no undefined-valued keys). */
function storeConfigOf(store: GatewayConfig['store'], logger: Logger): StateStoreConfig {
  if (store.kind === 'memory') return { kind: 'memory' };
  return {
    kind: 'redis',
    keyPrefix: store.keyPrefix,
    commandTimeoutMs: store.commandTimeoutMs,
    ...(store.url !== undefined ? { url: store.url } : {}),
    ...(store.sentinels !== undefined ? { sentinels: store.sentinels } : {}),
    ...(store.sentinelName !== undefined ? { sentinelName: store.sentinelName } : {}),
    ...(store.password !== undefined ? { password: store.password } : {}),
    onError: (error, where) => logger.warn({ err: error, where }, 'state store background error'),
  };
}

/**
 * The HMAC key of paging markers. Every replica must verify the markers of the others: the configured secret,
 * else one derived from the internal token (which replicas share already), else a random one per process.
 */
function markerSecretOf(config: GatewayConfig, logger: Logger): string | undefined {
  if (config.inventory.markerSecret !== undefined) return config.inventory.markerSecret;
  if (config.internalToken !== undefined) {
    return createHmac('sha256', config.internalToken)
      .update('netweave/paging-marker-secret')
      .digest('base64url');
  }
  logger.warn(
    'inventory.markerSecret and internalToken are unset: paging markers are valid on this process only',
  );
  return undefined;
}

/** The route pattern express matched (mount path + route path), e.g. `/o2ims-infrastructureInventory/v2/resourcePools/:resourcePoolId`. */
function expressRouteOf(req: Request): string | undefined {
  const route = (req as { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : undefined;
}

export async function startGateway(
  config: GatewayConfig,
  deps: GatewayDependencies = {},
): Promise<GatewayProcess> {
  const logger = deps.logger ?? createLogger(config.logLevel);
  if (config.auth.mode === 'development') {
    logger.warn(
      'AUTH IS IN DEVELOPMENT MODE: every caller is "development-user" with all roles. Never use this in production.',
    );
  } else if (config.auth.tenancy.tenants === undefined) {
    // Not an error: single-tenant installations need no assignment. Said once, so a multi-tenant one notices.
    logger.info(
      'auth.tenancy.tenants is not set: every tenant sees every cluster (docs/security.md "Tenants")',
    );
  }
  const ownsStore = deps.store === undefined;
  const store = deps.store ?? (await createStateStore(storeConfigOf(config.store, logger)));
  if (store.kind === 'memory' && ownsStore) {
    logger.warn(
      'state store: in-memory — subscriptions, registrations and events do NOT survive a restart; set REDIS_URL for durability',
    );
  }
  // Records written by an earlier version are brought to the current format before anything reads them.
  for (const report of await migrateStoredRecords(store, STORED_RECORDS)) {
    if (report.migrated > 0) logger.info(report, 'stored records migrated to the current schema version');
    if (report.newer > 0)
      logger.warn(
        report,
        'stored records of a NEWER schema version than this gateway (a rollback?): left as they are',
      );
  }
  const registry = await ShardRegistry.open(store, { configured: config.clusters });
  const dmsPackages = deps.dmsPackages ?? new PackageRepository(store);
  // An upload cut off by a crash must not stay PROCESSING forever.
  await dmsPackages.recoverInterruptedUploads();
  for (const cluster of config.clusters) await registry.register(cluster);

  // The access log names each request's principal: remember it by request id (bounded: websocket
  // connections authenticate too, and have no response that would end the entry).
  // A Map in insertion order, not an LRUCache: an entry lives from authentication to the end of its response, so
  // the map is mostly empty, and lru-cache clears its whole preallocated storage (10,000 slots) each time its last
  // entry is deleted — 3.7 % of the CPU of a cached inventory read (docs/performance.md).
  const principals = new Map<string, string>();
  const verify = createAuthenticator(config.auth);
  const limits = createRequestLimits(store, config, (error) =>
    repeatLimited(logger).warn('rate-limit-store', { err: error }, 'rate limit store failed; request served'),
  );
  // Who made each request, for its audit record (bounded like `principals`).
  const auditContexts = new LRUCache<string, AuthContext>({ max: 10_000 });
  const authenticator: Authenticator = async (authorization, requestId, client) => {
    const context = await verify(authorization, requestId, client);
    principals.set(context.requestId, context.principal);
    if (principals.size > 10_000) principals.delete(principals.keys().next().value!);
    auditContexts.set(context.requestId, context);
    await limits.checkPrincipal(context.principal);
    return context;
  };
  const http = createHttpObservability({
    logger,
    principalOf: (requestId) => {
      const principal = principals.get(requestId);
      principals.delete(requestId);
      return principal;
    },
  });
  const authenticate = (req: Request): Promise<AuthContext> =>
    authenticator(
      req.headers.authorization,
      String(req.headers['x-request-id'] ?? randomUUID()),
      clientCertificateOf(req.socket),
    );
  // The DMS apiRoots also take the token from X-Auth-Token, as SOL003 clients send it (docs/security.md).
  const authenticateDms = (req: Request): Promise<AuthContext> =>
    authenticator(
      dmsCredentials(req.headers),
      String(req.headers['x-request-id'] ?? randomUUID()),
      clientCertificateOf(req.socket),
    );

  let publicUrl = config.publicUrl;
  const markerSecret = markerSecretOf(config, logger);
  let monitoring: Monitoring | undefined = undefined;
  // One lifecycle service: the hub's DMS mutations run on it, and the vnflcm REST routes run on those.
  const lifecycle = new LifecycleService({
    store,
    packages: dmsPackages,
    deploymentManagers: deploymentManagerDirectory(() => registry.list().map((record) => record.clusterId)),
  });
  // The package tasks and LCM subscriptions behind the hub's fields, which the vnfpkgm and subscription
  // REST routes run.
  const packageTasks = new PackageTasks(dmsPackages);
  const lcmSubscriptions = new LcmSubscriptionService({
    store,
    callbacks: config.subscriptions.callbacks,
    probeTimeoutMs: config.subscriptions.probe.timeoutMs,
    logger,
  });
  // O2 IMS provisioning over Crossplane, when a management cluster is configured (docs/provisioning.md).
  const provisioning = await startProvisioning({
    config,
    store,
    registry,
    lifecycle,
    packages: dmsPackages,
    logger,
  });
  const router = await createRouter({
    config,
    store,
    lifecycle,
    ...(provisioning === undefined ? {} : { provisioning: provisioning.service }),
    packages: packageTasks,
    lcmSubscriptions,
    onShardFailure: (clusterId, reason) => monitoring?.reportShardFailure(clusterId, reason),
    registry,
    authenticate: authenticator,
    limits,
    logger,
    oCloud: () => ({ ...config.oCloud, serviceUri: publicUrl ?? '' }),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  let draining = false;
  // Ready = the store answers AND at least one cluster is registered and not known to be failing (its
  // circuit is not open). Otherwise a load balancer should send requests to another replica (docs/state-store.md).
  app.get('/readyz', async (_req, res) => {
    if (draining) {
      sendProblem(res, 503, 'this replica is shutting down');
      return;
    }
    try {
      await store.ping();
    } catch {
      sendProblem(res, 503, 'the state store is not reachable');
      return;
    }
    const clusters = registry.list().map((r) => r.clusterId);
    if (config.readiness.requireCluster) {
      if (clusters.length === 0) {
        sendProblem(res, 503, 'no cluster is registered');
        return;
      }
      const serving = router.pool.shards().filter((shard) => shard.breaker.state !== 'open');
      if (serving.length === 0) {
        sendProblem(res, 503, `no registered cluster is answering (${clusters.join(', ')})`);
        return;
      }
    }
    res.json({ status: 'ready', clusters });
  });
  // Prometheus metrics: the process's own and every component registry. Prometheus presents the scrape
  // token (metrics.scrapeToken); any authenticated caller may read them too (docs/operations.md "Scraping").
  const metricRegistries: Registry[] = [
    processMetrics(),
    http.registry,
    router.metrics,
    createDmsMetrics(store),
  ];
  // The notifiers of every channel (inventory, alarms, DMS LCM) share one registry, each series labelled
  // with its channel.
  const notifierMetrics = new Registry();
  metricRegistries.push(notifierMetrics);
  const scrapeToken = config.metrics.scrapeToken;
  app.get(METRICS_PATH, async (req, res) => {
    if (scrapeToken === undefined || !bearerMatches(req.headers.authorization, scrapeToken))
      requirePermission(await authenticate(req), 'metrics:read', 'reading metrics');
    const { contentType, body } = await metricsText(metricRegistries);
    res.type(contentType).send(body);
  });
  app.use(
    createAdminApi({
      registry,
      authenticate,
      // The cluster is gone from the graph either way; a failed announcement is logged, not the answer.
      onDeregistered: (clusterId) =>
        retireClusterInventory(store, clusterId).catch((error: unknown) =>
          logger.error({ err: error, clusterId }, 'could not announce the DELETE of a deregistered cluster'),
        ),
    }),
  );
  // Subscriptions before the inventory facade, which answers 404 for every path it does not serve.
  app.use(
    createSubscriptionsApi({
      store,
      authenticate,
      config: config.subscriptions,
      logger,
      publicUrl: () => publicUrl,
    }),
  );
  // The inventory facade, the hottest read path, right after the subscriptions that share its prefix: express
  // walks every route of every router mounted before it on each request (issue 16, cached reads). It answers
  // only paths under /o2ims-infrastructureInventory, so the routers after it are unaffected.
  // Cached inventory answers are invalidated by the change events of their clusters (rest-facade/answer-freshness.ts).
  const answerFreshness =
    config.inventory.cache.maxAgeMs > 0 ? new ClusterChangeTracker(inventoryChangeLogs(store)) : undefined;
  await answerFreshness?.start();
  app.use(topologyPageRoutes());
  app.use(
    createRestFacade({
      executor: router.executor,
      authenticate,
      logger,
      inventory: { ...config.inventory, markerSecret },
      clusterMembership: registry,
      ...(answerFreshness === undefined ? {} : { answerFreshness }),
      // Only a configured URL: otherwise the documents name the host and port each caller used.
      publicUrl: () => config.publicUrl,
    }),
  );
  app.use(
    createDeadLetterApi({
      store,
      authenticate,
      logger,
      deadLetters: {
        retentionMs: config.subscriptions.delivery.deadLetterRetentionMs,
        queueMaxLength: config.subscriptions.delivery.queueMaxLength,
      },
    }),
  );
  // Deployment policies: the configured ones seed the store (an API edit wins); /netweave/v1/policies edits them.
  await new PolicyStore(store).seed(configuredPolicies(config.dms.policies));
  app.use(createPoliciesApi({ executor: router.executor, authenticate, logger }));
  const audit = config.audit.enabled ? new AuditLog(store, config.audit) : undefined;
  if (audit) app.use(createAuditApi({ audit, authenticate, logger }));
  app.use(
    createDmsRouter({
      store,
      packages: dmsPackages,
      authenticate: authenticateDms,
      clusters: () => registry.list().map((record) => record.clusterId),
      logger,
      publicUrl: () => publicUrl,
      pageSize: config.dms.pageSize,
      lifecycle,
      executor: router.executor,
      markerSecret,
      subscriptions: {
        callbacks: config.subscriptions.callbacks,
        probeTimeoutMs: config.subscriptions.probe.timeoutMs,
      },
      vnfpkgm: createVnfPkgmRouter({
        packages: dmsPackages,
        executor: router.executor,
        authenticate: authenticateDms,
        logger,
        publicUrl: () => publicUrl,
      }),
    }),
  );
  app.use(
    createProvisioningRouter({
      executor: router.executor,
      authenticate,
      logger,
      publicUrl: () => config.publicUrl,
    }),
  );
  monitoring = await startMonitoring({
    store,
    ledger: new AlarmLedger(store),
    executor: router.executor,
    probe: new ShardReachability({
      pool: router.pool,
      failureThreshold: config.monitoring.clusterProbe.failureThreshold,
      probeTimeoutMs: config.monitoring.clusterProbe.timeoutMs,
    }),
    authenticate,
    monitoring: config.monitoring,
    subscriptions: config.subscriptions,
    globalCloudId: config.oCloud.globalCloudId,
    publicUrl: () => publicUrl ?? '',
    documentsUrl: () => config.publicUrl,
    logger,
    pageSize: config.inventory.pageSize,
    markerSecret,
    metricsRegistry: notifierMetrics,
  });
  app.use(monitoring.router);
  // The path is never echoed: it is arbitrary client input (reflected content, log and cache poisoning).
  app.use((_req, res) => sendProblem(res, 404, 'No resource exists at this path.'));
  app.use(problemErrorHandler(logger));

  // Requests in progress, for the drain: it waits for them (bounded) before closing connections.
  const inFlight = new Set<ServerResponse>();
  let allDone: (() => void) | undefined;
  const tls = config.listen.tls;
  const hsts = tls
    ? hstsHeader(config.listen.hsts.maxAgeSeconds, config.listen.hsts.includeSubDomains)
    : undefined;
  const dispatch = (req: IncomingMessage, res: ServerResponse, path: string | undefined): void => {
    const graphql = path === GRAPHQL_PATH;
    const routeOf = graphql ? () => GRAPHQL_PATH : () => expressRouteOf(req as Request);
    const requestId = http.track(req, res, routeOf);
    // One trace per request (continuing the caller's traceparent): facade → router → shard calls; every
    // log line of the request carries its id.
    inRequestScope(requestId, () =>
      traceHttpRequest(req, res, routeOf, () => (graphql ? router.handle(req, res) : app(req, res))),
    );
  };
  /** Writes and denials go to the audit log once answered (docs/security.md "Audit log"). */
  const auditWhenAnswered = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (audit === undefined) return;
    res.once('close', () => {
      const status = res.writableFinished ? res.statusCode : undefined;
      const method = req.method ?? 'GET';
      // A GraphQL mutation is a write like a REST one (router.mutationsOf: the fields it executed).
      const mutations = path === GRAPHQL_PATH ? router.mutationsOf(req) : undefined;
      // An aborted write (no status) is still a write: it may have taken effect.
      if (mutations === undefined && !isAudited(method, path, status ?? 0)) return;
      const requestId = String(req.headers[REQUEST_ID_HEADER] ?? '');
      const auth = auditContexts.get(requestId);
      auditContexts.delete(requestId);
      audit
        .record({
          time: new Date().toISOString(),
          principal: auth?.principal ?? null,
          tenant: auth?.tenant.name ?? null,
          action: mutations === undefined ? method : 'mutation',
          object: mutations === undefined ? path : `${path} ${mutations.join(',')}`,
          status: status ?? 0,
          outcome: outcomeOf(status),
          requestId,
          address: req.socket.remoteAddress ?? null,
        })
        .catch((error: unknown) =>
          repeatLimited(logger).warn('audit-record', { err: error }, 'audit record could not be stored'),
        );
    });
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (inFlight.size === 0) allDone?.();
    });
    // While draining, every answer asks the client to reconnect (to a replica that stays).
    if (draining) res.setHeader('connection', 'close');
    // RFC 6797: only over TLS (a plain-HTTP answer must not carry it).
    if (hsts !== undefined) res.setHeader('strict-transport-security', hsts);
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    auditWhenAnswered(req, res, path);
    // Probes are never limited: a busy replica must not look dead to Kubernetes.
    if (path === '/healthz' || path === '/readyz') {
      dispatch(req, res, path);
      return;
    }
    limits.checkAddress(req.socket.remoteAddress).then(
      () => dispatch(req, res, path),
      (error: unknown) => {
        http.track(req, res, () => undefined);
        // checkAddress throws nothing else (a store failure lets the request through).
        if (error instanceof RateLimitedError)
          sendRateLimited(res, error, String(req.headers['x-request-id'] ?? randomUUID()));
        else res.destroy();
      },
    );
  };
  let tlsServer: TlsServer | undefined;
  if (tls) {
    tlsServer = createTlsServer(tls, onRequest, {
      onReload: () => logger.info({ certFile: tls.certFile }, 'TLS certificate reloaded'),
      onError: (error) =>
        repeatLimited(logger).warn(
          'tls-reload',
          { err: error, certFile: tls.certFile },
          'TLS files unreadable or mismatched; keeping the current certificate',
        ),
    });
  }
  const server: Server | HttpsServer = tlsServer?.server ?? createServer(onRequest);
  router.attachWebSocket(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${tls ? 'https' : 'http'}://${host}:${address.port}`;
  publicUrl ??= url;
  const notifierBaseUrl = publicUrl;
  const channelOptions = {
    store,
    config: config.subscriptions,
    publicUrl: () => notifierBaseUrl,
    logger,
    metricsRegistry: notifierMetrics,
  };
  const notifier = await startNotifier(channelOptions);
  // SOL003 LCM notifications: the DMS event log to the vnflcm/v2 subscriptions (docs/dms.md "Notifications").
  const lcmNotifier = await startLcmNotifier(channelOptions);
  // SOL003 FM notifications: NF deployment alarms of the alarm event log to the vnffm/v1 subscriptions.
  const fmNotifier = await startFmNotifier(channelOptions);
  logger.info(
    { url, clusters: registry.list().map((r) => r.clusterId), store: store.kind },
    'gateway listening',
  );

  let closed = false;
  let draining$: Promise<void> | undefined;
  /** Closing after a drain: the notifiers get what is left of the grace period for deliveries in flight. */
  let deliveryGraceMs = 0;
  const gateway: GatewayProcess = {
    url,
    router,
    app,
    registry,
    store,
    logger,
    tls: tlsServer,
    provisioning,
    get draining() {
      return draining;
    },
    drain() {
      draining$ ??= (async () => {
        const { readinessDelayMs, gracePeriodMs } = config.shutdown;
        draining = true;
        logger.info({ readinessDelayMs, gracePeriodMs }, 'shutting down: readiness is false');
        await new Promise((resolve) => setTimeout(resolve, readinessDelayMs));
        const deadline = Date.now() + gracePeriodMs;
        // No new connections; graphql-ws clients are told to reconnect (elsewhere).
        server.close();
        server.closeIdleConnections();
        router.closeWebSockets();
        if (inFlight.size > 0) {
          logger.info({ requests: inFlight.size }, 'shutting down: waiting for requests in flight');
          const done = new Promise<void>((resolve) => {
            allDone = resolve;
          });
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            done,
            new Promise((resolve) => {
              timer = setTimeout(resolve, gracePeriodMs);
            }),
          ]);
          clearTimeout(timer);
          if (inFlight.size > 0)
            logger.warn({ requests: inFlight.size }, 'shutting down: grace period over, cutting requests');
        }
        deliveryGraceMs = Math.max(0, deadline - Date.now());
        await gateway.close();
        logger.info('shut down');
      })();
      return draining$;
    },
    async close() {
      if (closed) return;
      closed = true;
      // Deliveries of the four channels finish together within what is left of the grace period.
      await Promise.all([
        notifier.stop(deliveryGraceMs),
        lcmNotifier.stop(deliveryGraceMs),
        fmNotifier.stop(deliveryGraceMs),
        monitoring?.stop(deliveryGraceMs),
      ]);
      await answerFreshness?.stop();
      await provisioning?.stop();
      await router.dispose();
      tlsServer?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await registry.dispose();
      if (ownsStore) await store.dispose();
    },
    [Symbol.asyncDispose]() {
      return gateway.close();
    },
  };
  return gateway;
}
