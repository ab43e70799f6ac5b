/**
 * The events that a channel's queues refer to (channel-fanout.ts queues references, not copies): a queue record
 * names an entry of the channel's event log by cursor, and the delivery workers of a replica resolve it here.
 *
 * Why references: a copy per subscription made the fan-out serialize and write every event once per
 * subscription, and every worker read and validate its own copy again; with 100 subscriptions that was most of
 * the store traffic and a good part of the CPU of a delivery. Now the event is written once (by its publisher),
 * and validated once per replica: the fan-out leader hands the events it parsed to this cache, and a miss
 * (another replica leads, or the event left the cache) reads the log entry once for every worker that needs it.
 *
 * The bound that comes with it: a notification can be built as long as the channel's log retains its event.
 * The inventory log keeps 10,000 events by default, as many as a queue (`delivery.queueMaxLength`); an event
 * that has left the log before its notification was delivered (a receiver down for longer than the log's
 * retention) is recorded as a `queue-overflow` dead letter, like the notifications a full queue drops.
 */
import { LRUCache } from 'lru-cache';
import type { EventLog } from '../../state/store.ts';
import type { ChannelEvent } from './channel.ts';

/** What a reference resolves to. */
export type ResolvedEvent =
  | { readonly kind: 'event'; readonly event: ChannelEvent }
  /** The log entry is there but is not a valid event of the channel (another version wrote it). */
  | { readonly kind: 'invalid' }
  /** The entry has left the log (trimmed by its retention). */
  | { readonly kind: 'gone' };

/** Enough for every subscription's batch at high rates; entries are events already in memory anyway. */
const CACHED_EVENTS = 4_096;

export class ChannelEventCache {
  readonly #log: EventLog<object>;
  readonly #parse: (raw: unknown) => ChannelEvent | undefined;
  readonly #cache = new LRUCache<string, ResolvedEvent>({ max: CACHED_EVENTS });
  /** Reads in progress: the workers that miss the same entry at once share one read. */
  readonly #reading = new Map<string, Promise<ResolvedEvent>>();

  constructor(log: EventLog<object>, parse: (raw: unknown) => ChannelEvent | undefined) {
    this.#log = log;
    this.#parse = parse;
  }

  /** An event the fan-out has just read and validated at `cursor`. */
  remember(cursor: string, event: ChannelEvent): void {
    this.#cache.set(cursor, { kind: 'event', event });
  }

  resolve(cursor: string): Promise<ResolvedEvent> {
    const cached = this.#cache.get(cursor);
    if (cached !== undefined) return Promise.resolve(cached);
    let reading = this.#reading.get(cursor);
    if (reading === undefined) {
      reading = this.#read(cursor).finally(() => this.#reading.delete(cursor));
      this.#reading.set(cursor, reading);
    }
    return reading;
  }

  async #read(cursor: string): Promise<ResolvedEvent> {
    const [entry] = await this.#log.read(cursorBefore(cursor), 1);
    // A store failure rejects (the worker stops and is restarted); only a missing entry is "gone".
    if (entry === undefined || entry.cursor !== cursor) return { kind: 'gone' };
    const event = this.#parse(entry.event);
    const resolved: ResolvedEvent = event === undefined ? { kind: 'invalid' } : { kind: 'event', event };
    this.#cache.set(cursor, resolved);
    return resolved;
  }
}

const MAX_SEQUENCE = 18_446_744_073_709_551_615n;

/** The greatest cursor before `cursor` (`<ms>-<seq>`, both unsigned 64-bit): reading after it starts at it. */
export function cursorBefore(cursor: string): string {
  const [ms, seq] = cursor.split('-') as [string, string | undefined];
  const sequence = BigInt(seq ?? '0');
  if (sequence > 0n) return `${ms}-${sequence - 1n}`;
  const millis = BigInt(ms);
  return millis > 0n ? `${millis - 1n}-${MAX_SEQUENCE}` : '0-0';
}
