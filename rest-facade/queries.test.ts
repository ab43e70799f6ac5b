/**
 * SOL013 queries on the inventory routes: filters are compiled and pushed down into the graph operation,
 * selectors trim both the GraphQL selection set and the answer, and pages follow `Link: rel="next"` across
 * shards without gaps or duplicates (page sizes 1, 7 and 100 on a multi-cluster inventory).
 */
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureGraphExecutor } from '../testing/fixture-executor.ts';
import {
  EDGE_CLUSTER,
  REGIONAL_CLUSTER,
  TYPES,
  fixtureInventory,
  poolNamed,
  scaledInventory,
} from '../testing/fixture-inventory.ts';
import { call, startGateway } from '../testing/facade-harness.ts';
import type { Gateway, HttpAnswer } from '../testing/facade-harness.ts';

const API = '/o2ims-infrastructureInventory';
const inventory = fixtureInventory();
const gpuPool = poolNamed(inventory, REGIONAL_CLUSTER, 'gpu');
const edgePool = poolNamed(inventory, EDGE_CLUSTER, 'default');

function items(answer: HttpAnswer): Record<string, unknown>[] {
  expect(answer.status, answer.text).toBe(200);
  return answer.body as Record<string, unknown>[];
}

function nextLink(answer: HttpAnswer): string | undefined {
  const link = answer.headers.get('link');
  if (link === null) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  expect(match, link).not.toBeNull();
  return match![1];
}

let gateway: Gateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(async () => {
  await gateway[Symbol.asyncDispose]();
});

