/**
 * The O2 IMS alarm as netweave keeps it (an AlarmEventRecord plus what netweave needs to manage it) and the
 * alarm change event that every delivery reads (docs/architecture.md "Data flows" "Change": one pipeline, two deliveries).
 *
 * Records live in the state store, shared by the cluster subgraphs that derive alarms and every gateway replica
 * that serves, acknowledges and clears them; the store is written by other processes and versions, so every
 * reader validates what it gets back (`parseStoredAlarm`, `parseAlarmEvent`).
 */
import { z } from 'zod';
import type { AcknowledgedTimeField } from '../common/config.ts';

/** O2 `perceivedSeverity` values (O2IMS: an integer enumeration, CLEARED last). */
export const PERCEIVED_SEVERITY = {
  CRITICAL: 0,
  MAJOR: 1,
  MINOR: 2,
  WARNING: 3,
  INDETERMINATE: 4,
  CLEARED: 5,
} as const;
export type PerceivedSeverity = (typeof PERCEIVED_SEVERITY)[keyof typeof PERCEIVED_SEVERITY];
/** The severities an active (not cleared) alarm can have. */
export type ActiveSeverity = Exclude<PerceivedSeverity, 5>;
export const SEVERITY_NAMES = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INDETERMINATE', 'CLEARED'] as const;

export function isActiveSeverity(value: unknown): value is ActiveSeverity {
  return value === 0 || value === 1 || value === 2 || value === 3 || value === 4;
}

/** O2 AlarmEventNotification `notificationEventType` per kind of alarm change. */
export const ALARM_EVENT_TYPES = { NEW: 0, CHANGE: 1, CLEAR: 2, ACKNOWLEDGE: 3 } as const;
export type AlarmEventKind = keyof typeof ALARM_EVENT_TYPES;
export const ALARM_EVENT_KINDS = [
  'NEW',
  'CHANGE',
  'CLEAR',
  'ACKNOWLEDGE',
] as const satisfies readonly AlarmEventKind[];

/**
 * Who raised an alarm: the one who may clear it automatically when the condition goes away. `dms`: the DMS
 * lifecycle, for an NF deployment whose LCM operation failed (dms/notifications/nf-alarms.ts).
 */
export const ALARM_SOURCES = ['cluster', 'gateway', 'alertmanager', 'dms'] as const;
export type AlarmSource = (typeof ALARM_SOURCES)[number];

export const CLEARING_TYPES = ['AUTOMATIC', 'MANUAL'] as const;

/** One alarm occurrence: raised once, changed, acknowledged, cleared once, purged after retention. */
export interface AlarmRecord {
  readonly alarmEventRecordId: string;
  /** Identifies the (definition, resource, subject) slot; each raise after a clear is a new occurrence. */
  readonly alarmKey: string;
  readonly alarmDefinitionId: string;
  readonly probableCauseId: string;
  /** The catalogue code of the definition (alarms/alarm-catalogue.ts). */
  readonly alarmCode: string;
  readonly alarmName: string;
  readonly clearingType: (typeof CLEARING_TYPES)[number];
  readonly resourceTypeId: string;
  readonly resourceId: string;
  /** The owning cluster (null only for alarms on O-Cloud level objects). */
  readonly clusterId: string | null;
  readonly resourcePoolId: string | null;
  readonly source: AlarmSource;
  /** CLEARED (5) once cleared. */
  readonly perceivedSeverity: PerceivedSeverity;
  readonly alarmRaisedTime: string;
  readonly alarmChangedTime: string;
  readonly alarmClearedTime: string | null;
  readonly alarmAcknowledgedTime: string | null;
  readonly alarmAcknowledged: boolean;
  /** What the condition said when it was last raised or changed (node, reason, message, devices …). */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** Increases by one with every change; events carry it so consumers can tell stale duplicates. */
  readonly revision: number;
}

/** One change of one alarm, with the record as it was right after the change. */
export interface AlarmEvent {
  /** UUID, unique per change: the key every consumer deduplicates by (the log delivers at least once). */
  readonly eventId: string;
  readonly kind: AlarmEventKind;
  readonly occurredAt: string;
  readonly alarm: AlarmRecord;
}

/** The alarm document in the store: the record and the events written with it but not yet in the log. */
export interface StoredAlarm {
  readonly record: AlarmRecord;
  readonly outbox: readonly AlarmEvent[];
}

const isoTime = z.string().datetime({ offset: true });

