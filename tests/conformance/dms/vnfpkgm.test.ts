/**
 * vnfpkgm/v1 on the demo topology against the checks of ETSI NFV-TST 010 for SOL005 VNF package
 * management (the ETSI Forge api-tests, SOL005 `VNFPackageManagement-API`, test ids 5.3.5.1.x to
 * 5.3.5.4.x): one test per TST010 test id that applies, through the gateway of `startDemo` (the same
 * router `npm run demo` mounts at /o2dms/vnfpkgm/v1). Bodies are validated against the SOL005 V3.7.1
 * schemas in ../shared/specs/etsi-nfv when present (the status/header checks run regardless).
 *
 * Where the api-tests (written for SOL005 v2.4.1) and SOL005 V3.7.1 disagree, V3.7.1 wins and the test says so.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSamplePackage, tarGz, zipFiles } from '../../../dms/packages/samples.ts';
import { OpenApiContract } from '../../../testing/openapi-contract.ts';
import { DmsClient, EDGE_1, PKGM, PUBLIC_URL, startDmsDemo, type DmsDemo } from './support.ts';

const SOL005 = fileURLToPath(
  new URL('../../../../shared/specs/etsi-nfv/openapi/nfv-sol005/SOL005/', import.meta.url),
);
const PKGM_DEF = `${SOL005}VNFPackageManagement/definitions/SOL005VNFPackageManagement_def.yaml`;
const COMMON_DEF = `${SOL005}definitions/SOL005_def.yaml`;
const hasSchemas = existsSync(PKGM_DEF) && existsSync(COMMON_DEF);
const contract = hasSchemas ? new OpenApiContract([PKGM_DEF, COMMON_DEF]) : undefined;

/** Schema check against SOL005 V3.7.1 (skipped, with the status checks still run, without ../shared). */
function conforms(
  definition: 'VnfPkgInfo' | 'VnfPkgInfoModifications' | 'ProblemDetails' | 'ApiVersionInformation',
  body: unknown,
): void {
  if (contract === undefined) return;
  const file =
    definition === 'ProblemDetails' || definition === 'ApiVersionInformation' ? COMMON_DEF : PKGM_DEF;
  expect(contract.errors(`/definitions/${definition}`, body, file)).toEqual([]);
}

const ROOT = PKGM;
let env: DmsDemo;
let base: string;
let sample: Buffer;
let singleFile: Buffer;

/** A one-file CSAR (VNFD at the root, one chart); `descriptorId` makes its vnfdId unique. */
async function singleFileCsar(descriptorId: string): Promise<Buffer> {
  const vnfd = [
    'tosca_definitions_version: tosca_simple_yaml_1_3',
    'topology_template:',
    '  node_templates:',
    '    Vnf:',
    '      type: tosca.nodes.nfv.VNF',
    `      properties: { descriptor_id: ${descriptorId}, provider: p, product_name: n, software_version: "1", descriptor_version: "1" }`,
    '',
  ].join('\n');
  const chart = await tarGz(
    new Map([['c/Chart.yaml', Buffer.from('apiVersion: v2\nname: c\nversion: 0.1.0\n')]]),
  );
  return zipFiles(
    new Map([
      ['vnfd.yaml', Buffer.from(vnfd)],
      ['Files/kubernetes/c-0.1.0.tgz', chart],
    ]),
  );
}

beforeAll(async () => {
  sample = await buildSamplePackage('netweave-sample-cnf');
  singleFile = await singleFileCsar('single');
  // Links and Location are built on PUBLIC_URL: the SOL005 schemas give links format "url", which
  // (ajv-formats) refuses for loopback addresses.
  env = await startDmsDemo();
  base = `${env.origin}${ROOT}`;
}, 120_000);

afterAll(async () => {
  await env?.close();
});

