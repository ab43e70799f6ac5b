/**
 * `npm run bench -- graphql`: the three dashboard queries of docs/graphql.md, on the demo (3 clusters) and on
 * the 10 × 100 topology of bench/inventory-scenario.ts, through the router against a hand-written client that
 * asks the cluster subgraphs directly and merges their answers itself (the same data, no router) in the same
 * run. Throughput at 4 concurrent requests, latency p50/p99.
 *
 * The three shapes (docs/graphql.md):
 *   inventory page — `resourcesConnection(first: 50)` across every cluster (the client merges the shards'
 *                    pages by cursor with o2/ordered-page.ts, as the router does);
 *   cluster cards  — every cluster with its node and pod counts (`nodesConnection`/`podsConnection` totals);
 *   pool drill-down — one cluster's pools with their first 20 resources and their nodes' readiness.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { startDemo, type Demo } from '../cli/demo.ts';
import { createLogger } from '../common/log.ts';
import { orderOfName, orderedPage, readCursor } from '../o2/ordered-page.ts';
import { startInventoryTopology } from './inventory-scenario.ts';
import { machineDescription, percentile, writeSection } from './report.ts';

const CONCURRENCY = 4;
const REQUESTS = Number(process.env['GRAPHQL_BENCH_REQUESTS'] ?? 200);

interface GraphResult {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly unknown[];
}

async function post(url: string, query: string, token?: string): Promise<GraphResult> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query }),
  });
  const result = (await response.json()) as GraphResult;
  if (result.errors) throw new Error(`query failed: ${JSON.stringify(result.errors).slice(0, 300)}`);
  return result;
}

export const INVENTORY_PAGE = `{ resourcesConnection(first: 50) { totalCount
  edges { cursor node { resourceId clusterId description resourcePoolId } } pageInfo { hasNextPage endCursor } } }`;
export const CLUSTER_CARDS = `{ clusters { clusterId name kubernetesVersion
  nodesConnection(first: 0) { totalCount } podsConnection(first: 0) { totalCount } } }`;
export const poolDrillDown = (
  clusterId: string,
): string => `{ cluster(clusterId: "${clusterId}") { resourcePools {
  resourcePoolId name resourcesConnection(first: 20) { totalCount edges { node { resourceId node { name ready } } } } } } }`;

interface Shard {
  readonly clusterId: string;
  readonly url: string;
}

/** The hand-written client: the same answers from the shards directly. */
function directClient(shards: readonly Shard[], token: string) {
  return {
    async inventoryPage(): Promise<unknown> {
      const answers = await Promise.all(shards.map((s) => post(s.url, INVENTORY_PAGE, token)));
      type Edge = { cursor: string };
      const connections = answers.map(
        (a) =>
          a.data!['resourcesConnection'] as {
            totalCount: number;
            edges: Edge[];
            pageInfo: { hasNextPage: boolean };
          },
      );
      const edges = connections.flatMap((c) => c.edges);
      const order = edges[0] === undefined ? undefined : orderOfName(readCursor(edges[0].cursor).order);
      const page = orderedPage(edges, (e) => readCursor(e.cursor).key, {
        ...(order ? { order } : {}),
        limit: 50,
      });
      return {
        totalCount: connections.reduce((n, c) => n + c.totalCount, 0),
        edges: page.items,
        hasNextPage: page.more || connections.some((c) => c.pageInfo.hasNextPage),
      };
    },
    async clusterCards(): Promise<unknown> {
      const answers = await Promise.all(shards.map((s) => post(s.url, CLUSTER_CARDS, token)));
      return answers.flatMap((a) => a.data!['clusters'] as unknown[]);
    },
    async poolDrillDown(clusterId: string): Promise<unknown> {
      const shard = shards.find((s) => s.clusterId === clusterId)!;
      return (await post(shard.url, poolDrillDown(clusterId), token)).data;
    },
  };
}

interface Measured {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

async function measure(run: () => Promise<unknown>): Promise<Measured> {
  for (let i = 0; i < 10; i++) await run(); // warm-up: plans, connections, JIT
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        const t0 = performance.now();
        await run();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: REQUESTS / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

function row(name: string, router: Measured, direct: Measured): string {
  const f = (n: number): string => n.toFixed(1);
  return `| ${name} | ${f(router.perSecond)} | ${f(router.p50)} | ${f(router.p99)} | ${f(direct.perSecond)} | ${f(direct.p50)} | ${f(direct.p99)} | ${(router.perSecond / direct.perSecond).toFixed(2)} |`;
}

async function runOn(label: string, demo: Demo, gatewayUrl: string): Promise<string> {
  const shards = [...demo.subgraphs.values()].map((s) => ({ clusterId: s.clusterId, url: s.url }));
  const direct = directClient(shards, demo.internalToken);
  const drillCluster = shards[0]!.clusterId;
  const rows = [
    row(
      'inventory page',
      await measure(() => post(gatewayUrl, INVENTORY_PAGE)),
      await measure(() => direct.inventoryPage()),
    ),
    row(
      'cluster cards',
      await measure(() => post(gatewayUrl, CLUSTER_CARDS)),
      await measure(() => direct.clusterCards()),
    ),
    row(
      'pool drill-down',
      await measure(() => post(gatewayUrl, poolDrillDown(drillCluster))),
      await measure(() => direct.poolDrillDown(drillCluster)),
    ),
  ];
  const table = [
    `### ${label}`,
    '',
    '| query | router req/s | router p50 ms | router p99 ms | direct req/s | direct p50 ms | direct p99 ms | router/direct throughput |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  process.stdout.write(`${table}\n\n`);
  return table;
}

const start = machineDescription();
const sections: string[] = [];
{
  const demo = await startDemo({
    port: 0,
    timeline: false,
    logger: createLogger('silent'),
    gateway: { logLevel: 'silent' },
  });
  try {
    sections.push(await runOn('demo (3 clusters, `npm run demo` topology)', demo, demo.gateway.url));
  } finally {
    await demo.close();
  }
}
{
  const { demo, uncachedGateway } = await startInventoryTopology();
  try {
    sections.push(
      await runOn('10 clusters × 100 nodes (bench/inventory-scenario.ts)', demo, demo.gateway.url),
    );
  } finally {
    await uncachedGateway.close();
    await demo.close();
  }
}
writeSection(
  'GraphQL dashboard queries (`npm run bench -- graphql`)',
  [
    `Command: \`npm run bench -- graphql\` (${REQUESTS} requests per query and client, ${CONCURRENCY} concurrent, after 10 warm-up requests).`,
    `Machine: ${start}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')} at the end.`,
    'Baseline: a hand-written client that asks the cluster subgraphs directly (with the internal token) and merges',
    'their answers itself, measured in the same run. The queries are the three shapes of docs/graphql.md.',
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n'),
);
