/**
 * The delivery stage of the notifier, for any notification channel (the channel supplies subscriptions, event
 * parsing and the notification body):
 *
 * - a scheduler spreads the channel's subscriptions over the replicas: one lease per subscription; every replica
 *   heartbeats, and a subscription's preferred replica is the live one with the highest rendezvous hash, so a
 *   replica joining or leaving moves only its share. A free lease is taken by its preferred replica at the next
 *   scan, and by anyone once it has stayed free for two scans; a held subscription whose preferred replica is
 *   another live one is handed over after its notification in flight. A dead replica's leases expire after
 *   `leaseTtlMs` and the others take its subscriptions over;
 * - a worker delivers ONE subscription's queue strictly in order: each notification is attempted until a
 *   verdict ends it (retry-policy.ts) — delivered, or a dead letter after a final status or the retry budget —
 *   and only then does the stored queue position move, so a successor resends exactly the notification in
 *   flight, with the same notificationId and the attempts already made.
 */
import { injectTraceContext, inSpan, SpanKind } from '../../common/tracing.ts';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { SubscriptionsConfig } from '../../common/config.ts';
import type { DocumentCollection, EventLog, LogEntry, StateStore } from '../../state/store.ts';
import { compareCursors } from '../../state/store.ts';
import { CallbackRefusedError, checkCallback } from '../callbacks/callback-policy.ts';
import type { CheckedCallback, Resolve } from '../callbacks/callback-policy.ts';
import { sendToCallback } from '../callbacks/callback-request.ts';
import type { CallbackAgents } from '../callbacks/callback-request.ts';
import type { DeadLetters } from '../dead-letters.ts';
import type { NotifierMetrics } from '../metrics.ts';
import { ClientCredentialsTokens, TokenUnavailableError } from '../oauth2-client.ts';
import {
  DELIVERY_STATE_COLLECTION,
  RECENT_EVENT_IDS,
  deliveryLeaseName,
  deliveryStateSchema,
  queueLogName,
} from '../queues.ts';
import type { DeadLetterReason, DeliveryState } from '../queues.ts';
import { retryDelay, classifyOutcome } from '../retry-policy.ts';
import type { DeliveryVerdict } from '../retry-policy.ts';
import { SIGNATURE_HEADER, signatureHeaderValue } from '../signature.ts';
import { Wakeup } from '../../common/timers.ts';
import type { Timers } from '../../common/timers.ts';
import { storeNamesOf } from './channel.ts';
import type { ChannelEventCache } from './channel-events.ts';
import type {
  AnyNotificationChannel,
  ChannelDelivery,
  ChannelEvent,
  ChannelNotification,
  ChannelSubscription,
} from './channel.ts';

export interface ChannelDeliveryDependencies {
  readonly store: StateStore;
  readonly channel: AnyNotificationChannel;
  readonly replicaId: string;
  readonly config: SubscriptionsConfig;
  readonly publicUrl: () => string;
  readonly logger: Logger;
  readonly metrics: NotifierMetrics;
  readonly timers: Timers;
  readonly agents: CallbackAgents;
  readonly deadLetters: DeadLetters;
  readonly resolve: Resolve;
  readonly tokens: ClientCredentialsTokens | undefined;
  readonly pollMs: number;
  /** Told when a subscription starts or stops failing (failingAfterMs): the gateway raises an alarm. */
  readonly onFailing?: (report: SubscriptionFailingReport) => Promise<void>;
  /** Resolves the queues' references to the channel's events (shared by the replica's workers). */
  readonly events: ChannelEventCache;
}

/** A subscription whose receiver keeps failing (`failing: true`), or that recovered (`failing: false`). */
export interface SubscriptionFailingReport {
  readonly subscriptionId: string;
  readonly channel: string;
  readonly callback: string;
  readonly failing: boolean;
  readonly since?: string;
  readonly attempts?: number;
  readonly reason?: string;
}

type WorkerExit = 'stopped' | 'released' | 'lease-lost';

/** The callback is re-checked against the policy (DNS may have changed) at most this often. */
const POLICY_RECHECK_MS = 30_000;
const OVERFLOW_CHECK_MS = 5_000;
const READ_BATCH = 32;

