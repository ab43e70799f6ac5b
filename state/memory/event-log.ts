import { assertCount, assertNonEmpty, toJson } from '../checks.ts';
import { UnknownGroupError } from '../errors.ts';
import type { Lifetime } from '../lifetime.ts';
import { compareCursors, normalizeCursor } from '../store.ts';
import type { BackgroundErrorHandler, EventLog, LogEntry } from '../store.ts';
import { runTail } from '../tail.ts';
import type { GroupData, LogData, StoredEntry } from './backend.ts';

const TAIL_BATCH = 100;

/**
 * An event log in memory with the semantics of a Redis stream: `<ms>-<seq>` cursors from the
 * (injectable) clock, consumer groups with a pending list per group, idle time from the clock.
 */
export class MemoryEventLog<T extends object> implements EventLog<T> {
  constructor(
    private readonly name: string,
    private readonly data: LogData,
    private readonly maxLength: number,
    private readonly clock: () => number,
    private readonly lifetime: Lifetime,
    private readonly onError: BackgroundErrorHandler,
  ) {}

  async append(event: T): Promise<string> {
    this.lifetime.assertOpen();
    const json = toJson('event', event);
    const cursor = this.#nextCursor();
    this.data.entries.push({ cursor, json });
    this.#trimTo(this.maxLength);
    const wakers = [...this.data.wakers];
    this.data.wakers.clear();
    for (const wake of wakers) wake();
    return cursor;
  }

  async read(after: string | undefined, limit: number): Promise<LogEntry<T>[]> {
    this.lifetime.assertOpen();
    assertCount('limit', limit, 0);
    return this.#entriesAfter(after, limit).map(decode<T>);
  }

  async oldestCursor(): Promise<string | undefined> {
    this.lifetime.assertOpen();
    return this.data.entries[0]?.cursor;
  }

  async latestCursor(): Promise<string | undefined> {
    this.lifetime.assertOpen();
    const last = this.data.last;
    return last && `${last.ms}-${last.seq}`;
  }

  tail(
    after: string | undefined,
    onEntries: (entries: LogEntry<T>[]) => Promise<void> | void,
  ): { stop(): Promise<void> } {
    this.lifetime.assertOpen();
    if (after !== undefined) normalizeCursor(after);
    let wake: (() => void) | undefined;
    const source = {
      next: async (cursor: string | undefined): Promise<LogEntry<T>[]> => {
        const batch = this.#entriesAfter(cursor, TAIL_BATCH);
        if (batch.length > 0) return batch.map(decode<T>);
        // Checked and registered in one synchronous step: no append can slip in between.
        await new Promise<void>((resolve) => {
          wake = resolve;
          this.data.wakers.add(resolve);
        });
        return [];
      },
      close: () => {
        if (!wake) return;
        this.data.wakers.delete(wake);
        wake();
      },
    };
    return runTail(source, after, onEntries, {
      lifetime: this.lifetime,
      onError: this.onError,
      where: `event log "${this.name}" tail`,
    });
  }

  async ensureGroup(group: string, startAfter = '0'): Promise<void> {
    this.lifetime.assertOpen();
    assertNonEmpty('group', group);
    const start = normalizeCursor(startAfter);
    if (!this.data.groups.has(group))
      this.data.groups.set(group, { lastDelivered: start, pending: new Map() });
  }

