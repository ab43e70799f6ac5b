/**
 * Every O2 inventory v2 route answers the O2 object with exactly the O2 fields, as JSON, over real HTTP, and
 * its answers conform to netweave's OpenAPI document and to the reference oran-o2ims specification.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startGateway } from '../testing/facade-harness.ts';
import type { Gateway } from '../testing/facade-harness.ts';
import { assertConformsToOwnDocument, assertConformsToReference } from '../testing/conformance.ts';
import { REFERENCE_SKIP_NOTE, referenceSpecsAvailable } from '../testing/openapi-contract.ts';
import {
  EDGE_CLUSTER,
  REGIONAL_CLUSTER,
  TYPES,
  clusterOf,
  fixtureInventory,
  poolNamed,
} from '../testing/fixture-inventory.ts';
import type { FixtureResource, FixtureResourceType } from '../testing/fixture-inventory.ts';

const API = '/o2ims-infrastructureInventory';
const inventory = fixtureInventory();
const edgePool = poolNamed(inventory, EDGE_CLUSTER, 'default');
const gpuPool = poolNamed(inventory, REGIONAL_CLUSTER, 'gpu');
const gpuNode = gpuPool.resources[0]!;
const regionalManager = clusterOf(inventory, REGIONAL_CLUSTER).deploymentManager;

/** Lists are answered in ascending order of their ids (UTF-16 code units). */
function byId<T, K extends keyof T>(items: readonly T[], key: K): T[] {
  return [...items].sort((a, b) =>
    String(a[key]) < String(b[key]) ? -1 : String(a[key]) > String(b[key]) ? 1 : 0,
  );
}

/** The test's own oracle of an O2 resource (independent of the facade's shaping code). */
function o2Resource(resource: FixtureResource): unknown {
  return {
    resourceId: resource.resourceId,
    resourcePoolId: resource.resourcePoolId,
    resourceTypeId: resource.resourceTypeId,
    globalAssetId: resource.globalAssetId,
    description: resource.description,
    elements: resource.elements.map(o2Resource),
    tags: resource.tags,
    groups: resource.groups,
    extensions: resource.extensions,
  };
}

function o2ResourceType(type: FixtureResourceType): unknown {
  const { alarmDictionaryId, ...rest } = type;
  return alarmDictionaryId === null ? rest : type;
}

/** One call per route: the OpenAPI template, a concrete path, and the body the facade must answer. */
const ROUTES: readonly { readonly template: string; readonly path: string; readonly expected: unknown }[] = [
  {
    template: `${API}/api_versions`,
    path: `${API}/api_versions`,
    // Both majors: the O2IMS v11 model on /v2 and the v4-compatible profile on /v1.
    expected: { uriPrefix: API, apiVersions: [{ version: '1.0.0' }, { version: '2.0.0' }] },
  },
  {
    template: `${API}/v2/api_versions`,
    path: `${API}/v2/api_versions`,
    expected: { uriPrefix: `${API}/v2`, apiVersions: [{ version: '2.0.0' }] },
  },
  { template: `${API}/v2`, path: `${API}/v2`, expected: inventory.oCloud },
  {
    template: `${API}/v2/resourceTypes`,
    path: `${API}/v2/resourceTypes`,
    // Each type once, although the edge server, CPU and memory types exist in both clusters.
    expected: byId(
      [
        TYPES.edgeServer,
        TYPES.cpu,
        TYPES.memory,
        TYPES.gpuServer,
        TYPES.gpu,
        TYPES.nic,
        TYPES.virtualFunction,
      ],
      'resourceTypeId',
    ).map(o2ResourceType),
  },
  {
    template: `${API}/v2/resourceTypes/{resourceTypeId}`,
    path: `${API}/v2/resourceTypes/${TYPES.gpu.resourceTypeId}`,
    expected: o2ResourceType(TYPES.gpu),
  },
  {
    template: `${API}/v2/resourceTypes/{resourceTypeId}`,
    path: `${API}/v2/resourceTypes/${TYPES.cpu.resourceTypeId}`,
    expected: o2ResourceType(TYPES.cpu),
  },
  {
    template: `${API}/v2/resourcePools`,
    path: `${API}/v2/resourcePools`,
    expected: byId(
      inventory.clusters.flatMap((cluster) => cluster.resourcePools),
      'resourcePoolId',
    ).map((pool) => ({
      resourcePoolId: pool.resourcePoolId,
      name: pool.name,
      description: pool.description,
      oCloudSiteId: pool.oCloudSiteId,
      extensions: pool.extensions,
    })),
  },
  {
    template: `${API}/v2/resourcePools/{resourcePoolId}`,
    path: `${API}/v2/resourcePools/${edgePool.resourcePoolId}`,
    expected: {
      resourcePoolId: edgePool.resourcePoolId,
      name: 'default',
      description: edgePool.description,
      oCloudSiteId: edgePool.oCloudSiteId,
      extensions: edgePool.extensions,
    },
  },
  {
    template: `${API}/v2/resourcePools/{resourcePoolId}/resources`,
    path: `${API}/v2/resourcePools/${gpuPool.resourcePoolId}/resources`,
    expected: byId(gpuPool.resources, 'resourceId').map(o2Resource),
  },
  {
    template: `${API}/v2/resourcePools/{resourcePoolId}/resources`,
    path: `${API}/v2/resourcePools/${edgePool.resourcePoolId}/resources`,
    expected: byId(edgePool.resources, 'resourceId').map(o2Resource),
  },
  {
    template: `${API}/v2/resourcePools/{resourcePoolId}/resources/{resourceId}`,
    path: `${API}/v2/resourcePools/${gpuPool.resourcePoolId}/resources/${gpuNode.resourceId}`,
    expected: o2Resource(gpuNode),
  },
  {
    template: `${API}/v2/deploymentManagers`,
    path: `${API}/v2/deploymentManagers`,
    expected: byId(
      inventory.clusters.map((cluster) => cluster.deploymentManager),
      'deploymentManagerId',
    ).map(({ clusterId: _graphOnly, ...o2 }) => o2),
  },
  {
    template: `${API}/v2/deploymentManagers/{deploymentManagerId}`,
    path: `${API}/v2/deploymentManagers/${regionalManager.deploymentManagerId}`,
    expected: (({ clusterId: _graphOnly, ...o2 }) => o2)(regionalManager),
  },
];

