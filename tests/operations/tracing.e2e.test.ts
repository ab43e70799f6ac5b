/**
 * OpenTelemetry tracing (docs/operations.md "Traces") with the standard SDK configured by the standard
 * variables, exporting OTLP http/json to a receiver on loopback: one REST request produces ONE trace with the
 * facade (gateway server) span, the router span, a shard call per cluster and the cluster subgraph's server
 * span; an incoming `traceparent` is continued; a webhook carries `traceparent`.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import { startTracing, type Tracing } from '../../common/tracing.ts';
import type { KubeObject } from '../../sim/index.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.ts';

const API = '/o2ims-infrastructureInventory/v2';

interface ExportedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
}

let collector: Server;
const spans: ExportedSpan[] = [];
let tracing: Tracing | undefined;
let demo: Demo;
let receiver: WebhookReceiver;

beforeAll(async () => {
  // The OTLP/HTTP receiver: POST /v1/traces with OTLP JSON bodies.
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces' && req.headers['content-type']?.includes('application/json')) {
        const parsed = JSON.parse(body) as {
          resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: ExportedSpan[] }> }>;
        };
        for (const resource of parsed.resourceSpans ?? [])
          for (const scope of resource.scopeSpans ?? []) spans.push(...(scope.spans ?? []));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  collector.listen(0, '127.0.0.1');
  await once(collector, 'listening');
  const { port } = collector.address() as AddressInfo;
  process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = `http://127.0.0.1:${port}`;
  process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] = 'http/json';
  tracing = await startTracing('netweave-test');
  receiver = await startWebhookReceiver();
  demo = await startDemo({
    scenario: 'minimal',
    port: 0,
    logger: createLogger('silent'),
    gateway: {
      logLevel: 'silent',
      auth: { mode: 'development' },
      subscriptions: { probe: { enabled: false }, callbacks: { requireHttps: false, allowLoopback: true } },
    },
  });
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await tracing?.shutdown();
  await receiver?.close();
  collector?.closeAllConnections();
  await new Promise((r) => collector?.close(r));
  delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  delete process.env['OTEL_EXPORTER_OTLP_PROTOCOL'];
});

/** The exported spans of one trace, once `names` are all among them. */
async function traceWith(traceId: () => string | undefined, names: RegExp[]): Promise<ExportedSpan[]> {
  let found: ExportedSpan[] = [];
  await expect
    .poll(
      async () => {
        await tracing!.flush();
        const id = traceId();
        found = id === undefined ? [] : spans.filter((s) => s.traceId === id);
        return names.every((name) => found.some((s) => name.test(s.name)));
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found;
}

describe('OpenTelemetry traces', () => {
  it('is on (the standard variables configure it)', () => {
    expect(tracing).toBeDefined();
  });

  it('gives one REST request one trace: facade → router → shard call → cluster subgraph', async () => {
    const clusterId = [...demo.subgraphs.keys()][0]!;
    const response = await fetch(`${demo.gateway.url}${API}/resourcePools`);
    expect(response.status).toBe(200);
    const facadeName = `GET ${API}/resourcePools`;
    const trace = await traceWith(
      () => spans.find((s) => s.name === facadeName)?.traceId,
      [/^GET .*\/resourcePools$/, /^router /, new RegExp(`^shard ${clusterId}$`), /^POST \/graphql$/],
    );
    const byName = (pattern: RegExp) => trace.find((s) => pattern.test(s.name))!;
    const facade = byName(/^GET .*\/resourcePools$/);
    const router = byName(/^router /);
    const shard = byName(new RegExp(`^shard ${clusterId}$`));
    const subgraph = byName(/^POST \/graphql$/);
    // A root, and a chain of parents: the subgraph continued the router's traceparent.
    expect(facade.parentSpanId ?? '').toBe('');
    expect(router.parentSpanId).toBe(facade.spanId);
    expect(shard.parentSpanId).toBe(router.spanId);
    expect(subgraph.parentSpanId).toBe(shard.spanId);
    expect(new Set(trace.map((s) => s.traceId)).size).toBe(1);
  });

  it('continues an incoming W3C traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const response = await fetch(`${demo.gateway.url}${API}/resourceTypes`, {
      headers: { traceparent: `00-${traceId}-${parentId}-01` },
    });
    expect(response.status).toBe(200);
    const trace = await traceWith(() => traceId, [/^GET .*\/resourceTypes$/, /^shard /, /^POST \/graphql$/]);
    expect(trace.find((s) => /^GET .*\/resourceTypes$/.test(s.name))!.parentSpanId).toBe(parentId);
  });

  it('sends traceparent with webhooks, and traces the delivery', async () => {
    const created = await fetch(`${demo.gateway.url}${API}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ callback: receiver.url }),
    });
    expect(created.status).toBe(201);
    const [clusterId] = [...demo.subgraphs.keys()];
    const sim = demo.clusters.get(clusterId!)!;
    const copy = structuredClone(sim.objects.list('v1', 'Node')[0]!) as KubeObject;
    sim.objects.create({
      ...copy,
      metadata: { name: 'traced-node', labels: { ...copy.metadata.labels }, annotations: {} },
    });
    await expect.poll(() => receiver.notifications.length, { timeout: 20_000 }).toBeGreaterThan(0);
    const traceparent = String(receiver.notifications[0]!.headers['traceparent']);
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const [, traceId, spanId] = traceparent.split('-');
    const trace = await traceWith(() => traceId, [/^notify inventory$/]);
    expect(trace.find((s) => s.name === 'notify inventory')!.spanId).toBe(spanId);
  });
});
