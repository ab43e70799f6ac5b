/**
 * vnfpkgm/v1 on a real loopback server (express, memory store): status codes, headers, bodies, state
 * transitions and tenancy, with the netweave sample package as the upload.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Request } from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLES } from '../../common/auth.ts';
import type { AuthContext, Role } from '../../common/auth.ts';
import { ExpansionBudget } from '../../dms/packages/limits.ts';
import { PackageRepository } from '../../dms/packages/repository.ts';
import {
  buildSamplePackage,
  packChartDirectory,
  SAMPLES_DIRECTORY,
  tarGz,
  zipFiles,
} from '../../dms/packages/samples.ts';
import { readZip } from '../../dms/packages/zip.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { MemoryStore } from '../../state/memory-store.ts';
import { bindAuth } from '../request-context.ts';
import { createVnfPkgmRouter } from './vnfpkgm.ts';

const ROOT = '/o2dms/vnfpkgm/v1';
const MAX_UPLOAD = 256 * 1024;

/** Test identities: `x-test-roles` (comma list) and `x-test-tenant` headers. */
async function testAuthenticate(req: Request): Promise<AuthContext> {
  const roles = (req.get('x-test-roles') ?? ROLES.join(',')).split(',').filter(Boolean) as Role[];
  return {
    principal: 'tester',
    roles,
    tenant: { name: req.get('x-test-tenant') ?? '*' },
    method: 'internal',
    requestId: 'req-1',
  };
}

let server: Server;
let base: string;
let store: MemoryStore;
let sample: Buffer;
let router: express.Router;

beforeAll(async () => {
  sample = await buildSamplePackage('netweave-sample-cnf');
  const app = express();
  // Each test gets a fresh store (beforeEach), hence a fresh router behind a stable mount point.
  app.use(ROOT, (req, res, next) => router(req, res, next));
  server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

beforeEach(() => {
  store = createMemoryStore();
  router = createVnfPkgmRouter({
    packages: new PackageRepository(store),
    authenticate: testAuthenticate,
    maxUploadBytes: MAX_UPLOAD,
  });
});

interface CallOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly raw?: Buffer;
  readonly type?: string;
  readonly roles?: string;
  readonly tenant?: string;
  readonly accept?: string;
}

async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.roles !== undefined) headers['x-test-roles'] = options.roles;
  if (options.tenant !== undefined) headers['x-test-tenant'] = options.tenant;
  if (options.accept !== undefined) headers['accept'] = options.accept;
  let body: string | Blob | undefined;
  if (options.raw !== undefined) body = new Blob([new Uint8Array(options.raw)]);
  else if (options.body !== undefined)
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.type ?? 'application/json';
  return fetch(`${base}${ROOT}${path}`, {
    method: options.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
  });
}

async function problem(
  response: Response,
  status: number,
): Promise<{ status: number; title: string; detail: string }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as { status: number; title: string; detail: string };
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

async function createPackage(options: CallOptions = {}): Promise<Record<string, unknown>> {
  const response = await call('/vnf_packages', { method: 'POST', body: {}, ...options });
  expect(response.status).toBe(201);
  return (await response.json()) as Record<string, unknown>;
}

async function upload(
  id: string,
  content: Buffer,
  type = 'application/zip',
  options: CallOptions = {},
): Promise<Response> {
  return call(`/vnf_packages/${id}/package_content`, { method: 'PUT', raw: content, type, ...options });
}

async function onboardedSample(options: CallOptions = {}): Promise<string> {
  const id = (await createPackage(options)).id as string;
  expect((await upload(id, sample, 'application/zip', options)).status).toBe(202);
  return id;
}