class Interrupted extends Error {}

/** A notification to send, built from a queue record. */
interface QueueItem {
  readonly notification: ChannelNotification;
  readonly eventId: string;
  readonly occurredAt?: string;
  readonly replay: boolean;
}

type QueueRecord =
  | { readonly kind: 'ref'; readonly eventId: string; readonly cursor: string }
  /** Queued by versions before references (channel-fanout.ts ChannelQueueRecord). */
  | { readonly kind: 'event'; readonly eventId: string; readonly event: unknown }
  | { readonly kind: 'replay'; readonly eventId: string; readonly notification: ChannelNotification };

function queueRecordOf(value: unknown): QueueRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as { eventId?: unknown; event?: unknown; ref?: unknown; replay?: unknown };
  if (typeof record.eventId !== 'string') return undefined;
  if (typeof record.ref === 'string') return { kind: 'ref', eventId: record.eventId, cursor: record.ref };
  if (record.replay === undefined) return { kind: 'event', eventId: record.eventId, event: record.event };
  const replay = record.replay as { notification?: unknown } | null;
  const notification = replay?.notification as { notificationId?: unknown } | null | undefined;
  return typeof notification === 'object' &&
    notification !== null &&
    typeof notification.notificationId === 'string'
    ? { kind: 'replay', eventId: record.eventId, notification: notification as ChannelNotification }
    : undefined;
}

class ChannelDeliveryWorker {
  readonly #deps: ChannelDeliveryDependencies;
  readonly #subscription: ChannelSubscription;
  readonly #wakeup: Wakeup;
  readonly #queue: EventLog<object>;
  readonly #states: DocumentCollection<DeliveryState>;
  readonly #abort = new AbortController();
  #exit: WorkerExit | undefined;
  #exitWhenIdle: WorkerExit | undefined;
  #checked: { readonly callback: CheckedCallback; readonly at: number } | undefined;
  #overflowCheckedAt = Number.NEGATIVE_INFINITY;
  /** When the notification in flight started failing, once reported as failing (failingAfterMs). */
  #failingSince: number | undefined;
  #inheritedFailing = false;
  /** The channel's per-subscription headers and credentials (none for most channels). */
  readonly #delivery: ChannelDelivery;
  /** The subscription's own OAuth2 client, or the notifier's; undefined with BASIC or no authentication. */
  readonly #tokens: ClientCredentialsTokens | undefined;

