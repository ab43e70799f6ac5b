import type { LogEntry } from '../store.ts';
import { EVENT_FIELD } from './keys.ts';

/**
 * Decoders for stream replies, which ioredis types loosely (or as unknown). Each reply is checked
 * at this edge so that a surprise fails loudly here rather than deep inside a consumer.
 */

function unexpected(what: string, reply: unknown): Error {
  return new Error(`unexpected Redis reply to ${what}: ${JSON.stringify(reply)?.slice(0, 200)}`);
}

/** `[[id, [field, value, ...]], ...]`; nil entries (deleted while pending) are skipped. */
export function decodeEntries<T>(what: string, reply: unknown): LogEntry<T>[] {
  if (!Array.isArray(reply)) throw unexpected(what, reply);
  const entries: LogEntry<T>[] = [];
  for (const item of reply as unknown[]) {
    if (item === null) continue;
    if (!Array.isArray(item) || typeof item[0] !== 'string') throw unexpected(what, reply);
    const [cursor, fields] = item as [string, unknown];
    if (fields === null) continue;
    if (!Array.isArray(fields)) throw unexpected(what, reply);
    const at = (fields as unknown[]).indexOf(EVENT_FIELD);
    const json = at % 2 === 0 ? (fields as unknown[])[at + 1] : undefined;
    if (typeof json !== 'string') throw new Error(`event log entry ${cursor} has no "${EVENT_FIELD}" field`);
    // The log holds JSON written by append(); the caller's type parameter is trusted.
    entries.push({ cursor, event: JSON.parse(json) as T });
  }
  return entries;
}

/** XREAD / XREADGROUP on one stream: nil on timeout, else `[[key, entries]]`. */
export function decodeStreamRead<T>(what: string, reply: unknown): LogEntry<T>[] {
  if (reply === null) return [];
  if (!Array.isArray(reply)) throw unexpected(what, reply);
  const first: unknown = reply[0];
  if (first === undefined) return [];
  if (!Array.isArray(first)) throw unexpected(what, reply);
  return decodeEntries<T>(what, first[1]);
}

/** XAUTOCLAIM: `[next-start, entries, deleted-ids]` (the last element since Redis 7). */
export function decodeAutoClaim<T>(reply: unknown): { next: string; entries: LogEntry<T>[] } {
  if (!Array.isArray(reply) || typeof reply[0] !== 'string') throw unexpected('XAUTOCLAIM', reply);
  return { next: reply[0], entries: decodeEntries<T>('XAUTOCLAIM', reply[1]) };
}

/** The value after `name` in a flat `[name, value, ...]` reply such as XINFO STREAM's. */
export function fieldOf(what: string, reply: unknown, name: string): unknown {
  if (!Array.isArray(reply)) throw unexpected(what, reply);
  const items = reply as unknown[];
  for (let i = 0; i + 1 < items.length; i += 2) if (items[i] === name) return items[i + 1];
  throw unexpected(what, reply);
}
