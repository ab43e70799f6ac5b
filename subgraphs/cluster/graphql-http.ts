/**
 * GraphQL over HTTP for the cluster subgraph: Apollo Server on express, behind the internal-token check,
 * the forwarded auth context and the readiness gate; plus /healthz.
 */
import { LRUCache } from 'lru-cache';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { asciiJson } from '../../common/ascii-json.ts';
import type { AuthContext } from '../../common/auth.ts';
import { ERROR_CODES, type ErrorCode } from '../../common/errors.ts';
import type { GraphQLWsEndpoint } from './graphql-ws-endpoint.ts';
import type { ClusterInformers } from './informers.ts';
import { STALE_HEADER } from '../../common/errors.ts';
import { InventoryResponseCache } from './response-cache.ts';
import { AUTH_CONTEXT_HEADER, AuthContextError, bearerMatches, requestAuthContext } from './request-auth.ts';
import { type ClusterDataSources, type ClusterGraphContext, createGraphContext } from './resolvers.ts';

/** Request errors of the GraphQL server itself: "your request is wrong", reported as BAD_USER_INPUT. */
const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

function isDeliberate(code: unknown): boolean {
  return (
    (typeof code === 'string' && code in ERROR_CODES && code !== 'INTERNAL_SERVER_ERROR') ||
    (typeof code === 'string' && CLIENT_ERROR_CODES.has(code))
  );
}

/**
 * One error model (docs/architecture.md "Conventions" 8): netweave codes pass; the server's own request errors become
 * BAD_USER_INPUT (the original kept as `graphqlCode`); anything else is masked here and logged with the
 * request id by the plugin below.
 */
export function formatSubgraphError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.['code'];
  if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
    return {
      ...formatted,
      extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT', graphqlCode: code },
    };
  }
  if (isDeliberate(code)) return formatted;
  return {
    message: 'Internal server error',
    ...(formatted.path === undefined ? {} : { path: formatted.path }),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<ClusterGraphContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isDeliberate(error.extensions['code'])) continue;
            logger.error(
              { err: unwrapResolverError(error), requestId: contextValue.auth.requestId },
              'unexpected GraphQL error',
            );
          }
        },
        async willSendResponse({ response, contextValue }) {
          response.http.headers.set('x-request-id', contextValue.auth.requestId);
        },
      };
    },
  };
}

function sendGraphQLError(
  res: Response,
  status: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res
    .status(status)
    .type('application/json')
    .send(JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] }));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface GraphQLHttpOptions {
  readonly clusterId: string;
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly sources: ClusterDataSources;
  readonly informers: ClusterInformers;
  readonly httpServer: Server;
  readonly ws: GraphQLWsEndpoint;
  readonly internalToken: string | undefined;
  readonly logger: Logger;
  /** Answers are marked stale (STALE_HEADER) once no Kubernetes watch has been open for this long. */
  readonly stalenessMs: number;
}

export interface GraphQLHttp {
  readonly app: Express;
  /**
   * Handles one HTTP request: repeated inventory reads (POST of an operation whose answer is in the response
   * cache) are answered here, before express; everything else goes to `app`.
   */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** Drains: closes the websockets, finishes in-flight requests, closes the HTTP server. */
  stop(): Promise<void>;
}

