/**
 * The netweave gateway process (docs/architecture.md "The shape"): state store, shard registry, router (GraphQL over HTTP
 * and graphql-ws on /graphql, GraphiQL in development), the O2 REST facade and the admin API on one port.
 * The process is stateless: run N replicas against one Redis.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request } from 'express';
import { LRUCache } from 'lru-cache';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { AuthContext } from '../common/auth.ts';
import { type Authenticator, createAuthenticator } from '../common/authenticate.ts';
import { requirePermission } from '../common/authorization.ts';
import { createHttpObservability } from '../common/http-observability.ts';
import type { GatewayConfig } from '../common/config.ts';
import { createLogger, type Logger } from '../common/log.ts';
import { createRestFacade, problemErrorHandler, sendProblem } from '../rest-facade/index.ts';
import { startNotifier } from '../notifier/index.ts';
import { startLcmNotifier } from '../notifier/lcm-channel.ts';
import { createDeadLetterApi } from '../rest-facade/dead-letters-api.ts';
import { createSubscriptionsApi } from '../rest-facade/subscriptions/index.ts';
import { AlarmLedger } from '../alarms/alarm-ledger.ts';
import { createDmsRouter } from '../rest-facade/dms/index.ts';
import { PackageRepository } from '../dms/packages/index.ts';
import { createVnfPkgmRouter } from '../rest-facade/dms/vnfpkgm.ts';
import { startMonitoring, type Monitoring } from '../rest-facade/monitoring/index.ts';
import { createAdminApi } from '../router/admin-api.ts';
import { createRouter, GRAPHQL_PATH, type Router } from '../router/gateway.ts';
import { ShardReachability } from '../router/shard-reachability.ts';
import { ShardRegistry } from '../router/shard-registry.ts';
import { createStateStore, type StateStoreConfig } from '../state/index.ts';
import type { StateStore } from '../state/store.ts';

/** Default Node.js process metrics in a registry of their own (one per gateway in this process). */
function processMetrics(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'netweave_' });
  return registry;
}

export interface GatewayProcess extends AsyncDisposable {
  /** Base URL the gateway listens on, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly router: Router;
  /** The express application of every path but `/graphql` (the authorization matrix test enumerates its routes). */
  readonly app: Express;
  readonly registry: ShardRegistry;
  readonly store: StateStore;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface GatewayDependencies {
  /** An existing store (tests share one between replicas); otherwise created from config.store. */
  readonly store?: StateStore;
  readonly logger?: Logger;
  /** The DMS package repository (dms/packages) shared with in-process job runners; else one on the store. */
  readonly dmsPackages?: PackageRepository;
}

/** The validated `store` settings as the state store factory takes them (no undefined-valued keys). */
function storeConfigOf(store: GatewayConfig['store'], logger: Logger): StateStoreConfig {
  if (store.kind === 'memory') return { kind: 'memory' };
  return {
    kind: 'redis',
    keyPrefix: store.keyPrefix,
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
  const registry = await ShardRegistry.open(store);
  const dmsPackages = deps.dmsPackages ?? new PackageRepository(store);
  // An upload cut off by a crash must not stay PROCESSING forever.
  await dmsPackages.recoverInterruptedUploads();
  for (const cluster of config.clusters) await registry.register(cluster);

  // The access log names each request's principal: remember it by request id (bounded: websocket
  // connections authenticate too, and have no response that would end the entry).
  const principals = new LRUCache<string, string>({ max: 10_000 });
  const verify = createAuthenticator(config.auth);
  const authenticator: Authenticator = async (authorization, requestId) => {
    const context = await verify(authorization, requestId);
    principals.set(context.requestId, context.principal);
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
    authenticator(req.headers.authorization, String(req.headers['x-request-id'] ?? randomUUID()));

  let publicUrl = config.publicUrl;
  const markerSecret = markerSecretOf(config, logger);
  let monitoring: Monitoring | undefined = undefined;
  const router = await createRouter({
    config,
    store,
    onShardFailure: (clusterId, reason) => monitoring?.reportShardFailure(clusterId, reason),
    registry,
    authenticate: authenticator,
    logger,
    oCloud: () => ({ ...config.oCloud, serviceUri: publicUrl ?? '' }),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await store.ping();
      res.json({ status: 'ready', clusters: registry.list().map((r) => r.clusterId) });
    } catch {
      sendProblem(res, 503, 'the state store is not reachable');
    }
  });
  // Prometheus metrics: the process's own and every component registry (authenticated like every path;
  // give the scraper a token with any role).
  const metricRegistries: Registry[] = [processMetrics(), http.registry, router.metrics];
  app.get('/metrics', async (req, res) => {
    requirePermission(await authenticate(req), 'metrics:read', 'reading metrics');
    const texts = await Promise.all(metricRegistries.map((r) => r.metrics()));
    res.type(metricRegistries[0]!.contentType).send(texts.join('\n'));
  });
  app.use(createAdminApi({ registry, authenticate }));
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
  app.use(createDeadLetterApi({ store, authenticate, logger }));
  app.use(
    createDmsRouter({
      store,
      packages: dmsPackages,
      authenticate,
      clusters: () => registry.list().map((record) => record.clusterId),
      logger,
      publicUrl: () => publicUrl,
      pageSize: config.dms.pageSize,
      ...(config.dms.policy === undefined ? {} : { policy: config.dms.policy }),
      markerSecret,
      subscriptions: {
        callbacks: config.subscriptions.callbacks,
        probeTimeoutMs: config.subscriptions.probe.timeoutMs,
      },
      vnfpkgm: createVnfPkgmRouter({
        packages: dmsPackages,
        authenticate,
        logger,
        publicUrl: () => publicUrl,
      }),
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
    logger,
    pageSize: config.inventory.pageSize,
    markerSecret,
  });
  app.use(monitoring.router);
  app.use(
    createRestFacade({
      executor: router.executor,
      authenticate,
      logger,
      inventory: { ...config.inventory, markerSecret },
      clusterMembership: registry,
    }),
  );
  // The path is never echoed: it is arbitrary client input (reflected content, log and cache poisoning).
  app.use((_req, res) => sendProblem(res, 404, 'No resource exists at this path.'));
  app.use(problemErrorHandler(logger));

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === GRAPHQL_PATH) {
      http.track(req, res, () => GRAPHQL_PATH);
      router.handle(req, res);
    } else {
      http.track(req, res, () => expressRouteOf(req as Request));
      app(req, res);
    }
  });
  router.attachWebSocket(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  publicUrl ??= url;
  const notifierBaseUrl = publicUrl;
  const notifier = await startNotifier({
    store,
    config: config.subscriptions,
    publicUrl: () => notifierBaseUrl,
    logger,
  });
  metricRegistries.push(notifier.metrics.registry);
  // SOL003 LCM notifications: the DMS event log to the vnflcm/v2 subscriptions (docs/dms.md "Notifications").
  const lcmNotifier = await startLcmNotifier({
    store,
    config: config.subscriptions,
    publicUrl: () => notifierBaseUrl,
    logger,
  });
  metricRegistries.push(lcmNotifier.metrics.registry);
  logger.info(
    { url, clusters: registry.list().map((r) => r.clusterId), store: store.kind },
    'gateway listening',
  );

  let closed = false;
  const gateway: GatewayProcess = {
    url,
    router,
    app,
    registry,
    store,
    logger,
    async close() {
      if (closed) return;
      closed = true;
      await notifier.stop();
      await lcmNotifier.stop();
      await monitoring?.stop();
      await router.dispose();
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
