/**
 * Redis mode (standalone or Sentinel): required as soon as more than one gateway replica runs,
 * since replicas share subscriptions, the shard registry, delivery work and leases through it.
 * See docs/state-store.md for the key layout and the choice of Streams.
 */
import { assertCount, assertName } from './checks.ts';
import { Lifetime } from './lifetime.ts';
import { RedisChannels } from './redis/channels.ts';
import { RedisConnections } from './redis/connections.ts';
import type { RedisConnectionOptions } from './redis/connections.ts';
import { RedisCollection } from './redis/documents.ts';
import { RedisEventLog } from './redis/event-log.ts';
import { redisKeys } from './redis/keys.ts';
import { RedisLeases } from './redis/leases.ts';
import { redisRateLimiter } from './rate-limits.ts';
import { safeReport } from './safe-report.ts';
import { StoreDisposedError, StoreUnavailableError } from './errors.ts';
import { DEFAULT_EVENT_LOG_MAX_LENGTH } from './store.ts';
import type {
  BackgroundErrorHandler,
  DocumentCollection,
  EventLog,
  EventLogOptions,
  StateStore,
} from './store.ts';

export interface RedisStoreOptions extends RedisConnectionOptions {
  /**
   * Prepended to every key and channel (e.g. `netweave:<site>:`), so several sites or test runs can
   * share one Redis. Replicas of one gateway must use the same prefix.
   */
  keyPrefix: string;
  /** Connection errors while ioredis reconnects, and throwing tail/subscriber callbacks. */
  onError?: BackgroundErrorHandler;
}

export interface RedisStore extends StateStore {
  readonly kind: 'redis';
  readonly keyPrefix: string;
}

/**
 * Whether an error means "Redis cannot be reached now" (as opposed to a reply error such as WRONGTYPE, or
 * a bug): the connection is not ready, a command timed out, or ioredis gave up on it.
 */
function isUnavailability(error: unknown, status: string): boolean {
  if (error instanceof StoreDisposedError || error instanceof StoreUnavailableError) return false;
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return false;
  if (status !== 'ready') return true;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Command timed out|Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/.test(
      error.message,
    )
  );
}

/**
 * The same object, whose methods reject with StoreUnavailableError where Redis could not be reached: one
 * error type for every caller (REST answers 503 + Retry-After for it), whichever command failed.
 */
function guarded<T extends object>(target: T, status: () => string): T {
  const translate = (error: unknown): never => {
    throw isUnavailability(error, status()) ? new StoreUnavailableError(error) : error;
  };
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        try {
          const result: unknown = Reflect.apply(value, object, args);
          return result instanceof Promise ? result.catch(translate) : result;
        } catch (error) {
          return translate(error);
        }
      };
    },
  });
}

/** Connects (rejecting when Redis cannot be reached) and returns the store. */
export async function createRedisStore(opts: RedisStoreOptions): Promise<RedisStore> {
  if (typeof opts.keyPrefix !== 'string') throw new TypeError('keyPrefix is required');
  const onError = safeReport(opts.onError);
  const connections = await RedisConnections.open(opts, onError);
  const keys = redisKeys(opts.keyPrefix);
  const lifetime = new Lifetime();
  const channels = new RedisChannels(connections, keys, lifetime, onError);
  const redis = connections.command;
  const status = (): string => redis.status;
  const dispose = (): Promise<void> => lifetime.dispose(() => connections.close());
  const guardedChannels = guarded(channels, status);
  return {
    kind: 'redis',
    keyPrefix: opts.keyPrefix,
    leases: guarded(new RedisLeases(redis, keys, lifetime), status),
    collection<T extends object>(name: string): DocumentCollection<T> {
      lifetime.assertOpen();
      assertName('collection', name);
      return guarded(new RedisCollection<T>(name, redis, keys, lifetime), status);
    },
    eventLog<T extends object>(name: string, logOpts: EventLogOptions = {}): EventLog<T> {
      lifetime.assertOpen();
      assertName('event log', name);
      const maxLength = logOpts.maxLength ?? DEFAULT_EVENT_LOG_MAX_LENGTH;
      assertCount('maxLength', maxLength, 1);
      return guarded(new RedisEventLog<T>(name, connections, keys, maxLength, lifetime, onError), status);
    },
    publish: (channel, message) => guardedChannels.publish(channel, message),
    subscribe: (channel, onMessage) => guardedChannels.subscribe(channel, onMessage),
    rateLimiter(name, limitOptions) {
      lifetime.assertOpen();
      return redisRateLimiter(redis, opts.keyPrefix, name, limitOptions);
    },
    async ping(): Promise<void> {
      lifetime.assertOpen();
      // A readiness probe wants "not ready" now, not a PING parked in the offline queue until
      // ioredis has reconnected.
      if (redis.status !== 'ready') throw new Error(`Redis connection is ${redis.status}`);
      await redis.ping();
    },
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}
