/**
 * vnflcm v2 on the demo topology against the checks of ETSI NFV-TST 010 for SOL003 VNF lifecycle
 * management (ETSI Forge api-tests, SOL003 `VNFLifecycleManagement-API`, ids 7.3.1.x): each test names the
 * TST010 test id it covers. The happy paths run for real: netweave's sample CSAR is on-boarded, installed
 * on edge-1 by the cluster's job runner with the real helm binary, and terminated. Failure paths (a chart
 * that never becomes ready, retry, rollback, fail, FAILED_TEMP blocking) are in lcm-failures.test.ts.
 *
 * The api-tests were written against SOL003 v2.x; netweave follows SOL003 V3.7.1 and the O-RAN O2dms ETSI
 * NFV profile (API version 2.x with Tacker's 2.0.0 accepted). Where the two differ the test name says so.
 * Bodies are validated against the SOL003 V3.7.1 schemas when ../shared is present.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DmsClient,
  EDGE_1,
  LCM,
  PUBLIC_URL,
  UNKNOWN_ID,
  VERSION,
  conforms,
  expectProblem,
  sampleCsar,
  startDmsDemo,
  type DmsDemo,
} from './support.ts';

let env: DmsDemo;
let client: DmsClient;
let vnfdId: string;
/** An instance instantiated in beforeAll, terminated by the terminate tests at the end. */
let instantiatedId: string;
let instantiateOccurrence: string;

const INSTANCES = `${LCM}/vnf_instances`;
const OCCS = `${LCM}/vnf_lcm_op_occs`;
const METHODS_EXCEPT = (allowed: string[]): string[] =>
  ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !allowed.includes(m));

async function expectNotAllowed(path: string, methods: string[], allow: string): Promise<void> {
  for (const method of methods) {
    const answer = await client.send(method, path, method === 'GET' ? {} : { body: {} });
    expectProblem(answer, 405);
    expect(answer.headers.get('allow')).toBe(allow);
  }
}

beforeAll(async () => {
  // pageSize 2: every list with three items or more is paged (7.3.1.1.12, 7.3.1.11.12).
  env = await startDmsDemo({ pageSize: 2 });
  client = new DmsClient(env.origin);
  vnfdId = (await client.onboard(await sampleCsar())).vnfdId;
  instantiatedId = await client.createInstance(vnfdId, { vnfInstanceName: 'conformance-running' });
  instantiateOccurrence = await client.instantiate(instantiatedId, {
    flavourId: 'small',
    additionalParams: { namespace: 'conformance' },
  });
  await client.until(instantiateOccurrence, 'COMPLETED');
}, 180_000);

afterAll(async () => {
  await env?.close();
});

