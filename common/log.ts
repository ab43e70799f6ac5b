/**
 * The process logger (pino): JSON lines in production, one line per record on a terminal. Every line logged
 * while a request is handled carries its `requestId` (an AsyncLocalStorage scope entered by the HTTP servers,
 * `inRequestScope`), whichever component logs it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isDeepStrictEqual } from 'node:util';
import { LRUCache } from 'lru-cache';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

const requestScope = new AsyncLocalStorage<string>();

/** Runs `work` (and everything it starts) with `requestId` on every log line. */
export function inRequestScope<T>(requestId: string, work: () => T): T {
  return requestScope.run(requestId, work);
}

/** The request id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return requestScope.getStore();
}

/** pino mixin: the scope's request id, unless the line names one or the logger is bound to one already. */
function requestIdMixin(line: object, _level: number, logger: Logger): Record<string, unknown> {
  const requestId = requestScope.getStore();
  if (requestId === undefined || 'requestId' in line || 'requestId' in logger.bindings()) return {};
  return { requestId };
}

export function createLogger(
  level: LevelWithSilent,
  name = 'netweave',
  destination?: DestinationStream,
): Logger {
  const pretty =
    destination === undefined && process.stdout.isTTY && process.env['NETWEAVE_LOG_FORMAT'] !== 'json';
  const options = {
    name,
    level,
    hooks: { logMethod: withoutBoundKeys },
    mixin: requestIdMixin,
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } }
      : {}),
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/**
 * pino writes a child logger's bindings and the logged object side by side, so a key in both appears twice
 * in one JSON line (`"clusterId":"edge-1","clusterId":"edge-1"`), which JSON tools read differently. A key
 * the bindings hold already is dropped from the object when the values agree, and moved under `conflicts`
 * when they do not.
 */
function withoutBoundKeys(
  this: Logger,
  args: Parameters<Logger['info']>,
  method: (...args: unknown[]) => void,
): void {
  const [first, ...rest] = args as unknown[];
  if (first === null || typeof first !== 'object' || first instanceof Error) {
    method.apply(this, args);
    return;
  }
  const bindings = this.bindings();
  const fields = first as Record<string, unknown>;
  if (!Object.keys(fields).some((key) => key in bindings)) {
    method.apply(this, args);
    return;
  }
  const kept: Record<string, unknown> = {};
  const conflicts: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in bindings)) kept[key] = value;
    else if (!isDeepStrictEqual(bindings[key], value)) conflicts[key] = value;
  }
  if (Object.keys(conflicts).length > 0) kept['conflicts'] = conflicts;
  method.apply(this, [kept, ...rest]);
}

/** Warnings that repeat for as long as a condition lasts (a cluster down), logged at most once per interval. */
export interface RepeatLimitedLog {
  /**
   * Logs at warn level the first time `key` is seen and then at most once per interval; the line after a
   * quiet period carries `repeats`, the occurrences not logged since the previous line.
   */
  warn(key: string, fields: Record<string, unknown>, message: string): void;
}

export interface RepeatLimitOptions {
  readonly intervalMs?: number;
  readonly now?: () => number;
}

const limiters = new WeakMap<Logger, RepeatLimitedLog>();

/** The repeat-limited log of a logger (one per logger, so every caller shares its counts). */
export function repeatLimited(logger: Logger, options: RepeatLimitOptions = {}): RepeatLimitedLog {
  const existing = limiters.get(logger);
  if (existing !== undefined) return existing;
  const intervalMs = options.intervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  const seen = new LRUCache<string, { loggedAt: number; repeats: number }>({ max: 1_000 });
  const limited: RepeatLimitedLog = {
    warn(key, fields, message) {
      const at = now();
      const entry = seen.get(key);
      if (entry !== undefined && at - entry.loggedAt < intervalMs) {
        entry.repeats += 1;
        return;
      }
      const repeats = entry?.repeats ?? 0;
      seen.set(key, { loggedAt: at, repeats: 0 });
      logger.warn({ ...fields, ...(repeats > 0 ? { repeats } : {}) }, message);
    },
  };
  limiters.set(logger, limited);
  return limited;
}
