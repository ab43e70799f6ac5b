/**
 * `netweave demo --auth jwt` (docs/security.md "Trying the security model"): the local issuer writes one token per
 * role under the tokens directory, and the demo's gateway verifies them against the issuer's JWKS on loopback.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { DEMO_TOKEN_LIFETIME_SECONDS, DEMO_TOKEN_NAMES } from '../../cli/demo-issuer.ts';
import { createLogger } from '../../common/log.ts';
import type { AuditEntry } from '../../rest-facade/audit/audit-log.ts';

const API = '/o2ims-infrastructureInventory/v2';
let demo: Demo;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netweave-demo-jwt-'));
  demo = await startDemo({
    scenario: 'minimal',
    port: 0,
    logger: createLogger('silent'),
    auth: { mode: 'jwt', tokensDir: join(dir, 'tokens') },
    gateway: { logLevel: 'silent' },
  });
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await rm(dir, { recursive: true, force: true });
});

async function tokenOf(name: string): Promise<string> {
  return (await readFile(join(dir, 'tokens', `${name}.jwt`), 'utf8')).trim();
}

function get(path: string, token?: string): Promise<Response> {
  return fetch(`${demo.gateway.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

describe('netweave demo --auth jwt', () => {
  it('writes one token per role and one without roles, readable by the owner only, with the documented lifetime', async () => {
    expect(DEMO_TOKEN_NAMES).toEqual(['reader', 'subscriber', 'maintainer', 'deployer', 'admin', 'no-roles']);
    for (const name of DEMO_TOKEN_NAMES) {
      const file = join(dir, 'tokens', `${name}.jwt`);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const claims = decodeJwt(await tokenOf(name));
      expect(claims.exp! - claims.iat!).toBe(DEMO_TOKEN_LIFETIME_SECONDS);
      expect(claims['roles']).toEqual(name === 'no-roles' ? [] : [name]);
    }
  });

  it('runs the gateway in jwt mode against the issuer: the role table decides', async () => {
    expect((await get(`${API}/resourcePools`)).status).toBe(401);
    expect((await get(`${API}/resourcePools`, await tokenOf('reader'))).status).toBe(200);
    expect((await get(`${API}/resourcePools`, await tokenOf('no-roles'))).status).toBe(403);
    expect((await get(`${API}/resourcePools`, await tokenOf('subscriber'))).status).toBe(403);
    expect((await get('/netweave/v1/clusters', await tokenOf('admin'))).status).toBe(200);
    const graph = await fetch(`${demo.gateway.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${await tokenOf('no-roles')}`,
      },
      body: JSON.stringify({ query: '{ resourcePools { name } }' }),
    });
    expect(graph.status).toBe(403);
  });

  it('audits the writes and denials just made; only admins read the audit log', async () => {
    const admin = await tokenOf('admin');
    const started = new Date().toISOString();
    expect((await get('/netweave/v1/clusters')).status).toBe(401);
    expect((await get('/netweave/v1/clusters', await tokenOf('reader'))).status).toBe(403);
    const registration = { url: 'http://127.0.0.1:9/graphql', wsUrl: 'ws://127.0.0.1:9/graphql' };
    const put = await fetch(`${demo.gateway.url}/netweave/v1/clusters/audit-probe`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(registration),
    });
    expect(put.status).toBe(201);
    const del = await fetch(`${demo.gateway.url}/netweave/v1/clusters/audit-probe`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(del.status).toBe(204);

    // A GraphQL mutation is a write too: audited with the fields it executed (here: an unknown instance).
    const mutation = await fetch(`${demo.gateway.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenOf('deployer')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation Forget($id: ID!) { deleteVnfInstance(vnfInstanceId: $id) }',
        variables: { id: '00000000-0000-4000-8000-000000000000' },
      }),
    });
    const mutationStatus = mutation.status;
    expect(((await mutation.json()) as { errors?: unknown[] }).errors).toHaveLength(1);

    const read = async (): Promise<AuditEntry[]> => {
      const answer = await get('/netweave/v1/audit?limit=1000', admin);
      expect(answer.status).toBe(200);
      return ((await answer.json()) as AuditEntry[]).filter((entry) => entry.time >= started);
    };
    await expect
      .poll(async () => (await read()).map((e) => [e.principal, e.action, e.object, e.status, e.outcome]), {
        timeout: 10_000,
      })
      .toEqual([
        [null, 'GET', '/netweave/v1/clusters', 401, 'denied'],
        ['demo-reader', 'GET', '/netweave/v1/clusters', 403, 'denied'],
        ['demo-admin', 'PUT', '/netweave/v1/clusters/audit-probe', 201, 'succeeded'],
        ['demo-admin', 'DELETE', '/netweave/v1/clusters/audit-probe', 204, 'succeeded'],
        [
          'demo-deployer',
          'mutation',
          '/graphql deleteVnfInstance',
          mutationStatus,
          mutationStatus < 400 ? 'succeeded' : 'failed',
        ],
      ]);
    const [, denied] = await read();
    expect(denied).toMatchObject({
      tenant: 'demo',
      address: expect.any(String),
      requestId: expect.any(String),
    });

    // Not for other roles; the refusal itself is audited.
    expect((await get('/netweave/v1/audit', await tokenOf('maintainer'))).status).toBe(403);
    await expect
      .poll(
        async () => (await read()).some((e) => e.principal === 'demo-maintainer' && e.outcome === 'denied'),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    // Paging: one record per page, the Link header names the next.
    const first = await get('/netweave/v1/audit?limit=1', admin);
    const link = first.headers.get('link');
    expect(link).toMatch(/^<\/netweave\/v1\/audit\?limit=1&after=[0-9]+-[0-9]+>; rel="next"$/);
    const second = await get(link!.slice(1, link!.indexOf('>')), admin);
    expect(((await second.json()) as AuditEntry[])[0]!.id).not.toBe(
      ((await first.json()) as AuditEntry[])[0]!.id,
    );
    expect((await get('/netweave/v1/audit?limit=0', admin)).status).toBe(400);
  });
});
