/**
 * The DMS event log (`dms-lcm-events` in the state store): one entry per VNF instance creation and deletion
 * and per state an LCM operation occurrence enters. It is the single source of the SOL003 LCM notifications
 * (webhooks, dms/notifications/lcm-channel.ts) and of the graph's `lcmEvents` subscription, as the
 * inventory event log is for inventory changes: both read the same entries by cursor, so a webhook receiver
 * and a graphql-ws subscriber see the same events in the same order.
 *
 * Writers: the lifecycle ledger (dms/lifecycle/ledger.ts) after every occurrence transition, and the
 * lifecycle service after an instance is created or deleted and after an occurrence is claimed (STARTING).
 * An event is appended AFTER the record it reports was written (a reader never gets an event for a record
 * that does not exist yet); a crash between the two loses that one event (the record itself is right).
 *
 * eventIds are derived from what they report (instance id, occurrence id, attempt, state, time), so a
 * double append after a lost Redis reply carries one id twice and consumers deduplicate by it.
 */
import { z } from 'zod';
import { uuidV5 } from '../../o2/ids.ts';
import type { LogEntry, StateStore } from '../../state/store.ts';
import { LCM_OPERATION_STATES, type OccurrenceRecord, type VnfInstanceRecord } from '../lifecycle/records.ts';

export const LCM_EVENT_LOG = 'dms-lcm-events';
/** Retained entries: the window a subscriber may resume from (older cursors are reported as lost). */
export const LCM_EVENT_LOG_MAX_LENGTH = 10_000;

/** Namespace of LCM event ids (a fixed, random-once UUID). */
const LCM_EVENT_NAMESPACE = '5b0e9d27-8c3f-4a61-9e2d-71f4c8a0b356';

export const LCM_NOTIFICATION_TYPES = [
  'VnfIdentifierCreationNotification',
  'VnfIdentifierDeletionNotification',
  'VnfLcmOperationOccurrenceNotification',
] as const;
export type LcmNotificationType = (typeof LCM_NOTIFICATION_TYPES)[number];

const problemSchema = z.object({ status: z.number(), title: z.string(), detail: z.string() });

/** The SOL003 fields of the occurrence as it was right after the change. */
const occurrenceSnapshotSchema = z.object({
  id: z.string().min(1),
  operationState: z.enum(LCM_OPERATION_STATES),
  stateEnteredTime: z.string(),
  startTime: z.string(),
  operation: z.string().min(1),
  isAutomaticInvocation: z.boolean(),
  attempt: z.number().int().min(1),
  error: problemSchema.optional(),
  resourceChanges: z.record(z.unknown()).optional(),
  changedInfo: z.record(z.unknown()).optional(),
});
export type OccurrenceSnapshot = z.infer<typeof occurrenceSnapshotSchema>;

const common = {
  eventId: z.string().uuid(),
  occurredAt: z.string().datetime({ offset: true }),
  vnfInstanceId: z.string().min(1),
  /** Absent only when the instance was gone when the event was written (its filters by vnfdId then miss). */
  vnfdId: z.string().optional(),
  /** The instance's name when the event was written (SOL003 filters may name instances). */
  vnfInstanceName: z.string().optional(),
  tenant: z.string(),
  clusterId: z.string().optional(),
};

export const lcmEventSchema = z.discriminatedUnion('notificationType', [
  z.object({ ...common, notificationType: z.literal('VnfIdentifierCreationNotification') }),
  z.object({ ...common, notificationType: z.literal('VnfIdentifierDeletionNotification') }),
  z.object({
    ...common,
    notificationType: z.literal('VnfLcmOperationOccurrenceNotification'),
    /** START when the occurrence entered STARTING, RESULT for every other state. */
    notificationStatus: z.enum(['START', 'RESULT']),
    occurrence: occurrenceSnapshotSchema,
  }),
]);
export type LcmEvent = z.infer<typeof lcmEventSchema>;
export type OccurrenceEvent = Extract<
  LcmEvent,
  { notificationType: 'VnfLcmOperationOccurrenceNotification' }
