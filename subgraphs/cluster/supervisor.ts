/**
 * An informer (list-watch.ts: list, then watch from the list's resourceVersion, relist on 410 Gone)
 * under supervision (docs/architecture.md "Kubernetes, real and simulated").
 *
 * The list-watch cache on its own gives up on the first error: a failed list or watch request fires its `error`
 * callbacks and the informer stays dead. It also re-watches immediately whenever a stream ends, so a server
 * that accepts and at once closes watches is hammered in a tight loop. The supervisor:
 * - restarts the informer after an error, with exponential backoff and jitter (the cache and the last
 *   resourceVersion survive, so a restart resumes the watch; an expired resourceVersion relists);
 * - delays the re-watch after a stream that ended without delivering anything soon after it opened, on the
 *   same backoff; a stream that was healthy (delivered events, or stayed open for `healthyAfterMs`) resets
 *   the backoff and is resumed at once, as ending is normal for watches (API server timeouts);
 * - normalises watch objects when the list returns another form (`normalize`; the API's JSON needs none);
 * - reports health (synced, connected, restarts, last error) for alarms and /healthz.
 *
 * Retried: every list and watch failure (connection refused or reset, 5xx, 429, timeouts, 401/403 while
 * credentials rotate). Nothing is final while the subgraph runs: a cluster that is down comes back, and
 * the health report is how an operator learns that it has not.
 */
import type { KubernetesObject, ListPromise } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import {
  type BackoffPolicy,
  type CancelTimer,
  type Scheduler,
  backoffDelay,
  realScheduler,
} from '../../common/timers.ts';
import { ListWatchCache } from './list-watch.ts';

export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0.5,
};

export type WatchPhaseCallback = (phase: string, apiObject: unknown, watchObject?: unknown) => void;

/** The request side of a watch (kube-http.ts; client-node's Watch has the same shape), injectable for tests. */
export interface WatchTransport {
  watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchPhaseCallback,
    done: (error: unknown) => void,
  ): Promise<AbortController>;
}

export interface InformerSupervision {
  readonly backoff?: BackoffPolicy;
  readonly timers?: Scheduler;
  /** Source of jitter, [0, 1). */
  readonly random?: () => number;
  /** A watch open this long counts as healthy even without events. */
  readonly healthyAfterMs?: number;
  readonly logger?: Logger;
}

export interface SupervisedInformerOptions<T extends KubernetesObject> extends InformerSupervision {
  /** For logs and health, e.g. "nodes". */
  readonly name: string;
  /** Watch path, e.g. /api/v1/nodes. */
  readonly path: string;
  readonly list: ListPromise<T>;
  readonly transport: WatchTransport;
  /** Turns a raw watch object into the form the list returns; the identity by default. */
  readonly normalize?: (raw: unknown) => T;
}

export interface InformerError {
  readonly message: string;
  /** ISO time. */
  readonly at: string;
}

export interface InformerHealth {
  /** The first list has completed: the cache reflects the cluster (as of the last event). */
  readonly synced: boolean;
  /** A watch stream is open. */
  readonly connected: boolean;
  /** Restarts after errors since start. */
  readonly restarts: number;
  /** Lists after the first (410 Gone, or a restart without a resumable resourceVersion). */
  readonly relists: number;
  readonly consecutiveFailures: number;
  readonly lastError: InformerError | null;
  /** How long no watch has been open (0 while one is): the cache may miss changes made since. */
  readonly disconnectedForMs: number;
}

export type ObjectEventType = 'add' | 'update' | 'delete';

export class SupervisedInformer<T extends KubernetesObject> {
  readonly name: string;
  readonly #options: SupervisedInformerOptions<T>;
  readonly #listWatch: ListWatchCache<T>;
  readonly #timers: Scheduler;
  readonly #random: () => number;
  readonly #backoff: BackoffPolicy;
  readonly #healthyAfterMs: number;
  readonly #recoveredListeners = new Set<() => void>();
  #stopped = false;
  #started = false;
  #connected = false;
  /** Scheduler time the last open watch was lost (undefined while connected). */
  #disconnectedSince: number | undefined;
  #synced = false;
  #listedSinceWatch = false;
  #lists = 0;
  #restarts = 0;
  #failures = 0;
  #recovering = false;
  #lastError: InformerError | null = null;
  #restartTimer: CancelTimer | undefined;
  #delayedEnd: CancelTimer | undefined;
  readonly #syncedPromise: Promise<void>;
  #resolveSynced: () => void = () => {};