export const alarmRecordSchema = z.object({
  alarmEventRecordId: z.string().uuid(),
  alarmKey: z.string().min(1).max(128),
  alarmDefinitionId: z.string().uuid(),
  probableCauseId: z.string().uuid(),
  alarmCode: z.string().min(1).max(128),
  alarmName: z.string().max(256),
  clearingType: z.enum(CLEARING_TYPES),
  resourceTypeId: z.string().uuid(),
  resourceId: z.string().uuid(),
  clusterId: z.string().min(1).max(253).nullable(),
  resourcePoolId: z.string().uuid().nullable(),
  source: z.enum(ALARM_SOURCES),
  perceivedSeverity: z.union([
    z.literal(0),
    z.literal(1),
    z.literal(2),
    z.literal(3),
    z.literal(4),
    z.literal(5),
  ]),
  alarmRaisedTime: isoTime,
  alarmChangedTime: isoTime,
  alarmClearedTime: isoTime.nullable(),
  alarmAcknowledgedTime: isoTime.nullable(),
  alarmAcknowledged: z.boolean(),
  extensions: z.record(z.unknown()),
  revision: z.number().int().positive(),
});

export const alarmEventSchema = z.object({
  eventId: z.string().uuid(),
  kind: z.enum(ALARM_EVENT_KINDS),
  occurredAt: isoTime,
  alarm: alarmRecordSchema,
});

const storedAlarmSchema = z.object({ record: alarmRecordSchema, outbox: z.array(alarmEventSchema) });

/** Never throws: a malformed document in the shared store is skipped by readers, not fatal. */
export function parseStoredAlarm(value: unknown): StoredAlarm | undefined {
  const parsed = storedAlarmSchema.safeParse(value);
  return parsed.success ? (parsed.data as StoredAlarm) : undefined;
}

export function parseAlarmEvent(value: unknown): AlarmEvent | undefined {
  const parsed = alarmEventSchema.safeParse(value);
  return parsed.success ? (parsed.data as AlarmEvent) : undefined;
}

// Which name the acknowledgement time has is configuration (common/config.ts); the record honours it.
export { ACKNOWLEDGED_TIME_FIELDS } from '../common/config.ts';
export type { AcknowledgedTimeField };

/** The O2 AlarmEventRecord as the monitoring API returns it. */
export type O2AlarmEventRecord = Readonly<Record<string, unknown>> & {
  readonly alarmEventRecordId: string;
  readonly perceivedSeverity: PerceivedSeverity;
};

/**
 * netweave's additions to an alarm's `extensions`: where the alarm sits (cluster, pool), its name and who
 * raised it, so an SMO can filter on them (`(eq,extensions/clusterId,edge-1)`) without a second lookup.
 */
function extensionsOf(record: AlarmRecord): Record<string, unknown> {
  return {
    ...record.extensions,
    alarmName: record.alarmName,
    source: record.source,
    ...(record.clusterId === null ? {} : { clusterId: record.clusterId }),
    ...(record.resourcePoolId === null ? {} : { resourcePoolId: record.resourcePoolId }),
  };
}

/** The O2 AlarmEventRecord (O2IMS v11 field names; optional times are absent, not null, until they happen). */
export function toO2AlarmEventRecord(
  record: AlarmRecord,
  acknowledgedTimeField: AcknowledgedTimeField,
): O2AlarmEventRecord {
  const acknowledged = record.alarmAcknowledgedTime;
  return {
    alarmEventRecordId: record.alarmEventRecordId,
    alarmDefinitionID: record.alarmDefinitionId,
    probableCauseID: record.probableCauseId,
    alarmRaisedTime: record.alarmRaisedTime,
    alarmChangedTime: record.alarmChangedTime,
    ...(record.alarmClearedTime === null ? {} : { alarmClearedTime: record.alarmClearedTime }),
    ...(acknowledged === null || acknowledgedTimeField === 'alarmAcknowledgeTime'
      ? {}
      : { alarmAcknowledgedTime: acknowledged }),
    ...(acknowledged === null || acknowledgedTimeField === 'alarmAcknowledgedTime'
      ? {}
      : { alarmAcknowledgeTime: acknowledged }),
    alarmAcknowledged: record.alarmAcknowledged,
    resourceTypeID: record.resourceTypeId,
    resourceID: record.resourceId,
    perceivedSeverity: record.perceivedSeverity,
    extensions: extensionsOf(record),
  };
}

/** Path of an alarm relative to the monitoring API root (`/o2ims-infrastructureMonitoring/v1`). */
export function alarmRefOf(alarmEventRecordId: string): string {
  return `/alarms/${alarmEventRecordId}`;
}
