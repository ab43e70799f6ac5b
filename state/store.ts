/**
 * The StateStore (docs/architecture.md "State"): everything the gateway must remember that Kubernetes does not —
 * O2 subscriptions, the cluster shard registry, the change-event log with consumer positions,
 * notification delivery work shared across replicas, leases, alarm records and id indexes.
 *
 * Two implementations pass one contract suite (state/store.contract.ts): `memory` (single process,
 * nothing survives a restart) and `redis` (required as soon as more than one gateway replica runs).
 * Callers code against these interfaces only; ioredis stays inside state/redis/.
 */

import type { RateLimiter, RateLimitOptions } from './rate-limits.ts';

export interface StateStore extends AsyncDisposable {
  readonly kind: 'memory' | 'redis';
  /** JSON documents in a named collection (e.g. 'subscriptions', 'shards', 'alarms'). */
  collection<T extends object>(name: string): DocumentCollection<T>;
  /** A durable, bounded, append-only log of events with cursors (Redis Streams in production). */
  eventLog<T extends object>(name: string, opts?: EventLogOptions): EventLog<T>;
  readonly leases: Leases;
  /**
   * Small fire-and-forget messages between replicas (e.g. "shard registry changed"). Not durable:
   * a replica that is disconnected when a message is sent never sees it, so receivers must also
   * re-read the underlying state periodically.
   */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Resolves once the subscription is active: a message published after that (by any handle on the
   * same backend, including this one) is delivered. Resolves to an unsubscribe function.
   */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  /**
   * A rate limit budget shared by every handle on the same backend (Redis: every replica): each key gets
   * `points` per `durationSeconds`. Same name and settings, same budget.
   */
  rateLimiter(name: string, options: RateLimitOptions): RateLimiter;
  /** Round-trip health check (used by readiness probes). */
  ping(): Promise<void>;
  /** Stops tails, subscriptions and blocked claims, then closes connections. Idempotent. */
  dispose(): Promise<void>;
}

/**
 * Receives failures that have no caller to reject: a tail's onEntries throwing, a subscriber's
 * onMessage throwing, a Redis connection error while ioredis reconnects. The store logs nothing
 * itself; the process wires this to its logger.
 */
export type BackgroundErrorHandler = (error: unknown, where: string) => void;

export interface EventLogOptions {
  /**
   * Entries retained at least (Redis trims approximately, so a few more may stay until the next
   * trim). Defaults to DEFAULT_EVENT_LOG_MAX_LENGTH.
   */
  maxLength?: number;
}

/** Retention of an event log when the caller does not choose one. */
export const DEFAULT_EVENT_LOG_MAX_LENGTH = 10_000;

export interface Versioned<T> {
  value: T;
  /**
   * Positive, strictly increasing with every write of the same id and never reused within a
   * collection, even after delete and re-create (so a stale reader cannot overwrite a newer document
   * that happens to carry its old version number). 0 stands for "absent" in replaceIfVersion.
   */
  version: number;
}

/**
 * Documents are stored as JSON: what comes back is what JSON.parse(JSON.stringify(doc)) gives
 * (undefined properties dropped, Dates as strings) and is never the caller's own object. The store
 * does not validate shapes; callers validate at their edges.
 */
export interface DocumentCollection<T> {
  get(id: string): Promise<T | undefined>;
  getVersioned(id: string): Promise<Versioned<T> | undefined>;
  put(id: string, doc: T): Promise<void>;
  /** Creates only when absent; false when the id exists. */
  create(id: string, doc: T): Promise<boolean>;
  /** Optimistic concurrency: writes only if the stored version equals expectedVersion (0 = absent). */
  replaceIfVersion(id: string, doc: T, expectedVersion: number): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Stable order by id (UTF-16 code unit order, not locale order). */
  list(): Promise<Array<{ id: string; doc: T }>>;
  /**
   * Secondary unique index helpers, e.g. callback URL → subscription id, for duplicate detection.
   * True when the key was free or already maps to the same id (so a retried request is idempotent);
   * false when another id holds the key.
   */
  createIndexEntry(index: string, key: string, id: string): Promise<boolean>;
  lookupIndex(index: string, key: string): Promise<string | undefined>;
  deleteIndexEntry(index: string, key: string): Promise<void>;
}

export interface LogEntry<T> {
  cursor: string;
  event: T;
}

