/**
 * A GraphQL subscription stream over one durable event log of the state store, resumable from a cursor: the
 * machinery of `inventoryChanged` (inventory-events.ts) and `lcmEvents` (lcm-events.ts).
 *
 * One live tail per process and log feeds every subscriber in memory (a Redis tail holds a connection, so one
 * per websocket client would not scale). A subscriber that resumes from a cursor first reads the log from
 * there, buffering what the live feed delivers meanwhile, and switches to the feed once a read comes back empty;
 * cursors strictly increase, so the hand-over drops exactly what it has already delivered: no gap, no
 * duplicate. A subscriber that falls behind the feed by more than `maxBuffered` events is not failed: its
 * buffer is dropped and it catches up from the log again.
 *
 * A cursor older than the log's retention yields a CURSOR_EXPIRED error as the first event (the client has
 * missed events), then the stream continues from the oldest retained event.
 */
import { LRUCache } from 'lru-cache';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { EventLog, LogEntry, StateStore } from '../../state/store.ts';
import { compareCursors, normalizeCursor } from '../../state/store.ts';

/** One item of a stream: an event with its cursor, or an error to report without ending the stream. */
export type StreamItem<E> =
  | { readonly kind: 'event'; readonly cursor: string; readonly event: E }
  | { readonly kind: 'error'; readonly error: GraphQLError };

/** Turns a raw log entry into the event a subscriber gets; undefined: not for this subscriber (or invalid). */
export type EventSelect<E> = (raw: unknown, cursor: string) => E | undefined;

export interface LogEventStream<E> extends AsyncDisposable {
  /**
   * The stream after `after` (absent: live events only; "0": everything retained) of the events `select`
   * keeps. Asynchronous so that the retention check happens before the first item.
   */
  open(
    after: string | null | undefined,
    select: EventSelect<E>,
  ): Promise<AsyncIterableIterator<StreamItem<E>>>;
  dispose(): Promise<void>;
}

export interface LogEventStreamOptions {
  readonly logger?: Logger;
  /** Live events buffered per subscriber before it falls back to reading the log. */
  readonly maxBuffered?: number;
  readonly readBatch?: number;
  /** What the CURSOR_EXPIRED error tells the client to do. */
  readonly expiredAdvice?: string;
}

type Listener = (entries: readonly LogEntry<object>[]) => void;

/** The one live tail of this process, started with the first subscriber. */
class LiveFeed {
  readonly #listeners = new Set<Listener>();
  #started: Promise<void> | undefined;
  #tail: { stop(): Promise<void> } | undefined;

  constructor(private readonly log: EventLog<object>) {}

  /** Resolves once the tail runs: every entry appended after that reaches the listeners. */
  start(): Promise<void> {
    this.#started ??= (async () => {
      const from = await this.log.latestCursor();
      this.#tail = this.log.tail(from, (entries) => {
        for (const listener of this.#listeners) listener(entries);
      });
    })();
    return this.#started;
  }

  add(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async stop(): Promise<void> {
    await this.#started?.catch(() => undefined);
    await this.#tail?.stop();
  }
}

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

const RECENT_EVENT_IDS = 1_024;

export function createLogEventStream<E extends { readonly eventId: string }>(
  store: StateStore,
  logName: string,
  options: LogEventStreamOptions = {},
): LogEventStream<E> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const maxBuffered = options.maxBuffered ?? 10_000;
  const readBatch = options.readBatch ?? 500;
  const log = store.eventLog<object>(logName);
  const feed = new LiveFeed(log);
  const open = new Set<() => void>();

  async function openStream(
    after: string | null | undefined,
    select: EventSelect<E>,
  ): Promise<AsyncIterableIterator<StreamItem<E>>> {
    let position: string | undefined;
    const pending: Array<StreamItem<E>> = [];
    if (after === undefined || after === null) {
      position = (await log.latestCursor()) ?? '0';
    } else {
      try {
        position = normalizeCursor(after);
      } catch {
        throw badInput('after is not a cursor of this event stream');
      }
      if (position !== '0-0') {
        const [oldest, latest] = await Promise.all([log.oldestCursor(), log.latestCursor()]);
        const expired =
          latest === undefined ||
          compareCursors(position, latest) > 0 ||
          (oldest !== undefined && compareCursors(position, oldest) < 0);
        if (expired) {
          pending.push({
            kind: 'error',
            error: new GraphQLError(
              `the cursor is older than the retained events; events were missed${options.expiredAdvice === undefined ? '' : `: ${options.expiredAdvice}`}`,
              {
                extensions: {
                  code: 'CURSOR_EXPIRED',
                  ...(oldest === undefined ? {} : { oldestCursor: oldest }),
                },
              },
            ),
          });
          position = undefined; // from the oldest retained event
        }
      }
    }
    return new Subscriber<E>({
      log,
      feed,
      readBatch,
      maxBuffered,
      logger,
      position,
      pending,
      select,
      open,
    }).iterator();
  }

  return {
    open: openStream,
    async dispose() {
      for (const end of [...open]) end();
      await feed.stop();
    },
    [Symbol.asyncDispose]() {
      return this.dispose();
    },
  };
}

