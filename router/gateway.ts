/**
 * The router (docs/architecture.md "The shape"): the Hive Gateway runtime embedded in the gateway process. The supergraph is
 * composed once at start-up from the hub SDL and the ONE logical cluster SDL; the hub runs in-process and
 * the cluster subgraph is served by the shard executor, installed as a custom transport kind so the
 * gateway's own per-subgraph timeout/retry plugins never wrap the whole fan-out.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  createGatewayRuntime,
  getGraphQLWSOptions,
  type GatewayPlugin,
  type GatewayRuntime,
} from '@graphql-hive/gateway-runtime';
import { createDefaultExecutor } from '@graphql-mesh/transport-common';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { composeServices } from '@theguild/federation-composition';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { groupedSubscribe } from './subscriber-groups.ts';
import { keepAlive } from './ws-keepalive.ts';
import { AuthError, type AuthContext } from '../common/auth.ts';
import type { Authenticator } from '../common/authenticate.ts';
import type { GatewayConfig } from '../common/config.ts';
import { clientCertificateOf, clientTlsOptions } from '../common/tls.ts';
import { type Logger, repeatLimited } from '../common/log.ts';
import type { StateStore } from '../state/store.ts';
import { inSpan, SpanKind } from '../common/tracing.ts';
import { createHub, HUB_SDL_PATH, type HubOptions, type OCloudInfo } from '../subgraphs/hub/index.ts';
import {
  createDirectExecution,
  hubOwnedFields,
  useDirectExecution,
  type DirectExecution,
} from './direct-execution.ts';
import { partialResultOf } from './partial-results.ts';
import type { GraphExecutor, GraphRequest } from './executor.ts';
import { useFieldAuthorization } from './graphql-authorization.ts';
import type { RequestLimits } from './request-limits.ts';
import {
  allowedDocument,
  persistedOperationsOf,
  usePersistedOperationsOnly,
  type OperationParams,
} from './persisted-operations.ts';
import { problemFromError, RateLimitedError } from '../common/problem-details.ts';
import { checkVariables, limitError, useClientErrorStatus, useOperationLimits } from './graphql-limits.ts';
import { createShardExecutor, shardFailuresOf } from './shard-executor.ts';
import type { Registry } from 'prom-client';
import { createShardMetrics } from './shard-metrics.ts';
import { useOperationMetrics } from './graphql-metrics.ts';
import { ShardPool } from './shard-pool.ts';
import type { ShardRegistry } from './shard-registry.ts';

export const CLUSTER_SDL_PATH = fileURLToPath(new URL('../schema/cluster.graphql', import.meta.url));

export const GRAPHQL_PATH = '/graphql';

const HUB_TRANSPORT = 'netweave-hub';
const SHARD_TRANSPORT = 'netweave-shards';

export interface RouterOptions {
  readonly config: GatewayConfig;
  readonly registry: ShardRegistry;
  readonly authenticate: Authenticator;
  readonly logger: Logger;
  readonly oCloud: () => OCloudInfo;
  /** The state store: the hub serves `inventoryChanged` from its global event log (none without it). */
  readonly store?: StateStore;
  /** Every shard failure the executor sees (infrastructure monitoring turns them into alarms). */
  readonly onShardFailure?: (clusterId: string, reason: string) => void;
  /** The O2 DMS lifecycle service behind the hub's DMS queries and mutations (shared with the REST facade). */
  readonly lifecycle?: HubOptions['lifecycle'];
  /** The DMS package tasks and LCM subscriptions behind the hub's fields (shared with the REST facade). */
  readonly packages?: HubOptions['packages'];
  readonly lcmSubscriptions?: HubOptions['lcmSubscriptions'];
  /** O2 IMS provisioning behind the hub's provisioning fields (shared with the REST facade). */
  readonly provisioning?: HubOptions['provisioning'];
  /** Budgets of graphql-ws connection attempts (the HTTP budgets are checked before `handle`). */
  readonly limits?: RequestLimits;
  /**
   * false: HTTP and graphql-ws operations all take Hive Gateway's plan, none the direct path (nor its shared
   * executions): the reference the direct path is compared with (router/direct-http.test.ts). Default true.
   */
  readonly directExecution?: boolean;
}

