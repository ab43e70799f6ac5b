/**
 * Router benchmark: one GraphQL list query fanned out over 3 and 20 cluster shards through the embedded
 * Hive Gateway and the shard executor (in-process, as the REST facade runs it), against a baseline
 * measured in the same run: a hand-written client that sends the same query to every shard in parallel
 * and concatenates the lists. The ratio is the cost of federation + shard planning + merging.
 *
 * The baseline speaks the shard client's own transport (node:http with keep-alive connections, body read
 * whole and parsed once), not `fetch`, whose web streams cost more than the router's transport and made the
 * router look faster than hand-written code.
 */
import { Agent, request } from 'node:http';
import { parse } from 'graphql';
import { internalContext } from '../common/auth.ts';
import { createAuthenticator } from '../common/authenticate.ts';
import { parseGatewayConfig } from '../common/config.ts';
import { createLogger } from '../common/log.ts';
import { createRouter } from '../router/gateway.ts';
import { ShardRegistry } from '../router/shard-registry.ts';
import { createMemoryStore } from '../state/memory-store.ts';
import { startFixtureSubgraph, type FixtureSubgraph } from '../testing/fixture-subgraph.ts';
import { machineDescription, percentile, writeSection } from './report.ts';

const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 4_000);
const CONCURRENCY = 8;
const QUERY = '{ resourcePools { clusterId resourcePoolId name description oCloudSiteId } }';

interface Measurement {
  readonly ops: number;
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
}

async function measure(op: () => Promise<void>): Promise<Measurement> {
  for (let i = 0; i < 50; i++) await op(); // warm-up: JIT, keep-alive sockets, caches
  const latencies: number[] = [];
  const deadline = performance.now() + DURATION_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await op();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length,
    throughput: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** One POST on a keep-alive connection, the body read whole and decoded once (as router/shard-client.ts does). */
function post(agent: Agent, url: string, body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          'content-length': String(body.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function benchShards(
  count: number,
): Promise<{ count: number; router: Measurement; baseline: Measurement }> {
  const shards: FixtureSubgraph[] = [];
  for (let i = 0; i < count; i++) {
    shards.push(
      await startFixtureSubgraph(
        `cluster-${String(i).padStart(2, '0')}`,
        ['control', 'general', 'gpu', 'edge'],
        ['R750'],
      ),
    );
  }
  const store = createMemoryStore();
  const registry = await ShardRegistry.open(store);
  for (const s of shards) await registry.register({ clusterId: s.clusterId, url: s.url, wsUrl: s.wsUrl });
  const config = parseGatewayConfig({ logLevel: 'silent' });
  const router = await createRouter({
    config,
    registry,
    authenticate: createAuthenticator(config.auth),
    logger: createLogger('silent'),
    oCloud: () => ({ ...config.oCloud, serviceUri: 'http://bench' }),
  });
  const document = parse(QUERY);
  const auth = internalContext('bench');
  const viaRouter = await measure(async () => {
    const result = await router.executor.execute({ document, auth });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  });
  const body = Buffer.from(JSON.stringify({ query: QUERY }));
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
  const baseline = await measure(async () => {
    const parts = await Promise.all(
      shards.map(
        async (s) =>
          (JSON.parse(await post(agent, s.url, body)) as { data: { resourcePools: unknown[] } }).data
            .resourcePools,
      ),
    );
    if (parts.flat().length !== count * 4) throw new Error('baseline lost items');
  });
  agent.destroy();
  await router.dispose();
  await registry.dispose();
  await store.dispose();
  await Promise.all(shards.map((s) => s.close()));
  return { count, router: viaRouter, baseline };
}

const rows: string[] = [];
for (const count of [3, 20]) {
  const r = await benchShards(count);
  const ratio = r.router.throughput / r.baseline.throughput;
  const line = `| ${count} | ${r.router.throughput.toFixed(0)} | ${r.router.p50.toFixed(2)} | ${r.router.p99.toFixed(2)} | ${r.baseline.throughput.toFixed(0)} | ${r.baseline.p50.toFixed(2)} | ${r.baseline.p99.toFixed(2)} | ${ratio.toFixed(2)}× |`;
  rows.push(line);
  process.stdout.write(
    `${count} shards: router ${r.router.throughput.toFixed(0)} q/s (p50 ${r.router.p50.toFixed(2)} ms, p99 ${r.router.p99.toFixed(2)} ms); baseline ${r.baseline.throughput.toFixed(0)} q/s (p50 ${r.baseline.p50.toFixed(2)} ms, p99 ${r.baseline.p99.toFixed(2)} ms); ratio ${ratio.toFixed(2)}×\n`,
  );
}
writeSection(
  'Router: list query over N shards',
  `Command: \`npm run bench -- router\`. Machine: ${machineDescription()}.

Query \`${QUERY}\` (4 pools per shard), ${CONCURRENCY} concurrent callers for ${DURATION_MS / 1000} s per case.
**router**: in-process through the embedded Hive Gateway and the shard executor (what the REST facade does).
**baseline**: a hand-written client sending the same query to every shard in parallel and concatenating,
over keep-alive \`node:http\` connections (the shard client's own transport). The router's callers all send the SAME query, so its in-flight deduplication
shares shard requests among them (router/inflight.ts); the baseline does not deduplicate — a ratio above 1×
is that sharing, not a cheaper path.
Both talk to the same subgraph servers over loopback HTTP in the same process.

| shards | router q/s | p50 ms | p99 ms | baseline q/s | p50 ms | p99 ms | router/baseline |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}`,
);
