/**
 * The SOL003 client in jwt mode (issue 14 item 1, issue 10 item 5): tackerclient authenticates with keystoneauth's
 * `admin_token` plugin (`OS_AUTH_TYPE=admin_token OS_TOKEN=<jwt> OS_ENDPOINT=<apiRoot>`), which sends the token
 * as `X-Auth-Token` and never as `Authorization`. The DMS takes it from there: the client works with a valid
 * token and is refused (401) with a bad one; `vnffm alarm list/show/update` read and acknowledge the alarm of an
 * instantiation that failed. The gateway runs in-process in jwt mode, with no helm binary: every instantiation
 * ends FAILED_TEMP (503) at once.
 * Needs the same Debian packages as tackerclient.e2e.test.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import { buildSamplePackage } from '../../dms/packages/samples.ts';
import { deploymentManagerIdOf } from '../../rest-facade/dms/index.ts';
import { LCM_V2, missingClient, probeTackerClient, runOpenstack } from '../../testing/tackerclient.ts';

const missing = missingClient(await probeTackerClient(), 'tests/interop/tackerclient-jwt.e2e.test.ts');

describe.runIf(missing?.requiredByCi === true)('tackerclient in jwt mode (CI)', () => {
  it('has the openstack CLI with the tacker plugin installed', () => {
    throw new Error(missing?.message);
  });
});

describe.skipIf(missing !== undefined)(
  'tackerclient with a bearer token in X-Auth-Token (jwt mode)',
  { timeout: 120_000 },
  () => {
    let demo: Demo;
    let dir: string;
    let token: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'nw-tackerclient-jwt-'));
      const pair = await generateKeyPair('ES256');
      const jwksFile = join(dir, 'jwks.json');
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'interop', alg: 'ES256', use: 'sig' };
      await writeFile(jwksFile, JSON.stringify({ keys: [jwk] }));
      token = await new SignJWT({ roles: ['deployer', 'subscriber'], tenant: 'smo' })
        .setProtectedHeader({ alg: 'ES256', kid: 'interop' })
        .setSubject('tackerclient')
        .setIssuer('https://idp.interop.test')
        .setAudience('netweave')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(pair.privateKey);
      demo = await startDemo({
        scenario: 'minimal',
        port: 0,
        logger: createLogger('silent'),
        gateway: {
          logLevel: 'silent',
          auth: { mode: 'jwt', jwksFile, issuer: 'https://idp.interop.test', audience: 'netweave' },
        },
      });
    }, 60_000);

    afterAll(async () => {
      await demo?.close();
      await rm(dir, { recursive: true, force: true });
    });

    const client = (args: readonly string[], osToken: string) =>
      runOpenstack(args, {
        OS_AUTH_TYPE: 'admin_token',
        OS_TOKEN: osToken,
        OS_ENDPOINT: `${demo.gateway.url}/o2dms`,
      });

    it('vnf package create / list and vnflcm list succeed with the token', async () => {
      const created = await client(['vnf', 'package', 'create', '-f', 'json'], token);
      expect(created.exitCode, created.output).toBe(0);
      const id = (JSON.parse(created.stdout) as { ID: string }).ID;
      const listed = await client(['vnf', 'package', 'list', '-f', 'json'], token);
      expect(listed.exitCode, listed.output).toBe(0);
      expect((JSON.parse(listed.stdout) as { Id: string }[]).map((p) => p.Id)).toEqual([id]);
      const instances = await client([...LCM_V2, 'vnflcm', 'list', '-f', 'json'], token);
      expect(instances.exitCode, instances.output).toBe(0);
      expect(JSON.parse(instances.stdout)).toEqual([]);
    });

    it('vnffm alarm list / show / update: the alarm of a failed instantiation, acknowledged', async () => {
      const ok = async (args: readonly string[]): Promise<string> => {
        const result = await client(args, token);
        expect(result.exitCode, `${result.command}\n${result.output}`).toBe(0);
        return result.stdout;
      };
      expect(JSON.parse(await ok([...LCM_V2, 'vnffm', 'alarm', 'list', '-f', 'json']))).toEqual([]);
      const pkg = (JSON.parse(await ok(['vnf', 'package', 'create', '-f', 'json'])) as { ID: string }).ID;
      const zip = join(dir, 'sample.zip');
      await writeFile(zip, await buildSamplePackage('netweave-sample-cnf'));
      await ok(['vnf', 'package', 'upload', '--path', zip, pkg]);
      const vnfdId = (
        JSON.parse(await ok(['vnf', 'package', 'show', pkg, '-f', 'json'])) as { 'VNFD ID': string }
      )['VNFD ID'];
      const id = (
        JSON.parse(await ok([...LCM_V2, 'vnflcm', 'create', vnfdId, '-f', 'json'])) as { ID: string }
      ).ID;
      const request = join(dir, 'instantiate.json');
      const cluster = demo.scenario.clusters[0]!.name;
      await writeFile(
        request,
        JSON.stringify({
          flavourId: 'small',
          vimConnectionInfo: { c: { vimId: deploymentManagerIdOf(cluster), vimType: 'kubernetes' } },
        }),
      );
      await ok([...LCM_V2, 'vnflcm', 'instantiate', id, request]);
      // The cluster's job runner has no helm binary here: the occurrence ends FAILED_TEMP (503) at once.
      await vi.waitFor(
        async () => {
          const answer = await fetch(`${demo.gateway.url}/o2dms/vnffm/v1/alarms`, {
            headers: { 'x-auth-token': token, version: '1.3.0' },
          });
          expect(await answer.json()).toHaveLength(1);
        },
        { timeout: 60_000, interval: 500 },
      );
      const [alarm] = JSON.parse(await ok([...LCM_V2, 'vnffm', 'alarm', 'list', '-f', 'json'])) as {
        ID: string;
        'Managed Object Id': string;
      }[];
      expect(alarm).toMatchObject({ 'Managed Object Id': id });
      const shown = JSON.parse(
        await ok([...LCM_V2, 'vnffm', 'alarm', 'show', alarm!.ID, '-f', 'json']),
      ) as Record<string, unknown>;
      expect(shown).toMatchObject({
        ID: alarm!.ID,
        'Ack State': 'UNACKNOWLEDGED',
        'Perceived Severity': 'MAJOR',
      });
      const updated = JSON.parse(
        await ok([
          ...LCM_V2,
          'vnffm',
          'alarm',
          'update',
          '--ack-state',
          'ACKNOWLEDGED',
          alarm!.ID,
          '-f',
          'json',
        ]),
      ) as Record<string, unknown>;
      expect(updated).toEqual({ 'Ack State': 'ACKNOWLEDGED' });
    });

    it('a token that does not verify is refused: exit 1 with the 401 detail', async () => {
      const refused = await client([...LCM_V2, 'vnflcm', 'list', '-f', 'json'], 'not-a-jwt');
      expect(refused.exitCode).toBe(1);
      expect(refused.output).toMatch(/bearer token is invalid or expired/);
    });
  },
);
