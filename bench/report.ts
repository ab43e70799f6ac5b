/**
 * Benchmark reporting: percentiles, the machine description, and writing one section of
 * docs/benchmarks.md (replacing that section only, so each benchmark owns its heading).
 */
import { cpus, loadavg } from 'node:os';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

export const BENCHMARKS_MD = 'docs/benchmarks.md';

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)]!;
}

export function machineDescription(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} at start`;
}

/** Replaces the `## heading` section of docs/benchmarks.md (or appends it). */
export function writeSection(heading: string, body: string): void {
  const title = `## ${heading}`;
  const current = existsSync(BENCHMARKS_MD)
    ? readFileSync(BENCHMARKS_MD, 'utf8')
    : '# Benchmarks\n\nWritten by `npm run bench`; every number is measured on the machine named in its section,\nwith the baseline measured in the same run. Shared, noisy machines: compare ratios, not absolute values.\n';
  const lines = current.split('\n');
  const start = lines.findIndex((l) => l.trim() === title);
  const section = `${title}\n\n${body.trim()}\n`;
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end === -1) end = lines.length;
    next = [...lines.slice(0, start), ...section.split('\n'), ...lines.slice(end)].join('\n');
  }
  writeFileSync(BENCHMARKS_MD, `${next.trimEnd()}\n`);
}
