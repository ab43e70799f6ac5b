/**
 * `netweave demo` as a child process on a given port, as a user runs it (`npm run demo`): for tests of what is
 * seen from outside the process — a restart (tests/e2e/dms-restart.e2e.test.ts) or a client that is another
 * program (tests/interop/tackerclient.e2e.test.ts). `netweave serve` likewise (startServeProcess), for the
 * shutdown and rolling-upgrade tests (tests/operations/).
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
  const inherited = inheritedEnv();
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

/** The caller's environment without REDIS_URL and NETWEAVE_* (see DemoProcessOptions.env). */
function inheritedEnv(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL' && !name.startsWith('NETWEAVE_')),
  );
}

/** A `netweave serve` child process that is listening. */
export interface ServeProcess {
  readonly child: ChildProcess;
  /** Its listen URL, from its "gateway listening" log line. */
  readonly url: string;
  /** Everything it printed so far (stdout and stderr, the last 64 kB). */
  output(): string;
  /** Resolves with the exit code (null when ended by a signal). */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `netweave serve --config <configPath>` (JSON logs, the caller's environment without REDIS_URL and
 * NETWEAVE_*: the config file says everything) and resolves once it listens; rejects (with its output) when it
 * exits first or takes longer than `startTimeoutMs`.
 */
export async function startServeProcess(
  configPath: string,
  options: { readonly env?: Readonly<Record<string, string>>; readonly startTimeoutMs?: number } = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI, 'serve', '--config', configPath], {
    env: { ...inheritedEnv(), NETWEAVE_LOG_FORMAT: 'json', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-64_000);
  };
  // Both pipes stay drained for the process's whole life, so it never blocks on a full pipe.
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`netweave serve did not listen within ${timeoutMs / 1000}s:\n${output}`));
    }, timeoutMs);
    const check = (): void => {
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"gateway listening"/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.stderr.off('data', check);
      resolve(match[1]!);
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`netweave serve exited (${code}) before it listened:\n${output}`));
    });
  });
  return { child, url, output: () => output, exited };
}

/** Sends the signal and waits for the exit (no-op for a process that has ended). */
export async function killProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