export interface Router extends AsyncDisposable {
  readonly runtime: GatewayRuntime;
  readonly executor: GraphExecutor;
  /**
   * Runs an in-process operation through Hive Gateway's planning and projection even when the direct path
   * (router/direct-execution.ts) would answer it: the reference the direct path is checked against
   * (tests/conformance/answer-equivalence.test.ts).
   */
  executeThroughGateway<TData = Record<string, unknown>>(
    request: GraphRequest,
  ): Promise<ExecutionResult<TData>>;
  readonly pool: ShardPool;
  /** GraphQL operations, shard calls by cluster/outcome/latency, breaker states, registered/serving shards. */
  readonly metrics: Registry;
  /**
   * Serves GraphQL over HTTP on GRAPHQL_PATH: authenticates first (401 with `WWW-Authenticate` before the body is
   * read or anything parsed), then hands the request to the gateway runtime with the caller's context.
   */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /**
   * The root fields of the mutation an HTTP request to GRAPHQL_PATH executed (undefined when it executed
   * none): the audit log records GraphQL writes as it records REST writes.
   */
  mutationsOf(req: IncomingMessage): readonly string[] | undefined;
  /** Serves graphql-ws on GRAPHQL_PATH of `server` (same port as HTTP). */
  attachWebSocket(server: Server): void;
  /**
   * Graceful shutdown: refuses new graphql-ws connections and closes the open ones with 1012 (Service
   * Restart), which tells clients to reconnect — to another replica, as this one is no longer ready.
   */
  closeWebSockets(): void;
  dispose(): Promise<void>;
}

/** Composes the supergraph; a composition error is a programming error and stops start-up. */
export function composeSupergraph(hubSdl: string, clusterSdl: string): string {
  const result = composeServices([
    { name: 'hub', typeDefs: parse(hubSdl), url: 'netweave://hub' },
    { name: 'cluster', typeDefs: parse(clusterSdl), url: 'netweave://cluster' },
  ]);
  if (result.errors && result.errors.length > 0) {
    throw new Error(
      `supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`,
    );
  }
  if (!result.supergraphSdl) throw new Error('supergraph composition produced no SDL');
  return result.supergraphSdl;
}

/**
 * The SDL as netweave's own in-process callers (the REST facade, the notifier) see it: `@inaccessible` elements
 * (the facade's compiled filter and per-shard window, o2/list-window.ts) are part of it. The public supergraph
 * (HTTP, graphql-ws, GraphiQL) is composed from the SDL as written, so they are not part of the public API.
 */
export function internalSdl(sdl: string): string {
  return sdl.replace(/\s@inaccessible\b/g, '');
}

/** Context field that carries the caller's AuthContext through the gateway to the shard executor. */
interface AuthCarrier {
  auth?: AuthContext;
  request?: Request;
}

/**
 * Every caller arrives authenticated (HTTP in `Router.handle` before the body is read, graphql-ws in `onConnect`,
 * in-process callers with their context); a context without one is refused. Also re-adds shard failures to
 * results, because the gateway drops path-less subgraph errors.
 */
function useNetweaveContext(): GatewayPlugin {
  return {
    onContextBuilding({ context }) {
      const carrier = context as AuthCarrier;
      if (carrier.auth) return;
      throw new GraphQLError('a bearer token is required', {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const failures = shardFailuresOf(args.contextValue);
          if (failures.length === 0) return;
          const present = new Set(
            (result.errors ?? []).map(
              (e) => (e.extensions as Record<string, unknown> | undefined)?.['clusterId'],
            ),
          );
          const missing = failures.filter((f) => !present.has(f.extensions['clusterId']));
          const errors = [...(result.errors ?? []), ...missing];
          setResult({ ...result, errors, extensions: { ...result.extensions, ...partialResultOf(errors) } });
        },
      };
    },
  };
}

