/**
 * Honest answers (issue 14, item 8) on the demo topology with the simulator: a cluster whose Kubernetes API
 * cannot be watched for longer than the staleness bound is reported stale (`Netweave-Partial-Result:
 * cluster="edge-min"; reason="stale"`, a SHARD_STALE error on GraphQL) while its cached inventory is still
 * served; a list that no cluster answers is 503 naming the clusters (GraphQL: data null, errors naming them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';

const POOLS = '/o2ims-infrastructureInventory/v2/resourcePools';
let demo: Demo;

beforeAll(async () => {
  demo = await startDemo({
    scenario: 'minimal',
    port: 0,
    logger: createLogger('silent'),
    gateway: { logLevel: 'silent', inventory: { cache: { maxAgeMs: 0 } } },
    stalenessSeconds: 1,
  });
}, 60_000);

afterAll(async () => {
  await demo?.close();
});

async function pools(): Promise<{ status: number; partial: string | null; body: unknown }> {
  const response = await fetch(`${demo.gateway.url}${POOLS}`, { signal: AbortSignal.timeout(10_000) });
  return {
    status: response.status,
    partial: response.headers.get('netweave-partial-result'),
    body: await response.json(),
  };
}

async function graphql(
  query: string,
): Promise<{ data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> }> {
  const response = await fetch(`${demo.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await response.json()) as {
    data?: unknown;
    errors?: Array<{ extensions?: Record<string, unknown> }>;
  };
}

describe('honest answers', () => {
  it('a cluster whose Kubernetes API is down past the staleness bound is reported stale, its cache still served', async () => {
    const before = await pools();
    expect(before.status).toBe(200);
    expect(before.partial).toBeNull();
    const count = (before.body as unknown[]).length;
    expect(count).toBeGreaterThan(0);

    demo.clusters.get('edge-min')!.setFault('unavailable');
    await expect
      .poll(async () => (await pools()).partial, { timeout: 30_000, message: 'the stale cluster reported' })
      .toBe('cluster="edge-min"; reason="stale"');
    const stale = await pools();
    expect(stale.status).toBe(200);
    expect((stale.body as unknown[]).length).toBe(count);
    const result = await graphql('{ resourcePools { name } }');
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'SHARD_STALE', clusterId: 'edge-min' }),
      }),
    );

    demo.clusters.get('edge-min')!.setFault('none');
    await expect
      .poll(async () => (await pools()).partial, { timeout: 30_000, message: 'fresh again once watched' })
      .toBeNull();
  });

  it('a list that no cluster answers is 503 naming the clusters, and null with errors naming them on GraphQL', async () => {
    await demo.subgraphs.get('edge-min')!.close();
    const answer = await pools();
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ status: 503, detail: expect.stringContaining('"edge-min"') });
    const result = await graphql('{ resourcePools { name } }');
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'SHARD_UNAVAILABLE', clusterId: 'edge-min' }),
      }),
    );
  });
});
