/**
 * netweave's router against stock gateways (`npm run bench -- gateways`): one simulated cluster of 100 nodes
 * and its cluster subgraph (this process), and in front of it, each in its own process
 * (bench/gateway-server.ts): netweave's gateway, stock Hive Gateway with its in-flight deduplication off and
 * on, and Apollo Gateway — all on the same supergraph. The baseline of the same run is the subgraph asked
 * directly. Two queries, 16 callers (load generator in its own process), interleaved rounds so a burst of
 * load from other work on the machine hits every contender alike.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startDemo } from '../cli/demo.ts';
import { createLogger } from '../common/log.ts';
import { loadScenario } from '../sim/index.ts';
import { GATEWAY_KINDS, type GatewayKind } from './gateway-server.ts';
import { scenarioYaml } from './inventory-scenario.ts';
import { runLoad, type LoadRequest, type LoadResult } from './load-generator.ts';
import { machineDescription, writeSection } from './report.ts';

const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 3_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const CONCURRENCY = 16;
/**
 * For profiling runs: BENCH_QUERIES=small and BENCH_GATEWAYS=netweave,hive-dedup run a subset (and then write
 * nothing to docs/benchmarks.md); BENCH_CPU_PROF=<dir> runs netweave's gateway under `node --cpu-prof` into
 * that directory (summarize with bench/summarize-cpuprofile.ts).
 */
const ONLY_QUERIES = process.env['BENCH_QUERIES']?.split(',');
const ONLY_GATEWAYS = process.env['BENCH_GATEWAYS']?.split(',');
const CPU_PROF_DIR = process.env['BENCH_CPU_PROF'];

const ELEMENT = 'resourceId resourcePoolId resourceTypeId globalAssetId description tags groups extensions';
const QUERIES = {
  /** Every resource of the cluster with two levels of elements: what the REST page of 100 asks. */
  list: `{ resources { clusterId ${ELEMENT} elements { ${ELEMENT} elements { ${ELEMENT} } } } }`,
  /** Five fields of the cluster's pools. */
  small: '{ resourcePools { clusterId resourcePoolId name description oCloudSiteId } }',
} as const;
type QueryName = keyof typeof QUERIES;

const ALL_CONTENDERS = ['direct', ...GATEWAY_KINDS] as const;
type Contender = (typeof ALL_CONTENDERS)[number];
const CONTENDERS = ALL_CONTENDERS.filter(
  (c) => c === 'direct' || c === 'netweave' || ONLY_GATEWAYS === undefined || ONLY_GATEWAYS.includes(c),
);
const QUERY_NAMES = (Object.keys(QUERIES) as QueryName[]).filter(
  (q) => ONLY_QUERIES === undefined || ONLY_QUERIES.includes(q),
);

/** Starts one gateway process; resolves with its GraphQL URL once it serves. */
function startGatewayProcess(
  kind: GatewayKind,
  subgraphUrl: string,
  token: string,
): Promise<{ child: ChildProcess; url: string }> {
  const profile =
    CPU_PROF_DIR !== undefined && kind === 'netweave' ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', 'bench/gateway-server.ts', kind, subgraphUrl, token],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve({ child, url: (JSON.parse(line) as { url: string }).url }));
    child.once('exit', (code) => reject(new Error(`gateway ${kind} exited with ${String(code)}`)));
  });
}

