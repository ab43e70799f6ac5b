/**
 * Two gateway-like notifier processes sharing a real Redis; the one leading the fan-out (and delivering part of
 * the subscriptions) is killed with SIGKILL while events stream in. Nothing may be lost, and nothing delivered
 * twice except the notification that was in flight (a retry: same notificationId).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preferredReplica } from '../../notifier/channel/channel-delivery.ts';
import { FANOUT_LEASE, deliveryLeaseName } from '../../notifier/queues.ts';
import { nodeLifecycle, publish, subscribe } from '../../testing/notifier-events.ts';
import type { StoredSubscription } from '../../notifier/subscriptions/repository.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { RedisStore } from '../../state/redis-store.ts';
import { redisForTests } from '../../testing/redis.ts';
import type { TestRedis } from '../../testing/redis.ts';
import { startWebhookReceiver } from '../../testing/webhook-receiver.ts';
import type { WebhookReceiver } from '../../testing/webhook-receiver.ts';

const REPLICA_SCRIPT = fileURLToPath(new URL('../../testing/notifier-replica.ts', import.meta.url));
const REPLICAS = ['replica-a', 'replica-b'] as const;

let redis: TestRedis;
let keyPrefix: string;
let store: RedisStore;
const children = new Map<string, ChildProcess>();
const receivers: WebhookReceiver[] = [];

function spawnReplica(replicaId: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', REPLICA_SCRIPT], {
    env: {
      ...process.env,
      REDIS_URL: redis.url,
      NETWEAVE_KEY_PREFIX: keyPrefix,
      NETWEAVE_REPLICA_ID: replicaId,
      NETWEAVE_LEASE_TTL_MS: '1500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(replicaId, child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${replicaId} did not start: ${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${replicaId} exited with ${String(code)}: ${output}`));
    });
  });
}

async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  redis = await redisForTests();
  keyPrefix = redis.keyPrefix();
  store = await createRedisStore({ url: redis.url, keyPrefix });
}, 30_000);

afterAll(async () => {
  for (const child of children.values()) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
  }
  await Promise.all(receivers.map((r) => r.close()));
  await store?.dispose();
  await redis?.dispose();
});

describe('notifier failover across processes', () => {
  it('loses nothing and repeats only the in-flight notification when a replica is killed mid-stream', async () => {
    // Subscriptions until each replica is preferred for at least two of them, so both deliver.
    const subscriptions: StoredSubscription[] = [];
    const byReplica = new Map<string, number>();
    while (subscriptions.length < 6 || REPLICAS.some((r) => (byReplica.get(r) ?? 0) < 2)) {
      // Each receiver takes a moment per notification, so deliveries are in flight when the kill comes.
      const receiver = await startWebhookReceiver({ delayMs: 5 });
      receivers.push(receiver);
      const subscription = await subscribe(store, receiver.url);
      subscriptions.push(subscription);
      const preferred = preferredReplica(REPLICAS, subscription.subscriptionId);
      byReplica.set(preferred, (byReplica.get(preferred) ?? 0) + 1);
    }
    await Promise.all(REPLICAS.map(spawnReplica));
    await until(async () => {
      const holders = await Promise.all(
        subscriptions.map((s) => store.leases.holder(deliveryLeaseName(s.subscriptionId))),
      );
      return (
        holders.every((h) => h !== undefined) &&
        REPLICAS.every((r) => holders.includes(r)) &&
        (await store.leases.holder(FANOUT_LEASE)) !== undefined
      );
    }, 'both replicas delivering and one leading the fan-out');
    const victim = (await store.leases.holder(FANOUT_LEASE))!;

    const events = Array.from({ length: 40 }, () => nodeLifecycle()).flat();
    const writer = (async () => {
      for (const [i, event] of events.entries()) {
        await publish(store, [event]);
        if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    // Kill the fan-out leader once a quarter of the stream has reached every receiver.
    await until(
      async () => receivers.every((r) => r.notifications.length >= events.length / 4),
      'the stream under way',
    );
    const child = children.get(victim)!;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    await writer;

    for (const receiver of receivers) {
      await receiver.waitFor(
        (n) => new Set(n.map((r) => r.headers['x-netweave-event-id'])).size === events.length,
        'every event after the failover',
        60_000,
      );
    }
    const survivor = REPLICAS.find((r) => r !== victim)!;
    const holders = await Promise.all(
      subscriptions.map((s) => store.leases.holder(deliveryLeaseName(s.subscriptionId))),
    );
    expect(holders.every((h) => h === survivor)).toBe(true);
    expect(await store.leases.holder(FANOUT_LEASE)).toBe(survivor);

    const expected = events.map((e) => e.eventId);
    for (const receiver of receivers) {
      const received = receiver.notifications.map((r) => String(r.headers['x-netweave-event-id']));
      // Nothing lost, in order (first deliveries).
      expect([...new Set(received)]).toEqual(expected);
      // A repeat is only ever the notification in flight when the replica died: at most one per subscription,
      // right after the original, with the same notificationId.
      const repeats = received.length - new Set(received).size;
      expect(repeats).toBeLessThanOrEqual(1);
      if (repeats === 1) {
        const at = received.findIndex((id, i) => received.indexOf(id) !== i);
        expect(received[at - 1]).toBe(received[at]);
        expect(receiver.notifications[at]!.body?.['notificationId']).toBe(
          receiver.notifications[at - 1]!.body?.['notificationId'],
        );
      }
    }
  }, 120_000);
});
