/**
 * vnflcm v2 over real HTTP on 127.0.0.1: status codes, the Version rules, headers (Location, ETag, Link,
 * Allow), bodies, the two apiRoots and tenancy. Jobs are not run here (the runner tests run helm); the
 * occurrence states a job would reach are written through the ledger.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type AuthContext, type Role } from '../../common/auth.ts';
import { LifecycleLedger } from '../../dms/lifecycle/index.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { StateStore } from '../../state/store.ts';
import { chartDescriptor, TestPackages } from '../../testing/dms-packages.ts';
import { createDmsRouter, deploymentManagerIdOf } from './index.ts';

const VNFD = 'vnfd-rest';
const DM1 = deploymentManagerIdOf('edge-1');
const DM2 = deploymentManagerIdOf('edge-2');
const V = { Version: '2.14.0' };

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

describe('O2 DMS vnflcm v2 REST', () => {
  let server: Server;
  let base: string;
  let store: StateStore;
  let ledger: LifecycleLedger;

  beforeAll(async () => {
    store = createMemoryStore();
    ledger = new LifecycleLedger(store);
    const packages = new TestPackages();
    packages.add({
      id: 'pkg',
      tenant: undefined,
      onboardingState: 'ONBOARDED',
      operationalState: 'ENABLED',
      usageState: 'NOT_IN_USE',
      descriptor: chartDescriptor(VNFD),
    });
    const authenticate = (req: express.Request): Promise<AuthContext> => {
      const roles = String(req.headers['x-roles'] ?? ROLES.join(',')).split(',') as Role[];
      return Promise.resolve({
        principal: 'test',
        roles,
        tenant: { name: String(req.headers['x-tenant'] ?? '*') },
        method: 'bearer',
        requestId: 'req-1',
      });
    };
    const app = express();
    app.set('query parser', 'simple');
    const vnfpkgm = express.Router();
    vnfpkgm.get('/vnf_packages', (_req, res) => {
      res.json([{ mounted: true }]);
    });
    app.use(
      createDmsRouter({
        store,
        packages,
        authenticate,
        clusters: () => ['edge-1', 'edge-2'],
        pageSize: 2,
        vnfpkgm,
      }),
    );
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.dispose();
  });

  async function call(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: unknown; type?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = options.type ?? 'application/json';
    }
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  async function createInstance(
    apiRoot = '/o2dms',
    extra: Record<string, string> = {},
  ): Promise<{ id: string; location: string }> {
    const answer = await call('POST', `${apiRoot}/vnflcm/v2/vnf_instances`, {
      headers: { ...V, ...extra },
      body: { vnfdId: VNFD, metadata: { team: 'ran' } },
    });
    expect(answer.status).toBe(201);
    return { id: (answer.body as { id: string }).id, location: answer.headers.get('location')! };
  }

  it('lists API versions without a Version header', async () => {
    const top = await call('GET', '/o2dms/vnflcm/api_versions');
    expect(top.status).toBe(200);
    expect(top.body).toEqual({
      uriPrefix: '/o2dms/vnflcm',
      apiVersions: [{ version: '2.0.0' }, { version: '2.14.0' }],
    });
    const v2 = await call('GET', `/o2dms/${DM1}/vnflcm/v2/api_versions`);
    expect(v2.body).toMatchObject({ uriPrefix: `/o2dms/${DM1}/vnflcm/v2` });
  });

  it('applies the Version header rules of vnflcm v2', async () => {
    const missing = await call('GET', '/o2dms/vnflcm/v2/vnf_instances');
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(missing.body).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(
      (await call('GET', '/o2dms/vnflcm/v2/vnf_instances', { headers: { Version: 'two' } })).status,
    ).toBe(400);
    expect(
      (await call('GET', '/o2dms/vnflcm/v2/vnf_instances', { headers: { Version: '1.3.0' } })).status,
    ).toBe(406);
    expect(
      (await call('GET', '/o2dms/vnflcm/v2/vnf_instances', { headers: { Version: '2.15.0' } })).status,
    ).toBe(406);
    const tacker = await call('GET', '/o2dms/vnflcm/v2/vnf_instances', {
      headers: { Version: '2.0.0-impl:tacker:1' },
    });
    expect(tacker.status).toBe(200);
    expect(tacker.headers.get('version')).toBe('2.0.0');
  });

  it('creates, reads (ETag), modifies (merge patch, If-Match) and deletes an instance', async () => {
    const bad = await call('POST', '/o2dms/vnflcm/v2/vnf_instances', {
      headers: V,
      body: { vnfdId: 'unknown' },
    });
    expect(bad.status).toBe(422);
    expect((await call('POST', '/o2dms/vnflcm/v2/vnf_instances', { headers: V, body: {} })).status).toBe(400);
    expect(
      (
        await call('POST', '/o2dms/vnflcm/v2/vnf_instances', {
          headers: V,
          body: '{"vnfdId":',
          type: 'application/json',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('POST', '/o2dms/vnflcm/v2/vnf_instances', {
          headers: V,
          body: 'vnfdId=x',
          type: 'text/plain',
        })
      ).status,
    ).toBe(415);

    const { id, location } = await createInstance();
    expect(location).toMatch(new RegExp(`/o2dms/vnflcm/v2/vnf_instances/${id}$`));
    const read = await call('GET', `/o2dms/vnflcm/v2/vnf_instances/${id}`, { headers: V });
    expect(read.status).toBe(200);
    const etag = read.headers.get('etag')!;
    expect(read.body).toMatchObject({
      id,
      vnfdId: VNFD,
      instantiationState: 'NOT_INSTANTIATED',
      metadata: { team: 'ran' },
      _links: { self: { href: location }, instantiate: { href: `${location}/instantiate` } },
    });

    const wrongType = await call('PATCH', `/o2dms/vnflcm/v2/vnf_instances/${id}`, {
      headers: V,
      body: { vnfInstanceName: 'x' },
      type: 'text/plain',
    });
    expect(wrongType.status).toBe(415);
    const stale = await call('PATCH', `/o2dms/vnflcm/v2/vnf_instances/${id}`, {
      headers: { ...V, 'If-Match': '"999"' },
      body: { vnfInstanceName: 'x' },
      type: 'application/merge-patch+json',
    });
    expect(stale.status).toBe(412);
    const patched = await call('PATCH', `/o2dms/vnflcm/v2/vnf_instances/${id}`, {
      headers: { ...V, 'If-Match': etag },
      body: {
        vnfInstanceName: 'renamed',
        vimConnectionInfo: { vim: { vimId: DM1, vimType: 'CISM', accessInfo: { token: 'secret' } } },
      },
      type: 'application/merge-patch+json',
    });
    expect(patched.status).toBe(202);
    expect(patched.body).toBeUndefined();
    const occurrence = await call('GET', new URL(patched.headers.get('location')!).pathname, { headers: V });
    expect(occurrence.body).toMatchObject({
      operation: 'MODIFY_INFO',
      operationState: 'COMPLETED',
      vnfInstanceId: id,
    });
    const full = await call('GET', `/o2dms/vnflcm/v2/vnf_instances/${id}`, { headers: V });
    expect(full.body).toMatchObject({
      vnfInstanceName: 'renamed',
      vimConnectionInfo: { vim: { vimId: DM1, vimType: 'CISM' } },
    });
    expect(JSON.stringify(full.body)).not.toContain('secret');
    expect(full.headers.get('etag')).not.toBe(etag);

    expect((await call('DELETE', `/o2dms/vnflcm/v2/vnf_instances/${id}`, { headers: V })).status).toBe(204);
    expect((await call('DELETE', `/o2dms/vnflcm/v2/vnf_instances/${id}`, { headers: V })).status).toBe(404);
  });

  it('instantiates (202, empty body, Location) and keeps tasks, retry/rollback/fail in their states', async () => {
    const { id } = await createInstance();
    const noType = await call('POST', `/o2dms/vnflcm/v2/vnf_instances/${id}/terminate`, {
      headers: V,
      body: {},
    });
    expect(noType.status).toBe(400);
    const noCluster = await call('POST', `/o2dms/vnflcm/v2/vnf_instances/${id}/instantiate`, {
      headers: V,
      body: { flavourId: 'default' },
    });
    expect(noCluster.status).toBe(422);
    const started = await call('POST', `/o2dms/vnflcm/v2/vnf_instances/${id}/instantiate`, {
      headers: V,
      body: {
        flavourId: 'default',
        vimConnectionInfo: {
          vim: { vimId: DM2, vimType: 'ETSINFV.HELM.V_3', accessInfo: { bearer_token: 'secret' } },
        },
      },
    });
    expect(started.status).toBe(202);
    expect(started.body).toBeUndefined();
    const occurrencePath = new URL(started.headers.get('location')!).pathname;
    expect(occurrencePath).toMatch(/^\/o2dms\/vnflcm\/v2\/vnf_lcm_op_occs\//);
    const occurrenceId = occurrencePath.split('/').at(-1)!;
    const occurrence = await call('GET', `${occurrencePath}?all_fields`, { headers: V });
    expect(occurrence.body).toMatchObject({
      operation: 'INSTANTIATE',
      operationState: 'STARTING',
      isCancelPending: false,
      isAutomaticInvocation: false,
    });
    expect(JSON.stringify(occurrence.body)).not.toContain('secret');

    const again = await call('POST', `/o2dms/vnflcm/v2/vnf_instances/${id}/instantiate`, {
      headers: V,
      body: { flavourId: 'default' },
    });
    expect(again.status).toBe(409);
    expect((await call('POST', `${occurrencePath}/retry`, { headers: V })).status).toBe(409);
    expect((await call('POST', `${occurrencePath}/fail`, { headers: V })).status).toBe(409);
    expect(
      (
        await call('POST', `/o2dms/vnflcm/v2/vnf_lcm_op_occs/00000000-0000-4000-8000-000000000000/retry`, {
          headers: V,
        })
      ).status,
    ).toBe(404);

    // As the runner would: PROCESSING, then FAILED_TEMP.
    await ledger.beginProcessing(occurrenceId, 1);
    await ledger.failTemporarily(occurrenceId, 1, {
      status: 504,
      title: 'Gateway Timeout',
      detail: 'not ready',
    });
    const failedTemp = await call('GET', occurrencePath, { headers: V });
    expect(failedTemp.body).toMatchObject({
      operationState: 'FAILED_TEMP',
      _links: { retry: { href: expect.stringContaining('/retry') } },
    });
    expect(failedTemp.body).toMatchObject({ error: { status: 504, detail: 'not ready' } });
    // In lists, error is default-excluded (SOL003); all_fields brings it back.
    const listed = await call('GET', `/o2dms/vnflcm/v2/vnf_lcm_op_occs?filter=(eq,id,${occurrenceId})`, {
      headers: V,
    });
    expect((listed.body as Record<string, unknown>[])[0]).not.toHaveProperty('error');
    expect((await call('DELETE', `/o2dms/vnflcm/v2/vnf_instances/${id}`, { headers: V })).status).toBe(409);
    const retried = await call('POST', `${occurrencePath}/retry`, { headers: V });
    expect(retried.status).toBe(202);
    expect(retried.body).toBeUndefined();
    await ledger.failTemporarily(occurrenceId, 2, {
      status: 504,
      title: 'Gateway Timeout',
      detail: 'not ready',
    });
    const failed = await call('POST', `${occurrencePath}/fail`, { headers: V });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ id: occurrenceId, operationState: 'FAILED' });
    expect((await call('POST', `${occurrencePath}/rollback`, { headers: V })).status).toBe(409);
  });

  it('serves a per-cluster apiRoot: implied cluster, 422 for another, lists scoped, links on that apiRoot', async () => {
    const root = `/o2dms/${DM1}`;
    const { id, location } = await createInstance(root);
    expect(new URL(location).pathname).toBe(`${root}/vnflcm/v2/vnf_instances/${id}`);
    const other = await call('POST', `${root}/vnflcm/v2/vnf_instances/${id}/instantiate`, {
      headers: V,
      body: { flavourId: 'default', vimConnectionInfo: { v: { vimId: DM2, vimType: 'kubernetes' } } },
    });
    expect(other.status).toBe(422);
    const started = await call('POST', `${root}/vnflcm/v2/vnf_instances/${id}/instantiate`, {
      headers: V,
      body: { flavourId: 'default' },
    });
    expect(started.status).toBe(202);
    expect(new URL(started.headers.get('location')!).pathname).toMatch(
      new RegExp(`^${root}/vnflcm/v2/vnf_lcm_op_occs/`),
    );
    const onDm2 = await call('GET', `/o2dms/${DM2}/vnflcm/v2/vnf_instances`, { headers: V });
    expect((onDm2.body as { id: string }[]).map((i) => i.id)).not.toContain(id);
    expect((await call('GET', `/o2dms/${DM2}/vnflcm/v2/vnf_instances/${id}`, { headers: V })).status).toBe(
      404,
    );
    expect(
      (
        await call('GET', `/o2dms/00000000-0000-4000-8000-000000000000/vnflcm/v2/vnf_instances`, {
          headers: V,
        })
      ).status,
    ).toBe(404);
    const pkgm = await call('GET', `${root}/vnfpkgm/v1/vnf_packages`);
    expect(pkgm.body).toEqual([{ mounted: true }]);
  });

  it('lists with default attribute selection, filters and opaque paging with Link', async () => {
    for (let i = 0; i < 3; i++) await createInstance('/o2dms', { 'x-tenant': 'pager' });
    const first = await call('GET', '/o2dms/vnflcm/v2/vnf_instances', {
      headers: { ...V, 'x-tenant': 'pager' },
    });
    expect(first.status).toBe(200);
    const items = first.body as Record<string, unknown>[];
    expect(items).toHaveLength(2);
    expect(items[0]).not.toHaveProperty('metadata');
    expect(items[0]).toHaveProperty('_links');
    const link = first.headers.get('link')!;
    expect(link).toMatch(/rel="next"/);
    const next = new URL(/<([^>]+)>/.exec(link)![1]!);
    const second = await call('GET', `${next.pathname}${next.search}`, {
      headers: { ...V, 'x-tenant': 'pager' },
    });
    expect((second.body as unknown[]).length).toBe(1);
    expect(second.headers.get('link')).toBeNull();
    const all = await call('GET', '/o2dms/vnflcm/v2/vnf_instances?all_fields&filter=(eq,metadata/team,ran)', {
      headers: { ...V, 'x-tenant': 'pager' },
    });
    expect((all.body as Record<string, unknown>[])[0]).toMatchObject({ metadata: { team: 'ran' } });
    const none = await call(
      'GET',
      '/o2dms/vnflcm/v2/vnf_instances?filter=(eq,instantiationState,INSTANTIATED)',
      { headers: { ...V, 'x-tenant': 'pager' } },
    );
    expect(none.body).toEqual([]);
    expect(
      (await call('GET', '/o2dms/vnflcm/v2/vnf_instances?filter=(eq,nope,1)', { headers: V })).status,
    ).toBe(400);
    expect(
      (await call('GET', '/o2dms/vnflcm/v2/vnf_instances?nextpage_opaque_marker=forged', { headers: V }))
        .status,
    ).toBe(400);
  });

  it('refuses tasks in the wrong instantiation state, other methods and unacceptable media types', async () => {
    const { id } = await createInstance();
    const terminate = await call('POST', `/o2dms/vnflcm/v2/vnf_instances/${id}/terminate`, {
      headers: V,
      body: { terminationType: 'FORCEFUL' },
    });
    expect(terminate.status).toBe(409);
    expect((await call('PUT', `/o2dms/vnflcm/v2/vnf_instances/${id}`, { headers: V, body: {} })).status).toBe(
      405,
    );
    const opOccs = await call('DELETE', '/o2dms/vnflcm/v2/vnf_lcm_op_occs', { headers: V });
    expect(opOccs.status).toBe(405);
    expect(opOccs.headers.get('allow')).toBe('GET, HEAD');
    expect(
      (await call('GET', `/o2dms/vnflcm/v2/vnf_instances/${id}/instantiate`, { headers: V })).status,
    ).toBe(405);
    expect(
      (
        await call('GET', '/o2dms/vnflcm/v2/vnf_instances/0f0f0f0f-0000-4000-8000-000000000000', {
          headers: V,
        })
      ).status,
    ).toBe(404);
    expect((await call('GET', '/o2dms/vnflcm/v2/vnf_lcm_op_occs/not-a-uuid', { headers: V })).status).toBe(
      404,
    );
    expect(
      (await call('GET', '/o2dms/vnflcm/v2/vnf_instances', { headers: { ...V, Accept: 'text/plain' } }))
        .status,
    ).toBe(406);
    const head = await fetch(`${base}/o2dms/vnflcm/v2/vnf_instances/${id}`, { method: 'HEAD', headers: V });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toMatch(/^"\d+"$/);
  });

  it('answers 405 with Allow, 404 for unknown paths, 403 for missing roles and 404 across tenants', async () => {
    const put = await call('PUT', '/o2dms/vnflcm/v2/vnf_instances', { headers: V, body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await call('GET', '/o2dms/vnflcm/v2/nothing', { headers: V })).status).toBe(404);
    const reader = await call('POST', '/o2dms/vnflcm/v2/vnf_instances', {
      headers: { ...V, 'x-roles': 'reader' },
      body: { vnfdId: VNFD },
    });
    expect(reader.status).toBe(403);
    expect(
      (await call('GET', '/o2dms/vnflcm/v2/vnf_instances', { headers: { ...V, 'x-roles': 'subscriber' } }))
        .status,
    ).toBe(403);
    const { id } = await createInstance('/o2dms', { 'x-tenant': 'blue' });
    expect(
      (await call('GET', `/o2dms/vnflcm/v2/vnf_instances/${id}`, { headers: { ...V, 'x-tenant': 'red' } }))
        .status,
    ).toBe(404);
    expect(
      (
        await call('GET', `/o2dms/vnflcm/v2/vnf_instances/${id}`, {
          headers: { ...V, 'x-tenant': 'blue', 'x-roles': 'reader' },
        })
      ).status,
    ).toBe(200);
    const list = await call('GET', '/o2dms/vnflcm/v2/vnf_instances', {
      headers: { ...V, 'x-tenant': 'red' },
    });
    expect((list.body as { id: string }[]).map((i) => i.id)).not.toContain(id);
  });
});
