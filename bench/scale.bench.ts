/**
 * Scale benchmark (`npm run bench -- scale`): 100 simulated clusters × 100 nodes with 50,000 pods in all,
 * 25 clusters and their subgraphs per process (bench/scale-clusters.ts), and ONE netweave gateway in its own
 * process with answer reuse off. Clusters are registered through the admin API as their subgraphs serve.
 * Reports the gateway's RSS and CPU idle and under load, the time until every cluster serves (and each one
 * after its subgraph started), REST latency across 100 clusters (1 caller p50, throughput at 8), a lookup by
 * id, a GraphQL dashboard query, one cluster flapping, the clusters' memory, and a standalone subgraph
 * process of a 100-node / 1,000-pod cluster. The baseline of the same run is the same read while nothing
 * else happens (1 caller) — the targets are absolute (issue 16), so ratios are against them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadScenario, startScenario } from '../sim/index.ts';
import { scenarioYaml } from './inventory-scenario.ts';
import { runLoad, type LoadRequest, type LoadResult } from './load-generator.ts';
import { machineDescription, writeSection } from './report.ts';

const CLUSTERS = Number(process.env['SCALE_CLUSTERS'] ?? 100);
const PER_PROCESS = Number(process.env['SCALE_PER_PROCESS'] ?? 25);
const PODS_PER_CLUSTER = Number(process.env['SCALE_PODS'] ?? 500);
const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 4_000);
const API = '/o2ims-infrastructureInventory/v2';
const MB = 1024 * 1024;

interface Line {
  readonly event?: string;
  readonly [key: string]: unknown;
}

/** A child process speaking JSON lines on stdout, commands on stdin. */
class Child {
  readonly lines: Line[] = [];
  readonly #waiters = new Set<() => void>();
  constructor(
    readonly process: ChildProcess,
    onLine?: (line: Line) => void,
  ) {
    createInterface({ input: process.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as Line;
      this.lines.push(line);
      onLine?.(line);
      for (const waiter of this.#waiters) waiter();
    });
  }
  send(command: string): void {
    this.process.stdin!.write(`${command}\n`);
  }
  /** The first line (from `from` on) that matches. */
  waitFor(match: (line: Line) => boolean, from = 0): Promise<Line> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.lines.slice(from).find(match);
        if (found) {
          this.#waiters.delete(check);
          resolve(found);
        }
      };
      this.#waiters.add(check);
      this.process.once('exit', (code) => reject(new Error(`child exited with ${String(code)}`)));
      check();
    });
  }
}

function spawnChild(args: readonly string[], onLine?: (line: Line) => void): Child {
  return new Child(
    spawn(process.execPath, ['--expose-gc', '--import', 'tsx', ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
    onLine,
  );
}

/** CPU seconds (user + system) and RSS bytes of a process, from /proc. */
function procStats(pid: number): { cpuSeconds: number; rss: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15 of proc(5))
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuSeconds: ticks / 100, rss: rssKb * 1024 };
}

/** Samples a process while `work` runs: CPU share of one core and the largest RSS seen. */
async function observe<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: number; maxRss: number }> {
  const before = procStats(pid);
  const started = performance.now();
  let maxRss = before.rss;
  const timer = setInterval(() => (maxRss = Math.max(maxRss, procStats(pid).rss)), 200);
  try {
    const result = await work();
    const after = procStats(pid);
    maxRss = Math.max(maxRss, after.rss);
    return {
      result,
      cpu: (after.cpuSeconds - before.cpuSeconds) / ((performance.now() - started) / 1000),
      maxRss,
    };
  } finally {
    clearInterval(timer);
  }
}

/**
 * What ships is compiled JavaScript (`npm run build`); tsx keeps the TypeScript compiler's output and source
 * maps in memory (≈ +170 MB RSS before any work). The benchmark compiles the current sources into
 * `.netweave/bench-build/` first (a stale `dist/` would measure old code); tsx only if that build fails.
 */
