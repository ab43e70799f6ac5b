/**
 * Subscriptions of one kind (inventory, alarms) in the state store: they survive restarts and are shared by
 * every replica.
 *
 * Duplicate detection uses a unique index entry on (tenant, callback, filter): two subscriptions of one tenant
 * that would send the same notifications to the same receiver are one too many, and another tenant's
 * subscription must not even be hinted at. The index entry is claimed before the document is written and
 * released after it is deleted; a stale entry left by a crash in between is recognised (its subscription does
 * not exist) and taken over.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DocumentCollection, StateStore } from '../../state/store.ts';
import { type StoredRecordKind, UNVERSIONED_TO_V1, withSchemaVersion } from '../../state/schema-versions.ts';

/** The stored form of the subscriptions of one collection and its migrations (state/schema-versions.ts). */
export function subscriptionRecords(collection: string): StoredRecordKind {
  return { name: `subscription (${collection})`, collection, migrations: [UNVERSIONED_TO_V1] };
}

const DUPLICATE_INDEX = 'callback-filter';

/**
 * The clusters/namespaces the creator of a subscription could see (common/tenancy.ts `storedScopeOf`); absent:
 * every cluster (operators, unscoped tenants, subscriptions written before tenant scoping). The notifier's
 * fan-out only queues events of clusters in it (notifier/channel/channel-fanout.ts).
 */
export const storedScopeSchema = z
  .object({
    clusters: z.array(z.string()).optional(),
    namespaces: z.array(z.string()).optional(),
  })
  .strict()
  .optional();

/** What every stored subscription has. */
export interface SubscriptionRecord {
  readonly subscriptionId: string;
  readonly callback: string;
  readonly filter?: string | undefined;
  readonly tenant: string;
}

export type CreateOutcome =
  { readonly created: true } | { readonly created: false; readonly duplicateOf: string };

export interface SubscriptionCollectionOptions<T> {
  /** Document collection of the subscriptions. */
  readonly collection: string;
  /** Hint to the notifiers of every replica that the set changed (they also re-read periodically). */
  readonly changedChannel: string;
  /** The event log the subscriptions are notified from (a new subscription starts at its end). */
  readonly eventLog: string;
  readonly schema: z.ZodType<T>;
}

function duplicateKey(subscription: Pick<SubscriptionRecord, 'tenant' | 'callback' | 'filter'>): string {
  return createHash('sha256')
    .update(`${subscription.tenant}\n${subscription.callback}\n${subscription.filter ?? ''}`)
    .digest('hex');
}

export class SubscriptionCollection<T extends SubscriptionRecord> {
  readonly #documents: DocumentCollection<T>;

  constructor(
    private readonly store: StateStore,
    private readonly options: SubscriptionCollectionOptions<T>,
  ) {
    this.#documents = store.collection<T>(options.collection);
  }

  /** The cursor a subscription created now starts after. */
  async currentCursor(): Promise<string> {
    return (await this.store.eventLog<object>(this.options.eventLog).latestCursor()) ?? '0';
  }

  async create(subscription: T): Promise<CreateOutcome> {
    const key = duplicateKey(subscription);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.#documents.createIndexEntry(DUPLICATE_INDEX, key, subscription.subscriptionId)) {
        const stored = withSchemaVersion(subscriptionRecords(this.options.collection), subscription);
        if (!(await this.#documents.create(subscription.subscriptionId, stored))) {
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
    subscription: Pick<SubscriptionRecord, 'tenant' | 'callback' | 'filter'>,
  ): Promise<string | undefined> {
    const holder = await this.#documents.lookupIndex(DUPLICATE_INDEX, duplicateKey(subscription));
    return holder !== undefined && (await this.#documents.get(holder)) !== undefined ? holder : undefined;
  }

  async get(subscriptionId: string): Promise<T | undefined> {
    const doc = await this.#documents.get(subscriptionId);
    return doc === undefined ? undefined : this.#parse(doc);
  }

  /** Every valid subscription, ordered by id; documents that do not validate are skipped. */
  async list(): Promise<T[]> {
    const out: T[] = [];
    for (const { doc } of await this.#documents.list()) {
      const parsed = this.#parse(doc);
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

  #parse(doc: unknown): T | undefined {
    const parsed = this.options.schema.safeParse(doc);
    return parsed.success ? parsed.data : undefined;
  }

  async #announce(): Promise<void> {
    // A hint only: notifiers re-read the collection periodically, so a lost message delays, never loses.
    await this.store.publish(this.options.changedChannel, 'changed').catch(() => undefined);
  }
}