>;

/** Never throws: a malformed entry in the shared log is skipped by its readers. */
export function parseLcmEvent(raw: unknown): LcmEvent | undefined {
  const parsed = lcmEventSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

function snapshotOf(occurrence: OccurrenceRecord): OccurrenceSnapshot {
  return {
    id: occurrence.id,
    operationState: occurrence.operationState,
    stateEnteredTime: occurrence.stateEnteredTime,
    startTime: occurrence.startTime,
    operation: occurrence.operation,
    isAutomaticInvocation: occurrence.isAutomaticInvocation,
    attempt: occurrence.attempt,
    ...(occurrence.error === undefined ? {} : { error: occurrence.error }),
    ...(occurrence.resourceChanges === undefined
      ? {}
      : { resourceChanges: occurrence.resourceChanges as Record<string, unknown> }),
    ...(occurrence.changedInfo === undefined ? {} : { changedInfo: occurrence.changedInfo }),
  };
}

export function occurrenceEventOf(
  occurrence: OccurrenceRecord,
  instance: Pick<VnfInstanceRecord, 'vnfdId' | 'vnfInstanceName'> | undefined,
): OccurrenceEvent {
  return {
    eventId: uuidV5(
      `occ\u0000${occurrence.id}\u0000${occurrence.attempt}\u0000${occurrence.operationState}\u0000${occurrence.stateEnteredTime}`,
      LCM_EVENT_NAMESPACE,
    ),
    occurredAt: occurrence.stateEnteredTime,
    vnfInstanceId: occurrence.vnfInstanceId,
    ...(instance === undefined ? {} : { vnfdId: instance.vnfdId }),
    ...(instance?.vnfInstanceName === undefined ? {} : { vnfInstanceName: instance.vnfInstanceName }),
    tenant: occurrence.tenant,
    ...(occurrence.clusterId === undefined ? {} : { clusterId: occurrence.clusterId }),
    notificationType: 'VnfLcmOperationOccurrenceNotification',
    notificationStatus: occurrence.operationState === 'STARTING' ? 'START' : 'RESULT',
    occurrence: snapshotOf(occurrence),
  };
}

export function identifierEventOf(
  kind: 'VnfIdentifierCreationNotification' | 'VnfIdentifierDeletionNotification',
  instance: VnfInstanceRecord,
  at: string,
): LcmEvent {
  return {
    eventId: uuidV5(`${kind}\u0000${instance.id}`, LCM_EVENT_NAMESPACE),
    occurredAt: at,
    vnfInstanceId: instance.id,
    vnfdId: instance.vnfdId,
    ...(instance.vnfInstanceName === undefined ? {} : { vnfInstanceName: instance.vnfInstanceName }),
    tenant: instance.tenant,
    ...(instance.clusterId === undefined ? {} : { clusterId: instance.clusterId }),
    notificationType: kind,
  };
}

/** Appends to and reads the DMS event log. */
export class LcmEventLog {
  constructor(private readonly store: StateStore) {}

  #log() {
    return this.store.eventLog<LcmEvent>(LCM_EVENT_LOG, { maxLength: LCM_EVENT_LOG_MAX_LENGTH });
  }

  /** Appends; resolves to the event's cursor. */
  append(event: LcmEvent): Promise<string> {
    return this.#log().append(event);
  }

  /** Valid events strictly after `after` (from the oldest retained when undefined). */
  async read(after: string | undefined, limit: number): Promise<Array<LogEntry<LcmEvent>>> {
    const entries = await this.#log().read(after, limit);
    const out: Array<LogEntry<LcmEvent>> = [];
    for (const entry of entries) {
      const event = parseLcmEvent(entry.event);
      if (event !== undefined) out.push({ cursor: entry.cursor, event });
    }
    return out;
  }

  latestCursor(): Promise<string | undefined> {
    return this.#log().latestCursor();
  }

  oldestCursor(): Promise<string | undefined> {
    return this.#log().oldestCursor();
  }
}
