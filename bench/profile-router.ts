/**
 * Profile harness for the uncached inventory read: the 10 × 100 topology of bench/inventory.bench.ts, a
 * gateway with `inventory.cache.maxAgeMs: 0`, and the REST page-of-100 request fired in a loop by a few
 * concurrent in-process callers. A plain script, meant to run under the CPU profiler:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-router.ts [seconds] [concurrency]
 *   npx tsx bench/summarize-cpuprofile.ts /tmp/prof/<file>.cpuprofile 25 9500
 *
 * PROFILE_GATEWAY=cached profiles the default gateway (answer cache on) instead; PROFILE_READ=pools reads
 * the resourcePools list (a 10-shard fan-out) instead of the page of 100 resources.
 */
import { Agent, request } from 'node:http';
import { startInventoryTopology } from './inventory-scenario.ts';

const SECONDS = Number(process.argv[2] ?? 10);
const CONCURRENCY = Number(process.argv[3] ?? 4);
const API = '/o2ims-infrastructureInventory/v2';

/** GET; the body is decoded only when asked (decoding it in the loop would show up in the profile). */
function get(agent: Agent, url: string, decode = true): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: decode ? Buffer.concat(chunks).toString('utf8') : '' }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const topology = await startInventoryTopology();
const { demo } = topology;
const gateway = process.env['PROFILE_GATEWAY'] === 'cached' ? demo.gateway : topology.uncachedGateway;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
try {
  const pools = JSON.parse((await get(agent, `${gateway.url}${API}/resourcePools`)).body) as {
    resourcePoolId: string;
  }[];
  const url =
    process.env['PROFILE_READ'] === 'pools'
      ? `${gateway.url}${API}/resourcePools`
      : `${gateway.url}${API}/resourcePools/${pools[0]!.resourcePoolId}/resources`;
  const first = await get(agent, url);
  process.stdout.write(
    `page: HTTP ${first.status}, ${(JSON.parse(first.body) as unknown[]).length} items, ${first.body.length} bytes\n`,
  );
  for (let i = 0; i < 20; i++) await get(agent, url, false); // warm-up
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const { status } = await get(agent, url, false);
        latencies.push(performance.now() - t0);
        if (status !== 200) failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? Number.NaN;
  process.stdout.write(
    `${latencies.length} requests in ${elapsed.toFixed(1)} s: ${(latencies.length / elapsed).toFixed(1)} req/s, ` +
      `p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, ${failures} non-200 (concurrency ${CONCURRENCY})\n`,
  );
} finally {
  agent.destroy();
  await topology.uncachedGateway.close();
  await demo.close();
}