  constructor(deps: ChannelDeliveryDependencies, subscription: ChannelSubscription, wakeup: Wakeup) {
    this.#deps = deps;
    this.#subscription = subscription;
    this.#delivery = deps.channel.deliveryOf?.(subscription) ?? {};
    const authentication = this.#delivery.authentication;
    this.#tokens =
      authentication === undefined
        ? deps.tokens
        : authentication.kind === 'oauth2-client-credentials'
          ? new ClientCredentialsTokens(authentication.client)
          : undefined;
    this.#wakeup = wakeup;
    this.#queue = deps.store.eventLog<object>(queueLogName(subscription.subscriptionId), {
      maxLength: deps.config.delivery.queueMaxLength,
    });
    this.#states = deps.store.collection<DeliveryState>(DELIVERY_STATE_COLLECTION);
  }

  get subscriptionId(): string {
    return this.#subscription.subscriptionId;
  }

  stop(): void {
    this.#end('stopped');
  }

  release(): void {
    this.#exitWhenIdle ??= 'released';
  }

  #end(exit: WorkerExit): void {
    this.#exit ??= exit;
    this.#abort.abort();
  }

  async run(): Promise<WorkerExit> {
    const renewal = this.#renewLease();
    try {
      let state = await this.#loadState();
      while (this.#exit === undefined && this.#exitWhenIdle === undefined) {
        state = await this.#dropOverflow(state);
        const entries = await this.#queue.read(state.cursor, READ_BATCH);
        if (entries.length === 0) {
          await this.#wakeup.wait(this.#deps.pollMs, this.#deps.timers, this.#abort.signal);
          continue;
        }
        // The batch's references are resolved together: misses go to the store at once (one round trip).
        const items = await Promise.all(entries.map((entry) => this.#notificationOf(entry)));
        for (const [index, entry] of entries.entries()) {
          if (this.#exit !== undefined || this.#exitWhenIdle !== undefined) break;
          state = await this.#handle(entry, items[index], state);
        }
        // A short batch was the whole queue when it was read: whatever was queued since has woken this worker
        // (the fan-out's local wake-up or the pub/sub hint, latched by Wakeup; the poll if a hint was lost), so
        // wait for that rather than asking the store again: one read per notification instead of two.
        if (entries.length < READ_BATCH)
          await this.#wakeup.wait(this.#deps.pollMs, this.#deps.timers, this.#abort.signal);
      }
    } catch (error) {
      if (!(error instanceof Interrupted)) {
        this.#deps.logger.warn(
          { err: error, subscriptionId: this.subscriptionId, channel: this.#deps.channel.name },
          'notifier: delivery worker failed; it will be restarted',
        );
      }
      this.#end('stopped');
    } finally {
      // This replica no longer delivers it: its gauge counts only what it delivers (a successor re-reports).
      if (this.#failingSince !== undefined) this.#deps.metrics.failing.dec();
      this.#failingSince = undefined;
      this.#end(this.#exitWhenIdle ?? 'stopped');
      await renewal;
    }
    return this.#exit ?? 'stopped';
  }

  async #renewLease(): Promise<void> {
    const { store, replicaId, config, timers } = this.#deps;
    const ttl = config.delivery.leaseTtlMs;
    while (!this.#abort.signal.aborted) {
      await timers.sleep(Math.floor(ttl / 3), this.#abort.signal);
      if (this.#abort.signal.aborted) return;
      const held = await store.leases
        .acquire(deliveryLeaseName(this.subscriptionId), replicaId, ttl)
        .catch(() => false);
      if (!held) {
        this.#deps.logger.warn(
          { subscriptionId: this.subscriptionId, replicaId },
          'notifier: delivery lease lost',
        );
        this.#end('lease-lost');
      }
    }
  }

  async #loadState(): Promise<DeliveryState> {
    const parsed = deliveryStateSchema.safeParse(await this.#states.get(this.subscriptionId));
    const state = parsed.success ? (parsed.data as DeliveryState) : { recentEventIds: [] };
    const since = state.inFlight?.firstFailedAt;
    // Taken over from a replica that may have reported it failing: its recovery must be reported here.
    this.#inheritedFailing =
      since !== undefined && this.#deps.timers.now() - since >= this.#deps.config.delivery.failingAfterMs;
    return state;
  }

  async #saveState(state: DeliveryState): Promise<void> {
    await this.#states.put(this.subscriptionId, state);
  }

  /**
   * A queue that overflowed (its receiver was down longer than the queue holds) has lost its oldest
   * notifications: that is recorded as one dead letter, and delivery continues with what is left.
   */
  async #dropOverflow(state: DeliveryState): Promise<DeliveryState> {
    // Overflow only happens to a receiver that has been failing for long: looking every few seconds is enough,
    // and spares a store round trip per batch.
    const now = this.#deps.timers.now();
    if (state.cursor === undefined || now - this.#overflowCheckedAt < OVERFLOW_CHECK_MS) return state;
    this.#overflowCheckedAt = now;
    const oldest = await this.#queue.oldestCursor();
    if (oldest === undefined || compareCursors(oldest, state.cursor) <= 0) return state;
    const max = this.#deps.config.delivery.queueMaxLength;
    await this.#deadLetter(
      'queue-overflow',
      `the queue held more than ${max} notifications; notifications after ${state.cursor} and before ${oldest} were dropped`,
      0,
    );
    const next: DeliveryState = { recentEventIds: state.recentEventIds };
    await this.#saveState(next);
    return next;
  }

  /**
   * The notification a queue record stands for: built from the event it refers to (or, from older versions,
   * carries), or a replayed dead letter's own; `gone` when the event has left the channel's log.
   */
  async #notificationOf(entry: LogEntry<object>): Promise<QueueItem | 'gone' | undefined> {
    const record = queueRecordOf(entry.event);
    if (record === undefined) return undefined;
    if (record.kind === 'replay')
      return { notification: record.notification, eventId: record.eventId, replay: true };
    let event: ChannelEvent | undefined;
    if (record.kind === 'ref') {
      const resolved = await this.#deps.events.resolve(record.cursor);
      if (resolved.kind === 'gone') return 'gone';
      event = resolved.kind === 'event' ? resolved.event : undefined;
    } else {
      event = this.#deps.channel.parseEvent(record.event);
    }
    if (event === undefined) return undefined;
    return {
      notification: this.#deps.channel.buildNotification(event, this.#subscription, this.#deps.publicUrl()),
      eventId: event.eventId,
      occurredAt: event.occurredAt,
      replay: false,
    };
  }

  async #handle(
    entry: LogEntry<object>,
    item: QueueItem | 'gone' | undefined,
    state: DeliveryState,
  ): Promise<DeliveryState> {
    const { channel, config, timers, metrics } = this.#deps;
    if (item === 'gone') {
      // Like a full queue's dropped notifications: recorded, not replayable (there is nothing left to send).
      const eventId = queueRecordOf(entry.event)?.eventId;
      await this.#deadLetter(
        'queue-overflow',
        `event ${eventId ?? '?'} left the channel's event log (its retention) before it was delivered`,
        0,
        undefined,
        eventId,
      );
      return this.#advance(state, entry.cursor, undefined);
    }
    if (item === undefined) {
      this.#deps.logger.warn(
        { subscriptionId: this.subscriptionId, cursor: entry.cursor, channel: channel.name },
        'notifier: skipping an invalid queued notification',
      );
      return this.#advance(state, entry.cursor, undefined);
    }
    const { notification, eventId } = item;
    // A replay is asked for by an operator: it is sent even when the same event was delivered lately.
    if (!item.replay && state.recentEventIds.includes(eventId))
      return this.#advance(state, entry.cursor, undefined);

    const resumed = state.inFlight?.cursor === entry.cursor ? state.inFlight : undefined;
    let attempts = resumed?.attempts ?? 0;
    let firstFailedAt = resumed?.firstFailedAt;
    for (;;) {
      if (this.#exit !== undefined) throw new Interrupted();
      attempts += 1;
      const verdict = await this.#attempt(notification, eventId, attempts);
      metrics.attempts.inc({ outcome: verdict.kind });
      if (verdict.kind === 'delivered') {
        metrics.delivered.inc();
        const occurred = item.occurredAt === undefined ? Number.NaN : Date.parse(item.occurredAt);
        if (!Number.isNaN(occurred)) metrics.latency.observe(Math.max(0, timers.now() - occurred) / 1000);
        this.#recovered();
        return this.#advance(state, entry.cursor, eventId);
      }
      const now = timers.now();
      firstFailedAt ??= now;
      // The retry budget is a period (hours by default), optionally also a number of attempts.
      const budgetSpent =
        now - firstFailedAt >= config.delivery.retryForMs ||
        (config.delivery.maxAttempts !== undefined && attempts >= config.delivery.maxAttempts);
      if (verdict.kind === 'final' || budgetSpent) {
        const reason: DeadLetterReason =
          verdict.kind === 'retry'
            ? 'retry-budget'
            : verdict.reason.startsWith('callback')
              ? 'callback-refused'
              : 'final-status';
        await this.#deadLetter(reason, verdict.reason, attempts, notification, eventId);
        this.#recovered();
        return this.#advance(state, entry.cursor, eventId);
      }
      if (now - firstFailedAt >= config.delivery.failingAfterMs)
        this.#failing(verdict.reason, firstFailedAt, attempts);
      state = { ...state, inFlight: { cursor: entry.cursor, attempts, firstFailedAt } };
      await this.#saveState(state);
      const delay = Math.min(
        retryDelay(config.delivery, attempts, timers.random, verdict.retryAfterMs),
        // The last attempt happens when the budget ends, not up to a backoff later.
        Math.max(0, firstFailedAt + config.delivery.retryForMs - now),
      );
      this.#deps.logger.debug(
        { subscriptionId: this.subscriptionId, attempts, reason: verdict.reason, retryInMs: delay },
        'notifier: delivery failed, retrying',
      );
      await timers.sleep(delay, this.#abort.signal);
    }
  }

  /** Reported once per episode: metric, warning, and the channel's optional hook (an alarm). */
  #failing(reason: string, since: number, attempts: number): void {
    if (this.#failingSince !== undefined) return;
    this.#failingSince = since;
    this.#deps.metrics.failing.inc();
    const report = {
      subscriptionId: this.subscriptionId,
      channel: this.#deps.channel.name,
      callback: this.#subscription.callback,
      since: new Date(since).toISOString(),
      attempts,
      reason,
    };
    this.#deps.logger.warn(
      report,
      'notifier: subscription failing: its receiver keeps refusing notifications',
    );
    void this.#deps.onFailing?.({ ...report, failing: true }).catch(() => undefined);
  }

  #recovered(): void {
    if (this.#failingSince === undefined && !this.#inheritedFailing) return;
    if (this.#failingSince !== undefined) this.#deps.metrics.failing.dec();
    this.#failingSince = undefined;
    this.#inheritedFailing = false;
    this.#deps.logger.info(
      { subscriptionId: this.subscriptionId, channel: this.#deps.channel.name },
      'notifier: subscription no longer failing',
    );
    void this.#deps
      .onFailing?.({
        subscriptionId: this.subscriptionId,
        channel: this.#deps.channel.name,
        callback: this.#subscription.callback,
        failing: false,
      })
      .catch(() => undefined);
  }

  async #advance(state: DeliveryState, cursor: string, eventId: string | undefined): Promise<DeliveryState> {
    const recent =
      eventId === undefined
        ? state.recentEventIds
        : [...state.recentEventIds, eventId].slice(-RECENT_EVENT_IDS);
    const next: DeliveryState = { cursor, recentEventIds: recent };
    await this.#saveState(next);
    return next;
  }

  async #callback(): Promise<CheckedCallback> {
    const now = this.#deps.timers.now();
    if (this.#checked === undefined || now - this.#checked.at > POLICY_RECHECK_MS) {
      this.#checked = {
        callback: await checkCallback(
          this.#subscription.callback,
          this.#deps.config.callbacks,
          this.#deps.resolve,
        ),
        at: now,
      };
    }
    return this.#checked.callback;
  }

  async #attempt(
    notification: ChannelNotification,
    eventId: string,
    attempt: number,
  ): Promise<DeliveryVerdict> {
    const { timers, config, agents } = this.#deps;
    const tokens = this.#tokens;
    let callback: CheckedCallback;
    try {
      callback = await this.#callback();
    } catch (error) {
      if (error instanceof CallbackRefusedError)
        return { kind: 'final', reason: `callback refused: ${error.message}` };
      throw error;
    }
    const body = JSON.stringify(notification);
    const headers: Record<string, string> = {
      ...this.#delivery.headers,
      'content-type': 'application/json',
      'user-agent': 'netweave-notifier',
      'x-netweave-event-id': eventId,
      'x-netweave-delivery-attempt': String(attempt),
    };
    const secret = config.delivery.signingSecret;
    if (secret !== undefined)
      headers[SIGNATURE_HEADER] = signatureHeaderValue(secret, body, Math.floor(timers.now() / 1000));
    const authentication = this.#delivery.authentication;
    if (authentication?.kind === 'basic') {
      const credentials = `${authentication.userName}:${authentication.password}`;
      headers['authorization'] = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    } else if (tokens !== undefined) {
      try {
        headers['authorization'] = `Bearer ${await tokens.token()}`;
      } catch (error) {
        if (error instanceof TokenUnavailableError) return { kind: 'retry', reason: error.message };
        throw error;
      }
    }
    // One span per attempt; the receiver gets its traceparent (W3C Trace Context) with the notification.
    const outcome = await inSpan(
      `notify ${this.#deps.channel.name}`,
      SpanKind.CLIENT,
      {
        'netweave.channel': this.#deps.channel.name,
        'netweave.subscription_id': this.subscriptionId,
        'netweave.delivery_attempt': attempt,
      },
      async (span) => {
        injectTraceContext(headers);
        const sent = await sendToCallback({
          callback,
          method: 'POST',
          headers,
          body,
          timeoutMs: config.delivery.timeoutMs,
          agents,
        });
        if (sent.kind === 'response') span.setAttribute('http.response.status_code', sent.status);
        return sent;
      },
    );
    if (tokens !== undefined && outcome.kind === 'response' && outcome.status === 401) {
      tokens.invalidate();
      return { kind: 'retry', reason: 'status 401 with the cached token', status: 401 };
    }
    return classifyOutcome(outcome, timers.now());
  }

  async #deadLetter(
    reason: DeadLetterReason,
    detail: string,
    attempts: number,
    notification?: ChannelNotification,
    eventId?: string,
  ): Promise<void> {
    this.#deps.metrics.deadLetter(reason);
    this.#deps.logger.warn(
      {
        subscriptionId: this.subscriptionId,
        channel: this.#deps.channel.name,
        reason,
        detail,
        attempts,
        notificationId: notification?.notificationId,
      },
      'notifier: notification dead-lettered',
    );
    await this.#deps.deadLetters.record({
      subscriptionId: this.subscriptionId,
      reason,
      detail,
      attempts,
      failedAt: new Date(this.#deps.timers.now()).toISOString(),
      ...(notification === undefined
        ? {}
        : { notificationId: notification.notificationId, notification: { ...notification } }),
      ...(eventId === undefined ? {} : { eventId }),
    });
  }
}

