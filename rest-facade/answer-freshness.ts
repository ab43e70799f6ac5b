/**
 * What makes a cached inventory answer exact: the change events of the clusters it was computed from.
 *
 * Every inventory or alarm change of a cluster is appended to an event log of the state store (the
 * cluster subgraph appends an inventory event AFTER its model changed; the alarm ledger appends alarm
 * events), and every notification is sent from those logs, so an event is in the log before any
 * notification of it can be observed — by whichever replica sends it. This module tails both logs and
 * counts, per cluster, the events it has processed. A request takes a snapshot first: it reads the logs'
 * latest cursors (one cheap read each: memory, or XINFO on Redis) and waits until the tail has processed up
 * to them. An answer computed after a snapshot reflects every event the snapshot covers; it stays usable
 * while no later event names one of the clusters it was computed from. So a read issued after a
 * notification was sent sees the log holding its event, waits for the tail to pass it, and finds every
 * answer computed before it unusable.
 *
 * When the logs cannot be read (state store down) or the tail does not catch up within a bound, the
 * snapshot is `undefined` and the answer is computed afresh and not kept: exactness over reuse.
 */
import { ALARM_EVENT_LOG } from '../alarms/alarm-ledger.ts';
import { INVENTORY_EVENT_LOG } from '../o2/events.ts';
import { compareCursors } from '../state/store.ts';
import type { EventLog, LogEntry, StateStore } from '../state/store.ts';

/** The position of the change counters: answers computed after it reflect everything before it. */
export type ChangeEpoch = number;

/** What the answer cache asks of a source of change events. */
export interface AnswerFreshness {
  /** The current epoch, once every event already in the logs is counted; undefined: cannot tell. */
  snapshot(): Promise<ChangeEpoch | undefined>;
  /**
   * Whether no event counted after `epoch` names one of `clusters` (undefined: any cluster) or no cluster at
   * all (such events, e.g. O-Cloud level alarms, concern every answer).
   */
  unchangedSince(epoch: ChangeEpoch, clusters: readonly string[] | undefined): boolean;
}

/** One tailed log and how its events name their cluster (null: none, i.e. every answer). */
export interface ChangeLog {
  readonly log: EventLog<object>;
  readonly clusterOf: (event: object) => string | null;
}

/** How long a snapshot waits for the tail to reach the logs' latest cursors before giving up. */
export const DEFAULT_CATCH_UP_MS = 2_000;

function stringField(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field !== '' ? field : null;
}

/** The inventory change log (clusterId) and the alarm event log (alarm.clusterId) of a store. */
export function inventoryChangeLogs(store: StateStore): ChangeLog[] {
  return [
    {
      log: store.eventLog<object>(INVENTORY_EVENT_LOG),
      clusterOf: (event) => stringField(event, 'clusterId'),
    },
    {
      log: store.eventLog<object>(ALARM_EVENT_LOG),
      clusterOf: (event) => stringField((event as { alarm?: unknown }).alarm, 'clusterId'),
    },
  ];
}

interface Waiter {
  readonly ready: () => boolean;
  readonly wake: () => void;
}

/** Tails the change logs and answers the cache's freshness questions; start() before use, stop() after. */
export class ClusterChangeTracker implements AnswerFreshness {
  readonly #logs: readonly ChangeLog[];
  readonly #catchUpMs: number;
  /** Last cursor processed per log; undefined until started (or while a log is empty). */
  readonly #processed: (string | undefined)[];
  /** Events processed so far: the epoch. */
  #epoch = 0;
  /** The epoch at which each cluster last changed; '' holds events that name no cluster. */
  readonly #changedAt = new Map<string, number>();
  #started = false;
  #tails: { stop(): Promise<void> }[] = [];
  readonly #waiters = new Set<Waiter>();

  constructor(logs: readonly ChangeLog[], options: { readonly catchUpMs?: number } = {}) {
    this.#logs = logs;
    this.#catchUpMs = options.catchUpMs ?? DEFAULT_CATCH_UP_MS;
    this.#processed = logs.map(() => undefined);
  }

  /** Tails every log from its current end; snapshots answer undefined until then. */
  async start(): Promise<void> {
    const latest = await Promise.all(this.#logs.map((entry) => entry.log.latestCursor()));
    this.#logs.forEach((entry, index) => {
      this.#processed[index] = latest[index];
      this.#tails.push(entry.log.tail(latest[index], (entries) => this.#onEntries(index, entries)));
    });
    this.#started = true;
  }

  async stop(): Promise<void> {
    const tails = this.#tails;
    this.#tails = [];
    this.#started = false;
    await Promise.all(tails.map((tail) => tail.stop()));
    for (const waiter of [...this.#waiters]) waiter.wake();
  }

  #onEntries(index: number, entries: readonly LogEntry<object>[]): void {
    const clusterOf = this.#logs[index]!.clusterOf;
    for (const entry of entries) {
      this.#epoch++;
      this.#changedAt.set(clusterOf(entry.event) ?? '', this.#epoch);
    }
    const last = entries[entries.length - 1];
    if (last !== undefined) this.#processed[index] = last.cursor;
    for (const waiter of [...this.#waiters]) if (waiter.ready()) waiter.wake();
  }

  #caughtUp(latest: readonly (string | undefined)[]): boolean {
    return latest.every((cursor, index) => {
      if (cursor === undefined) return true;
      const processed = this.#processed[index];
      return processed !== undefined && compareCursors(processed, cursor) >= 0;
    });
  }

  async snapshot(): Promise<ChangeEpoch | undefined> {
    if (!this.#started) return undefined;
    let latest: (string | undefined)[];
    try {
      latest = await Promise.all(this.#logs.map((entry) => entry.log.latestCursor()));
    } catch {
      return undefined;
    }
    if (this.#caughtUp(latest)) return this.#epoch;
    const caughtUp = await new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        ready: () => this.#caughtUp(latest),
        wake: () => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(this.#started && this.#caughtUp(latest));
        },
      };
      const timer = setTimeout(waiter.wake, this.#catchUpMs);
      this.#waiters.add(waiter);
    });
    return caughtUp ? this.#epoch : undefined;
  }

  unchangedSince(epoch: ChangeEpoch, clusters: readonly string[] | undefined): boolean {
    if (clusters === undefined) return this.#epoch === epoch;
    if ((this.#changedAt.get('') ?? 0) > epoch) return false;
    return clusters.every((clusterId) => (this.#changedAt.get(clusterId) ?? 0) <= epoch);
  }
}
