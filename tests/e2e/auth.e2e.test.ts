/**
 * Auth on every path (docs/security.md): with `auth.mode: jwt`, REST, GraphQL over HTTP, graphql-ws and the
 * admin API all refuse a missing or forged token, accept a valid one, and apply the one role table
 * (common/authorization.ts): a caller gets GraphQL errors exactly where REST answers 403.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import { writeTestJwks } from '../../testing/jwks.ts';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'netweave';
const API = '/o2ims-infrastructureInventory/v2';

let demo: Demo;
let dir: string;
let signingKey: CryptoKey;
let foreignKey: CryptoKey;

async function token(
  roles: string[],
  key: CryptoKey = signingKey,
  claims: { iss?: string; exp?: number } = {},
): Promise<string> {
  return new SignJWT({ roles, tenant: 'operator' })
    .setProtectedHeader({ alg: 'ES256', kid: 'test' })
    .setSubject('smo-1')
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? '5m')
    .sign(key);
}

function get(path: string, bearer?: string): Promise<Response> {
  return fetch(
    `${demo.gateway.url}${path}`,
    bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {},
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netweave-auth-'));
  const jwks = await writeTestJwks(dir);
  signingKey = jwks.privateKey;
  foreignKey = (await generateKeyPair('ES256')).privateKey;
  const { jwksFile } = jwks;
  demo = await startDemo({
    scenario: 'minimal',
    port: 0,
    logger: createLogger('silent'),
    gateway: { logLevel: 'silent', auth: { mode: 'jwt', jwksFile, issuer: ISSUER, audience: AUDIENCE } },
  });
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await rm(dir, { recursive: true, force: true });
});

async function graphql(
  query: string,
  bearer?: string,
): Promise<{ status: number; headers: Headers; body: GraphResponse }> {
  const response = await fetch(`${demo.gateway.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphResponse,
  };
}

interface GraphResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** The first result of a graphql-ws operation (a query or the first event of a subscription), or its errors. */
async function overWebSocket(query: string, bearer: string): Promise<GraphResponse> {
  const client = createClient({
    url: `${demo.gateway.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${bearer}` },
  });
  try {
    return await new Promise<GraphResponse>((resolve, reject) => {
      client.subscribe<Record<string, unknown>>(
        { query },
        {
          next: (value) => resolve(value as GraphResponse),
          error: (error) =>
            Array.isArray(error)
              ? resolve({ errors: error as NonNullable<GraphResponse['errors']> })
              : reject(error),
          complete: () => undefined,
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

/** REST paths and the GraphQL operations that read the same data. */
const SAME_DATA: ReadonlyArray<{ rest: string; graph: string; subscription?: string }> = [
  {
    rest: `${API}/resourcePools`,
    graph: '{ resourcePools { name } }',
    subscription: 'subscription { liveInventoryChanged { objectId } }',
  },
  {
    rest: '/o2ims-infrastructureMonitoring/v1/alarms',
    graph: '{ oCloud { alarms { alarmName } } }',
    subscription: 'subscription { alarmChanged { eventId } }',
  },
];

describe('auth in jwt mode', () => {
  it('a token without roles gets GraphQL errors (HTTP and graphql-ws) exactly where REST answers 403', async () => {
    const noRoles = await token([]);
    for (const { rest, graph, subscription } of SAME_DATA) {
      expect((await get(rest, noRoles)).status).toBe(403);
      const overHttp = await graphql(graph, noRoles);
      expect(overHttp.body.data ?? null).toBeNull();
      expect(overHttp.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const overWs = await overWebSocket(graph, noRoles);
      expect(overWs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      if (subscription) {
        const subscribed = await overWebSocket(subscription, noRoles);
        expect(subscribed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    // ... and a reader gets data on both.
    const reader = await token(['reader']);
    for (const { rest, graph } of SAME_DATA) {
      expect((await get(rest, reader)).status).toBe(200);
      const answer = await graphql(graph, reader);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).not.toBeNull();
    }
  });

  it('roles are checked per field: alarms reached from inventory objects need the alarm permission', async () => {
    const deployer = await token(['deployer']);
    expect((await get(`${API}/resourcePools`, deployer)).status).toBe(200);
    expect((await get('/o2ims-infrastructureMonitoring/v1/alarms', deployer)).status).toBe(403);
    expect((await graphql('{ resourcePools { name } }', deployer)).body.errors).toBeUndefined();
    const nested = await graphql('{ resourcePools { name alarms { alarmName } } }', deployer);
    expect(nested.body.data ?? null).toBeNull();
    expect(nested.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(nested.body.errors?.[0]?.message).toContain('ResourcePool.alarms');
  });

  it('GraphQL authenticates before parsing: an anonymous malformed or misspelt query is a 401 with WWW-Authenticate', async () => {
    for (const query of ['{ oClod { name } }', '{ {{ not graphql']) {
      const answer = await graphql(query);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="netweave"$/);
      expect(JSON.stringify(answer.body)).not.toContain('Did you mean');
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const forged = await graphql('{ oCloud { name } }', await token(['reader'], foreignKey));
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('REST refuses missing, forged and wrong-issuer tokens with 401 ProblemDetails and accepts a valid one', async () => {
    for (const bearer of [
      undefined,
      'not-a-jwt',
      await token(['reader'], foreignKey),
      await token(['reader'], signingKey, { iss: 'https://evil' }),
    ]) {
      const response = await get(`${API}/resourcePools`, bearer);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const body = (await response.json()) as { status: number; detail: string };
      expect(body.status).toBe(401);
    }
    const ok = await get(`${API}/resourcePools`, await token(['reader']));
    expect(ok.status).toBe(200);
  });

  it('GraphQL over HTTP refuses a request without a token and answers with one', async () => {
    const query = JSON.stringify({ query: '{ oCloud { name } }' });
    const headers = { 'content-type': 'application/json', accept: 'application/json' };
    const refused = await fetch(`${demo.gateway.url}/graphql`, { method: 'POST', headers, body: query });
    const refusedBody = (await refused.json()) as {
      data?: unknown;
      errors?: Array<{ extensions?: { code?: string } }>;
    };
    expect(refusedBody.data ?? null).toBeNull();
    expect(refusedBody.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const accepted = await fetch(`${demo.gateway.url}/graphql`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${await token(['reader'])}` },
      body: query,
    });
    expect(((await accepted.json()) as { data: { oCloud: { name: string } } }).data.oCloud.name).toBe(
      'netweave O-Cloud',
    );
  });

  it('graphql-ws refuses a connection without a token and serves one with it', async () => {
    const url = `${demo.gateway.url.replace('http', 'ws')}/graphql`;
    const anonymous = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    const closeCode = await new Promise<number>((resolve) => {
      anonymous.on('closed', (event) => resolve((event as { code: number }).code));
      anonymous.subscribe(
        { query: '{ oCloud { name } }' },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    });
    await anonymous.dispose();
    expect(closeCode).toBe(4403);
    const bearer = await token(['reader']);
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${bearer}` },
    });
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        client.subscribe(
          { query: '{ oCloud { name } }' },
          { next: resolve, error: reject, complete: () => undefined },
        );
      });
      expect(result).toEqual({ data: { oCloud: { name: 'netweave O-Cloud' } } });
    } finally {
      await client.dispose();
    }
  });

  it('the catch-all 404 does not echo the path', async () => {
    const response = await get('/no-such-place/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).not.toContain('no-such-place');
    expect(text).not.toContain('script');
  });

  it('the admin API wants the admin role', async () => {
    expect((await get('/netweave/v1/clusters')).status).toBe(401);
    expect((await get('/netweave/v1/clusters', await token(['reader']))).status).toBe(403);
    const admin = await get('/netweave/v1/clusters', await token(['admin']));
    expect(admin.status).toBe(200);
    expect(((await admin.json()) as Array<{ clusterId: string }>).map((c) => c.clusterId)).toEqual(
      demo.scenario.clusters.map((c) => c.name),
    );
  });

  it('closes a graphql-ws session when its token expires', async () => {
    const expiresInSeconds = 3;
    const bearer = await token(['reader'], signingKey, {
      exp: Math.floor(Date.now() / 1000) + expiresInSeconds,
    });
    const client = createClient({
      url: `${demo.gateway.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      // The close is the expected outcome, not an error to log.
      onNonLazyError: () => undefined,
      connectionParams: { authorization: `Bearer ${bearer}` },
    });
    const closeCode = new Promise<number>((resolve) =>
      client.on('closed', (event) => resolve((event as { code: number }).code)),
    );
    const stop = client.subscribe(
      { query: 'subscription { liveInventoryChanged { objectId } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    try {
      expect(await closeCode).toBe(4401);
    } finally {
      stop();
      await client.dispose();
    }
  }, 30_000);
});
