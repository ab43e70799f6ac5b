/**
 * Clusters that do not answer (docs/architecture.md "The shape"): lists answer 200 with what is available and name the missing
 * clusters in Netweave-Partial-Result; a lookup that finds nothing while a cluster that may own the object is
 * missing answers 503 naming it, because "not found" cannot be told from "owner down".
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FixtureGraphExecutor } from '../testing/fixture-executor.ts';
import { partialResultHeaderValue } from './partial-result.ts';
import { call, startGateway } from '../testing/facade-harness.ts';
import type { HttpAnswer } from '../testing/facade-harness.ts';
import { assertConformsToOwnDocument } from '../testing/conformance.ts';
import { OWN_INVENTORY_DOCUMENT, OpenApiContract } from '../testing/openapi-contract.ts';
import {
  EDGE_CLUSTER,
  REGIONAL_CLUSTER,
  TYPES,
  clusterOf,
  fixtureInventory,
  poolNamed,
} from '../testing/fixture-inventory.ts';

const API = '/o2ims-infrastructureInventory';
const inventory = fixtureInventory();
const edgePool = poolNamed(inventory, EDGE_CLUSTER, 'default');
const gpuPool = poolNamed(inventory, REGIONAL_CLUSTER, 'gpu');
const regionalManager = clusterOf(inventory, REGIONAL_CLUSTER).deploymentManager;
const headerSchema = new OpenApiContract([OWN_INVENTORY_DOCUMENT]).schema(
  '/components/headers/PartialResult/schema',
);

async function gatewayWithout(...clusters: string[]) {
  const executor = new FixtureGraphExecutor();
  for (const clusterId of clusters) executor.unavailable.add(clusterId);
  return startGateway(executor);
}

function partialHeader(answer: HttpAnswer): string | null {
  return answer.headers.get('netweave-partial-result');
}

function ids(answer: HttpAnswer, key: string): string[] {
  return (answer.body as Record<string, string>[]).map((item) => item[key]!);
}

describe('lists while a cluster is down', () => {
  it('answer 200 with the available clusters and name the missing one', async () => {
    await using gateway = await gatewayWithout(REGIONAL_CLUSTER);
    const pools = await call(gateway, `${API}/v2/resourcePools`);
    expect(pools.status).toBe(200);
    expect(ids(pools, 'resourcePoolId')).toEqual([edgePool.resourcePoolId]);
    expect(partialHeader(pools)).toBe('cluster="regional-paris-1"');
    expect(headerSchema(partialHeader(pools))).toBe(true);
    assertConformsToOwnDocument(`${API}/v2/resourcePools`, pools);

    const managers = await call(gateway, `${API}/v2/deploymentManagers`);
    expect(ids(managers, 'name')).toEqual([EDGE_CLUSTER]);
    expect(partialHeader(managers)).toBe('cluster="regional-paris-1"');

    const types = await call(gateway, `${API}/v2/resourceTypes`);
    expect(ids(types, 'resourceTypeId')).toEqual(
      [TYPES.edgeServer, TYPES.cpu, TYPES.memory].map((type) => type.resourceTypeId).sort(),
    );
    expect(partialHeader(types)).toBe('cluster="regional-paris-1"');
  });

  it('answer 503 naming every cluster, sorted, when all are down (never 200 [])', async () => {
    await using gateway = await gatewayWithout(REGIONAL_CLUSTER, EDGE_CLUSTER);
    for (const path of [
      `${API}/v2/deploymentManagers`,
      `${API}/v2/resourcePools`,
      `${API}/v1/resourcePools`,
    ]) {
      const answer = await call(gateway, path);
      expect(answer.status, path).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.body).toMatchObject({
        status: 503,
        detail: expect.stringContaining('Clusters "edge-madrid-1", "regional-paris-1" did not answer'),
      });
    }
  });

  it('log a warning naming the missing clusters', async () => {
    await using gateway = await gatewayWithout(EDGE_CLUSTER);
    const answer = await call(gateway, `${API}/v2/resourcePools`);
    const line = gateway.logs.find((entry) => entry['requestId'] === answer.headers.get('x-request-id'));
    expect(line).toMatchObject({
      level: 40,
      operationId: 'getResourcePools',
      missingClusters: [EDGE_CLUSTER],
    });
  });

  it('name stale clusters with reason="stale", sorted among the missing ones', () => {
    const value = partialResultHeaderValue(['regional-paris-1'], ['edge-madrid-1', 'regional-paris-1']);
    expect(value).toBe('cluster="edge-madrid-1"; reason="stale", cluster="regional-paris-1"');
    expect(headerSchema(value)).toBe(true);
  });

  it('carry no header when every cluster answered', async () => {
    await using gateway = await gatewayWithout();
    expect(partialHeader(await call(gateway, `${API}/v2/resourcePools`))).toBeNull();
  });
});

describe('lookups while a cluster is down', () => {
  it('an object owned by the missing cluster → 503 naming it', async () => {
    await using gateway = await gatewayWithout(REGIONAL_CLUSTER);
    const cases: [string, string][] = [
      [`${API}/v2/resourcePools/{resourcePoolId}`, `${API}/v2/resourcePools/${gpuPool.resourcePoolId}`],
      [
        `${API}/v2/resourcePools/{resourcePoolId}/resources`,
        `${API}/v2/resourcePools/${gpuPool.resourcePoolId}/resources`,
      ],
      [
        `${API}/v2/resourcePools/{resourcePoolId}/resources/{resourceId}`,
        `${API}/v2/resourcePools/${gpuPool.resourcePoolId}/resources/${gpuPool.resources[0]!.resourceId}`,
      ],
      [
        `${API}/v2/deploymentManagers/{deploymentManagerId}`,
        `${API}/v2/deploymentManagers/${regionalManager.deploymentManagerId}`,
      ],
      // Resource types are not owned by one cluster: an unknown one could be on the missing cluster.
      [`${API}/v2/resourceTypes/{resourceTypeId}`, `${API}/v2/resourceTypes/${TYPES.gpu.resourceTypeId}`],
      // An id without a cluster tag may belong to any cluster.
      [`${API}/v2/resourcePools/{resourcePoolId}`, `${API}/v2/resourcePools/${randomUUID()}`],
    ];
    for (const [template, path] of cases) {
      const answer = await call(gateway, path);
      expect(answer.status, path).toBe(503);
      expect(answer.contentType).toBe('application/problem+json; charset=utf-8');
      expect((answer.body as { detail: string }).detail).toContain('"regional-paris-1"');
      expect(partialHeader(answer)).toBeNull();
      assertConformsToOwnDocument(template, answer);
    }
  });

  it('an object found on a cluster that answered → 200, complete, without the header', async () => {
    await using gateway = await gatewayWithout(REGIONAL_CLUSTER);
    for (const path of [
      `${API}/v2/resourcePools/${edgePool.resourcePoolId}`,
      `${API}/v2/resourcePools/${edgePool.resourcePoolId}/resources/${edgePool.resources[0]!.resourceId}`,
      `${API}/v2/resourceTypes/${TYPES.cpu.resourceTypeId}`,
    ]) {
      const answer = await call(gateway, path);
      expect(answer.status, path).toBe(200);
      expect(partialHeader(answer)).toBeNull();
    }
  });

  it('an id tagged with a cluster that answered → 404 although another cluster is down', async () => {
    await using gateway = await gatewayWithout(REGIONAL_CLUSTER);
    const answer = await call(
      gateway,
      `${API}/v2/resourcePools/${edgePool.resourcePoolId.slice(0, 14)}8aaa-8aaa-aaaaaaaaaaaa`,
    );
    expect(answer.status).toBe(404);
  });

  it('the O-Cloud comes from the hub and does not depend on clusters', async () => {
    await using gateway = await gatewayWithout(REGIONAL_CLUSTER, EDGE_CLUSTER);
    expect((await call(gateway, `${API}/v2`)).status).toBe(200);
  });
});
