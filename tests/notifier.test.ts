/**
 * The notifier end to end within one process: change events appended to the global log, real webhook
 * receivers on loopback, the memory store (Redis and process crashes: tests/notifier-failover.e2e.test.ts).
 * Time is virtual (testing/manual-timers.ts, shared by the notifier and the store): retries, backoff, lease
 * renewal and expiry, scans and polls move with `clock.runUntil`, never with the real clock.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { eventMatchesFilter, compileEventFilter } from '../o2/event-filter.ts';
import { INVENTORY_EVENT_LOG } from '../o2/events.ts';
import type { InventoryChangeEvent } from '../o2/events.ts';
import { createMemoryStore } from '../state/memory-store.ts';
import type { MemoryStore } from '../state/memory-store.ts';
import type { StateStore } from '../state/store.ts';
import { ManualTimers } from '../testing/manual-timers.ts';
import { startWebhookReceiver } from '../testing/webhook-receiver.ts';
import type { ReceivedRequest, WebhookReceiver } from '../testing/webhook-receiver.ts';
import { SubscriptionRepository } from '../notifier/subscriptions/repository.ts';
import { LOOPBACK_POLICY, subscriptionsConfig, testAuthenticate } from '../testing/subscriptions-server.ts';
import {
  OWN_INVENTORY_DOCUMENT,
  OpenApiContract,
  REFERENCE_COMMON_DOCUMENT,
  REFERENCE_INVENTORY_DOCUMENT,
  referenceSpecsAvailable,
} from '../testing/openapi-contract.ts';
import { createDeadLetterApi } from '../rest-facade/dead-letters-api.ts';
import { DeadLetters } from '../notifier/dead-letters.ts';
import { notificationIdOf } from '../notifier/notification.ts';
import { startNotifier } from '../notifier/notifier.ts';
import type { Notifier } from '../notifier/notifier.ts';
import { queueLogName } from '../notifier/queues.ts';
import { SIGNATURE_HEADER, verifySignature } from '../notifier/signature.ts';
import {
  changeEvent,
  nodeLifecycle,
  poolState,
  publish,
  resourceState,
  subscribe,
  typeState,
} from '../testing/notifier-events.ts';

const SECRET = 'test-signing-secret-of-at-least-32-characters';
const PUBLIC_URL = 'https://gateway.example:8443';
const CONSUMER_ID = '3f20d850-af4f-a84f-fb5a-0ad585410361';

function config(delivery: Record<string, unknown> = {}) {
  return subscriptionsConfig({
    ...LOOPBACK_POLICY,
    delivery: {
      initialBackoffMs: 10,
      maxBackoffMs: 50,
      maxAttempts: 50,
      leaseTtlMs: 900,
      timeoutMs: 2_000,
      signingSecret: SECRET,
      ...delivery,
    },
  });
}

/** A memory store on the test's virtual clock (lease expiry, cursors). */
function storeOn(clock: ManualTimers): MemoryStore {
  return createMemoryStore({ clock: () => clock.now() });
}

async function notifierOn(
  store: StateStore,
  clock: ManualTimers,
  delivery: Record<string, unknown> = {},
  extra: { fetch?: typeof fetch } = {},
): Promise<Notifier> {
  return startNotifier({
    store,
    config: config(delivery),
    publicUrl: () => PUBLIC_URL,
    scanIntervalMs: 50,
    pollMs: 100,
    timers: clock,
    ...extra,
  });
}

/** Runs virtual time until the receiver got what `predicate` asks for. */
function receiverGot(
  clock: ManualTimers,
  receiver: WebhookReceiver,
  predicate: (notifications: readonly ReceivedRequest[]) => boolean,
  what: string,
): Promise<void> {
  return clock.runUntil(() => predicate(receiver.notifications), what);
}

function ids(requests: readonly ReceivedRequest[]): string[] {
  return requests.map((r) => String(r.body?.['notificationId']));
}

function eventIds(requests: readonly ReceivedRequest[]): string[] {
  return requests.map((r) => String(r.headers['x-netweave-event-id']));
}

async function counter(
  notifier: Notifier,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = await notifier.metrics.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))
    .reduce((sum, v) => sum + v.value, 0);
}

