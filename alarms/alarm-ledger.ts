/**
 * The alarm ledger: the lifecycle of O2 alarms in the state store, shared by every process that raises, reads,
 * acknowledges or clears them (the cluster subgraphs deriving alarms, and every gateway replica).
 *
 *   raise(condition)  NEW the first time, CHANGE when the severity changes, nothing when it is already so
 *   clear(key)        CLEAR by the source when the condition went away (AUTOMATIC definitions only)
 *   acknowledge(id)   ACKNOWLEDGE (once)        clearManually(id)  CLEAR of a MANUAL definition's alarm
 *   purgeClearedBefore(cutoff)                  retention
 *
 * Identity. An alarm is one occurrence of a condition in a slot — (definition, resource, subject) — and its
 * `alarmEventRecordId` is derived from the slot, the occurrence number and the raise time, so it is the same in
 * every process and after restarts, and a new occurrence after a clear gets a new id. The slot document
 * (collection `alarm-slots`) holds the current occurrence; concurrent raisers race on it with optimistic
 * concurrency and exactly one creates the occurrence.
 *
 * No lost events. Each change is written together with its event into the alarm document's outbox (one
 * atomic write), then the outbox is appended to the alarm event log and emptied. A crash in between leaves the
 * event in the outbox, and `flushPending()` (run periodically by the gateway's monitoring leader) appends it
 * later. The log is therefore at least once: an event can appear twice, always with the same eventId.
 */
import { type StoredRecordKind, UNVERSIONED_TO_V1, withSchemaVersion } from '../state/schema-versions.ts';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { DocumentCollection, EventLog, StateStore, Versioned } from '../state/store.ts';
import { clusterScopedId, globalId } from '../o2/ids.ts';
import { PERCEIVED_SEVERITY, parseStoredAlarm } from './alarm-record.ts';
import type {
  ActiveSeverity,
  AlarmEvent,
  AlarmEventKind,
  AlarmRecord,
  AlarmSource,
  StoredAlarm,
} from './alarm-record.ts';

export const ALARMS_COLLECTION = 'alarms';

/** The stored form of alarm records (record + outbox) and its migrations (state/schema-versions.ts). */
export const ALARM_RECORDS: StoredRecordKind = {
  name: 'alarm',
  collection: ALARMS_COLLECTION,
  migrations: [UNVERSIONED_TO_V1],
};
export const ALARM_SLOTS_COLLECTION = 'alarm-slots';
/** The one global log of alarm changes: the notifier and the GraphQL alarm subscription read it. */
export const ALARM_EVENT_LOG = 'o2-alarms';

/** A condition that should be an active alarm, as a rule or an ingest endpoint sees it. */
export interface AlarmCondition {
  readonly alarmDefinitionId: string;
  readonly alarmCode: string;
  readonly alarmName: string;
  readonly clearingType: 'AUTOMATIC' | 'MANUAL';
  readonly probableCauseId: string;
  readonly resourceTypeId: string;
  readonly resourceId: string;
  readonly clusterId: string | null;
  readonly resourcePoolId: string | null;
  /** Tells apart alarms of one definition on one resource (e.g. two Prometheus alerts on one node). */
  readonly subject?: string;
  readonly source: AlarmSource;
  readonly perceivedSeverity: ActiveSeverity;
  readonly extensions: Readonly<Record<string, unknown>>;
}

/** The slot key of a condition: a UUID, so it is short and safe as a document id in any store. */
export function alarmKeyOf(
  condition: Pick<AlarmCondition, 'alarmDefinitionId' | 'resourceId' | 'subject'>,
): string {
  return globalId(
    'alarmSlot',
    JSON.stringify([condition.alarmDefinitionId, condition.resourceId, condition.subject ?? '']),
  );
}

interface AlarmSlot {
  readonly alarmEventRecordId: string;
  readonly occurrence: number;
  readonly cleared: boolean;
  /** The source last reported the condition present (raise) rather than absent (clear). */
  readonly conditionPresent: boolean;
  /**
   * An operator cleared a MANUAL alarm while its condition persisted: not raised again until the source has
   * seen the condition go away (otherwise every re-evaluation, and every restart, would re-raise it).
   */
  readonly suppressed: boolean;
}