/** One request, checked: the answer has data and no errors (a gateway that fails fast would win). */
async function check(url: string, spec: LoadRequest): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...spec.headers },
    body: spec.body ?? null,
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: unknown; errors?: unknown };
  if (response.status !== 200 || body.errors !== undefined || body.data == null)
    throw new Error(`${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return Buffer.byteLength(text);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const demo = await startDemo({
  scenario: loadScenario(scenarioYaml(1)),
  port: 0,
  timeline: false,
  logger: createLogger('silent'),
  gateway: { logLevel: 'silent' },
});
const subgraph = [...demo.subgraphs.values()][0]!;
const children: ChildProcess[] = [];
try {
  const urls = new Map<Contender, string>([['direct', subgraph.url]]);
  for (const kind of GATEWAY_KINDS) {
    if (!CONTENDERS.includes(kind)) continue;
    const started = await startGatewayProcess(kind, subgraph.url, demo.internalToken);
    children.push(started.child);
    urls.set(kind, started.url);
  }
  const specFor = (contender: Contender, query: QueryName): LoadRequest => ({
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      // The subgraph answers only the router's internal token; the gateways add it themselves.
      ...(contender === 'direct' ? { authorization: `Bearer ${demo.internalToken}` } : {}),
    },
    body: JSON.stringify({ query: QUERIES[query] }),
  });
  const sizes = new Map<QueryName, number>();
  for (const query of QUERY_NAMES) {
    for (const contender of CONTENDERS) {
      const size = await check(urls.get(contender)!, specFor(contender, query));
      if (contender === 'direct') sizes.set(query, size);
    }
  }
  const results = new Map<string, LoadResult[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const query of QUERY_NAMES) {
      for (const contender of CONTENDERS) {
        const result = await runLoad(
          urls.get(contender)!,
          CONCURRENCY,
          DURATION_MS,
          specFor(contender, query),
        );
        if (result.failures > 0) throw new Error(`${contender} ${query}: ${result.failures} failed requests`);
        const key = `${query}/${contender}`;
        results.set(key, [...(results.get(key) ?? []), result]);
        process.stdout.write(
          `round ${round + 1} ${query} ${contender}: ${result.throughput.toFixed(1)} req/s, p50 ${result.p50.toFixed(1)} ms\n`,
        );
      }
    }
  }
  const rows: string[] = [];
  for (const query of QUERY_NAMES) {
    const summary = (contender: Contender) => {
      const runs = results.get(`${query}/${contender}`)!;
      return {
        throughput: median(runs.map((r) => r.throughput)),
        p50: median(runs.map((r) => r.p50)),
      };
    };
    const direct = summary('direct');
    const netweave = summary('netweave');
    for (const contender of CONTENDERS) {
      const s = summary(contender);
      const added = contender === 'direct' ? '—' : (s.p50 - direct.p50).toFixed(1);
      const vsNetweave =
        contender === 'netweave' ? '—' : `${(netweave.throughput / s.throughput).toFixed(2)}×`;
      rows.push(
        `| ${query} (${(sizes.get(query)! / 1024).toFixed(0)} KB) | ${contender} | ${s.throughput.toFixed(1)} | ${s.p50.toFixed(1)} | ${added} | ${(s.throughput / direct.throughput).toFixed(2)}× | ${vsNetweave} |`,
      );
    }
  }
  const table = rows.join('\n');
  process.stdout.write(`${table}\n`);
  if (ONLY_QUERIES === undefined && ONLY_GATEWAYS === undefined)
    writeSection(
      'Router against stock gateways',
      `Command: \`npm run bench -- gateways\`. Machine: ${machineDescription()}.

One simulated cluster of 100 nodes and its cluster subgraph; in front of it, each in its own process, on the
same supergraph (hub + cluster): **netweave** (the whole gateway: authentication, limits, metrics; queries of
the cluster subgraph alone on the direct path, identical concurrent ones of a caller sharing one execution —
docs/graphql.md "Deduplication of identical queries"), stock **Hive Gateway** runtime with its HTTP transport and in-flight
deduplication off (\`hive\`) and on (\`hive-dedup\`), and **Apollo Gateway** 2.14 in Apollo Server (bench-only
dependency, docs/dependencies.md). **direct** is the subgraph asked without a gateway: the baseline. ${CONCURRENCY}
callers POST the same query for ${DURATION_MS / 1000} s per contender, ${ROUNDS} interleaved rounds (medians shown); the load
generator runs in its own process. *added p50* is the contender's p50 minus the direct p50; *netweave ×* is
netweave's throughput over the contender's.

| query | contender | req/s | p50 ms | added p50 ms | / direct | netweave × |
|---|---|---|---|---|---|---|
${table}

Queries: list \`${QUERIES.list}\`; small \`${QUERIES.small}\`.`,
    );
} finally {
  for (const child of children) child.kill();
  // The profiled process writes its profile on SIGTERM; wait for it.
  await Promise.all(
    children.map((child) =>
      child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined,
    ),
  );
  await demo.close();
}
