/**
 * The O2 inventory subscriptions REST API on a real loopback server: lifecycle on v2 and v1, every refused
 * body, the SSRF policy, duplicates, the callback probe, roles and tenants, list filters and selectors, and
 * subscriptions surviving a restart on Redis. Bodies are validated against netweave's OpenAPI document and,
 * when present, the reference specs.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../state/memory-store.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import { redisForTests } from '../../testing/redis.ts';
import type { TestRedis } from '../../testing/redis.ts';
import { startWebhookReceiver } from '../../testing/webhook-receiver.ts';
import type { Resolve } from '../../notifier/callbacks/callback-policy.ts';
import {
  OWN_INVENTORY_DOCUMENT,
  OpenApiContract,
  REFERENCE_COMMON_DOCUMENT,
  REFERENCE_INVENTORY_DOCUMENT,
  referenceSpecsAvailable,
} from '../../testing/openapi-contract.ts';
import {
  LOOPBACK_POLICY,
  startSubscriptionsApi,
  subscriptionsConfig,
} from '../../testing/subscriptions-server.ts';

const V2 = '/o2ims-infrastructureInventory/v2/subscriptions';
const V1 = '/o2ims-infrastructureInventory/v1/subscriptions';
const CONSUMER_ID = '3f20d850-af4f-a84f-fb5a-0ad585410361';

/** Names resolve only where the test says (never to the real DNS). */
const fakeDns: Resolve = async (hostname) => {
  const table: Record<string, Array<{ address: string; family: 4 | 6 }>> = {
    'smo.example.com': [{ address: '93.184.216.34', family: 4 }],
    'ops.smo.example.com': [{ address: '93.184.216.35', family: 4 }],
    'internal.example.com': [{ address: '10.1.2.3', family: 4 }],
    'metadata.example.com': [{ address: '169.254.169.254', family: 4 }],
    'loop6.example.com': [{ address: '::1', family: 6 }],
    'ula.example.com': [{ address: 'fd12:3456::1', family: 6 }],
    // One public and one private address: every answer must be allowed.
    'mixed.example.com': [
      { address: '93.184.216.34', family: 4 },
      { address: '192.168.10.10', family: 4 },
    ],
  };
  const answer = table[hostname];
  if (answer === undefined) throw new Error('ENOTFOUND');
  return answer;
};

/** An HTTP server that answers every request with `status`. */
async function startPlainServer(status: number): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(status).end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

const own = new OpenApiContract([OWN_INVENTORY_DOCUMENT]);
const reference = referenceSpecsAvailable
  ? new OpenApiContract([REFERENCE_INVENTORY_DOCUMENT, REFERENCE_COMMON_DOCUMENT])
  : undefined;

function conforms(
  path: string,
  method: string,
  status: number,
  body: unknown,
  mediaType = 'application/json',
): void {
  const pointer = own.responseSchemaPointer(path, method, status, mediaType);
  expect(pointer, `${method} ${path} ${status} is documented`).toBeDefined();
  expect(own.errors(pointer!, body)).toEqual([]);
  if (reference !== undefined && path.includes('/v2/')) {
    const refPointer = reference.responseSchemaPointer(path, method, status, mediaType);
    if (refPointer !== undefined) expect(reference.errors(refPointer, body)).toEqual([]);
  }
}

