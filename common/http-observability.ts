/**
 * What every HTTP server of netweave (gateway, cluster subgraph) records per request: a request id that
 * every component of the request uses (taken from `x-request-id` when the caller sent a sane one, else
 * generated, and echoed in the response), one access log line when the response is finished, and the
 * Prometheus series `netweave_http_requests_total` / `netweave_http_request_duration_seconds` by method,
 * route and status. Plain node:http objects, so any framework on top works.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Histogram, Registry } from 'prom-client';
import type { Logger } from './log.ts';

export const REQUEST_ID_HEADER = 'x-request-id';
/** A caller's request id is reused only when it is short, printable ASCII (it ends up in logs and headers). */
const SANE_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
/** Route label of a request no route matched: one series, whatever the path (bounded cardinality). */
export const UNMATCHED_ROUTE = 'unmatched';

export interface HttpObservabilityOptions {
  readonly logger: Logger;
  /** The principal of a request once authenticated, by request id (absent: anonymous or not authenticated). */
  readonly principalOf?: (requestId: string) => string | undefined;
  /** Milliseconds since an arbitrary origin (tests inject one). */
  readonly now?: () => number;
}

export interface HttpObservability {
  /** The series above; merge it into the process's /metrics. */
  readonly registry: Registry;
  /**
   * Call first thing for each request. Sets the request id on the request headers (so downstream
   * components read the same one) and on the response; logs and counts when the response finishes,
   * with the route `routeOf()` names then (a route pattern, never a raw path).
   */
  track(req: IncomingMessage, res: ServerResponse, routeOf: () => string | undefined): string;
}

export function createHttpObservability(options: HttpObservabilityOptions): HttpObservability {
  const now = options.now ?? (() => performance.now());
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'netweave_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'netweave_http_request_duration_seconds',
    help: 'Time from request to the end of the response, by method, route pattern and status code',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    track(req, res, routeOf) {
      const offered = req.headers[REQUEST_ID_HEADER];
      const requestId = typeof offered === 'string' && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
      req.headers[REQUEST_ID_HEADER] = requestId;
      res.setHeader(REQUEST_ID_HEADER, requestId);
      const started = now();
      let recorded = false;
      const record = (): void => {
        if (recorded) return;
        recorded = true;
        const seconds = Math.max(0, now() - started) / 1000;
        const labels = {
          method: req.method ?? 'GET',
          route: routeOf() ?? UNMATCHED_ROUTE,
          // A response the client abandoned before it was sent has no status of its own.
          status: res.writableFinished ? String(res.statusCode) : 'aborted',
        };
        requests.inc(labels);
        duration.observe(labels, seconds);
        const principal = options.principalOf?.(requestId);
        options.logger.info(
          {
            requestId,
            ...labels,
            durationMs: Math.round(seconds * 10_000) / 10,
            ...(principal === undefined ? {} : { principal }),
          },
          'request',
        );
      };
      res.once('finish', record);
      res.once('close', record);
      return requestId;
    },
  };
}
