/**
 * The alarm ledger's lifecycle on the memory store and a real Redis: stable ids per occurrence, NEW / CHANGE /
 * CLEAR / ACKNOWLEDGE exactly once each, concurrent raisers agreeing on one occurrence, events a crash left in
 * an outbox appended later, and retention purge with an injected clock.
 */
import { ShardReachability } from '../router/shard-reachability.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONITORING_LEADER_LEASE, startMonitoringService } from './monitoring-service.ts';
import { AlarmServiceConfigurationStore } from './service-configuration.ts';
import type { Timers } from '../common/timers.ts';
import { createMemoryStore } from '../state/memory-store.ts';
import { createRedisStore } from '../state/redis-store.ts';
import type { EventLog, StateStore } from '../state/store.ts';
import { redisForTests } from '../testing/redis.ts';
import type { TestRedis } from '../testing/redis.ts';
import { ALARM_EVENT_LOG, AlarmLedger } from './alarm-ledger.ts';
import type { AlarmCondition } from './alarm-ledger.ts';
import { PERCEIVED_SEVERITY, parseAlarmEvent } from './alarm-record.ts';
import { clusterAlarmCondition } from './cluster-alarm-subject.ts';
import { parseGatewayConfig } from '../common/config.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(async () => {
  await redis?.dispose();
});

const stores: ReadonlyArray<readonly [string, () => Promise<StateStore>]> = [
  ['memory', () => Promise.resolve(createMemoryStore())],
  ['redis', () => createRedisStore({ url: redis.url, keyPrefix: redis.keyPrefix() })],
];

const DAY = 24 * 60 * 60 * 1000;

function unreachable(clusterId: string, reason = 'down'): AlarmCondition {
  return clusterAlarmCondition({
    clusterId,
    code: 'ClusterUnreachable',
    source: 'gateway',
    extensions: { reason },
  });
}

async function logged(store: StateStore): Promise<string[]> {
  const entries = await store.eventLog<object>(ALARM_EVENT_LOG).read(undefined, 1000);
  return entries.map(({ event }) => {
    const parsed = parseAlarmEvent(event);
    if (parsed === undefined) throw new Error('invalid event in the log');
    return `${parsed.kind} ${parsed.alarm.alarmEventRecordId} r${parsed.alarm.revision}`;
  });
}

