/**
 * Conformance of the O2 IMS Infrastructure Inventory API, end to end on the demo topology (simulated
 * clusters → cluster subgraphs → router → REST facade): every path of both profiles and every query
 * parameter, with positive and negative cases. Every answer is validated against netweave's own OpenAPI
 * document of its profile and, when ../shared/specs is present, against the reference documents: /v2
 * against oran-o2ims' inventory spec, /v1 against the O-RAN SC compliance suite's JSON Schemas (it-test).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import {
  assertConformsToItTestSchema,
  assertConformsToOwnDocument,
  assertConformsToReference,
} from '../../testing/conformance.ts';
import { REFERENCE_SKIP_NOTE, referenceSpecsAvailable } from '../../testing/openapi-contract.ts';
import type { HttpAnswer } from '../../testing/facade-harness.ts';

const API = '/o2ims-infrastructureInventory';
/** Small pages, so that every list of the demo topology spans several. */
const PAGE_SIZE = 2;

let demo: Demo;

async function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<HttpAnswer> {
  const response = await fetch(demo.gateway.url + path, { method, headers });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    body = undefined;
  }
  return {
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get('content-type') ?? '',
    text,
    body,
  };
}

function nextOf(answer: HttpAnswer): string | undefined {
  return /^<([^>]+)>; rel="next"$/.exec(answer.headers.get('link') ?? '')?.[1];
}

/** Every item of a list, following rel="next"; each page checked with `check`. */
async function walk(path: string, check: (answer: HttpAnswer) => void): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  let next: string | undefined = path;
  for (let pages = 0; next !== undefined; pages++) {
    expect(pages).toBeLessThan(200);
    const answer = await get(next);
    expect(answer.status, `${next}: ${answer.text}`).toBe(200);
    check(answer);
    const items = answer.body as Record<string, unknown>[];
    expect(items.length).toBeLessThanOrEqual(PAGE_SIZE);
    all.push(...items);
    next = nextOf(answer);
  }
  return all;
}

interface Collection {
  readonly list: string;
  readonly id: string;
  /** it-test schemas of the list and of one object (v1 only). */
  readonly itTest?: {
    readonly list: string;
    readonly object: string;
    readonly allFields?: string;
    readonly listAllFields?: string;
  };
}

const V2: readonly Collection[] = [
  { list: '/v2/deploymentManagers', id: 'deploymentManagerId' },
  { list: '/v2/resourceTypes', id: 'resourceTypeId' },
  { list: '/v2/resourcePools', id: 'resourcePoolId' },
  { list: '/v2/alarmDictionaries', id: 'alarmDictionaryId' },
  { list: '/v2/locations', id: 'globalLocationId' },
  { list: '/v2/oCloudSites', id: 'oCloudSiteId' },
];

const V1: readonly Collection[] = [
  {
    list: '/v1/deploymentManagers',
    id: 'deploymentManagerId',
    itTest: {
      list: 'deploymentManagers',
      object: 'deploymentManager',
      allFields: 'deploymentManager_allfields',
    },
  },
  {
    list: '/v1/resourceTypes',
    id: 'resourceTypeId',
    itTest: {
      list: 'resourceTypes',
      object: 'resourceType',
      allFields: 'resourceType_allfields',
      listAllFields: 'resourceTypes_allfields',
    },
  },
  {
    list: '/v1/resourcePools',
    id: 'resourcePoolId',
    itTest: { list: 'resourcePools', object: 'resourcePool', allFields: 'resourcePool_allfields' },
  },
  { list: '/v1/alarmDictionaries', id: 'alarmDictionaryId' },
];

function template(path: string): string {
  return API + path;
}

function checker(
  profile: 'v2' | 'v1',
  openApiPath: string,
  itTestSchema?: string,
): (answer: HttpAnswer) => void {
  return (answer) => {
    assertConformsToOwnDocument(openApiPath, answer, profile);
    if (!referenceSpecsAvailable) return;
    if (profile === 'v2') assertConformsToReference(openApiPath, answer);
    else if (itTestSchema !== undefined) assertConformsToItTestSchema(itTestSchema, answer);
  };
}

beforeAll(async () => {
  demo = await startDemo({
    port: 0,
    timeline: false,
    logger: createLogger('silent'),
    gateway: { logLevel: 'silent', inventory: { pageSize: PAGE_SIZE } },
  });
}, 90_000);

