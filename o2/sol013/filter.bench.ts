/**
 * Micro-benchmark of `matches()`: ns per call over 10,000 resource-like objects, 3-clause filters.
 * Run: npx tsx o2/sol013/filter.bench.ts
 *
 * Reports the best and the median of several trials: on a shared machine the median moves with other
 * load, the best is close to what the code costs. The "calibration" line (a trivial loop) shows how
 * loaded the machine was: on an idle modern core it is well under 1 ns per iteration.
 */
import { compileFilter, parseFilter, prepareFilter } from './filter.ts';
import { fakeUuid, makeResource, RESOURCE_SCHEMA } from '../../testing/sol013-fixtures.ts';

const OBJECTS = 10_000;
const ROUNDS = 10;
const TRIALS = 9;

// Objects as a subgraph holds them after JSON (flat strings, one shape).
const resources = JSON.parse(
  JSON.stringify(Array.from({ length: OBJECTS }, (_, i) => makeResource(i))),
) as unknown[];

const FILTERS: Record<string, string> = {
  'scalars (boolean, array of strings, number)':
    '(eq,schedulable,true);(in,tags,gpu,fpga);(gte,memoryGiB,64)',
  'uuid, array of objects, free-form': `(eq,resourcePoolId,${fakeUuid(1003).toUpperCase()});(eq,elements/resourceTypeId,${fakeUuid(3002)});(eq,extensions/topology.kubernetes.io~1zone,zone-0)`,
  'datetime, string cont, free-form numeral':
    '(gt,createdAt,2024-06-01T00:00:00Z);(cont,description,rack 1);(gte,extensions/capacity/cpu,32)',
};

function stats(samples: number[]): { best: number; median: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { best: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
}

function measure(filterText: string): { best: number; median: number; matched: number } {
  const filter = prepareFilter(compileFilter(parseFilter(filterText), RESOURCE_SCHEMA));
  let matched = 0;
  for (let r = 0; r < 5; r++) for (let i = 0; i < OBJECTS; i++) if (filter.matches(resources[i])) matched++; // warm-up
  const samples: number[] = [];
  for (let t = 0; t < TRIALS; t++) {
    matched = 0;
    const start = process.hrtime.bigint();
    for (let r = 0; r < ROUNDS; r++)
      for (let i = 0; i < OBJECTS; i++) if (filter.matches(resources[i])) matched++;
    samples.push(Number(process.hrtime.bigint() - start) / (ROUNDS * OBJECTS));
  }
  return { ...stats(samples), matched: matched / ROUNDS };
}

function calibrate(): number {
  const samples: number[] = [];
  let x = 0;
  for (let t = 0; t < TRIALS; t++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 1_000_000; i++) x = (x + i * 7) | 0;
    samples.push(Number(process.hrtime.bigint() - start) / 1_000_000);
  }
  if (x === 42) console.log(''); // keep the loop observable
  return stats(samples).best;
}

console.log(`matches(): ${OBJECTS} objects × ${ROUNDS} rounds × ${TRIALS} trials, Node ${process.version}`);
console.log(
  `  calibration (trivial loop)                      ${calibrate().toFixed(2).padStart(7)} ns/iteration`,
);
for (const [name, text] of Object.entries(FILTERS)) {
  const { best, median, matched } = measure(text);
  console.log(
    `  ${name.padEnd(46)} ${best.toFixed(1).padStart(7)} ns/call best, ${median.toFixed(1).padStart(7)} median   (${matched} of ${OBJECTS} match)`,
  );
}
