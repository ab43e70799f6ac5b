/**
 * The hub's `alarmChanged` GraphQL subscription: alarm changes of every cluster as they are written to the
 * alarm event log. One live tail per process feeds every subscriber in memory (a Redis tail holds a
 * connection, so one per websocket client would not scale); each subscriber has a bounded buffer, and one that
 * falls that far behind is ended with an error rather than slowing the others down.
 *
 * Live only: the current alarms are a query away (`oCloud { alarms }`), so a client that reconnects re-reads
 * them instead of replaying the log.
 */
import type { TenantScope } from '../../common/auth.ts';
import { seesCluster } from '../../common/tenancy.ts';
import { LRUCache } from 'lru-cache';
import { GraphQLError } from 'graphql';
import { ALARM_EVENT_LOG } from '../../alarms/alarm-ledger.ts';
import { ALARM_EVENT_KINDS, parseAlarmEvent } from '../../alarms/alarm-record.ts';
import type { AlarmEvent, AlarmEventKind } from '../../alarms/alarm-record.ts';
import type { EventLog, LogEntry, StateStore } from '../../state/store.ts';

export interface AlarmChangedArgs {
  readonly kinds?: readonly AlarmEventKind[] | null | undefined;
  readonly clusterId?: string | null | undefined;
}

export interface AlarmFeed extends AsyncDisposable {
  /** Resolves once the live tail runs, so nothing written after the call is missed. */
  /** `scope`: the caller's tenant scope; alarms of clusters it may not see are not delivered. */
  subscribe(args: AlarmChangedArgs, scope?: TenantScope): Promise<AsyncIterableIterator<AlarmEvent>>;
  dispose(): Promise<void>;
}

const DEFAULT_MAX_BUFFERED = 1_000;
const RECENT_EVENT_IDS = 1_024;

interface Subscriber {
  readonly accept: (event: AlarmEvent) => boolean;
  readonly buffer: AlarmEvent[];
  wake: (() => void) | undefined;
  failure: GraphQLError | undefined;
  ended: boolean;
}

export function createAlarmFeed(
  store: StateStore,
  options: { readonly maxBuffered?: number } = {},
): AlarmFeed {
  const maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED;
  const log: EventLog<object> = store.eventLog<object>(ALARM_EVENT_LOG);
  const subscribers = new Set<Subscriber>();
  const recent = new LRUCache<string, true>({ max: RECENT_EVENT_IDS });
  let started: Promise<void> | undefined;
  let tail: { stop(): Promise<void> } | undefined;

  const deliver = (entries: readonly LogEntry<object>[]): void => {
    for (const entry of entries) {
      const event = parseAlarmEvent(entry.event);
      // The log is at least once: a retried append, or an outbox flushed twice, repeats an eventId.
      if (event === undefined || recent.has(event.eventId)) continue;
      recent.set(event.eventId, true);
      for (const subscriber of subscribers) {
        if (subscriber.ended || !subscriber.accept(event)) continue;
        if (subscriber.buffer.length >= maxBuffered) {
          subscriber.failure = new GraphQLError(
            'the subscriber fell too far behind the alarm changes; subscribe again',
            {
              extensions: { code: 'SUBSCRIBER_TOO_SLOW' },
            },
          );
        } else subscriber.buffer.push(event);
        subscriber.wake?.();
      }
    }
  };

  const start = (): Promise<void> => {
    started ??= (async () => {
      tail = log.tail(await log.latestCursor(), deliver);
    })();
    return started;
  };

  async function subscribe(
    args: AlarmChangedArgs,
    scope?: TenantScope,
  ): Promise<AsyncIterableIterator<AlarmEvent>> {
    const kinds = args.kinds === undefined || args.kinds === null ? undefined : new Set(args.kinds);
    if (
      kinds !== undefined &&
      [...kinds].some((kind) => !(ALARM_EVENT_KINDS as readonly string[]).includes(kind))
    ) {
      throw new GraphQLError('kinds must be NEW, CHANGE, CLEAR or ACKNOWLEDGE', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    const clusterId = args.clusterId ?? undefined;
    const subscriber: Subscriber = {
      accept: (event) =>
        (kinds === undefined || kinds.has(event.kind)) &&
        (clusterId === undefined || event.alarm.clusterId === clusterId) &&
        (scope === undefined || seesCluster(scope, event.alarm.clusterId)),
      buffer: [],
      wake: undefined,
      failure: undefined,
      ended: false,
    };
    subscribers.add(subscriber);
    await start();
    const end = (): void => {
      subscriber.ended = true;
      subscribers.delete(subscriber);
      subscriber.wake?.();
    };
    const iterator: AsyncIterableIterator<AlarmEvent> = {
      async next() {
        for (;;) {
          const event = subscriber.buffer.shift();
          if (event !== undefined) return { value: event, done: false };
          if (subscriber.failure !== undefined) {
            end();
            throw subscriber.failure;
          }
          if (subscriber.ended) return { value: undefined, done: true };
          await new Promise<void>((resolve) => {
            subscriber.wake = resolve;
          });
          subscriber.wake = undefined;
        }
      },
      return() {
        end();
        return Promise.resolve({ value: undefined, done: true });
      },
      throw(error: unknown) {
        end();
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  const dispose = async (): Promise<void> => {
    for (const subscriber of [...subscribers]) {
      subscriber.ended = true;
      subscriber.wake?.();
    }
    subscribers.clear();
    await started?.catch(() => undefined);
    await tail?.stop();
  };

  return { subscribe, dispose, [Symbol.asyncDispose]: dispose };
}
