/**
 * SOL003 LCM subscriptions over real HTTP on 127.0.0.1, with a real receiver for the creation test GET:
 * 201/303/422, filters, authentication never returned, tenancy, roles and the two apiRoots.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type AuthContext, type Role } from '../../common/auth.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { StateStore } from '../../state/store.ts';
import { chartDescriptor, TestPackages } from '../../testing/dms-packages.ts';
import { subscriptionsConfig, LOOPBACK_POLICY } from '../../testing/subscriptions-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.ts';
import { createDmsRouter, deploymentManagerIdOf } from './index.ts';

const DM1 = deploymentManagerIdOf('edge-1');
const DM2 = deploymentManagerIdOf('edge-2');
const V = { Version: '2.14.0' };

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

describe('O2 DMS vnflcm v2 subscriptions', () => {
  let server: Server;
  let base: string;
  let store: StateStore;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    store = createMemoryStore();
    receiver = await startWebhookReceiver();
    const packages = new TestPackages();
    packages.add({
      id: 'pkg',
      tenant: undefined,
      onboardingState: 'ONBOARDED',
      operationalState: 'ENABLED',
      usageState: 'NOT_IN_USE',
      descriptor: chartDescriptor('vnfd-sub'),
    });
    const authenticate = (req: express.Request): Promise<AuthContext> =>
      Promise.resolve({
        principal: 'test',
        roles: String(req.headers['x-roles'] ?? ROLES.join(',')).split(',') as Role[],
        tenant: { name: String(req.headers['x-tenant'] ?? '*') },
        method: 'bearer',
        requestId: 'req-1',
      });
    const config = subscriptionsConfig(LOOPBACK_POLICY);
    const app = express();
    app.set('query parser', 'simple');
    app.use(
      createDmsRouter({
        store,
        packages,
        authenticate,
        clusters: () => ['edge-1', 'edge-2'],
        subscriptions: { callbacks: config.callbacks, probeTimeoutMs: 2_000 },
      }),
    );
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await receiver.close();
    await store.dispose();
  });

  async function call(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: unknown; type?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...V, ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = options.type ?? 'application/json';
    }
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  const PATH = '/o2dms/vnflcm/v2/subscriptions';

  it('creates after a 204 test GET (with BASIC credentials), never returns the authentication, 303 for a duplicate', async () => {
    const request = {
      callbackUri: `${receiver.url}/lcm`,
      filter: {
        notificationTypes: ['VnfLcmOperationOccurrenceNotification'],
        operationStates: ['COMPLETED', 'STARTING'],
        vnfInstanceSubscriptionFilter: { vnfdIds: ['vnfd-sub'] },
      },
      authentication: { authType: ['BASIC'], paramsBasic: { userName: 'smo', password: 's3cret' } },
    };
    const before = receiver.requests.length;
    const created = await call('POST', PATH, { body: request });
    expect(created.status).toBe(201);
    const body = created.body as Record<string, unknown>;
    expect(body).toMatchObject({
      callbackUri: `${receiver.url}/lcm`,
      verbosity: 'FULL',
      filter: request.filter,
      _links: { self: { href: `${base}${PATH}/${String(body['id'])}` } },
    });
    expect(JSON.stringify(body)).not.toContain('s3cret');
    expect(body).not.toHaveProperty('authentication');
    expect(created.headers.get('location')).toBe(`${base}${PATH}/${String(body['id'])}`);
    const probe = receiver.requests[before]!;
    expect(probe.method).toBe('GET');
    expect(probe.headers.authorization).toBe(`Basic ${Buffer.from('smo:s3cret').toString('base64')}`);

    // The same filter in another order is the same subscription: 303 to it, and no second test GET.
    const again = await call('POST', PATH, {
      body: { ...request, filter: { ...request.filter, operationStates: ['STARTING', 'COMPLETED'] } },
    });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`${base}${PATH}/${String(body['id'])}`);
    expect(receiver.requests.length).toBe(before + 1);

    const read = await call('GET', `${PATH}/${String(body['id'])}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(body);
  });

  it('answers 422 and stores nothing when the test GET is not answered 204 or the callback is refused', async () => {
    const count = async () => ((await call('GET', PATH)).body as unknown[]).length;
    const n = await count();
    // A receiver that answers the test GET with 404.
    const wrong = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => wrong.listen(0, '127.0.0.1', resolve));
    const wrongUrl = `http://127.0.0.1:${(wrong.address() as AddressInfo).port}/lcm`;
    const refused = await call('POST', PATH, { body: { callbackUri: wrongUrl } });
    wrong.closeAllConnections();
    await new Promise<void>((resolve) => wrong.close(() => resolve()));
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 422 });
    const unreachable = await call('POST', PATH, { body: { callbackUri: 'http://169.254.169.254/lcm' } });
    expect(unreachable.status).toBe(422);
    expect(await count()).toBe(n);
  });

  it('refuses bad bodies with 400/415/422 ProblemDetails', async () => {
    expect((await call('POST', PATH, { body: {} })).status).toBe(400);
    expect((await call('POST', PATH, { body: '{', type: 'application/json' })).status).toBe(400);
    expect(
      (
        await call('POST', PATH, {
          body: { callbackUri: `${receiver.url}/x`, filter: { operationStates: ['NOPE'] } },
        })
      ).status,
    ).toBe(400);
    expect(
      (await call('POST', PATH, { body: { callbackUri: `${receiver.url}/x`, verbosity: 'LOUD' } })).status,
    ).toBe(400);
    expect(
      (await call('POST', PATH, { body: { callbackUri: `${receiver.url}/x` }, type: 'text/plain' })).status,
    ).toBe(415);
    expect(
      (
        await call('POST', PATH, {
          body: { callbackUri: `${receiver.url}/x`, authentication: { authType: ['TLS_CERT'] } },
        })
      ).status,
    ).toBe(422);
    expect(
      (await call('POST', PATH, { headers: { Version: '' }, body: { callbackUri: `${receiver.url}/x` } }))
        .status,
    ).toBe(400);
  });

  it('lists with a SOL013 filter, deletes with 204 and then 404, and keeps tenants and apiRoots apart', async () => {
    const short = await call('POST', PATH, {
      headers: { 'x-tenant': 'blue' },
      body: {
        callbackUri: `${receiver.url}/blue`,
        verbosity: 'SHORT',
        authentication: {
          authType: ['OAUTH2_CLIENT_CREDENTIALS'],
          paramsOauth2ClientCredentials: {
            clientId: 'c',
            clientPassword: 'oauth-secret',
            tokenEndpoint: `${receiver.url}/token`,
          },
        },
      },
    });
    expect(short.status).toBe(201);
    const id = String((short.body as { id: string }).id);
    expect(JSON.stringify(short.body)).not.toContain('oauth-secret');

    const filtered = await call('GET', `${PATH}?filter=(eq,verbosity,SHORT)`);
    expect((filtered.body as Array<{ id: string }>).map((s) => s.id)).toEqual([id]);
    expect((await call('GET', `${PATH}?filter=(eq,nope,1)`)).status).toBe(400);

    // Another tenant: the subscription does not exist.
    expect((await call('GET', `${PATH}/${id}`, { headers: { 'x-tenant': 'red' } })).status).toBe(404);
    expect((await call('GET', PATH, { headers: { 'x-tenant': 'red' } })).body).toEqual([]);
    // Roles: a reader reads, only a subscriber (or admin) writes.
    expect((await call('GET', PATH, { headers: { 'x-roles': 'reader', 'x-tenant': 'blue' } })).status).toBe(
      200,
    );
    expect(
      (await call('DELETE', `${PATH}/${id}`, { headers: { 'x-roles': 'reader', 'x-tenant': 'blue' } }))
        .status,
    ).toBe(403);
    expect(
      (
        await call('POST', PATH, {
          headers: { 'x-roles': 'deployer' },
          body: { callbackUri: `${receiver.url}/d` },
        })
      ).status,
    ).toBe(403);

    // Per-cluster apiRoot: its subscriptions exist there and globally, not on another cluster's apiRoot.
    const onEdge1 = await call('POST', `/o2dms/${DM1}/vnflcm/v2/subscriptions`, {
      body: { callbackUri: `${receiver.url}/edge-1` },
    });
    expect(onEdge1.status).toBe(201);
    const edgeId = String((onEdge1.body as { id: string }).id);
    expect(onEdge1.headers.get('location')).toBe(`${base}/o2dms/${DM1}/vnflcm/v2/subscriptions/${edgeId}`);
    expect((await call('GET', `/o2dms/${DM2}/vnflcm/v2/subscriptions/${edgeId}`)).status).toBe(404);
    expect((await call('GET', `${PATH}/${edgeId}`)).status).toBe(200);
    expect(
      ((await call('GET', `/o2dms/${DM1}/vnflcm/v2/subscriptions`)).body as Array<{ id: string }>).map(
        (s) => s.id,
      ),
    ).toEqual([edgeId]);

    expect((await call('DELETE', `${PATH}/${id}`, { headers: { 'x-tenant': 'blue' } })).status).toBe(204);
    expect((await call('DELETE', `${PATH}/${id}`, { headers: { 'x-tenant': 'blue' } })).status).toBe(404);
    expect((await call('GET', `${PATH}/${id}`)).status).toBe(404);
    expect((await call('PUT', `${PATH}/${edgeId}`)).status).toBe(405);
  });
});
