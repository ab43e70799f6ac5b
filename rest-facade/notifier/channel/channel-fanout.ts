/**
 * The fan-out stage for any notification channel (the design of rest-facade/notifier/fanout.ts, with the
 * channel supplying log, subscriptions, parsing and selection): ONE leader at a time (a lease per channel)
 * reads the channel's event log in order from its stored position and appends, for every subscription that
 * wants the event, a record to that subscription's own queue.
 *
 * Crash safety: the commands of one batch are issued in order on the store's one command connection — the
 * appends of event k, then "position = k" — so a stored position implies the appends before it; a successor
 * re-queues at most the event the dead leader was on, and the delivery stage skips it by eventId.
 *
 * New subscriptions are backfilled from their startCursor up to the leader's position when it first sees
 * them, then marked attached (a document, so a successor does not backfill again).
 */
import type { Logger } from 'pino';
import type { DocumentCollection, EventLog, LogEntry, StateStore } from '../../../state/store.ts';
import { compareCursors } from '../../../state/store.ts';
import type { NotifierMetrics } from '../metrics.ts';
import { queueLogName } from '../queues.ts';
import type { NotifierTimers } from '../timers.ts';
import { fanOutAttachedCollection, fanOutLeaseName, fanOutStateCollection } from './channel.ts';
import type { AnyNotificationChannel, ChannelEvent, ChannelSubscription } from './channel.ts';

/** One pending notification of one subscription: the event it reports (validated again when read). */
export interface ChannelQueueRecord {
  readonly eventId: string;
  readonly event: unknown;
}

export interface ChannelFanOutOptions {
  readonly store: StateStore;
  readonly channel: AnyNotificationChannel;
  readonly replicaId: string;
  readonly leaseTtlMs: number;
  readonly queueMaxLength: number;
  readonly logger: Logger;
  readonly metrics: NotifierMetrics;
  readonly timers: NotifierTimers;
  readonly onQueued: (subscriptionIds: ReadonlySet<string>) => void;
}

interface FedSubscription {
  readonly subscription: ChannelSubscription;
  readonly wants: (event: ChannelEvent) => boolean;
}

interface Position {
  readonly cursor: string;
}

const POSITION_ID = 'position';
/** Event ids seen recently in the log: a retried append can store one event twice. */
const SEEN_EVENT_IDS = 10_000;
const BACKFILL_BATCH = 500;

export class ChannelFanOut {
  readonly #options: ChannelFanOutOptions;
  readonly #log: EventLog<object>;
  readonly #state: DocumentCollection<Position>;
  readonly #attached: DocumentCollection<{ readonly attachedAt: string }>;
  readonly #queues = new Map<string, EventLog<ChannelQueueRecord>>();
  readonly #stopping = new AbortController();
  readonly #seen = new Set<string>();
  #running: Promise<void> | undefined;
  #leader = false;

  constructor(options: ChannelFanOutOptions) {
    this.#options = options;
    this.#log = options.store.eventLog<object>(options.channel.eventLog);
    this.#state = options.store.collection<Position>(fanOutStateCollection(options.channel));
    this.#attached = options.store.collection(fanOutAttachedCollection(options.channel));
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    const { leaseTtlMs, replicaId, store, timers, logger, channel } = this.#options;
    const signal = this.#stopping.signal;
    const lease = fanOutLeaseName(channel);
    while (!signal.aborted) {
      let acquired = false;
      try {
        acquired = await store.leases.acquire(lease, replicaId, leaseTtlMs);
      } catch (error) {
        logger.warn({ err: error, channel: channel.name }, 'notifier fan-out: lease check failed');
      }
      if (acquired) {
        this.#leader = true;
        logger.info({ replicaId, channel: channel.name }, 'notifier fan-out: leading');
        try {
          await this.#lead(lease);
        } catch (error) {
          logger.warn({ err: error, channel: channel.name }, 'notifier fan-out: leadership ended by an error; retrying');
        } finally {
          this.#leader = false;
        }
        if (signal.aborted) await store.leases.release(lease, replicaId).catch(() => undefined);
      }
      await timers.sleep(Math.max(50, Math.floor(leaseTtlMs / 3)), signal);
    }
  }

