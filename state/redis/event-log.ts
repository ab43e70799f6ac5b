import type { Redis } from 'ioredis';
import { assertCount, assertNonEmpty, toJson } from '../checks.ts';
import { UnknownGroupError } from '../errors.ts';
import type { Lifetime } from '../lifetime.ts';
import { normalizeCursor } from '../store.ts';
import type { BackgroundErrorHandler, EventLog, LogEntry } from '../store.ts';
import { runTail } from '../tail.ts';
import type { RedisConnections } from './connections.ts';
import { EVENT_FIELD } from './keys.ts';
import type { RedisKeys } from './keys.ts';
import { decodeAutoClaim, decodeEntries, decodeStreamRead, fieldOf } from './replies.ts';

const TAIL_BATCH = 100;
/**
 * A tail's XREAD blocks at most this long and then simply asks again; bounding it means a silently
 * dead TCP connection is noticed (the next command fails) instead of waiting forever.
 */
const TAIL_BLOCK_MS = 5_000;

/** An event log is one Redis stream; its consumer groups live inside the stream. */
export class RedisEventLog<T extends object> implements EventLog<T> {
  readonly #key: string;

  constructor(
    private readonly name: string,
    private readonly connections: RedisConnections,
    keys: RedisKeys,
    private readonly maxLength: number,
    private readonly lifetime: Lifetime,
    private readonly onError: BackgroundErrorHandler,
  ) {
    this.#key = keys.log(name);
  }