/** Builds the express app; the caller mounts it on `httpServer` (createServer(app) before listen). */
export async function createGraphQLHttp(options: GraphQLHttpOptions): Promise<GraphQLHttp> {
  const { clusterId, sources, informers, internalToken, ws } = options;
  const apollo = new ApolloServer<ClusterGraphContext>({
    schema: options.schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatSubgraphError,
    logger: options.logger,
    // The process owner (netweave CLI, demo, tests) decides how to stop on SIGINT/SIGTERM; Apollo's own
    // handler would re-raise the signal and kill the process before the other components close.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer, stopGracePeriodMillis: 5_000 }),
      {
        async serverWillStart() {
          return { drainServer: () => ws.dispose() };
        },
      },
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // netweave sets no cache hints; Apollo's cache-control plugin would otherwise run for every field.
      ApolloServerPluginCacheControlDisabled(),
      errorLoggingPlugin(options.logger),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // Unauthenticated, for kubelet probes: says only whether the cluster has been listed.
  app.get('/healthz', (_req, res) => {
    const health = informers.health();
    res.status(health.synced ? 200 : 503).json({
      status: health.synced ? 'ok' : 'syncing',
      clusterId,
      synced: health.synced,
      connected: health.connected,
    });
  });
  /** The auth context of an admissible request, or undefined when the gate answers it with an error. */
  const admitted = (req: IncomingMessage): AuthContext | undefined => {
    if (internalToken !== undefined && !bearerMatches(req.headers.authorization, internalToken))
      return undefined;
    const requestId = headerValue(req.headers['x-request-id']) ?? randomUUID();
    let auth: AuthContext;
    try {
      auth = requestAuthContext(headerValue(req.headers[AUTH_CONTEXT_HEADER]), requestId);
    } catch {
      return undefined; // the gate answers it (400), or express reports what else went wrong
    }
    return informers.isSynced ? auth : undefined;
  };
  /** Served from the cache while the API server cannot be watched: say for how long (the router reports it). */
  const markStale = (res: ServerResponse): void => {
    const disconnectedForMs = informers.health().disconnectedForMs;
    if (disconnectedForMs >= options.stalenessMs)
      res.setHeader(STALE_HEADER, String(Math.floor(disconnectedForMs / 1000)));
  };
  const gate = (req: Request, res: Response, next: NextFunction): void => {
    if (internalToken !== undefined && !bearerMatches(req.headers.authorization, internalToken)) {
      res.setHeader('www-authenticate', 'Bearer');
      sendGraphQLError(res, 401, 'UNAUTHENTICATED', 'missing or invalid internal token');
      return;
    }
    const requestId = headerValue(req.headers['x-request-id']) ?? randomUUID();
    try {
      res.locals['auth'] = requestAuthContext(headerValue(req.headers[AUTH_CONTEXT_HEADER]), requestId);
    } catch (error) {
      if (!(error instanceof AuthContextError)) throw error;
      sendGraphQLError(res, 400, 'BAD_USER_INPUT', error.message);
      return;
    }
    // An empty inventory before the first list would look authoritative: say the shard is not ready.
    if (!informers.isSynced) {
      sendGraphQLError(res, 503, 'SHARD_UNAVAILABLE', `cluster ${clusterId} has not been listed yet`, {
        clusterId,
      });
      return;
    }
    markStale(res);
    next();
  };
  const cache = new InventoryResponseCache(options.schema);
  /** The encoded form of each cached answer, valid while the cache returns that same answer for the key. */
  // As bounded as the answer cache (its default size): the least recently used encodings go first.
  const encoded = new LRUCache<
    string,
    { readonly body: string; readonly bytes: Buffer; readonly etag: string | undefined }
  >({ max: 256 });
  const encodedAnswer = (key: string, body: string) => {
    const known = encoded.get(key);
    if (known !== undefined && known.body === body) return known;
    const bytes = Buffer.from(body);
    const etagOf = app.get('etag fn') as ((body: Buffer, encoding: string) => string) | undefined;
    const entry = { body, bytes, etag: etagOf?.(bytes, 'utf8') };
    encoded.set(key, entry);
    return entry;
  };
  /**
   * A response-cache hit, as both paths (express's and the lean one) send it. The answer's bytes and ETag are
   * computed once per cached answer, not per hit: `res.send` would re-encode and re-hash the whole (often several
   * hundred KB) body on every repeated read. No 304: the hits are POSTs, which are never "fresh".
   */
  const sendHit = (res: ServerResponse, requestId: string, key: string, hit: string): void => {
    const { bytes, etag } = encodedAnswer(key, hit);
    res.setHeader('x-request-id', requestId);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (etag !== undefined) res.setHeader('ETag', etag);
    res.setHeader('Content-Length', bytes.length);
    res.statusCode = 200;
    res.end(bytes);
  };
  /** Inventory-only reads answered from memory while the inventory has not changed (response-cache.ts). */
  const cached = (req: Request, res: Response, next: NextFunction): void => {
    const auth = res.locals['auth'] as AuthContext;
    const key = req.method === 'POST' ? cache.keyOf(req.body, auth) : undefined;
    if (key === undefined) {
      next();
      return;
    }
    const cursor = sources.inventory.cursor;
    const hit = cache.get(key, cursor);
    if (hit !== undefined) {
      sendHit(res, auth.requestId, key, hit);
      return;
    }
    const send = res.send.bind(res);
    res.send = (body?: unknown): Response => {
      // ASCII on the wire (common/ascii-json.ts): the router decodes it on its fast path; kept escaped.
      const text = typeof body === 'string' ? asciiJson(body) : body;
      // Answers with errors are not kept: an unexpected error may not repeat.
      if (res.statusCode === 200 && typeof text === 'string' && text.startsWith('{"data"'))
        cache.set(key, cursor, text);
      return send(text);
    };
    next();
  };
  app.use(
    options.path,
    gate,
    express.json({ limit: MAX_BODY_BYTES }),
    cached,
    expressMiddleware(apollo, {
      context: async ({ res }) => createGraphContext(sources, res.locals['auth'] as AuthContext),
    }),
  );
  // Errors before Apollo (an unparsable body) answer in the GraphQL error shape, never as express's HTML
  // page with a stack trace.
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendGraphQLError(res, status, 'BAD_USER_INPUT', error instanceof Error ? error.message : 'bad request');
      return;
    }
    options.logger.error({ err: error }, 'unexpected error in the GraphQL HTTP endpoint');
    sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  });
  /**
   * The lean path of POST /graphql (issue 16): a response-cache hit answered before express, its JSON
   * parser and router, with the gate's checks, sent by the same `sendHit` as the `cached` middleware's
   * hits. A router's fan-out to many shards pays this per shard. Whatever the gate would refuse, and any request
   * framed otherwise than the router frames its own (JSON without a charset other than UTF-8 or an encoding,
   * a declared length up to the parser's limit), goes to express untouched; a request whose body was read here
   * and is not a cache hit continues through express with that body already parsed (the JSON parser skips a
   * request whose body was consumed). The one visible difference: a body that is not a JSON object or array
   * is refused here with JSON.parse's own message, where express's parser words it its own way.
   */
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const length = Number(req.headers['content-length']);
    if (
      req.method !== 'POST' ||
      (req.url !== options.path && !req.url?.startsWith(`${options.path}?`)) ||
      !(length > 0 && length <= MAX_BODY_BYTES) ||
      req.headers['content-encoding'] !== undefined ||
      !ROUTER_CONTENT_TYPES.has(req.headers['content-type'] ?? '')
    ) {
      app(req, res);
      return;
    }
    const auth = admitted(req);
    if (auth === undefined) {
      app(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      try {
        answer(req, res, auth, chunks);
      } catch (error) {
        // What express's error handler does with an unexpected error (never a crash of the subgraph).
        options.logger.error({ err: error }, 'unexpected error in the GraphQL HTTP endpoint');
        if (!res.headersSent) sendRawGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      }
    });
  };
  const answer = (req: IncomingMessage, res: ServerResponse, auth: AuthContext, chunks: Buffer[]): void => {
    const raw = chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString();
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (error) {
      sendRawGraphQLError(res, 400, 'BAD_USER_INPUT', error instanceof Error ? error.message : 'bad request');
      return;
    }
    if (typeof body !== 'object' || body === null) {
      sendRawGraphQLError(res, 400, 'BAD_USER_INPUT', 'the request body must be a JSON object or array');
      return;
    }
    const key = cache.keyOf(body, auth);
    const hit = key === undefined ? undefined : cache.get(key, sources.inventory.cursor);
    if (key === undefined || hit === undefined) {
      (req as IncomingMessage & { body?: unknown }).body = body;
      app(req, res);
      return;
    }
    markStale(res);
    sendHit(res, auth.requestId, key, hit);
  };
  return { app, handle, stop: () => apollo.stop() };
}

/** The largest body the JSON parser accepts (`express.json({ limit })` above). */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** The content types the router's shard client sends (router/shard-client.ts), case as sent. */
const ROUTER_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/json',
  'application/json; charset=utf-8',
]);

/** sendGraphQLError without express (the lean path). */
function sendRawGraphQLError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  const bytes = Buffer.from(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}
