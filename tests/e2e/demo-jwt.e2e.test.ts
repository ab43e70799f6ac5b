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
});
