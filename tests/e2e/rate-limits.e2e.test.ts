/**
 * Rate limits (docs/security.md "Rate limits"): a burst over a budget gets 429 ProblemDetails with Retry-After on
 * REST and on /graphql, graphql-ws connection attempts are limited, probes never are, and two gateway replicas on
 * one Redis spend one budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startGateway, type GatewayProcess } from '../../cli/gateway.ts';
import { parseGatewayConfig, type GatewayConfigInput } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { redisForTests, type TestRedis } from '../../testing/redis.ts';

const API = '/o2ims-infrastructureInventory/v2';
/** A window far longer than any test: budgets never refill while one runs. */
const HOUR = 3600;

async function gatewayOn(
  store: StateStore,
  rateLimits: GatewayConfigInput['rateLimits'],
): Promise<GatewayProcess> {
  // Development mode has no budgets unless enabled: this also checks that `enabled: true` turns them on.
  const config = parseGatewayConfig({
    listen: { port: 0 },
    logLevel: 'silent',
    rateLimits: { enabled: true, ...rateLimits },
  });
  return startGateway(config, { store, logger: createLogger('silent') });
}

async function expectLimited(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(await response.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
}

function graphql(gateway: GatewayProcess): Promise<Response> {
  return fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
}

describe('rate limits, one replica', () => {
  it('per address: the request past the budget gets 429 + Retry-After on REST and /graphql; probes are never limited', async () => {
    await using store = createMemoryStore();
    await using gateway = await gatewayOn(store, { perAddress: { points: 3, durationSeconds: HOUR } });
    for (let i = 0; i < 3; i += 1) expect((await fetch(`${gateway.url}${API}`)).status).toBe(200);
    await expectLimited(await fetch(`${gateway.url}${API}`));
    await expectLimited(await graphql(gateway));
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    // Not limited (this gateway has no cluster, so it is not ready: 503, never 429).
    expect((await fetch(`${gateway.url}/readyz`)).status).not.toBe(429);
  });

  it('per principal: counted after authentication, on REST and /graphql alike', async () => {
    await using store = createMemoryStore();
    await using gateway = await gatewayOn(store, { perPrincipal: { points: 2, durationSeconds: HOUR } });
    expect((await graphql(gateway)).status).toBe(200);
    expect((await fetch(`${gateway.url}${API}`)).status).toBe(200);
    await expectLimited(await graphql(gateway));
    await expectLimited(await fetch(`${gateway.url}${API}/resourcePools`));
  });

  it('graphql-ws connection attempts per address: the one past the budget is refused with 429 at the upgrade', async () => {
    await using store = createMemoryStore();
    await using gateway = await gatewayOn(store, {
      websocketConnectsPerAddress: { points: 1, durationSeconds: HOUR },
    });
    const connect = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`${gateway.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_req, res) => {
          expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
          resolve(res.statusCode ?? 0);
          socket.terminate();
        });
        socket.once('error', reject);
      });
    expect(await connect()).toBe(101);
    expect(await connect()).toBe(429);
  });
});

describe('rate limits, two replicas on one Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await redisForTests();
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  it('share one budget: requests to either replica count against it', async () => {
    const keyPrefix = redis.keyPrefix();
    await using storeA = await createRedisStore({ url: redis.url, keyPrefix });
    await using storeB = await createRedisStore({ url: redis.url, keyPrefix });
    const rateLimits = { perAddress: { points: 4, durationSeconds: HOUR } };
    await using a = await gatewayOn(storeA, rateLimits);
    await using b = await gatewayOn(storeB, rateLimits);
    expect((await fetch(`${a.url}${API}`)).status).toBe(200);
    expect((await fetch(`${b.url}${API}`)).status).toBe(200);
    expect((await fetch(`${a.url}${API}`)).status).toBe(200);
    expect((await fetch(`${b.url}${API}`)).status).toBe(200);
    await expectLimited(await fetch(`${a.url}${API}`));
    await expectLimited(await fetch(`${b.url}${API}`));
  });
});