describe('TST010 7.3.1.35 API versions', () => {
  it('7.3.1.35.2 GET {apiRoot}/vnflcm/api_versions: 200, 2.0.0 and 2.14.0, no Version needed (uriPrefix {apiRoot}/vnflcm as Tacker: this resource spans major versions)', async () => {
    const answer = await client.send('GET', '/o2dms/vnflcm/api_versions', {
      headers: { Version: undefined },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const body = answer.body as { uriPrefix: string; apiVersions: { version: string }[] };
    expect(body.uriPrefix).toBe('/o2dms/vnflcm');
    expect(body.apiVersions.map((v) => v.version)).toEqual(['2.0.0', '2.14.0']);
  });

  it('7.3.1.35.7 GET {apiRoot}/vnflcm/v2/api_versions (with apiMajorVersion): 200, uriPrefix {apiRoot}/vnflcm/v2 (SOL013 9.3.3), same versions', async () => {
    const answer = await client.send('GET', `${LCM}/api_versions`, { headers: { Version: undefined } });
    expect(answer.status).toBe(200);
    expect((answer.body as { uriPrefix: string }).uriPrefix).toBe(LCM);
    expect((answer.body as { apiVersions: { version: string }[] }).apiVersions.map((v) => v.version)).toEqual(
      ['2.0.0', '2.14.0'],
    );
  });

  it('7.3.1.35.1, 7.3.1.35.3-5 POST, PUT, PATCH, DELETE on api_versions → 405 with Allow', async () => {
    await expectNotAllowed('/o2dms/vnflcm/api_versions', METHODS_EXCEPT(['GET']), 'GET, HEAD');
  });

  it('7.3.1.35.6, 7.3.1.35.8-10 POST, PUT, PATCH, DELETE on v2/api_versions → 405 with Allow', async () => {
    await expectNotAllowed(`${LCM}/api_versions`, METHODS_EXCEPT(['GET']), 'GET, HEAD');
  });
});

describe('SOL013 4.9 Version header (every TST010 request sends one; O2dms profile rules)', () => {
  it('a missing or malformed Version → 400; major ≠ 2 or minor > 14 → 406; refusals say Version 2.14.0', async () => {
    for (const [version, status] of [
      [undefined, 400],
      ['two', 400],
      ['3.0.0', 406],
      ['2.15.0', 406],
    ] as const) {
      const answer = await client.send('GET', INSTANCES, { headers: { Version: version } });
      expectProblem(answer, status);
      expect(answer.headers.get('version')).toBe('2.14.0');
    }
  });

  it("the response echoes the version the request named (Tacker's 2.0.0, the V3.7.1 file's 2.3.0)", async () => {
    for (const version of ['2.0.0', '2.3.0', VERSION]) {
      const answer = await client.send('GET', INSTANCES, { headers: { Version: version } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('version')).toBe(version);
    }
  });
});

describe('TST010 7.3.1.1 VNF instances', () => {
  it('7.3.1.1.1 / 7.3.1.22.1 POST creates an instance: 201, Location = _links.self, Version, NOT_INSTANTIATED VnfInstance', async () => {
    const answer = await client.post(INSTANCES, {
      vnfdId,
      vnfInstanceName: 'created',
      metadata: { team: 'ran' },
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('version')).toBe(VERSION);
    const body = answer.body as {
      id: string;
      instantiationState: string;
      _links: { self: { href: string } };
    };
    conforms('VnfInstance', body);
    expect(body).toMatchObject({
      vnfdId,
      instantiationState: 'NOT_INSTANTIATED',
      vnfInstanceName: 'created',
    });
    expect(answer.headers.get('location')).toBe(`${PUBLIC_URL}${INSTANCES}/${body.id}`);
    expect(body._links.self.href).toBe(answer.headers.get('location'));
    expect((await client.get(answer.headers.get('location')!)).status).toBe(200);
  });

  it('7.3.1.1.1 (bad input) POST: not JSON → 415, no vnfdId → 400, a vnfdId of no ONBOARDED package → 422', async () => {
    expectProblem(
      await client.send('POST', INSTANCES, { raw: 'vnfdId=x', headers: { 'content-type': 'text/plain' } }),
      415,
    );
    expectProblem(await client.post(INSTANCES, { vnfInstanceName: 'no vnfd' }), 400);
    expectProblem(await client.post(INSTANCES, { vnfdId: UNKNOWN_ID }), 422);
  });

  it('7.3.1.1.2 GET all instances: 200, every instance, default exclusions (vimConnectionInfo, instantiatedVnfInfo, metadata)', async () => {
    const items = await client.listAll<Record<string, unknown>>(INSTANCES);
    expect(items.map((i) => i['id'])).toContain(instantiatedId);
    for (const item of items) {
      conforms('VnfInstance', item);
      for (const excluded of ['vimConnectionInfo', 'instantiatedVnfInfo', 'metadata'])
        expect(item).not.toHaveProperty(excluded);
    }
  });

  it('7.3.1.1.3 GET with an invalid attribute-based filter → 400', async () => {
    expectProblem(
      await client.get(`${INSTANCES}?filter=${encodeURIComponent('(eq,noSuchAttribute,1)')}`),
      400,
    );
    expectProblem(await client.get(`${INSTANCES}?filter=${encodeURIComponent('(eq,vnfdId')}`), 400);
  });

  it('7.3.1.1.3 (filter applied) GET with a valid filter: only the matching instances', async () => {
    const items = await client.listAll<{ id: string; instantiationState: string }>(
      `${INSTANCES}?filter=${encodeURIComponent('(eq,instantiationState,INSTANTIATED)')}`,
    );
    expect(items.map((i) => i.id)).toContain(instantiatedId);
    expect(items.every((i) => i.instantiationState === 'INSTANTIATED')).toBe(true);
  });

  it('7.3.1.1.4 GET with an invalid attribute selector → 400', async () => {
    expectProblem(await client.get(`${INSTANCES}?all_fields&fields=metadata`), 400);
    expectProblem(await client.get(`${INSTANCES}?fields=metadata&exclude_fields=vnfdId`), 400);
  });

  it('7.3.1.1.5 GET with all_fields: the excluded attributes are present', async () => {
    const item = (await client.listAll<Record<string, unknown>>(`${INSTANCES}?all_fields`)).find(
      (i) => i['id'] === instantiatedId,
    )!;
    conforms('VnfInstance', item);
    expect(item).toHaveProperty('vimConnectionInfo');
    expect(item).toHaveProperty('instantiatedVnfInfo');
  });

  it('7.3.1.1.6 GET with exclude_default: same as no selector', async () => {
    const item = (await client.listAll<Record<string, unknown>>(`${INSTANCES}?exclude_default`)).find(
      (i) => i['id'] === instantiatedId,
    )!;
    expect(item).not.toHaveProperty('instantiatedVnfInfo');
    expect(item).toMatchObject({ id: instantiatedId, vnfdId });
  });

  it('7.3.1.1.7 GET with fields: the named excluded attribute comes back', async () => {
    const item = (
      await client.listAll<Record<string, unknown>>(`${INSTANCES}?fields=instantiatedVnfInfo`)
    ).find((i) => i['id'] === instantiatedId)!;
    expect(item).toHaveProperty('instantiatedVnfInfo');
    expect(item).not.toHaveProperty('vimConnectionInfo');
  });

  it('7.3.1.1.8 GET with exclude_fields: the named attribute is left out, the default-excluded ones come back (SOL013 Table 5.3.2-1)', async () => {
    const item = (
      await client.listAll<Record<string, unknown>>(`${INSTANCES}?exclude_fields=vnfInstanceName`)
    ).find((i) => i['id'] === instantiatedId)!;
    expect(item).not.toHaveProperty('vnfInstanceName');
    expect(item).toHaveProperty('vnfdId');
    expect(item).toHaveProperty('instantiatedVnfInfo');
  });

  it('7.3.1.1.9-11 PUT, PATCH, DELETE on the collection → 405 with Allow', async () => {
    await expectNotAllowed(INSTANCES, ['PUT', 'PATCH', 'DELETE'], 'GET, HEAD, POST');
  });

  it('7.3.1.1.12 GET a paged list: Link rel="next" with nextpage_opaque_marker, every instance once', async () => {
    for (let n = 0; n < 3; n++) await client.createInstance(vnfdId);
    const first = await client.get(INSTANCES);
    expect(first.status).toBe(200);
    expect((first.body as unknown[]).length).toBe(2);
    const link = first.headers.get('link') ?? '';
    expect(link).toMatch(/^<[^>]*nextpage_opaque_marker=[^>]+>;\s*rel="next"$/);
    const ids = (await client.listAll<{ id: string }>(INSTANCES)).map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expectProblem(await client.get(`${INSTANCES}?nextpage_opaque_marker=forged`), 400);
  });

  it('7.3.1.1.13 does not apply: netweave pages every list (SOL013 5.4.2), so a long list is 200 + Link, never 400 "too big"', async () => {
    const answer = await client.get(`${INSTANCES}?all_fields`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('link')).toMatch(/rel="next"/);
  });
});

describe('TST010 7.3.1.2 Individual VNF instance', () => {
  it('7.3.1.2.1, 7.3.1.2.3 POST, PUT → 405 with Allow', async () => {
    const id = await client.createInstance(vnfdId);
    await expectNotAllowed(`${INSTANCES}/${id}`, ['POST', 'PUT'], 'GET, HEAD, PATCH, DELETE');
  });

  it('7.3.1.2.2 GET: 200, ETag, the whole VnfInstance (instantiatedVnfInfo with one VNFC per pod)', async () => {
    const answer = await client.get(`${INSTANCES}/${instantiatedId}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toMatch(/^"\d+"$/);
    const body = answer.body as {
      instantiationState: string;
      vimConnectionInfo: Record<string, Record<string, unknown>>;
      instantiatedVnfInfo: { flavourId: string; vnfState: string; vnfcResourceInfo: unknown[] };
    };
    conforms('VnfInstance', body);
    expect(body.instantiationState).toBe('INSTANTIATED');
    expect(body.instantiatedVnfInfo).toMatchObject({ flavourId: 'small', vnfState: 'STARTED' });
    expect(body.instantiatedVnfInfo.vnfcResourceInfo.length).toBe(2);
    expect(Object.values(body.vimConnectionInfo)[0]).toMatchObject({ vimId: EDGE_1 });
    expect(Object.values(body.vimConnectionInfo)[0]).not.toHaveProperty('accessInfo');
  });

  it('7.3.1.2.2 (unknown id) GET → 404', async () => {
    expectProblem(await client.get(`${INSTANCES}/${UNKNOWN_ID}`), 404);
    expectProblem(await client.get(`${INSTANCES}/not-a-uuid`), 404);
  });

  it('7.3.1.2.4 / 7.3.1.27.1 PATCH: 202, Location of a MODIFY_INFO occurrence COMPLETED with changedInfo; the instance and its ETag change', async () => {
    const id = await client.createInstance(vnfdId, { vnfInstanceName: 'before' });
    const before = await client.get(`${INSTANCES}/${id}`);
    const answer = await client.send('PATCH', `${INSTANCES}/${id}`, {
      raw: JSON.stringify({ vnfInstanceName: 'after', metadata: { site: 'edge' } }),
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': before.headers.get('etag')! },
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toBeUndefined();
    const location = answer.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${PUBLIC_URL}${OCCS}/[0-9a-f-]{36}$`));
    const occurrence = await client.until(location, 'COMPLETED');
    conforms('VnfLcmOpOcc', occurrence);
    expect(occurrence).toMatchObject({
      operation: 'MODIFY_INFO',
      vnfInstanceId: id,
      changedInfo: { vnfInstanceName: 'after' },
    });
    const after = await client.get(`${INSTANCES}/${id}`);
    expect(after.body).toMatchObject({ vnfInstanceName: 'after', metadata: { site: 'edge' } });
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
  });

  it('7.3.1.2.4 (bad input) PATCH as text/plain → 415 (application/json is taken as a merge patch, as tackerclient sends it); an unknown attribute → 400', async () => {
    const id = await client.createInstance(vnfdId);
    expectProblem(
      await client.send('PATCH', `${INSTANCES}/${id}`, {
        raw: JSON.stringify({ vnfInstanceName: 'x' }),
        headers: { 'content-type': 'text/plain' },
      }),
      415,
    );
    expect(
      (await client.send('PATCH', `${INSTANCES}/${id}`, { body: { vnfInstanceName: 'plain-json' } })).status,
    ).toBe(202);
    expectProblem(
      await client.send('PATCH', `${INSTANCES}/${id}`, {
        raw: JSON.stringify({ instantiationState: 'INSTANTIATED' }),
        headers: { 'content-type': 'application/merge-patch+json' },
      }),
      400,
    );
  });

  it('7.3.1.2.5 PATCH with a stale If-Match → 412, instance not modified', async () => {
    const id = await client.createInstance(vnfdId, { vnfInstanceName: 'kept' });
    const etag = (await client.get(`${INSTANCES}/${id}`)).headers.get('etag')!;
    const stale = `"${Number(etag.replaceAll('"', '')) + 7}"`;
    expectProblem(
      await client.send('PATCH', `${INSTANCES}/${id}`, {
        raw: JSON.stringify({ vnfInstanceName: 'changed' }),
        headers: { 'content-type': 'application/merge-patch+json', 'if-match': stale },
      }),
      412,
    );
    expect((await client.instance(id))['vnfInstanceName']).toBe('kept');
  });

  it('7.3.1.2.7 / 7.3.1.23.1 DELETE a NOT_INSTANTIATED instance: 204, then 404', async () => {
    const id = await client.createInstance(vnfdId);
    const answer = await client.send('DELETE', `${INSTANCES}/${id}`);
    expect(answer.status).toBe(204);
    expect(answer.body).toBeUndefined();
    expectProblem(await client.get(`${INSTANCES}/${id}`), 404);
  });

  it('7.3.1.2.8 DELETE an INSTANTIATED instance → 409, instance kept', async () => {
    expectProblem(await client.send('DELETE', `${INSTANCES}/${instantiatedId}`), 409);
    expect((await client.instance(instantiatedId)).instantiationState).toBe('INSTANTIATED');
  });
});

describe('TST010 7.3.1.3 Instantiate VNF task', () => {
  it('7.3.1.3.1 / 7.3.1.26.1 POST instantiate: 202, no body, Location of an INSTANTIATE occurrence that ends COMPLETED; the instance is INSTANTIATED', async () => {
    const occurrence = await client.occurrence(instantiateOccurrence);
    conforms('VnfLcmOpOcc', occurrence);
    expect(occurrence).toMatchObject({
      operation: 'INSTANTIATE',
      operationState: 'COMPLETED',
      vnfInstanceId: instantiatedId,
      isAutomaticInvocation: false,
      isCancelPending: false,
    });
    const instance = await client.instance(instantiatedId);
    expect(instance.instantiationState).toBe('INSTANTIATED');
    const { releaseName, namespace } = (
      instance['instantiatedVnfInfo'] as { metadata: { releaseName: string; namespace: string } }
    ).metadata;
    expect(namespace).toBe('conformance');
    const deployments = env.demo.clusters
      .get('edge-1')!
      .objects.list('apps/v1', 'Deployment', { namespace })
      .filter((d) => d.metadata.name?.endsWith(releaseName));
    expect(deployments.length).toBe(2);
  });

  it('7.3.1.3.1 (202 shape) the answer has no body and a Location of the new occurrence, first STARTING or PROCESSING', async () => {
    const id = await client.createInstance(vnfdId);
    const answer = await client.post(`${INSTANCES}/${id}/instantiate`, {
      flavourId: 'small',
      vimConnectionInfo: { edge: { vimId: EDGE_1, vimType: 'ETSINFV.HELM.V_3', accessInfo: { token: 'x' } } },
      additionalParams: { namespace: 'conformance-shape' },
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toBeUndefined();
    const location = answer.headers.get('location')!;
    expect(['STARTING', 'PROCESSING', 'COMPLETED']).toContain(
      (await client.occurrence(location)).operationState,
    );
    await client.until(location, 'COMPLETED');
    const occurrence = await client.occurrence(location);
    expect(JSON.stringify(occurrence)).not.toContain('accessInfo');
    const ended = await client.post(`${INSTANCES}/${id}/terminate`, { terminationType: 'FORCEFUL' });
    expect(ended.status).toBe(202);
    await client.until(ended.headers.get('location')!, 'COMPLETED');
  });

  it('7.3.1.3.1 (bad input) instantiate: not JSON → 415, no flavourId → 400, unknown instance → 404', async () => {
    const id = await client.createInstance(vnfdId);
    expectProblem(
      await client.send('POST', `${INSTANCES}/${id}/instantiate`, {
        raw: 'flavourId=small',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
    );
    expectProblem(await client.post(`${INSTANCES}/${id}/instantiate`, { additionalParams: {} }), 400);
    expectProblem(await client.post(`${INSTANCES}/${UNKNOWN_ID}/instantiate`, { flavourId: 'small' }), 404);
    expect((await client.instance(id)).instantiationState).toBe('NOT_INSTANTIATED');
  });

  it('7.3.1.3.2 instantiate an INSTANTIATED instance → 409', async () => {
    expectProblem(
      await client.post(`${INSTANCES}/${instantiatedId}/instantiate`, {
        flavourId: 'small',
        vimConnectionInfo: { edge: { vimId: EDGE_1, vimType: 'kubernetes' } },
      }),
      409,
    );
  });

  it('7.3.1.3.3-6 GET, PUT, PATCH, DELETE on instantiate → 405 with Allow POST', async () => {
    await expectNotAllowed(`${INSTANCES}/${instantiatedId}/instantiate`, METHODS_EXCEPT(['POST']), 'POST');
  });
});

describe('TST010 7.3.1.11 VNF LCM operation occurrences', () => {
  it('7.3.1.11.1 POST on the collection → 405 with Allow', async () => {
    await expectNotAllowed(OCCS, ['POST'], 'GET, HEAD');
  });

  it('7.3.1.11.2 GET all occurrences: 200, default exclusions (operationParams, error, resourceChanges, changedInfo)', async () => {
    const items = await client.listAll<Record<string, unknown>>(OCCS);
    expect(items.map((o) => o['_links'] && (o['_links'] as { self: { href: string } }).self.href)).toContain(
      instantiateOccurrence,
    );
    for (const item of items) {
      conforms('VnfLcmOpOcc', item);
      for (const excluded of ['operationParams', 'error', 'resourceChanges', 'changedInfo'])
        expect(item).not.toHaveProperty(excluded);
    }
  });

  it('7.3.1.11.3 GET with an invalid attribute-based filter → 400', async () => {
    expectProblem(await client.get(`${OCCS}?filter=${encodeURIComponent('(eq,noSuchAttribute,1)')}`), 400);
  });

  it('7.3.1.11.3 (filter applied) GET filtered by operation and vnfInstanceId', async () => {
    const items = await client.listAll<{ operation: string; vnfInstanceId: string }>(
      `${OCCS}?filter=${encodeURIComponent(`(eq,operation,INSTANTIATE);(eq,vnfInstanceId,${instantiatedId})`)}`,
    );
    expect(items.length).toBe(1);
    expect(items[0]).toMatchObject({ operation: 'INSTANTIATE', vnfInstanceId: instantiatedId });
  });

  it('7.3.1.11.4 GET with an invalid attribute selector → 400', async () => {
    expectProblem(await client.get(`${OCCS}?exclude_fields=operation&exclude_default`), 400);
  });

  it('7.3.1.11.5 GET with all_fields: operationParams and resourceChanges present', async () => {
    const occurrence = (await client.listAll<Record<string, unknown>>(`${OCCS}?all_fields`)).find(
      (o) => o['vnfInstanceId'] === instantiatedId && o['operation'] === 'INSTANTIATE',
    )!;
    conforms('VnfLcmOpOcc', occurrence);
    expect(occurrence).toHaveProperty('operationParams');
    expect(occurrence).toHaveProperty('resourceChanges');
  });

  it('7.3.1.11.6 GET with exclude_default ("exlude_default" in the robot file)', async () => {
    const items = await client.listAll<Record<string, unknown>>(`${OCCS}?exclude_default`);
    expect(items.some((o) => 'operationParams' in o || 'resourceChanges' in o)).toBe(false);
  });

  it('7.3.1.11.7 GET with fields=operationParams', async () => {
    const items = await client.listAll<Record<string, unknown>>(`${OCCS}?fields=operationParams`);
    expect(items.every((o) => 'operationParams' in o && !('resourceChanges' in o))).toBe(true);
  });

  it('7.3.1.11.8 GET with exclude_fields: the listed optional attribute goes, default-excluded ones come back, mandatory ones stay', async () => {
    const items = await client.listAll<Record<string, unknown>>(
      `${OCCS}?exclude_fields=operationParams,operation`,
    );
    const occurrence = items.find(
      (o) => o['vnfInstanceId'] === instantiatedId && o['operation'] === 'INSTANTIATE',
    )!;
    expect(occurrence).not.toHaveProperty('operationParams');
    expect(occurrence).toHaveProperty('resourceChanges');
    // `operation` is mandatory (1..1): SOL013 lets selectors remove only attributes that may be absent.
    expect(items.every((o) => 'operation' in o && 'operationState' in o)).toBe(true);
  });

  it('7.3.1.11.9-11 PUT, PATCH, DELETE on the collection → 405 with Allow', async () => {
    await expectNotAllowed(OCCS, ['PUT', 'PATCH', 'DELETE'], 'GET, HEAD');
  });

  it('7.3.1.11.12 GET a paged list: Link rel="next", every occurrence once', async () => {
    const first = await client.get(OCCS);
    expect((first.body as unknown[]).length).toBe(2);
    expect(first.headers.get('link')).toMatch(/nextpage_opaque_marker=.*rel="next"/);
    const all = await client.listAll<{ id: string }>(OCCS);
    expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(2);
  });

  it('7.3.1.11.13 does not apply: the list is paged, never 400 "too big"', async () => {
    expect((await client.get(`${OCCS}?all_fields`)).status).toBe(200);
  });
});

describe('TST010 7.3.1.12 Individual VNF LCM operation occurrence', () => {
  it('7.3.1.12.2 GET ("Get information about multiple VNF instances" in the robot file): 200, the whole VnfLcmOpOcc with _links', async () => {
    const answer = await client.get(instantiateOccurrence);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('version')).toBe(VERSION);
    const body = answer.body as Record<string, unknown> & { _links: Record<string, { href: string }> };
    conforms('VnfLcmOpOcc', body);
    expect(body._links['self']!.href).toBe(instantiateOccurrence);
    expect(body._links['vnfInstance']!.href).toBe(`${PUBLIC_URL}${INSTANCES}/${instantiatedId}`);
    expect(body).toHaveProperty('operationParams');
    expect((body['resourceChanges'] as { affectedVnfcs: unknown[] }).affectedVnfcs.length).toBe(2);
  });

  it('7.3.1.12.2 (unknown id) GET → 404', async () => {
    expectProblem(await client.get(`${OCCS}/${UNKNOWN_ID}`), 404);
  });

  it('7.3.1.12.1, 7.3.1.12.3-5 POST, PUT, PATCH, DELETE → 405 with Allow', async () => {
    await expectNotAllowed(instantiateOccurrence, METHODS_EXCEPT(['GET']), 'GET, HEAD');
  });
});

describe('TST010 7.3.1.13-15 retry, rollback, fail: state and method checks', () => {
  for (const [action, ids] of [
    ['retry', '7.3.1.13'],
    ['rollback', '7.3.1.14'],
    ['fail', '7.3.1.15'],
  ] as const) {
    it(`${ids}.2 ${action} of a COMPLETED occurrence (not FAILED_TEMP) → 409, occurrence unchanged`, async () => {
      expectProblem(await client.post(`${instantiateOccurrence}/${action}`), 409);
      expect((await client.occurrence(instantiateOccurrence)).operationState).toBe('COMPLETED');
    });

    it(`${ids}.3 ${action} of an unknown occurrence → 404`, async () => {
      expectProblem(await client.post(`${OCCS}/${UNKNOWN_ID}/${action}`), 404);
    });

    it(`${ids}.4-7 GET, PUT, PATCH, DELETE on ${action} → 405 with Allow POST`, async () => {
      await expectNotAllowed(`${instantiateOccurrence}/${action}`, METHODS_EXCEPT(['POST']), 'POST');
    });
  }
});

describe('TST010 7.3.1.7 Terminate VNF task', () => {
  it('7.3.1.7.1 (bad input) terminate without terminationType → 400, not JSON → 415', async () => {
    expectProblem(await client.post(`${INSTANCES}/${instantiatedId}/terminate`, {}), 400);
    expectProblem(
      await client.send('POST', `${INSTANCES}/${instantiatedId}/terminate`, {
        raw: 'GRACEFUL',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
    );
  });

  it('7.3.1.7.3-6 GET, PUT, PATCH, DELETE on terminate → 405 with Allow POST', async () => {
    await expectNotAllowed(`${INSTANCES}/${instantiatedId}/terminate`, METHODS_EXCEPT(['POST']), 'POST');
  });

  it('7.3.1.7.1 / 7.3.1.33.1 POST terminate (GRACEFUL): 202, Location of a TERMINATE occurrence that ends COMPLETED; workloads gone; NOT_INSTANTIATED; then DELETE 204', async () => {
    const instance = await client.instance(instantiatedId);
    const { releaseName, namespace } = (
      instance['instantiatedVnfInfo'] as { metadata: { releaseName: string; namespace: string } }
    ).metadata;
    const answer = await client.post(`${INSTANCES}/${instantiatedId}/terminate`, {
      terminationType: 'GRACEFUL',
      gracefulTerminationTimeout: 30,
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toBeUndefined();
    const occurrence = await client.until(answer.headers.get('location')!, 'COMPLETED');
    conforms('VnfLcmOpOcc', occurrence);
    expect(occurrence).toMatchObject({ operation: 'TERMINATE', vnfInstanceId: instantiatedId });
    const after = await client.instance(instantiatedId);
    expect(after.instantiationState).toBe('NOT_INSTANTIATED');
    expect(after).not.toHaveProperty('instantiatedVnfInfo');
    expect(
      env.demo.clusters
        .get('edge-1')!
        .objects.list('apps/v1', 'Deployment', { namespace })
        .filter((d) => d.metadata.name?.endsWith(releaseName)),
    ).toEqual([]);
    expect((await client.send('DELETE', `${INSTANCES}/${instantiatedId}`)).status).toBe(204);
  });

  it('7.3.1.7.2 terminate a NOT_INSTANTIATED instance → 409', async () => {
    const id = await client.createInstance(vnfdId);
    expectProblem(await client.post(`${INSTANCES}/${id}/terminate`, { terminationType: 'FORCEFUL' }), 409);
  });
});
