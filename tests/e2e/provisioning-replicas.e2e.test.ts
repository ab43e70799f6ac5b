/**
 * Provisioning with two gateway replicas on one Redis (docs/provisioning.md "Auto-join"): a provisioned
 * cluster gets exactly ONE subgraph — run by the replica that holds its join lease — and both replicas serve
 * it. When that replica goes away, the other takes the cluster over once the lease expires, from the
 * composites and the store alone: the request stays FULFILLED and the cluster keeps answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { startGateway, type GatewayProcess } from '../../cli/gateway.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { redisForTests, type TestRedis } from '../../testing/redis.ts';

const REQUESTS = '/o2ims-infrastructureProvisioning/v1/provisioningRequests';
const logger = createLogger('silent');
const PROVISIONING = { syncGraceSeconds: 5, tickMs: 100, joinLeaseTtlMs: 2000 };

describe('provisioning with two gateway replicas on Redis', () => {
  let redis: TestRedis;
  let stores: StateStore[] = [];
  let demo: Demo;
  let replicaB: GatewayProcess;

  beforeAll(async () => {
    redis = await redisForTests();
    const keyPrefix = redis.keyPrefix();
    stores = [
      await createRedisStore({ url: redis.url, keyPrefix }),
      await createRedisStore({ url: redis.url, keyPrefix }),
    ];
    demo = await startDemo({
      port: 0,
      timeline: false,
      store: stores[0]!,
      logger,
      provisioning: { readyDelayMs: 100 },
      gateway: { logLevel: 'silent', provisioning: PROVISIONING },
    });
    const management = demo.clusters.get('regional-1')!;
    replicaB = await startGateway(
      parseGatewayConfig({
        listen: { port: 0 },
        logLevel: 'silent',
        internalToken: demo.internalToken,
        provisioning: {
          ...PROVISIONING,
          management: { server: management.url, token: management.token, caData: management.caData! },
        },
      }),
      { store: stores[1]!, logger },
    );
  });
  afterAll(async () => {
    await replicaB?.close();
    await demo?.close();
    for (const store of stores) await store.dispose();
    await redis?.dispose();
  });

  async function phase(g: GatewayProcess, id: string): Promise<string | undefined> {
    const response = await fetch(`${g.url}${REQUESTS}/${id}`);
    if (response.status !== 200) return undefined;
    return ((await response.json()) as { status: { provisioningPhase: string } }).status.provisioningPhase;
  }

  async function nodesOf(g: GatewayProcess, clusterId: string): Promise<number | undefined> {
    const response = await fetch(`${g.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: `{ cluster(clusterId: "${clusterId}") { nodes { name } } }` }),
    });
    const body = (await response.json()) as { data?: { cluster: { nodes: unknown[] } | null } };
    return body.data?.cluster?.nodes.length;
  }

  async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
    for (let attempt = 0; attempt < 600; attempt++) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  it('runs exactly one subgraph per provisioned cluster, and the other replica takes it over', async () => {
    const id = '2b3c4d5e-6f70-4a1b-8c2d-3e4f5a6b7c8d';
    const created = await fetch(`${replicaB.url}${REQUESTS}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        provisioningRequestId: id,
        name: 'edge-5',
        description: 'two replicas',
        templateName: 'edge-cluster',
        templateVersion: 'v1',
        templateParameters: { nodeCount: 2 },
      }),
    });
    expect(created.status).toBe(201);
    const replicas = [demo.gateway, replicaB];
    for (const g of replicas)
      await until(async () => ((await phase(g, id)) === 'FULFILLED' ? true : undefined), 'FULFILLED');
    // Each replica re-evaluates a few more times: nobody starts a second subgraph.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const local = replicas.map((g) => g.provisioning!.joins.local());
    expect(local.flat()).toEqual(['edge-5']);
    for (const g of replicas) expect(await nodesOf(g, 'edge-5')).toBe(2);

    // The holder goes away; the survivor takes the cluster over once the lease expires.
    const holder = local[0]!.length === 1 ? demo.gateway : replicaB;
    const survivor = holder === replicaB ? demo.gateway : replicaB;
    await holder.close();
    await until(
      async () => (survivor.provisioning!.joins.local().includes('edge-5') ? true : undefined),
      'the takeover',
    );
    await until(
      async () => ((await nodesOf(survivor, 'edge-5')) === 2 ? true : undefined),
      'edge-5 answering',
    );
    expect(await phase(survivor, id)).toBe('FULFILLED');
    // Nothing duplicated: one request, one composite, one registration, one join record.
    const list = (await (await fetch(`${survivor.url}${REQUESTS}`)).json()) as unknown[];
    expect(list).toHaveLength(1);
    const composites = demo.clusters
      .get('regional-1')!
      .objects.list('edge.netweave.io/v1alpha1', 'EdgeCluster');
    expect(composites.map((c) => c.metadata.name)).toEqual(['edge-5']);
    expect(survivor.registry.list().filter((r) => r.clusterId === 'edge-5')).toHaveLength(1);
    expect((await stores[0]!.collection('provisioning-joins').list()).map((r) => r.id)).toEqual(['edge-5']);
  });
});