  constructor(options: SupervisedInformerOptions<T>) {
    this.name = options.name;
    this.#options = options;
    this.#timers = options.timers ?? realScheduler;
    this.#random = options.random ?? Math.random;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#healthyAfterMs = options.healthyAfterMs ?? 5_000;
    this.#syncedPromise = new Promise((resolve) => {
      this.#resolveSynced = resolve;
    });
    const watch: WatchTransport = {
      watch: (path, queryParams, callback, done) => this.#watch(path, queryParams, callback, done),
    };
    const list: ListPromise<T> = async () => {
      const result = await options.list();
      this.#lists++;
      this.#listedSinceWatch = true;
      return result;
    };
    this.#listWatch = new ListWatchCache(options.path, watch, list);
    this.#listWatch.on('error', (error: unknown) => this.#onError(error));
  }

  /** The informer's cache: objects by namespace and name. */
  get(name: string, namespace?: string): T | undefined {
    return this.#listWatch.get(name, namespace);
  }

  list(namespace?: string): readonly T[] {
    return this.#listWatch.list(namespace);
  }

  on(type: ObjectEventType, callback: (object: T) => void): void {
    this.#listWatch.on(type, callback);
  }

  /** Called when a watch is re-established after failures (e.g. to re-read facts that may have changed). */
  onRecovered(listener: () => void): () => void {
    this.#recoveredListeners.add(listener);
    return () => {
      this.#recoveredListeners.delete(listener);
    };
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#run();
  }

  synced(): Promise<void> {
    return this.#syncedPromise;
  }

  get isSynced(): boolean {
    return this.#synced;
  }

  health(): InformerHealth {
    return {
      synced: this.#synced,
      connected: this.#connected,
      restarts: this.#restarts,
      relists: Math.max(0, this.#lists - 1),
      consecutiveFailures: this.#failures,
      lastError: this.#lastError,
      disconnectedForMs:
        this.#connected || this.#disconnectedSince === undefined
          ? 0
          : Math.max(0, this.#timers.now() - this.#disconnectedSince),
    };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#connected = false;
    this.#restartTimer?.();
    this.#restartTimer = undefined;
    this.#delayedEnd?.();
    this.#delayedEnd = undefined;
    await this.#listWatch.stop();
  }

  /** No watch is open any more; the time of the first loss counts until one opens again. */
  #lost(): void {
    this.#connected = false;
    this.#disconnectedSince ??= this.#timers.now();
  }

  async #run(): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#listWatch.start();
    } catch (error) {
      // The cache reports request failures through its error callbacks; a throw is a local fault and is
      // retried the same way.
      this.#onError(error);
    }
  }

  #onError(error: unknown): void {
    this.#lost();
    this.#lastError = { message: describeError(error), at: new Date().toISOString() };
    if (this.#stopped || this.#restartTimer !== undefined) return;
    this.#failures++;
    this.#recovering = true;
    const delay = backoffDelay(this.#backoff, this.#failures, this.#random);
    this.#options.logger?.warn(
      { informer: this.name, error: this.#lastError.message, attempt: this.#failures, delayMs: delay },
      'informer failed; restarting after backoff',
    );
    this.#restartTimer = this.#timers.setTimeout(() => {
      this.#restartTimer = undefined;
      this.#restarts++;
      void this.#run();
    }, delay);
  }

  async #watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchPhaseCallback,
    done: (error: unknown) => void,
  ): Promise<AbortController> {
    if (this.#stopped) {
      const controller = new AbortController();
      controller.abort();
      return controller;
    }
    // The cache applies a list synchronously and then asks for the watch: reaching here after
    // a list means the cache holds the list's objects.
    if (this.#listedSinceWatch) {
      this.#listedSinceWatch = false;
      if (!this.#synced) {
        this.#synced = true;
        this.#resolveSynced();
      }
    }
    const openedAt = this.#timers.now();
    let delivered = false;
    let expired = false;
    let ended = false;
    const onEvent: WatchPhaseCallback = (phase, apiObject, watchObject) => {
      if (phase === 'ERROR') {
        expired = isGone(apiObject);
      } else {
        delivered = true;
        if (phase !== 'BOOKMARK') {
          const normalize = this.#options.normalize;
          callback(phase, normalize === undefined ? apiObject : normalize(apiObject), watchObject);
          return;
        }
      }
      callback(phase, apiObject, watchObject);
    };
    const onDone = (error: unknown): void => {
      ended = true;
      this.#lost();
      const healthy = delivered || this.#timers.now() - openedAt >= this.#healthyAfterMs;
      if (healthy) this.#failures = 0;
      if (this.#stopped) return;
      if (error !== null && error !== undefined) {
        // The cache relists at once on 410 Gone and reports anything else as an error (→ #onError).
        done(error);
        return;
      }
      if (healthy || expired) {
        done(null);
        return;
      }
      this.#failures++;
      this.#recovering = true;
      const delay = backoffDelay(this.#backoff, this.#failures, this.#random);
      this.#options.logger?.warn(
        { informer: this.name, attempt: this.#failures, delayMs: delay },
        'watch ended at once; re-watching after backoff',
      );
      this.#delayedEnd = this.#timers.setTimeout(() => {
        this.#delayedEnd = undefined;
        done(null);
      }, delay);
    };
    const controller = await this.#options.transport.watch(path, queryParams, onEvent, onDone);
    if (this.#stopped) {
      // stop() raced with the request: the cache only aborts requests it already holds.
      controller.abort();
    } else if (!ended) {
      this.#connected = true;
      this.#disconnectedSince = undefined;
      if (this.#recovering) {
        this.#recovering = false;
        for (const listener of this.#recoveredListeners) listener();
      }
    }
    return controller;
  }
}

function isGone(apiObject: unknown): boolean {
  return (
    typeof apiObject === 'object' && apiObject !== null && (apiObject as { code?: unknown }).code === 410
  );
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status =
      (error as { statusCode?: unknown; code?: unknown }).statusCode ?? (error as { code?: unknown }).code;
    return status === undefined ? error.message : `${error.message} (${String(status)})`;
  }
  return String(error);
}