  get #redis(): Redis {
    return this.connections.command;
  }

  async append(event: T): Promise<string> {
    this.lifetime.assertOpen();
    const json = toJson('event', event);
    // '~' lets Redis trim whole radix-tree nodes only, which is far cheaper than exact trimming.
    const cursor = await this.#redis.xadd(this.#key, 'MAXLEN', '~', this.maxLength, '*', EVENT_FIELD, json);
    if (cursor === null) throw new Error(`XADD to ${this.#key} returned no id`);
    return cursor;
  }

  async read(after: string | undefined, limit: number): Promise<LogEntry<T>[]> {
    this.lifetime.assertOpen();
    assertCount('limit', limit, 0);
    const start = after === undefined ? '-' : `(${normalizeCursor(after)}`;
    if (limit === 0) return [];
    return decodeEntries<T>('XRANGE', await this.#redis.xrange(this.#key, start, '+', 'COUNT', limit));
  }

  async oldestCursor(): Promise<string | undefined> {
    this.lifetime.assertOpen();
    const [first] = await this.#redis.xrange(this.#key, '-', '+', 'COUNT', 1);
    return first?.[0];
  }

  async latestCursor(): Promise<string | undefined> {
    this.lifetime.assertOpen();
    let info: unknown;
    try {
      info = await this.#redis.call('XINFO', ['STREAM', this.#key]);
    } catch (error) {
      if (error instanceof Error && /no such key/i.test(error.message)) return undefined;
      throw error;
    }
    // Unlike the last entry, last-generated-id survives trimming. A stream made by ensureGroup
    // before any append reports 0-0.
    const last = fieldOf('XINFO STREAM', info, 'last-generated-id');
    if (typeof last !== 'string')
      throw new Error(`unexpected XINFO STREAM last-generated-id ${String(last)}`);
    return last === '0-0' ? undefined : last;
  }

  tail(
    after: string | undefined,
    onEntries: (entries: LogEntry<T>[]) => Promise<void> | void,
  ): { stop(): Promise<void> } {
    this.lifetime.assertOpen();
    const start = after === undefined ? undefined : normalizeCursor(after);
    const connection = this.connections.openOwned('tail');
    // ioredis leaves a command queued for a reconnect pending forever when the connection is disconnected
    // while it waits to reconnect (Redis down, a failover): the read in progress is abandoned on close instead,
    // so stop() always ends.
    let abandon: (reason: Error) => void = () => {};
    const closed = new Promise<never>((_, reject) => {
      abandon = reject;
    });
    closed.catch(() => undefined);
    const source = {
      next: async (cursor: string | undefined): Promise<LogEntry<T>[]> =>
        decodeStreamRead<T>(
          'XREAD',
          await Promise.race([
            connection.xread(
              'COUNT',
              TAIL_BATCH,
              'BLOCK',
              TAIL_BLOCK_MS,
              'STREAMS',
              this.#key,
              cursor ?? '0-0',
            ),
            closed,
          ]),
        ),
      close: () => {
        abandon(new Error('tail closed'));
        this.connections.closeOwned(connection);
      },
    };
    return runTail(source, start, onEntries, {
      lifetime: this.lifetime,
      onError: this.onError,
      where: `event log "${this.name}" tail`,
    });
  }

  async ensureGroup(group: string, startAfter = '0'): Promise<void> {
    this.lifetime.assertOpen();
    assertNonEmpty('group', group);
    try {
      await this.#redis.call('XGROUP', ['CREATE', this.#key, group, normalizeCursor(startAfter), 'MKSTREAM']);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  async claimNext(
    group: string,
    consumer: string,
    opts: { count: number; blockMs: number },
  ): Promise<LogEntry<T>[]> {
    this.lifetime.assertOpen();
    assertNonEmpty('group', group);
    assertNonEmpty('consumer', consumer);
    assertCount('count', opts.count, 1);
    assertCount('blockMs', opts.blockMs, 0);
    // BLOCK 0 would mean "forever" to Redis; here 0 means "do not wait".
    const block = opts.blockMs > 0 ? ['BLOCK', opts.blockMs] : [];
    const args = ['GROUP', group, consumer, 'COUNT', opts.count, ...block, 'STREAMS', this.#key, '>'];
    try {
      const reply =
        opts.blockMs > 0
          ? await this.connections.withBlocking((connection) => connection.call('XREADGROUP', args))
          : await this.#redis.call('XREADGROUP', args);
      return decodeStreamRead<T>('XREADGROUP', reply);
    } catch (error) {
      if (this.lifetime.disposed) return [];
      throw this.#groupError(error, group);
    }
  }

  async ack(group: string, cursors: string[]): Promise<void> {
    this.lifetime.assertOpen();
    assertNonEmpty('group', group);
    const ids = cursors.map(normalizeCursor);
    if (ids.length > 0) await this.#redis.xack(this.#key, group, ...ids);
  }

  async claimStale(
    group: string,
    consumer: string,
    opts: { idleMs: number; count: number },
  ): Promise<LogEntry<T>[]> {
    this.lifetime.assertOpen();
    assertNonEmpty('group', group);
    assertNonEmpty('consumer', consumer);
    assertCount('idleMs', opts.idleMs, 0);
    assertCount('count', opts.count, 1);
    const claimed: LogEntry<T>[] = [];
    // XAUTOCLAIM examines a bounded slice of the pending list per call; walk on until enough
    // entries are claimed or the whole list was seen (next start 0-0).
    let start = '0-0';
    do {
      let reply: unknown;
      try {
        reply = await this.#redis.call('XAUTOCLAIM', [
          this.#key,
          group,
          consumer,
          opts.idleMs,
          start,
          'COUNT',
          opts.count - claimed.length,
        ]);
      } catch (error) {
        throw this.#groupError(error, group);
      }
      const { next, entries } = decodeAutoClaim<T>(reply);
      claimed.push(...entries);
      start = next;
    } while (start !== '0-0' && claimed.length < opts.count);
    return claimed;
  }

  async trim(maxLength: number): Promise<void> {
    this.lifetime.assertOpen();
    assertCount('maxLength', maxLength, 0);
    await this.#redis.xtrim(this.#key, 'MAXLEN', maxLength);
  }

  #groupError(error: unknown, group: string): unknown {
    return error instanceof Error && error.message.startsWith('NOGROUP')
      ? new UnknownGroupError(this.name, group)
      : error;
  }
}
