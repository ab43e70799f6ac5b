/**
 * The lean path of POST /graphql (graphql-http.ts `handle`): a response-cache hit is answered before express
 * with the bytes and headers of express's own cached answer; everything else still goes through express.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { controlPlaneNode, encodedCaller, gpuNode, testContext } from '../../testing/cluster-fixtures.ts';
import { createGraphQLHttp, type GraphQLHttp } from './graphql-http.ts';
import type { ClusterInformers } from './informers.ts';
import { ClusterInventory } from './inventory.ts';
import type { ClusterDataSources } from './resolvers.ts';
import { buildClusterSchema } from './schema.ts';

const TOKEN = 'internal-token';
const QUERY = '{ resourcePools { resourcePoolId name resources { resourceId description } } }';

let server: Server;
let http: GraphQLHttp;
let url: string;
let inventory: ClusterInventory;

beforeAll(async () => {
  const mapping = testContext();
  inventory = new ClusterInventory(mapping);
  inventory.applyNode(gpuNode('gpu-1'));
  inventory.applyNode(controlPlaneNode('cp-1'));
  const informers = {
    cache: () => ({ get: () => undefined, list: () => [] }),
    isSynced: true,
    health: () => ({ synced: true, connected: true, disconnectedForMs: 0 }),
  } as unknown as ClusterInformers;
  const sources: ClusterDataSources = { mapping, inventory, informers };
  server = createServer();
  http = await createGraphQLHttp({
    clusterId: 'edge-1',
    path: '/graphql',
    schema: buildClusterSchema(sources),
    sources,
    informers,
    httpServer: server,
    ws: { dispose: () => Promise.resolve() },
    internalToken: TOKEN,
    logger: pino({ level: 'silent' }),
    stalenessMs: 60_000,
  });
  server.on('request', http.handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await http.stop();
});

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
}

async function post(body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${TOKEN}`,
      'x-netweave-auth': encodedCaller({ requestId: 'req-1' }),
      'x-request-id': 'req-1',
      ...headers,
    },
    body,
  });
  const { date: _differs, ...rest } = Object.fromEntries(response.headers);
  return { status: response.status, body: await response.text(), headers: rest };
}

describe('POST /graphql lean path', () => {
  it('answers a cache hit without express, with the bytes and headers express sends for it', async () => {
    // express's app(req, res) calls app.handle (untyped in @types/express).
    const express = vi.spyOn(http.app as unknown as { handle: () => void }, 'handle');
    const body = JSON.stringify({ query: QUERY });
    const first = await post(body); // a miss: executed by Apollo through express, then cached
    expect(first.status).toBe(200);
    expect(express).toHaveBeenCalledTimes(1);

    const lean = await post(body);
    expect(express).toHaveBeenCalledTimes(1); // the hit never reached express
    // The same request framed in a way the lean path leaves to express: express's own cache hit.
    const viaExpress = await post(body, { 'content-type': 'application/json; charset=UTF-8' });
    expect(express).toHaveBeenCalledTimes(2);
    expect(lean).toEqual(viaExpress);
    expect(lean.body).toBe(first.body);
    expect(lean.headers['etag']).toBeDefined();
    expect(lean.headers['x-request-id']).toBe('req-1');
    expect(lean.headers['content-type']).toBe('application/json; charset=utf-8');

    // Another caller, or a changed inventory: not a hit, so express (and Apollo) answer.
    await post(body, { 'x-netweave-auth': encodedCaller({ principal: 'bob', requestId: 'req-2' }) });
    expect(express).toHaveBeenCalledTimes(3);
    inventory.applyNode(gpuNode('gpu-2'));
    const changed = await post(body);
    expect(express).toHaveBeenCalledTimes(4);
    expect(changed.body).not.toBe(first.body);
    expect(changed.body).toContain('gpu-2');
    express.mockRestore();
  });

  it('leaves refused requests to express and refuses bodies that are not JSON objects', async () => {
    const body = JSON.stringify({ query: QUERY });
    const anonymous = await post(body, { authorization: '' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    const badCaller = await post(body, { 'x-netweave-auth': 'not json' });
    expect(badCaller.status).toBe(400);
    for (const malformed of ['{not json', '42']) {
      const answer = await post(malformed);
      expect(answer.status).toBe(400);
      expect(
        (JSON.parse(answer.body) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions
          .code,
      ).toBe('BAD_USER_INPUT');
    }
  });
});
