/**
 * Delivers ONE subscription's queue, strictly in order, while this replica holds the subscription's lease.
 *
 * Each notification is attempted until a verdict ends it (retry-policy.ts): delivered, or a dead letter after
 * a final status or the retry budget. Only then does the queue position move — written to the store after
 * every notification, so a replica that dies mid-delivery leaves its successor exactly the notification in
 * flight, which it sends again with the same notificationId (and the attempts already made, so the retry
 * budget is not reset by a takeover).
 *
 * The lease is renewed in the background every third of its TTL; a renewal that fails (another replica has
 * the lease, or the store is unreachable for longer than the TTL) stops the worker before its next attempt.
 */
import type { Logger } from 'pino';
import type { InventoryChangeEvent } from '../../common/o2-events.ts';
import type { SubscriptionsConfig } from '../../common/config.ts';
import type { DocumentCollection, EventLog, LogEntry, StateStore } from '../../state/store.ts';
import { compareCursors } from '../../state/store.ts';
import { CallbackRefusedError, checkCallback } from '../callbacks/callback-policy.ts';
import type { CheckedCallback, Resolve } from '../callbacks/callback-policy.ts';
import { sendToCallback } from '../callbacks/callback-request.ts';
import type { CallbackAgents } from '../callbacks/callback-request.ts';
import type { StoredSubscription } from '../subscriptions/repository.ts';
import type { DeadLetters } from './dead-letters.ts';
import type { NotifierMetrics } from './metrics.ts';
import { buildNotification } from './notification.ts';
import type { InventoryChangeNotification } from './notification.ts';
import type { ClientCredentialsTokens } from './oauth2-client.ts';
import { TokenUnavailableError } from './oauth2-client.ts';
import {
  DELIVERY_STATE_COLLECTION,
  RECENT_EVENT_IDS,
  deliveryLeaseName,
  deliveryStateSchema,
  queueLogName,
  queuedNotificationSchema,
} from './queues.ts';
import type { DeadLetterReason, DeliveryState } from './queues.ts';
import { backoffDelay, classifyOutcome } from './retry-policy.ts';
import type { DeliveryVerdict } from './retry-policy.ts';
import { SIGNATURE_HEADER, signatureHeaderValue } from './signature.ts';
import type { NotifierTimers, Wakeup } from './timers.ts';

export interface DeliveryDependencies {
  readonly store: StateStore;
  readonly replicaId: string;
  readonly config: SubscriptionsConfig;
  /** The gateway's public base URL: notifications' objectRef point there. */
  readonly publicUrl: () => string;
  readonly logger: Logger;
  readonly metrics: NotifierMetrics;
  readonly timers: NotifierTimers;
  readonly agents: CallbackAgents;
  readonly deadLetters: DeadLetters;
  readonly resolve: Resolve;
  readonly tokens: ClientCredentialsTokens | undefined;
  /** How long an idle worker waits for a wake-up before looking at its queue again. */
  readonly pollMs: number;
}

export type WorkerExit = 'stopped' | 'released' | 'lease-lost';

/** The callback is re-checked against the policy (DNS may have changed) at most this often. */
const POLICY_RECHECK_MS = 30_000;
const READ_BATCH = 32;
const OVERFLOW_CHECK_MS = 5_000;

class Interrupted extends Error {}

export class DeliveryWorker {
  readonly #deps: DeliveryDependencies;
  readonly #subscription: StoredSubscription;
  readonly #wakeup: Wakeup;
  readonly #queue: EventLog<object>;
  readonly #states: DocumentCollection<DeliveryState>;
  readonly #abort = new AbortController();
  #exit: WorkerExit | undefined;
  #checked: { readonly callback: CheckedCallback; readonly at: number } | undefined;
  #overflowCheckedAt = Number.NEGATIVE_INFINITY;