describe('subscriptions API: lifecycle', () => {
  it('creates, lists, reads and deletes on v2, with Location and O2 bodies', async () => {
    await using store = createMemoryStore();
    await using api = await startSubscriptionsApi(store, subscriptionsConfig(LOOPBACK_POLICY), {
      publicUrl: 'https://gw.example',
    });
    const created = await call(
      api.url,
      'POST',
      V2,
      JSON.stringify({
        callback: 'http://127.0.0.1:9/cb',
        consumerSubscriptionId: CONSUMER_ID,
        filter: '(eq,objectKind,RESOURCE_TYPE)',
      }),
    );
    expect(created.status).toBe(201);
    const subscription = created.body as { subscriptionId: string };
    expect(created.body).toEqual({
      subscriptionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      callback: 'http://127.0.0.1:9/cb',
      consumerSubscriptionId: CONSUMER_ID,
      filter: '(eq,objectKind,RESOURCE_TYPE)',
    });
    expect(created.headers.get('location')).toBe(`https://gw.example${V2}/${subscription.subscriptionId}`);
    conforms(`${V2}`, 'post', 201, created.body);

    const list = await call(api.url, 'GET', V2);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([created.body]);
    conforms(V2, 'get', 200, list.body);

    const one = await call(api.url, 'GET', `${V2}/${subscription.subscriptionId.toUpperCase()}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(created.body);
    conforms(`${V2}/{subscriptionId}`, 'get', 200, one.body);

    expect((await call(api.url, 'DELETE', `${V2}/${subscription.subscriptionId}`)).status).toBe(200);
    const gone = await call(api.url, 'GET', `${V2}/${subscription.subscriptionId}`);
    expect(gone.status).toBe(404);
    conforms(`${V2}/{subscriptionId}`, 'get', 404, gone.body, 'application/problem+json');
    expect((await call(api.url, 'DELETE', `${V2}/${subscription.subscriptionId}`)).status).toBe(404);
    expect((await call(api.url, 'GET', V2)).body).toEqual([]);
  });

  it('serves /v1 the same way and answers 405 and 404 around it', async () => {
    await using store = createMemoryStore();
    await using api = await startSubscriptionsApi(store, subscriptionsConfig(LOOPBACK_POLICY));
    const created = await call(api.url, 'POST', V1, JSON.stringify({ callback: 'http://127.0.0.1:9/v1' }));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(new RegExp(`^${V1}/`));
    // One store: a v1 subscription is listed on v2 too.
    expect((await call(api.url, 'GET', V2)).body).toEqual([created.body]);
    const put = await call(api.url, 'PUT', V2, '{}');
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await call(api.url, 'GET', `${V2}/not-a-uuid`)).status).toBe(400);
    // The v4-compatible profile answers 404 for a malformed id, like its inventory paths (it-test 7.3.9).
    const malformed = await call(api.url, 'GET', `${V1}/not-a-uuid`);
    expect(malformed.status).toBe(404);
    expect(malformed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await call(api.url, 'DELETE', `${V1}/not-a-uuid`)).status).toBe(404);
    expect((await call(api.url, 'GET', `${V2}/${CONSUMER_ID}/extra`)).status).toBe(404);
  });
});

describe('subscriptions API: invalid bodies answer 400 ProblemDetails', () => {
  const cases: ReadonlyArray<readonly [string, string | undefined, Record<string, string>]> = [
    ['missing callback', JSON.stringify({ filter: '(eq,objectKind,RESOURCE)' }), {}],
    ['empty callback', JSON.stringify({ callback: '  ' }), {}],
    ['callback not a string', JSON.stringify({ callback: 42 }), {}],
    ['invalid JSON', '{"callback": "http://127.0.0.1:9/x",', {}],
    ['a JSON array', '[{"callback":"http://127.0.0.1:9/x"}]', {}],
    ['empty body', '', {}],
    [
      'XML',
      '<subscription><callback>http://127.0.0.1:9/x</callback></subscription>',
      { 'content-type': 'application/xml' },
    ],
    [
      'text/plain JSON',
      JSON.stringify({ callback: 'http://127.0.0.1:9/x' }),
      { 'content-type': 'text/plain' },
    ],
    [
      'client-supplied subscriptionId',
      JSON.stringify({ subscriptionId: CONSUMER_ID, callback: 'http://127.0.0.1:9/x' }),
      {},
    ],
    [
      'unknown member',
      JSON.stringify({ callback: 'http://127.0.0.1:9/x', filtre: '(eq,objectKind,RESOURCE)' }),
      {},
    ],
    [
      'filter syntax error',
      JSON.stringify({ callback: 'http://127.0.0.1:9/x', filter: '(eq,objectKind' }),
      {},
    ],
    [
      'filter on an unknown attribute',
      JSON.stringify({ callback: 'http://127.0.0.1:9/x', filter: '(eq,colour,blue)' }),
      {},
    ],
    [
      'filter operator of the wrong type',
      JSON.stringify({ callback: 'http://127.0.0.1:9/x', filter: '(gt,objectId,5)' }),
      {},
    ],
    ['filter not a string', JSON.stringify({ callback: 'http://127.0.0.1:9/x', filter: { eq: 1 } }), {}],
    [
      'consumerSubscriptionId not a UUID',
      JSON.stringify({ callback: 'http://127.0.0.1:9/x', consumerSubscriptionId: 'smo-1' }),
      {},
    ],
    ['callback not a URL', JSON.stringify({ callback: 'not a url' }), {}],
    ['callback with another scheme', JSON.stringify({ callback: 'ftp://127.0.0.1/x' }), {}],
  ];

  it.each(cases)('%s', async (_name, body, headers) => {
    await using store = createMemoryStore();
    await using api = await startSubscriptionsApi(store, subscriptionsConfig(LOOPBACK_POLICY));
    const answer = await call(api.url, 'POST', V2, body, { 'content-type': 'application/json', ...headers });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 400, title: 'Bad Request', detail: expect.any(String) });
    conforms(V2, 'post', 400, answer.body, 'application/problem+json');
    expect((await call(api.url, 'GET', V2)).body).toEqual([]);
  });

  it('accepts unknown members when configured to, and an empty filter as none', async () => {
    await using store = createMemoryStore();
    await using api = await startSubscriptionsApi(
      store,
      subscriptionsConfig({ ...LOOPBACK_POLICY, rejectUnknownFields: false }),
    );
    const answer = await call(
      api.url,
      'POST',
      V2,
      JSON.stringify({ callback: 'http://127.0.0.1:9/x', filter: '', extra: true }),
    );
    expect(answer.status).toBe(201);
    expect(answer.body).not.toHaveProperty('filter');
    expect(answer.body).not.toHaveProperty('extra');
  });
});

describe('subscriptions API: callback policy (SSRF)', () => {
  const refused: ReadonlyArray<readonly [string, string]> = [
    ['http when https is required', 'http://smo.example.com/cb'],
    ['IPv4 loopback', 'https://127.0.0.1/cb'],
    ['IPv4 loopback, other address', 'https://127.8.9.10:8443/cb'],
    ['IPv4 loopback in numeric form', 'https://2130706433/cb'],
    ['IPv6 loopback', 'https://[::1]/cb'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/cb'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/latest/meta-data'],
    ['10/8', 'https://10.0.0.1/cb'],
    ['172.16/12 low end', 'https://172.16.0.1/cb'],
    ['172.16/12 high end', 'https://172.31.255.254/cb'],
    ['192.168/16', 'https://192.168.1.1/cb'],
    ['fc00::/7', 'https://[fc00::1]/cb'],
    ['fd00::/8 (in fc00::/7)', 'https://[fd12:3456:789a::1]/cb'],
    ['fe80::/10', 'https://[fe80::1]/cb'],
    ['NAT64 of a private address', 'https://[64:ff9b::a00:1]/cb'],
    ['unspecified address', 'https://0.0.0.0/cb'],
    ['multicast', 'https://224.0.0.1/cb'],
    ['a name resolving to 10/8', 'https://internal.example.com/cb'],
    ['a name resolving to link-local', 'https://metadata.example.com/cb'],
    ['a name resolving to IPv6 loopback', 'https://loop6.example.com/cb'],
    ['a name resolving to fc00::/7', 'https://ula.example.com/cb'],
    ['a name with one private address among public ones', 'https://mixed.example.com/cb'],
    ['a name that does not resolve', 'https://nowhere.example.com/cb'],
    ['credentials in the URL', 'https://user:secret@smo.example.com/cb'],
  ];

  it.each(refused)('refuses %s', async (_name, callback) => {
    await using store = createMemoryStore();
    await using api = await startSubscriptionsApi(store, subscriptionsConfig({ probe: { enabled: false } }), {
      resolve: fakeDns,
    });
    const answer = await call(api.url, 'POST', V2, JSON.stringify({ callback }));
    expect(answer.status).toBe(400);
    // The detail names the rule, never the URL (it may carry credentials or probe internals).
    expect(JSON.stringify(answer.body)).not.toContain(new URL(callback).hostname.replace(/^\[|\]$/g, ''));
    expect((await call(api.url, 'GET', V2)).body).toEqual([]);
  });

  it('accepts a public https callback, and resolves real names (localhost is loopback)', async () => {
    await using store = createMemoryStore();
    await using api = await startSubscriptionsApi(store, subscriptionsConfig({ probe: { enabled: false } }), {
      resolve: fakeDns,
    });
    expect(
      (
        await call(
          api.url,
          'POST',
          V2,
          JSON.stringify({ callback: 'https://smo.example.com:1081/smo/v1/o2ims_inventory_observer' }),
        )
      ).status,
    ).toBe(201);
    await using real = await startSubscriptionsApi(
      store,
      subscriptionsConfig({ probe: { enabled: false }, callbacks: { requireHttps: false } }),
    );
    expect(
      (await call(real.url, 'POST', V2, JSON.stringify({ callback: 'http://localhost:9/cb' }))).status,
    ).toBe(400);
  });

  it('limits callbacks to the allowed hosts when configured', async () => {
    await using store = createMemoryStore();
    const config = subscriptionsConfig({
      probe: { enabled: false },
      callbacks: { allowedHosts: ['*.smo.example.com'] },
    });
    await using api = await startSubscriptionsApi(store, config, { resolve: fakeDns });
    expect(
      (await call(api.url, 'POST', V2, JSON.stringify({ callback: 'https://smo.example.com/cb' }))).status,
    ).toBe(400);
    expect(
      (await call(api.url, 'POST', V2, JSON.stringify({ callback: 'https://ops.smo.example.com/cb' })))
        .status,
    ).toBe(201);
  });

  it('allows loopback, private and link-local ranges only when each is enabled', async () => {
    await using store = createMemoryStore();
    const config = subscriptionsConfig({ probe: { enabled: false }, callbacks: { allowPrivate: true } });
    await using api = await startSubscriptionsApi(store, config, { resolve: fakeDns });
    expect(
      (await call(api.url, 'POST', V2, JSON.stringify({ callback: 'https://10.0.0.1/cb' }))).status,
    ).toBe(201);
    expect(
      (await call(api.url, 'POST', V2, JSON.stringify({ callback: 'https://[fd00::5]/cb' }))).status,
    ).toBe(201);
    expect(
      (await call(api.url, 'POST', V2, JSON.stringify({ callback: 'https://127.0.0.1/cb' }))).status,
    ).toBe(400);
    expect(
      (await call(api.url, 'POST', V2, JSON.stringify({ callback: 'https://169.254.1.1/cb' }))).status,
    ).toBe(400);
  });
});

describe('subscriptions API: duplicates, probe, roles, tenants, queries', () => {
  it('refuses a duplicate (same callback and filter) with 400 by default and 409 when configured', async () => {
    await using store = createMemoryStore();
    await using api = await startSubscriptionsApi(store, subscriptionsConfig(LOOPBACK_POLICY));
    const body = JSON.stringify({ callback: 'http://127.0.0.1:9/dup', filter: '(eq,objectKind,RESOURCE)' });
    const first = await call(api.url, 'POST', V2, body);
    expect(first.status).toBe(201);
    expect((await call(api.url, 'POST', V2, body)).status).toBe(400);
    // A differently spelt but equal URL is the same callback.
    expect(
      (
        await call(
          api.url,
          'POST',
          V2,
          JSON.stringify({ callback: 'HTTP://127.0.0.1:9/dup', filter: '(eq,objectKind,RESOURCE)' }),
        )
      ).status,
    ).toBe(400);
    expect(
      (await call(api.url, 'POST', V2, JSON.stringify({ callback: 'http://127.0.0.1:9/dup' }))).status,
    ).toBe(201);
    await using strict = await startSubscriptionsApi(
      store,
      subscriptionsConfig({ ...LOOPBACK_POLICY, duplicateStatus: 409 }),
    );
    const conflict = await call(strict.url, 'POST', V2, body);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ status: 409, title: 'Conflict' });
    // Once deleted, the same subscription can be made again.
    await call(api.url, 'DELETE', `${V2}/${(first.body as { subscriptionId: string }).subscriptionId}`);
    expect((await call(api.url, 'POST', V2, body)).status).toBe(201);
  });

  it('judges duplicates within a tenant, and refuses one without probing the receiver', async () => {
    await using store = createMemoryStore();
    await using receiver = await startWebhookReceiver();
    const config = subscriptionsConfig({
      probe: { enabled: true },
      callbacks: { requireHttps: false, allowLoopback: true },
    });
    await using api = await startSubscriptionsApi(store, config);
    const body = JSON.stringify({ callback: receiver.url });
    expect((await call(api.url, 'POST', V2, body, { 'x-test-tenant': 'a' })).status).toBe(201);
    expect(receiver.requests).toHaveLength(1);
    expect((await call(api.url, 'POST', V2, body, { 'x-test-tenant': 'a' })).status).toBe(400);
    expect(receiver.requests).toHaveLength(1);
    expect((await call(api.url, 'POST', V2, body, { 'x-test-tenant': 'b' })).status).toBe(201);
  });

  it('probes the callback with a GET expecting 204 when the probe is on', async () => {
    await using store = createMemoryStore();
    await using receiver = await startWebhookReceiver();
    const config = subscriptionsConfig({
      probe: { enabled: true, timeoutMs: 2_000 },
      callbacks: { requireHttps: false, allowLoopback: true },
    });
    await using api = await startSubscriptionsApi(store, config);
    expect((await call(api.url, 'POST', V2, JSON.stringify({ callback: receiver.url }))).status).toBe(201);
    expect(receiver.requests.map((r) => r.method)).toEqual(['GET']);

    // A receiver that answers the probe with 200 instead of 204 is refused.
    const okServer = await startPlainServer(200);
    try {
      const refused = await call(
        api.url,
        'POST',
        V2,
        JSON.stringify({ callback: `http://127.0.0.1:${okServer.port}/cb` }),
      );
      expect(refused.status).toBe(400);
      expect((refused.body as { detail: string }).detail).toContain('204');
    } finally {
      await okServer.close();
    }
    // So is one that cannot be reached (the port was just closed).
    const unreachable = await call(
      api.url,
      'POST',
      V2,
      JSON.stringify({ callback: `http://127.0.0.1:${okServer.port}/cb` }),
    );
    expect(unreachable.status).toBe(400);
    expect((await call(api.url, 'GET', V2)).body).toHaveLength(1);
  });

  it('needs the subscriber or admin role to write, reader to read, and hides other tenants', async () => {
    await using store = createMemoryStore();
    await using api = await startSubscriptionsApi(store, subscriptionsConfig(LOOPBACK_POLICY));
    const body = JSON.stringify({ callback: 'http://127.0.0.1:9/tenant-a' });
    expect((await call(api.url, 'POST', V2, body, { 'x-test-roles': 'reader' })).status).toBe(403);
    const created = await call(api.url, 'POST', V2, body, {
      'x-test-roles': 'subscriber',
      'x-test-tenant': 'a',
    });
    expect(created.status).toBe(201);
    const id = (created.body as { subscriptionId: string }).subscriptionId;
    expect(
      (await call(api.url, 'GET', V2, undefined, { 'x-test-roles': 'reader', 'x-test-tenant': 'a' })).body,
    ).toHaveLength(1);
    expect(
      (await call(api.url, 'GET', V2, undefined, { 'x-test-roles': 'reader', 'x-test-tenant': 'b' })).body,
    ).toEqual([]);
    expect(
      (
        await call(api.url, 'GET', `${V2}/${id}`, undefined, {
          'x-test-roles': 'reader',
          'x-test-tenant': 'b',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(api.url, 'DELETE', `${V2}/${id}`, undefined, {
          'x-test-roles': 'subscriber',
          'x-test-tenant': 'b',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(api.url, 'DELETE', `${V2}/${id}`, undefined, {
          'x-test-roles': 'reader',
          'x-test-tenant': 'a',
        })
      ).status,
    ).toBe(403);
    expect((await call(api.url, 'GET', V2, undefined, { 'x-test-roles': 'deployer' })).status).toBe(403);
  });

  it('filters the list with SOL013 and applies attribute selectors', async () => {
    await using store = createMemoryStore();
    await using api = await startSubscriptionsApi(store, subscriptionsConfig(LOOPBACK_POLICY));
    await call(
      api.url,
      'POST',
      V2,
      JSON.stringify({ callback: 'http://127.0.0.1:9/a', consumerSubscriptionId: CONSUMER_ID }),
    );
    await call(
      api.url,
      'POST',
      V2,
      JSON.stringify({ callback: 'http://127.0.0.1:9/b', filter: '(eq,objectKind,RESOURCE)' }),
    );
    const filtered = await call(
      api.url,
      'GET',
      `${V2}?filter=${encodeURIComponent(`(eq,consumerSubscriptionId,${CONSUMER_ID})`)}`,
    );
    expect(filtered.body).toEqual([expect.objectContaining({ callback: 'http://127.0.0.1:9/a' })]);
    const withFilter = await call(api.url, 'GET', `${V2}?filter=${encodeURIComponent('(cont,callback,/b)')}`);
    expect(withFilter.body).toEqual([expect.objectContaining({ filter: '(eq,objectKind,RESOURCE)' })]);
    const trimmed = await call(api.url, 'GET', `${V2}?exclude_fields=filter`);
    expect((trimmed.body as object[]).every((s) => !('filter' in s))).toBe(true);
    expect((await call(api.url, 'GET', `${V2}?filter=${encodeURIComponent('(eq,nope,1)')}`)).status).toBe(
      400,
    );
  });
});

describe('subscriptions survive a gateway restart on Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await redisForTests();
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  it('a subscription created before the restart is listed, readable and deletable after it', async () => {
    const keyPrefix = redis.keyPrefix();
    let id: string;
    {
      await using store = await createRedisStore({ url: redis.url, keyPrefix });
      await using api = await startSubscriptionsApi(store, subscriptionsConfig(LOOPBACK_POLICY));
      const created = await call(
        api.url,
        'POST',
        V2,
        JSON.stringify({ callback: 'http://127.0.0.1:9/durable', filter: '(eq,clusterId,edge-1)' }),
      );
      expect(created.status).toBe(201);
      id = (created.body as { subscriptionId: string }).subscriptionId;
    }
    await using store = await createRedisStore({ url: redis.url, keyPrefix });
    await using api = await startSubscriptionsApi(store, subscriptionsConfig(LOOPBACK_POLICY));
    expect((await call(api.url, 'GET', `${V2}/${id}`)).body).toEqual({
      subscriptionId: id,
      callback: 'http://127.0.0.1:9/durable',
      filter: '(eq,clusterId,edge-1)',
    });
    // The duplicate index survived too.
    expect(
      (
        await call(
          api.url,
          'POST',
          V2,
          JSON.stringify({ callback: 'http://127.0.0.1:9/durable', filter: '(eq,clusterId,edge-1)' }),
        )
      ).status,
    ).toBe(400);
    expect((await call(api.url, 'DELETE', `${V2}/${id}`)).status).toBe(200);
  });
});
