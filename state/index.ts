/**
 * The one way the rest of netweave obtains a StateStore. Chooses the implementation from config
 * and logs nothing itself: the caller knows whether "memory" deserves a warning in its context
 * (it does for `serve`, not for tests).
 */
import { createMemoryStore } from './memory-store.ts';
import type { MemoryStoreOptions } from './memory-store.ts';
import { createRedisStore } from './redis-store.ts';
import type { RedisStoreOptions } from './redis-store.ts';
import type { StateStore } from './store.ts';

export type StateStoreConfig =
  /**
   * In-process store for a single replica (the demo default). Nothing survives a restart:
   * subscriptions, the shard registry, event logs and consumer positions, leases and alarm records
   * are all lost when the process exits.
   */
  | ({ kind: 'memory' } & MemoryStoreOptions)
  /** Redis, standalone or Sentinel; required when more than one gateway replica runs. */
  | ({ kind: 'redis' } & RedisStoreOptions);

export async function createStateStore(config: StateStoreConfig): Promise<StateStore> {
  switch (config.kind) {
    case 'memory': {
      const { kind: _kind, ...options } = config;
      return createMemoryStore(options);
    }
    case 'redis': {
      const { kind: _kind, ...options } = config;
      return createRedisStore(options);
    }
  }
}

export { compareCursors, DEFAULT_EVENT_LOG_MAX_LENGTH } from './store.ts';
export type {
  BackgroundErrorHandler,
  DocumentCollection,
  EventLog,
  EventLogOptions,
  Leases,
  LogEntry,
  StateStore,
  Versioned,
} from './store.ts';
export { StoreDisposedError, StoreUnavailableError, UnknownGroupError } from './errors.ts';
export type { RateLimitDecision, RateLimiter, RateLimitOptions } from './rate-limits.ts';
export type { MemoryStore, MemoryStoreOptions } from './memory-store.ts';
export type { RedisStore, RedisStoreOptions } from './redis-store.ts';