afterAll(async () => {
  await demo?.close();
});

describe(`every path, both profiles${REFERENCE_SKIP_NOTE}`, () => {
  it.skipIf(!referenceSpecsAvailable)('the it-test validators are not vacuous', () => {
    const answer = (body: unknown): HttpAnswer => ({
      status: 200,
      headers: new Headers(),
      contentType: 'application/json',
      text: '',
      body,
    });
    expect(() => assertConformsToItTestSchema('resourcePools', answer([{ name: 'x' }]))).toThrow(
      /globalLocationId/,
    );
    expect(() =>
      assertConformsToItTestSchema('client_errors', answer({ status: 400, detail: 'x', instance: '/a' })),
    ).toThrow();
  });

  it('api_versions lists both majors; each major lists its own version', async () => {
    const service = await get(`${API}/api_versions`);
    expect(service.body).toEqual({
      uriPrefix: API,
      apiVersions: [{ version: '1.0.0' }, { version: '2.0.0' }],
    });
    checker('v2', `${API}/api_versions`)(service);
    for (const [major, version] of [
      ['v2', '2.0.0'],
      ['v1', '1.0.0'],
    ] as const) {
      const answer = await get(`${API}/${major}/api_versions`);
      expect(answer.body).toEqual({ uriPrefix: `${API}/${major}`, apiVersions: [{ version }] });
      checker(major, `${API}/${major}/api_versions`)(answer);
    }
  });

  it('the O-Cloud, default and all_fields', async () => {
    checker('v2', `${API}/v2`)(await get(`${API}/v2`));
    const v1 = await get(`${API}/v1`);
    checker('v1', `${API}/v1`, 'ocloud')(v1);
    checker('v1', `${API}/v1`, 'ocloud_allfields')(await get(`${API}/v1?all_fields`));
    expect(v1.body).toHaveProperty('globalcloudId');
  });

  for (const [profile, collections] of [
    ['v2', V2],
    ['v1', V1],
  ] as const) {
    it.each(collections)(
      `/${profile} $list: every page, every object, with and without all_fields`,
      async (collection) => {
        const items = await walk(
          API + collection.list,
          checker(profile, template(collection.list), collection.itTest?.list),
        );
        expect(items.length).toBeGreaterThan(0);
        const ids = items.map((item) => String(item[collection.id]));
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual([...ids].sort());
        const objectTemplate = `${template(collection.list)}/{${collection.id}}`;
        for (const id of ids) {
          const path = `${API}${collection.list}/${encodeURIComponent(id)}`;
          checker(profile, objectTemplate, collection.itTest?.object)(await get(path));
          checker(profile, objectTemplate, collection.itTest?.allFields)(await get(`${path}?all_fields`));
        }
        if (collection.itTest?.listAllFields !== undefined) {
          await walk(
            `${API}${collection.list}?all_fields`,
            checker(profile, template(collection.list), collection.itTest.listAllFields),
          );
        }
      },
    );

    it(`/${profile} resources of every pool and every resource, and each type's alarm dictionary`, async () => {
      const pools = await walk(`${API}/${profile}/resourcePools`, () => undefined);
      let resources = 0;
      for (const pool of pools) {
        const list = `/${profile}/resourcePools/${String(pool['resourcePoolId'])}/resources`;
        const items = await walk(
          API + list,
          checker(profile, template(`/${profile}/resourcePools/{resourcePoolId}/resources`), 'resources'),
        );
        resources += items.length;
        for (const item of items) {
          const path = `${API}${list}/${String(item['resourceId'])}`;
          const objectTemplate = template(
            `/${profile}/resourcePools/{resourcePoolId}/resources/{resourceId}`,
          );
          checker(profile, objectTemplate, 'resource')(await get(path));
          checker(profile, objectTemplate, 'resource_allfields')(await get(`${path}?all_fields`));
        }
      }
      const nodes = demo.scenario.clusters.reduce(
        (n, c) => n + demo.clusters.get(c.name)!.objects.list('v1', 'Node').length,
        0,
      );
      expect(resources).toBe(nodes);
      for (const type of await walk(`${API}/${profile}/resourceTypes`, () => undefined)) {
        const answer = await get(
          `${API}/${profile}/resourceTypes/${String(type['resourceTypeId'])}/alarmDictionary`,
        );
        expect(answer.status).toBe(200);
        checker(profile, template(`/${profile}/resourceTypes/{resourceTypeId}/alarmDictionary`))(answer);
      }
    });
  }

  it('cross-references: every id an object names answers 200', async () => {
    const seen = new Set<string>();
    const follow = async (path: string): Promise<void> => {
      if (seen.has(path)) return;
      seen.add(path);
      const answer = await get(path);
      expect(answer.status, `${path} is named by an object but answers ${answer.status}`).toBe(200);
    };
    const v2 = (path: string): string => `${API}/v2${path}`;
    const cloud = (await get(v2(''))).body as Record<string, unknown>;
    for (const pool of await walk(v2('/resourcePools'), () => undefined)) {
      await follow(v2(`/oCloudSites/${String(pool['oCloudSiteId'])}`));
      for (const resource of await walk(
        v2(`/resourcePools/${String(pool['resourcePoolId'])}/resources`),
        () => undefined,
      )) {
        expect(resource['resourcePoolId']).toBe(pool['resourcePoolId']);
        const types = [
          resource,
          ...((resource['elements'] as Record<string, unknown>[] | undefined) ?? []),
        ].map((r) => r['resourceTypeId']);
        for (const typeId of types) await follow(v2(`/resourceTypes/${String(typeId)}`));
      }
    }
    for (const type of await walk(v2('/resourceTypes'), () => undefined)) {
      if (type['alarmDictionaryId'] !== undefined)
        await follow(v2(`/alarmDictionaries/${String(type['alarmDictionaryId'])}`));
    }
    for (const site of await walk(v2('/oCloudSites'), () => undefined)) {
      await follow(v2(`/locations/${encodeURIComponent(String(site['globalLocationId']))}`));
      for (const poolId of site['resourcePools'] as string[]) await follow(v2(`/resourcePools/${poolId}`));
    }
    for (const location of await walk(v2('/locations'), () => undefined)) {
      for (const siteId of location['oCloudSiteIds'] as string[]) await follow(v2(`/oCloudSites/${siteId}`));
    }
    for (const manager of await walk(v2('/deploymentManagers'), () => undefined)) {
      expect(manager['oCloudId']).toBe(cloud['oCloudId']);
      for (const locationId of manager['supportedLocations'] as string[])
        await follow(v2(`/locations/${encodeURIComponent(locationId)}`));
    }
    for (const pool of await walk(`${API}/v1/resourcePools`, () => undefined)) {
      expect(pool['oCloudId']).toBe(cloud['oCloudId']);
      await follow(v2(`/locations/${encodeURIComponent(String(pool['globalLocationId']))}`));
    }
    expect(seen.size).toBeGreaterThan(10);
  });
});

