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
 *
 * Two more per instance come from the cluster that runs it (the cluster subgraph's alarm monitor,
 * subgraphs/cluster/nf-alarm-rules.ts), source `cluster`, on the same deployment manager:
 *   NfPodCrashLooping   pods (VNFCs) of the INSTANTIATED instance crash-loop
 *   NfPodUnready        pods of the INSTANTIATED instance stay unready past the grace period
 * Their extensions name the VNFCs (`vnfcInstanceIds`, the pod names that vnfcResourceInfo uses as ids), so the
 * SOL003 Alarm carries `vnfcInstanceIds` and `rootCauseFaultyResource` (the first of them, a COMPUTE Pod).
 */
import type { AlarmCondition, AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { alarmKeyOf } from '../../alarms/alarm-ledger.ts';
import { clusterAlarmCondition } from '../../alarms/cluster-alarm-subject.ts';
import { SEVERITY_NAMES, type ActiveSeverity, type AlarmRecord } from '../../alarms/alarm-record.ts';
import type { OccurrenceRecord, VnfInstanceRecord } from '../lifecycle/records.ts';

export const NF_DEPLOYMENT_ALARM_CODE = 'NfDeploymentFailing';
/** The alarms of an instance's pods, raised by the cluster subgraph that watches them. */
export const NF_POD_ALARM_CODES = { crashLooping: 'NfPodCrashLooping', unready: 'NfPodUnready' } as const;
export type NfPodFaultKind = keyof typeof NF_POD_ALARM_CODES;

const NF_ALARM_SOURCES: Readonly<Record<string, string>> = {
  [NF_DEPLOYMENT_ALARM_CODE]: 'dms',
  [NF_POD_ALARM_CODES.crashLooping]: 'cluster',
  [NF_POD_ALARM_CODES.unready]: 'cluster',
};

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** Whose NF deployment alarm this is (undefined: not one), for tenant and apiRoot scoping and FM filters. */
export function nfAlarmOwner(
  record: AlarmRecord,
): { tenant: string; clusterId?: string; vnfInstanceId: string; vnfdId?: string } | undefined {
  if (NF_ALARM_SOURCES[record.alarmCode] !== record.source) return undefined;
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
  const vnfcIds = strings(record.extensions['vnfcInstanceIds']);
  const vimConnectionId = text(record.extensions['vimConnectionId']);
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
    ...(vnfcIds.length === 0
      ? {}
      : {
          // SOL003: the resource the fault is first seen on; the VNFCs list names every affected one.
          rootCauseFaultyResource: {
            faultyResource: {
              resourceId: vnfcIds[0],
              vimLevelResourceType: 'Pod',
              ...(vimConnectionId === undefined ? {} : { vimConnectionId }),
            },
            faultyResourceType: 'COMPUTE',
          },
          vnfcInstanceIds: vnfcIds,
        }),
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

/** A pod (VNFC) of an instance that is faulty, as the cluster subgraph saw it. */
export interface FaultyVnfc {
  /** The pod name: the VNFC id of vnfcResourceInfo. */
  readonly id: string;
  readonly namespace: string;
  readonly nodeName?: string;
  /** The affected containers (crash-looping ones, or the unready ones). */
  readonly containers: readonly string[];
  /** Since when the pod has not been ready (ISO time), when known. */
  readonly unreadySince?: string;
}

/** The alarm of an instance's faulty pods (one slot per instance and kind), on its cluster's deployment manager. */
export function nfPodAlarm(
  instance: Pick<VnfInstanceRecord, 'id' | 'clusterId' | 'tenant' | 'vnfdId' | 'vimConnectionInfo'>,
  kind: NfPodFaultKind,
  vnfcs: readonly FaultyVnfc[],
  severity: ActiveSeverity,
): AlarmCondition | undefined {
  if (instance.clusterId === undefined || vnfcs.length === 0) return undefined;
  const sorted = [...vnfcs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const vimConnectionId = Object.keys(instance.vimConnectionInfo ?? {})[0];
  const what = kind === 'crashLooping' ? 'crash-looping' : 'not ready';
  return clusterAlarmCondition({
    clusterId: instance.clusterId,
    code: NF_POD_ALARM_CODES[kind],
    source: 'cluster',
    subject: instance.id,
    severity,
    extensions: {
      vnfInstanceId: instance.id,
      vnfdId: instance.vnfdId,
      tenant: instance.tenant,
      vnfcInstanceIds: sorted.map((vnfc) => vnfc.id),
      ...(vimConnectionId === undefined ? {} : { vimConnectionId }),
      pods: sorted.map((vnfc) => ({
        name: vnfc.id,
        namespace: vnfc.namespace,
        ...(vnfc.nodeName === undefined ? {} : { nodeName: vnfc.nodeName }),
        containers: [...vnfc.containers],
        ...(vnfc.unreadySince === undefined ? {} : { unreadySince: vnfc.unreadySince }),
      })),
      // Restart counts stay out of the alarm: they change on every crash, and the alarm changes only when the
      // set of pods does (the ledger writes extension changes quietly, but each is still a write).
      faultDetails:
        `pods ${what}: ${sorted.map((vnfc) => `${vnfc.id} [${vnfc.containers.join(', ')}]`).join('; ')}`.slice(
          0,
          1000,
        ),
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
