/**
 * Top self-time functions of a V8 .cpuprofile (written by `node --cpu-prof`), optionally over its last N ms
 * only (the measured loop, not start-up), and self time grouped by package or folder.
 *
 *   npx tsx bench/summarize-cpuprofile.ts <file.cpuprofile> [top=25] [lastMs]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const [file, topArg, lastArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: summarize-cpuprofile.ts <file.cpuprofile> [top] [lastMs]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
// Sample timestamps are in microseconds.
const from = lastArg === undefined ? Number.NEGATIVE_INFINITY : profile.endTime - Number(lastArg) * 1000;
const self = new Map<string, number>();
let total = 0;
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (at < from) return;
  const frame = frames.get(id);
  if (frame === undefined) return;
  const where = frame.url.replace(/^.*node_modules\//, '').replace(`file://${process.cwd()}/`, '');
  const key = `${frame.functionName || '(anonymous)'}  ${where}:${frame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + 1);
  total++;
});
const percent = (n: number): string => ((100 * n) / total).toFixed(1).padStart(5);
const lines: string[] = [];
for (const [key, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25)))
  lines.push(`${percent(n)}%  ${key}`);
const groups = new Map<string, number>();
for (const [key, n] of self) {
  const group = / {2}(@[^/]+\/[^/]+|[^/@: ]+)/.exec(key)?.[1] ?? '(native/vm)';
  groups.set(group, (groups.get(group) ?? 0) + n);
}
lines.push('--- self time by package/folder');
for (const [group, n] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 15))
  lines.push(`${percent(n)}%  ${group}`);
process.stdout.write(`${lines.join('\n')}\n`);