function buildStandalone(): string | undefined {
  try {
    execFileSync(process.execPath, ['scripts/build.js', '--out-dir', '.netweave/bench-build'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (error) {
    process.stderr.write(`build for the standalone subgraph failed (${String(error)}); using tsx\n`);
  }
  return ['.netweave/bench-build/cli/netweave.js'].find((f) => existsSync(f));
}
const COMPILED = buildStandalone();
const STANDALONE_ENTRY = COMPILED ? [COMPILED] : ['--import', 'tsx', 'cli/netweave.ts'];
/** What could not be measured, and why: reported in the section instead of a hang or a lost run. */
const unmeasured: string[] = [];
async function attempt<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    unmeasured.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    process.stderr.write(`not measured: ${unmeasured.at(-1)!}\n`);
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The promise, or a rejection after `ms`: no step of the benchmark may wait forever. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const token = randomBytes(24).toString('base64url');
const gatewayChild = spawnChild(['bench/scale-clusters.ts', 'gateway', token]);
const gatewayUrl = String((await gatewayChild.waitFor((l) => typeof l['url'] === 'string'))['url']);
const gatewayPid = gatewayChild.process.pid!;

async function graphql(query: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

async function servingClusters(): Promise<Set<string>> {
  // A gateway busy starting 100 clusters may drop a connection: that poll counts nothing, the next one does.
  const result = await graphql('{ clusters { clusterId } }').catch(
    () => ({}) as { data?: Record<string, unknown> },
  );
  const list = (result.data?.['clusters'] as Array<{ clusterId: string } | null> | undefined) ?? [];
  return new Set(list.flatMap((c) => (c ? [c.clusterId] : [])));
}

const workers: Child[] = [];
const registered = new Map<string, { url: string; startedAt: number; readyAt: number }>();
/** When the admin API confirmed each cluster's registration. */
const registeredAt = new Map<string, number>();
const simulatedAt: number[] = [];
const servingAt = new Map<string, number>();
const standaloneDir = mkdtempSync(join(tmpdir(), 'netweave-scale-'));
let standalone: ChildProcess | undefined;
try {
  // ---- start: every cluster serving through the gateway -------------------------------------------------
  const t0 = Date.now();
  let firstServing = Number.NaN;
  const registrations: Promise<void>[] = [];
  for (let first = 1; first <= CLUSTERS; first += PER_PROCESS) {
    const count = Math.min(PER_PROCESS, CLUSTERS - first + 1);
    const args = [
      'bench/scale-clusters.ts',
      'clusters',
      String(first),
      String(count),
      String(PODS_PER_CLUSTER),
      token,
    ];
    const worker = spawnChild(args, (line) => {
      if (line.event === 'simulated') simulatedAt.push(Number(line['at']));
      if (line.event === 'failed')
        unmeasured.push(`${String(line['clusterId'])}: ${String(line['message'])}`);
      if (line.event !== 'serving' || registered.has(String(line['clusterId']))) return;
      const clusterId = String(line['clusterId']);
      if (registered.size === 0) firstServing = Date.now();
      registered.set(clusterId, {
        url: String(line['url']),
        startedAt: Number(line['startedAt']),
        readyAt: Number(line['readyAt']),
      });
      const register = (): Promise<void> =>
        fetch(`${gatewayUrl}/netweave/v1/clusters/${clusterId}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ url: line['url'], wsUrl: line['wsUrl'] }),
        }).then(async (response) => {
          if (!response.ok)
            throw new Error(`registering ${clusterId}: HTTP ${response.status} ${await response.text()}`);
          registeredAt.set(clusterId, Date.now());
        });
      // A connection the busy gateway dropped is retried once; a second failure is reported (that cluster
      // then never serves, and the start-up row says so).
      const registration = register()
        .catch(async () => {
          await sleep(1_000);
          await register();
        })
        .catch((error: unknown) => {
          unmeasured.push(`registration of ${clusterId}: ${String(error)}`);
        });
      registrations.push(registration);
    });
    workers.push(worker);
  }
  const deadline = Date.now() + Number(process.env['SCALE_START_TIMEOUT_MS'] ?? 900_000);
  let reported = 0;
  while (servingAt.size < CLUSTERS && Date.now() < deadline) {
    for (const id of await servingClusters()) if (!servingAt.has(id)) servingAt.set(id, Date.now());
    if (servingAt.size >= reported + 10) {
      reported = servingAt.size;
      process.stdout.write(`${reported} clusters serving after ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    }
    if (servingAt.size < CLUSTERS) await sleep(250);
  }
  await Promise.all(registrations);
  if (servingAt.size === 0) throw new Error(`no cluster serves after the start-up deadline`);
  // The rest of the benchmark runs on the clusters that serve; the start-up row names how many that is.
  if (servingAt.size < CLUSTERS)
    unmeasured.push(`start-up: only ${servingAt.size} of ${CLUSTERS} clusters served before the deadline`);
  const allServing = (Math.max(...servingAt.values()) - t0) / 1000;
  const serving = [...servingAt].filter(([id]) => registered.has(id));
  const afterSubgraphStart = serving.map(([id, at]) => (at - registered.get(id)!.startedAt) / 1000);
  const subgraphStartup = [...registered.values()].map((r) => (r.readyAt - r.startedAt) / 1000);
  const readyToRegistered = [...registeredAt].map(([id, at]) => (at - registered.get(id)!.readyAt) / 1000);
  const registeredToServing = serving
    .filter(([id]) => registeredAt.has(id))
    .map(([id, at]) => Math.max(0, at - registeredAt.get(id)!) / 1000);
  const toFirst = (firstServing - t0) / 1000;
  const simulated = simulatedAt.length === 0 ? Number.NaN : (Math.max(...simulatedAt) - t0) / 1000;
  process.stdout.write(
    `${servingAt.size} of ${CLUSTERS} clusters serving after ${allServing.toFixed(1)} s (first after ${toFirst.toFixed(1)} s)\n`,
  );

  // ---- idle ------------------------------------------------------------------------------------------------
  await sleep(2_000);
  const idle = await observe(gatewayPid, () => sleep(5_000));
  process.stdout.write(
    `gateway idle: ${(idle.maxRss / MB).toFixed(0)} MB, CPU ${(idle.cpu * 100).toFixed(1)}%\n`,
  );

  // ---- reads -------------------------------------------------------------------------------------------------
  const pools = (await (await fetch(`${gatewayUrl}${API}/resourcePools`)).json()) as Array<{
    resourcePoolId: string;
  }>;
  const pool = pools[Math.floor(pools.length / 2)]!;
  const resources = (await (
    await fetch(`${gatewayUrl}${API}/resourcePools/${pool.resourcePoolId}/resources`)
  ).json()) as Array<{ resourceId: string }>;
  const dashboard =
    '{ clusters { clusterId name } resourcePools { clusterId resourcePoolId name } resourceTypes { resourceTypeId name model } }';
  const reads: Array<{ name: string; url: string; spec?: LoadRequest }> = [
    {
      name: `REST resourcePools (${pools.length} pools, one per cluster)`,
      url: `${gatewayUrl}${API}/resourcePools`,
    },
    {
      name: 'REST resource by id',
      url: `${gatewayUrl}${API}/resourcePools/${pool.resourcePoolId}/resources/${resources[0]!.resourceId}`,
    },
    {
      name: 'GraphQL dashboard (clusters, pools, types)',
      url: `${gatewayUrl}/graphql`,
      spec: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: dashboard }),
      },
    },
  ];
  const dashboardCheck = await graphql(dashboard);
  if (dashboardCheck.errors)
    unmeasured.push(`dashboard answered errors: ${JSON.stringify(dashboardCheck.errors).slice(0, 300)}`);
  const rows: string[] = [];
  let loaded = { cpu: 0, maxRss: 0 };
  for (const read of reads) {
    await attempt(read.name, async () => {
      const one = await runLoad(read.url, 1, DURATION_MS, read.spec);
      const eight = await observe(gatewayPid, () => runLoad(read.url, 8, DURATION_MS, read.spec));
      if (eight.maxRss > loaded.maxRss)
        loaded = { cpu: Math.max(loaded.cpu, eight.cpu), maxRss: eight.maxRss };
      else loaded.cpu = Math.max(loaded.cpu, eight.cpu);
      const failures = one.failures + eight.result.failures;
      rows.push(
        `| ${read.name} | ${one.p50.toFixed(1)} | ${one.p99.toFixed(1)} | ${eight.result.throughput.toFixed(1)} | ${eight.result.p50.toFixed(1)} | ${(eight.cpu * 100).toFixed(0)}% | ${(eight.maxRss / MB).toFixed(0)} | ${failures} |`,
      );
      process.stdout.write(`${rows.at(-1)!}\n`);
    });
  }

  // ---- one cluster flapping --------------------------------------------------------------------------------
  const flappingIndex = Math.ceil(CLUSTERS / 2);
  const flapping = `bench-${String(flappingIndex).padStart(3, '0')}`;
  const owner = workers[Math.floor((flappingIndex - 1) / PER_PROCESS)]!;
  const page = reads[0]!.url;
  const flapRow = (name: string, r: LoadResult) =>
    `| ${name} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.throughput.toFixed(1)} | ${r.failures} |`;
  const flapRows: string[] = [];
  let backAfter = Number.NaN;
  await attempt(`flapping ${flapping}`, async () => {
    flapRows.push(flapRow('before', await runLoad(page, 1, DURATION_MS)));
    const mark = owner.lines.length;
    owner.send(`stop ${flapping}`);
    await within(
      60_000,
      owner.waitFor((l) => l.event === 'stopped', mark),
    );
    flapRows.push(flapRow('subgraph down', await runLoad(page, 1, DURATION_MS)));
    const restartMark = owner.lines.length;
    const restartAt = Date.now();
    owner.send(`start ${flapping}`);
    await within(
      60_000,
      owner.waitFor((l) => l.event === 'serving' && l['clusterId'] === flapping, restartMark),
    );
    while (Date.now() - restartAt < 60_000) {
      if ((await servingClusters()).has(flapping)) {
        backAfter = (Date.now() - restartAt) / 1000;
        break;
      }
      await sleep(100);
    }
    flapRows.push(flapRow('after restart', await runLoad(page, 1, DURATION_MS)));
  });

  // ---- memory of the clusters' processes ------------------------------------------------------------------
  const workerRss: number[] = [];
  for (const worker of workers) {
    await attempt('memory of a clusters process', async () => {
      const at = worker.lines.length;
      worker.send('memory');
      workerRss.push(
        Number(
          (
            await within(
              30_000,
              worker.waitFor((l) => l.event === 'memory', at),
            )
          )['rss'],
        ),
      );
    });
  }
  const perCluster = workerRss.reduce((a, b) => a + b, 0) / CLUSTERS;

  // ---- a standalone subgraph process: 100 nodes, 1,000 pods ------------------------------------------------
  const standaloneRss = await attempt('standalone subgraph', async () => {
    const sims = await startScenario(loadScenario(scenarioYaml(1, 1_000, 900, 3)), {
      host: '127.0.0.1',
      requireToken: true,
      kubeconfigDir: standaloneDir,
    });
    try {
      return await within(120_000, measureStandalone(join(standaloneDir, 'bench-900.kubeconfig'), token));
    } finally {
      await sims.dispose();
    }
  });

  const median = (values: readonly number[]) =>
    values.length === 0 ? Number.NaN : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const spread = (values: readonly number[]) =>
    `${median(values).toFixed(1)} / ${(values.length === 0 ? Number.NaN : Math.max(...values)).toFixed(1)} s`;
  const body = `Command: \`npm run bench -- scale\`. Machine: ${machineDescription()}; load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}.

${CLUSTERS} simulated clusters × 100 nodes, ${PODS_PER_CLUSTER} Running pods each (${CLUSTERS * PODS_PER_CLUSTER} pods),
${PER_PROCESS} clusters and their subgraphs per process; one netweave gateway in its own process with answer reuse
off (\`inventory.cache.maxAgeMs: 0\`: every read fans out), clusters registered through the admin API as their
subgraphs serve. Load generator in its own process, ${DURATION_MS / 1000} s per measurement. Targets (issue 16) in brackets.

| start-up | value |
|---|---|
| start → every cluster serving through the gateway (${servingAt.size} of ${CLUSTERS} served) | ${allServing.toFixed(1)} s |
| start → every simulator filled (processes start, scenarios generated, simulators filled) | ${simulated.toFixed(1)} s |
| start → first subgraph serving | ${toFirst.toFixed(1)} s |
| subgraph start → serving through the gateway, median / max [≤ 10 s] | ${spread(afterSubgraphStart)} |
| of which the subgraph's own start (first list of every kind, serving), median / max | ${spread(subgraphStartup)} |
| of which its registration through the admin API, median / max | ${spread(readyToRegistered)} |
| of which registered → in the gateway's answers (polled every 250 ms), median / max | ${spread(registeredToServing)} |
| gateway idle: RSS / CPU (share of one core) | ${(idle.maxRss / MB).toFixed(0)} MB / ${(idle.cpu * 100).toFixed(1)}% |
| gateway under load (8 callers): max RSS [≤ 1,024 MB] / max CPU | ${(loaded.maxRss / MB).toFixed(0)} MB / ${(loaded.cpu * 100).toFixed(0)}% |

| read through the gateway | 1 caller p50 ms [page ≤ 50] | 1 caller p99 ms | 8 callers req/s | 8 callers p50 ms | gateway CPU at 8 | gateway RSS MB at 8 | non-200 |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

One cluster flapping (\`${flapping}\`'s subgraph stopped, then restarted on the same address), REST resourcePools with 1 caller:

| phase | p50 ms | p99 ms | req/s | non-200 |
|---|---|---|---|---|
${flapRows.join('\n')}

Restarted subgraph serving through the gateway again ${backAfter.toFixed(1)} s after its start was asked.

Memory: processes of ${PER_PROCESS} simulated clusters + their subgraphs: ${workerRss.map((r) => (r / MB).toFixed(0)).join(' / ')} MB RSS after GC,
i.e. ${(perCluster / MB).toFixed(0)} MB per cluster (simulator and subgraph together). A **standalone subgraph process**
(\`netweave subgraph\` ${COMPILED ? `compiled (${COMPILED})` : 'under tsx'}, its cluster of 100 nodes / 1,000 pods simulated in another process) after its
first list and 20 queries: ${standaloneRss === undefined ? 'not measured' : `${(standaloneRss / MB).toFixed(0)} MB`} RSS [≤ 150 MB].
Subgraphs start one after another within each process, after its simulators are filled (each subgraph's
start-up is its own work, as in its own pod); the processes start theirs in parallel.${
    unmeasured.length === 0
      ? ''
      : `\n\nNot measured or incomplete:\n${unmeasured.map((u) => `- ${u.replace(/\s+/g, ' ').slice(0, 300)}`).join('\n')}`
  }`;
  process.stdout.write(`${body}\n`);
  writeSection('Scale: 100 clusters × 100 nodes', body);
} finally {
  standalone?.kill();
  for (const worker of workers) worker.process.kill();
  gatewayChild.process.kill();
  // Nothing else may keep this process alive (keep-alive sockets to the gateway, timers of the children).
  setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
  rmSync(standaloneDir, { recursive: true, force: true });
}

/** Starts `netweave subgraph` for one kubeconfig, asks it 20 queries, reads its RSS. */
async function measureStandalone(kubeconfig: string, internalToken: string): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      ...STANDALONE_ENTRY,
      'subgraph',
      '--cluster-id',
      'bench-900',
      '--o-cloud-id',
      '0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a60',
      '--kubeconfig',
      kubeconfig,
      '--site-name',
      'bench-site-900',
      '--global-location-id',
      'bench-location-900',
      '--log-level',
      'info',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NETWEAVE_INTERNAL_TOKEN: internalToken } },
  );
  standalone = child;
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const match =
        /"url":"(http:\/\/[^"]+\/graphql)"/.exec(out) ?? /(http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`subgraph exited with ${String(code)}: ${out.slice(-500)}`)),
    );
  });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${internalToken}` };
  for (let i = 0; i < 20; i++) {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        query: '{ resources { resourceId description extensions elements { resourceId } } }',
      }),
    });
    await response.text();
  }
  await sleep(1_000);
  const rss = procStats(child.pid!).rss;
  child.kill();
  return rss;
}
