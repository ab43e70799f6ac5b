/**
 * The cluster subgraph's Kubernetes API client: GET of JSON (lists, /version) and watch streams over
 * node:https with one keep-alive agent — all a subgraph needs, without the generated API of
 * @kubernetes/client-node (kube-config.ts says why). Objects are handed on as the API server's JSON: the
 * client-node model types describe their shape, but timestamps stay RFC 3339 strings (the generated list API
 * turned them into Date; netweave's readers accept both: topology.ts `isoTime`, `new Date(x)`).
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, type IncomingMessage, STATUS_CODES, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions, request as httpsRequest } from 'node:https';
import { createInterface } from 'node:readline';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { KubeTarget } from './kube-config.ts';
import type { WatchPhaseCallback, WatchTransport } from './supervisor.ts';

export type QueryParams = Record<string, string | number | boolean | undefined>;

/** An API request that failed with an HTTP status (the informer supervisor reads `statusCode`). */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

/** A list or /version read that does not answer in this time is failed (and retried by the supervisor). */
const REQUEST_TIMEOUT_MS = 60_000;
/** Service account tokens rotate (bound tokens expire): the file is re-read this often, as client-node does. */
const TOKEN_FILE_MAX_AGE_MS = 60_000;

export interface KubeApi extends WatchTransport {
  readonly server: string;
  /** GET of a JSON document, e.g. `/version`. */
  getJson<T>(path: string, query?: QueryParams): Promise<T>;
  list<T extends KubernetesObject>(path: string, query?: QueryParams): Promise<KubernetesListObject<T>>;
  /** Closes idle keep-alive sockets. */
  close(): void;
}

type Authorize = (options: RequestOptions) => Promise<void>;

/** Request options from the target alone: CA, client certificate, bearer or basic credentials. */
function staticAuthorization(target: KubeTarget): Authorize {
  let token = target.token;
  let tokenReadAt = Number.NEGATIVE_INFINITY;
  const bearer = (): string | undefined => {
    if (target.tokenFile !== undefined && Date.now() - tokenReadAt > TOKEN_FILE_MAX_AGE_MS) {
      token = readFileSync(target.tokenFile, 'utf8').trim();
      tokenReadAt = Date.now();
    }
    return token;
  };
  return async (options) => {
    const headers = (options.headers ?? {}) as Record<string, string>;
    const current = bearer();
    if (current !== undefined && current !== '') headers['authorization'] = `Bearer ${current}`;
    else if (target.username !== undefined && target.password !== undefined) {
      options.auth = `${target.username}:${target.password}`;
    }
    if (target.impersonate !== undefined) headers['impersonate-user'] = target.impersonate;
    options.headers = headers;
  };
}

/**
 * Exec plugins, auth providers and proxies: client-node's KubeConfig sets the request's credentials and agent.
 * Imported on first use only, so subgraphs with plain credentials never load it.
 */
function fullClientAuthorization(config: () => Promise<HttpsOptionsAuthority>): Authorize {
  let kubeConfig: Promise<HttpsOptionsAuthority> | undefined;
  return async (options) => {
    kubeConfig ??= config();
    await (await kubeConfig).applyToHTTPSOptions(options);
  };
}