/** WebSocket close code (RFC 6455 registry) of a replica that stops: reconnect, elsewhere. */
export const SERVICE_RESTART_CLOSE_CODE = 1012;
/** graphql-ws close code of a session whose token expired (the client must reconnect with a fresh one). */
export const TOKEN_EXPIRED_CLOSE_CODE = 4401;
/** setTimeout's largest delay; longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Ends a graphql-ws session when its token expires: a socket never outlives its credential. */
function closeAtExpiry(socket: WebSocket, expiresAt: number): void {
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    const left = expiresAt - Date.now();
    if (left <= 0) socket.close(TOKEN_EXPIRED_CLOSE_CODE, 'token expired');
    else timer = setTimeout(check, Math.min(left, MAX_TIMER_MS));
  };
  socket.once('close', () => clearTimeout(timer));
  check();
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A browser asking for the GraphiQL page: GET, HTML accepted, no operation in the query string. */
function isGraphiQLPageRequest(req: IncomingMessage): boolean {
  if (req.method !== 'GET' || !(req.headers.accept ?? '').includes('text/html')) return false;
  const search = new URL(req.url ?? '/', 'http://localhost').searchParams;
  return !search.has('query') && !search.has('extensions');
}

/**
 * `variables` and `extensions` in a GET query string must be JSON objects; the runtime would fail on them with a
 * 500 (`GET /graphql?query={__typename}&variables=x`).
 */
function malformedSearchParams(req: IncomingMessage): string | undefined {
  const search = new URL(req.url ?? '/', 'http://localhost').searchParams;
  for (const name of ['variables', 'extensions']) {
    const raw = search.get(name);
    if (raw === null || raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return `the ${name} parameter is not valid JSON`;
    }
    if (value !== null && (typeof value !== 'object' || Array.isArray(value)))
      return `the ${name} parameter must be a JSON object`;
  }
  return undefined;
}

