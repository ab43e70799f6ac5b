/**
 * `npm run bench`: runs every benchmark script in bench/ (files ending .bench.ts), one after another so
 * they do not compete for the CPU, each in its own process. Each script prints its results and writes its
 * section of docs/benchmarks.md. `npm run bench -- router` runs only the scripts whose name contains "router".
 * Scripts: router, gateways (netweave's router against stock Hive Gateway and Apollo Gateway), inventory,
 * notifier (event → webhook), ws-fanout (graphql-ws subscribers in another process), dms (instantiate,
 * scale-out and heal → COMPLETED through netweave against bare helm, bench/dms.bench.ts), scale (100 clusters
 * × 100 nodes, bench/scale.bench.ts),
 * provisioning (POST → FULFILLED against the composition function alone, Ready → first inventory answer;
 * bench/provisioning.bench.ts), topology (snapshot time and event → client latency of `Subscription.topology`,
 * bench/topology.bench.ts), graphql (the dashboard queries, bench/graphql.bench.ts).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const scripts = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n=== ${script}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('bench', script)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed += 1;
    process.stderr.write(`${script} failed (exit ${String(result.status)})\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