interface SubscriberSetup<E> {
  readonly log: EventLog<object>;
  readonly feed: LiveFeed;
  readonly readBatch: number;
  readonly maxBuffered: number;
  readonly logger: Logger;
  /** Last cursor handed over (or skipped); undefined: from the oldest retained event. */
  readonly position: string | undefined;
  readonly pending: Array<StreamItem<E>>;
  readonly select: EventSelect<E>;
  readonly open: Set<() => void>;
}

class Subscriber<E extends { readonly eventId: string }> {
  readonly #setup: SubscriberSetup<E>;
  #position: string | undefined;
  /** Cursor of the last event given to the client (the resume point when falling back to the log). */
  #handedOver: string | undefined;
  readonly #pending: Array<StreamItem<E>>;
  /** Live entries received while catching up (bounded). */
  #buffer: LogEntry<object>[] = [];
  #overflowed = false;
  #live = false;
  #ended = false;
  #wake: (() => void) | undefined;
  readonly #recent = new LRUCache<string, true>({ max: RECENT_EVENT_IDS });
  readonly #detach: () => void;
  readonly #end: () => void;

  constructor(setup: SubscriberSetup<E>) {
    this.#setup = setup;
    this.#position = setup.position;
    this.#handedOver = setup.position;
    this.#pending = setup.pending;
    this.#detach = setup.feed.add((entries) => this.#onLive(entries));
    this.#end = () => this.#finish();
    setup.open.add(this.#end);
  }

  #onLive(entries: readonly LogEntry<object>[]): void {
    if (this.#ended) return;
    if (this.#live) {
      for (const entry of entries) this.#accept(entry);
      if (this.#pending.length > this.#setup.maxBuffered) {
        // The client does not keep up with the feed: drop what is buffered and read it from the log instead.
        this.#pending.length = 0;
        this.#position = this.#handedOver;
        this.#live = false;
        this.#buffer = [];
        this.#overflowed = true;
      }
    } else if (!this.#overflowed) {
      this.#buffer.push(...entries);
      if (this.#buffer.length > this.#setup.maxBuffered) {
        this.#buffer = [];
        this.#overflowed = true;
      }
    }
    this.#wake?.();
  }

  /** Queues an entry after the current position (and advances it); earlier or repeated entries are dropped. */
  #accept(entry: LogEntry<object>): void {
    if (this.#position !== undefined && compareCursors(entry.cursor, this.#position) <= 0) return;
    this.#position = entry.cursor;
    const event = this.#setup.select(entry.event, entry.cursor);
    if (event === undefined) return;
    this.#pending.push({ kind: 'event', cursor: entry.cursor, event });
  }

  /** Reads the log from the position until it is caught up, then goes live. */
  async #catchUp(): Promise<void> {
    await this.#setup.feed.start();
    for (;;) {
      this.#overflowed = false;
      const entries = await this.#setup.log.read(this.#position, this.#setup.readBatch);
      if (this.#ended) return;
      for (const entry of entries) this.#accept(entry);
      if (entries.length > 0) {
        if (this.#pending.length > 0) return; // hand these over first, then read on
        continue;
      }
      if (this.#overflowed) continue;
      // Caught up: whatever the feed delivered during the reads is in the buffer, nothing after it is missed.
      this.#live = true;
      const buffered = this.#buffer;
      this.#buffer = [];
      for (const entry of buffered) this.#accept(entry);
      return;
    }
  }

  async #next(): Promise<IteratorResult<StreamItem<E>>> {
    for (;;) {
      if (this.#ended) return { value: undefined, done: true };
      const item = this.#pending.shift();
      if (item !== undefined) {
        if (item.kind === 'event') {
          this.#handedOver = item.cursor;
          // An append retried by the store can hold one event twice, under two cursors.
          if (this.#recent.has(item.event.eventId)) continue;
          this.#recent.set(item.event.eventId, true);
        }
        return { value: item, done: false };
      }
      if (!this.#live) {
        await this.#catchUp();
        continue;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  #finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#detach();
    this.#setup.open.delete(this.#end);
    this.#pending.length = 0;
    this.#buffer = [];
    this.#wake?.();
  }

  iterator(): AsyncIterableIterator<StreamItem<E>> {
    const iterator: AsyncIterableIterator<StreamItem<E>> = {
      next: () => this.#next(),
      return: () => {
        this.#finish();
        return Promise.resolve({ value: undefined, done: true });
      },
      throw: (error: unknown) => {
        this.#finish();
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
