/**
 * A demo gateway in `auth.mode: jwt` over two simulated clusters, with a local signing key and a JWKS file, for
 * the security tests (tenancy, the authorization matrix, fuzzing): `token({ tenant, roles })` signs a token the
 * gateway accepts. The two clusters are copies of the `minimal` scenario's edge cluster (`edge-a`, workloads in
 * namespace `team-a`; `edge-b`, namespace `team-b`).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startDemo, type Demo } from '../cli/demo.ts';
import { createLogger } from '../common/log.ts';
import type { GatewayConfigInput } from '../common/config.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import type { Scenario } from '../sim/scenario/types.ts';

const MINIMAL = new URL('../sim/scenarios/minimal.yaml', import.meta.url);

export const JWT_ISSUER = 'https://idp.test';
export const JWT_AUDIENCE = 'netweave';

/** `auth.tenancy` as written in a config file. */
export type TenancyInput = Extract<NonNullable<GatewayConfigInput['auth']>, { mode: 'jwt' }>['tenancy'];

export interface TokenRequest {
  readonly tenant: string;
  readonly roles: readonly string[];
  readonly subject?: string;
  /** Extra claims (e.g. `netweave_clusters`). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

export interface JwtDemo extends AsyncDisposable {
  readonly demo: Demo;
  readonly url: string;
  token(request: TokenRequest): Promise<string>;
  close(): Promise<void>;
}

/** The minimal scenario with its one cluster copied into `edge-a` and `edge-b`, written as YAML into `dir`. */
export async function twoClusterScenario(dir: string): Promise<Scenario> {
  const minimal = parseYaml(await readFile(fileURLToPath(MINIMAL), 'utf8')) as {
    clusters: Array<Record<string, unknown>>;
  };
  const base = minimal.clusters[0]!;
  const copy = (name: string, namespace: string): Record<string, unknown> => ({
    ...base,
    name,
    nodeGroups: (base['nodeGroups'] as Array<Record<string, unknown>>).map((group) => ({
      ...group,
      prefix: `${name}-node`,
    })),
    workloads: (base['workloads'] as Array<Record<string, unknown>>).map((workload) => ({
      ...workload,
      namespace,
    })),
  });
  const file = join(dir, 'two-clusters.yaml');
  await writeFile(
    file,
    stringifyYaml({
      ...minimal,
      name: 'two-clusters',
      timeline: [],
      clusters: [copy('edge-a', 'team-a'), copy('edge-b', 'team-b')],
    }),
  );
  return loadScenario(file);
}

export async function startJwtDemo(
  options: {
    readonly tenancy?: TenancyInput;
    /** More gateway settings (everything but `auth`). */
    readonly gateway?: Omit<GatewayConfigInput, 'auth'>;
  } = {},
): Promise<JwtDemo> {
  const dir = await mkdtemp(join(tmpdir(), 'netweave-jwt-demo-'));
  const pair = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test', alg: 'ES256', use: 'sig' };
  const jwksFile = join(dir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify({ keys: [jwk] }));
  let demo: Demo;
  try {
    demo = await startDemo({
      scenario: await twoClusterScenario(dir),
      port: 0,
      logger: createLogger('silent'),
      gateway: {
        logLevel: 'silent',
        ...options.gateway,
        auth: {
          mode: 'jwt',
          jwksFile,
          issuer: JWT_ISSUER,
          audience: JWT_AUDIENCE,
          ...(options.tenancy === undefined ? {} : { tenancy: options.tenancy }),
        },
      },
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const key: CryptoKey = pair.privateKey;
  const close = async (): Promise<void> => {
    await demo.close();
    await rm(dir, { recursive: true, force: true });
  };
  return {
    demo,
    url: demo.gateway.url,
    token: (request) =>
      new SignJWT({ ...request.claims, roles: request.roles, tenant: request.tenant })
        .setProtectedHeader({ alg: 'ES256', kid: 'test' })
        .setSubject(request.subject ?? `smo-${request.tenant}`)
        .setIssuer(JWT_ISSUER)
        .setAudience(JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(key),
    close,
    [Symbol.asyncDispose]: close,
  };
}
