/**
 * The fan-out stage of the notifier, for any notification channel (channel.ts supplies the log, the
 * subscriptions, event parsing and selection): ONE leader at a time (a lease per channel) reads the channel's
 * event log in order from its stored position and appends, for every subscription that wants the event, a
 * record to that subscription's own queue: a reference to the log entry (its cursor), not a copy of the event
 * (channel-events.ts). Queues decouple subscriptions: a receiver that is down holds up only its own queue, which
 * keeps its notifications (bounded by the queue's length and the log's retention) while the fan-out moves on.
 *
 * Crash safety. The commands of one batch are issued in order on the store's one command connection —
 * appends of event k, then "position = k" (written after every event that queued anything) — and Redis
 * executes them in that order, so a position that was stored implies the appends before it were too. A
 * leader that dies mid-batch therefore leaves a position at most one event behind what it queued: its
 * successor re-queues at most that event, and the delivery stage skips it by eventId.
 *
 * New subscriptions. A subscription records the log cursor at its creation (startCursor) and receives the
 * events after it. The leader re-reads the subscriptions every third of its lease TTL, and at once on a
 * "subscriptions changed" hint; when it first sees one it backfills that subscription's queue from startCursor
 * up to its own position, then marks it attached (a document, so a successor does not backfill again). Events
 * fanned out before it was seen are thereby not missed.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { DocumentCollection, EventLog, LogEntry, StateStore } from '../../state/store.ts';
import { compareCursors } from '../../state/store.ts';
import type { NotifierMetrics } from '../metrics.ts';
import { queueLogName } from '../queues.ts';
import { Wakeup } from '../../common/timers.ts';
import type { Timers } from '../../common/timers.ts';
import { scopedSelector, storeNamesOf } from './channel.ts';
import type { AnyNotificationChannel, ChannelEvent, ChannelSubscription } from './channel.ts';
import type { ChannelEventCache } from './channel-events.ts';

/**
 * One pending notification of one subscription: a reference to the event it reports, by its cursor in the
 * channel's log (channel-events.ts). Versions before references queued a copy (`event` instead of `ref`); the
 * delivery stage reads both.
 */
export interface ChannelQueueRecord {
  readonly eventId: string;
  readonly ref: string;
}

export interface ChannelFanOutOptions {
  readonly store: StateStore;
  readonly channel: AnyNotificationChannel;
  readonly replicaId: string;
  readonly leaseTtlMs: number;
  readonly queueMaxLength: number;
  readonly logger: Logger;
  readonly metrics: NotifierMetrics;
  readonly timers: Timers;
  /** Told which subscriptions got new notifications (local wake-up; other replicas get a pub/sub hint). */
  readonly onQueued: (subscriptionIds: ReadonlySet<string>) => void;
  /** This replica's resolver of queued references: given the events fanned out, so workers need not read them. */
  readonly events?: ChannelEventCache;
}

interface FedSubscription {
  readonly subscription: ChannelSubscription;
  readonly wants: (event: ChannelEvent) => boolean;
}

export interface Position {
  readonly cursor: string;
}

export const POSITION_ID = 'position';
/** Event ids seen recently in the log: an append retried by ioredis can store one event twice. */
const SEEN_EVENT_IDS = 10_000;
const BACKFILL_BATCH = 500;

export class ChannelFanOut {
  readonly #options: ChannelFanOutOptions;
  readonly #lease: string;
  readonly #log: EventLog<object>;
  readonly #state: DocumentCollection<Position>;
  readonly #attached: DocumentCollection<{ readonly attachedAt: string }>;
  readonly #queues = new Map<string, EventLog<ChannelQueueRecord>>();
  readonly #stopping = new AbortController();
  /** Event ids fanned out lately (at-least-once reads repeat some); the oldest are forgotten first. */
  readonly #seen = new LRUCache<string, true>({ max: SEEN_EVENT_IDS });
  readonly #refreshWakeup = new Wakeup();
  #running: Promise<void> | undefined;
  #leader = false;

