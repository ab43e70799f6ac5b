import type { BackgroundErrorHandler, LogEntry } from './store.ts';
import type { Lifetime } from './lifetime.ts';

/** Where a tail gets its entries: the part that differs between memory and Redis. */
export interface TailSource<T> {
  /**
   * Entries strictly after `after` (from the oldest retained when undefined). May wait for new ones
   * and may return [] when a wait times out; rejects on a transport failure (the tail retries).
   */
  next(after: string | undefined): Promise<LogEntry<T>[]>;
  /** Releases what the source holds and makes a pending next() settle promptly. Idempotent. */
  close(): void;
}

export interface TailOptions {
  lifetime: Lifetime;
  onError: BackgroundErrorHandler;
  /** Names the tail in onError reports. */
  where: string;
  /** Pause before retrying after the n-th consecutive read failure. */
  retryDelayMs?: (failures: number) => number;
}

const defaultRetryDelay = (failures: number): number => Math.min(100 * 2 ** (failures - 1), 5_000);

/**
 * Drives a tail by its own cursor, which is what makes the read → tail hand-over gap-free: the
 * tail starts from the caller's cursor, not from "whatever arrives next", and only advances past a
 * batch once onEntries has finished with it (so batches never overlap or repeat).
 */
export function runTail<T>(
  source: TailSource<T>,
  after: string | undefined,
  onEntries: (entries: LogEntry<T>[]) => Promise<void> | void,
  options: TailOptions,
): { stop(): Promise<void> } {
  const retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  let stopped = false;
  let cancelPause: (() => void) | undefined;

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        cancelPause = undefined;
        resolve();
      }
      cancelPause = done;
    });

  const loop = (async () => {
    let cursor = after;
    let failures = 0;
    while (!stopped) {
      let batch: LogEntry<T>[];
      try {
        batch = await source.next(cursor);
        failures = 0;
      } catch (error) {
        if (stopped) break;
        failures += 1;
        options.onError(error, `${options.where}: read failed, retrying`);
        await pause(retryDelay(failures));
        continue;
      }
      if (stopped || batch.length === 0) continue;
      try {
        await onEntries(batch);
      } catch (error) {
        options.onError(error, `${options.where}: onEntries threw, tail stopped`);
        break;
      }
      cursor = batch[batch.length - 1]!.cursor;
    }
  })().finally(() => source.close());

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      stopped = true;
      untrack();
      cancelPause?.();
      source.close();
      await loop;
    })();
    return stopping;
  };
  const untrack = options.lifetime.track(stop);
  return { stop };
}
