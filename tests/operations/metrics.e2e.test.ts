/**
 * Operations metrics (docs/operations.md), scraped as Prometheus would in jwt mode: the gateway and every
 * cluster subgraph answer /metrics to the scrape token (and to nothing else without a credential), and the
 * series of each area appear and move: GraphQL operations, shard calls per cluster, breaker and shard
 * counts, notifier channels (inventory, alarms, LCM) with their event-log lag and queues, DMS occurrences,
 * informers and the change event lag of the subgraph.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import type { KubeObject } from '../../sim/index.ts';
import { writeTestJwks } from '../../testing/jwks.ts';

const SCRAPE_TOKEN = 'scrape-token-for-prometheus-0123456789';
const API = '/o2ims-infrastructureInventory/v2';

let demo: Demo;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netweave-metrics-'));
  const { jwksFile } = await writeTestJwks(dir);
  demo = await startDemo({
    scenario: 'minimal',
    port: 0,
    logger: createLogger('silent'),
    gateway: {
      logLevel: 'silent',
      auth: { mode: 'jwt', jwksFile, issuer: 'https://idp.test', audience: 'netweave' },
      metrics: { scrapeToken: SCRAPE_TOKEN },
    },
  });
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await rm(dir, { recursive: true, force: true });
});

async function scrape(url: string, token: string | null = SCRAPE_TOKEN): Promise<Response> {
  return fetch(url, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
}

async function gatewayMetrics(): Promise<string> {
  const response = await scrape(`${demo.gateway.url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one series (exact label set as printed), undefined when absent. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function subgraphMetricsUrl(): string {
  const [subgraph] = [...demo.subgraphs.values()];
  return new URL('/metrics', subgraph!.url).toString();
}

describe('metrics in jwt mode', () => {
  it('answers /metrics to the scrape token only, which opens nothing else', async () => {
    expect((await scrape(`${demo.gateway.url}/metrics`, null)).status).toBe(401);
    expect((await scrape(`${demo.gateway.url}/metrics`, 'wrong-token-0123456789')).status).toBe(401);
    expect((await scrape(`${demo.gateway.url}/metrics`)).status).toBe(200);
    // The scrape token is no API credential.
    expect((await scrape(`${demo.gateway.url}${API}`)).status).toBe(401);
    expect((await scrape(subgraphMetricsUrl(), null)).status).toBe(401);
    expect((await scrape(subgraphMetricsUrl())).status).toBe(200);
    expect((await scrape(subgraphMetricsUrl(), demo.internalToken)).status).toBe(200);
  });

  it('shows GraphQL operations, shard calls per cluster and the cluster counts, moving with traffic', async () => {
    const clusters = [...demo.subgraphs.keys()];
    const cluster = clusters[0]!;
    const shardCalls = `netweave_shard_calls_total{cluster="${cluster}",outcome="ok"}`;
    const before = await gatewayMetrics();
    const executor = demo.gateway.router.executor;
    const { parse } = await import('graphql');
    const auth = {
      principal: 'metrics-test',
      roles: ['reader'] as const,
      tenant: { name: '*' },
      method: 'internal' as const,
      requestId: 'metrics-test-1',
    };
    const result = await executor.execute({
      document: parse('query MetricsPools { resourcePools { resourcePoolId } }'),
      auth,
    });
    expect(result.errors).toBeUndefined();
    const after = await gatewayMetrics();
    expect(valueOf(after, shardCalls)).toBe((valueOf(before, shardCalls) ?? 0) + 1);
    expect(after).toMatch(
      new RegExp(
        `netweave_shard_call_duration_seconds_bucket\\{le="[^"]+",cluster="${cluster}",outcome="ok"\\}`,
      ),
    );
    expect(
      valueOf(after, 'netweave_graphql_operations_total{type="query",name="MetricsPools",outcome="ok"}'),
    ).toBe(1);
    expect(valueOf(after, 'netweave_shards_registered')).toBe(clusters.length);
    expect(valueOf(after, 'netweave_shards_serving')).toBe(clusters.length);
    expect(valueOf(after, `netweave_shard_breaker_state{cluster="${cluster}",state="closed"}`)).toBe(1);
    expect(after).toMatch(
      /netweave_http_requests_total\{method="GET",route="\/metrics",status="200"\} [1-9]/,
    );
  });

  it('shows every notifier channel with its event-log lag and queue, and DMS occurrences', async () => {
    const text = await gatewayMetrics();
    for (const channel of ['inventory', 'alarms', 'dms-lcm']) {
      expect(valueOf(text, `netweave_event_log_lag_seconds{channel="${channel}"}`)).toBeGreaterThanOrEqual(0);
      expect(valueOf(text, `netweave_notification_queue_pending{channel="${channel}"}`)).toBe(0);
    }
    expect(text).toContain('# TYPE netweave_dms_occurrences gauge');
    expect(text).toContain('# TYPE netweave_notifications_dead_lettered_total counter');
  });

  it('shows the informers and the change event lag of a cluster subgraph, moving with a change', async () => {
    const [clusterId, subgraph] = [...demo.subgraphs.entries()][0]!;
    const sim = demo.clusters.get(clusterId)!;
    const subgraphText = async (): Promise<string> => (await scrape(subgraphMetricsUrl())).text();
    const published = `netweave_change_events_published_total{cluster="${clusterId}"}`;
    const before = await subgraphText();
    expect(valueOf(before, `netweave_informer_synced{informer="nodes",cluster="${clusterId}"}`)).toBe(1);
    expect(valueOf(before, `netweave_informer_connected{informer="nodes",cluster="${clusterId}"}`)).toBe(1);
    expect(before).toMatch(
      /netweave_http_requests_total\{method="POST",route="\/graphql",status="200"\} [1-9]/,
    );
    const template = sim.objects.list('v1', 'Node')[0]!;
    const copy = structuredClone(template) as KubeObject;
    sim.objects.create({
      ...copy,
      metadata: { name: 'metrics-node', labels: { ...copy.metadata.labels }, annotations: {} },
    });
    await expect
      .poll(async () => valueOf(await subgraphText(), published) ?? 0, { timeout: 15_000 })
      .toBeGreaterThan(valueOf(before, published) ?? 0);
    const after = await subgraphText();
    expect(valueOf(after, `netweave_change_event_lag_seconds_count{cluster="${clusterId}"}`)).toBeGreaterThan(
      0,
    );
    expect(valueOf(after, `netweave_change_events_pending{cluster="${clusterId}"}`)).toBeGreaterThanOrEqual(
      0,
    );
    expect(subgraph.clusterId).toBe(clusterId);
  });
});
