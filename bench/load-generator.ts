/**
 * A small HTTP load generator for the benchmarks (autocannon is not a dependency): a fixed number of
 * concurrent callers on keep-alive connections, each sending GET requests back to back for a fixed time,
 * recording the latency of every answer. It runs as its own process (`runLoad` spawns it), so that producing
 * load does not take event-loop time from the server being measured.
 *
 *   node --import tsx bench/load-generator.ts <url> <concurrency> <durationMs> [request JSON]   → one JSON line
 *
 * The optional request (LoadRequest) makes it POST a body with headers (GraphQL over HTTP) instead of GET.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

export interface LoadResult {
  readonly requests: number;
  /** Answers that were not 200. */
  readonly failures: number;
  readonly seconds: number;
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
}

/** A POST (or other method) with a body, instead of a plain GET. */
export interface LoadRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function once(agent: Agent, url: URL, spec: LoadRequest): Promise<number> {
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
  const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
  if (body !== undefined) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const method = spec.method ?? (body === undefined ? 'GET' : 'POST');
    const req = request(url, { agent, method, headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function generate(
  target: string,
  concurrency: number,
  durationMs: number,
  spec: LoadRequest = {},
): Promise<LoadResult> {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  // Warm-up: opens the keep-alive connections and lets both servers JIT their paths.
  await Promise.all(Array.from({ length: concurrency }, () => once(agent, url, spec)));
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const status = await once(agent, url, spec);
        latencies.push(performance.now() - t0);
        if (status !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    failures,
    seconds,
    throughput: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Runs the generator in a child process and returns its measurement. */
export function runLoad(
  url: string,
  concurrency: number,
  durationMs: number,
  spec?: LoadRequest,
): Promise<LoadResult> {
  const script = fileURLToPath(import.meta.url);
  const args = [script, url, String(concurrency), String(durationMs)];
  if (spec !== undefined) args.push(JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${String(code)}`));
      else resolve(JSON.parse(out) as LoadResult);
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, concurrency, durationMs, spec] = process.argv.slice(2);
  if (url === undefined)
    throw new Error('usage: load-generator.ts <url> <concurrency> <durationMs> [request JSON]');
  const result = await generate(
    url,
    Number(concurrency ?? 16),
    Number(durationMs ?? 3000),
    spec === undefined ? {} : (JSON.parse(spec) as LoadRequest),
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
