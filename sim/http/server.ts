/**
 * The simulated API server's HTTP listener: authentication, fault injection, connection tracking, and
 * routing to discovery or resource handlers. Everything is JSON; clients asking for protobuf get JSON,
 * which client-go and client-node accept as a fallback.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import {
  methodNotAllowed,
  resourceNotFound,
  serviceUnavailable,
  toApiError,
  unauthorized,
} from '../errors.ts';
import type { MemoryObjectStore } from '../store/object-store.ts';
import {
  AGGREGATED_DISCOVERY_TYPE,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
  wantsAggregatedDiscovery,
} from './discovery.ts';
import { openApiDocument } from './openapi.ts';
import { parseResourcePath } from './request-path.ts';
import type { HandlerContext } from './resource-handler.ts';
import { handleResource } from './resource-handler.ts';
import { sendJson, sendStatus, sendText } from './respond.ts';

export type Fault = 'none' | 'unavailable' | 'slow';

export interface ApiServerOptions {
  readonly store: MemoryObjectStore;
  readonly host: string;
  readonly port: number;
  /** When set, requests must carry `Authorization: Bearer <token>` (401 otherwise). */
  readonly token?: string;
  /** Serve https with this certificate and key (PEM) instead of plain http. */
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly kubernetesVersion: string;
  /** How long the 'slow' fault holds each request (released early on close or when the fault clears). */
  readonly slowDelayMs: number;
  readonly bookmarkIntervalMs: number;
  readonly maxWatchTimeoutMs: number;
  readonly now: () => number;
  /** Called once per finished request (debugging and tests). */
  readonly onRequest?: (method: string, url: string, status: number) => void;
}

const PUBLIC_PATHS = /^\/(healthz|livez|readyz)(\/.*)?$|^\/version$/;

export class SimApiServer {
  private fault: Fault = 'none';
  private closed = false;
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<() => void>();
  private readonly context: HandlerContext;

  private address = '';

  private constructor(
    private readonly server: Server,
    private readonly options: ApiServerOptions,
  ) {
    this.context = {
      store: options.store,
      now: options.now,
      bookmarkIntervalMs: options.bookmarkIntervalMs,
      maxWatchTimeoutMs: options.maxWatchTimeoutMs,
    };
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res));
  }

  static async start(options: ApiServerOptions): Promise<SimApiServer> {
    const server = options.tls === undefined ? createServer() : createTlsServer(options.tls);
    const instance = new SimApiServer(server, options);
    await new Promise<void>((resolve, reject) => {
      instance.server.once('error', reject);
      instance.server.listen(options.port, options.host, () => {
        instance.server.off('error', reject);
        resolve();
      });
    });
    const address = instance.server.address();
    if (address === null || typeof address === 'string')
      throw new Error('the simulator did not get a TCP port');
    instance.address = `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    return instance;
  }

  get url(): string {
    return `${this.options.tls === undefined ? 'http' : 'https'}://${this.address}`;
  }

  setFault(fault: Fault): void {
    this.fault = fault;
    if (fault !== 'slow') this.releaseHeld();
    if (fault === 'unavailable') this.dropConnections();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.releaseHeld();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.dropConnections();
    await done;
  }

  private dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private releaseHeld(): void {
    for (const release of [...this.held]) release();
  }

  /** Holds a request for the slow fault's delay, or until the fault clears or the server closes. */
  private hold(): Promise<void> {
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.held.delete(release);
        resolve();
      };
      const timer = setTimeout(release, this.options.slowDelayMs);
      this.held.add(release);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.options.onRequest !== undefined) {
      const report = this.options.onRequest;
      res.on('finish', () => report(req.method ?? '', req.url ?? '', res.statusCode));
    }
    try {
      if (this.fault === 'slow') await this.hold();
      if (this.closed) {
        res.destroy();
        return;
      }
      if (this.fault === 'unavailable') {
        res.setHeader('Connection', 'close');
        throw serviceUnavailable('the server is currently unable to handle the request');
      }
      await this.route(req, res);
    } catch (error) {
      sendStatus(res, toApiError(error));
    }
  }

  private authorized(req: IncomingMessage): boolean {
    if (this.options.token === undefined) return true;
    return req.headers.authorization === `Bearer ${this.options.token}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const pathname = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = req.method ?? 'GET';

    if (PUBLIC_PATHS.test(pathname)) {
      if (pathname === '/version') sendJson(res, 200, versionInfo(this.options.kubernetesVersion));
      else sendText(res, 200, 'ok');
      return;
    }
    if (!this.authorized(req)) throw unauthorized();

    const registry = this.options.store.registry;
    const segments = pathname.split('/').filter((s) => s !== '');
    const isDiscovery =
      pathname === '/api' ||
      pathname === '/apis' ||
      (segments[0] === 'api' && segments.length === 2) ||
      (segments[0] === 'apis' && segments.length <= 3);
    if (isDiscovery) {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method);
      if ((pathname === '/api' || pathname === '/apis') && wantsAggregatedDiscovery(req.headers.accept)) {
        sendJson(res, 200, aggregatedDiscovery(registry, pathname === '/api'), AGGREGATED_DISCOVERY_TYPE);
        return;
      }
      let document: unknown;
      if (pathname === '/api') document = apiVersions(this.address);
      else if (pathname === '/apis') document = apiGroupList(registry);
      else if (segments[0] === 'api') document = apiResourceList(registry, '', segments[1]!);
      else if (segments.length === 2) document = apiGroup(registry, segments[1]!);
      else document = apiResourceList(registry, segments[1]!, segments[2]!);
      if (document === undefined) throw resourceNotFound();
      sendJson(res, 200, document);
      return;
    }
    if (pathname === '/openapi/v3' || pathname.startsWith('/openapi/v3/')) {
      const document = openApiDocument(registry, pathname);
      if (document === undefined) throw resourceNotFound();
      sendJson(res, 200, document);
      return;
    }
    const path = parseResourcePath(pathname);
    if (path === undefined) throw resourceNotFound();
    await handleResource(this.context, req, res, path, url.searchParams);
  }
}
