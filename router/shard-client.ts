/**
 * The connection from the router to one cluster shard: GraphQL over HTTP for queries and graphql-ws for
 * subscriptions, authenticated with the internal token and carrying the caller's auth context.
 */
import { injectTraceContext, inSpan, SpanKind } from '../common/tracing.ts';
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { DocumentNode, ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import type { SecureContextOptions } from 'node:tls';
import WebSocket from 'ws';
import type { AuthContext } from '../common/auth.ts';
import { parseJsonBytes } from '../common/json-bytes.ts';
import { STALE_HEADER } from '../common/errors.ts';
import { clusterTag } from '../o2/ids.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.ts';
import { identityKey, InflightRequests } from './inflight.ts';
import { documentText } from './shard-plan.ts';
import { backoffDelay, realTimers, type BackoffPolicy } from '../common/timers.ts';

/** Reconnects of the shared graphql-ws socket to a shard (a restarted subgraph). */
const RECONNECT_BACKOFF: BackoffPolicy = {
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  multiplier: 2,
  jitter: 0.5,
};

export interface ShardRecord {
  readonly clusterId: string;
  /** GraphQL over HTTP endpoint of the cluster subgraph. */
  readonly url: string;
  /** graphql-ws endpoint of the cluster subgraph. */
  readonly wsUrl: string;
}

export interface ShardRequest {
  readonly document: DocumentNode;
  /** The document's printed text, when the caller has it already (the shard executor caches it per shape). */
  readonly query?: string | undefined;
  readonly variables: Record<string, unknown>;
  readonly operationName?: string | undefined;
  readonly auth?: AuthContext | undefined;
  /**
   * Share the answer with identical requests in flight (same operation text, variables and caller identity).
   * Only for queries: a mutation must run once per caller.
   */
  readonly deduplicate?: boolean | undefined;
}

export interface ShardClientOptions {
  readonly internalToken?: string | undefined;
  /** TLS towards https:// / wss:// shards: the CA that signed the subgraphs' certificates, a client certificate. */
  readonly tls?: SecureContextOptions | undefined;
  readonly breaker: CircuitBreakerOptions;
}

/** A request the caller's input makes impossible to send: a client error, never a shard failure. */
export class ShardRequestError extends Error {
  override name = 'ShardRequestError';
}

/** A failure that makes a shard's part of the result missing (as opposed to GraphQL errors it returned). */
export class ShardUnavailableError extends Error {
  constructor(
    readonly clusterId: string,
    readonly reason: string,
  ) {
    super(`cluster ${clusterId} is unavailable: ${reason}`);
    this.name = 'ShardUnavailableError';
  }
}

/** Header (HTTP) and payload extension (graphql-ws) that carry the caller's auth context to a shard. */
export const AUTH_HEADER = 'x-netweave-auth';

/** Encoded once per auth context: a fan-out sends the same caller to every shard. */
const encodedAuth = new WeakMap<AuthContext, string>();

export function encodeAuth(auth: AuthContext): string {
  let encoded = encodedAuth.get(auth);
  if (encoded === undefined) {
    encoded = Buffer.from(JSON.stringify(auth)).toString('base64url');
    encodedAuth.set(auth, encoded);
  }
  return encoded;
}

/**
 * Failures worth one immediate retry: the server closed a kept-alive socket between our requests.
 * Not retried: refused connections (the shard is down — the breaker takes over), timeouts (retrying
 * doubles the wait), HTTP status errors and GraphQL errors (the answer would not change).
 */
const RETRIED_CAUSES: readonly string[] = ['ECONNRESET', 'EPIPE'];

function causeCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  if (typeof e?.code === 'string' && e.code !== 'ABORT_ERR') return e.code;
  return typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
}

/** What an aborted exchange fails with: an AbortError carrying the signal's reason, as `http.request` gives. */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}

/** An HTTP answer read whole: status and body bytes. */
interface RawResponse {
  readonly status: number;
  readonly body: Buffer;
  /** Seconds the shard has been unable to watch its cluster (STALE_HEADER), when it says so. */
  readonly staleSeconds: number | undefined;
}

/** The extension under which a shard's result carries its staleness to the shard executor. */
export const STALE_EXTENSION = 'netweaveStaleSeconds';

/**
 * Reads the whole response body into one Buffer (pre-sized from content-length when the shard sends it), so
 * the result is decoded and parsed once — `fetch` + `response.text()` streamed it through web streams and
 * a TextDecoder, the largest router-owned item of the uncached inventory profile (docs/benchmarks.md).
 */
