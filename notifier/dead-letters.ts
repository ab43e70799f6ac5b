/**
 * Dead letters: notifications the notifier gave up on, per subscription, readable and replayable by operators
 * (admin role; rest-facade/dead-letters-api.ts):
 *
 *   GET  /netweave/v1/subscriptions/{subscriptionId}/dead-letters
 *   POST /netweave/v1/subscriptions/{subscriptionId}/dead-letters/{deadLetterId}/replay
 *   POST /netweave/v1/subscriptions/{subscriptionId}/dead-letters/replay          (every replayable one)
 *
 * and counted in `netweave_notifications_dead_lettered_total`. A dead letter's id is its cursor in the
 * subscription's dead-letter log. They are bounded in number (the last DEAD_LETTERS_RETAINED) and in age
 * (`subscriptions.delivery.deadLetterRetentionMs`). A replay appends the stored notification — same
 * notificationId, same body — to the END of the subscription's queue, behind what is pending, and marks the
 * letter replayed (it leaves the list); the delivery stage then treats it as any notification, so one that
 * fails again becomes a new dead letter.
 */
import type { StateStore } from '../state/store.ts';
import {
  DEAD_LETTERS_RETAINED,
  deadLetterLogName,
  deadLetterSchema,
  queueLogName,
  REPLAYED_DEAD_LETTERS_COLLECTION,
} from './queues.ts';
import type { DeadLetter } from './queues.ts';

/** A dead letter as operators see it: the record and its id. */
export type ListedDeadLetter = { readonly deadLetterId: string } & DeadLetter;

export interface DeadLetterOptions {
  /** Older dead letters are dropped (and no longer listed). */
  readonly retentionMs?: number;
  /** Wall clock in ms (tests inject one). */
  readonly now?: () => number;
  /** The queue's bound (`subscriptions.delivery.queueMaxLength`), used when a replay appends to it. */
  readonly queueMaxLength?: number;
}

export type ReplayOutcome = 'replayed' | 'not-found' | 'not-replayable';

interface Replayed {
  readonly deadLetterIds: readonly string[];
}

export class DeadLetters {
  readonly #store: StateStore;
  readonly #retentionMs: number;
  readonly #now: () => number;
  readonly #queueMaxLength: number | undefined;

  constructor(store: StateStore, options: DeadLetterOptions = {}) {
    this.#store = store;
    this.#retentionMs = options.retentionMs ?? Number.POSITIVE_INFINITY;
    this.#now = options.now ?? Date.now;
    this.#queueMaxLength = options.queueMaxLength;
  }

  #log(subscriptionId: string) {
    return this.#store.eventLog<object>(deadLetterLogName(subscriptionId), {
      maxLength: DEAD_LETTERS_RETAINED,
    });
  }

  async record(letter: DeadLetter): Promise<void> {
    await this.#log(letter.subscriptionId).append(letter);
    await this.#expire(letter.subscriptionId);
  }

  /** Oldest first, without expired or replayed ones; records that do not validate are skipped. */
  async list(subscriptionId: string): Promise<ListedDeadLetter[]> {
    const [entries, replayed] = await Promise.all([
      this.#log(subscriptionId).read(undefined, DEAD_LETTERS_RETAINED),
      this.#replayed(subscriptionId),
    ]);
    const cutoff = this.#now() - this.#retentionMs;
    const out: ListedDeadLetter[] = [];
    for (const { cursor, event } of entries) {
      const parsed = deadLetterSchema.safeParse(event);
      if (!parsed.success || replayed.has(cursor)) continue;
      if (Date.parse(parsed.data.failedAt) < cutoff) continue;
      out.push({ deadLetterId: cursor, ...(parsed.data as DeadLetter) });
    }
    return out;
  }

  /**
   * Re-queues one dead letter (`deadLetterId`) or, without one, every replayable letter of the subscription in
   * their order. Returns the outcome per letter asked for.
   */
  async replay(
    subscriptionId: string,
    deadLetterId?: string,
  ): Promise<{ readonly outcome: ReplayOutcome; readonly replayed: readonly string[] }> {
    const letters = await this.list(subscriptionId);
    const chosen =
      deadLetterId === undefined ? letters : letters.filter((l) => l.deadLetterId === deadLetterId);
    if (deadLetterId !== undefined && chosen.length === 0) return { outcome: 'not-found', replayed: [] };
    const replayable = chosen.filter((l) => l.notification !== undefined && l.eventId !== undefined);
    if (deadLetterId !== undefined && replayable.length === 0)
      return { outcome: 'not-replayable', replayed: [] };
    const queue = this.#store.eventLog<object>(
      queueLogName(subscriptionId),
      this.#queueMaxLength === undefined ? {} : { maxLength: this.#queueMaxLength },
    );
    const done: string[] = [];
    for (const letter of replayable) {
      // Marked first: a crash in between loses nothing an operator cannot see and replay again only if it
      // was not queued; marking after could queue it twice on a retried request.
      await this.#markReplayed(subscriptionId, letter.deadLetterId);
      await queue.append({
        eventId: letter.eventId!,
        replay: { deadLetterId: letter.deadLetterId, notification: letter.notification },
      });
      done.push(letter.deadLetterId);
    }
    return { outcome: 'replayed', replayed: done };
  }

  async clear(subscriptionId: string): Promise<void> {
    await this.#store.eventLog<object>(deadLetterLogName(subscriptionId)).trim(0);
    await this.#store.collection(REPLAYED_DEAD_LETTERS_COLLECTION).delete(subscriptionId);
  }

  async #replayed(subscriptionId: string): Promise<Set<string>> {
    const doc = await this.#store.collection<Replayed>(REPLAYED_DEAD_LETTERS_COLLECTION).get(subscriptionId);
    return new Set(Array.isArray(doc?.deadLetterIds) ? doc.deadLetterIds : []);
  }

  async #markReplayed(subscriptionId: string, deadLetterId: string): Promise<void> {
    const replayed = await this.#replayed(subscriptionId);
    replayed.add(deadLetterId);
    // Bounded like the letters themselves: older ids than the retained letters no longer matter.
    const ids = [...replayed].slice(-DEAD_LETTERS_RETAINED);
    await this.#store
      .collection<Replayed>(REPLAYED_DEAD_LETTERS_COLLECTION)
      .put(subscriptionId, { deadLetterIds: ids });
  }

  /** Drops the letters older than the retention (they are in time order: the oldest come first). */
  async #expire(subscriptionId: string): Promise<void> {
    if (!Number.isFinite(this.#retentionMs)) return;
    const log = this.#log(subscriptionId);
    const entries = await log.read(undefined, DEAD_LETTERS_RETAINED);
    const cutoff = this.#now() - this.#retentionMs;
    const firstKept = entries.findIndex((e) => {
      const failedAt = (e.event as { failedAt?: unknown }).failedAt;
      return !(typeof failedAt === 'string' && Date.parse(failedAt) < cutoff);
    });
    const expired = firstKept === -1 ? entries.length : firstKept;
    if (expired > 0) await log.trim(entries.length - expired);
  }
}