/** A GraphQL error answer the gateway runtime never saw (authentication, rate limits). */
function sendGraphQLError(
  res: ServerResponse,
  status: number,
  message: string,
  bearerError?: 'invalid_token',
): void {
  const code =
    status === 401
      ? 'UNAUTHENTICATED'
      : status === 403
        ? 'FORBIDDEN'
        : status === 400
          ? 'BAD_REQUEST'
          : status === 429
            ? 'RATE_LIMITED'
            : 'INTERNAL_SERVER_ERROR';
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (status === 401)
    headers['www-authenticate'] = `Bearer realm="netweave"${bearerError ? `, error="${bearerError}"` : ''}`;
  res.writeHead(status, headers);
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** 429 ProblemDetails with Retry-After (docs/security.md "Rate limits"), the same answer as on REST. */
export function sendRateLimited(res: ServerResponse, error: RateLimitedError, requestId: string): void {
  res.writeHead(429, {
    'content-type': 'application/problem+json',
    'retry-after': String(error.retryAfterSeconds),
  });
  res.end(JSON.stringify(problemFromError(error, requestId)));
}

export async function createRouter(options: RouterOptions): Promise<Router> {
  const { config, registry, logger } = options;
  const hubSdl = readFileSync(HUB_SDL_PATH, 'utf8');
  const clusterSdl = readFileSync(CLUSTER_SDL_PATH, 'utf8');
  const supergraph = composeSupergraph(hubSdl, clusterSdl);
  const clusterSchema = buildSubgraphSchema({ typeDefs: parse(clusterSdl) });
  const hub = createHub({
    oCloud: options.oCloud,
    clusterIds: () => registry.list().map((r) => r.clusterId),
    logger,
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.lifecycle === undefined ? {} : { lifecycle: options.lifecycle }),
    ...(options.packages === undefined ? {} : { packages: options.packages }),
    ...(options.lcmSubscriptions === undefined ? {} : { lcmSubscriptions: options.lcmSubscriptions }),
    ...(options.provisioning === undefined ? {} : { provisioning: options.provisioning }),
  });
  const pool = new ShardPool(registry, {
    internalToken: config.internalToken,
    ...(config.shards.tls === undefined ? {} : { tls: clientTlsOptions(config.shards.tls) }),
    breaker: { failureThreshold: config.shards.failureThreshold, cooldownMs: config.shards.cooldownMs },
  });
  const shardMetrics = createShardMetrics(() => pool);
  const shardExecutor = createShardExecutor({
    pool,
    onShardCall: (clusterId, outcome, seconds) => shardMetrics.observeCall(clusterId, outcome, seconds),
    schema: clusterSchema,
    timeoutMs: config.shards.timeoutMs,
    onShardFailure: (failure) => {
      // Every request fails the same way while a cluster is down: log it once a minute, not per request.
      repeatLimited(logger).warn(
        `shard-unavailable:${failure.clusterId}`,
        { clusterId: failure.clusterId, reason: failure.reason },
        'shard unavailable',
      );
      options.onShardFailure?.(failure.clusterId, failure.reason);
    },
  });
  const graphiql = config.graphiql ?? config.auth.mode === 'development';
  const operationMetrics = useOperationMetrics(shardMetrics.registry);
  const mutations = new WeakMap<IncomingMessage, readonly string[]>();
  const persisted = persistedOperationsOf(config.graphql.persistedOperations);

  // Set once both runtimes have their schemas (below); the public runtime's plugin reads it per operation.
  const late: { direct?: DirectExecution } = {};
  const runtimeOptions = (supergraphSdl: string, withGraphiql: boolean, isPublic: boolean) => ({
    supergraph: supergraphSdl,
    transportEntries: { hub: { kind: HUB_TRANSPORT }, cluster: { kind: SHARD_TRANSPORT } },
    transports: {
      [HUB_TRANSPORT]: { getSubgraphExecutor: () => createDefaultExecutor(hub.schema) },
      [SHARD_TRANSPORT]: { getSubgraphExecutor: () => shardExecutor },
    },
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: withGraphiql ? { title: 'netweave GraphiQL', subscriptionsProtocol: 'WS' } : false,
    // The bundled GraphiQL (no CDN): the demo and air-gapped operators need it offline.
    renderGraphiQL,
    landingPage: false,
    maskedErrors: true,
    logging: config.logLevel === 'debug' || config.logLevel === 'trace' ? 'debug' : 'warn',
    plugins: () => [
      ...(persisted === undefined ? [] : [usePersistedOperationsOnly(persisted)]),
      useOperationLimits({
        limits: config.graphql.limits,
        fieldSuggestions: config.graphql.fieldSuggestions ?? config.auth.mode === 'development',
      }),
      useClientErrorStatus(),
      useNetweaveContext(),
      useFieldAuthorization(),
      operationMetrics,
      useMutationRecords(mutations),
      // Last: it replaces the execution of what every plugin above let through.
      ...(isPublic && options.directExecution !== false ? [useDirectExecution(() => late.direct)] : []),
    ],
  });
  const runtime = createGatewayRuntime(
    runtimeOptions(supergraph, graphiql, true) as Parameters<typeof createGatewayRuntime>[0],
  );
  // In-process callers run on the same transports and plugins, over the supergraph that keeps the
  // @inaccessible arguments (internalSdl).
  const internalRuntime = createGatewayRuntime(
    runtimeOptions(
      composeSupergraph(internalSdl(hubSdl), internalSdl(clusterSdl)),
      false,
      false,
    ) as Parameters<typeof createGatewayRuntime>[0],
  );

  // Both supergraphs are loaded before the first request (a request would otherwise find no schema yet).
  await runtime.getSchema();
  const schema: GraphQLSchema = await internalRuntime.getSchema();
  const directPath = createDirectExecution({
    schema,
    clusterSchema,
    hubFields: hubOwnedFields(hubSdl),
    shardExecutor,
    observe: (document, operationName, result, started) =>
      operationMetrics.observe(document, operationName, result, started),
  });
  late.direct = directPath;

  const executor: GraphExecutor = {
    schema,
    execute<TData>(request: GraphRequest): Promise<ExecutionResult<TData>> {
      // The router's span of an in-process call (the REST facade): the shard calls become its children.
      return inSpan(
        `router ${request.operationName ?? 'operation'}`,
        SpanKind.INTERNAL,
        { 'graphql.operation.name': request.operationName ?? '' },
        () => executeInProcess<TData>(request),
      );
    },
  };

  async function executeInProcess<TData>(request: GraphRequest): Promise<ExecutionResult<TData>> {
    // Queries only the cluster subgraph answers skip the gateway's projection of the shards' result.
    const directly = await directPath.execute({
      document: request.document,
      operationName: request.operationName,
      variables: request.variables ?? {},
      auth: request.auth,
      clustersAsked: request.clustersAsked,
    });
    if (directly !== undefined) return directly as ExecutionResult<TData>;
    return executeThroughGateway<TData>(request);
  }

  /** Hive Gateway's planning and projection on the internal supergraph (the path direct execution skips). */
  async function executeThroughGateway<TData>(request: GraphRequest): Promise<ExecutionResult<TData>> {
    const initial = {
      auth: request.auth,
      ...(request.clustersAsked === undefined ? {} : { clustersAsked: request.clustersAsked }),
    };
    const enveloped = internalRuntime.getEnveloped(initial as never);
    const contextValue = await enveloped.contextFactory(initial as never);
    return (await enveloped.execute({
      schema: enveloped.schema,
      document: request.document,
      variableValues: request.variables ?? {},
      contextValue,
      operationName: request.operationName,
    })) as ExecutionResult<TData>;
  }

  let wss: WebSocketServer | undefined;
  /** Draining: new graphql-ws upgrades are answered 503. */
  let wsRefused = false;
  let disposeWs: (() => Promise<void>) | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (graphiql && isGraphiQLPageRequest(req)) {
      // The page itself holds no data; its queries carry the token like any other request.
      await runtime(req, res);
      return;
    }
    const header = req.headers.authorization;
    const requestId = firstHeader(req.headers['x-request-id']) ?? randomUUID();
    let auth: AuthContext;
    try {
      auth = await options.authenticate(header, requestId, clientCertificateOf(req.socket));
    } catch (error) {
      if (error instanceof RateLimitedError) {
        sendRateLimited(res, error, requestId);
        return;
      }
      const status = error instanceof AuthError ? error.status : 401;
      const message = error instanceof AuthError ? error.message : 'authentication failed';
      // RFC 6750 §3: no error code when the request carried no credentials at all.
      sendGraphQLError(res, status, message, header === undefined ? undefined : 'invalid_token');
      return;
    }
    const malformed = malformedSearchParams(req);
    if (malformed !== undefined) {
      sendGraphQLError(res, 400, malformed);
      return;
    }
    await inSpan('router /graphql', SpanKind.INTERNAL, {}, () => runtime(req, res, { auth } as never));
  };

  const router: Router = {
    runtime,
    mutationsOf: (req) => mutations.get(req),
    executor,
    executeThroughGateway,
    pool,
    metrics: shardMetrics.registry,
    handle(req, res) {
      handle(req, res).catch((error: unknown) => {
        logger.error({ err: error }, 'GraphQL request failed');
        if (!res.headersSent) sendGraphQLError(res, 500, 'internal error');
        else res.destroy();
      });
    },
    attachWebSocket(server: Server) {
      const { maxPayloadBytes, maxSubscriptionsPerConnection, maxSubscriptionsPerPrincipal, keepAliveMs } =
        config.graphql.websocket;
      // Operations running per principal over all its connections to this replica, and per connection the ids
      // counted (so a socket that closes gives back exactly what it held).
      const perPrincipal = new Map<string, number>();
      const counted = new WeakMap<object, Set<string>>();
      const release = (principal: string, amount: number): void => {
        const left = (perPrincipal.get(principal) ?? 0) - amount;
        if (left > 0) perPrincipal.set(principal, left);
        else perPrincipal.delete(principal);
      };
      // ws closes a socket whose frame exceeds maxPayload (1009) before buffering it.
      const limits = options.limits;
      wss = new WebSocketServer({
        server,
        path: GRAPHQL_PATH,
        maxPayload: maxPayloadBytes,
        // Refused while draining (503); connection attempts per address refused with 429 + Retry-After.
        verifyClient: (
          info: { req: IncomingMessage },
          done: (ok: boolean, status?: number, message?: string, headers?: Record<string, string>) => void,
        ) => {
          if (wsRefused) {
            done(false, 503, 'this replica is shutting down');
            return;
          }
          if (limits === undefined) {
            done(true);
            return;
          }
          limits.checkWebSocketConnect(info.req.socket.remoteAddress).then(
            () => done(true),
            (error: unknown) => {
              if (error instanceof RateLimitedError)
                done(false, 429, 'Too Many Requests', { 'retry-after': String(error.retryAfterSeconds) });
              else done(false, 500);
            },
          );
        },
      });
      const wsOptions = getGraphQLWSOptions<
        Record<string, unknown>,
        { request: IncomingMessage; socket: WebSocket; auth?: AuthContext }
      >(runtime, (ctx) => ({ auth: ctx.extra.auth }));
      // Identical live-only subscriptions share one execution (router/subscriber-groups.ts).
      const { subscribe } = wsOptions;
      if (subscribe === undefined) throw new Error('the gateway runtime gave graphql-ws no subscribe');
      const grouped = groupedSubscribe(subscribe);
      // graphql-ws's keep-alive is off (0 below): it cut live subscribers whenever the gateway lagged.
      wss.on('connection', (socket: WebSocket) => keepAlive(socket, keepAliveMs));
      const disposable = useServer(
        {
          ...wsOptions,
          subscribe: grouped.subscribe,
          onSubscribe: async (ctx, id, sent) => {
            let payload = sent;
            if (persisted !== undefined) {
              try {
                payload = { ...sent, query: allowedDocument(sent as OperationParams, persisted) };
              } catch (error) {
                return [error as GraphQLError];
              }
            }
            // ctx.subscriptions already holds this one.
            if (Object.keys(ctx.subscriptions).length > maxSubscriptionsPerConnection) {
              return [
                limitError(
                  `at most ${maxSubscriptionsPerConnection} operations per connection`,
                  'TOO_MANY_SUBSCRIPTIONS',
                ),
              ];
            }
            try {
              checkVariables(payload.variables, config.graphql.limits);
            } catch (error) {
              return [error as GraphQLError];
            }
            const principal = ctx.extra.auth?.principal;
            if (principal !== undefined) {
              const held = perPrincipal.get(principal) ?? 0;
              if (held >= maxSubscriptionsPerPrincipal) {
                return [
                  limitError(
                    `at most ${maxSubscriptionsPerPrincipal} operations per principal`,
                    'TOO_MANY_SUBSCRIPTIONS',
                  ),
                ];
              }
              perPrincipal.set(principal, held + 1);
              let ids = counted.get(ctx);
              if (ids === undefined) {
                ids = new Set();
                counted.set(ctx, ids);
                const socketIds = ids;
                ctx.extra.socket.once('close', () => {
                  release(principal, socketIds.size);
                  socketIds.clear();
                });
              }
              ids.add(id);
            }
            const prepared = await wsOptions.onSubscribe?.(ctx, id, payload);
            // Refused by validation: no operation runs and onComplete will not come.
            if (Array.isArray(prepared) && principal !== undefined && counted.get(ctx)?.delete(id))
              release(principal, 1);
            return prepared;
          },
          onComplete: async (ctx, id, payload) => {
            const principal = ctx.extra.auth?.principal;
            if (principal !== undefined && counted.get(ctx)?.delete(id)) release(principal, 1);
            await wsOptions.onComplete?.(ctx, id, payload);
          },
          onConnect: async (ctx) => {
            const params = ctx.connectionParams as Record<string, unknown> | undefined;
            const header =
              (typeof params?.['authorization'] === 'string' ? params['authorization'] : undefined) ??
              ctx.extra.request.headers.authorization;
            try {
              const auth = await options.authenticate(
                header,
                undefined,
                clientCertificateOf(ctx.extra.request.socket),
              );
              ctx.extra.auth = auth;
              if (auth.expiresAt !== undefined) closeAtExpiry(ctx.extra.socket, auth.expiresAt);
              return true;
            } catch {
              return false;
            }
          },
        },
        wss,
        0,
      );
      disposeWs = async () => {
        await disposable.dispose();
      };
    },
    closeWebSockets() {
      if (wss === undefined) return;
      wsRefused = true;
      for (const socket of wss.clients) socket.close(SERVICE_RESTART_CLOSE_CODE, 'Service Restart');
    },
    async dispose() {
      await disposeWs?.();
      await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
      await runtime.dispose();
      await internalRuntime.dispose();
      await hub.dispose();
      await pool.dispose();
    },
    [Symbol.asyncDispose]() {
      return router.dispose();
    },
  };
  return router;
}

/**
 * Remembers, per HTTP request, the root fields of an executed mutation (only executed ones: a mutation refused
 * by validation or authorization changed nothing and is audited as a denial or not at all).
 */
function useMutationRecords(mutations: WeakMap<IncomingMessage, readonly string[]>): GatewayPlugin {
  return {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      if (operation?.operation !== OperationTypeNode.MUTATION) return;
      // The node server context of `runtime(req, res, …)`; in-process executions (the REST facade) have none.
      const req = (args.contextValue as { req?: IncomingMessage } | undefined)?.req;
      if (req === undefined) return;
      mutations.set(
        req,
        operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : [])),
      );
    },
  };
}
