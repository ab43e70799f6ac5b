/**
 * AlarmEventNotifications end to end through the notifier channel, with real webhook receivers on loopback:
 * one alarm's NEW, CHANGE, ACKNOWLEDGE and CLEAR arrive in order, in the documented shape; subscription filters
 * suppress exactly what they name; a receiver that fails gets the same notification again. Runs on the memory
 * store and on a real Redis. The notifier's retries and polls run on a virtual clock (testing/manual-timers.ts);
 * the memory store follows it, and on Redis, whose lease expiry is its own real clock, the lease outlives the test.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { PERCEIVED_SEVERITY } from '../../alarms/alarm-record.ts';
import { clusterAlarmCondition } from '../../alarms/cluster-alarm-subject.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { ManualTimers } from '../../testing/manual-timers.ts';
import { redisForTests } from '../../testing/redis.ts';
import type { TestRedis } from '../../testing/redis.ts';
import { startWebhookReceiver } from '../../testing/webhook-receiver.ts';
import type { ReceivedRequest, WebhookReceiver } from '../../testing/webhook-receiver.ts';
import { startChannelNotifier } from '../../notifier/channel/channel-notifier.ts';
import { verifySignature } from '../../notifier/signature.ts';
import { alarmNotificationChannel } from '../../notifier/alarm-channel.ts';
import { AlarmSubscriptionRepository } from '../../notifier/subscriptions/alarm-repository.ts';
import {
  REFERENCE_ALARMS_SKIP_NOTE,
  ownSchemaErrors,
  referenceSchemaErrors,
} from '../../testing/monitoring-contract.ts';

const GLOBAL_CLOUD_ID = '0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a61';
const PUBLIC_URL = 'https://netweave.example';
const SECRET = 's'.repeat(40);

const config = parseGatewayConfig({
  subscriptions: {
    probe: { enabled: false },
    callbacks: { requireHttps: false, allowLoopback: true },
    delivery: { initialBackoffMs: 20, maxBackoffMs: 50, leaseTtlMs: 30_000, signingSecret: SECRET },
  },
}).subscriptions;

let redis: TestRedis;
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(async () => {
  await redis?.dispose();
});

const stores: ReadonlyArray<readonly [string, (clock: ManualTimers) => Promise<StateStore>]> = [
  ['memory', (clock) => Promise.resolve(createMemoryStore({ clock: () => clock.now() }))],
  ['redis', () => createRedisStore({ url: redis.url, keyPrefix: redis.keyPrefix() })],
];

async function subscribe(store: StateStore, receiver: WebhookReceiver, filter?: string): Promise<string> {
  const repository = new AlarmSubscriptionRepository(store);
  const subscriptionId = randomUUID();
  const created = await repository.create({
    subscriptionId,
    callback: `${receiver.url}?s=${subscriptionId}`,
    consumerSubscriptionId: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    ...(filter === undefined ? {} : { filter }),
    startCursor: await repository.currentCursor(),
    tenant: '*',
    createdBy: 'test',
    createdAt: new Date().toISOString(),
  });
  expect(created.created).toBe(true);
  return subscriptionId;
}

function typesOf(requests: readonly ReceivedRequest[]): number[] {
  return requests.map((r) => r.body!['notificationEventType'] as number);
}

describe.each(stores)('alarm notifications (%s store)', (_name, openStore) => {
  it(`a receiver gets NEW, CHANGE, ACKNOWLEDGE and CLEAR in order for one alarm, each valid and signed${REFERENCE_ALARMS_SKIP_NOTE}`, async () => {
    const clock = new ManualTimers();
    await using store = await openStore(clock);
    await using receiver = await startWebhookReceiver();
    await using filtered = await startWebhookReceiver();
    const subscriptionId = await subscribe(store, receiver);
    await subscribe(store, filtered, 'CHANGE,ACKNOWLEDGE');
    await using notifier = await startChannelNotifier({
      store,
      channel: alarmNotificationChannel({ globalCloudId: GLOBAL_CLOUD_ID, acknowledgedTimeField: 'both' }),
      config,
      publicUrl: () => PUBLIC_URL,
      scanIntervalMs: 50,
      pollMs: 50,
      timers: clock,
    });
    void notifier;
    const ledger = new AlarmLedger(store);
    const condition = clusterAlarmCondition({
      clusterId: 'edge-1',
      code: 'ClusterUnreachable',
      source: 'gateway',
      extensions: { reason: 'test' },
    });
    const raised = (await ledger.raise(condition))!;
    await ledger.raise({ ...condition, perceivedSeverity: PERCEIVED_SEVERITY.MAJOR });
    await ledger.acknowledge(raised.alarmEventRecordId);
    await ledger.clear(raised.alarmKey);

    await clock.runUntil(() => receiver.notifications.length >= 4, 'four notifications');
    expect(typesOf(receiver.notifications)).toEqual([0, 1, 3, 2]);
    for (const request of receiver.notifications) {
      const body = request.body!;
      expect(body).toMatchObject({
        globalCloudID: GLOBAL_CLOUD_ID,
        consumerSubscriptionId: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        alarmEventRecordId: raised.alarmEventRecordId,
        objectRef: `${PUBLIC_URL}/o2ims-infrastructureMonitoring/v1/alarms/${raised.alarmEventRecordId}`,
        resourceID: raised.resourceId,
        alarmDefinitionID: raised.alarmDefinitionId,
      });
      expect(ownSchemaErrors('AlarmEventNotification', body)).toEqual([]);
      expect(referenceSchemaErrors('AlarmEventNotification', body)).toEqual([]);
      const signature = request.headers['x-netweave-signature'] as string;
      const nowSeconds = Math.floor(clock.now() / 1000);
      expect(verifySignature(signature, request.rawBody, SECRET, { nowSeconds })).toBe(true);
      expect(request.path).toContain(subscriptionId);
    }
    const [created, changed, acknowledged, cleared] = receiver.notifications.map((r) => r.body!);
    expect(created!['perceivedSeverity']).toBe(PERCEIVED_SEVERITY.CRITICAL);
    expect(changed!['perceivedSeverity']).toBe(PERCEIVED_SEVERITY.MAJOR);
    expect(acknowledged).toMatchObject({
      alarmAcknowledged: true,
      alarmAcknowledgeTime: expect.any(String),
      alarmAcknowledgedTime: expect.any(String),
    });
    expect(cleared).toMatchObject({
      perceivedSeverity: PERCEIVED_SEVERITY.CLEARED,
      alarmClearedTime: expect.any(String),
    });
    expect(new Set(receiver.notifications.map((r) => r.body!['notificationId'])).size).toBe(4);

    // The filtered subscription excluded CHANGE and ACKNOWLEDGE: it got exactly NEW and CLEAR.
    await clock.runUntil(() => filtered.notifications.length >= 2, 'NEW and CLEAR');
    expect(typesOf(filtered.notifications)).toEqual([0, 2]);
  });

  it('a receiver answering 500 gets the same notification again, and order is kept', async () => {
    const clock = new ManualTimers();
    await using store = await openStore(clock);
    await using receiver = await startWebhookReceiver();
    let failures = 0;
    receiver.respondWith((request) => {
      if (request.body?.['notificationEventType'] === 1 && failures < 2) {
        failures++;
        return 500;
      }
      return 204;
    });
    await subscribe(store, receiver, '(eq,extensions/reason,ignored)');
    await using notifier = await startChannelNotifier({
      store,
      channel: alarmNotificationChannel({
        globalCloudId: GLOBAL_CLOUD_ID,
        acknowledgedTimeField: 'alarmAcknowledgedTime',
      }),
      config,
      publicUrl: () => PUBLIC_URL,
      scanIntervalMs: 50,
      pollMs: 50,
      timers: clock,
    });
    void notifier;
    const ledger = new AlarmLedger(store);
    const condition = clusterAlarmCondition({
      clusterId: 'edge-2',
      code: 'ClusterUnreachable',
      source: 'gateway',
      extensions: { reason: 'x' },
    });
    const ignored = clusterAlarmCondition({
      clusterId: 'edge-3',
      code: 'ClusterUnreachable',
      source: 'gateway',
      extensions: { reason: 'ignored' },
    });
    await ledger.raise(ignored);
    const raised = (await ledger.raise(condition))!;
    await ledger.raise({ ...condition, perceivedSeverity: PERCEIVED_SEVERITY.MINOR });
    await ledger.clear(raised.alarmKey);
    await clock.runUntil(() => receiver.notifications.length >= 3, 'three notifications');
    expect(typesOf(receiver.notifications)).toEqual([0, 1, 2]);
    expect(
      receiver.notifications.every((r) => r.body!['alarmEventRecordId'] === raised.alarmEventRecordId),
    ).toBe(true);
    const changeAttempts = receiver.requests.filter(
      (r) => r.method === 'POST' && r.body?.['notificationEventType'] === 1,
    );
    expect(changeAttempts).toHaveLength(3);
    expect(new Set(changeAttempts.map((r) => r.body!['notificationId'])).size).toBe(1);
  });
});
