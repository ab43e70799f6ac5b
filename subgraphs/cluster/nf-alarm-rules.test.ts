import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { PERCEIVED_SEVERITY } from '../../alarms/alarm-record.ts';
import type { VnfInstanceRecord } from '../../dms/lifecycle/index.ts';
import { nfInstanceAlarms } from './nf-alarm-rules.ts';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const instance = {
  id: '6f1c2a3b-0000-4000-8000-000000000001',
  clusterId: 'edge-1',
  tenant: 't1',
  vnfdId: 'vnfd-1',
  vimConnectionInfo: { edge: { vimType: 'kubernetes' } },
} as unknown as VnfInstanceRecord;

function pod(
  name: string,
  ready: boolean,
  since: string,
  container: Partial<{ waiting: string; restartCount: number }> = {},
): V1Pod {
  return {
    metadata: { name, namespace: 'nf', uid: name, creationTimestamp: new Date(since) },
    spec: { nodeName: 'node-a', containers: [{ name: 'app' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date(since) }],
      containerStatuses: [
        {
          name: 'app',
          image: 'x',
          imageID: 'x',
          ready,
          restartCount: container.restartCount ?? 0,
          ...(container.waiting === undefined ? {} : { state: { waiting: { reason: container.waiting } } }),
        },
      ],
    },
  };
}

const evaluate = (...workloads: V1Pod[][]) =>
  nfInstanceAlarms({
    instance,
    workloads: workloads.map((pods) => ({ pods })),
    baselines: () => undefined,
    now: NOW,
    unreadyGraceMs: 60_000,
  });

describe('NF pod alarm rules', () => {
  it('waits out the grace period of an unready pod, then raises NfPodUnready (MINOR while another is ready)', () => {
    const fresh = evaluate([pod('a', true, '2026-01-01T00:00:00Z'), pod('b', false, '2026-01-01T00:09:30Z')]);
    expect(fresh.conditions).toEqual([]);
    expect(fresh.nextCheckAt).toBe(Date.parse('2026-01-01T00:10:30Z'));
    const late = evaluate([pod('a', true, '2026-01-01T00:00:00Z'), pod('b', false, '2026-01-01T00:08:00Z')]);
    expect(late.conditions).toHaveLength(1);
    expect(late.conditions[0]).toMatchObject({
      alarmCode: 'NfPodUnready',
      source: 'cluster',
      subject: instance.id,
      perceivedSeverity: PERCEIVED_SEVERITY.MINOR,
      extensions: {
        vnfInstanceId: instance.id,
        vnfcInstanceIds: ['b'],
        vimConnectionId: 'edge',
        tenant: 't1',
      },
    });
  });

  it('raises NfPodCrashLooping at once (not also unready), MAJOR when a workload has no ready pod; ignores pods going away', () => {
    const gone = {
      ...pod('c', false, '2026-01-01T00:00:00Z'),
      metadata: { name: 'c', deletionTimestamp: new Date(NOW) },
    };
    const result = evaluate(
      [
        pod('b', false, '2026-01-01T00:09:59Z', { waiting: 'CrashLoopBackOff', restartCount: 3 }),
        pod('a', false, '2026-01-01T00:09:59Z', { waiting: 'CrashLoopBackOff', restartCount: 1 }),
        gone,
      ],
      [pod('other', true, '2026-01-01T00:00:00Z')],
    );
    expect(
      result.conditions.map((c) => [c.alarmCode, c.perceivedSeverity, c.extensions['vnfcInstanceIds']]),
    ).toEqual([['NfPodCrashLooping', PERCEIVED_SEVERITY.MAJOR, ['a', 'b']]]);
    expect(result.nextCheckAt).toBeUndefined();
  });
});