let gateway: Gateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(async () => {
  await gateway[Symbol.asyncDispose]();
});

describe('O2 inventory v2 routes', () => {
  it.each(ROUTES)('GET $path answers the O2 object as JSON', async ({ path, expected }) => {
    const answer = await call(gateway, path);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    expect(answer.body).toStrictEqual(expected);
    expect(answer.headers.get('netweave-partial-result')).toBeNull();
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never leaks graph-only fields, at any depth', async () => {
    for (const { path } of ROUTES) {
      const { text } = await call(gateway, path);
      expect(text).not.toContain('"clusterId"');
      expect(text).not.toContain('"globalLocationId"');
      expect(text).not.toContain('"resources"');
    }
  });

  it('shapes nested elements as O2 resources, two levels deep (node → NIC → virtual functions)', async () => {
    const answer = await call(
      gateway,
      `${API}/v2/resourcePools/${gpuPool.resourcePoolId}/resources/${gpuNode.resourceId}`,
    );
    const body = answer.body as { elements: { description: string; elements: { elements: unknown[] }[] }[] };
    expect(body.elements).toHaveLength(5);
    const nic = body.elements.find((element) => element.description.startsWith('NIC'));
    expect(nic?.elements).toHaveLength(2);
    expect(nic?.elements.every((vf) => Array.isArray(vf.elements) && vf.elements.length === 0)).toBe(true);
  });

  it('omits alarmDictionaryId for a type without a dictionary instead of sending null', async () => {
    const answer = await call(gateway, `${API}/v2/resourceTypes/${TYPES.cpu.resourceTypeId}`);
    expect(answer.body).not.toHaveProperty('alarmDictionaryId');
  });

  it('accepts upper-case UUIDs and a trailing slash', async () => {
    const upper = await call(gateway, `${API}/v2/resourcePools/${edgePool.resourcePoolId.toUpperCase()}`);
    expect(upper.status).toBe(200);
    expect((upper.body as { resourcePoolId: string }).resourcePoolId).toBe(edgePool.resourcePoolId);
    const nested = await call(
      gateway,
      `${API}/v2/resourcePools/${gpuPool.resourcePoolId.toUpperCase()}/resources/${gpuNode.resourceId.toUpperCase()}`,
    );
    expect(nested.status).toBe(200);
    expect((await call(gateway, `${API}/v2/resourcePools/`)).status).toBe(200);
  });

  it('answers HEAD like GET, without a body', async () => {
    const answer = await call(gateway, `${API}/v2/resourcePools`, {
      method: 'HEAD',
      headers: { authorization: 'Bearer reader-token' },
    });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    expect(answer.text).toBe('');
  });

  it('runs one named GraphQL operation per request, reusing the document compiled at start-up', async () => {
    const before = gateway.executor.requests.length;
    await call(gateway, `${API}/v2/resourcePools`);
    await call(gateway, `${API}/v2/resourcePools`);
    await call(gateway, `${API}/api_versions`);
    const requests = gateway.executor.requests.slice(before);
    expect(requests.map((request) => request.operationName)).toEqual([
      'O2ImsResourcePools',
      'O2ImsResourcePools',
    ]);
    expect(requests[0]!.document).toBe(requests[1]!.document);
    expect(requests[0]!.auth.principal).toBe('development-user');
  });

  it('passes normalised path parameters as variables', async () => {
    const before = gateway.executor.requests.length;
    await call(gateway, `${API}/v2/resourcePools/${gpuPool.resourcePoolId.toUpperCase()}/resources`);
    const [request] = gateway.executor.requests.slice(before);
    expect(request?.operationName).toBe('O2ImsPoolResources');
    // The pool id lower-cased; no filter, the first page (page size 100, plus one to tell whether more follow).
    expect(request?.variables).toEqual({
      resourcePoolId: gpuPool.resourcePoolId,
      filter: null,
      first: 101,
      after: null,
    });
  });
});

describe('conformance of the answers', () => {
  it("conforms to netweave's OpenAPI document", async () => {
    for (const { template, path } of ROUTES) assertConformsToOwnDocument(template, await call(gateway, path));
  });

  it.skipIf(!referenceSpecsAvailable)(
    `conforms to the reference oran-o2ims inventory spec${REFERENCE_SKIP_NOTE}`,
    async () => {
      for (const { template, path } of ROUTES) assertConformsToReference(template, await call(gateway, path));
    },
  );
});