function send(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${base}${path}`, init);
}

function json(method: string, body: unknown, type = 'application/json'): RequestInit {
  return { method, headers: { 'content-type': type }, body: JSON.stringify(body) };
}

async function problemOf(response: Response, status: number): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  conforms('ProblemDetails', await response.json());
}

async function onboarded(content: Buffer = sample): Promise<string> {
  const created = (await (await send('/vnf_packages', json('POST', {}))).json()) as { id: string };
  const upload = await send(`/vnf_packages/${created.id}/package_content`, {
    method: 'PUT',
    headers: { 'content-type': 'application/zip' },
    body: new Blob([new Uint8Array(content)]),
  });
  expect(upload.status).toBe(202);
  return created.id;
}

async function createdOnly(): Promise<string> {
  return ((await (await send('/vnf_packages', json('POST', {}))).json()) as { id: string }).id;
}

async function list(query = ''): Promise<Record<string, unknown>[]> {
  const response = await send(`/vnf_packages${query}`);
  expect(response.status).toBe(200);
  const items = (await response.json()) as Record<string, unknown>[];
  for (const item of items) conforms('VnfPkgInfo', item);
  return items;
}

const UNKNOWN = '/vnf_packages/0b0e5a4e-0000-4000-8000-000000000000';

describe('TST010 5.3.5.10 API versions', () => {
  const apiVersions = async (
    path: string,
  ): Promise<{ uriPrefix: string; apiVersions: { version: string }[] }> => {
    // No Version header: a client discovers the versions before it knows which to send.
    const response = await fetch(`${env.origin}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('version')).toBe('2.4.0');
    const body = (await response.json()) as { uriPrefix: string; apiVersions: { version: string }[] };
    conforms('ApiVersionInformation', body);
    return body;
  };

  it('5.3.5.10.2 GET {apiRoot}/vnfpkgm/api_versions: 200, SOL005 V3.7.1 version 2.4.0, uriPrefix {apiRoot}/vnfpkgm', async () => {
    expect(await apiVersions('/o2dms/vnfpkgm/api_versions')).toEqual({
      uriPrefix: '/o2dms/vnfpkgm',
      apiVersions: [{ version: '2.4.0' }],
    });
  });

  it('5.3.5.10.7 GET {apiRoot}/vnfpkgm/v2/api_versions (with apiMajorVersion): 200, uriPrefix {apiRoot}/vnfpkgm/v2, and v2 serves the packages', async () => {
    expect(await apiVersions('/o2dms/vnfpkgm/v2/api_versions')).toEqual({
      uriPrefix: '/o2dms/vnfpkgm/v2',
      apiVersions: [{ version: '2.4.0' }],
    });
    // The uriPrefix leads to the API: the same packages as v1 (Tacker's path), linked on v2.
    const id = await createdOnly();
    const viaV2 = await fetch(`${env.origin}/o2dms/vnfpkgm/v2/vnf_packages/${id}`);
    expect(viaV2.status).toBe(200);
    expect(viaV2.headers.get('version')).toBe('2.4.0');
    const body = (await viaV2.json()) as { _links: { self: { href: string } } };
    conforms('VnfPkgInfo', body);
    expect(body._links.self.href).toBe(`${PUBLIC_URL}/o2dms/vnfpkgm/v2/vnf_packages/${id}`);
  });

  it('5.3.5.10.1, 5.3.5.10.3-6, 5.3.5.10.8-10 POST, PUT, PATCH, DELETE on both api_versions → 405 with Allow', async () => {
    for (const path of ['/o2dms/vnfpkgm/api_versions', '/o2dms/vnfpkgm/v2/api_versions'])
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const response = await fetch(`${env.origin}${path}`, json(method, {}));
        await problemOf(response, 405);
        expect(response.headers.get('allow')).toBe('GET, HEAD');
      }
  });

  it('api_versions on a per-cluster apiRoot names that apiRoot', async () => {
    const dm = EDGE_1;
    expect((await apiVersions(`/o2dms/${dm}/vnfpkgm/v2/api_versions`)).uriPrefix).toBe(
      `/o2dms/${dm}/vnfpkgm/v2`,
    );
  });
});

