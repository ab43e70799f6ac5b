/**
 * OpenTelemetry tracing (docs/operations.md "Traces"), off unless configured with the standard variables:
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) turns it on; `OTEL_SERVICE_NAME`
 * names the process; `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` keep it off. Spans are exported
 * as OTLP over HTTP with JSON bodies (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`, the only protocol offered).
 *
 * Context travels as W3C Trace Context: `traceparent` on incoming requests is honoured (server spans continue
 * the caller's trace), and injected into what netweave sends (router → cluster subgraph, webhooks).
 * Without a registered provider the API below is the no-op one of @opentelemetry/api: nothing is recorded or
 * propagated, at the cost of a few function calls.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';

export { SpanKind };

const TRACER_NAME = 'netweave';

export interface Tracing {
  /** Exports the spans still buffered and stops (call before the process exits). */
  shutdown(): Promise<void>;
  /** Exports the spans buffered so far (tests). */
  flush(): Promise<void>;
}

/** Whether the environment asks for traces. */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['OTEL_SDK_DISABLED'] === 'true' || env['OTEL_TRACES_EXPORTER'] === 'none') return false;
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

/**
 * Registers the global tracer provider when the environment configures an OTLP endpoint; undefined
 * otherwise. Once per process (the provider is global); the SDK is loaded only then.
 */
export async function startTracing(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = () => undefined,
): Promise<Tracing | undefined> {
  if (!tracingConfigured(env)) return undefined;
  const protocol = env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ?? env['OTEL_EXPORTER_OTLP_PROTOCOL'];
  if (protocol !== undefined && protocol !== 'http/json')
    warn(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported: exporting as http/json`);
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] || serviceName }),
    // The exporter reads the endpoint, headers and timeout from the OTEL_EXPORTER_OTLP_* variables.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The AsyncLocalStorage context manager and the W3C trace context (and baggage) propagator.
  provider.register();
  return {
    shutdown: () => provider.shutdown(),
    flush: () => provider.forceFlush(),
  };
}

function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Runs `handle` inside a SERVER span for one HTTP request, continuing the caller's trace when the request
 * carries `traceparent`. The span is named `<METHOD> <route>` when the response ends (the route pattern is
 * known only then) and records the status.
 */
export function traceHttpRequest(
  req: IncomingMessage,
  res: ServerResponse,
  routeOf: () => string | undefined,
  handle: () => void,
): void {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? 'GET';
  const span = tracer().startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } },
    parent,
  );
  res.once('close', () => {
    const route = routeOf();
    if (route !== undefined) {
      span.updateName(`${method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), handle);
}

/** Runs `work` in a span that is the active one meanwhile (its calls become children); errors mark it. */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Adds the active trace context (`traceparent`, `tracestate`) to outgoing request headers. */
export function injectTraceContext(headers: Record<string, string>): void {
  propagation.inject(context.active(), headers);
}
