/**
 * GraphQL over HTTP on the direct path (router/direct-execution.ts `useDirectExecution`), against the same
 * router with the direct path off (every operation through Hive Gateway's plan and projection), over the same
 * three fixture shards: the answers (status, body) are the same for a set of operations with aliases,
 * fragments, variables, defaults, coercion errors, validation errors, nested fields, entities, partial shard
 * failures and no shard answering. Then the shared executions: identical concurrent queries of one caller
 * identity run once, other identities and mutations never share.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AuthError, type AuthContext } from '../common/auth.ts';
import type { Authenticator } from '../common/authenticate.ts';
import { parseGatewayConfig } from '../common/config.ts';
import { createLogger } from '../common/log.ts';
import { createMemoryStore } from '../state/memory-store.ts';
import type { StateStore } from '../state/store.ts';
import { startFixtureShards, type FixtureSubgraph } from '../testing/fixture-subgraph.ts';
import { createRouter, type Router } from './gateway.ts';
import { ShardRegistry } from './shard-registry.ts';

/** `Bearer <principal>[:<role>,<role>]`; a reader unless roles are given. */
const authenticate: Authenticator = (header, requestId = 'test') => {
  const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (token === undefined) return Promise.reject(new AuthError(401, 'a bearer token is required'));
  const [principal, roles] = token.split(':');
  return Promise.resolve({
    principal: principal!,
    roles: roles === undefined ? ['reader'] : roles.split(',').filter((r) => r !== ''),
    tenant: { name: '*' },
    method: 'bearer',
    requestId,
  } as AuthContext);
};

interface Served {
  readonly router: Router;
  readonly server: Server;
  readonly url: string;
}

let shards: FixtureSubgraph[];
let store: StateStore;
let registry: ShardRegistry;
let direct: Served;
let reference: Served;

