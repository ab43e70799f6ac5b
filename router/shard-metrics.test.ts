/** The router's shard series on a real fan-out: latency per cluster and outcome, breaker state, shard count. */
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../common/authenticate.ts';
import { parseGatewayConfig } from '../common/config.ts';
import { createLogger } from '../common/log.ts';
import { createMemoryStore } from '../state/memory-store.ts';
import type { StateStore } from '../state/store.ts';
import { startFixtureSubgraph, type FixtureSubgraph } from '../testing/fixture-subgraph.ts';
import { createRouter, type Router } from './gateway.ts';
import { ShardRegistry } from './shard-registry.ts';

let shards: FixtureSubgraph[];
let store: StateStore;
let registry: ShardRegistry;
let router: Router;

beforeAll(async () => {
  shards = await Promise.all([
    startFixtureSubgraph('edge-1', ['workers'], ['R640']),
    startFixtureSubgraph('edge-2', ['workers'], ['R750']),
  ]);
  store = createMemoryStore();
  registry = await ShardRegistry.open(store);
  for (const s of shards) await registry.register({ clusterId: s.clusterId, url: s.url, wsUrl: s.wsUrl });
  const config = parseGatewayConfig({
    shards: { timeoutMs: 2_000, failureThreshold: 1 },
    logLevel: 'silent',
  });
  router = await createRouter({
    config,
    registry,
    authenticate: createAuthenticator(config.auth),
    logger: createLogger('silent'),
    oCloud: () => ({ ...config.oCloud, serviceUri: 'http://test' }),
  });
});

afterAll(async () => {
  await router?.dispose();
  await registry?.dispose();
  await store?.dispose();
  await Promise.allSettled(shards.map((s) => s.close()));
});

describe('shard metrics', () => {
  it('records each shard call by cluster and outcome, and the breaker state of each shard', async () => {
    const auth = await createAuthenticator({ mode: 'development' })(undefined, 'metrics-test');
    const ok = await router.executor.execute({
      document: parse('query Pools { resourcePools { clusterId } }'),
      auth,
    });
    expect(ok.errors).toBeUndefined();
    await shards[1]!.close();
    const partial = await router.executor.execute({
      document: parse('{ resourcePools { clusterId } }'),
      auth,
    });
    expect(partial.errors?.[0]?.extensions?.['clusterId']).toBe('edge-2');

    const text = await router.metrics.metrics();
    expect(text).toMatch(/netweave_shard_calls_total\{cluster="edge-1",outcome="ok"\} 2/);
    expect(text).toMatch(/netweave_shard_calls_total\{cluster="edge-2",outcome="ok"\} 1/);
    expect(text).toMatch(/netweave_shard_calls_total\{cluster="edge-2",outcome="unavailable"\} 1/);
    expect(text).toMatch(/netweave_shard_call_duration_seconds_count\{cluster="edge-1",outcome="ok"\} 2/);
    expect(text).toMatch(/netweave_shard_breaker_state\{cluster="edge-2",state="open"\} 1/);
    expect(text).toMatch(/netweave_shard_breaker_state\{cluster="edge-1",state="closed"\} 1/);
    expect(text).toMatch(/netweave_shards_registered 2/);
    expect(text).toMatch(/netweave_shards_serving 1/);
    // The GraphQL operations themselves: the named one complete, the anonymous one partial (edge-2 down).
    expect(text).toMatch(/netweave_graphql_operations_total\{type="query",name="Pools",outcome="ok"\} 1/);
    expect(text).toMatch(
      /netweave_graphql_operations_total\{type="query",name="anonymous",outcome="partial"\} 1/,
    );
    expect(text).toMatch(
      /netweave_graphql_operation_duration_seconds_count\{type="query",name="Pools",outcome="ok"\} 1/,
    );
  });
});
