/**
 * Alarms of NF deployments (issue 11, fault management): the DMS raises them in the same alarm ledger as the
 * IMS (alarms/alarm-ledger.ts), so they reach the O2 IMS monitoring API and its subscriptions like any other,
 * and the DMS serves them as SOL003 vnffm alarms of their instance (rest-facade/dms/vnffm.ts).
 *
 * One alarm slot per VNF instance, on its cluster's deployment manager (definition `NfDeploymentFailing`):
 *   an occurrence enters FAILED_TEMP             raise (Helm refused, or the workloads were not ready in time:
 *                                                the error names the unready workloads)
 *   an occurrence ends COMPLETED, ROLLED_BACK or FAILED, or the instance is deleted     clear
 * A retry in progress (PROCESSING) keeps the alarm: the fault is there until an operation settles it.
 */
import type { AlarmCondition, AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { alarmKeyOf } from '../../alarms/alarm-ledger.ts';
import { clusterAlarmCondition } from '../../alarms/cluster-alarm-subject.ts';
import { SEVERITY_NAMES, type AlarmRecord } from '../../alarms/alarm-record.ts';
import type { OccurrenceRecord, VnfInstanceRecord } from '../lifecycle/records.ts';

export const NF_DEPLOYMENT_ALARM_CODE = 'NfDeploymentFailing';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Whose NF deployment alarm this is (undefined: not one), for tenant and apiRoot scoping and FM filters. */
export function nfAlarmOwner(
  record: AlarmRecord,
): { tenant: string; clusterId?: string; vnfInstanceId: string; vnfdId?: string } | undefined {
  if (record.alarmCode !== NF_DEPLOYMENT_ALARM_CODE || record.source !== 'dms') return undefined;
  const tenant = text(record.extensions['tenant']);
  const vnfInstanceId = text(record.extensions['vnfInstanceId']);
  const vnfdId = text(record.extensions['vnfdId']);
  if (tenant === undefined || vnfInstanceId === undefined) return undefined;
  return {
    tenant,
    vnfInstanceId,
    ...(record.clusterId === null ? {} : { clusterId: record.clusterId }),
    ...(vnfdId === undefined ? {} : { vnfdId }),
  };
}

/** The NF deployment alarm as a SOL003 Alarm of its instance. */
export function toVnfFmAlarm(record: AlarmRecord, apiRoot: string): Record<string, unknown> {
  const vnfInstanceId = text(record.extensions['vnfInstanceId']) ?? '';
  const details = [
    text(record.extensions['faultDetails']),
    text(record.extensions['vnfLcmOpOccId']) === undefined
      ? undefined
      : `${text(record.extensions['operation']) ?? ''} occurrence ${text(record.extensions['vnfLcmOpOccId'])}`,
  ].filter((d): d is string => d !== undefined && d !== '');
  return {
    id: record.alarmEventRecordId,
    managedObjectId: vnfInstanceId,
    alarmRaisedTime: record.alarmRaisedTime,
    alarmChangedTime: record.alarmChangedTime,
    ...(record.alarmClearedTime === null ? {} : { alarmClearedTime: record.alarmClearedTime }),
    ...(record.alarmAcknowledgedTime === null ? {} : { alarmAcknowledgedTime: record.alarmAcknowledgedTime }),
    ackState: record.alarmAcknowledged ? 'ACKNOWLEDGED' : 'UNACKNOWLEDGED',
    perceivedSeverity: SEVERITY_NAMES[record.perceivedSeverity],
    eventTime: record.alarmChangedTime,
    eventType: 'PROCESSING_ERROR_ALARM',
    faultType: record.alarmCode,
    probableCause: record.alarmName,
    isRootCause: true,
    ...(details.length === 0 ? {} : { faultDetails: details }),
    _links: {
      self: { href: `${apiRoot}/vnffm/v1/alarms/${record.alarmEventRecordId}` },
      objectInstance: { href: `${apiRoot}/vnflcm/v2/vnf_instances/${vnfInstanceId}` },
    },
  };
}

/** The alarm condition of an instance on its cluster (the extensions say which occurrence and why). */
export function nfDeploymentAlarm(
  instance: Pick<VnfInstanceRecord, 'id' | 'clusterId' | 'tenant' | 'vnfdId'>,
  occurrence?: Pick<OccurrenceRecord, 'id' | 'operation' | 'error'>,
): AlarmCondition | undefined {
  if (instance.clusterId === undefined) return undefined;
  return clusterAlarmCondition({
    clusterId: instance.clusterId,
    code: NF_DEPLOYMENT_ALARM_CODE,
    source: 'dms',
    subject: instance.id,
    extensions: {
      vnfInstanceId: instance.id,
      // FM subscriptions filter on the package (vnfInstanceSubscriptionFilter.vnfdIds).
      vnfdId: instance.vnfdId,
      tenant: instance.tenant,
      ...(occurrence === undefined
        ? {}
        : {
            vnfLcmOpOccId: occurrence.id,
            operation: occurrence.operation,
            ...(occurrence.error === undefined ? {} : { faultDetails: occurrence.error.detail }),
          }),
    },
  });
}

/** Brings the instance's alarm in line with the state its occurrence just entered. */
export async function followOccurrence(
  alarms: AlarmLedger,
  occurrence: OccurrenceRecord,
  instance: VnfInstanceRecord | undefined,
): Promise<void> {
  if (instance === undefined) return;
  const condition = nfDeploymentAlarm(instance, occurrence);
  if (condition === undefined) return;
  if (occurrence.operationState === 'FAILED_TEMP') await alarms.raise(condition);
  else if (['COMPLETED', 'ROLLED_BACK', 'FAILED'].includes(occurrence.operationState))
    await alarms.clear(alarmKeyOf(condition));
}

/** A deleted instance has no fault left. */
export async function clearInstanceAlarm(alarms: AlarmLedger, instance: VnfInstanceRecord): Promise<void> {
  const condition = nfDeploymentAlarm(instance);
  if (condition !== undefined) await alarms.clear(alarmKeyOf(condition));
}