describe('filter', () => {
  it('(eq,resourceTypeId,…);(cont,description,…) returns exactly the matching resources', async () => {
    const resources = [...gpuPool.resources, ...edgePool.resources];
    const filter = `(eq,resourceTypeId,${TYPES.gpuServer.resourceTypeId});(cont,description,gpu)`;
    const answer = await call(
      gateway,
      `${API}/v2/resourcePools/${gpuPool.resourcePoolId}/resources?filter=${encodeURIComponent(filter)}`,
    );
    const expected = resources.filter(
      (r) => r.resourceTypeId === TYPES.gpuServer.resourceTypeId && r.description.includes('gpu'),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(items(answer).map((r) => r.resourceId)).toEqual(expected.map((r) => r.resourceId));
  });

  it('is compiled once and passed to the graph as the `filter` argument (pushdown), not applied afterwards', async () => {
    const before = gateway.executor.requests.length;
    await call(gateway, `${API}/v2/resourcePools?filter=(eq,name,gpu)`);
    const [request] = gateway.executor.requests.slice(before);
    expect(request?.variables?.['filter']).toEqual({
      v: 1,
      clauses: [{ op: 'eq', path: ['name'], type: 'string', values: ['gpu'] }],
    });
    expect(print(request!.document)).toContain(
      'resourcePools(compiledFilter: $filter, first: $first, after: $after)',
    );
  });

  it.each([
    ['`;` written as %3B', `(eq,name,gpu)%3B(cont,description,regional)`, ['gpu']],
    ['a quoted value with a comma and a doubled quote', `(neq,name,'a,''b')`, ['default', 'general', 'gpu']],
    ['in with several values', '(in,name,gpu,general)', ['general', 'gpu']],
    ['nin', '(nin,name,gpu,general)', ['default']],
    ['an upper-case UUID', `(eq,resourcePoolId,${gpuPool.resourcePoolId.toUpperCase()})`, ['gpu']],
    [
      'a nested path into extensions with a ~1 escape',
      '(eq,extensions/netweave.io~1pool-label,general)',
      ['general'],
    ],
    ['ncont', '(ncont,description,regional)', ['default']],
  ])('supports %s', async (_case, filter, names) => {
    const answer = await call(gateway, `${API}/v2/resourcePools?filter=${filter.replace(/ /g, '%20')}`);
    expect(
      items(answer)
        .map((pool) => pool.name)
        .sort(),
    ).toEqual(names);
  });

  it('matches array attributes on any element, also along nested paths', async () => {
    const byTag = items(
      await call(
        gateway,
        `${API}/v2/resourcePools/${gpuPool.resourcePoolId}/resources?filter=(eq,tags,kubernetes-node)`,
      ),
    );
    expect(byTag).toHaveLength(gpuPool.resources.length);
    const byElement = items(
      await call(
        gateway,
        `${API}/v2/resourcePools/${gpuPool.resourcePoolId}/resources?filter=(eq,elements/resourceTypeId,${TYPES.gpu.resourceTypeId})`,
      ),
    );
    expect(byElement.map((r) => r.resourceId)).toEqual([gpuPool.resources[0]!.resourceId]);
  });

  it('filters every list: types, dictionaries, managers, sites, locations', async () => {
    const types = items(await call(gateway, `${API}/v2/resourceTypes?filter=(eq,resourceClass,NETWORKING)`));
    expect(types.map((t) => t.name).sort()).toEqual([TYPES.virtualFunction.name, TYPES.nic.name].sort());
    const dictionaries = items(
      await call(gateway, `${API}/v2/alarmDictionaries?filter=(cont,entityType,A100)`),
    );
    expect(dictionaries.map((d) => d.alarmDictionaryId)).toEqual([TYPES.gpu.alarmDictionaryId]);
    const managers = items(
      await call(gateway, `${API}/v2/deploymentManagers?filter=(eq,name,${EDGE_CLUSTER})`),
    );
    expect(managers).toHaveLength(1);
    const sites = items(
      await call(gateway, `${API}/v2/oCloudSites?filter=(eq,resourcePools,${gpuPool.resourcePoolId})`),
    );
    expect(sites.map((s) => s.name)).toEqual(['paris-regional']);
    const locations = items(await call(gateway, `${API}/v2/locations?filter=(eq,civicAddress/caValue,FR)`));
    expect(locations.map((l) => l.globalLocationId)).toEqual(['location-paris-regional']);
  });
});

describe('attribute selectors', () => {
  it('fields= selects the listed attributes plus the required ones, and only those are fetched', async () => {
    const before = gateway.executor.requests.length;
    const pools = items(await call(gateway, `${API}/v2/resourcePools?fields=name`));
    expect(Object.keys(pools[0]!).sort()).toEqual(['description', 'name', 'oCloudSiteId', 'resourcePoolId']);
    const [request] = gateway.executor.requests.slice(before);
    expect(print(request!.document)).not.toContain('extensions');
  });

  it('exclude_fields trims nested paths inside free-form extensions', async () => {
    const resources = items(
      await call(
        gateway,
        `${API}/v2/resourcePools/${gpuPool.resourcePoolId}/resources?exclude_fields=extensions/labels`,
      ),
    );
    const extensions = resources[0]!['extensions'] as Record<string, unknown>;
    expect(extensions).not.toHaveProperty('labels');
    expect(extensions).toHaveProperty('allocatable');
  });

  it('leaves out an optional attribute (alarmDictionaryId) on request, never a required one', async () => {
    const types = items(await call(gateway, `${API}/v2/resourceTypes?exclude_fields=alarmDictionaryId,name`));
    expect(types.every((t) => !('alarmDictionaryId' in t) && 'name' in t)).toBe(true);
  });

  it('applies to single objects too', async () => {
    const answer = await call(
      gateway,
      `${API}/v2/resourcePools/${gpuPool.resourcePoolId}?exclude_fields=extensions`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).not.toHaveProperty('extensions');
  });
});

describe('v4-compatible profile on /v1', () => {
  it('uses the v4 shapes and default field sets', async () => {
    const cloud = (await call(gateway, `${API}/v1`)).body as Record<string, unknown>;
    expect(cloud).toHaveProperty('globalcloudId', inventory.oCloud.globalCloudId);
    expect(cloud).not.toHaveProperty('globalCloudId');
    expect(cloud).not.toHaveProperty('extensions');
    const pools = items(await call(gateway, `${API}/v1/resourcePools`));
    expect(Object.keys(pools[0]!).sort()).toEqual([
      'description',
      'globalLocationId',
      'name',
      'oCloudId',
      'resourcePoolId',
    ]);
    expect(pools[0]!['oCloudId']).toBe(inventory.oCloud.oCloudId);
    const all = items(await call(gateway, `${API}/v1/resourcePools?all_fields`));
    expect(all.find((pool) => pool['name'] === 'gpu')).toMatchObject({
      location: 'Paris site',
      extensions: {},
    });
  });

  it('embeds the alarm dictionary in a resource type with all_fields', async () => {
    const type = (await call(gateway, `${API}/v1/resourceTypes/${TYPES.gpu.resourceTypeId}?all_fields`))
      .body as Record<string, unknown>;
    expect(type['alarmDictionary']).toMatchObject({ alarmDictionaryId: TYPES.gpu.alarmDictionaryId });
    expect(type).not.toHaveProperty('alarmDictionaryId');
  });

  it('decides a filter on the O-Cloud id at the gateway', async () => {
    const all = items(
      await call(gateway, `${API}/v1/resourcePools?filter=(eq,oCloudId,${inventory.oCloud.oCloudId})`),
    );
    expect(all).toHaveLength(3);
    const none = items(
      await call(gateway, `${API}/v1/resourcePools?filter=(neq,oCloudId,${inventory.oCloud.oCloudId})`),
    );
    expect(none).toEqual([]);
  });
});

/** Follows rel="next" from `path` to the end; returns every page. */
async function allPages(target: Gateway, path: string): Promise<HttpAnswer[]> {
  const pages: HttpAnswer[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const answer = await call(target, next);
    expect(answer.status, answer.text).toBe(200);
    pages.push(answer);
    next = nextLink(answer);
    expect(pages.length).toBeLessThan(500);
  }
  return pages;
}

describe.each([1, 7, 100])('pages of %i across four clusters', (pageSize) => {
  const scaled = scaledInventory(4, 3, 10);
  const pools = scaled.clusters.flatMap((cluster) => cluster.resourcePools);
  const firstPool = pools[0]!;
  let paged: Gateway;
  beforeAll(async () => {
    paged = await startGateway(new FixtureGraphExecutor(scaled), { pageSize });
  });
  afterAll(async () => {
    await paged[Symbol.asyncDispose]();
  });

  const lists: [string, string, () => string[]][] = [
    ['resourcePools', 'resourcePoolId', () => pools.map((p) => p.resourcePoolId)],
    [
      'deploymentManagers',
      'deploymentManagerId',
      () => scaled.clusters.map((c) => c.deploymentManager.deploymentManagerId),
    ],
    // Shared by every cluster: each listed once.
    [
      'resourceTypes',
      'resourceTypeId',
      () => [...new Set(scaled.clusters.flatMap((c) => c.resourceTypes.map((t) => t.resourceTypeId)))],
    ],
    [
      'alarmDictionaries',
      'alarmDictionaryId',
      () => [TYPES.edgeServer, TYPES.gpuServer, TYPES.gpu].map((t) => t.alarmDictionaryId!),
    ],
    ['oCloudSites', 'oCloudSiteId', () => scaled.clusters.map((c) => c.site.oCloudSiteId)],
    ['locations', 'globalLocationId', () => scaled.clusters.map((c) => c.location.globalLocationId)],
    [
      `resourcePools/${firstPool.resourcePoolId}/resources`,
      'resourceId',
      () => firstPool.resources.map((r) => r.resourceId),
    ],
  ];

  it.each(lists)(
    '/v2/%s: following rel="next" yields every object once, in id order',
    async (list, idKey, expected) => {
      const pages = await allPages(paged, `${API}/v2/${list}`);
      const ids = pages.flatMap((page) => items(page).map((item) => String(item[idKey])));
      expect(ids).toEqual([...expected()].sort());
      for (const page of pages) expect(items(page).length).toBeLessThanOrEqual(pageSize);
      expect(pages.length).toBe(Math.max(1, Math.ceil(ids.length / pageSize)));
    },
  );

  it('combines pages with filters and selectors, and the Link repeats them', async () => {
    const filter = `(eq,resourceTypeId,${TYPES.gpuServer.resourceTypeId})`;
    const path = `${API}/v2/resourcePools/${firstPool.resourcePoolId}/resources?filter=${encodeURIComponent(filter)}&fields=description`;
    const pages = await allPages(paged, path);
    const ids = pages.flatMap((page) => items(page).map((item) => String(item['resourceId'])));
    const expected = firstPool.resources
      .filter((r) => r.resourceTypeId === TYPES.gpuServer.resourceTypeId)
      .map((r) => r.resourceId);
    expect(ids).toEqual([...expected].sort());
    for (const page of pages.slice(0, -1)) expect(nextLink(page)).toContain('fields=description');
  });

  it('/v1 pages by page number, as the v4 compliance suite does', async () => {
    const pages = await allPages(paged, `${API}/v1/resourcePools`);
    const ids = pages.flatMap((page) => items(page).map((item) => String(item['resourcePoolId'])));
    expect(ids).toEqual(pools.map((p) => p.resourcePoolId).sort());
    if (pages.length > 1) expect(nextLink(pages[0]!)).toMatch(/nextpage_opaque_marker=2$/);
    const second = await call(paged, `${API}/v1/resourcePools?nextpage_opaque_marker=2`);
    expect(items(second).map((p) => p['resourcePoolId'])).toEqual(ids.slice(pageSize, 2 * pageSize));
  });

  it('refuses a tampered marker and a marker of another query', async () => {
    const first = await call(paged, `${API}/v2/resourcePools?filter=(neq,name,x)`);
    const link = nextLink(first);
    if (link === undefined) return; // one page: nothing to tamper with
    const marker = new URL(link, paged.origin).searchParams.get('nextpage_opaque_marker')!;
    const flipped = marker.slice(0, 5) + (marker[5] === 'A' ? 'B' : 'A') + marker.slice(6);
    expect(
      (await call(paged, `${API}/v2/resourcePools?filter=(neq,name,x)&nextpage_opaque_marker=${flipped}`))
        .status,
    ).toBe(400);
    expect((await call(paged, `${API}/v2/resourcePools?nextpage_opaque_marker=${marker}`)).status).toBe(400);
    expect(
      (await call(paged, `${API}/v2/resourceTypes?filter=(neq,name,x)&nextpage_opaque_marker=${marker}`))
        .status,
    ).toBe(400);
    expect(
      (await call(paged, `${API}/v1/resourcePools?filter=(neq,name,x)&nextpage_opaque_marker=${marker}`))
        .status,
    ).toBe(400);
  });
});