/** A store whose alarm log refuses the next `n` appends (a crash between the write and the append). */
function failingAppends(store: StateStore, n: { count: number }): StateStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'eventLog') {
        return (name: string, options?: object) => {
          const log = target.eventLog<object>(name, options);
          const wrapped: EventLog<object> = Object.create(log) as EventLog<object>;
          wrapped.append = async (event) => {
            if (n.count > 0) {
              n.count--;
              throw new Error('connection lost');
            }
            return log.append(event);
          };
          return wrapped;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe.each(stores)('alarm ledger (%s store)', (_name, openStore) => {
  it('raise → change → acknowledge → clear: one id, each event once, idempotent repeats', async () => {
    await using store = await openStore();
    let now = Date.parse('2026-02-01T10:00:00Z');
    const ledger = new AlarmLedger(store, { now: () => new Date(now) });
    const raised = (await ledger.raise(unreachable('c1')))!;
    expect(await ledger.raise(unreachable('c1'))).toEqual(raised);
    now += 1_000;
    const changed = (await ledger.raise({
      ...unreachable('c1'),
      perceivedSeverity: PERCEIVED_SEVERITY.MAJOR,
    }))!;
    expect(changed.alarmEventRecordId).toBe(raised.alarmEventRecordId);
    expect(changed.alarmChangedTime).toBe(new Date(now).toISOString());
    // Details change quietly: no notification for a new reason text.
    const quiet = (await ledger.raise({
      ...unreachable('c1', 'still down'),
      perceivedSeverity: PERCEIVED_SEVERITY.MAJOR,
    }))!;
    expect(quiet.extensions['reason']).toBe('still down');
    expect(quiet.alarmChangedTime).toBe(changed.alarmChangedTime);
    now += 1_000;
    expect((await ledger.acknowledge(raised.alarmEventRecordId)).outcome).toBe('acknowledged');
    expect((await ledger.acknowledge(raised.alarmEventRecordId)).outcome).toBe('unchanged');
    now += 1_000;
    const cleared = (await ledger.clear(raised.alarmKey))!;
    expect(cleared).toMatchObject({
      perceivedSeverity: PERCEIVED_SEVERITY.CLEARED,
      alarmClearedTime: new Date(now).toISOString(),
      alarmAcknowledged: true,
    });
    expect(await ledger.clear(raised.alarmKey)).toBeUndefined();
    const id = raised.alarmEventRecordId;
    expect(await logged(store)).toEqual([
      `NEW ${id} r1`,
      `CHANGE ${id} r2`,
      `ACKNOWLEDGE ${id} r4`,
      `CLEAR ${id} r5`,
    ]);

    now += 1_000;
    const again = (await ledger.raise(unreachable('c1')))!;
    expect(again.alarmEventRecordId).not.toBe(id);
    expect(again.alarmRaisedTime).toBe(new Date(now).toISOString());
  });

  it('an AUTOMATIC alarm cannot be cleared manually; a MANUAL one can', async () => {
    await using store = await openStore();
    const ledger = new AlarmLedger(store);
    const automatic = (await ledger.raise(unreachable('c2')))!;
    expect((await ledger.clearManually(automatic.alarmEventRecordId)).outcome).toBe('not-manual');
    const manual = (await ledger.raise({ ...unreachable('c3'), clearingType: 'MANUAL' }))!;
    expect(await ledger.clear(manual.alarmKey)).toBeUndefined();
    expect((await ledger.get(manual.alarmEventRecordId))!.perceivedSeverity).not.toBe(
      PERCEIVED_SEVERITY.CLEARED,
    );
    expect((await ledger.clearManually(manual.alarmEventRecordId)).outcome).toBe('cleared');
    expect((await ledger.clearManually(manual.alarmEventRecordId)).outcome).toBe('unchanged');
    expect((await ledger.clearManually('5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a')).outcome).toBe('not-found');
  });

  it('concurrent raisers (two replicas) create one occurrence and one NEW', async () => {
    await using store = await openStore();
    const ledgers = Array.from({ length: 8 }, () => new AlarmLedger(store));
    const records = await Promise.all(ledgers.map((ledger) => ledger.raise(unreachable('race'))));
    expect(new Set(records.map((r) => r!.alarmEventRecordId)).size).toBe(1);
    expect((await logged(store)).filter((e) => e.startsWith('NEW'))).toHaveLength(1);
  });

  it('an event a crash left in the outbox is appended by flushPending, once', async () => {
    await using store = await openStore();
    const failures = { count: 1 };
    const broken = new AlarmLedger(failingAppends(store, failures));
    await expect(broken.raise(unreachable('crash'))).rejects.toThrow('connection lost');
    expect(await logged(store)).toEqual([]);
    const ledger = new AlarmLedger(store);
    const record = (await ledger.list())[0]!;
    expect(await ledger.flushPending()).toBe(1);
    expect(await ledger.flushPending()).toBe(0);
    expect(await logged(store)).toEqual([`NEW ${record.alarmEventRecordId} r1`]);
  });

  it('retention: the leader purges alarms cleared longer ago than retentionPeriod days (injected clock)', async () => {
    await using store = await openStore();
    let now = Date.parse('2026-03-01T00:00:00Z');
    const ledger = new AlarmLedger(store, { now: () => new Date(now) });
    // Alertmanager alarms: a gateway ClusterUnreachable alarm of a cluster that is not registered would be
    // cleared by the same maintenance round.
    const alert = (clusterId: string): AlarmCondition =>
      clusterAlarmCondition({
        clusterId,
        code: 'PrometheusAlert',
        source: 'alertmanager',
        subject: 'a',
        extensions: {},
      });
    const old = (await ledger.raise(alert('old')))!;
    await ledger.clear(old.alarmKey);
    now += 5 * DAY;
    const recent = (await ledger.raise(alert('recent')))!;
    await ledger.clear(recent.alarmKey);
    const active = (await ledger.raise(alert('active')))!;
    const configuration = new AlarmServiceConfigurationStore(store, { retentionPeriod: 7, extensions: {} });
    await configuration.update(() => ({ retentionPeriod: 3, extensions: {} }));

    // Time moves only when the test says; the periodic loop stays out of the way (another replica leads).
    const timers: Timers = {
      now: () => now,
      sleep: (_ms, signal) =>
        new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true })),
      random: () => 0.5,
    };
    await store.leases.acquire(MONITORING_LEADER_LEASE, 'another-replica', 3_600_000);
    const config = parseGatewayConfig({}).monitoring;
    await using service = startMonitoringService({
      store,
      ledger,
      probe: new ShardReachability({
        pool: { shards: () => [] },
        failureThreshold: 3,
        probeTimeoutMs: 1_000,
      }),
      config,
      timers,
    });
    {
      now += 2 * DAY; // old: cleared 7 days ago; recent: 2 days ago
      expect(await service.maintain()).toEqual({ purged: 1, flushed: 0 });
      expect(await ledger.get(old.alarmEventRecordId)).toBeUndefined();
      expect(await ledger.get(recent.alarmEventRecordId)).toBeDefined();
      now += 2 * DAY;
      expect((await service.maintain()).purged).toBe(1);
      expect(await ledger.get(recent.alarmEventRecordId)).toBeUndefined();
      now += 100 * DAY;
      expect((await service.maintain()).purged).toBe(0);
      expect(await ledger.get(active.alarmEventRecordId)).toBeDefined();
      // A purged occurrence's slot survives: the next raise is a new occurrence with a new id.
      const next = (await ledger.raise(alert('old')))!;
      expect(next.alarmEventRecordId).not.toBe(old.alarmEventRecordId);
    }
  });
});
