/**
 * Tenancy and roles of the DMS in jwt mode (docs/architecture.md "Security"; TST010 has no tenancy tests, so these are
 * netweave's own, named after the SOL013/SOL003 status they check): another tenant gets 404 for a
 * package, an instance and an occurrence — never 403, which would leak their existence — and does not see
 * them in lists; a reader cannot write (403). No Helm runs here: the instance is only created and
 * modified (MODIFY_INFO runs nothing on a cluster).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../../cli/demo.ts';
import { createLogger } from '../../../common/log.ts';
import { deploymentManagerIdOf } from '../../../rest-facade/dms/index.ts';
import { writeTestJwks } from '../../../testing/jwks.ts';
import { DmsClient, LCM, PKGM, VERSION, expectProblem, sampleCsar } from './support.ts';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'netweave';

let demo: Demo;
let dir: string;
let key: CryptoKey;

function token(tenant: string, roles: string[]): Promise<string> {
  return new SignJWT({ roles, tenant })
    .setProtectedHeader({ alg: 'ES256', kid: 'test' })
    .setSubject(`smo-${tenant}`)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

async function clientOf(tenant: string, roles: string[]): Promise<DmsClient> {
  return new DmsClient(demo.gateway.url, {
    Version: VERSION,
    authorization: `Bearer ${await token(tenant, roles)}`,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nw-dms-tenancy-'));
  const jwks = await writeTestJwks(dir);
  key = jwks.privateKey;
  const { jwksFile } = jwks;
  demo = await startDemo({
    scenario: 'minimal',
    port: 0,
    logger: createLogger('silent'),
    gateway: { logLevel: 'silent', auth: { mode: 'jwt', jwksFile, issuer: ISSUER, audience: AUDIENCE } },
  });
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('DMS tenancy in jwt mode', () => {
  it('another tenant gets 404 (not 403) for a package, an instance and an occurrence, and lists without them', async () => {
    const owner = await clientOf('tenant-a', ['deployer']);
    const other = await clientOf('tenant-b', ['deployer']);
    const pkg = await owner.onboard(await sampleCsar());
    const id = await owner.createInstance(pkg.vnfdId);
    const modified = await owner.send('PATCH', `${LCM}/vnf_instances/${id}`, {
      raw: JSON.stringify({ vnfInstanceName: 'tenant-a' }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(modified.status).toBe(202);
    const occurrence = modified.headers.get('location')!;
    expect((await owner.get(`${LCM}/vnf_instances/${id}`)).status).toBe(200);
    expect((await owner.get(occurrence)).status).toBe(200);

    expectProblem(await other.get(`${PKGM}/vnf_packages/${pkg.id}`), 404);
    expectProblem(await other.get(`${LCM}/vnf_instances/${id}`), 404);
    expectProblem(await other.send('DELETE', `${LCM}/vnf_instances/${id}`), 404);
    expectProblem(await other.get(occurrence), 404);
    expectProblem(await other.post(`${occurrence}/fail`), 404);
    expect((await other.listAll<{ id: string }>(`${LCM}/vnf_instances`)).map((i) => i.id)).not.toContain(id);
    expect(
      ((await other.get(`${PKGM}/vnf_packages`)).body as { id: string }[]).map((p) => p.id),
    ).not.toContain(pkg.id);
    // Another tenant cannot build on the package either: its vnfdId names no package it may use.
    expectProblem(await other.post(`${LCM}/vnf_instances`, { vnfdId: pkg.vnfdId }), 422);
  });

  it('5.3.5.1.4 / 5.3.5.1.5 (numbered 5.3.1.1.5 in the robot file) GET all packages with a malformed token or none → 401', async () => {
    for (const headers of [{ authorization: 'Bearer not-a-jwt' }, {}]) {
      const answer = await new DmsClient(demo.gateway.url, headers).get(`${PKGM}/vnf_packages`);
      expectProblem(answer, 401);
    }
  });

  it('the token in X-Auth-Token (as SOL003 clients send it) authenticates on /o2dms; a bad one is 401; other APIs take Authorization only', async () => {
    const jwt = await token('tenant-x', ['deployer']);
    const sol003 = new DmsClient(demo.gateway.url, { Version: VERSION, 'x-auth-token': jwt });
    // vnfpkgm without a Version header, as tackerclient sends it.
    const withoutVersion = new DmsClient(demo.gateway.url, { 'x-auth-token': jwt });
    const created = await withoutVersion.post(`${PKGM}/vnf_packages`, {});
    expect(created.status).toBe(201);
    expect((await withoutVersion.get(`${PKGM}/vnf_packages`)).status).toBe(200);
    expect((await sol003.get(`${LCM}/vnf_instances`)).status).toBe(200);
    expect((await sol003.get(`${LCM}/subscriptions`)).status).toBe(200);
    const perCluster = await sol003.get(
      `/o2dms/${deploymentManagerIdOf(demo.scenario.clusters[0]!.name)}/vnflcm/v2/vnf_instances`,
    );
    expect(perCluster.status).toBe(200);
    // The token's tenant owns what it creates.
    const other = await clientOf('tenant-y', ['deployer']);
    expectProblem(await other.get(`${PKGM}/vnf_packages/${(created.body as { id: string }).id}`), 404);
    for (const bad of ['not-a-jwt', '']) {
      const refused = await new DmsClient(demo.gateway.url, { Version: VERSION, 'x-auth-token': bad }).get(
        `${LCM}/vnf_instances`,
      );
      expectProblem(refused, 401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    // Authorization wins over X-Auth-Token: a bad bearer token is not rescued by a good X-Auth-Token.
    expectProblem(
      await new DmsClient(demo.gateway.url, {
        Version: VERSION,
        authorization: 'Bearer not-a-jwt',
        'x-auth-token': jwt,
      }).get(`${LCM}/vnf_instances`),
      401,
    );
    const inventory = await fetch(`${demo.gateway.url}/o2ims-infrastructureInventory/v1`, {
      headers: { 'x-auth-token': jwt },
    });
    expect(inventory.status).toBe(401);
  });

  it('a reader reads (200) but cannot write (403); no token at all is 401', async () => {
    const reader = await clientOf('tenant-a', ['reader']);
    expect((await reader.get(`${LCM}/vnf_instances`)).status).toBe(200);
    expectProblem(await reader.post(`${LCM}/vnf_instances`, { vnfdId: 'x' }), 403);
    expectProblem(await reader.post(`${PKGM}/vnf_packages`, {}), 403);
    expectProblem(await new DmsClient(demo.gateway.url).get(`${LCM}/vnf_instances`), 401);
  });
});
