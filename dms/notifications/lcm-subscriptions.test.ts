/** SOL003 LifecycleChangeNotificationsFilter semantics: "and" between attributes, "or" inside one. */
import { describe, expect, it } from 'vitest';
import type { LcmEvent } from './lcm-events.ts';
import {
  canonicalSelectorText,
  parseSelectorText,
  selectorWants,
  type LcmSelector,
} from './lcm-subscriptions.ts';

const base = {
  eventId: '00000000-0000-4000-8000-000000000001',
  occurredAt: '2026-01-01T00:00:00.000Z',
  vnfInstanceId: 'i-1',
  vnfdId: 'vnfd-a',
  vnfInstanceName: 'ran-du',
  tenant: '*',
  clusterId: 'edge-1',
};
const created: LcmEvent = { ...base, notificationType: 'VnfIdentifierCreationNotification' };
const processing: LcmEvent = {
  ...base,
  notificationType: 'VnfLcmOperationOccurrenceNotification',
  notificationStatus: 'RESULT',
  occurrence: {
    id: 'o-1',
    operationState: 'PROCESSING',
    stateEnteredTime: base.occurredAt,
    startTime: base.occurredAt,
    operation: 'INSTANTIATE',
    isAutomaticInvocation: false,
    attempt: 1,
  },
};

const wants = (filter: LcmSelector['filter'], event: LcmEvent, clusterId?: string): boolean =>
  selectorWants({ filter, verbosity: 'FULL', ...(clusterId === undefined ? {} : { clusterId }) }, event);

describe('LCM subscription filters', () => {
  it('an empty filter wants everything', () => {
    expect(wants({}, created)).toBe(true);
    expect(wants({}, processing)).toBe(true);
  });
  it('matches notificationTypes, operationTypes and operationStates (or inside, and between)', () => {
    expect(wants({ notificationTypes: ['VnfIdentifierDeletionNotification'] }, created)).toBe(false);
    expect(wants({ notificationTypes: ['VnfIdentifierCreationNotification'] }, created)).toBe(true);
    expect(wants({ operationTypes: ['TERMINATE', 'INSTANTIATE'] }, processing)).toBe(true);
    expect(wants({ operationTypes: ['INSTANTIATE'], operationStates: ['COMPLETED'] }, processing)).toBe(
      false,
    );
    // Operation attributes do not apply to identifier notifications.
    expect(wants({ operationStates: ['COMPLETED'] }, created)).toBe(true);
  });
  it('matches the instance filter by vnfdIds, instance ids and names', () => {
    expect(wants({ vnfInstanceSubscriptionFilter: { vnfdIds: ['vnfd-b'] } }, processing)).toBe(false);
    expect(wants({ vnfInstanceSubscriptionFilter: { vnfdIds: ['vnfd-b', 'vnfd-a'] } }, processing)).toBe(
      true,
    );
    expect(wants({ vnfInstanceSubscriptionFilter: { vnfInstanceIds: ['i-2'] } }, created)).toBe(false);
    expect(wants({ vnfInstanceSubscriptionFilter: { vnfInstanceNames: ['ran-du'] } }, created)).toBe(true);
  });
  it('a cluster apiRoot subscription sees only its cluster', () => {
    expect(wants({}, processing, 'edge-2')).toBe(false);
    expect(wants({}, processing, 'edge-1')).toBe(true);
  });
  it('canonical text ignores member and value order', () => {
    const a = canonicalSelectorText({
      verbosity: 'FULL',
      filter: { operationStates: ['STARTING', 'COMPLETED'] },
    });
    const b = canonicalSelectorText({
      filter: { operationStates: ['COMPLETED', 'STARTING', 'COMPLETED'] },
      verbosity: 'FULL',
    });
    expect(a).toBe(b);
    expect(parseSelectorText(a).filter.operationStates).toEqual(['COMPLETED', 'STARTING']);
  });
});
