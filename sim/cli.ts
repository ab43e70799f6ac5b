/**
 * `netweave sim`: runs a scenario's simulated clusters until SIGINT/SIGTERM, with kubeconfigs on disk so
 * kubectl, Helm or a cluster subgraph can connect to them.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenario } from './scenario/load.ts';
import { kubeconfigPath, startScenario } from './scenario/start.ts';
import { startTimeline } from './scenario/timeline.ts';

const USAGE = `Usage: netweave sim [--scenario file|name] [--kubeconfig-dir dir] [--host addr] [--no-timeline]

Starts the simulated Kubernetes clusters of a scenario, each on an ephemeral loopback port, writes one
kubeconfig per cluster and runs until interrupted (SIGINT/SIGTERM).

  --scenario <file|name>   scenario YAML file, or a built-in name (demo, minimal); default: demo
  --kubeconfig-dir <dir>   where <cluster>.kubeconfig files are written; default: .netweave/sim
  --host <addr>            listen address; default: 127.0.0.1
  --no-timeline            do not apply the scenario's timeline of injected changes
  -h, --help               show this help

Example: kubectl --kubeconfig .netweave/sim/edge-1.kubeconfig get nodes
`;

export interface SimCommandIo {
  /** Where progress is printed (default: stdout). */
  readonly out?: (line: string) => void;
  /** Ends the command instead of a signal (tests). */
  readonly signal?: AbortSignal;
}

function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolveStop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (signal?.aborted === true) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}

export async function runSimCommand(argv: string[], io: SimCommandIo = {}): Promise<void> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', default: 'demo' },
      'kubeconfig-dir': { type: 'string', default: '.netweave/sim' },
      host: { type: 'string', default: '127.0.0.1' },
      'no-timeline': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    out(USAGE);
    return;
  }
  const scenario = loadScenario(values.scenario);
  const kubeconfigDir = resolve(values['kubeconfig-dir']);
  const running = await startScenario(scenario, { host: values.host, kubeconfigDir });
  const timeline = values['no-timeline'] ? undefined : startTimeline(scenario, running.clusters);
  out(
    `netweave sim: scenario "${scenario.name}", ${running.clusters.size} cluster(s)${timeline === undefined ? '' : ', timeline running'}`,
  );
  for (const [name, cluster] of running.clusters) {
    out(`  ${name.padEnd(14)} ${cluster.url}   kubeconfig: ${kubeconfigPath(kubeconfigDir, name)}`);
  }
  out('Press Ctrl+C to stop.');
  try {
    await untilStopped(io.signal);
  } finally {
    timeline?.dispose();
    await running.dispose();
    out('netweave sim: stopped');
  }
}