  async claimNext(
    group: string,
    consumer: string,
    opts: { count: number; blockMs: number },
  ): Promise<LogEntry<T>[]> {
    this.lifetime.assertOpen();
    assertNonEmpty('consumer', consumer);
    assertCount('count', opts.count, 1);
    assertCount('blockMs', opts.blockMs, 0);
    const data = this.#group(group);
    const claimed = this.#deliverNew(data, consumer, opts.count);
    if (claimed.length > 0 || opts.blockMs === 0) return claimed;
    // blockMs bounds a real wait, so it runs on real time, not on the injected clock.
    const deadline = performance.now() + opts.blockMs;
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return [];
      await this.#appendOrTimeout(remaining);
      if (this.lifetime.disposed) return [];
      const next = this.#deliverNew(data, consumer, opts.count);
      if (next.length > 0) return next;
    }
  }

  async ack(group: string, cursors: string[]): Promise<void> {
    this.lifetime.assertOpen();
    const normalized = cursors.map(normalizeCursor);
    const data = this.data.groups.get(group);
    for (const cursor of normalized) data?.pending.delete(cursor);
  }

  async claimStale(
    group: string,
    consumer: string,
    opts: { idleMs: number; count: number },
  ): Promise<LogEntry<T>[]> {
    this.lifetime.assertOpen();
    assertNonEmpty('consumer', consumer);
    assertCount('idleMs', opts.idleMs, 0);
    assertCount('count', opts.count, 1);
    const data = this.#group(group);
    const now = this.clock();
    const stale = [...data.pending]
      .filter(([, pending]) => now - pending.deliveredAt >= opts.idleMs)
      .sort(([a], [b]) => compareCursors(a, b));
    const claimed: LogEntry<T>[] = [];
    for (const [cursor] of stale) {
      if (claimed.length === opts.count) break;
      const entry = this.#find(cursor);
      if (!entry) {
        // Trimmed while pending: nobody can process it any more (Redis 7 XAUTOCLAIM does the same).
        data.pending.delete(cursor);
        continue;
      }
      data.pending.set(cursor, { consumer, deliveredAt: now });
      claimed.push(decode<T>(entry));
    }
    return claimed;
  }

  async trim(maxLength: number): Promise<void> {
    this.lifetime.assertOpen();
    assertCount('maxLength', maxLength, 0);
    this.#trimTo(maxLength);
  }

  #nextCursor(): string {
    const now = Math.max(0, Math.floor(this.clock()));
    const last = this.data.last;
    // Like Redis: never go back, even when the clock does; same millisecond → next sequence.
    const next = last && now <= last.ms ? { ms: last.ms, seq: last.seq + 1 } : { ms: now, seq: 0 };
    this.data.last = next;
    return `${next.ms}-${next.seq}`;
  }

  #trimTo(maxLength: number): void {
    const excess = this.data.entries.length - maxLength;
    if (excess > 0) this.data.entries.splice(0, excess);
  }

  #entriesAfter(after: string | undefined, limit: number): StoredEntry[] {
    const entries = this.data.entries;
    const start = after === undefined ? 0 : this.#firstIndexAfter(normalizeCursor(after));
    return entries.slice(start, start + limit);
  }

  /** Binary search: index of the first entry with a cursor > `after`. */
  #firstIndexAfter(after: string): number {
    const entries = this.data.entries;
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareCursors(entries[mid]!.cursor, after) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #find(cursor: string): StoredEntry | undefined {
    const candidate = this.data.entries[this.#firstIndexAfter(cursor) - 1];
    return candidate && compareCursors(candidate.cursor, cursor) === 0 ? candidate : undefined;
  }

  #group(group: string): GroupData {
    assertNonEmpty('group', group);
    const data = this.data.groups.get(group);
    if (!data) throw new UnknownGroupError(this.name, group);
    return data;
  }

  #deliverNew(group: GroupData, consumer: string, count: number): LogEntry<T>[] {
    const batch = this.#entriesAfter(group.lastDelivered, count);
    const now = this.clock();
    for (const entry of batch) group.pending.set(entry.cursor, { consumer, deliveredAt: now });
    const last = batch[batch.length - 1];
    if (last) group.lastDelivered = last.cursor;
    return batch.map(decode<T>);
  }

  /** Resolves on the next append, after `ms`, or when the store is disposed, whichever is first. */
  #appendOrTimeout(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.data.wakers.delete(done);
        untrack();
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.data.wakers.add(done);
      const untrack = this.lifetime.track(done);
    });
  }
}

function decode<T>(entry: StoredEntry): LogEntry<T> {
  // The log holds JSON written by append(); the caller's type parameter is trusted.
  return { cursor: entry.cursor, event: JSON.parse(entry.json) as T };
}