  constructor(options: ChannelFanOutOptions) {
    const names = storeNamesOf(options.channel);
    this.#options = options;
    this.#lease = names.fanOutLease;
    this.#log = options.store.eventLog<object>(options.channel.eventLog);
    this.#state = options.store.collection<Position>(names.fanOutState);
    this.#attached = options.store.collection(names.fanOutAttached);
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** The set of subscriptions changed: the leader looks at it now rather than at its next refresh. */
  subscriptionsChanged(): void {
    this.#refreshWakeup.wake();
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    const { leaseTtlMs, replicaId, store, timers, logger } = this.#options;
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      let acquired = false;
      try {
        acquired = await store.leases.acquire(this.#lease, replicaId, leaseTtlMs);
      } catch (error) {
        logger.warn(
          { err: error, channel: this.#options.channel.name },
          'notifier fan-out: lease check failed',
        );
      }
      if (acquired) {
        this.#leader = true;
        logger.info({ replicaId, channel: this.#options.channel.name }, 'notifier fan-out: leading');
        try {
          await this.#lead();
        } catch (error) {
          logger.warn(
            { err: error, channel: this.#options.channel.name },
            'notifier fan-out: leadership ended by an error; retrying',
          );
        } finally {
          this.#leader = false;
        }
        if (signal.aborted) await store.leases.release(this.#lease, replicaId).catch(() => undefined);
      }
      await timers.sleep(Math.max(50, Math.floor(leaseTtlMs / 3)), signal);
    }
  }

  /** Runs the fan-out until the lease is lost, a store operation fails, or the notifier stops. */
  async #lead(): Promise<void> {
    const { leaseTtlMs, replicaId, store, timers, logger } = this.#options;
    const leadership = new AbortController();
    const stop = (): void => leadership.abort();
    this.#stopping.signal.addEventListener('abort', stop, { once: true });
    let failure: unknown;
    // Only the events of this leadership count: a batch that failed under the previous one is fanned again.
    this.#seen.clear();

    let position = (await this.#state.get(POSITION_ID))?.cursor;
    if (position === undefined) {
      // The first leader ever starts at "now"; subscriptions created earlier are backfilled from their start.
      position = (await this.#log.latestCursor()) ?? '0';
      await this.#state.put(POSITION_ID, { cursor: position });
    }
    const fed = new Map<string, FedSubscription>();
    const attachedIds = new Set((await this.#attached.list()).map(({ id }) => id));
    let current = position;

    // Batches and idle-time refreshes touch the same state: run them one at a time.
    let chain: Promise<void> = Promise.resolve();
    const exclusive = (work: () => Promise<void>): Promise<void> => {
      const run = chain.then(async () => {
        if (leadership.signal.aborted) return;
        try {
          await work();
        } catch (error) {
          // Stop here; the next leadership resumes from the stored position (at most one event behind).
          failure = error;
          stop();
        }
      });
      chain = run;
      return run;
    };
    await exclusive(() => this.#refresh(fed, attachedIds, current));

    // Renews the lease, and attaches new subscriptions while no events arrive (a subscription created after
    // the last event must still get the events from its creation on, backfilled).
    const renewal = (async () => {
      while (!leadership.signal.aborted) {
        await this.#refreshWakeup.wait(Math.max(50, Math.floor(leaseTtlMs / 3)), timers, leadership.signal);
        if (leadership.signal.aborted) return;
        const held = await store.leases.acquire(this.#lease, replicaId, leaseTtlMs).catch(() => false);
        if (!held) {
          logger.warn({ replicaId, channel: this.#options.channel.name }, 'notifier fan-out: lease lost');
          stop();
          return;
        }
        await exclusive(() => this.#refresh(fed, attachedIds, current));
      }
    })();

    // Subscriptions are re-read by the loop above, not per batch: one attached late is backfilled up to the
    // position at which it was attached, so no event between its creation and that moment is missed.
    const tail = this.#log.tail(position, (entries) =>
      exclusive(async () => {
        current = await this.#fan(entries, fed, current);
      }),
    );
    await new Promise<void>((resolve) => {
      if (leadership.signal.aborted) resolve();
      else leadership.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    this.#stopping.signal.removeEventListener('abort', stop);
    await tail.stop();
    await renewal;
    if (failure !== undefined) throw failure;
  }

  /** Brings the fed subscriptions up to date, backfilling new ones up to `position`. */
  async #refresh(
    fed: Map<string, FedSubscription>,
    attachedIds: Set<string>,
    position: string,
  ): Promise<void> {
    const { channel, store } = this.#options;
    const subscriptions = await channel.listSubscriptions(store);
    const present = new Set(subscriptions.map((s) => s.subscriptionId));
    for (const id of [...fed.keys()]) {
      if (present.has(id)) continue;
      fed.delete(id);
      this.#queues.delete(id);
    }
    for (const id of [...attachedIds]) {
      if (present.has(id)) continue;
      attachedIds.delete(id);
      await this.#attached.delete(id);
    }
    for (const subscription of subscriptions) {
      const known = fed.get(subscription.subscriptionId);
      if (known !== undefined && known.subscription.filter === subscription.filter) continue;
      const entry: FedSubscription = { subscription, wants: scopedSelector(channel, subscription) };
      if (!attachedIds.has(subscription.subscriptionId)) {
        await this.#backfill(entry, position);
        await this.#attached.put(subscription.subscriptionId, { attachedAt: position });
        attachedIds.add(subscription.subscriptionId);
      }
      fed.set(subscription.subscriptionId, entry);
    }
  }

  #queue(subscriptionId: string): EventLog<ChannelQueueRecord> {
    let queue = this.#queues.get(subscriptionId);
    if (queue === undefined) {
      queue = this.#options.store.eventLog<ChannelQueueRecord>(queueLogName(subscriptionId), {
        maxLength: this.#options.queueMaxLength,
      });
      this.#queues.set(subscriptionId, queue);
    }
    return queue;
  }

  #wanted(entry: FedSubscription, cursor: string, event: ChannelEvent): boolean {
    if (compareCursors(cursor, entry.subscription.startCursor) <= 0) return false;
    return entry.wants(event);
  }

  async #backfill(entry: FedSubscription, position: string): Promise<void> {
    const { subscription } = entry;
    if (compareCursors(subscription.startCursor, position) >= 0) return;
    const oldest = await this.#log.oldestCursor();
    if (
      oldest !== undefined &&
      subscription.startCursor !== '0' &&
      compareCursors(oldest, subscription.startCursor) > 0
    ) {
      this.#options.logger.warn(
        { subscriptionId: subscription.subscriptionId, channel: this.#options.channel.name },
        'notifier fan-out: events since the subscription was created left the log before it was attached',
      );
    }
    // A predecessor that died while backfilling left part of it in the queue: not queued twice.
    const queue = this.#queue(subscription.subscriptionId);
    const present = new Set(
      (await queue.read(undefined, this.#options.queueMaxLength)).map(
        ({ event }) => (event as Partial<ChannelQueueRecord>).eventId,
      ),
    );
    let after = subscription.startCursor;
    let queued = 0;
    for (;;) {
      const batch = await this.#log.read(after, BACKFILL_BATCH);
      for (const { cursor, event } of batch) {
        if (compareCursors(cursor, position) > 0) break;
        const parsed = this.#options.channel.parseEvent(event);
        if (parsed !== undefined && !present.has(parsed.eventId) && this.#wanted(entry, cursor, parsed)) {
          await queue.append({ eventId: parsed.eventId, ref: cursor });
          queued += 1;
        }
      }
      const last = batch.at(-1)?.cursor;
      if (last === undefined || compareCursors(last, position) >= 0) break;
      after = last;
    }
    if (queued > 0) {
      this.#options.metrics.fannedOut.inc(queued);
      this.#options.onQueued(new Set([subscription.subscriptionId]));
    }
  }

  /** Queues one batch; returns the new position. Throws when any store command failed. */
  async #fan(
    entries: readonly LogEntry<object>[],
    fed: ReadonlyMap<string, FedSubscription>,
    position: string,
  ): Promise<string> {
    const commands: Array<{ readonly index: number; readonly done: Promise<unknown> }> = [];
    const queuedFor = new Set<string>();
    let queued = 0;
    entries.forEach(({ cursor, event: raw }, index) => {
      const event = this.#options.channel.parseEvent(raw);
      if (event === undefined) {
        this.#options.logger.warn(
          { cursor, channel: this.#options.channel.name },
          'notifier fan-out: skipping an invalid event',
        );
        return;
      }
      if (this.#seen.has(event.eventId)) return;
      this.#remember(event.eventId);
      this.#options.events?.remember(cursor, event);
      let any = false;
      for (const [subscriptionId, entry] of fed) {
        if (!this.#wanted(entry, cursor, event)) continue;
        commands.push({
          index,
          done: this.#queue(subscriptionId).append({ eventId: event.eventId, ref: cursor }),
        });
        queuedFor.add(subscriptionId);
        queued += 1;
        any = true;
      }
      if (any) commands.push({ index, done: this.#state.put(POSITION_ID, { cursor }) });
    });
    const last = entries.at(-1)!.cursor;
    commands.push({ index: entries.length - 1, done: this.#state.put(POSITION_ID, { cursor: last }) });

    const results = await Promise.allSettled(commands.map((c) => c.done));
    const failedAt = commands.find((_, i) => results[i]!.status === 'rejected')?.index;
    if (failedAt !== undefined) {
      // A later position may have been stored past the failed append: move it back before that event.
      const before = failedAt === 0 ? position : entries[failedAt - 1]!.cursor;
      await this.#state.put(POSITION_ID, { cursor: before });
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      throw rejected?.reason ?? new Error('fan-out command failed');
    }
    if (queued > 0) {
      this.#options.metrics.fannedOut.inc(queued);
      this.#options.onQueued(queuedFor);
    }
    return last;
  }

  #remember(eventId: string): void {
    this.#seen.set(eventId, true);
  }
}
