/**
 * The connection from the router to one cluster shard: GraphQL over HTTP for queries and graphql-ws for
 * subscriptions, authenticated with the internal token and carrying the caller's auth context.
 */
import { print, type DocumentNode, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { AuthContext } from '../common/auth.ts';
import { clusterTag } from '../common/ids.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.ts';

export interface ShardRecord {
  readonly clusterId: string;
  /** GraphQL over HTTP endpoint of the cluster subgraph. */
  readonly url: string;
  /** graphql-ws endpoint of the cluster subgraph. */
  readonly wsUrl: string;
}

export interface ShardRequest {
  readonly document: DocumentNode;
  readonly variables: Record<string, unknown>;
  readonly operationName?: string | undefined;
  readonly auth?: AuthContext | undefined;
}

export interface ShardClientOptions {
  readonly internalToken?: string | undefined;
  readonly breaker: CircuitBreakerOptions;
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

export function encodeAuth(auth: AuthContext): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64url');
}

const printed = new WeakMap<DocumentNode, string>();
function printCached(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/**
 * Failures worth one immediate retry: the server closed a kept-alive socket between our requests.
 * Not retried: refused connections (the shard is down — the breaker takes over), timeouts (retrying
 * doubles the wait), HTTP status errors and GraphQL errors (the answer would not change).
 */
const RETRIED_CAUSES: readonly string[] = ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'];

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

export class ShardClient implements AsyncDisposable {
  readonly clusterId: string;
  readonly tag: string;
  readonly breaker: CircuitBreaker;
  #ws: Client | undefined;

  constructor(
    readonly record: ShardRecord,
    private readonly options: ShardClientOptions,
  ) {
    this.clusterId = record.clusterId;
    this.tag = clusterTag(record.clusterId);
    this.breaker = new CircuitBreaker(options.breaker);
  }

  #headers(auth: AuthContext | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    if (this.options.internalToken) headers['authorization'] = `Bearer ${this.options.internalToken}`;
    if (auth) headers[AUTH_HEADER] = encodeAuth(auth);
    return headers;
  }

  /** One query or mutation; throws ShardUnavailableError when the shard gave no GraphQL answer. */
  async query(request: ShardRequest, signal: AbortSignal): Promise<ExecutionResult> {
    if (!this.breaker.tryAcquire()) throw new ShardUnavailableError(this.clusterId, 'circuit open after repeated failures');
    const body = JSON.stringify({
      query: printCached(request.document),
      variables: request.variables,
      operationName: request.operationName,
    });
    const init = { method: 'POST', headers: this.#headers(request.auth), body, signal };
    try {
      let response: Response;
      try {
        response = await fetch(this.record.url, init);
      } catch (error) {
        const code = causeCode(error);
        if (signal.aborted || code === undefined || !RETRIED_CAUSES.includes(code)) throw error;
        response = await fetch(this.record.url, init);
      }
      const text = await response.text();
      let result: ExecutionResult;
      try {
        result = JSON.parse(text) as ExecutionResult;
      } catch {
        throw new ShardUnavailableError(this.clusterId, `HTTP ${response.status} without a GraphQL response`);
      }
      if (typeof result !== 'object' || result === null || (!('data' in result) && !('errors' in result))) {
        throw new ShardUnavailableError(this.clusterId, `HTTP ${response.status} without a GraphQL response`);
      }
      this.breaker.recordSuccess();
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
      webSocketImpl: WebSocket,
      lazy: true,
      lazyCloseTimeout: 1_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: async (retries) => {
        const delay = Math.min(10_000, 250 * 2 ** Math.min(retries, 6)) * (0.5 + Math.random() / 2);
        await new Promise((resolve) => setTimeout(resolve, delay));
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
      query: printCached(request.document),
      variables: request.variables,
    };
    if (request.auth) payload.extensions = { [AUTH_HEADER]: encodeAuth(request.auth) };
    if (request.operationName) payload.operationName = request.operationName;
    return this.#ws.iterate(payload) as AsyncIterableIterator<ExecutionResult>;
  }

  async dispose(): Promise<void> {
    const ws = this.#ws;
    this.#ws = undefined;
    await ws?.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