async function serve(directExecution: boolean): Promise<Served> {
  const config = parseGatewayConfig({
    shards: { timeoutMs: 1_000, failureThreshold: 100 },
    logLevel: 'silent',
    graphql: { fieldSuggestions: false },
  });
  const router = await createRouter({
    config,
    registry,
    authenticate,
    logger: createLogger('silent'),
    oCloud: () => ({ ...config.oCloud, serviceUri: 'http://test' }),
    directExecution,
  });
  const server = createServer((req, res) => router.handle(req, res));
  router.attachWebSocket(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { router, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

async function close(served: Served | undefined): Promise<void> {
  if (served === undefined) return;
  await served.router.dispose();
  served.server.closeAllConnections();
  await new Promise<void>((r) => served.server.close(() => r()));
}

beforeEach(async () => {
  store = createMemoryStore();
  ({ shards, registry } = await startFixtureShards(store));
  direct = await serve(true);
  reference = await serve(false);
}, 90_000);

afterEach(async () => {
  await close(direct);
  await close(reference);
  await registry.dispose();
  await store.dispose();
  await Promise.allSettled(shards.map((s) => s.close()));
});

interface Operation {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
}

async function post(
  url: string,
  operation: Operation,
  principal = 'alice',
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${principal}`,
    },
    body: JSON.stringify(operation),
  });
  return { status: response.status, body: JSON.parse(await response.text()) as unknown };
}

async function expectSameAnswers(operations: readonly Operation[]): Promise<void> {
  for (const operation of operations) {
    const [mine, theirs] = [await post(direct.url, operation), await post(reference.url, operation)];
    expect({ operation, ...mine }).toEqual({ operation, ...theirs });
  }
}

const poolOf = (shard: number, pool: number): string => shards[shard]!.pools[pool]!.resourcePoolId;

// Two routers and three shards per test, a dozen operations each: generous bounds for a loaded CI machine.
describe('GraphQL over HTTP on the direct path', { timeout: 90_000 }, () => {
  it('answers like the gateway: aliases, fragments, variables, defaults, nested fields, errors', async () => {
    await expectSameAnswers([
      { query: '{ resourcePools { clusterId name description } }' },
      {
        query: `query Mixed { a: resourcePools { ...P } b: clusters { name } __typename }
                fragment P on ResourcePool { name oCloudSiteId }`,
      },
      {
        query: 'query($id: ID!) { resourcePool(resourcePoolId: $id) { name clusterId } }',
        variables: { id: poolOf(2, 1) },
      },
      {
        query: `query($id: ID = "${poolOf(0, 1)}") { p: resourcePool(resourcePoolId: $id) { name } }`,
      },
      { query: '{ resourcePool(resourcePoolId: "no-such-pool") { name } }' },
      { query: 'query($id: ID!) { resourcePool(resourcePoolId: $id) { name } }', variables: {} },
      {
        query: 'query($id: ID!) { resourcePool(resourcePoolId: $id) { name } }',
        variables: { id: { not: 'an id' } },
      },
      { query: '{ resourceTypes { resourceTypeId model vendor } }' },
      { query: '{ clusters { name resourcePools { name } } }' },
      { query: '{ cluster(clusterId: "edge-2") { name } }' },
      {
        query: 'query A { clusters { name } } query B { resourcePools { name } }',
        operationName: 'B',
      },
      { query: '{ resourcePools { nosuchfield } }' },
      // @include/@skip fall back to the gateway: the same answer either way.
      { query: 'query($x: Boolean!) { resourcePools { name @include(if: $x) } }', variables: { x: true } },
    ]);
  });

  it('answers like the gateway when a shard is down and when none answers', async () => {
    await shards[1]!.close();
    await expectSameAnswers([
      { query: '{ resourcePools { clusterId name } }' },
      { query: '{ clusters { name } a: resourceTypes { model } }' },
      { query: '{ cluster(clusterId: "edge-2") { name } }' },
      { query: '{ a: cluster(clusterId: "edge-2") { name } b: cluster(clusterId: "edge-2") { name } }' },
      { query: '{ a: cluster(clusterId: "edge-1") { name } b: cluster(clusterId: "edge-2") { name } }' },
    ]);
    await shards[0]!.close();
    await shards[2]!.close();
    await expectSameAnswers([
      { query: '{ resourcePools { clusterId name } }' },
      { query: '{ resourcePool(resourcePoolId: "x") { name } }' },
    ]);
  });

  it('answers a query over graphql-ws like the gateway', async () => {
    const overWs = async (served: Served): Promise<unknown> => {
      const client = createClient({
        url: served.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: 'Bearer alice' },
        retryAttempts: 0,
      });
      try {
        return await new Promise((resolve, reject) => {
          let answer: unknown;
          client.subscribe(
            {
              query: '{ resourcePools { clusterId name } nope: resourcePool(resourcePoolId: "x") { name } }',
            },
            { next: (value) => (answer = value), error: reject, complete: () => resolve(answer) },
          );
        });
      } finally {
        await client.dispose();
      }
    };
    const mine = await overWs(direct);
    expect(mine).toEqual(await overWs(reference));
    expect((mine as { data?: { resourcePools?: unknown[] } }).data?.resourcePools).toHaveLength(5);
  });

  it('refuses a caller without the permission as the gateway does', async () => {
    const operation = { query: '{ resourcePools { name } }' };
    const [mine, theirs] = [
      await post(direct.url, operation, 'nobody:'),
      await post(reference.url, operation, 'nobody:'),
    ];
    expect(mine.status).toBe(403);
    expect(mine).toEqual(theirs);
  });
});

/** Shard calls the executor made (one per shard and execution; shared shard requests still count). */
async function shardCalls(router: Router): Promise<number> {
  const metric = await router.metrics.getSingleMetric('netweave_shard_calls_total')?.get();
  return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

describe('identical concurrent queries', { timeout: 90_000 }, () => {
  const operation = { query: '{ resourcePools { clusterId name } }' };

  it('share one execution per caller identity', async () => {
    for (const s of shards) s.delayMs = 200;
    const answers = await Promise.all([post(direct.url, operation), post(direct.url, operation)]);
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.status).toBe(200);
    // One execution: each of the three shards called once (two executions would be six calls).
    expect(await shardCalls(direct.router)).toBe(3);
    expect(shards.map((s) => s.calls.length)).toEqual([1, 1, 1]);
  });

  it('never share across identities, and start anew once the shared one finished', async () => {
    for (const s of shards) s.delayMs = 200;
    await Promise.all([post(direct.url, operation, 'alice'), post(direct.url, operation, 'bob')]);
    expect(await shardCalls(direct.router)).toBe(6);
    await post(direct.url, operation, 'alice');
    expect(await shardCalls(direct.router)).toBe(9);
  });

  it('are not shared with the direct path off (the reference gateway)', async () => {
    for (const s of shards) s.delayMs = 200;
    await Promise.all([post(reference.url, operation), post(reference.url, operation)]);
    expect(await shardCalls(reference.router)).toBe(6);
  });
});