describe('query parameters, positive and negative', () => {
  const problem =
    (profile: 'v2' | 'v1', openApiPath: string | undefined, status: number) => (answer: HttpAnswer) => {
      expect(answer.status, answer.text).toBe(status);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(Object.keys(answer.body as object)).not.toContain('instance');
      checker(profile, openApiPath as string)(answer);
      if (referenceSpecsAvailable)
        assertConformsToItTestSchema(status === 405 ? 'unsupported_method' : 'client_errors', answer);
    };

  it('filter: a match, no match, and each kind of error (400, input not echoed)', async () => {
    const pools = await walk(`${API}/v2/resourcePools`, () => undefined);
    const first = pools[0]!;
    const one = await get(
      `${API}/v2/resourcePools?filter=(eq,resourcePoolId,${String(first['resourcePoolId']).toUpperCase()})`,
    );
    expect((one.body as unknown[]).length).toBe(1);
    const none = await get(`${API}/v2/resourcePools?filter=(eq,name,no-such-pool)`);
    expect(none.body).toEqual([]);
    for (const bad of [
      '(eq,name',
      '(eq,secretAttribute,x)',
      '(gt,oCloudSiteId,x)',
      '(eq,name)',
      '(eq,extensions/nodeCount,a);;',
    ]) {
      const answer = await get(`${API}/v2/resourcePools?filter=${encodeURIComponent(bad)}`);
      problem('v2', template('/v2/resourcePools'), 400)(answer);
      expect(answer.text).not.toContain('secretAttribute');
    }
  });

  it('a filter on resources is evaluated in the clusters: description and type', async () => {
    const pools = await walk(`${API}/v2/resourcePools`, () => undefined);
    for (const pool of pools) {
      const list = `${API}/v2/resourcePools/${String(pool['resourcePoolId'])}/resources`;
      const all = await walk(list, () => undefined);
      const sample = all[0]!;
      const filter = `(eq,resourceTypeId,${String(sample['resourceTypeId'])});(cont,description,${String(sample['description']).slice(0, 4)})`;
      const matched = await walk(`${list}?filter=${encodeURIComponent(filter)}`, () => undefined);
      const expected = all.filter(
        (r) =>
          r['resourceTypeId'] === sample['resourceTypeId'] &&
          String(r['description']).includes(String(sample['description']).slice(0, 4)),
      );
      expect(matched.map((r) => r['resourceId'])).toEqual(expected.map((r) => r['resourceId']));
    }
  });

  it('selectors: fields, exclude_fields, all_fields, exclude_default; unknown attribute → 400', async () => {
    const v1Pools = `${API}/v1/resourcePools`;
    const defaults = (await get(v1Pools)).body as Record<string, unknown>[];
    expect(defaults[0]).not.toHaveProperty('extensions');
    const withExtensions = (await get(`${v1Pools}?fields=extensions`)).body as Record<string, unknown>[];
    expect(withExtensions[0]).toHaveProperty('extensions');
    const excluded = (await get(`${v1Pools}?all_fields=false&exclude_default`)).body as Record<
      string,
      unknown
    >[];
    expect(excluded[0]).not.toHaveProperty('location');
    const v2Types = (await get(`${API}/v2/resourceTypes?exclude_fields=alarmDictionaryId`)).body as Record<
      string,
      unknown
    >[];
    expect(v2Types[0]).not.toHaveProperty('alarmDictionaryId');
    problem('v2', template('/v2/resourceTypes'), 400)(await get(`${API}/v2/resourceTypes?fields=colour`));
    problem(
      'v1',
      template('/v1/resourceTypes'),
      400,
    )(await get(`${API}/v1/resourceTypes?all_fields&fields=name`));
  });

  it('nextpage_opaque_marker: the Link target works, garbage and page 0 do not', async () => {
    const first = await get(`${API}/v2/resourcePools`);
    expect(nextOf(first)).toBeDefined();
    problem(
      'v2',
      template('/v2/resourcePools'),
      400,
    )(await get(`${API}/v2/resourcePools?nextpage_opaque_marker=AAAA.BBBB`));
    problem(
      'v1',
      template('/v1/resourcePools'),
      400,
    )(await get(`${API}/v1/resourcePools?nextpage_opaque_marker=0`));
    const second = await get(`${API}/v1/resourcePools?nextpage_opaque_marker=2`);
    expect(second.status).toBe(200);
  });

  it('errors everywhere: 404 unknown path and major, 404 unknown id, 405 with Allow, 406', async () => {
    problem('v2', undefined, 404)(await get(`${API}/v3/resourcePools`));
    problem('v2', undefined, 404)(await get(`${API}/v2/nodes`));
    problem(
      'v2',
      template('/v2/resourcePools/{resourcePoolId}'),
      404,
    )(await get(`${API}/v2/resourcePools/00000000-0000-4000-8000-000000000000`));
    const notAllowed = await get(`${API}/v1/resourcePools`, {}, 'DELETE');
    problem('v1', undefined, 405)(notAllowed);
    expect(notAllowed.headers.get('allow')).toBe('GET, HEAD');
    problem('v2', undefined, 406)(await get(`${API}/v2/resourcePools`, { accept: 'text/html' }));
  });

  it('a malformed id in the path: /v1 answers 404 (it-test 7.3.9), /v2 400 naming the parameter', async () => {
    const pool = String((await walk(`${API}/v1/resourcePools`, () => undefined))[0]!['resourcePoolId']);
    for (const [path, openApiPath] of [
      ['/resourceTypes/not-a-uuid', '/resourceTypes/{resourceTypeId}'],
      ['/resourceTypes/not-a-uuid/alarmDictionary', '/resourceTypes/{resourceTypeId}/alarmDictionary'],
      ['/resourcePools/1234', '/resourcePools/{resourcePoolId}'],
      ['/resourcePools/1234/resources', '/resourcePools/{resourcePoolId}/resources'],
      [`/resourcePools/${pool}/resources/x-y`, '/resourcePools/{resourcePoolId}/resources/{resourceId}'],
      ['/deploymentManagers/not-a-uuid', '/deploymentManagers/{deploymentManagerId}'],
      ['/alarmDictionaries/not-a-uuid', '/alarmDictionaries/{alarmDictionaryId}'],
    ] as const) {
      const v1 = await get(`${API}/v1${path}`);
      problem('v1', template(`/v1${openApiPath}`), 404)(v1);
      expect(v1.text).not.toContain('not-a-uuid');
      const v2 = await get(`${API}/v2${path}`);
      problem('v2', template(`/v2${openApiPath}`), 400)(v2);
      expect((v2.body as { detail: string }).detail).toMatch(/Id\b/);
    }
  });

  it('a single-object GET ignores list-only parameters (filter, paging marker); selectors still apply', async () => {
    const listOnly = '?filter=(eq,name,no-such-name)&nextpage_opaque_marker=garbage&nextpage_opaque_marker=2';
    for (const profile of ['v2', 'v1'] as const) {
      const type = (await walk(`${API}/${profile}/resourceTypes`, () => undefined))[0]!;
      const id = String(type['resourceTypeId']);
      const plain = await get(`${API}/${profile}/resourceTypes/${id}`);
      for (const path of [
        `/${profile}/resourceTypes/${id}${listOnly}`,
        `/${profile}/resourceTypes/${id}?filter=${encodeURIComponent('(eq,colour')}`,
        `/${profile}${listOnly}`,
        `/${profile}/api_versions${listOnly}`,
      ]) {
        const answer = await get(API + path);
        expect(answer.status, `${path}: ${answer.text}`).toBe(200);
        if (path.includes('resourceTypes')) expect(answer.body).toEqual(plain.body);
      }
      // /v2 leaves out an optional attribute (a mandatory one stays); /v1 adds what its defaults leave out.
      const selector = profile === 'v2' ? 'exclude_fields=alarmDictionaryId,vendor' : 'all_fields';
      const selected = await get(`${API}/${profile}/resourceTypes/${id}${listOnly}&${selector}`);
      checker(profile, template(`/${profile}/resourceTypes/{resourceTypeId}`))(selected);
      if (profile === 'v2') {
        expect(selected.body).not.toHaveProperty('alarmDictionaryId');
        expect(selected.body).toHaveProperty('vendor');
      } else {
        expect(plain.body).not.toHaveProperty('extensions');
        expect(selected.body).toHaveProperty('extensions');
      }
      problem(
        profile,
        template(`/${profile}/resourceTypes/{resourceTypeId}`),
        400,
      )(await get(`${API}/${profile}/resourceTypes/${id}${listOnly}&fields=colour`));
      // The lists keep refusing a bad filter.
      problem(
        profile,
        template(`/${profile}/resourceTypes`),
        400,
      )(await get(`${API}/${profile}/resourceTypes?filter=${encodeURIComponent('(eq,colour')}`));
    }
  });

  it('property: no filter, selector or marker input yields a 5xx', async () => {
    const parameter = fc.constantFrom(
      'filter',
      'fields',
      'exclude_fields',
      'all_fields',
      'exclude_default',
      'nextpage_opaque_marker',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.stringMatching(
        /^\((eq|neq|gt|lt|in|cont|ncont|nin)?,[a-zA-Z/~0-9@]{0,20},[^)]{0,12}\)(;\(.{0,10}\))?$/,
      ),
      fc.constantFrom(
        '(eq,extensions/@key,nodeCount)',
        '(gt,extensions/nodeCount,1)',
        '(in,name,a,b,c)',
        'extensions/poolLabel',
        '2',
        '1',
      ),
    );
    const path = fc.constantFrom(
      '/v2/resourcePools',
      '/v2/resourceTypes',
      '/v2/oCloudSites',
      '/v1/resourcePools',
      '/v1/resourceTypes',
      '/v2/alarmDictionaries',
    );
    await fc.assert(
      fc.asyncProperty(path, fc.array(fc.tuple(parameter, value), { maxLength: 3 }), async (list, params) => {
        const query = new URLSearchParams(params).toString();
        const answer = await get(`${API}${list}?${query}`);
        expect(answer.status, `${list}?${query}: ${answer.text}`).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.contentType).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 150 },
    );
  });
});