/**
 * Delivery is at least once: after a connection failure in the middle of append() the event may
 * have been appended twice (with two cursors), and a consumer that dies before ack() has its
 * entries claimed by another. Consumers deduplicate by an id inside the event.
 */
export interface EventLog<T> {
  /** Appends; returns the cursor. Cursors are opaque strings, strictly increasing in append order, comparable with compareCursors(). */
  append(event: T): Promise<string>;
  /** Entries strictly after `after` (from the oldest retained when undefined), at most `limit`. */
  read(after: string | undefined, limit: number): Promise<LogEntry<T>[]>;
  /** The oldest retained cursor (undefined when empty) — a reader whose cursor is older than this has lost events and must be told. */
  oldestCursor(): Promise<string | undefined>;
  /**
   * The cursor of the newest entry ever appended, even when trimmed away since; undefined when
   * nothing was ever appended. tail(latestCursor()) means "from now on".
   */
  latestCursor(): Promise<string | undefined>;
  /**
   * Live tail: calls onEntries for every entry after `after` (from the oldest retained when
   * undefined), in order, one call at a time, until the returned stop() has resolved. The tail is
   * driven by its own cursor, so nothing appended between a read() and tail() is missed.
   * If onEntries throws, the tail stops there (that batch counts as not delivered) and the error
   * goes to the store's onError hook. One tail per replica and log, fanned out in process: in Redis
   * mode each tail holds a connection.
   */
  tail(
    after: string | undefined,
    onEntries: (entries: LogEntry<T>[]) => Promise<void> | void,
  ): { stop(): Promise<void> };
  /**
   * Consumer groups share work across replicas (Redis XREADGROUP semantics): each entry goes to
   * one consumer of the group until acked; entries a dead consumer holds are claimable after idleMs.
   * Creating an existing group is a no-op (its position is not reset). `startAfter` defaults to
   * '0': the group starts with every retained entry.
   */
  ensureGroup(group: string, startAfter?: string): Promise<void>;
  /**
   * Entries never delivered to the group, at most `count`. blockMs > 0 waits up to that long for
   * one to arrive; 0 returns at once. Rejects when the group was not ensured. Resolves to [] when
   * the store is disposed during the wait.
   */
  claimNext(
    group: string,
    consumer: string,
    opts: { count: number; blockMs: number },
  ): Promise<LogEntry<T>[]>;
  ack(group: string, cursors: string[]): Promise<void>;
  /**
   * Takes over entries delivered to any consumer (itself included) and unacked for at least idleMs,
   * oldest first; their idle time restarts. Entries trimmed away meanwhile are dropped from the
   * group's pending list, not returned.
   */
  claimStale(
    group: string,
    consumer: string,
    opts: { idleMs: number; count: number },
  ): Promise<LogEntry<T>[]>;
  /** Keeps exactly the newest `maxLength` entries. */
  trim(maxLength: number): Promise<void>;
}

export interface Leases {
  /** Acquires or renews `name` for `owner` for ttlMs; true when owner now holds it. */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases only when `owner` holds the lease; otherwise does nothing. */
  release(name: string, owner: string): Promise<void>;
  holder(name: string): Promise<string | undefined>;
}

/**
 * Cursors have the Redis stream id shape `<milliseconds>-<sequence>` in both implementations, so a
 * cursor saved by one replica means the same thing to every other. A bare `<milliseconds>` (such as
 * '0') stands for `<milliseconds>-0`.
 */
const CURSOR = /^(\d+)(?:-(\d+))?$/;

export function compareCursors(a: string, b: string): number {
  const [aMs, aSeq] = cursorParts(a);
  const [bMs, bSeq] = cursorParts(b);
  return compareDigits(aMs, bMs) || compareDigits(aSeq, bSeq);
}

/** The canonical `<ms>-<seq>` form of a cursor; throws on anything that is not a cursor. */
export function normalizeCursor(cursor: string): string {
  const [ms, seq] = cursorParts(cursor);
  return `${ms}-${seq}`;
}

function cursorParts(cursor: string): [string, string] {
  const match = CURSOR.exec(cursor);
  if (!match) throw new TypeError(`not an event log cursor: ${JSON.stringify(cursor)}`);
  return [stripZeros(match[1]!), stripZeros(match[2] ?? '0')];
}

function stripZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}

// Both parts are 64-bit unsigned in Redis, beyond Number precision: compare as digit strings.
function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