describe('vnf_packages', () => {
  it('creates a package: 201, Location, VnfPkgInfo with links from the request base URL', async () => {
    const response = await call('/vnf_packages', {
      method: 'POST',
      body: { userDefinedData: { team: 'ran' } },
    });
    expect(response.status).toBe(201);
    const info = (await response.json()) as Record<string, unknown>;
    const self = `${base}${ROOT}/vnf_packages/${String(info.id)}`;
    expect(response.headers.get('location')).toBe(self);
    expect(info).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      onboardingState: 'CREATED',
      operationalState: 'DISABLED',
      usageState: 'NOT_IN_USE',
      userDefinedData: { team: 'ran' },
      _links: {
        self: { href: self },
        vnfd: { href: `${self}/vnfd` },
        packageContent: { href: `${self}/package_content` },
      },
    });
    // No body at all is an empty CreateVnfPkgInfoRequest.
    expect((await call('/vnf_packages', { method: 'POST' })).status).toBe(201);
  });

  it('refuses bad create bodies and media types', async () => {
    expect(
      (await problem(await call('/vnf_packages', { method: 'POST', body: { vnfdId: 'x' } }), 400)).detail,
    ).toContain('userDefinedData only');
    await problem(await call('/vnf_packages', { method: 'POST', body: '{"userDefinedData":' }), 400);
    await problem(await call('/vnf_packages', { method: 'POST', body: { userDefinedData: [1] } }), 400);
    await problem(await call('/vnf_packages', { method: 'POST', body: '{}', type: 'text/plain' }), 415);
    await problem(await call('/vnf_packages', { method: 'POST', body: {}, accept: 'text/html' }), 406);
  });

  it('lists with SOL013 filter and selectors; default excludes userDefinedData', async () => {
    const onboarded = await onboardedSample();
    const created = (await createPackage({ body: { userDefinedData: { a: 1 } } })).id as string;
    const all = (await (await call('/vnf_packages')).json()) as Record<string, unknown>[];
    expect(all.map((item) => item.id).sort()).toEqual([onboarded, created].sort());
    expect(all.every((item) => !('userDefinedData' in item) && !('checksum' in item))).toBe(true);
    const filtered = await call(
      `/vnf_packages?filter=${encodeURIComponent('(eq,onboardingState,ONBOARDED)')}`,
    );
    expect(((await filtered.json()) as Record<string, unknown>[]).map((item) => item.id)).toEqual([
      onboarded,
    ]);
    const byVnfd = await call(
      `/vnf_packages?filter=${encodeURIComponent('(eq,vnfdId,82923bda-f6ab-4408-a01a-95c85a7d4f99)')}&all_fields`,
    );
    const [item] = (await byVnfd.json()) as Record<string, unknown>[];
    expect(item).toMatchObject({
      id: onboarded,
      checksum: { algorithm: 'SHA-256' },
      userDefinedData: {},
      additionalArtifacts: [
        {
          artifactPath: 'Files/kubernetes/netweave-sample-cnf-1.0.0.tgz',
          checksum: { algorithm: 'SHA-256', hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
          isEncrypted: false,
        },
      ],
    });
    await problem(await call('/vnf_packages?filter=(eq,nope,1)'), 400);
    await problem(await call('/vnf_packages?fields=nope'), 400);
  });

  it('answers 404 for an unknown id, 405 with Allow for an unknown method', async () => {
    await problem(await call('/vnf_packages/4b1c8bd2-0000-4000-8000-000000000000'), 404);
    await problem(await call('/vnf_packages/not-a-uuid'), 404);
    const response = await call('/vnf_packages', { method: 'PUT', body: {} });
    await problem(response, 405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    const single = await call('/vnf_packages/x/vnfd', { method: 'DELETE' });
    expect(single.status).toBe(405);
    expect(single.headers.get('allow')).toBe('GET, HEAD');
    await problem(await call('/elsewhere'), 404);
  });
});

