/**
 * `netweave demo` as a child process on a given port, as a user runs it (`npm run demo`): for tests of what is
 * seen from outside the process — a restart (tests/e2e/dms-restart.e2e.test.ts) or a client that is another
 * program (tests/interop/tackerclient.e2e.test.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli/netweave.ts', import.meta.url));
// node --import <tsx loader> rather than the tsx CLI: the CLI runs the program in a child process, which a
// SIGKILL of the CLI would orphan. Here the started process IS the demo.
const TSX_LOADER = join(
  dirname(createRequire(import.meta.url).resolve('tsx/package.json')),
  'dist',
  'loader.mjs',
);

export interface DemoProcessOptions {
  readonly port: number;
  /** The demo writes .netweave/demo/<cluster>.kubeconfig under its working directory. */
  readonly cwd: string;
  /**
   * Environment on top of the caller's, without the caller's REDIS_URL and NETWEAVE_* (CI sets REDIS_URL, which
   * would put the demo on the shared Redis under the default key prefix): name them here to pass them.
   */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

/** Resolves once the demo printed its banner; rejects (with its last output) when it exits or takes too long. */
export async function startDemoProcess(options: DemoProcessOptions): Promise<ChildProcess> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL' && !name.startsWith('NETWEAVE_')),
  );
  const demo = spawn(
    process.execPath,
    ['--import', TSX_LOADER, CLI, 'demo', '--port', String(options.port), '--no-timeline'],
    {
      cwd: options.cwd,
      env: { ...inherited, NETWEAVE_LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo did not start within ${timeoutMs / 1000}s:\n${output}`)),
      timeoutMs,
    );
    // Both pipes stay drained for the demo's whole life, so it never blocks on a full pipe.
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8_000);
      if (output.includes('netweave demo is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    demo.stdout.on('data', onData);
    demo.stderr.on('data', onData);
    demo.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`demo exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  demo.removeAllListeners('exit');
  return demo;
}

/** Sends the signal and waits for the exit (no-op for a process that has ended). */
export async function killProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