describe('TST010 5.3.5.1 VNF packages', () => {
  it('5.3.5.1.1 GET all VNF packages: default exclusions', async () => {
    await onboarded();
    const items = await list();
    expect(items.length).toBeGreaterThan(0);
    for (const name of ['softwareImages', 'additionalArtifacts', 'userDefinedData', 'checksum'])
      expect(items.some((item) => name in item)).toBe(false);
  });

  it('5.3.5.1.2 GET with attribute-based filter', async () => {
    await createdOnly();
    const items = await list(`?filter=${encodeURIComponent('(eq,onboardingState,ONBOARDED)')}`);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.onboardingState === 'ONBOARDED')).toBe(true);
  });

  it('5.3.5.1.3 GET with invalid attribute-based filter → 400', async () => {
    await problemOf(await send(`/vnf_packages?filter=${encodeURIComponent('(eq,noSuchAttribute,1)')}`), 400);
  });

  it('5.3.5.1.6 GET with all_fields', async () => {
    const id = await onboarded();
    const item = (await list('?all_fields')).find((candidate) => candidate.id === id)!;
    for (const name of ['softwareImages', 'additionalArtifacts', 'userDefinedData', 'checksum'])
      expect(item).toHaveProperty(name);
  });

  it('5.3.5.1.7 GET with exclude_default', async () => {
    const items = await list('?exclude_default');
    expect(items.some((item) => 'userDefinedData' in item || 'checksum' in item)).toBe(false);
  });

  it('5.3.5.1.8 GET with fields', async () => {
    const items = await list('?fields=userDefinedData');
    expect(items.every((item) => 'userDefinedData' in item && !('checksum' in item))).toBe(true);
  });

  it('5.3.5.1.9 GET with exclude_fields', async () => {
    const id = await onboarded();
    const item = (await list('?exclude_fields=checksum')).find((candidate) => candidate.id === id)!;
    expect(item).not.toHaveProperty('checksum');
    expect(item).toHaveProperty('userDefinedData');
  });

  it('5.3.5.1.10 GET with an invalid resource endpoint → 404', async () => {
    await problemOf(await send('/vnf_package'), 404);
  });

  it('5.3.5.1.11 POST creates a VNF package resource: 201, Location, VnfPkgInfo', async () => {
    const response = await send('/vnf_packages', json('POST', { userDefinedData: { k: 'v' } }));
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string };
    conforms('VnfPkgInfo', body);
    expect(response.headers.get('location')).toBe(`${PUBLIC_URL}${ROOT}/vnf_packages/${body.id}`);
    expect((await send(`/vnf_packages/${body.id}`)).status).toBe(200);
  });

  it('5.3.5.1.12-14 PUT, PATCH, DELETE on the collection → 405', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const response = await send('/vnf_packages', json(method, {}));
      await problemOf(response, 405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    }
    expect((await list()).length).toBeGreaterThan(0);
  });
});

