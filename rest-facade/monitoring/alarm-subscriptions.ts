/**
 * O2 alarm subscriptions in the state store (they survive restarts and are shared by every replica), the O2
 * AlarmSubscriptionInfo view of them, and validation of a POST body. The rules are those of inventory
 * subscriptions (rest-facade/subscriptions): the same callback policy, probe, duplicate detection on
 * (callback, filter) with a configurable 400/409, and tenant visibility.
 *
 * Stored with `subscriptionId` (the notifier's name for it); the API calls it `alarmSubscriptionId`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { compileAlarmSubscriptionFilter } from '../../common/alarm-event-filter.ts';
import { parseSubscriptionBody } from '../subscriptions/request-body.ts';
import { ALARM_EVENT_LOG } from '../../common/alarm-ledger.ts';
import type { AuthContext } from '../../common/auth.ts';
import type { AttributeSchema, SelectorSpec } from '../../common/sol013/index.ts';
import type { DocumentCollection, StateStore } from '../../state/store.ts';

export const ALARM_SUBSCRIPTIONS_COLLECTION = 'o2-alarm-subscriptions';
/** Hint to the notifiers of every replica that alarm subscriptions changed (they also re-read periodically). */
export const ALARM_SUBSCRIPTIONS_CHANGED_CHANNEL = 'o2-alarm-subscriptions-changed';
const DUPLICATE_INDEX = 'callback-filter';

export const storedAlarmSubscriptionSchema = z.object({
  subscriptionId: z.string().uuid(),
  callback: z.string().url(),
  consumerSubscriptionId: z.string().optional(),
  filter: z.string().optional(),
  /** Cursor of the alarm event log just before creation ('0' when empty): later events are notified. */
  startCursor: z.string(),
  tenant: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type StoredAlarmSubscription = z.infer<typeof storedAlarmSubscriptionSchema>;

export type CreateOutcome =
  { readonly created: true } | { readonly created: false; readonly duplicateOf: string };

function duplicateKey(callback: string, filter: string | undefined): string {
  return createHash('sha256')
    .update(`${callback}\n${filter ?? ''}`)
    .digest('hex');
}

function parseStored(doc: unknown): StoredAlarmSubscription | undefined {
  const parsed = storedAlarmSubscriptionSchema.safeParse(doc);
  return parsed.success ? parsed.data : undefined;
}

export class AlarmSubscriptionRepository {
  readonly #documents: DocumentCollection<StoredAlarmSubscription>;

  constructor(private readonly store: StateStore) {
    this.#documents = store.collection<StoredAlarmSubscription>(ALARM_SUBSCRIPTIONS_COLLECTION);
  }

  /** The cursor a subscription created now starts after. */
  async currentCursor(): Promise<string> {
    return (await this.store.eventLog<object>(ALARM_EVENT_LOG).latestCursor()) ?? '0';
  }

  /**
   * The duplicate index entry is claimed before the document is written and released after it is deleted;
   * an entry a crash left without its subscription is recognised and taken over.
   */
  async create(subscription: StoredAlarmSubscription): Promise<CreateOutcome> {
    const key = duplicateKey(subscription.callback, subscription.filter);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.#documents.createIndexEntry(DUPLICATE_INDEX, key, subscription.subscriptionId)) {
        if (!(await this.#documents.create(subscription.subscriptionId, subscription)))
          throw new Error('subscription id collision');
        await this.#announce();
        return { created: true };
      }
      const holder = await this.#documents.lookupIndex(DUPLICATE_INDEX, key);
      if (holder === undefined) continue;
      if ((await this.#documents.get(holder)) !== undefined) return { created: false, duplicateOf: holder };
      await this.#documents.deleteIndexEntry(DUPLICATE_INDEX, key);
    }
    throw new Error('could not claim the duplicate index entry');
  }

  async get(subscriptionId: string): Promise<StoredAlarmSubscription | undefined> {
    const doc = await this.#documents.get(subscriptionId);
    return doc === undefined ? undefined : parseStored(doc);
  }

  /** Every valid subscription, ordered by id; documents that do not validate are skipped. */
  async list(): Promise<StoredAlarmSubscription[]> {
    const out: StoredAlarmSubscription[] = [];
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
    const key = duplicateKey(existing.callback, existing.filter);
    if ((await this.#documents.lookupIndex(DUPLICATE_INDEX, key)) === subscriptionId)
      await this.#documents.deleteIndexEntry(DUPLICATE_INDEX, key);
    if (deleted) await this.#announce();
    return deleted;
  }

  async #announce(): Promise<void> {
    // A hint only: notifiers re-read the collection periodically, so a lost message delays, never loses.
    await this.store.publish(ALARM_SUBSCRIPTIONS_CHANGED_CHANNEL, 'changed').catch(() => undefined);
  }
}

// ---- the O2 view ------------------------------------------------------------------------------------------

export interface O2AlarmSubscription {
  readonly alarmSubscriptionId: string;
  readonly callback: string;
  readonly consumerSubscriptionId?: string;
  readonly filter?: string;
}

export function toO2AlarmSubscription(stored: StoredAlarmSubscription): O2AlarmSubscription {
  return {
    alarmSubscriptionId: stored.subscriptionId,
    callback: stored.callback,
    ...(stored.consumerSubscriptionId === undefined
      ? {}
      : { consumerSubscriptionId: stored.consumerSubscriptionId }),
    ...(stored.filter === undefined ? {} : { filter: stored.filter }),
  };
}

export const ALARM_SUBSCRIPTION_SCHEMA = {
  alarmSubscriptionId: 'uuid',
  callback: 'string',
  consumerSubscriptionId: 'uuid',
  filter: 'string',
} as const satisfies AttributeSchema;

export const ALARM_SUBSCRIPTION_SELECTORS: SelectorSpec = {
  schema: ALARM_SUBSCRIPTION_SCHEMA,
  defaultExcluded: [],
  mandatory: ['alarmSubscriptionId', 'callback'],
};

/** Tenant isolation: a subscription exists only for its own tenant and for operators (`*`). */
export function visibleTo(auth: AuthContext, stored: StoredAlarmSubscription): boolean {
  return auth.tenant.name === '*' || auth.tenant.name === stored.tenant;
}

// ---- the POST body -----------------------------------------------------------------------------------------

export interface AlarmSubscriptionRequest {
  readonly callback: string;
  readonly consumerSubscriptionId?: string;
  /** Absent when the client sent none or an empty one (both mean "report every event"). */
  readonly filter?: string;
}

/** The inventory subscription body rules (rest-facade/subscriptions), with the alarm filter and names. */
export function parseAlarmSubscriptionBody(
  contentType: string | undefined,
  raw: Buffer,
  options: { readonly rejectUnknownFields: boolean },
): AlarmSubscriptionRequest {
  return parseSubscriptionBody(contentType, raw, {
    rejectUnknownFields: options.rejectUnknownFields,
    compileFilter: compileAlarmSubscriptionFilter,
    objectName: 'AlarmSubscriptionInfo',
    assignedIdMembers: ['alarmSubscriptionId', 'subscriptionId'],
  });
}