export type AcknowledgeOutcome =
  | { readonly outcome: 'acknowledged' | 'unchanged'; readonly record: AlarmRecord }
  | { readonly outcome: 'not-found' };

export type ManualClearOutcome =
  | { readonly outcome: 'cleared' | 'unchanged'; readonly record: AlarmRecord }
  | { readonly outcome: 'not-manual'; readonly record: AlarmRecord }
  | { readonly outcome: 'not-found' };

export interface AlarmLedgerOptions {
  readonly now?: () => Date;
  readonly newEventId?: () => string;
  /** Entries the alarm event log retains at least; the store's default when absent. */
  readonly logMaxLength?: number;
}

/** Optimistic-concurrency retries before giving up (each retry means another writer won a race). */
const MAX_ATTEMPTS = 32;

export class ContentionError extends Error {
  override readonly name = 'ContentionError';
}

function parseSlot(value: unknown): AlarmSlot | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const slot = value as Partial<AlarmSlot>;
  if (
    typeof slot.alarmEventRecordId !== 'string' ||
    typeof slot.occurrence !== 'number' ||
    typeof slot.cleared !== 'boolean'
  )
    return undefined;
  return {
    alarmEventRecordId: slot.alarmEventRecordId,
    occurrence: slot.occurrence,
    cleared: slot.cleared,
    conditionPresent: slot.conditionPresent !== false,
    suppressed: slot.suppressed === true,
  };
}

/**
 * The id of one occurrence: cluster-scoped (UUID v8 with the cluster's tag, o2/ids.ts) when the alarm
 * belongs to a cluster, so it routes like every other id of that cluster; name-based otherwise.
 */
export function alarmEventRecordIdOf(
  clusterId: string | null,
  alarmKey: string,
  occurrence: number,
  raisedAt: string,
): string {
  const naturalKey = `${alarmKey}/${occurrence}/${raisedAt}`;
  return clusterId === null
    ? globalId('alarmEventRecord', naturalKey)
    : clusterScopedId(clusterId, 'alarmEventRecord', naturalKey);
}

export class AlarmLedger {
  readonly #alarms: DocumentCollection<StoredAlarm>;
  readonly #slots: DocumentCollection<AlarmSlot>;
  readonly #log: EventLog<AlarmEvent>;
  readonly #now: () => Date;
  readonly #newEventId: () => string;