// ---- scheduling --------------------------------------------------------------------------------------------

export interface ChannelDeliverySchedulerOptions extends ChannelDeliveryDependencies {
  readonly scanIntervalMs: number;
}

interface RunningWorker {
  readonly worker: ChannelDeliveryWorker;
  readonly wakeup: Wakeup;
  readonly done: Promise<void>;
}

function rendezvous(replicaId: string, subscriptionId: string): string {
  return createHash('sha1').update(`${replicaId}\u0000${subscriptionId}`).digest('hex');
}

/** The live replica that should deliver a subscription (highest rendezvous hash). */
export function preferredReplica(liveReplicas: readonly string[], subscriptionId: string): string {
  return liveReplicas.reduce((best, replica) =>
    rendezvous(replica, subscriptionId) > rendezvous(best, subscriptionId) ? replica : best,
  );
}

export class ChannelDeliveryScheduler {
  readonly #options: ChannelDeliverySchedulerOptions;
  readonly #replicas: DocumentCollection<{ readonly heartbeatAt: number }>;
  readonly #workers = new Map<string, RunningWorker>();
  readonly #freeBefore = new Set<string>();
  readonly #stopping = new AbortController();
  readonly #scanWakeup = new Wakeup();
  #running: Promise<void> | undefined;

  constructor(options: ChannelDeliverySchedulerOptions) {
    this.#options = options;
    this.#replicas = options.store.collection(storeNamesOf(options.channel).replicas);
  }