function readBody(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(response.headers['content-length']);
    const chunks: Buffer[] = [];
    let length = 0;
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    });
    response.on('end', () => {
      if (Number.isFinite(declared) && declared !== length) reject(new Error('response body truncated'));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length));
    });
    response.on('error', reject);
    // A reset connection or an aborted request ends the stream without 'end' (a no-op once settled).
    response.on('close', () => reject(new Error('response aborted')));
  });
}

export class ShardClient implements AsyncDisposable {
  readonly clusterId: string;
  readonly tag: string;
  readonly breaker: CircuitBreaker;
  #ws: Client | undefined;
  readonly #url: URL;
  /** Keep-alive connections to this shard, reused across requests (one TCP/TLS handshake, not one per call). */
  readonly #agent: HttpAgent;
  /** Identical queries in flight to this shard, answered by one request (router/inflight.ts). */
  readonly #inflight = new InflightRequests<ExecutionResult>();
  /** The headers every request carries, built once. */
  readonly #baseHeaders: Readonly<Record<string, string>>;

  constructor(
    readonly record: ShardRecord,
    private readonly options: ShardClientOptions,
  ) {
    this.clusterId = record.clusterId;
    this.tag = clusterTag(record.clusterId);
    this.breaker = new CircuitBreaker(options.breaker);
    this.#url = new URL(record.url);
    this.#agent =
      this.#url.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, scheduling: 'lifo', ...options.tls })
        : new HttpAgent({ keepAlive: true, scheduling: 'lifo' });
    this.#baseHeaders = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(options.internalToken ? { authorization: `Bearer ${options.internalToken}` } : {}),
    };
  }

  /**
   * Sends one request; `aborted.current` is the request to destroy when the signal aborts. The abort is wired
   * by #exchange with one listener for the whole exchange (request, retry and body), not by passing the
   * signal to `http.request`, which adds its own listener and stream-finish tracking per request.
   */
  #post(
    body: Buffer,
    headers: Record<string, string>,
    current: { request?: ClientRequest },
  ): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const send = this.#url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(this.#url, { method: 'POST', agent: this.#agent, headers }, resolve);
      current.request = request;
      request.on('error', reject);
      request.end(body);
    });
  }

  async #exchange(body: Buffer, headers: Record<string, string>, signal: AbortSignal): Promise<RawResponse> {
    if (signal.aborted) throw abortError(signal);
    const current: { request?: ClientRequest } = {};
    // Destroying the request fails the pending response or body read with the abort error.
    const onAbort = (): void => void current.request?.destroy(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      let response: IncomingMessage;
      try {
        response = await this.#post(body, headers, current);
      } catch (error) {
        // Only failures before any answer arrived are retried: the request never reached a live server.
        const code = causeCode(error);
        if (signal.aborted || code === undefined || !RETRIED_CAUSES.includes(code)) throw error;
        response = await this.#post(body, headers, current);
      }
      const stale = Number(response.headers[STALE_HEADER]);
      return {
        status: response.statusCode ?? 0,
        body: await readBody(response),
        staleSeconds: Number.isFinite(stale) && stale >= 0 ? stale : undefined,
      };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  #headers(auth: AuthContext | undefined): Record<string, string> {
    const headers: Record<string, string> = { ...this.#baseHeaders };
    if (auth) {
      headers[AUTH_HEADER] = encodeAuth(auth);
      // The subgraph logs the request under the caller's request id.
      headers['x-request-id'] = auth.requestId;
    }
    return headers;
  }

  /**
   * One query or mutation; throws ShardUnavailableError when the shard gave no GraphQL answer. Traced as a
   * CLIENT span whose context the subgraph continues (`traceparent`).
   */
  query(request: ShardRequest, signal: AbortSignal): Promise<ExecutionResult> {
    let payload: string;
    try {
      payload = JSON.stringify({
        query: request.query ?? documentText(request.document),
        variables: request.variables,
        operationName: request.operationName,
      });
    } catch {
      // The caller's input (e.g. variables nested too deep to serialize): the shard is not at fault.
      return Promise.reject(
        new ShardRequestError('the request cannot be encoded for the cluster (input nested too deep?)'),
      );
    }
    const send = (sendSignal: AbortSignal): Promise<ExecutionResult> =>
      inSpan(`shard ${this.clusterId}`, SpanKind.CLIENT, { 'netweave.cluster': this.clusterId }, () =>
        this.#query(payload, request.auth, sendSignal),
      );
    if (request.deduplicate !== true) return send(signal);
    // The payload holds the operation text, its name and variables; the identity says who may see the answer.
    return this.#inflight.run(`${identityKey(request.auth)}\n${payload}`, signal, send);
  }

  async #query(
    payload: string,
    auth: AuthContext | undefined,
    signal: AbortSignal,
  ): Promise<ExecutionResult> {
    const body = Buffer.from(payload);
    if (!this.breaker.tryAcquire())
      throw new ShardUnavailableError(this.clusterId, 'circuit open after repeated failures');
    const headers = this.#headers(auth);
    headers['content-length'] = String(body.length);
    injectTraceContext(headers);
    try {
      const response = await this.#exchange(body, headers, signal);
      let result: ExecutionResult;
      try {
        // Large answers are parsed piece by piece, never decoded into one large string (common/json-bytes.ts).
        result = parseJsonBytes(response.body) as ExecutionResult;
      } catch {
        throw new ShardUnavailableError(this.clusterId, `HTTP ${response.status} without a GraphQL response`);
      }
      if (typeof result !== 'object' || result === null || (!('data' in result) && !('errors' in result))) {
        throw new ShardUnavailableError(this.clusterId, `HTTP ${response.status} without a GraphQL response`);
      }
      if (response.status === 401 || response.status === 403) {
        // The shard refuses the router itself (a rotated or wrong internal token): every caller's data from it is
        // missing, so it is an unavailable cluster with the reason, never a silently empty answer.
        const detail = (result.errors as readonly { message?: unknown }[] | undefined)?.[0]?.message;
        throw new ShardUnavailableError(
          this.clusterId,
          `rejected the router's credentials (HTTP ${response.status}${typeof detail === 'string' ? `: ${detail}` : ''})`,
        );
      }
      this.breaker.recordSuccess();
      if (response.staleSeconds !== undefined)
        return { ...result, extensions: { ...result.extensions, [STALE_EXTENSION]: response.staleSeconds } };
      return result;
    } catch (error) {
      this.breaker.recordFailure();
      if (error instanceof ShardUnavailableError) throw error;
      const reason = signal.aborted
        ? 'timed out'
        : (causeCode(error) ?? (error instanceof Error ? error.message : 'request failed'));
      throw new ShardUnavailableError(this.clusterId, reason);
    }
  }

  /**
   * A subscription stream from this shard. The graphql-ws client reconnects and re-subscribes by itself
   * when the socket drops (a restarted subgraph), so the stream outlives shard restarts.
   */
  subscribe(request: ShardRequest): AsyncIterableIterator<ExecutionResult> {
    this.#ws ??= createClient({
      url: this.record.wsUrl,
      webSocketImpl: this.#webSocketImpl(),
      lazy: true,
      lazyCloseTimeout: 1_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: async (retries) => {
        await realTimers.sleep(backoffDelay(RECONNECT_BACKOFF, retries + 1));
      },
      // The socket is shared by every subscription to this shard, so it carries only the router's own
      // credential; each subscription's caller travels in its payload extensions.
      connectionParams: () =>
        this.options.internalToken ? { authorization: `Bearer ${this.options.internalToken}` } : {},
    });
    const payload: {
      query: string;
      variables: Record<string, unknown>;
      operationName?: string;
      extensions?: Record<string, unknown>;
    } = {
      query: request.query ?? documentText(request.document),
      variables: request.variables,
    };
    if (request.auth) payload.extensions = { [AUTH_HEADER]: encodeAuth(request.auth) };
    if (request.operationName) payload.operationName = request.operationName;
    return this.#ws.iterate(payload) as AsyncIterableIterator<ExecutionResult>;
  }

  /** graphql-ws constructs the socket itself (url, protocol): the TLS options ride on a subclass. */
  #webSocketImpl(): new (address: string, protocols?: string | string[]) => WebSocket {
    const tls = this.options.tls;
    if (tls === undefined) return WebSocket;
    return class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, tls);
      }
    };
  }

  async dispose(): Promise<void> {
    const ws = this.#ws;
    this.#ws = undefined;
    // Idle connections close now; connections still carrying a request close when it finishes (the pool
    // disposes a replaced client while requests may be in flight).
    this.#agent.keepSocketAlive = () => false;
    for (const sockets of Object.values(this.#agent.freeSockets))
      for (const socket of sockets ?? []) socket.destroy();
    try {
      await ws?.dispose();
    } catch {
      // A client still retrying a down shard rejects its dispose with the close event (1000 "All Subscriptions
      // Gone"): it is closed either way, and the pool disposes replaced clients without awaiting them, where a
      // rejection would be unhandled and end the process.
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
