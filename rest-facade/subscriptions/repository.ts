/**
 * O2 inventory subscriptions in the state store (they survive restarts and are shared by every replica).
 *
 * Duplicate detection uses a unique index entry on (callback, filter): two subscriptions that would send the
 * same notifications to the same receiver are one too many. The index entry is claimed before the document is
 * written and released after it is deleted; a stale entry left by a crash in between is recognised (its
 * subscription does not exist) and taken over.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { INVENTORY_EVENT_LOG } from '../../common/o2-events.ts';
import type { DocumentCollection, StateStore } from '../../state/store.ts';

export const SUBSCRIPTIONS_COLLECTION = 'o2-inventory-subscriptions';
/** Hint to the notifiers of every replica that the set of subscriptions changed (they also re-read periodically). */
export const SUBSCRIPTIONS_CHANGED_CHANNEL = 'o2-inventory-subscriptions-changed';
const DUPLICATE_INDEX = 'callback-filter';

export const API_VERSIONS = ['v1', 'v2'] as const;
export type SubscriptionApiVersion = (typeof API_VERSIONS)[number];

export const storedSubscriptionSchema = z.object({
  subscriptionId: z.string().uuid(),
  callback: z.string().url(),
  consumerSubscriptionId: z.string().optional(),
  filter: z.string().optional(),
  /** The API version it was created under: notifications point their objectRef into that version. */
  apiVersion: z.enum(API_VERSIONS),
  /**
   * Cursor of the global event log just before the subscription was created ('0' when the log was empty):
   * events after it are notified, events before it are not.
   */
  startCursor: z.string(),
  tenant: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export type StoredSubscription = z.infer<typeof storedSubscriptionSchema>;

export type CreateOutcome =
  { readonly created: true } | { readonly created: false; readonly duplicateOf: string };

/** Duplicates are judged within a tenant: another tenant's subscription must not even be hinted at. */
function duplicateKey(subscription: Pick<StoredSubscription, 'tenant' | 'callback' | 'filter'>): string {
  return createHash('sha256')
    .update(`${subscription.tenant}\n${subscription.callback}\n${subscription.filter ?? ''}`)
    .digest('hex');
}

export class SubscriptionRepository {
  readonly #documents: DocumentCollection<StoredSubscription>;

  constructor(private readonly store: StateStore) {
    this.#documents = store.collection<StoredSubscription>(SUBSCRIPTIONS_COLLECTION);
  }

  /** The cursor a subscription created now starts after. */
  async currentCursor(): Promise<string> {
    return (await this.store.eventLog<object>(INVENTORY_EVENT_LOG).latestCursor()) ?? '0';
  }

  async create(subscription: StoredSubscription): Promise<CreateOutcome> {
    const key = duplicateKey(subscription);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.#documents.createIndexEntry(DUPLICATE_INDEX, key, subscription.subscriptionId)) {
        if (!(await this.#documents.create(subscription.subscriptionId, subscription))) {
          throw new Error('subscription id collision');
        }
        await this.#announce();
        return { created: true };
      }
      const holder = await this.#documents.lookupIndex(DUPLICATE_INDEX, key);
      if (holder === undefined) continue; // released meanwhile: claim again
      if ((await this.#documents.get(holder)) !== undefined) return { created: false, duplicateOf: holder };
      // A crash left the entry behind without its subscription.
      await this.#documents.deleteIndexEntry(DUPLICATE_INDEX, key);
    }
    throw new Error('could not claim the duplicate index entry');
  }

  /** The id of an existing subscription this one would duplicate (checked again, atomically, by create). */
  async duplicateOf(
    subscription: Pick<StoredSubscription, 'tenant' | 'callback' | 'filter'>,
  ): Promise<string | undefined> {
    const holder = await this.#documents.lookupIndex(DUPLICATE_INDEX, duplicateKey(subscription));
    return holder !== undefined && (await this.#documents.get(holder)) !== undefined ? holder : undefined;
  }

  async get(subscriptionId: string): Promise<StoredSubscription | undefined> {
    const doc = await this.#documents.get(subscriptionId);
    return doc === undefined ? undefined : parseStored(doc);
  }

  /** Every valid subscription, ordered by id; documents that do not validate are skipped. */
  async list(): Promise<StoredSubscription[]> {
    const out: StoredSubscription[] = [];
    for (const { doc } of await this.#documents.list()) {
      const parsed = parseStored(doc);
      if (parsed !== undefined) out.push(parsed);
    }
    return out;
  }

  async delete(subscriptionId: string): Promise<boolean> {
    const existing = await this.#documents.get(subscriptionId);
    if (existing === undefined) return false;
    const deleted = await this.#documents.delete(subscriptionId);
    const key = duplicateKey(existing);
    if ((await this.#documents.lookupIndex(DUPLICATE_INDEX, key)) === subscriptionId) {
      await this.#documents.deleteIndexEntry(DUPLICATE_INDEX, key);
    }
    if (deleted) await this.#announce();
    return deleted;
  }

  async #announce(): Promise<void> {
    // A hint only: notifiers re-read the collection periodically, so a lost message delays, never loses.
    await this.store.publish(SUBSCRIPTIONS_CHANGED_CHANNEL, 'changed').catch(() => undefined);
  }
}

function parseStored(doc: unknown): StoredSubscription | undefined {
  const parsed = storedSubscriptionSchema.safeParse(doc);
  return parsed.success ? parsed.data : undefined;
}
