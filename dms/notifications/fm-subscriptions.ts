/**
 * SOL003 VNF fault management subscriptions (FmSubscription): their filter and its semantics over the NF
 * deployment alarms of the O2 alarm ledger (nf-alarms.ts). They are stored like LCM subscriptions
 * (lcm-subscriptions.ts: `storedLcmSubscriptionSchema`, canonical selector text, authentication kept for
 * delivery and never returned) in their own collection (notifier/subscriptions/lcm-repository.ts:
 * FmSubscriptionRepository); the notifier's FM channel delivers to them (notifier/fm-channel.ts) and the REST
 * API is rest-facade/dms/subscriptions.ts.
 */
import { z } from 'zod';
import { SEVERITY_NAMES, type AlarmEvent } from '../../alarms/alarm-record.ts';
import { vnfInstanceSubscriptionFilterSchema } from './lcm-subscriptions.ts';
import { nfAlarmOwner } from './nf-alarms.ts';

export const FM_NOTIFICATION_TYPES = ['AlarmNotification', 'AlarmClearedNotification'] as const;
export type FmNotificationType = (typeof FM_NOTIFICATION_TYPES)[number];

/** SOL003 EventType and FaultyResourceType. */
const EVENT_TYPES = [
  'COMMUNICATIONS_ALARM',
  'PROCESSING_ERROR_ALARM',
  'ENVIRONMENTAL_ALARM',
  'QOS_ALARM',
  'EQUIPMENT_ALARM',
] as const;
const FAULTY_RESOURCE_TYPES = ['COMPUTE', 'STORAGE', 'NETWORK'] as const;

/** What every NF deployment alarm is, in SOL003 terms (the Alarm view: nf-alarms.ts toVnfFmAlarm). */
export const NF_ALARM_EVENT_TYPE = 'PROCESSING_ERROR_ALARM';
/** The failing resources are the instance's pods (workloads that crash-loop or stay unready). */
export const NF_ALARM_FAULTY_RESOURCE_TYPE = 'COMPUTE';

/** SOL003 FmNotificationsFilter: inclusive, "and" between attributes, "or" inside an array. */
export const fmFilterSchema = z
  .object({
    vnfInstanceSubscriptionFilter: vnfInstanceSubscriptionFilterSchema.optional(),
    notificationTypes: z.array(z.enum(FM_NOTIFICATION_TYPES)).min(1).optional(),
    faultyResourceTypes: z.array(z.enum(FAULTY_RESOURCE_TYPES)).min(1).optional(),
    perceivedSeverities: z.array(z.enum(SEVERITY_NAMES)).min(1).optional(),
    eventTypes: z.array(z.enum(EVENT_TYPES)).min(1).optional(),
    probableCauses: z.array(z.string().min(1).max(256)).min(1).max(100).optional(),
  })
  .strict();
export type FmFilter = z.infer<typeof fmFilterSchema>;

/** What an FM subscription's stored `filter` text holds. */
export const fmSelectorSchema = z.object({
  filter: fmFilterSchema,
  /** Set for subscriptions made on a cluster's apiRoot: only that cluster's alarms. */
  clusterId: z.string().optional(),
});
export type FmSelector = z.infer<typeof fmSelectorSchema>;

/** Throws (a ZodError or SyntaxError) when the text is not an FM selector. */
export function parseFmSelectorText(text: string): FmSelector {
  return fmSelectorSchema.parse(JSON.parse(text));
}

/** The SOL003 notification of an alarm event: cleared → AlarmClearedNotification; raised, changed, acknowledged → AlarmNotification. */
export function fmNotificationTypeOf(event: Pick<AlarmEvent, 'kind'>): FmNotificationType {
  return event.kind === 'CLEAR' ? 'AlarmClearedNotification' : 'AlarmNotification';
}

function within(values: readonly string[] | undefined, value: string | undefined): boolean {
  return values === undefined || (value !== undefined && values.includes(value));
}

/**
 * Whether a subscription of `tenant` with `selector` is notified of `event`: NF deployment alarms of the
 * tenant's instances only (operators, tenant `*`, see all), then the SOL003 filter.
 */
export function fmSelectorWants(selector: FmSelector, tenant: string, event: AlarmEvent): boolean {
  const owner = nfAlarmOwner(event.alarm);
  if (owner === undefined || (tenant !== '*' && owner.tenant !== tenant)) return false;
  if (selector.clusterId !== undefined && owner.clusterId !== selector.clusterId) return false;
  const { filter } = selector;
  if (!within(filter.notificationTypes, fmNotificationTypeOf(event))) return false;
  if (!within(filter.faultyResourceTypes, NF_ALARM_FAULTY_RESOURCE_TYPE)) return false;
  // A cleared alarm's severity is CLEARED: perceivedSeverities applies to AlarmNotifications only, so a
  // subscriber of MAJOR alarms also learns that they cleared (AlarmClearedNotification has no severity).
  if (
    event.kind !== 'CLEAR' &&
    !within(filter.perceivedSeverities, SEVERITY_NAMES[event.alarm.perceivedSeverity])
  )
    return false;
  if (!within(filter.eventTypes, NF_ALARM_EVENT_TYPE)) return false;
  if (!within(filter.probableCauses, event.alarm.alarmName)) return false;
  const instance = filter.vnfInstanceSubscriptionFilter;
  if (instance !== undefined) {
    if (!within(instance.vnfdIds, owner.vnfdId)) return false;
    if (!within(instance.vnfInstanceIds, owner.vnfInstanceId)) return false;
    // Instance names are not in the alarm: a name filter matches no alarm.
    if (instance.vnfInstanceNames !== undefined) return false;
  }
  return true;
}
