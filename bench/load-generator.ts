/**
 * A small HTTP load generator for the benchmarks (autocannon is not a dependency): a fixed number of
 * concurrent callers on keep-alive connections, each sending GET requests back to back for a fixed time,
 * recording the latency of every answer. It runs as its own process (`runLoad` spawns it), so that producing
 * load does not take event-loop time from the server being measured.
 *
 *   node --import tsx bench/load-generator.ts <url> <concurrency> <durationMs>   → one JSON line on stdout
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

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function once(agent: Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: 'GET', headers: { accept: 'application/json' } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function generate(target: string, concurrency: number, durationMs: number): Promise<LoadResult> {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  // Warm-up: opens the keep-alive connections and lets both servers JIT their paths.
  await Promise.all(Array.from({ length: concurrency }, () => once(agent, url)));
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const status = await once(agent, url);
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
export function runLoad(url: string, concurrency: number, durationMs: number): Promise<LoadResult> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, url, String(concurrency), String(durationMs)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
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
  const [url, concurrency, durationMs] = process.argv.slice(2);
  if (url === undefined) throw new Error('usage: load-generator.ts <url> <concurrency> <durationMs>');
  const result = await generate(url, Number(concurrency ?? 16), Number(durationMs ?? 3000));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