describe('package content', () => {
  it('uploads: 202 with no body, then ONBOARDED + ENABLED with the identity of the VNFD', async () => {
    const id = (await createPackage()).id as string;
    await problem(await call(`/vnf_packages/${id}/package_content`), 409);
    const response = await upload(id, sample);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    const info = (await (await call(`/vnf_packages/${id}`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      onboardingState: 'ONBOARDED',
      operationalState: 'ENABLED',
      usageState: 'NOT_IN_USE',
      vnfdId: '82923bda-f6ab-4408-a01a-95c85a7d4f99',
      vnfProvider: 'netweave',
      vnfProductName: 'netweave sample CNF',
      vnfSoftwareVersion: '1.0.0',
      vnfdVersion: '1.0',
      softwareImages: [],
    });
    const content = await call(`/vnf_packages/${id}/package_content`);
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('application/zip');
    expect(Buffer.from(await content.arrayBuffer()).equals(sample)).toBe(true);
    // Uploaded once.
    await problem(await upload(id, sample), 409);
  });

  it('accepts application/octet-stream for a CSAR and application/x-gzip for a chart, with parameters', async () => {
    const csar = (await createPackage()).id as string;
    expect((await upload(csar, sample, 'application/octet-stream')).status).toBe(202);
    const chart = await packChartDirectory(
      `${SAMPLES_DIRECTORY}/netweave-sample-cnf/Files/kubernetes/netweave-sample-cnf`,
    );
    const bare = (await createPackage()).id as string;
    expect((await upload(bare, chart.archive, 'application/x-gzip; charset=binary')).status).toBe(202);
    for (const id of [csar, bare])
      expect(
        ((await (await call(`/vnf_packages/${id}`)).json()) as Record<string, unknown>).onboardingState,
      ).toBe('ONBOARDED');
  });

  it('refuses other media types with 415 and leaves the package CREATED', async () => {
    const id = (await createPackage()).id as string;
    await problem(await upload(id, sample, 'multipart/form-data'), 415);
    await problem(await upload(id, sample, 'application/json'), 415);
    expect(
      ((await (await call(`/vnf_packages/${id}`)).json()) as Record<string, unknown>).onboardingState,
    ).toBe('CREATED');
  });

  it('puts a broken package in ERROR with onboardingFailureDetails', async () => {
    const id = (await createPackage()).id as string;
    expect((await upload(id, Buffer.from('PK\x03\x04 not really a zip'))).status).toBe(202);
    const info = (await (await call(`/vnf_packages/${id}`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      onboardingState: 'ERROR',
      operationalState: 'DISABLED',
      onboardingFailureDetails: { status: 422, detail: expect.stringContaining('ZIP') },
    });
    await problem(await call(`/vnf_packages/${id}/vnfd`), 409);
  });

  it('answers 413 for an upload over the limit and puts the package in ERROR', async () => {
    const id = (await createPackage()).id as string;
    const big = Buffer.concat([sample, Buffer.alloc(MAX_UPLOAD)]);
    expect((await problem(await upload(id, big), 413)).detail).toContain(`${MAX_UPLOAD} bytes`);
    const info = (await (await call(`/vnf_packages/${id}`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ onboardingState: 'ERROR', onboardingFailureDetails: { status: 413 } });
  });

  it('on-boards a bare chart sent as application/gzip', async () => {
    const chart = await packChartDirectory(
      `${SAMPLES_DIRECTORY}/netweave-sample-cnf/Files/kubernetes/netweave-sample-cnf`,
    );
    const id = (await createPackage()).id as string;
    expect((await upload(id, chart.archive, 'application/gzip')).status).toBe(202);
    const info = (await (await call(`/vnf_packages/${id}`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      onboardingState: 'ONBOARDED',
      vnfProductName: 'netweave-sample-cnf',
      vnfdVersion: '1.0.0',
    });
    const content = await call(`/vnf_packages/${id}/package_content`);
    expect(content.headers.get('content-type')).toBe('application/gzip');
    await problem(await call(`/vnf_packages/${id}/vnfd`), 404);
  });
});

describe('vnfd', () => {
  it('serves a multi-file VNFD as a zip of its definitions and TOSCA.meta; text/plain only is 406', async () => {
    const id = await onboardedSample();
    const response = await call(`/vnf_packages/${id}/vnfd`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const files = await readZip(Buffer.from(await response.arrayBuffer()), {
      budget: new ExpansionBudget(1 << 24),
      maxEntries: 50,
    });
    expect([...files.keys()].sort()).toEqual([
      'Definitions/netweave_sample_cnf_df_large.yaml',
      'Definitions/netweave_sample_cnf_df_small.yaml',
      'Definitions/netweave_sample_cnf_top.vnfd.yaml',
      'Definitions/netweave_sample_cnf_types.yaml',
      'TOSCA-Metadata/TOSCA.meta',
    ]);
    await problem(await call(`/vnf_packages/${id}/vnfd`, { accept: 'text/plain' }), 406);
    expect(
      (await call(`/vnf_packages/${id}/vnfd`, { accept: 'text/plain, application/zip' })).headers.get(
        'content-type',
      ),
    ).toBe('application/zip');
  });

  it('serves a one-file VNFD as text/plain when Accept allows it', async () => {
    const top = [
      'tosca_definitions_version: tosca_simple_yaml_1_3',
      'topology_template:',
      '  node_templates:',
      '    Vnf:',
      '      type: tosca.nodes.nfv.VNF',
      '      properties: { descriptor_id: d1, provider: p, product_name: n, software_version: "1", descriptor_version: "1", flavour_id: default }',
      '',
    ].join('\n');
    const chart = await tarGz(
      new Map([['c/Chart.yaml', Buffer.from('apiVersion: v2\nname: c\nversion: 0.1.0\n')]]),
    );
    const csar = await zipFiles(
      new Map([
        ['vnfd.yaml', Buffer.from(top)],
        ['Files/kubernetes/c-0.1.0.tgz', chart],
      ]),
    );
    const id = (await createPackage()).id as string;
    expect((await upload(id, csar)).status).toBe(202);
    const text = await call(`/vnf_packages/${id}/vnfd`, { accept: 'text/plain' });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await text.text()).toBe(top);
    expect(
      (await call(`/vnf_packages/${id}/vnfd`, { accept: 'application/zip' })).headers.get('content-type'),
    ).toBe('application/zip');
    await problem(await call(`/vnf_packages/${id}/vnfd`, { accept: 'application/json' }), 406);
  });
});

describe('modification and deletion', () => {
  it('disables and enables, 409 for the same state again; merges userDefinedData', async () => {
    const id = await onboardedSample();
    const disable = await call(`/vnf_packages/${id}`, {
      method: 'PATCH',
      body: { operationalState: 'DISABLED' },
      type: 'application/merge-patch+json',
    });
    expect(disable.status).toBe(200);
    expect(await disable.json()).toEqual({ operationalState: 'DISABLED' });
    await problem(
      await call(`/vnf_packages/${id}`, { method: 'PATCH', body: { operationalState: 'DISABLED' } }),
      409,
    );
    const both = await call(`/vnf_packages/${id}`, {
      method: 'PATCH',
      body: { operationalState: 'ENABLED', userDefinedData: { a: 1 } },
    });
    expect(await both.json()).toEqual({ operationalState: 'ENABLED', userDefinedData: { a: 1 } });
    await call(`/vnf_packages/${id}`, { method: 'PATCH', body: { userDefinedData: { a: null, b: 2 } } });
    const info = (await (await call(`/vnf_packages/${id}?all_fields`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ operationalState: 'ENABLED', userDefinedData: { b: 2 } });
  });

  it('refuses bad patches', async () => {
    const id = (await createPackage()).id as string;
    await problem(await call(`/vnf_packages/${id}`, { method: 'PATCH', body: {} }), 400);
    await problem(
      await call(`/vnf_packages/${id}`, { method: 'PATCH', body: { operationalState: 'ON' } }),
      400,
    );
    await problem(
      await call(`/vnf_packages/${id}`, { method: 'PATCH', body: { usageState: 'IN_USE' } }),
      400,
    );
    await problem(
      await call(`/vnf_packages/${id}`, { method: 'PATCH', body: '{', type: 'application/json' }),
      400,
    );
    await problem(await call(`/vnf_packages/${id}`, { method: 'PATCH', body: {}, type: 'text/plain' }), 415);
    // Not on-boarded: enabling is a conflict, userDefinedData is fine.
    await problem(
      await call(`/vnf_packages/${id}`, { method: 'PATCH', body: { operationalState: 'ENABLED' } }),
      409,
    );
    expect(
      (await call(`/vnf_packages/${id}`, { method: 'PATCH', body: { userDefinedData: { x: 1 } } })).status,
    ).toBe(200);
  });

  it('deletes: 409 while ENABLED, 204 once DISABLED, then 404', async () => {
    const id = await onboardedSample();
    await problem(await call(`/vnf_packages/${id}`, { method: 'DELETE' }), 409);
    await call(`/vnf_packages/${id}`, { method: 'PATCH', body: { operationalState: 'DISABLED' } });
    const deleted = await call(`/vnf_packages/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    await problem(await call(`/vnf_packages/${id}`), 404);
    await problem(await call(`/vnf_packages/${id}/package_content`), 404);
  });
});

describe('authorization and tenancy', () => {
  it('needs reader to read and deployer to write', async () => {
    const id = await onboardedSample();
    expect((await call('/vnf_packages', { roles: 'reader' })).status).toBe(200);
    expect((await call(`/vnf_packages/${id}/vnfd`, { roles: 'reader' })).status).toBe(200);
    await problem(await call('/vnf_packages', { roles: 'subscriber' }), 403);
    await problem(await call('/vnf_packages', { method: 'POST', body: {}, roles: 'reader' }), 403);
    await problem(
      await call(`/vnf_packages/${id}`, {
        method: 'PATCH',
        body: { operationalState: 'DISABLED' },
        roles: 'reader',
      }),
      403,
    );
    await problem(await call(`/vnf_packages/${id}`, { method: 'DELETE', roles: 'maintainer' }), 403);
    await problem(await upload(id, sample, 'application/zip', { roles: 'reader' }), 403);
    expect((await call('/vnf_packages', { method: 'POST', body: {}, roles: 'deployer' })).status).toBe(201);
  });

  it('hides a tenant’s packages from other tenants (404, absent from lists)', async () => {
    const id = await onboardedSample({ tenant: 'tenant-a', roles: 'deployer' });
    const other = { tenant: 'tenant-b', roles: 'deployer,reader' };
    expect((await call(`/vnf_packages/${id}`, { tenant: 'tenant-a', roles: 'reader' })).status).toBe(200);
    await problem(await call(`/vnf_packages/${id}`, other), 404);
    await problem(await call(`/vnf_packages/${id}/vnfd`, other), 404);
    await problem(await call(`/vnf_packages/${id}/package_content`, other), 404);
    await problem(
      await call(`/vnf_packages/${id}`, {
        ...other,
        method: 'PATCH',
        body: { operationalState: 'DISABLED' },
      }),
      404,
    );
    await problem(await call(`/vnf_packages/${id}`, { ...other, method: 'DELETE' }), 404);
    expect(await (await call('/vnf_packages', other)).json()).toEqual([]);
    // The operator scope sees every tenant's packages.
    expect(((await (await call('/vnf_packages')).json()) as unknown[]).length).toBe(1);
    const mine = (await createPackage(other)).id as string;
    await problem(
      await upload(mine, sample, 'application/zip', { tenant: 'tenant-a', roles: 'deployer' }),
      404,
    );
  });
});

describe('mounted under an apiRoot that authenticates', () => {
  it('uses the auth context bound there instead of authenticating again', async () => {
    let calls = 0;
    const inner = createVnfPkgmRouter({
      packages: new PackageRepository(store),
      authenticate: async (req) => {
        calls += 1;
        return testAuthenticate(req);
      },
    });
    const app = express();
    app.use('/o2dms', async (req, _res, next) => {
      bindAuth(req, await testAuthenticate(req));
      next();
    });
    app.use('/o2dms/vnfpkgm/v1', inner);
    const outer = createServer(app);
    outer.listen(0, '127.0.0.1');
    await once(outer, 'listening');
    try {
      const url = `http://127.0.0.1:${(outer.address() as AddressInfo).port}/o2dms/vnfpkgm/v1/vnf_packages`;
      const response = await fetch(url, {
        headers: { 'x-test-tenant': 'tenant-a', 'x-test-roles': 'reader' },
      });
      expect(response.status).toBe(200);
      const denied = await fetch(url, { method: 'POST', headers: { 'x-test-roles': 'reader' } });
      expect(denied.status).toBe(403);
      expect(calls).toBe(0);
    } finally {
      outer.close();
      await once(outer, 'close');
    }
  });
});