const own = new OpenApiContract([OWN_INVENTORY_DOCUMENT]);
const reference = referenceSpecsAvailable
  ? new OpenApiContract([REFERENCE_INVENTORY_DOCUMENT, REFERENCE_COMMON_DOCUMENT])
  : undefined;

describe('notifier: delivery', () => {
  it('delivers CREATE, MODIFY, DELETE in order as valid, signed InventoryChangeNotifications', async () => {
    const clock = new ManualTimers();
    await using store = storeOn(clock);
    await using receiver = await startWebhookReceiver();
    const subscription = await subscribe(store, receiver.url, { consumerSubscriptionId: CONSUMER_ID });
    await using _notifier = await notifierOn(store, clock);
    const events = nodeLifecycle();
    await publish(store, events);
    await receiverGot(clock, receiver, (n) => n.length === 3, 'three notifications');

    const bodies = receiver.notifications.map((n) => n.body!);
    expect(bodies.map((b) => b['notificationEventType'])).toEqual([0, 1, 2]);
    expect(ids(receiver.notifications)).toEqual(
      events.map((e) => notificationIdOf(subscription.subscriptionId, e.eventId)),
    );
    expect(new Set(ids(receiver.notifications)).size).toBe(3);
    const [created, modified, deleted] = bodies;
    expect(created).toEqual({
      notificationId: expect.any(String),
      consumerSubscriptionId: CONSUMER_ID,
      notificationEventType: 0,
      objectRef: `${PUBLIC_URL}/o2ims-infrastructureInventory/v2${events[0]!.objectRef}`,
      postObjectState: events[0]!.postObjectState,
    });
    expect(modified).toMatchObject({
      priorObjectState: events[1]!.priorObjectState,
      postObjectState: events[1]!.postObjectState,
    });
    expect(deleted).not.toHaveProperty('postObjectState');
    expect(deleted).toMatchObject({ priorObjectState: events[2]!.priorObjectState });
    for (const notification of receiver.notifications) {
      expect(own.errors('/components/schemas/InventoryChangeNotification', notification.body)).toEqual([]);
      if (reference !== undefined)
        expect(
          reference.errors('/components/schemas/InventoryChangeNotification', notification.body),
        ).toEqual([]);
      expect(notification.headers['content-type']).toBe('application/json');
      const signature = notification.headers[SIGNATURE_HEADER.toLowerCase()];
      const nowSeconds = Math.floor(clock.now() / 1000);
      expect(verifySignature(String(signature), notification.rawBody, SECRET, { nowSeconds })).toBe(true);
      expect(verifySignature(String(signature), `${notification.rawBody} `, SECRET)).toBe(false);
      expect(verifySignature(String(signature), notification.rawBody, `${SECRET}x`)).toBe(false);
    }
    // The schemas are not vacuous: a notification without its post state or with a graph field fails.
    expect(
      own.errors('/components/schemas/InventoryChangeNotification', {
        ...created,
        postObjectState: undefined,
      }),
    ).not.toEqual([]);
    expect(
      own.errors('/components/schemas/InventoryChangeNotification', {
        ...created,
        postObjectState: { ...events[0]!.postObjectState, clusterId: 'edge-1' },
      }),
    ).not.toEqual([]);
  });

  it('sends the same notificationId again after a 500 and keeps the order', async () => {
    const clock = new ManualTimers();
    await using store = storeOn(clock);
    await using receiver = await startWebhookReceiver();
    let posts = 0;
    receiver.respondWith(() => (++posts === 1 ? 500 : 204));
    await subscribe(store, receiver.url);
    await using _notifier = await notifierOn(store, clock);
    const events = nodeLifecycle();
    await publish(store, events);
    await receiverGot(clock, receiver, (n) => n.length === 3, 'three notifications');
    const posted = receiver.requests.filter((r) => r.method === 'POST');
    expect(eventIds(posted)).toEqual([
      events[0]!.eventId,
      events[0]!.eventId,
      events[1]!.eventId,
      events[2]!.eventId,
    ]);
    expect(ids(posted)[0]).toBe(ids(posted)[1]);
    expect(posted.map((r) => r.headers['x-netweave-delivery-attempt'])).toEqual(['1', '2', '1', '1']);
    expect(eventIds(receiver.notifications)).toEqual(events.map((e) => e.eventId));
  });

  it('delivers everything, in order, to a receiver that was down for a while', async () => {
    const clock = new ManualTimers();
    await using store = storeOn(clock);
    const first = await startWebhookReceiver();
    const port = first.port;
    const url = first.url;
    await first.close();
    await subscribe(store, url);
    await using notifier = await notifierOn(store, clock);
    const events = [...nodeLifecycle(), ...nodeLifecycle()];
    await publish(store, events);
    await clock.runUntil(
      async () =>
        (await counter(notifier, 'netweave_notification_attempts_total', { outcome: 'retry' })) >= 3,
      'failed attempts',
    );
    await using receiver = await startWebhookReceiver({ port });
    await receiverGot(clock, receiver, (n) => n.length === events.length, 'every notification');
    expect(eventIds(receiver.notifications)).toEqual(events.map((e) => e.eventId));
  });

  it('dead-letters a notification refused with a final 4xx, shows it to operators, and moves on', async () => {
    const clock = new ManualTimers();
    await using store = storeOn(clock);
    await using receiver = await startWebhookReceiver();
    let posts = 0;
    receiver.respondWith(() => (++posts === 1 ? 422 : 204));
    const subscription = await subscribe(store, receiver.url);
    await using notifier = await notifierOn(store, clock);
    const events = nodeLifecycle();
    await publish(store, events);
    await receiverGot(clock, receiver, (n) => n.length === 2, 'the other notifications');
    expect(eventIds(receiver.notifications)).toEqual([events[1]!.eventId, events[2]!.eventId]);
    expect(
      await counter(notifier, 'netweave_notifications_dead_lettered_total', { reason: 'final-status' }),
    ).toBe(1);

    const app = express().use(createDeadLetterApi({ store, authenticate: testAuthenticate }));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const response = await fetch(
        `${base}/netweave/v1/subscriptions/${subscription.subscriptionId}/dead-letters`,
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([
        expect.objectContaining({
          subscriptionId: subscription.subscriptionId,
          reason: 'final-status',
          detail: 'status 422',
          attempts: 1,
          eventId: events[0]!.eventId,
          notificationId: notificationIdOf(subscription.subscriptionId, events[0]!.eventId),
        }),
      ]);
      const forbidden = await fetch(
        `${base}/netweave/v1/subscriptions/${subscription.subscriptionId}/dead-letters`,
        { headers: { 'x-test-roles': 'reader' } },
      );
      expect(forbidden.status).toBe(403);
      expect((await fetch(`${base}/netweave/v1/subscriptions/${CONSUMER_ID}/dead-letters`)).status).toBe(404);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('records one queue-overflow dead letter when a receiver was down longer than its queue holds', async () => {
    const clock = new ManualTimers();
    await using store = storeOn(clock);
    const first = await startWebhookReceiver();
    const { port, url } = first;
    await first.close();
    await subscribe(store, url);
    await using notifier = await notifierOn(store, clock, { queueMaxLength: 5 });
    const events = Array.from({ length: 4 }, () => nodeLifecycle()).flat();
    // The first notification is in flight (failing) before the rest pile up and push it out of the queue.
    await publish(store, events.slice(0, 1));
    await clock.runUntil(
      async () =>
        (await counter(notifier, 'netweave_notification_attempts_total', { outcome: 'retry' })) >= 2,
      'the first notification failing',
    );
    await publish(store, events.slice(1));
    await using receiver = await startWebhookReceiver({ port });
    await receiverGot(
      clock,
      receiver,
      (n) => n.length === 6,
      'the in-flight notification and what the queue kept',
    );
    expect(eventIds(receiver.notifications)).toEqual([events[0]!, ...events.slice(-5)].map((e) => e.eventId));
    expect(
      await counter(notifier, 'netweave_notifications_dead_lettered_total', { reason: 'queue-overflow' }),
    ).toBe(1);
  });

  it('queues references to the log entries, not copies; an event gone from the log is a dead letter', async () => {
    const clock = new ManualTimers();
    await using store = storeOn(clock);
    const first = await startWebhookReceiver();
    const { port, url } = first;
    await first.close();
    const subscription = await subscribe(store, url);
    const events = [...nodeLifecycle(), ...nodeLifecycle()];
    {
      await using notifier = await notifierOn(store, clock);
      await publish(store, events);
      await clock.runUntil(
        async () =>
          (await counter(notifier, 'netweave_notification_attempts_total', { outcome: 'retry' })) >= 2,
        'the receiver refusing the first notification',
      );
    }
    const queued = await store.eventLog(queueLogName(subscription.subscriptionId)).read(undefined, 10);
    const log = store.eventLog<InventoryChangeEvent>(INVENTORY_EVENT_LOG);
    const logged = await log.read(undefined, 10);
    expect(queued.map((q) => q.event)).toEqual(
      logged.map(({ cursor, event }) => ({ eventId: event.eventId, ref: cursor })),
    );
    // The log's retention passes the first four events while the receiver is down; a fresh replica (nothing
    // cached) delivers what the log still has and records each of the others as a dead letter.
    await log.trim(2);
    await using receiver = await startWebhookReceiver({ port });
    await using successor = await notifierOn(store, clock);
    await receiverGot(clock, receiver, (n) => n.length === 2, 'the notifications still in the log');
    expect(eventIds(receiver.notifications)).toEqual(events.slice(-2).map((e) => e.eventId));
    const letters = await new DeadLetters(store).list(subscription.subscriptionId);
    expect(letters.map((l) => [l.reason, l.eventId])).toEqual(
      events.slice(0, 4).map((e) => ['queue-overflow', e.eventId]),
    );
    expect(
      await counter(successor, 'netweave_notifications_dead_lettered_total', { reason: 'queue-overflow' }),
    ).toBe(4);
  });

  it('still delivers the copies that an older version queued', async () => {
    const clock = new ManualTimers();
    await using store = storeOn(clock);
    await using receiver = await startWebhookReceiver();
    const subscription = await subscribe(store, receiver.url);
    const [created] = nodeLifecycle();
    await store
      .eventLog(queueLogName(subscription.subscriptionId))
      .append({ eventId: created!.eventId, event: created });
    await using notifier = await notifierOn(store, clock);
    await receiverGot(clock, receiver, (n) => n.length === 1, 'the queued copy');
    expect(eventIds(receiver.notifications)).toEqual([created!.eventId]);
    expect(receiver.notifications[0]!.body?.['notificationId']).toBe(
      notificationIdOf(subscription.subscriptionId, created!.eventId),
    );
    expect(notifier.isFanOutLeader).toBe(true);
  });

  it('dead-letters after the retry budget of retryable failures', async () => {
    const clock = new ManualTimers();
    await using store = storeOn(clock);
    await using receiver = await startWebhookReceiver();
    const events = nodeLifecycle();
    receiver.respondWith((request) =>
      request.headers['x-netweave-event-id'] === events[0]!.eventId
        ? { status: 503, headers: { 'retry-after': '0' } }
        : 204,
    );
    await subscribe(store, receiver.url);
    await using notifier = await notifierOn(store, clock, { maxAttempts: 3 });
    await publish(store, events);
    await receiverGot(clock, receiver, (n) => n.length === 2, 'the other notifications');
    const tries = receiver.requests.filter((r) => r.headers['x-netweave-event-id'] === events[0]!.eventId);
    expect(tries.map((r) => r.headers['x-netweave-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect(
      await counter(notifier, 'netweave_notifications_dead_lettered_total', { reason: 'retry-budget' }),
    ).toBe(1);
  });
});

/** Subscriptions of the spreading test (see there). */
const SPREAD_SUBSCRIPTIONS = 16;

describe('notifier: subscriptions and filters', () => {
  it('exclusion filters suppress exactly the events that match them', async () => {
    const clock = new ManualTimers();
    await using store = storeOn(clock);
    const receivers: WebhookReceiver[] = [];
    const filters = [
      undefined,
      '(eq,objectKind,RESOURCE_TYPE)',
      '(neq,notificationEventType,1)',
      '(eq,postObjectState/extensions/labels/rack,r7)',
      '(in,clusterId,edge-2,edge-3)',
    ];
    try {
      for (const filter of filters) {
        const receiver = await startWebhookReceiver();
        receivers.push(receiver);
        await subscribe(store, receiver.url, filter === undefined ? {} : { filter });
      }
      await using _notifier = await notifierOn(store, clock);
      const nodeId = '11111111-2222-4333-8444-555555555555';
      const events: InventoryChangeEvent[] = [
        changeEvent('RESOURCE_TYPE', '5b2ad0e1-3c4f-4e8a-9d7b-1a2b3c4d5e6f', null, typeState()),
        changeEvent('RESOURCE', nodeId, null, resourceState(nodeId)),
        changeEvent('RESOURCE', nodeId, resourceState(nodeId), resourceState(nodeId, { rack: 'r7' })),
        changeEvent(
          'RESOURCE_POOL',
          '8c1c151d-2899-4c96-b76f-4fe92064b57b',
          poolState('gpu'),
          poolState('gpu-a'),
          'edge-2',
        ),
        changeEvent('RESOURCE', nodeId, resourceState(nodeId, { rack: 'r7' }), null),
      ];
      // The last event is excluded by none of the filters: once it arrives, everything before it has.
      const sentinel = changeEvent(
        'RESOURCE_POOL',
        '8c1c151d-2899-4c96-b76f-4fe92064b57b',
        poolState('gpu-a'),
        poolState('gpu-b'),
      );
      await publish(store, [...events, sentinel]);
      const expected: string[][] = [
        events.map((e) => e.eventId),
        [events[1]!, events[2]!, events[3]!, events[4]!].map((e) => e.eventId),
        [events[2]!, events[3]!].map((e) => e.eventId),
        [events[0]!, events[1]!, events[3]!, events[4]!].map((e) => e.eventId),
        [events[0]!, events[1]!, events[2]!, events[4]!].map((e) => e.eventId),
      ];
      for (const [i, receiver] of receivers.entries()) {
        await receiverGot(
          clock,
          receiver,
          (n) => n.at(-1)?.headers['x-netweave-event-id'] === sentinel.eventId,
          `the sentinel at receiver ${i}`,
        );
        expect(eventIds(receiver.notifications), `filter ${filters[i] ?? '(none)'}`).toEqual([
          ...expected[i]!,
          sentinel.eventId,
        ]);
        // The hand-written expectation agrees with the evaluator the notifier uses.
        const filter = filters[i];
        if (filter !== undefined) {
          const compiled = compileEventFilter(filter);
          expect(events.filter((e) => !eventMatchesFilter(compiled, e)).map((e) => e.eventId)).toEqual(
            expected[i],
          );
        }
      }
    } finally {
      await Promise.all(receivers.map((r) => r.close()));
    }
  });

  it('notifies only events after a subscription was created, also when the fan-out sees it late', async () => {
    const clock = new ManualTimers();
    await using store = storeOn(clock);
    await using early = await startWebhookReceiver();
    await using late = await startWebhookReceiver();
    await subscribe(store, early.url);
    await using _notifier = await notifierOn(store, clock);
    const before = nodeLifecycle();
    await publish(store, before);
    await receiverGot(clock, early, (n) => n.length === 3, 'the early events');
    const subscription = await subscribe(store, late.url, { apiVersion: 'v1' });
    // Published at once: the fan-out may not have listed the new subscription yet (then it backfills).
    const after = nodeLifecycle();
    await publish(store, after);
    await receiverGot(clock, late, (n) => n.length === 3, 'the later events');
    await receiverGot(clock, early, (n) => n.length === 6, 'all events');
    expect(eventIds(late.notifications)).toEqual(after.map((e) => e.eventId));
    expect(String(late.notifications[0]!.body?.['objectRef'])).toContain(
      '/o2ims-infrastructureInventory/v1/resourcePools/',
    );

    // Deleting it stops its notifications and removes its queue.
    await new SubscriptionRepository(store).delete(subscription.subscriptionId);
    const last = nodeLifecycle();
    await publish(store, last);
    await receiverGot(clock, early, (n) => n.length === 9, 'the last events');
    await clock.runUntil(
      async () =>
        (await store.eventLog(queueLogName(subscription.subscriptionId)).read(undefined, 1)).length === 0,
      'the queue removed',
    );
    expect(late.notifications).toHaveLength(3);
  });

  it('spreads subscriptions over replicas and hands them over when one stops', async () => {
    const clock = new ManualTimers();
    const store = storeOn(clock);
    const peer = store.fork();
    const receivers: WebhookReceiver[] = [];
    try {
      // Each subscription's preferred replica is a rendezvous hash of random ids: with 8 subscriptions all of
      // them preferred one replica once in 128 runs (seen in CI); with 16, once in 32,768.
      for (let i = 0; i < SPREAD_SUBSCRIPTIONS; i++) {
        const receiver = await startWebhookReceiver();
        receivers.push(receiver);
        await subscribe(store, receiver.url);
      }
      const a = await notifierOn(store, clock);
      const b = await notifierOn(peer, clock);
      await clock.runUntil(
        () =>
          a.heldSubscriptions().length > 0 &&
          b.heldSubscriptions().length > 0 &&
          a.heldSubscriptions().length + b.heldSubscriptions().length === SPREAD_SUBSCRIPTIONS,
        'both replicas delivering',
      );
      expect([a.isFanOutLeader, b.isFanOutLeader].filter(Boolean)).toHaveLength(1);
      const first = nodeLifecycle();
      await publish(store, first);
      await clock.runUntil(() => receivers.every((r) => r.notifications.length === 3), 'the first events');
      await a.stop();
      await clock.runUntil(
        () => b.heldSubscriptions().length === SPREAD_SUBSCRIPTIONS,
        'the survivor delivering everything',
      );
      const second = nodeLifecycle();
      await publish(peer, second);
      await clock.runUntil(() => receivers.every((r) => r.notifications.length === 6), 'the second events');
      for (const receiver of receivers)
        expect(eventIds(receiver.notifications)).toEqual([...first, ...second].map((e) => e.eventId));
      await b.stop();
    } finally {
      await Promise.all(receivers.map((r) => r.close()));
      await peer.dispose();
      await store.dispose();
    }
  });
});

describe('notifier: authenticated delivery', () => {
  it('sends an OAuth2 client-credentials token, reuses it, and fetches a new one after a 401', async () => {
    const clock = new ManualTimers();
    await using store = storeOn(clock);
    const tokenRequests: Array<{ authorization: string | undefined; body: string }> = [];
    const tokenServer = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        tokenRequests.push({ authorization: req.headers.authorization, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            access_token: `token-${tokenRequests.length}`,
            token_type: 'Bearer',
            expires_in: 3600,
          }),
        );
      });
    });
    tokenServer.listen(0, '127.0.0.1');
    await once(tokenServer, 'listening');
    try {
      let accepted = 'Bearer token-1';
      await using receiver = await startWebhookReceiver();
      receiver.respondWith((request) => (request.headers.authorization === accepted ? 204 : 401));
      await subscribe(store, receiver.url);
      const tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
      await using _notifier = await notifierOn(store, clock, {
        oauth2: { tokenUrl, clientId: 'netweave', clientSecret: 's3cret', scope: 'o2ims' },
      });
      const events = nodeLifecycle();
      await publish(store, events.slice(0, 2));
      await receiverGot(clock, receiver, (n) => n.length === 2, 'two notifications');
      expect(tokenRequests).toHaveLength(1);
      expect(tokenRequests[0]!.authorization).toBe(
        `Basic ${Buffer.from('netweave:s3cret').toString('base64')}`,
      );
      expect(new URLSearchParams(tokenRequests[0]!.body).get('grant_type')).toBe('client_credentials');
      expect(new URLSearchParams(tokenRequests[0]!.body).get('scope')).toBe('o2ims');

      accepted = 'Bearer token-2';
      await publish(store, events.slice(2));
      await receiverGot(
        clock,
        receiver,
        (n) => n.length === 3,
        'the notification after the token was revoked',
      );
      expect(tokenRequests).toHaveLength(2);
      const last = receiver.requests.filter((r) => r.headers['x-netweave-event-id'] === events[2]!.eventId);
      expect(last.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
      expect(new Set(ids(last)).size).toBe(1);
    } finally {
      tokenServer.closeAllConnections();
      await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
    }
  });
});

/** An admin API server (dead letters) on loopback for one test. */
async function deadLetterApi(store: StateStore): Promise<{ base: string } & AsyncDisposable> {
  const app = express().use(createDeadLetterApi({ store, authenticate: testAuthenticate }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/netweave/v1/subscriptions`,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A notifier with the production retry settings (hours of retries, backoff capped at 5 min, no attempt cap)
 * on an injected clock; its leases outlive the test (the memory store's lease clock is the real one).
 */
function notifierOnClock(
  store: StateStore,
  timers: ManualTimers,
  delivery: Record<string, unknown>,
): Promise<Notifier> {
  return startNotifier({
    store,
    config: subscriptionsConfig({ ...LOOPBACK_POLICY, delivery: { leaseTtlMs: 60_000, ...delivery } }),
    publicUrl: () => PUBLIC_URL,
    timers,
    scanIntervalMs: 50,
    pollMs: 100,
  });
}

async function gauge(notifier: Notifier, name: string): Promise<number> {
  const metric = await notifier.metrics.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

describe('notifier: no silent loss (issue 14)', () => {
  it('a receiver down for 10 minutes on the injected clock still gets every notification afterwards, in order', async () => {
    const timers = new ManualTimers();
    await using store = createMemoryStore();
    const first = await startWebhookReceiver();
    const { port, url } = first;
    await first.close();
    const subscription = await subscribe(store, url);
    await using notifier = await notifierOnClock(store, timers, { failingAfterMs: 120_000 });
    const events = [...nodeLifecycle(), ...nodeLifecycle()];
    await publish(store, events);
    // Ten minutes of the notifier's clock pass while the receiver refuses connections.
    await expect
      .poll(
        () => {
          timers.advance(10_000);
          return timers.elapsed >= 600_000 ? true : undefined;
        },
        { timeout: 30_000, interval: 20, message: 'ten minutes on the injected clock' },
      )
      .toBe(true);
    expect(
      await counter(notifier, 'netweave_notification_attempts_total', { outcome: 'retry' }),
    ).toBeGreaterThan(4);
    expect(await gauge(notifier, 'netweave_notification_subscriptions_failing')).toBe(1);
    expect(await counter(notifier, 'netweave_notifications_dead_lettered_total')).toBe(0);

    await using receiver = await startWebhookReceiver({ port });
    // The next attempt comes within the backoff cap (5 min of the injected clock).
    await expect
      .poll(
        () => {
          timers.advance(10_000);
          return receiver.notifications.length === events.length ? true : undefined;
        },
        { timeout: 30_000, interval: 20, message: 'every notification delivered' },
      )
      .toBe(true);
    expect(eventIds(receiver.notifications)).toEqual(events.map((e) => e.eventId));
    expect(ids(receiver.notifications)).toEqual(
      events.map((e) => notificationIdOf(subscription.subscriptionId, e.eventId)),
    );
    expect(Number(receiver.notifications[0]!.headers['x-netweave-delivery-attempt'])).toBeGreaterThan(4);
    expect(await counter(notifier, 'netweave_notifications_dead_lettered_total')).toBe(0);
    expect(await gauge(notifier, 'netweave_notification_subscriptions_failing')).toBe(0);
  });

  it('dead-letters a notification only when its retry period (retryForMs) is over, then moves on', async () => {
    const timers = new ManualTimers();
    await using store = createMemoryStore();
    await using receiver = await startWebhookReceiver();
    const events = nodeLifecycle();
    receiver.respondWith((request) =>
      request.headers['x-netweave-event-id'] === events[0]!.eventId ? 503 : 204,
    );
    await subscribe(store, receiver.url);
    await using notifier = await notifierOnClock(store, timers, { retryForMs: 3_600_000 });
    await publish(store, events);
    await expect
      .poll(
        () => {
          timers.advance(30_000);
          return receiver.notifications.length === 2 ? true : undefined;
        },
        { timeout: 30_000, interval: 20, message: 'the later notifications after the first gave up' },
      )
      .toBe(true);
    expect(timers.elapsed).toBeGreaterThanOrEqual(3_600_000);
    expect(eventIds(receiver.notifications)).toEqual([events[1]!.eventId, events[2]!.eventId]);
    expect(
      await counter(notifier, 'netweave_notifications_dead_lettered_total', { reason: 'retry-budget' }),
    ).toBe(1);
  });

  it('replays dead letters over the admin API: one by id, then every one of a subscription, in order', async () => {
    const clock = new ManualTimers();
    await using store = createMemoryStore({ clock: () => clock.now() });
    await using receiver = await startWebhookReceiver();
    let refusing = true;
    receiver.respondWith(() => (refusing ? 422 : 204));
    const subscription = await subscribe(store, receiver.url);
    await using notifier = await notifierOn(store, clock);
    const events = nodeLifecycle();
    await publish(store, events);
    await clock.runUntil(
      async () => (await counter(notifier, 'netweave_notifications_dead_lettered_total')) === 3,
      'three dead letters',
    );
    refusing = false;
    await using api = await deadLetterApi(store);
    const base = `${api.base}/${subscription.subscriptionId}/dead-letters`;
    const listed = (await (await fetch(base)).json()) as Array<{ deadLetterId: string; eventId: string }>;
    expect(listed.map((l) => l.eventId)).toEqual(events.map((e) => e.eventId));

    const one = await fetch(`${base}/${listed[1]!.deadLetterId}/replay`, { method: 'POST' });
    expect(one.status).toBe(202);
    expect(await one.json()).toEqual({ replayed: [listed[1]!.deadLetterId] });
    await receiverGot(clock, receiver, (n) => n.length === 1, 'the replayed notification');
    expect(ids(receiver.notifications)).toEqual([
      notificationIdOf(subscription.subscriptionId, events[1]!.eventId),
    ]);
    // Replayed letters leave the list; a second replay of the same id is a 404.
    expect(((await (await fetch(base)).json()) as unknown[]).length).toBe(2);
    expect((await fetch(`${base}/${listed[1]!.deadLetterId}/replay`, { method: 'POST' })).status).toBe(404);

    const all = await fetch(`${base}/replay`, { method: 'POST' });
    expect(all.status).toBe(202);
    await receiverGot(clock, receiver, (n) => n.length === 3, 'every replayed notification');
    expect(eventIds(receiver.notifications)).toEqual(
      [events[1]!, events[0]!, events[2]!].map((e) => e.eventId),
    );
    expect(await (await fetch(base)).json()).toEqual([]);

    // Bad input and roles.
    expect((await fetch(`${base}/not-an-id/replay`, { method: 'POST' })).status).toBe(400);
    expect(
      (await fetch(`${base}/replay`, { method: 'POST', headers: { 'x-test-roles': 'subscriber' } })).status,
    ).toBe(403);
    expect((await fetch(`${api.base}/${CONSUMER_ID}/dead-letters/replay`, { method: 'POST' })).status).toBe(
      404,
    );
    const wrongMethod = await fetch(`${base}/replay`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('expires dead letters after the retention', async () => {
    await using store = createMemoryStore();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const letters = new DeadLetters(store, { retentionMs: 3_600_000, now: () => now });
    const subscriptionId = '6f0e9d1c-1111-4a2b-8c3d-4e5f60718293';
    const letter = (failedAt: number) => ({
      subscriptionId,
      reason: 'final-status' as const,
      detail: 'status 410',
      attempts: 1,
      failedAt: new Date(failedAt).toISOString(),
    });
    await letters.record(letter(now));
    now += 30 * 60_000;
    await letters.record(letter(now));
    expect(await letters.list(subscriptionId)).toHaveLength(2);
    now += 45 * 60_000; // the first is 75 min old, the second 45 min
    expect(await letters.list(subscriptionId)).toHaveLength(1);
    now += 60 * 60_000;
    await letters.record(letter(now));
    // Expired letters also leave the store when the next one is recorded.
    expect(await store.eventLog(`notifier-dead-letters.${subscriptionId}`).read(undefined, 10)).toHaveLength(
      1,
    );
  });

  it('the queue-overflow dead letter is listed but not replayable (409)', async () => {
    await using store = createMemoryStore();
    const subscriptionId = (await subscribe(store, 'http://127.0.0.1:9/notify')).subscriptionId;
    await new DeadLetters(store).record({
      subscriptionId,
      reason: 'queue-overflow',
      detail: 'the queue held more than 5 notifications',
      attempts: 0,
      failedAt: new Date().toISOString(),
    });
    await using api = await deadLetterApi(store);
    const base = `${api.base}/${subscriptionId}/dead-letters`;
    const [overflow] = (await (await fetch(base)).json()) as Array<{ deadLetterId: string; reason: string }>;
    expect(overflow?.reason).toBe('queue-overflow');
    const answer = await fetch(`${base}/${overflow!.deadLetterId}/replay`, { method: 'POST' });
    expect(answer.status).toBe(409);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });
});
