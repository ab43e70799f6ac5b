/**
 * Memory mode: the embedded default of `npm run demo`. NOTHING SURVIVES A RESTART — subscriptions,
 * the shard registry, event logs, consumer positions, leases and alarms all live in this process.
 * It serves exactly one gateway replica; run Redis as soon as there are two.
 */
import { assertCount, assertName } from './checks.ts';
import { Lifetime } from './lifetime.ts';
import { MemoryBackend } from './memory/backend.ts';
import { MemoryChannels } from './memory/channels.ts';
import { MemoryCollection } from './memory/documents.ts';
import { MemoryEventLog } from './memory/event-log.ts';
import { MemoryLeases } from './memory/leases.ts';
import { safeReport } from './safe-report.ts';
import { DEFAULT_EVENT_LOG_MAX_LENGTH } from './store.ts';
import type {
  BackgroundErrorHandler,
  DocumentCollection,
  EventLog,
  EventLogOptions,
  Leases,
  StateStore,
} from './store.ts';

export interface MemoryStoreOptions {
  /** Milliseconds since the epoch; drives lease expiry, consumer idle time and cursors. */
  clock?: () => number;
  /** Subscriber and tail callbacks that throw end up here. */
  onError?: BackgroundErrorHandler;
}

export interface MemoryStore extends StateStore {
  readonly kind: 'memory';
  /**
   * A second handle on the same data, as a second replica would see it through a shared Redis:
   * its own subscriptions and tails, its own dispose(). Used by tests of cross-replica behaviour.
   */
  fork(): MemoryStore;
}

export function createMemoryStore(opts: MemoryStoreOptions = {}): MemoryStore {
  return openHandle(new MemoryBackend(opts.clock), safeReport(opts.onError));
}

function openHandle(backend: MemoryBackend, onError: BackgroundErrorHandler): MemoryStore {
  const lifetime = new Lifetime();
  const channels = new MemoryChannels(backend.channels, lifetime, onError);
  const leases: Leases = new MemoryLeases(backend.leases, backend.clock, lifetime);
  const dispose = (): Promise<void> => lifetime.dispose();
  return {
    kind: 'memory',
    leases,
    collection<T extends object>(name: string): DocumentCollection<T> {
      lifetime.assertOpen();
      assertName('collection', name);
      return new MemoryCollection<T>(backend.collection(name), lifetime);
    },
    eventLog<T extends object>(name: string, logOpts: EventLogOptions = {}): EventLog<T> {
      lifetime.assertOpen();
      assertName('event log', name);
      const maxLength = logOpts.maxLength ?? DEFAULT_EVENT_LOG_MAX_LENGTH;
      assertCount('maxLength', maxLength, 1);
      return new MemoryEventLog<T>(name, backend.log(name), maxLength, backend.clock, lifetime, onError);
    },
    publish: (channel, message) => channels.publish(channel, message),
    subscribe: (channel, onMessage) => channels.subscribe(channel, onMessage),
    rateLimiter(name, limitOptions) {
      lifetime.assertOpen();
      return backend.rateLimiters.get(name, limitOptions);
    },
    async ping(): Promise<void> {
      lifetime.assertOpen();
    },
    dispose,
    [Symbol.asyncDispose]: dispose,
    fork(): MemoryStore {
      lifetime.assertOpen();
      return openHandle(backend, onError);
    },
  };
}