describe('TST010 5.3.5.2 Individual VNF package', () => {
  it('5.3.5.2.1 GET an individual VNF package', async () => {
    const id = await onboarded();
    const response = await send(`/vnf_packages/${id}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id: string };
    conforms('VnfPkgInfo', body);
    expect(body.id).toBe(id);
  });

  it('5.3.5.2.2 GET with an invalid resource identifier → 404', async () => {
    await problemOf(await send(UNKNOWN), 404);
  });

  it('5.3.5.2.3-4 POST, PUT on an individual package → 405', async () => {
    const id = await createdOnly();
    for (const method of ['POST', 'PUT'])
      await problemOf(await send(`/vnf_packages/${id}`, json(method, {})), 405);
  });

  it('5.3.5.2.5-8 disable, disable again (409), enable, enable again (409)', async () => {
    const id = await onboarded();
    const steps: [string, number][] = [
      ['DISABLED', 200],
      ['DISABLED', 409],
      ['ENABLED', 200],
      ['ENABLED', 409],
    ];
    for (const [state, status] of steps) {
      const response = await send(
        `/vnf_packages/${id}`,
        json('PATCH', { operationalState: state }, 'application/merge-patch+json'),
      );
      if (status === 409) await problemOf(response, 409);
      else {
        expect(response.status).toBe(200);
        const body = await response.json();
        conforms('VnfPkgInfoModifications', body);
        expect(body).toEqual({ operationalState: state });
        expect(
          ((await (await send(`/vnf_packages/${id}`)).json()) as { operationalState: string })
            .operationalState,
        ).toBe(state);
      }
    }
  });

  it('5.3.5.2.9 DELETE an individual package (SOL005: 204; the v2.4.1 robot file expects 405 by a slip)', async () => {
    const id = await onboarded();
    await send(`/vnf_packages/${id}`, json('PATCH', { operationalState: 'DISABLED' }));
    expect((await send(`/vnf_packages/${id}`, { method: 'DELETE' })).status).toBe(204);
    await problemOf(await send(`/vnf_packages/${id}`), 404);
  });

  it('5.3.5.2.10 DELETE in operational state ENABLED → 409, package kept', async () => {
    const id = await onboarded();
    await problemOf(await send(`/vnf_packages/${id}`, { method: 'DELETE' }), 409);
    expect((await send(`/vnf_packages/${id}`)).status).toBe(200);
  });

  it('5.3.5.2.11 DELETE a package used by a VNF instance → 409, package kept', async () => {
    const descriptorId = `in-use-${randomUUID()}`;
    const id = await onboarded(await singleFileCsar(descriptorId));
    // A real user of the package: a VNF instance created from its VNFD sets usageState IN_USE.
    const lcm = new DmsClient(env.origin);
    await lcm.createInstance(descriptorId);
    expect(((await (await send(`/vnf_packages/${id}`)).json()) as { usageState: string }).usageState).toBe(
      'IN_USE',
    );
    await send(`/vnf_packages/${id}`, json('PATCH', { operationalState: 'DISABLED' }));
    await problemOf(await send(`/vnf_packages/${id}`, { method: 'DELETE' }), 409);
    expect((await send(`/vnf_packages/${id}`)).status).toBe(200);
  });
});

describe('TST010 5.3.5.3 VNFD in an individual VNF package', () => {
  it('5.3.5.3.1 single-file VNFD in plain format', async () => {
    const id = await onboarded(singleFile);
    const response = await send(`/vnf_packages/${id}/vnfd`, { headers: { accept: 'text/plain' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('5.3.5.3.2 VNFD in zip format', async () => {
    for (const content of [sample, singleFile]) {
      const id = await onboarded(content);
      const response = await send(`/vnf_packages/${id}/vnfd`, { headers: { accept: 'application/zip' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/zip');
    }
  });

  it('5.3.5.3.3 single-file VNFD, plain or zip accepted', async () => {
    const id = await onboarded(singleFile);
    const response = await send(`/vnf_packages/${id}/vnfd`, {
      headers: { accept: 'text/plain, application/zip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^(text\/plain|application\/zip)/);
  });

  it('5.3.5.3.4 multi-file VNFD, plain or zip accepted → zip', async () => {
    const id = await onboarded();
    const response = await send(`/vnf_packages/${id}/vnfd`, {
      headers: { accept: 'text/plain, application/zip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
  });

  it('5.3.5.3.5 multi-file VNFD in plain format → 406', async () => {
    const id = await onboarded();
    await problemOf(await send(`/vnf_packages/${id}/vnfd`, { headers: { accept: 'text/plain' } }), 406);
  });

  it('5.3.5.3.6 invalid resource identifier → 404', async () => {
    await problemOf(await send(`${UNKNOWN}/vnfd`), 404);
  });

  it('5.3.5.3.7 onboarding state other than ONBOARDED → 409', async () => {
    await problemOf(await send(`/vnf_packages/${await createdOnly()}/vnfd`), 409);
  });

  it('5.3.5.3.8-11 POST, PUT, PATCH, DELETE on the VNFD → 405, VNFD kept', async () => {
    const id = await onboarded();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const response = await send(`/vnf_packages/${id}/vnfd`, json(method, {}));
      await problemOf(response, 405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    expect((await send(`/vnf_packages/${id}/vnfd`)).status).toBe(200);
  });
});

describe('TST010 5.3.5.4 VNF package content', () => {
  it('5.3.5.4.1 GET the content: 200 application/zip', async () => {
    const id = await onboarded();
    const response = await send(`/vnf_packages/${id}/package_content`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(Buffer.from(await response.arrayBuffer()).equals(sample)).toBe(true);
  });

  it('5.3.5.4.2 one byte range → 206 with Content-Range and Content-Length (5.3.5.4.3 does not apply)', async () => {
    const id = await onboarded();
    const response = await send(`/vnf_packages/${id}/package_content`, { headers: { range: 'bytes=10-29' } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-range')).toBe(`bytes 10-29/${sample.length}`);
    expect(response.headers.get('content-length')).toBe('20');
    expect(Buffer.from(await response.arrayBuffer()).equals(sample.subarray(10, 30))).toBe(true);
  });

  it('5.3.5.4.4 a range outside the file → 416', async () => {
    const id = await onboarded();
    const response = await send(`/vnf_packages/${id}/package_content`, {
      headers: { range: `bytes=${sample.length + 10}-${sample.length + 20}` },
    });
    await problemOf(response, 416);
    expect(response.headers.get('content-range')).toBe(`bytes */${sample.length}`);
  });

  it('5.3.5.4.5 invalid resource identifier → 404', async () => {
    await problemOf(await send(`${UNKNOWN}/package_content`), 404);
  });

  it('5.3.5.4.6 onboarding state other than ONBOARDED → 409', async () => {
    await problemOf(await send(`/vnf_packages/${await createdOnly()}/package_content`), 409);
  });

  it('5.3.5.4.7 POST on the content → 405', async () => {
    await problemOf(
      await send(`/vnf_packages/${await createdOnly()}/package_content`, json('POST', {})),
      405,
    );
  });

  it('5.3.5.4.8 upload the content (SOL005 V3.7.1: 202; the v2.4.1 robot file expects 204)', async () => {
    const id = await createdOnly();
    const response = await send(`/vnf_packages/${id}/package_content`, {
      method: 'PUT',
      headers: { 'content-type': 'application/zip' },
      body: new Blob([new Uint8Array(sample)]),
    });
    expect(response.status).toBe(202);
    expect(
      ((await (await send(`/vnf_packages/${id}`)).json()) as { onboardingState: string }).onboardingState,
    ).toBe('ONBOARDED');
    expect((await send(`/vnf_packages/${id}/package_content`)).status).toBe(200);
  });

  it('5.3.5.4.9 upload when not CREATED → 409', async () => {
    const id = await onboarded();
    const response = await send(`/vnf_packages/${id}/package_content`, {
      method: 'PUT',
      headers: { 'content-type': 'application/zip' },
      body: new Blob([new Uint8Array(sample)]),
    });
    await problemOf(response, 409);
  });

  it('5.3.5.4.10-11 PATCH, DELETE on the content → 405, content kept', async () => {
    const id = await onboarded();
    for (const method of ['PATCH', 'DELETE']) {
      const response = await send(`/vnf_packages/${id}/package_content`, json(method, {}));
      await problemOf(response, 405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, PUT');
    }
    expect((await send(`/vnf_packages/${id}/package_content`)).status).toBe(200);
  });
});