  constructor(store: StateStore, options: AlarmLedgerOptions = {}) {
    this.#alarms = store.collection<StoredAlarm>(ALARMS_COLLECTION);
    this.#slots = store.collection<AlarmSlot>(ALARM_SLOTS_COLLECTION);
    this.#log = store.eventLog<AlarmEvent>(
      ALARM_EVENT_LOG,
      options.logMaxLength === undefined ? {} : { maxLength: options.logMaxLength },
    );
    this.#now = options.now ?? (() => new Date());
    this.#newEventId = options.newEventId ?? randomUUID;
  }

  // ---- reads ------------------------------------------------------------------------------------------

  async get(alarmEventRecordId: string): Promise<AlarmRecord | undefined> {
    const doc = await this.#alarms.get(alarmEventRecordId);
    return doc === undefined ? undefined : parseStoredAlarm(doc)?.record;
  }

  /** Every alarm (active and cleared, until purged), ordered by alarmEventRecordId. */
  async list(): Promise<AlarmRecord[]> {
    const out: AlarmRecord[] = [];
    for (const { doc } of await this.#alarms.list()) {
      const stored = parseStoredAlarm(doc);
      if (stored !== undefined) out.push(stored.record);
    }
    return out;
  }

  // ---- lifecycle --------------------------------------------------------------------------------------

  /**
   * Makes the condition an active alarm: creates a new occurrence (NEW), changes the active one's severity
   * (CHANGE) or does nothing. Resolves to the record, or undefined when an operator's manual clear suppresses it.
   */
  async raise(condition: AlarmCondition): Promise<AlarmRecord | undefined> {
    const key = alarmKeyOf(condition);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const slotDoc = await this.#slots.getVersioned(key);
      const slot = slotDoc === undefined ? undefined : parseSlot(slotDoc.value);
      if (slot !== undefined && slotDoc !== undefined && !slot.cleared) {
        const existing = await this.#alarms.getVersioned(slot.alarmEventRecordId);
        const stored = existing === undefined ? undefined : parseStoredAlarm(existing.value);
        if (existing === undefined || stored === undefined) {
          // The winner of the slot has not written its record yet, or died before it did: write it (once).
          const created = await this.#create(slot, key, condition, this.#now().toISOString());
          if (created !== undefined) return created;
          continue;
        }
        if (stored.record.perceivedSeverity === PERCEIVED_SEVERITY.CLEARED) {
          // Cleared, but the slot was not updated (a crash in between): close it, then open a new occurrence.
          await this.#slots.replaceIfVersion(key, { ...slot, cleared: true }, slotDoc.version);
          continue;
        }
        if (
          !slot.conditionPresent &&
          !(await this.#slots.replaceIfVersion(key, { ...slot, conditionPresent: true }, slotDoc.version))
        )
          continue;
        const updated = await this.#update({ value: stored, version: existing.version }, condition);
        if (updated !== undefined) return updated;
        continue;
      }
      if (slot !== undefined && slotDoc !== undefined && slot.suppressed) {
        if (!slot.conditionPresent) {
          // Suppression lasts while the condition lasts; it went away and came back since: a new occurrence.
          if (!(await this.#slots.replaceIfVersion(key, { ...slot, suppressed: false }, slotDoc.version)))
            continue;
          continue;
        }
        return undefined;
      }
      const raisedAt = this.#now().toISOString();
      const occurrence = (slot?.occurrence ?? 0) + 1;
      const next: AlarmSlot = {
        alarmEventRecordId: alarmEventRecordIdOf(condition.clusterId, key, occurrence, raisedAt),
        occurrence,
        cleared: false,
        conditionPresent: true,
        suppressed: false,
      };
      if (!(await this.#slots.replaceIfVersion(key, next, slotDoc?.version ?? 0))) continue;
      const created = await this.#create(next, key, condition, raisedAt);
      if (created !== undefined) return created;
    }
    throw new ContentionError(
      `raising alarm ${condition.alarmCode} on ${condition.resourceId} lost ${MAX_ATTEMPTS} races`,
    );
  }

  /**
   * The source no longer sees the condition: clears the active occurrence (CLEAR) unless its definition is
   * cleared manually, which stays active until an operator clears it. Resolves to the cleared record, if any.
   */
  async clear(alarmKey: string): Promise<AlarmRecord | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const slotDoc = await this.#slots.getVersioned(alarmKey);
      const slot = slotDoc === undefined ? undefined : parseSlot(slotDoc.value);
      if (slotDoc === undefined || slot === undefined) return undefined;
      if (slot.cleared) {
        if (!slot.conditionPresent) return undefined;
        // Remember that the condition went away: a suppressed MANUAL alarm may be raised again next time.
        if (
          await this.#slots.replaceIfVersion(alarmKey, { ...slot, conditionPresent: false }, slotDoc.version)
        )
          return undefined;
        continue;
      }
      const existing = await this.#alarms.getVersioned(slot.alarmEventRecordId);
      const stored = existing === undefined ? undefined : parseStoredAlarm(existing.value);
      if (existing !== undefined && stored !== undefined && stored.record.clearingType === 'MANUAL') {
        if (!slot.conditionPresent) return undefined;
        if (
          await this.#slots.replaceIfVersion(alarmKey, { ...slot, conditionPresent: false }, slotDoc.version)
        )
          return undefined;
        continue;
      }
      let cleared: AlarmRecord | undefined;
      if (
        existing !== undefined &&
        stored !== undefined &&
        stored.record.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED
      ) {
        cleared = await this.#markCleared({ value: stored, version: existing.version });
        if (cleared === undefined) continue;
      }
      const closed: AlarmSlot = { ...slot, cleared: true, conditionPresent: false, suppressed: false };
      if (!(await this.#slots.replaceIfVersion(alarmKey, closed, slotDoc.version))) continue;
      return cleared ?? stored?.record;
    }
    throw new ContentionError(`clearing alarm slot ${alarmKey} lost ${MAX_ATTEMPTS} races`);
  }

  /** Sets the acknowledgement (ACKNOWLEDGE); acknowledging twice changes nothing. */
  async acknowledge(alarmEventRecordId: string): Promise<AcknowledgeOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.#alarms.getVersioned(alarmEventRecordId);
      const stored = existing === undefined ? undefined : parseStoredAlarm(existing.value);
      if (existing === undefined || stored === undefined) return { outcome: 'not-found' };
      if (stored.record.alarmAcknowledged) return { outcome: 'unchanged', record: stored.record };
      const at = this.#now().toISOString();
      const record: AlarmRecord = {
        ...stored.record,
        alarmAcknowledged: true,
        alarmAcknowledgedTime: at,
        alarmChangedTime: at,
        revision: stored.record.revision + 1,
      };
      if (await this.#write({ value: stored, version: existing.version }, record, 'ACKNOWLEDGE', at))
        return { outcome: 'acknowledged', record };
    }
    throw new ContentionError(`acknowledging alarm ${alarmEventRecordId} lost ${MAX_ATTEMPTS} races`);
  }

  /** An operator clears an alarm whose definition is cleared manually; other alarms answer 'not-manual'. */
  async clearManually(alarmEventRecordId: string): Promise<ManualClearOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.#alarms.getVersioned(alarmEventRecordId);
      const stored = existing === undefined ? undefined : parseStoredAlarm(existing.value);
      if (existing === undefined || stored === undefined) return { outcome: 'not-found' };
      if (stored.record.clearingType !== 'MANUAL') return { outcome: 'not-manual', record: stored.record };
      if (stored.record.perceivedSeverity === PERCEIVED_SEVERITY.CLEARED)
        return { outcome: 'unchanged', record: stored.record };
      const cleared = await this.#markCleared({ value: stored, version: existing.version });
      if (cleared === undefined) continue;
      await this.#closeSlot(cleared);
      return { outcome: 'cleared', record: cleared };
    }
    throw new ContentionError(`clearing alarm ${alarmEventRecordId} lost ${MAX_ATTEMPTS} races`);
  }

  /** Deletes cleared alarms whose clearing happened before `cutoff`; resolves to how many were deleted. */
  async purgeClearedBefore(cutoff: Date): Promise<number> {
    let purged = 0;
    for (const { id, doc } of await this.#alarms.list()) {
      const stored = parseStoredAlarm(doc);
      if (stored === undefined || stored.outbox.length > 0) continue;
      const clearedAt = stored.record.alarmClearedTime;
      if (clearedAt === null || Date.parse(clearedAt) >= cutoff.getTime()) continue;
      // The slot stays: it keeps the occurrence count and a suppression, and is a few dozen bytes.
      if (await this.#alarms.delete(id)) purged++;
    }
    return purged;
  }

  /** Appends the events a crashed writer left in outboxes; resolves to how many alarms had some. */
  async flushPending(): Promise<number> {
    let flushed = 0;
    for (const { id, doc } of await this.#alarms.list()) {
      const stored = parseStoredAlarm(doc);
      if (stored === undefined || stored.outbox.length === 0) continue;
      await this.#flush(id);
      flushed++;
    }
    return flushed;
  }

  // ---- internals --------------------------------------------------------------------------------------

  async #create(
    slot: AlarmSlot,
    alarmKey: string,
    condition: AlarmCondition,
    raisedAt: string,
  ): Promise<AlarmRecord | undefined> {
    const record: AlarmRecord = {
      alarmEventRecordId: slot.alarmEventRecordId,
      alarmKey,
      alarmDefinitionId: condition.alarmDefinitionId,
      probableCauseId: condition.probableCauseId,
      alarmCode: condition.alarmCode,
      alarmName: condition.alarmName,
      clearingType: condition.clearingType,
      resourceTypeId: condition.resourceTypeId,
      resourceId: condition.resourceId,
      clusterId: condition.clusterId,
      resourcePoolId: condition.resourcePoolId,
      source: condition.source,
      perceivedSeverity: condition.perceivedSeverity,
      alarmRaisedTime: raisedAt,
      alarmChangedTime: raisedAt,
      alarmClearedTime: null,
      alarmAcknowledgedTime: null,
      alarmAcknowledged: false,
      extensions: plainJson(condition.extensions),
      revision: 1,
    };
    const doc: StoredAlarm = { record, outbox: [this.#event('NEW', record, raisedAt)] };
    if (!(await this.#alarms.create(record.alarmEventRecordId, withSchemaVersion(ALARM_RECORDS, doc))))
      return undefined;
    await this.#flush(record.alarmEventRecordId);
    return record;
  }

  /** Brings an active occurrence in line with the condition; undefined when another writer won the race. */
  async #update(
    existing: Versioned<StoredAlarm>,
    condition: AlarmCondition,
  ): Promise<AlarmRecord | undefined> {
    const current = existing.value.record;
    const extensions = plainJson(condition.extensions);
    const severityChanged = current.perceivedSeverity !== condition.perceivedSeverity;
    // Unchanged: nothing to write. An outbox left by another writer is that writer's to flush (or the leader's
    // sweep's, if it died): flushing it from every raiser would append the same event once per raiser.
    if (!severityChanged && isDeepStrictEqual(current.extensions, extensions)) return current;
    const at = this.#now().toISOString();
    // Only a severity change is news (CHANGE); details such as the list of crash-looping pods are updated
    // quietly, or a busy node would notify the SMO on every pod event.
    const record: AlarmRecord = {
      ...current,
      perceivedSeverity: condition.perceivedSeverity,
      extensions,
      alarmChangedTime: severityChanged ? at : current.alarmChangedTime,
      revision: current.revision + 1,
    };
    return (await this.#write(existing, record, severityChanged ? 'CHANGE' : undefined, at))
      ? record
      : undefined;
  }

  async #markCleared(existing: Versioned<StoredAlarm>): Promise<AlarmRecord | undefined> {
    const at = this.#now().toISOString();
    const record: AlarmRecord = {
      ...existing.value.record,
      perceivedSeverity: PERCEIVED_SEVERITY.CLEARED,
      alarmClearedTime: at,
      alarmChangedTime: at,
      revision: existing.value.record.revision + 1,
    };
    return (await this.#write(existing, record, 'CLEAR', at)) ? record : undefined;
  }

  /** After a manual clear: the slot closes, and stays suppressed while the source still sees the condition. */
  async #closeSlot(record: AlarmRecord): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const slotDoc = await this.#slots.getVersioned(record.alarmKey);
      const slot = slotDoc === undefined ? undefined : parseSlot(slotDoc.value);
      if (
        slotDoc === undefined ||
        slot === undefined ||
        slot.alarmEventRecordId !== record.alarmEventRecordId ||
        slot.cleared
      )
        return;
      const closed: AlarmSlot = { ...slot, cleared: true, suppressed: slot.conditionPresent };
      if (await this.#slots.replaceIfVersion(record.alarmKey, closed, slotDoc.version)) return;
    }
  }

  /** Writes the record with its event (if any) in the outbox, then flushes; false when the version moved. */
  async #write(
    existing: Versioned<StoredAlarm>,
    record: AlarmRecord,
    kind: AlarmEventKind | undefined,
    at: string,
  ): Promise<boolean> {
    const outbox =
      kind === undefined ? existing.value.outbox : [...existing.value.outbox, this.#event(kind, record, at)];
    if (
      !(await this.#alarms.replaceIfVersion(record.alarmEventRecordId, { record, outbox }, existing.version))
    )
      return false;
    if (outbox.length > 0) await this.#flush(record.alarmEventRecordId);
    return true;
  }

  #event(kind: AlarmEventKind, alarm: AlarmRecord, occurredAt: string): AlarmEvent {
    return { eventId: this.#newEventId(), kind, occurredAt, alarm };
  }

  /** Appends the outbox to the log in order, then removes what was appended (keeping what others added). */
  async #flush(alarmEventRecordId: string): Promise<void> {
    const appended = new Set<string>();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.#alarms.getVersioned(alarmEventRecordId);
      const stored = existing === undefined ? undefined : parseStoredAlarm(existing.value);
      if (existing === undefined || stored === undefined) return;
      for (const event of stored.outbox) {
        if (appended.has(event.eventId)) continue;
        await this.#log.append(event);
        appended.add(event.eventId);
      }
      const outbox = stored.outbox.filter((event) => !appended.has(event.eventId));
      if (outbox.length === stored.outbox.length) return;
      if (
        await this.#alarms.replaceIfVersion(
          alarmEventRecordId,
          { record: stored.record, outbox },
          existing.version,
        )
      )
        return;
    }
  }
}

/** Extensions are stored and compared as JSON (undefined members dropped), like everything in the store. */
function plainJson(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