  get held(): readonly string[] {
    return [...this.#workers.keys()];
  }

  start(): void {
    this.#running ??= this.#run();
  }

  wake(subscriptionIds?: ReadonlySet<string>): void {
    for (const [id, running] of this.#workers)
      if (subscriptionIds === undefined || subscriptionIds.has(id)) running.wakeup.wake();
  }

  rescan(): void {
    this.#scanWakeup.wake();
  }

  /**
   * Stops scanning and then the workers. With a grace period (graceful shutdown), each worker first finishes
   * the notification it is delivering and hands its subscription over (lease released, so another replica
   * takes it at once); workers still busy when the grace period ends are stopped, and their notification is
   * sent again by the next owner (at least once).
   */
  async stop(graceMs = 0): Promise<void> {
    this.#stopping.abort();
    await this.#running;
    if (graceMs > 0 && this.#workers.size > 0) {
      for (const { worker, wakeup } of this.#workers.values()) {
        worker.release();
        wakeup.wake();
      }
      const handedOver = Promise.all([...this.#workers.values()].map((w) => w.done));
      const ended = new AbortController();
      await Promise.race([handedOver, this.#options.timers.sleep(graceMs, ended.signal)]);
      ended.abort();
    }
    for (const { worker } of this.#workers.values()) worker.stop();
    await Promise.all([...this.#workers.values()].map((w) => w.done));
    await this.#replicas.delete(this.#options.replicaId).catch(() => undefined);
  }

  async #run(): Promise<void> {
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      try {
        await this.#scan();
      } catch (error) {
        this.#options.logger.warn(
          { err: error, channel: this.#options.channel.name },
          'notifier: delivery scan failed',
        );
      }
      await this.#scanWakeup.wait(this.#options.scanIntervalMs, this.#options.timers, signal);
    }
  }

  async #liveReplicas(): Promise<string[]> {
    const { replicaId, timers, scanIntervalMs, config } = this.#options;
    const now = timers.now();
    await this.#replicas.put(replicaId, { heartbeatAt: now });
    const staleAfter = Math.max(3 * scanIntervalMs, config.delivery.leaseTtlMs);
    const live: string[] = [];
    for (const { id, doc } of await this.#replicas.list()) {
      const age = now - doc.heartbeatAt;
      if (age <= staleAfter) live.push(id);
      else if (age > 20 * staleAfter) await this.#replicas.delete(id);
    }
    if (!live.includes(replicaId)) live.push(replicaId);
    return live;
  }

  async #scan(): Promise<void> {
    const { store, replicaId, config, channel } = this.#options;
    const live = await this.#liveReplicas();
    const subscriptions = await channel.listSubscriptions(store);
    const present = new Set(subscriptions.map((s) => s.subscriptionId));
    for (const [id, running] of this.#workers) {
      if (!present.has(id)) {
        running.worker.stop();
        await running.done;
        await this.#cleanUp(id);
      }
    }
    for (const subscription of subscriptions) {
      const id = subscription.subscriptionId;
      const preferred = preferredReplica(live, id);
      const running = this.#workers.get(id);
      if (running !== undefined) {
        if (preferred !== replicaId) running.worker.release();
        continue;
      }
      const free = (await store.leases.holder(deliveryLeaseName(id))) === undefined;
      if (!free) {
        this.#freeBefore.delete(id);
        continue;
      }
      if (preferred !== replicaId && !this.#freeBefore.has(id)) {
        this.#freeBefore.add(id);
        continue;
      }
      this.#freeBefore.delete(id);
      if (await store.leases.acquire(deliveryLeaseName(id), replicaId, config.delivery.leaseTtlMs))
        this.#startWorker(subscription);
    }
  }

  #startWorker(subscription: ChannelSubscription): void {
    const id = subscription.subscriptionId;
    const wakeup = new Wakeup();
    const worker = new ChannelDeliveryWorker(this.#options, subscription, wakeup);
    const done = (async () => {
      const exit = await worker.run();
      this.#workers.delete(id);
      if (exit !== 'lease-lost')
        await this.#options.store.leases
          .release(deliveryLeaseName(id), this.#options.replicaId)
          .catch(() => undefined);
      // A worker that ended unexpectedly is restarted by the next scan; a handed-over one by its new owner.
      if (exit === 'released')
        this.#options.logger.debug({ subscriptionId: id }, 'notifier: subscription handed over');
    })();
    this.#workers.set(id, { worker, wakeup, done });
  }

  /** A deleted subscription's queue and delivery state go with it (its dead letters too). */
  async #cleanUp(subscriptionId: string): Promise<void> {
    const { store, config, deadLetters } = this.#options;
    await store
      .eventLog<object>(queueLogName(subscriptionId), { maxLength: config.delivery.queueMaxLength })
      .trim(0);
    await store.collection(DELIVERY_STATE_COLLECTION).delete(subscriptionId);
    await deadLetters.clear(subscriptionId);
  }
}