function statusError(response: IncomingMessage, body: string): KubeApiError {
  const status = response.statusCode ?? 0;
  let message = STATUS_CODES[status] ?? 'Internal Server Error';
  try {
    // The API server's Status object names the reason.
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string' && parsed.message !== '') message = parsed.message;
  } catch {
    // not JSON: keep the status text
  }
  return new KubeApiError(message, status);
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

/** What client-node's KubeConfig offers a request: its credentials and agent (TLS, proxy). */
export interface HttpsOptionsAuthority {
  applyToHTTPSOptions(options: RequestOptions): Promise<void>;
}

export interface KubeApiOptions {
  /** For `needsFullClient` targets: client-node's KubeConfig of the same configuration. */
  readonly fullKubeConfig?: () => Promise<HttpsOptionsAuthority>;
}

export function createKubeApi(target: KubeTarget, options: KubeApiOptions = {}): KubeApi {
  const secure = target.server.startsWith('https:');
  const base = new URL(target.server);
  // One agent for lists, /version and the long-lived watches (one socket each while open).
  const agent = secure
    ? new HttpsAgent({
        keepAlive: true,
        ...(target.ca === undefined ? {} : { ca: target.ca }),
        ...(target.certificate === undefined ? {} : { cert: target.certificate }),
        ...(target.key === undefined ? {} : { key: target.key }),
        rejectUnauthorized: !target.skipTLSVerify,
        ...(target.tlsServerName === undefined ? {} : { servername: target.tlsServerName }),
      })
    : new HttpAgent({ keepAlive: true });
  let authorize: Authorize;
  if (target.needsFullClient) {
    if (options.fullKubeConfig === undefined)
      throw new Error(`${target.source}: this user's credentials need client-node's KubeConfig`);
    authorize = fullClientAuthorization(options.fullKubeConfig);
  } else {
    authorize = staticAuthorization(target);
  }

  const send = async (
    path: string,
    query: QueryParams,
    signal: AbortSignal | undefined,
  ): Promise<IncomingMessage> => {
    const url = new URL(`${base.pathname.replace(/\/$/, '')}${path}`, base);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const requestOptions: RequestOptions = {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port,
      path: `${url.pathname}${url.search}`,
      headers: { accept: 'application/json' },
      agent,
      ...(signal === undefined ? {} : { signal }),
    };
    await authorize(requestOptions);
    return new Promise((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(requestOptions, resolve);
      request.on('error', reject); // after the response too: a reset socket must not be uncaught
      request.end();
    });
  };

  const getJson = async <T>(path: string, query: QueryParams = {}): Promise<T> => {
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const response = await send(path, query, signal);
    const body = await readBody(response);
    if (response.statusCode !== 200) throw statusError(response, body);
    return JSON.parse(body) as T;
  };

  return {
    server: target.server,
    getJson,
    list: <T extends KubernetesObject>(path: string, query: QueryParams = {}) =>
      getJson<KubernetesListObject<T>>(path, query),

    // The contract of client-node's Watch: resolves with the request's controller once the stream is open
    // (or has failed); `done` is called exactly once, with null when the server ended the stream.
    async watch(
      path: string,
      queryParams: QueryParams,
      callback: WatchPhaseCallback,
      done: (error: unknown) => void,
    ): Promise<AbortController> {
      const controller = new AbortController();
      let doneCalled = false;
      const finish = (error: unknown): void => {
        if (doneCalled) return;
        doneCalled = true;
        controller.abort();
        done(error);
      };
      try {
        const response = await send(path, { ...queryParams, watch: true }, controller.signal);
        if (response.statusCode !== 200) {
          finish(statusError(response, await readBody(response)));
          return controller;
        }
        response.socket.setKeepAlive(true, 30_000);
        // An abort of ours (the cache stopped or replaced the watch) ends the stream; it is no failure.
        response.on('error', (error) => finish(controller.signal.aborted ? null : error));
        response.once('close', () => finish(null));
        const lines = createInterface({ input: response, crlfDelay: Number.POSITIVE_INFINITY });
        // readline re-emits the stream's errors (an abort, a reset socket): the response's handler has them.
        lines.on('error', () => undefined);
        lines.on('line', (line) => {
          if (line === '') return;
          let event: { type?: unknown; object?: unknown };
          try {
            event = JSON.parse(line) as { type?: unknown; object?: unknown };
          } catch {
            return; // a torn line: the watch resumes from the last resourceVersion anyway
          }
          callback(String(event.type), event.object, event);
        });
      } catch (error) {
        finish(controller.signal.aborted ? null : error);
      }
      return controller;
    },
    close: () => agent.destroy(),
  };
}
