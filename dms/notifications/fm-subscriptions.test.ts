/** SOL003 FmNotificationsFilter semantics over NF deployment alarm events (fm-subscriptions.ts). */
import { describe, expect, it } from 'vitest';
import type { AlarmEvent, AlarmEventKind } from '../../alarms/alarm-record.ts';
import { fmNotificationTypeOf, fmSelectorWants, type FmSelector } from './fm-subscriptions.ts';
import { NF_DEPLOYMENT_ALARM_CODE } from './nf-alarms.ts';

const INSTANCE = '6f0c9a1e-1d2b-4c3d-8e4f-5a6b7c8d9e0f';

function event(
  kind: AlarmEventKind,
  overrides: { tenant?: string; code?: string; cleared?: boolean } = {},
): AlarmEvent {
  const cleared = overrides.cleared ?? kind === 'CLEAR';
  return {
    eventId: 'e1',
    kind,
    occurredAt: '2026-01-01T00:00:00Z',
    alarm: {
      alarmEventRecordId: 'a1',
      alarmKey: 'k',
      alarmDefinitionId: 'd',
      probableCauseId: 'p',
      alarmCode: overrides.code ?? NF_DEPLOYMENT_ALARM_CODE,
      alarmName: 'NF deployment failing',
      clearingType: 'AUTOMATIC',
      resourceTypeId: 'r',
      resourceId: 'r',
      clusterId: 'edge-1',
      resourcePoolId: null,
      source: 'dms',
      perceivedSeverity: cleared ? 5 : 1,
      alarmRaisedTime: '2026-01-01T00:00:00Z',
      alarmChangedTime: '2026-01-01T00:00:00Z',
      alarmClearedTime: cleared ? '2026-01-01T00:00:00Z' : null,
      alarmAcknowledgedTime: null,
      alarmAcknowledged: false,
      extensions: { vnfInstanceId: INSTANCE, vnfdId: 'vnfd-1', tenant: overrides.tenant ?? 'red' },
      revision: 1,
    },
  };
}

const wants = (filter: FmSelector['filter'], e: AlarmEvent, tenant = 'red', clusterId?: string): boolean =>
  fmSelectorWants({ filter, ...(clusterId === undefined ? {} : { clusterId }) }, tenant, e);

describe('FM subscription filters', () => {
  it('NF deployment alarms of the tenant only; operators see all; the apiRoot cluster scopes', () => {
    expect(wants({}, event('NEW'))).toBe(true);
    expect(wants({}, event('NEW', { tenant: 'blue' }))).toBe(false);
    expect(wants({}, event('NEW', { tenant: 'blue' }), '*')).toBe(true);
    expect(wants({}, event('NEW', { code: 'NodeNotReady' }), '*')).toBe(false);
    expect(wants({}, event('NEW'), 'red', 'edge-2')).toBe(false);
    expect(wants({}, event('NEW'), 'red', 'edge-1')).toBe(true);
  });

  it('notification types, instances, packages, severities, event types, causes, faulty resources', () => {
    expect(fmNotificationTypeOf(event('CLEAR'))).toBe('AlarmClearedNotification');
    expect(fmNotificationTypeOf(event('ACKNOWLEDGE'))).toBe('AlarmNotification');
    expect(wants({ notificationTypes: ['AlarmClearedNotification'] }, event('NEW'))).toBe(false);
    expect(wants({ notificationTypes: ['AlarmClearedNotification'] }, event('CLEAR'))).toBe(true);
    expect(wants({ vnfInstanceSubscriptionFilter: { vnfInstanceIds: [INSTANCE] } }, event('NEW'))).toBe(true);
    expect(wants({ vnfInstanceSubscriptionFilter: { vnfdIds: ['other'] } }, event('NEW'))).toBe(false);
    expect(wants({ perceivedSeverities: ['MAJOR'] }, event('NEW'))).toBe(true);
    expect(wants({ perceivedSeverities: ['CRITICAL'] }, event('NEW'))).toBe(false);
    // The clearing of a MAJOR alarm reaches a MAJOR subscriber.
    expect(wants({ perceivedSeverities: ['MAJOR'] }, event('CLEAR'))).toBe(true);
    expect(wants({ eventTypes: ['QOS_ALARM'] }, event('NEW'))).toBe(false);
    expect(wants({ eventTypes: ['PROCESSING_ERROR_ALARM'] }, event('NEW'))).toBe(true);
    expect(wants({ probableCauses: ['NF deployment failing'] }, event('NEW'))).toBe(true);
    expect(wants({ probableCauses: ['other'] }, event('NEW'))).toBe(false);
    expect(wants({ faultyResourceTypes: ['COMPUTE'] }, event('NEW'))).toBe(true);
    expect(wants({ faultyResourceTypes: ['NETWORK'] }, event('NEW'))).toBe(false);
  });
});