  constructor(deps: DeliveryDependencies, subscription: StoredSubscription, wakeup: Wakeup) {
    this.#deps = deps;
    this.#subscription = subscription;
    this.#wakeup = wakeup;
    this.#queue = deps.store.eventLog<object>(queueLogName(subscription.subscriptionId), {
      maxLength: deps.config.delivery.queueMaxLength,
    });
    this.#states = deps.store.collection<DeliveryState>(DELIVERY_STATE_COLLECTION);
  }

  get subscriptionId(): string {
    return this.#subscription.subscriptionId;
  }

  /** Ends the worker at the next opportunity (shutdown, or the subscription was deleted). */
  stop(): void {
    this.#end('stopped');
  }

  /** Hands the subscription over: the worker finishes the notification in flight, then ends. */
  release(): void {
    this.#exitWhenIdle ??= 'released';
  }

  #exitWhenIdle: WorkerExit | undefined;

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
        for (const entry of entries) {
          if (this.#exit !== undefined || this.#exitWhenIdle !== undefined) break;
          state = await this.#handle(entry, state);
        }
      }
    } catch (error) {
      if (!(error instanceof Interrupted)) {
        this.#deps.logger.warn(
          { err: error, subscriptionId: this.subscriptionId },
          'notifier: delivery worker failed; it will be restarted',
        );
      }
      this.#end('stopped');
    } finally {
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
    return parsed.success ? (parsed.data as DeliveryState) : { recentEventIds: [] };
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

  async #handle(entry: LogEntry<object>, state: DeliveryState): Promise<DeliveryState> {
    const record = queuedNotificationSchema.safeParse(entry.event);
    if (!record.success) {
      this.#deps.logger.warn(
        { subscriptionId: this.subscriptionId, cursor: entry.cursor },
        'notifier: skipping an invalid queued notification',
      );
      return this.#advance(state, entry.cursor, undefined);
    }
    const event = record.data.event as InventoryChangeEvent;
    // The fan-out re-queues at most the event it was working on when its leader died.
    if (state.recentEventIds.includes(event.eventId)) return this.#advance(state, entry.cursor, undefined);

    const notification = buildNotification(event, this.#subscription, this.#deps.publicUrl());
    let attempts = state.inFlight?.cursor === entry.cursor ? state.inFlight.attempts : 0;
    for (;;) {
      if (this.#exit !== undefined) throw new Interrupted();
      attempts += 1;
      const verdict = await this.#attempt(notification, event.eventId, attempts);
      this.#deps.metrics.attempts.inc({ outcome: verdict.kind });
      if (verdict.kind === 'delivered') {
        this.#deps.metrics.delivered.inc();
        const occurred = Date.parse(event.occurredAt);
        if (!Number.isNaN(occurred))
          this.#deps.metrics.latency.observe(Math.max(0, this.#deps.timers.now() - occurred) / 1000);
        return this.#advance(state, entry.cursor, event.eventId);
      }
      const budgetSpent = attempts >= this.#deps.config.delivery.maxAttempts;
      if (verdict.kind === 'final' || budgetSpent) {
        const reason: DeadLetterReason =
          verdict.kind === 'retry'
            ? 'retry-budget'
            : verdict.reason.startsWith('callback')
              ? 'callback-refused'
              : 'final-status';
        await this.#deadLetter(reason, verdict.reason, attempts, notification, event.eventId);
        return this.#advance(state, entry.cursor, event.eventId);
      }
      state = { ...state, inFlight: { cursor: entry.cursor, attempts } };
      await this.#saveState(state);
      const delay = backoffDelay(
        this.#deps.config.delivery,
        attempts,
        this.#deps.timers.random,
        verdict.retryAfterMs,
      );
      this.#deps.logger.debug(
        { subscriptionId: this.subscriptionId, attempts, reason: verdict.reason, retryInMs: delay },
        'notifier: delivery failed, retrying',
      );
      await this.#deps.timers.sleep(delay, this.#abort.signal);
    }
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
    notification: InventoryChangeNotification,
    eventId: string,
    attempt: number,
  ): Promise<DeliveryVerdict> {
    const { timers, tokens, config, agents } = this.#deps;
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
      'content-type': 'application/json',
      'user-agent': 'netweave-notifier',
      'x-netweave-event-id': eventId,
      'x-netweave-delivery-attempt': String(attempt),
    };
    const secret = config.delivery.signingSecret;
    if (secret !== undefined)
      headers[SIGNATURE_HEADER] = signatureHeaderValue(secret, body, Math.floor(timers.now() / 1000));
    if (tokens !== undefined) {
      try {
        headers['authorization'] = `Bearer ${await tokens.token()}`;
      } catch (error) {
        if (error instanceof TokenUnavailableError) return { kind: 'retry', reason: error.message };
        throw error;
      }
    }
    const outcome = await sendToCallback({
      callback,
      method: 'POST',
      headers,
      body,
      timeoutMs: config.delivery.timeoutMs,
      agents,
    });
    if (tokens !== undefined && outcome.kind === 'response' && outcome.status === 401) {
      // The SMO no longer accepts the token (revoked, rotated keys): fetch a fresh one for the next attempt.
      tokens.invalidate();
      return { kind: 'retry', reason: 'status 401 with the cached token', status: 401 };
    }
    return classifyOutcome(outcome, timers.now());
  }

  async #deadLetter(
    reason: DeadLetterReason,
    detail: string,
    attempts: number,
    notification?: InventoryChangeNotification,
    eventId?: string,
  ): Promise<void> {
    this.#deps.metrics.deadLetter(reason);
    this.#deps.logger.warn(
      {
        subscriptionId: this.subscriptionId,
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
