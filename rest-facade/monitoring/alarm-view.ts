/**
 * The O2 AlarmEventRecord as the monitoring API shows it: its SOL013 attribute schema (for `filter` and the
 * attribute selectors of GET /alarms) and the shaping of a stored record under the configured spelling of the
 * acknowledgement time.
 */
import { toO2AlarmEventRecord } from '../../alarms/alarm-record.ts';
import type { AcknowledgedTimeField, AlarmRecord, O2AlarmEventRecord } from '../../alarms/alarm-record.ts';
import type { AttributeSchema, SelectorSpec } from '../../o2/sol013/index.ts';

const COMMON_SCHEMA = {
  alarmEventRecordId: 'uuid',
  alarmDefinitionID: 'uuid',
  probableCauseID: 'uuid',
  alarmRaisedTime: 'datetime',
  alarmChangedTime: 'datetime',
  alarmClearedTime: 'datetime',
  alarmAcknowledged: 'boolean',
  resourceTypeID: 'uuid',
  resourceID: 'uuid',
  perceivedSeverity: 'integer',
  extensions: 'object',
} as const satisfies AttributeSchema;

/** The attributes an alarm has under the configured spelling(s) of the acknowledgement time. */
export function alarmSchema(field: AcknowledgedTimeField): AttributeSchema {
  switch (field) {
    case 'alarmAcknowledgedTime':
      return { ...COMMON_SCHEMA, alarmAcknowledgedTime: 'datetime' };
    case 'alarmAcknowledgeTime':
      return { ...COMMON_SCHEMA, alarmAcknowledgeTime: 'datetime' };
    case 'both':
      return { ...COMMON_SCHEMA, alarmAcknowledgedTime: 'datetime', alarmAcknowledgeTime: 'datetime' };
  }
}

/** The attributes O2IMS requires of an AlarmEventRecord: selectors never remove them. */
export const MANDATORY_ALARM_ATTRIBUTES = [
  'alarmEventRecordId',
  'alarmDefinitionID',
  'probableCauseID',
  'alarmRaisedTime',
  'alarmAcknowledged',
  'perceivedSeverity',
  'extensions',
  'resourceTypeID',
  'resourceID',
] as const;

export function alarmSelectors(field: AcknowledgedTimeField): SelectorSpec {
  return { schema: alarmSchema(field), defaultExcluded: [], mandatory: MANDATORY_ALARM_ATTRIBUTES };
}

export function toO2Alarm(record: AlarmRecord, field: AcknowledgedTimeField): O2AlarmEventRecord {
  return toO2AlarmEventRecord(record, field);
}
