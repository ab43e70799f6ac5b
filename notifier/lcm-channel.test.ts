/**
 * SOL003 LCM notifications end to end through the notifier, against a real webhook receiver on 127.0.0.1:
 * the lifecycle service and ledger write the DMS event log, the LCM channel delivers. The runner's steps
 * are played by ledger transitions (the runner tests run helm). The notifier's retries, polls and lease
 * renewals run on a virtual clock (testing/manual-timers.ts); the memory store follows it, and on Redis,
 * whose lease expiry is its own real clock, the lease outlives any test.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../common/config.ts';
import { LifecycleService } from '../dms/lifecycle/service.ts';
import type { DeploymentManagerDirectory } from '../dms/lifecycle/placement.ts';
import { canonicalSelectorText, type LcmSelector } from '../dms/notifications/lcm-subscriptions.ts';
import type { StoredLcmSubscription } from '../dms/notifications/lcm-subscriptions.ts';
import { clusterScopedId } from '../o2/ids.ts';
import { createMemoryStore } from '../state/memory-store.ts';
import { createRedisStore } from '../state/redis-store.ts';
import type { StateStore } from '../state/store.ts';
import { chartDescriptor, TestPackages } from '../testing/dms-packages.ts';
import { ManualTimers } from '../testing/manual-timers.ts';
import { redisForTests, type TestRedis } from '../testing/redis.ts';
import {
  startWebhookReceiver,
  type ReceivedRequest,
  type WebhookReceiver,
} from '../testing/webhook-receiver.ts';
import { startLcmNotifier } from './lcm-channel.ts';
import { SIGNATURE_HEADER, verifySignature } from './signature.ts';
import { LcmSubscriptionRepository } from './subscriptions/lcm-repository.ts';

const SECRET = 'k'.repeat(40);
const PUBLIC_URL = 'https://netweave.example';
const VNFD = '3c2b1a00-1111-4222-8333-444455556666';
const dmOf = (clusterId: string): string =>
  clusterScopedId(clusterId, 'deploymentManager', 'deploymentManager');
const directory: DeploymentManagerDirectory = {
  clusterOf: (id) => (dmOf('edge-1') === id ? 'edge-1' : undefined),
  deploymentManagerOf: dmOf,
};
const config = parseGatewayConfig({
  subscriptions: {
    probe: { enabled: false },
    callbacks: { requireHttps: false, allowLoopback: true },
    delivery: { initialBackoffMs: 20, maxBackoffMs: 50, leaseTtlMs: 30_000, signingSecret: SECRET },
  },
}).subscriptions;
const ALL = { tenant: '*' } as const;

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

function serviceOn(store: StateStore): LifecycleService {
  const packages = new TestPackages();
  packages.add({
    id: 'pkg-1',
    tenant: undefined,
    onboardingState: 'ONBOARDED',
    operationalState: 'ENABLED',
    usageState: 'NOT_IN_USE',
    descriptor: chartDescriptor(VNFD),
  });
  return new LifecycleService({ store, packages, deploymentManagers: directory });
}

async function subscribe(
  store: StateStore,
  callback: string,
  selector: Partial<LcmSelector> = {},
  extra: Partial<StoredLcmSubscription> = {},
): Promise<string> {
  const repository = new LcmSubscriptionRepository(store);
  const subscriptionId = randomUUID();
  const created = await repository.create({
    subscriptionId,
    callback,
    filter: canonicalSelectorText({ filter: {}, verbosity: 'FULL', ...selector }),
    startCursor: await repository.currentCursor(),
    tenant: '*',
    createdBy: 'test',
    createdAt: new Date().toISOString(),
    ...extra,
  });
  expect(created.created).toBe(true);
  return subscriptionId;
}

const instantiateOnEdge1 = {
  flavourId: 'default',
  vimConnectionInfo: { v: { vimId: dmOf('edge-1'), vimType: 'kubernetes' } },
};

function occurrenceStates(notifications: readonly ReceivedRequest[]): string[] {
  return notifications
    .map((n) => n.body!)
    .filter((b) => b['notificationType'] === 'VnfLcmOperationOccurrenceNotification')
    .map((b) => `${String(b['notificationStatus'])}:${String(b['operationState'])}`);
}

for (const [name, open] of stores) {
  describe(`LCM notifications (${name})`, () => {
    let store: StateStore;
    let receiver: WebhookReceiver;
    let service: LifecycleService;
    let notifier: Awaited<ReturnType<typeof startLcmNotifier>>;
    const clock = new ManualTimers();
    const received = (
      predicate: (notifications: readonly ReceivedRequest[]) => boolean,
      what: string,
    ): Promise<void> => clock.runUntil(() => predicate(receiver.notifications), what);
    beforeAll(async () => {
      store = await open(clock);
      receiver = await startWebhookReceiver();
      service = serviceOn(store);
      notifier = await startLcmNotifier({
        store,
        config,
        publicUrl: () => PUBLIC_URL,
        pollMs: 100,
        timers: clock,
      });
    });
    afterAll(async () => {
      await notifier.stop();
      await receiver.close();
      await store.dispose();
    });

    it('one instantiate: creation, then STARTING, PROCESSING, COMPLETED of one occurrence in order, signed, with SOL003 headers and BASIC auth', async () => {
      const subscriptionId = await subscribe(
        store,
        `${receiver.url}/basic`,
        {},
        {
          authentication: { authType: 'BASIC', userName: 'smo', password: 'pw' },
        },
      );
      const instance = await service.createInstance(ALL, { vnfdId: VNFD, vnfInstanceName: 'du' });
      const occurrence = await service.instantiate(ALL, instance.id, instantiateOnEdge1);
      await service.ledger.beginProcessing(occurrence.id, 1);
      await service.ledger.complete(occurrence.id, 1, {
        affectedVnfcs: [
          { id: 'pod-1', vduId: 'web', changeType: 'ADDED', computeResource: { resourceId: 'pod-1' } },
        ],
      });
      await received((list) => list.length >= 4, 'four LCM notifications');
      const mine = receiver.notifications.filter((n) => n.path.endsWith('/basic'));
      expect(mine.map((n) => n.body!['notificationType'])).toEqual([
        'VnfIdentifierCreationNotification',
        'VnfLcmOperationOccurrenceNotification',
        'VnfLcmOperationOccurrenceNotification',
        'VnfLcmOperationOccurrenceNotification',
      ]);
      expect(occurrenceStates(mine)).toEqual(['START:STARTING', 'RESULT:PROCESSING', 'RESULT:COMPLETED']);
      for (const n of mine.slice(1)) expect(n.body!['vnfLcmOpOccId']).toBe(occurrence.id);
      expect(new Set(mine.map((n) => n.body!['id'])).size).toBe(4);
      const completed = mine[3]!.body!;
      expect(completed).toMatchObject({
        subscriptionId,
        vnfInstanceId: instance.id,
        operation: 'INSTANTIATE',
        isAutomaticInvocation: false,
        verbosity: 'FULL',
        affectedVnfcs: [{ id: 'pod-1', changeType: 'ADDED' }],
        _links: {
          vnfInstance: { href: `${PUBLIC_URL}/o2dms/vnflcm/v2/vnf_instances/${instance.id}` },
          subscription: { href: `${PUBLIC_URL}/o2dms/vnflcm/v2/subscriptions/${subscriptionId}` },
          vnfLcmOpOcc: { href: `${PUBLIC_URL}/o2dms/vnflcm/v2/vnf_lcm_op_occs/${occurrence.id}` },
        },
      });
      expect(completed).not.toHaveProperty('error');
      for (const n of mine) {
        expect(n.headers['content-type']).toBe('application/json');
        expect(n.headers['version']).toBe('2.14.0');
        expect(n.headers.authorization).toBe(`Basic ${Buffer.from('smo:pw').toString('base64')}`);
        const nowSeconds = Math.floor(clock.now() / 1000);
        const signature = String(n.headers[SIGNATURE_HEADER.toLowerCase()]);
        expect(verifySignature(signature, n.rawBody, SECRET, { nowSeconds })).toBe(true);
      }
      await new LcmSubscriptionRepository(store).delete(subscriptionId);
    });

    it('a receiver answering 500 once gets the same notification (same id) again; FAILED_TEMP carries the error; SHORT omits VNFCs', async () => {
      const subscriptionId = await subscribe(store, `${receiver.url}/flaky`, {
        verbosity: 'SHORT',
        filter: {
          operationStates: ['FAILED_TEMP', 'COMPLETED'],
          notificationTypes: ['VnfLcmOperationOccurrenceNotification'],
        },
      });
      let refusals = 0;
      receiver.respondWith((request) => {
        if (request.path.endsWith('/flaky') && refusals === 0) {
          refusals += 1;
          return 500;
        }
        return 204;
      });
      const before = receiver.requests.length;
      const instance = await service.createInstance(ALL, { vnfdId: VNFD });
      const occurrence = await service.instantiate(ALL, instance.id, instantiateOnEdge1);
      await service.ledger.beginProcessing(occurrence.id, 1);
      await service.ledger.failTemporarily(occurrence.id, 1, {
        status: 500,
        title: 'Helm',
        detail: 'install failed',
      });
      await service.retry(ALL, occurrence.id);
      await service.ledger.complete(occurrence.id, 2, {
        affectedVnfcs: [{ id: 'p', vduId: 'web', changeType: 'ADDED', computeResource: { resourceId: 'p' } }],
      });
      await received(
        (list) => list.filter((n) => n.path.endsWith('/flaky')).length >= 2,
        'FAILED_TEMP and COMPLETED',
      );
      const posts = receiver.requests
        .slice(before)
        .filter((r) => r.method === 'POST' && r.path.endsWith('/flaky'));
      // The first POST was refused with 500; the next one is the same notification.
      expect(posts[0]!.body!['id']).toBe(posts[1]!.body!['id']);
      expect(posts[1]!.headers['x-netweave-delivery-attempt']).toBe('2');
      const accepted = receiver.notifications.filter((n) => n.path.endsWith('/flaky'));
      expect(occurrenceStates(accepted)).toEqual(['RESULT:FAILED_TEMP', 'RESULT:COMPLETED']);
      expect(accepted[0]!.body).toMatchObject({
        subscriptionId,
        verbosity: 'SHORT',
        error: { status: 500, detail: 'install failed' },
      });
      expect(accepted[1]!.body).not.toHaveProperty('affectedVnfcs');
      expect(accepted[1]!.body).not.toHaveProperty('error');
      receiver.respondWith(() => 204);
      await new LcmSubscriptionRepository(store).delete(subscriptionId);
    });

    it('sends the subscription’s OAuth2 client-credentials token; other tenants’ instances are not notified', async () => {
      const tokenRequests: string[] = [];
      const tokenServer = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          tokenRequests.push(body);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: 'lcm-token', token_type: 'Bearer', expires_in: 3600 }));
        });
      });
      tokenServer.listen(0, '127.0.0.1');
      await once(tokenServer, 'listening');
      try {
        const tokenEndpoint = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
        const subscriptionId = await subscribe(
          store,
          `${receiver.url}/oauth`,
          {
            filter: { notificationTypes: ['VnfIdentifierCreationNotification'] },
          },
          {
            tenant: 'blue',
            authentication: {
              authType: 'OAUTH2_CLIENT_CREDENTIALS',
              clientId: 'c1',
              clientPassword: 'pw1',
              tokenEndpoint,
            },
          },
        );
        await service.createInstance({ tenant: 'red' }, { vnfdId: VNFD });
        const blue = await service.createInstance({ tenant: 'blue' }, { vnfdId: VNFD });
        await received((list) => list.some((n) => n.path.endsWith('/oauth')), 'the blue creation');
        const mine = receiver.notifications.filter((n) => n.path.endsWith('/oauth'));
        expect(mine.map((n) => n.body!['vnfInstanceId'])).toEqual([blue.id]);
        expect(mine[0]!.headers.authorization).toBe('Bearer lcm-token');
        expect(tokenRequests[0]).toContain('grant_type=client_credentials');
        await new LcmSubscriptionRepository(store).delete(subscriptionId);
      } finally {
        await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
      }
    });
  });
}
