/**
 * The real `helm` binary, run as a child process against one cluster (docs/dms.md): a bounded number
 * of concurrent processes, Helm's own state directories kept private to this runner, every process
 * killed when the runner stops (abort signal), and failures as HelmError with Helm's stderr (trimmed).
 */
import { execFile } from 'node:child_process';
import type { KubeAccessConfig } from '../config.ts';
import type { ReleaseRecords } from './release-secrets.ts';

/** One entry of `helm history -o json`. */
export interface HelmRevision {
  readonly revision: number;
  readonly status: string;
  readonly chart?: string;
  readonly description?: string;
  readonly updated?: string;
}

/** What `helm upgrade|install --output json` says about the release it applied. */
export interface AppliedRelease {
  readonly revision?: number;
  readonly manifest?: string;
}

/**
 * Reads the release Helm printed after applying it (`--output json`): its revision and manifest. Taking
 * them from this output saves a `helm history` and a `helm get manifest` process per instantiation —
 * each helm process costs hundreds of milliseconds of CPU (start-up, API discovery). Missing or
 * unexpected output yields `{}` and the caller asks Helm again.
 */
export function parseAppliedRelease(stdout: string): AppliedRelease {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const release = parsed as { version?: unknown; manifest?: unknown };
  return {
    ...(typeof release.version === 'number' && Number.isInteger(release.version)
      ? { revision: release.version }
      : {}),
    ...(typeof release.manifest === 'string' ? { manifest: release.manifest } : {}),
  };
}

export class HelmError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly aborted: boolean,
    /** The binary could not be started: a setup problem of this cluster, not of the request. */
    readonly unavailable = false,
  ) {
    super(`helm ${args[0] ?? ''} failed: ${stderr}`);
    this.name = 'HelmError';
  }
}

/** A counting semaphore: at most `limit` holders at once, waiting callers served in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export interface HelmCliOptions {
  readonly helmPath: string;
  readonly kube: KubeAccessConfig;
  /** Directory for HELM_CACHE_HOME / HELM_CONFIG_HOME / HELM_DATA_HOME. */
  readonly homeDir: string;
  readonly maxProcesses: number;
  /** Told how each helm process ended (command = helm's first argument, e.g. `upgrade`), for metrics. */
  readonly onProcess?: (command: string, outcome: 'ok' | 'error', seconds: number) => void;
  /** Longest a single helm process may run before it is killed. */
  readonly processTimeoutMs: number;
  /**
   * Reads history and manifests from Helm's release Secrets instead of running helm (release-secrets.ts);
   * a failed read (e.g. no RBAC to list Secrets) falls back to the helm process.
   */
  readonly records?: ReleaseRecords;
  /** Told when a read of the release Secrets failed and helm was run instead. */
  readonly onRecordsFallback?: (error: unknown) => void;
}

const STDERR_LIMIT = 2_000;

function connectionArgs(kube: KubeAccessConfig): string[] {
  if ('kubeconfigPath' in kube) {
    return ['--kubeconfig', kube.kubeconfigPath, ...(kube.context ? ['--kube-context', kube.context] : [])];
  }
  if ('server' in kube) {
    // Helm's flags instead of a kubeconfig file: nothing holding a token is written to disk.
    return ['--kube-apiserver', kube.server, ...(kube.token ? ['--kube-token', kube.token] : [])];
  }
  return []; // in-cluster: helm reads the pod's service account itself
}

export class HelmCli {
  private readonly slots: Semaphore;
  constructor(private readonly options: HelmCliOptions) {
    this.slots = new Semaphore(options.maxProcesses);
  }

  /** Runs helm with the cluster's connection flags; resolves to stdout. */
  run(args: readonly string[], signal: AbortSignal): Promise<string> {
    return this.slots.run(
      () =>
        new Promise<string>((resolve, reject) => {
          if (signal.aborted) {
            reject(new HelmError(args, 'aborted', true));
            return;
          }
          const home = this.options.homeDir;
          const started = performance.now();
          const report = (outcome: 'ok' | 'error'): void =>
            this.options.onProcess?.(args[0] ?? 'helm', outcome, (performance.now() - started) / 1000);
          execFile(
            this.options.helmPath,
            [...args, ...connectionArgs(this.options.kube)],
            {
              signal,
              timeout: this.options.processTimeoutMs,
              maxBuffer: 32 * 1024 * 1024,
              env: {
                PATH: process.env['PATH'] ?? '',
                HOME: home,
                HELM_CACHE_HOME: `${home}/cache`,
                HELM_CONFIG_HOME: `${home}/config`,
                HELM_DATA_HOME: `${home}/data`,
                ...(process.env['KUBERNETES_SERVICE_HOST'] === undefined
                  ? {}
                  : {
                      KUBERNETES_SERVICE_HOST: process.env['KUBERNETES_SERVICE_HOST'],
                      KUBERNETES_SERVICE_PORT: process.env['KUBERNETES_SERVICE_PORT'] ?? '443',
                    }),
              },
            },
            (error, stdout, stderr) => {
              report(error === null ? 'ok' : 'error');
              if (error === null) {
                resolve(stdout);
                return;
              }
              const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
              const text = missing
                ? `the helm binary was not found at "${this.options.helmPath}" (setting dms.helmPath)`
                : (stderr || error.message).trim().slice(0, STDERR_LIMIT);
              reject(new HelmError(args, text, signal.aborted, missing));
            },
          );
        }),
    );
  }

  /** The release's revisions, oldest first; [] when there is no release. */
  async history(release: string, namespace: string, signal: AbortSignal): Promise<HelmRevision[]> {
    if (this.options.records !== undefined) {
      try {
        return await this.options.records.history(release, namespace);
      } catch (error) {
        this.options.onRecordsFallback?.(error);
      }
    }
    try {
      const out = await this.run(['history', release, '--namespace', namespace, '--output', 'json'], signal);
      const parsed: unknown = JSON.parse(out);
      return Array.isArray(parsed) ? (parsed as HelmRevision[]) : [];
    } catch (error) {
      if (error instanceof HelmError && !error.aborted && /not found/i.test(error.stderr)) return [];
      throw error;
    }
  }

  async manifest(release: string, namespace: string, signal: AbortSignal): Promise<string> {
    if (this.options.records !== undefined) {
      try {
        const manifest = await this.options.records.manifest(release, namespace);
        if (manifest !== undefined) return manifest;
      } catch (error) {
        this.options.onRecordsFallback?.(error);
      }
    }
    return this.run(['get', 'manifest', release, '--namespace', namespace], signal);
  }
}
