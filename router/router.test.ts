/**
 * The router over three real subgraph servers with fixed data: fan-out and merge, routing by id,
 * entity lookups split by cluster, partial results for a dead or slow shard, runtime registration and
 * subscription fan-in — all through the embedded Hive Gateway, over real HTTP and websockets.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAuthenticator } from '../common/authenticate.ts';
import { parseGatewayConfig } from '../common/config.ts';
import { createLogger } from '../common/log.ts';
import { createMemoryStore } from '../state/memory-store.ts';
import type { StateStore } from '../state/store.ts';
import {
  startFixtureShards,
  startFixtureSubgraph,
  type FixtureSubgraph,
} from '../testing/fixture-subgraph.ts';
import { createRouter, type Router } from './gateway.ts';
import { ShardRegistry } from './shard-registry.ts';

interface GraphResponse {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

let shards: FixtureSubgraph[];
let store: StateStore;
let registry: ShardRegistry;
let router: Router;
let server: Server;
let url: string;

async function query(text: string, variables: Record<string, unknown> = {}): Promise<GraphResponse> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: text, variables }),
  });
  return (await response.json()) as GraphResponse;
}

beforeEach(async () => {
  store = createMemoryStore();
  ({ shards, registry } = await startFixtureShards(store));
  const config = parseGatewayConfig({
    shards: { timeoutMs: 1_000, failureThreshold: 100 },
    logLevel: 'silent',
    graphql: {
      fieldSuggestions: false,
      websocket: { maxSubscriptionsPerConnection: 2, maxPayloadBytes: 64 * 1024 },
    },
  });
  router = await createRouter({
    config,
    registry,
    authenticate: createAuthenticator(config.auth),
    logger: createLogger('silent'),
    oCloud: () => ({ ...config.oCloud, serviceUri: 'http://test' }),
  });
  server = createServer((req, res) => router.handle(req, res));
  router.attachWebSocket(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await router.dispose();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await registry.dispose();
  await store.dispose();
  await Promise.allSettled(shards.map((s) => s.close()));
});

describe('shard executor through the gateway', () => {
  it('merges list fields from every shard in cluster order', async () => {
    const result = await query('{ resourcePools { clusterId name } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.['resourcePools']).toEqual([
      { clusterId: 'edge-1', name: 'control' },
      { clusterId: 'edge-1', name: 'workers' },
      { clusterId: 'edge-2', name: 'workers' },
      { clusterId: 'regional-1', name: 'general' },
      { clusterId: 'regional-1', name: 'gpu' },
    ]);
  });

  it('de-duplicates resource types shared by several clusters', async () => {
    const result = await query('{ resourceTypes { resourceTypeId model } }');
    const models = (result.data?.['resourceTypes'] as Array<{ model: string }>).map((t) => t.model);
    expect(models.sort()).toEqual(['R640', 'R750', 'XE8545']);
  });

  it('routes a lookup by a cluster-scoped id to the owning shard only', async () => {
    const pool = shards[2]!.pools[1]!;
    for (const s of shards) s.calls.length = 0;
    const result = await query('query($id: ID!) { resourcePool(resourcePoolId: $id) { name clusterId } }', {
      id: pool.resourcePoolId,
    });
    expect(result.data?.['resourcePool']).toEqual({ name: 'gpu', clusterId: 'regional-1' });
    expect(shards.map((s) => s.calls.length)).toEqual([0, 0, 1]);
  });

  it('handles aliases, fragments and several root fields in one document', async () => {
    const result = await query(`
      query Mixed { a: resourcePools { ...P } b: clusters { name } __typename }
      fragment P on ResourcePool { name }`);
    expect(result.errors).toBeUndefined();
    expect((result.data?.['a'] as unknown[]).length).toBe(5);
    expect(result.data?.['b']).toEqual([{ name: 'edge-1' }, { name: 'edge-2' }, { name: 'regional-1' }]);
    expect(result.data?.['__typename']).toBe('Query');
  });

  it('splits entity lookups by owning cluster and keeps their order', async () => {
    for (const s of shards) s.calls.length = 0;
    const result = await query('{ oCloud { name clusters { clusterId name resourcePools { name } } } }');
    expect(result.errors).toBeUndefined();
    const clusters = (
      result.data?.['oCloud'] as { clusters: Array<{ clusterId: string; resourcePools: unknown[] }> }
    ).clusters;
    expect(clusters.map((c) => c.clusterId)).toEqual(['edge-1', 'edge-2', 'regional-1']);
    expect(clusters.map((c) => c.resourcePools.length)).toEqual([2, 1, 2]);
    // Each shard resolved only its own Cluster reference.
    expect(shards.map((s) => s.calls.filter((c) => c.startsWith('Cluster:')))).toEqual([
      ['Cluster:edge-1'],
      ['Cluster:edge-2'],
      ['Cluster:regional-1'],
    ]);
  });

  it('answers with the other clusters and an error naming a dead one', async () => {
    await shards[1]!.close();
    const result = await query('{ resourcePools { clusterId name } }');
    expect((result.data?.['resourcePools'] as Array<{ clusterId: string }>).map((p) => p.clusterId)).toEqual([
      'edge-1',
      'edge-1',
      'regional-1',
      'regional-1',
    ]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('edge-2'),
        extensions: expect.objectContaining({ code: 'SHARD_UNAVAILABLE', clusterId: 'edge-2' }),
      }),
    ]);
  });

  it('answers null (not an empty list) with errors naming every cluster when no cluster answers', async () => {
    for (const shard of shards) await shard.close();
    const result = await query('{ resourcePools { clusterId name } }');
    expect(result.data ?? null).toBeNull();
    const named = new Set(
      (result.errors ?? []).flatMap((e) =>
        e.extensions?.['code'] === 'SHARD_UNAVAILABLE' ? [String(e.extensions['clusterId'])] : [],
      ),
    );
    expect([...named].sort()).toEqual(['edge-1', 'edge-2', 'regional-1']);
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        path: ['resourcePools'],
        extensions: expect.objectContaining({ clusterIds: ['edge-1', 'edge-2', 'regional-1'] }),
      }),
    );
  });

  it('answers without a slow cluster once its timeout passes', async () => {
    shards[0]!.delayMs = 5_000;
    const result = await query('{ clusters { name } }');
    expect(result.data?.['clusters']).toEqual([{ name: 'edge-2' }, { name: 'regional-1' }]);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'SHARD_UNAVAILABLE', clusterId: 'edge-1' });
  });

  it('shows a cluster registered at runtime without a restart', async () => {
    const late = await startFixtureSubgraph('edge-3', ['late'], ['R640']);
    shards.push(late);
    await registry.register({ clusterId: late.clusterId, url: late.url, wsUrl: late.wsUrl });
    const result = await query('{ clusters { name } }');
    expect(result.data?.['clusters']).toEqual([
      { name: 'edge-1' },
      { name: 'edge-2' },
      { name: 'edge-3' },
      { name: 'regional-1' },
    ]);
  });

  it('executes in-process through the GraphExecutor with the caller auth context', async () => {
    const { parse } = await import('graphql');
    const result = await router.executor.execute<{ resourcePools: unknown[] }>({
      document: parse('{ resourcePools { name } }'),
      auth: { principal: 'p', roles: ['reader'], tenant: { name: '*' }, method: 'internal', requestId: 'r1' },
    });
    expect(result.data?.resourcePools).toHaveLength(5);
  });

  it('sends identical queries in flight once per caller identity, and plans an operation text once', async () => {
    const { parse } = await import('graphql');
    const { operationShape } = await import('./shard-plan.ts');
    const auth = (principal: string, tenant = '*') =>
      ({
        principal,
        roles: ['reader'],
        tenant: { name: tenant },
        method: 'bearer',
        requestId: principal,
      }) as const;
    for (const s of shards) s.calls.length = 0;
    shards[0]!.delayMs = 200;
    const text = '{ resourcePools { clusterId name } }';
    // A new document object per request, as the gateway builds them.
    const run = (who: ReturnType<typeof auth>) =>
      router.executor.execute<{ resourcePools: unknown[] }>({ document: parse(text), auth: { ...who } });
    const results = await Promise.all([
      run(auth('alice')),
      run(auth('alice')),
      run(auth('alice')),
      run(auth('bob')),
      run(auth('alice', 'other')),
    ]);
    for (const result of results) expect(result.data?.resourcePools).toHaveLength(5);
    // alice's three requests shared one; bob and alice-in-another-tenant are other identities.
    expect(shards[0]!.calls.filter((c) => c === 'resourcePools')).toHaveLength(3);
    shards[0]!.delayMs = 0;
    await run(auth('alice'));
    expect(shards[0]!.calls.filter((c) => c === 'resourcePools')).toHaveLength(4);

    const schema = router.executor.schema;
    expect(operationShape(schema, parse(text), undefined)).toBe(
      operationShape(schema, parse(text), undefined),
    );
  });

  it('never shares an in-flight shard request with a REST read that tracks its clusters (exact answers)', async () => {
    const { parse } = await import('graphql');
    const auth = {
      principal: 'alice',
      roles: ['reader'],
      tenant: { name: '*' },
      method: 'bearer',
      requestId: 'r',
    } as const;
    for (const s of shards) s.calls.length = 0;
    shards[0]!.delayMs = 200;
    const text = '{ resourcePools { clusterId name } }';
    const read = () =>
      router.executor.execute<{ resourcePools: unknown[] }>({
        document: parse(text),
        auth: { ...auth },
        clustersAsked: new Set<string>(),
      });
    const results = await Promise.all([read(), read(), read()]);
    for (const result of results) expect(result.data?.resourcePools).toHaveLength(5);
    // Each read reached the shard itself: one started after a change must see it.
    expect(shards[0]!.calls.filter((c) => c === 'resourcePools')).toHaveLength(3);
    shards[0]!.delayMs = 0;
  });

  it('fans subscriptions in from every shard over graphql-ws', async () => {
    const client = createClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
    });
    try {
      const iterator = client.iterate<{ liveInventoryChanged: { clusterId: string; objectId: string } }>({
        query: 'subscription { liveInventoryChanged { clusterId objectId } }',
      });
      const received = new Set<string>();
      const reading = (async () => {
        for await (const event of iterator) {
          received.add(event.data!.liveInventoryChanged.clusterId);
          if (received.size === 3) break;
        }
      })();
      // Upstream subscriptions open asynchronously: emit until each shard's event arrives (bounded).
      for (let i = 0; i < 100 && received.size < 3; i++) {
        for (const s of shards) if (!received.has(s.clusterId)) s.emit(`obj-${s.clusterId}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await reading;
      expect([...received].sort()).toEqual(['edge-1', 'edge-2', 'regional-1']);
    } finally {
      await client.dispose();
    }
  });
});

describe('subscriptions sharing one upstream stream per shard (router/shared-upstreams.ts)', () => {
  const wsUrl = (): string => `${url.replace('http', 'ws')}/graphql`;
  const live = (counts: () => number[], expected: number[]) =>
    expect.poll(counts, { timeout: 10_000, interval: 50 }).toEqual(expected);
  const upstreams = (): number[] => shards.map((s) => s.liveSubscriptions());

  /** A client subscribed to `query`, with the cluster ids of the events it has received. */
  function subscriber(query: string): { received: string[]; dispose(): Promise<void> } {
    const client = createClient({ url: wsUrl(), webSocketImpl: WebSocket, lazy: false });
    const received: string[] = [];
    client.subscribe<{ liveInventoryChanged: { clusterId: string } }>(
      { query },
      {
        next: (event) => received.push(event.data!.liveInventoryChanged.clusterId),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return {
      received,
      async dispose() {
        await client.dispose();
      },
    };
  }

  it('opens one upstream per shard for identical subscriptions, feeds every subscriber, closes it with the last', async () => {
    const query = 'subscription { liveInventoryChanged { clusterId objectId } }';
    // Subscription operations the gateway executed (router/graphql-metrics.ts counts each execution once).
    const executions = async (): Promise<number> =>
      ((await router.metrics.getSingleMetric('netweave_graphql_operations_total')?.get())?.values ?? [])
        .filter((v) => v.labels['type'] === 'subscription')
        .reduce((sum, v) => sum + v.value, 0);
    const executedBefore = await executions();
    const clients = [subscriber(query), subscriber(query), subscriber(query)];
    try {
      await live(upstreams, [1, 1, 1]);
      // Every subscriber is attached once an event from each shard reaches all of them (bounded).
      for (let i = 0; i < 100 && clients.some((c) => new Set(c.received).size < 3); i++) {
        for (const s of shards) s.emit(`obj-${i}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const c of clients)
        expect(new Set(c.received)).toEqual(new Set(['edge-1', 'edge-2', 'regional-1']));
      expect(upstreams()).toEqual([1, 1, 1]);
      // ... and the gateway executed the three identical subscriptions once (router/subscriber-groups.ts).
      expect((await executions()) - executedBefore).toBe(1);

      // Another selection is another upstream; leaving subscribers do not end the others' stream.
      const other = subscriber(
        'subscription { liveInventoryChanged(objectKinds: [RESOURCE_POOL]) { clusterId } }',
      );
      await live(upstreams, [2, 2, 2]);
      await other.dispose();
      await clients[0]!.dispose();
      await clients[1]!.dispose();
      await live(upstreams, [1, 1, 1]);
      const before = clients[2]!.received.length;
      await expect
        .poll(
          () => {
            shards[1]!.emit('after');
            return clients[2]!.received.length > before;
          },
          { timeout: 10_000, interval: 50 },
        )
        .toBe(true);
      await clients[2]!.dispose();
      await live(upstreams, [0, 0, 0]);
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });
});

describe('GraphQL limits at the edge (docs/security.md)', () => {
  async function post(body: string): Promise<{ status: number; text: string }> {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
    });
    return { status: response.status, text: await response.text() };
  }

  it('answers every malformed or oversized request with a 4xx, never a 500', async () => {
    const get = await fetch(`${url}/graphql?query={__typename}&variables=x`, {
      headers: { accept: 'application/json' },
    });
    expect(get.status).toBe(400);
    const deep = `{${'a{'.repeat(5_000)}b${'}'.repeat(5_001)}}`;
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: clusters { name }`).join(' ')} }`;
    const listBomb =
      '{ clusters { resourcePools { resources { elements { elements { elements { resourceId } } } } } } }';
    const deepVariable = `{"query":"query($f: String) { resourcePools(filter: $f) { name } }","variables":{"f":${'['.repeat(10_000)}1${']'.repeat(10_000)}}}`;
    for (const body of [
      JSON.stringify({ query: deep }),
      JSON.stringify({ query: aliases }),
      JSON.stringify({ query: listBomb }),
      deepVariable,
      '{"query": ',
      JSON.stringify({ query: '{ clusters { name } }', variables: 'x' }),
    ]) {
      const answer = await post(body);
      expect(answer.status, answer.text).toBe(400);
    }
    // Client errors never reach a shard, so no breaker counts them.
    for (const shard of router.pool.shards()) expect(shard.breaker.state).toBe('closed');
  });

  it('leaves field suggestions out when they are off', async () => {
    const answer = await post(JSON.stringify({ query: '{ clustrs { name } }' }));
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('Cannot query field');
    expect(answer.text).not.toContain('Did you mean');
  });

  it('closes a graphql-ws socket that sends a frame over the limit and caps operations per connection', async () => {
    const wsUrl = `${url.replace('http', 'ws')}/graphql`;
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(70 * 1024) } }));
    expect(await closed).toBe(1009);

    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
    try {
      const outcomes = await Promise.all(
        [1, 2, 3].map(
          (n) =>
            new Promise<string>((resolve) => {
              client.subscribe(
                { query: `subscription S${n} { liveInventoryChanged { objectId } }` },
                {
                  next: () => resolve('event'),
                  error: (error) =>
                    resolve(
                      String((error as Array<{ extensions?: { code?: string } }>)[0]?.extensions?.code),
                    ),
                  complete: () => resolve('complete'),
                },
              );
              if (n < 3) setTimeout(() => resolve('open'), 1_000);
            }),
        ),
      );
      expect(outcomes).toEqual(['open', 'open', 'TOO_MANY_SUBSCRIPTIONS']);
    } finally {
      await client.dispose();
    }
  });
});