  async #lead(lease: string): Promise<void> {
    const { leaseTtlMs, replicaId, store, timers, logger, channel } = this.#options;
    const leadership = new AbortController();
    const stop = (): void => leadership.abort();
    this.#stopping.signal.addEventListener('abort', stop, { once: true });
    let failure: unknown;
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

    const renewal = (async () => {
      while (!leadership.signal.aborted) {
        await timers.sleep(Math.max(50, Math.floor(leaseTtlMs / 3)), leadership.signal);
        if (leadership.signal.aborted) return;
        const held = await store.leases.acquire(lease, replicaId, leaseTtlMs).catch(() => false);
        if (!held) {
          logger.warn({ replicaId, channel: channel.name }, 'notifier fan-out: lease lost');
          stop();
        }
      }
    })();

    // Subscriptions are attached (and backfilled) before the first live batch, not only when one arrives.
    try {
      await this.#refresh(fed, attachedIds, current);
    } catch (error) {
      failure = error;
      stop();
    }
    const tail = this.#log.tail(position, async (entries) => {
      if (leadership.signal.aborted) return;
      try {
        await this.#refresh(fed, attachedIds, current);
        current = await this.#fan(entries, fed, current);
      } catch (error) {
        failure = error;
        stop();
      }
    });
    await new Promise<void>((resolve) => {
      if (leadership.signal.aborted) resolve();
      else leadership.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    this.#stopping.signal.removeEventListener('abort', stop);
    await tail.stop();
    await renewal;
    if (failure !== undefined) throw failure;
  }

  async #refresh(fed: Map<string, FedSubscription>, attachedIds: Set<string>, position: string): Promise<void> {
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
      const entry: FedSubscription = { subscription, wants: channel.selector(subscription) };
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
      queue = this.#options.store.eventLog<ChannelQueueRecord>(queueLogName(subscriptionId), { maxLength: this.#options.queueMaxLength });
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
    const { channel, logger } = this.#options;
    if (compareCursors(subscription.startCursor, position) >= 0) return;
    const oldest = await this.#log.oldestCursor();
    if (oldest !== undefined && subscription.startCursor !== '0' && compareCursors(oldest, subscription.startCursor) > 0) {
      logger.warn(
        { subscriptionId: subscription.subscriptionId, channel: channel.name },
        'notifier fan-out: events since the subscription was created left the log before it was attached',
      );
    }
    let after = subscription.startCursor;
    let queued = 0;
    for (;;) {
      const batch = await this.#log.read(after, BACKFILL_BATCH);
      for (const { cursor, event: raw } of batch) {
        if (compareCursors(cursor, position) > 0) break;
        const event = channel.parseEvent(raw);
        if (event !== undefined && this.#wanted(entry, cursor, event)) {
          await this.#queue(subscription.subscriptionId).append({ eventId: event.eventId, event });
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
  async #fan(entries: readonly LogEntry<object>[], fed: ReadonlyMap<string, FedSubscription>, position: string): Promise<string> {
    const { channel, logger } = this.#options;
    const commands: Array<{ readonly index: number; readonly done: Promise<unknown> }> = [];
    const queuedFor = new Set<string>();
    let queued = 0;
    entries.forEach(({ cursor, event: raw }, index) => {
      const event = channel.parseEvent(raw);
      if (event === undefined) {
        logger.warn({ cursor, channel: channel.name }, 'notifier fan-out: skipping an invalid event');
        return;
      }
      if (this.#seen.has(event.eventId)) return;
      this.#remember(event.eventId);
      let any = false;
      for (const [subscriptionId, entry] of fed) {
        if (!this.#wanted(entry, cursor, event)) continue;
        commands.push({ index, done: this.#queue(subscriptionId).append({ eventId: event.eventId, event }) });
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
    this.#seen.add(eventId);
    if (this.#seen.size > SEEN_EVENT_IDS) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
  }
}
