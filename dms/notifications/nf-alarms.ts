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
import type { OccurrenceRecord, VnfInstanceRecord } from '../lifecycle/records.ts';

export const NF_DEPLOYMENT_ALARM_CODE = 'NfDeploymentFailing';

/** The alarm condition of an instance on its cluster (the extensions say which occurrence and why). */
export function nfDeploymentAlarm(
  instance: Pick<VnfInstanceRecord, 'id' | 'clusterId' | 'tenant'>,
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
