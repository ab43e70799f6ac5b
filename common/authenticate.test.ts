/**
 * Token rules of jwt mode (docs/security.md "Tokens") and strict configuration parsing: what is refused, with
 * which message. Keys come from a JWKS file; no network.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from './auth.ts';
import { createAuthenticator, dmsCredentials } from './authenticate.ts';
import { ConfigError, parseGatewayConfig, type GatewayConfigInput } from './config.ts';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'netweave';
let dir: string;
let jwksFile: string;
let key: CryptoKey;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netweave-tokens-'));
  const pair = await generateKeyPair('ES256');
  key = pair.privateKey;
  jwksFile = join(dir, 'jwks.json');
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'ES256', use: 'sig' };
  await writeFile(jwksFile, JSON.stringify({ keys: [jwk] }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function jwtConfig(extra: Record<string, unknown> = {}): GatewayConfigInput {
  return {
    auth: { mode: 'jwt', jwksFile, issuer: ISSUER, audience: AUDIENCE, ...extra },
  } as GatewayConfigInput;
}

async function sign(
  claims: JWTPayload,
  options: { exp?: number | false; iat?: number | false; aud?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({ roles: ['reader'], tenant: 'blue', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k' })
    .setSubject('smo-1')
    .setIssuer(ISSUER)
    .setAudience(options.aud ?? AUDIENCE);
  if (options.iat !== false) jwt = jwt.setIssuedAt(options.iat);
  if (options.exp !== false) jwt = jwt.setExpirationTime(options.exp ?? '5m');
  return jwt.sign(key);
}

async function refusal(token: string, extra: Record<string, unknown> = {}): Promise<string> {
  const authenticate = createAuthenticator(parseGatewayConfig(jwtConfig(extra)).auth);
  try {
    await authenticate(`Bearer ${token}`);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(401);
    return (error as Error).message;
  }
  return 'accepted';
}

describe('jwt tokens', () => {
  it('accepts a token with exp, issuer, audience and tenant, and reports its expiry', async () => {
    const authenticate = createAuthenticator(parseGatewayConfig(jwtConfig()).auth);
    const auth = await authenticate(`Bearer ${await sign({})}`);
    expect(auth).toMatchObject({ principal: 'smo-1', roles: ['reader'], tenant: { name: 'blue' } });
    expect(auth.expiresAt).toBeGreaterThan(Date.now());
  });

  it('refuses a token without exp', async () => {
    expect(await refusal(await sign({}, { exp: false }))).toMatch(/invalid or expired/);
  });

  it('refuses a token that lives longer than maxTokenLifetimeSeconds', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await refusal(await sign({}, { exp: now + 7_200 }), { maxTokenLifetimeSeconds: 3_600 })).toMatch(
      /longer than 3600 s/,
    );
    // Without iat the lifetime counts from now.
    expect(
      await refusal(await sign({}, { exp: now + 7_200, iat: false }), { maxTokenLifetimeSeconds: 3_600 }),
    ).toMatch(/longer than/);
    expect(await refusal(await sign({}, { exp: now + 600 }), { maxTokenLifetimeSeconds: 3_600 })).toBe(
      'accepted',
    );
  });

  it('refuses another audience', async () => {
    expect(await refusal(await sign({}, { aud: 'someone-else' }))).toMatch(/invalid/);
  });

  it('refuses a token without a tenant unless a default tenant is configured', async () => {
    const untenanted = await sign({ tenant: undefined });
    expect(await refusal(untenanted)).toMatch(/no "tenant" claim/);
    const authenticate = createAuthenticator(parseGatewayConfig(jwtConfig({ defaultTenant: 'shared' })).auth);
    expect((await authenticate(`Bearer ${untenanted}`)).tenant.name).toBe('shared');
  });
});

describe('strict configuration', () => {
  function problems(input: unknown): string {
    try {
      parseGatewayConfig(input);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    return 'accepted';
  }

  it('names an unknown key instead of ignoring it (a misspelt audience would never be checked)', () => {
    const message = problems({
      auth: { mode: 'jwt', jwksFile: '/x', issuer: ISSUER, audience: AUDIENCE, audiance: AUDIENCE },
    });
    expect(message).toMatch(/auth: Unrecognized key\(s\) in object: 'audiance'/);
    expect(problems({ listen: { prot: 8080 } })).toMatch(/listen: Unrecognized key\(s\) in object: 'prot'/);
    expect(problems({ store: { kind: 'redis', urll: 'redis://x' } })).toMatch(/'urll'/);
    expect(problems({ graphql: { limits: { maxDeph: 3 } } })).toMatch(/'maxDeph'/);
  });

  it('requires issuer, audience and one JWKS source in jwt mode', () => {
    const message = problems({ auth: { mode: 'jwt', jwksFile: '/x' } });
    expect(message).toMatch(/auth\.issuer: Required/);
    expect(message).toMatch(/auth\.audience: Required/);
    expect(problems({ auth: { mode: 'jwt', issuer: ISSUER, audience: AUDIENCE } })).toMatch(
      /auth\.jwksUrl: jwt mode needs exactly one of jwksUrl and jwksFile/,
    );
  });
});

describe('dmsCredentials (X-Auth-Token on the DMS apiRoots)', () => {
  it('takes Authorization first, else X-Auth-Token as a bearer token; a repeated or empty X-Auth-Token is none', () => {
    expect(dmsCredentials({ authorization: 'Bearer a', 'x-auth-token': 'b' })).toBe('Bearer a');
    expect(dmsCredentials({ 'x-auth-token': ' b ' })).toBe('Bearer b');
    expect(dmsCredentials({ 'x-auth-token': 'bearer b' })).toBe('bearer b');
    expect(dmsCredentials({ 'x-auth-token': ['a', 'b'] })).toBeUndefined();
    expect(dmsCredentials({ 'x-auth-token': '' })).toBeUndefined();
    expect(dmsCredentials({})).toBeUndefined();
  });
});

describe('client certificates (auth.clientCertificates)', () => {
  const authenticate = () =>
    createAuthenticator(
      parseGatewayConfig(
        jwtConfig({
          clientCertificates: {
            principals: { 'smo-paris': { roles: ['subscriber', 'unknown'], tenant: 'blue' } },
          },
        }),
      ).auth,
    );
  const certificate = (subjectCN: string) => ({ subjectCN, fingerprint256: 'AA:BB' });

  it('maps a listed CN without a token to its principal, roles (known ones) and tenant', async () => {
    expect(await authenticate()(undefined, 'r1', certificate('smo-paris'))).toMatchObject({
      principal: 'smo-paris',
      roles: ['subscriber'],
      tenant: { name: 'blue' },
      method: 'client-certificate',
    });
  });

  it('gives no identity to an unlisted CN (an Object.prototype member name included); a token decides over a certificate', async () => {
    for (const cn of ['smo-lyon', 'constructor', '__proto__'])
      await expect(authenticate()(undefined, 'r2', certificate(cn))).rejects.toThrow(AuthError);
    const token = await sign({ roles: ['reader'] });
    expect(await authenticate()(`Bearer ${token}`, 'r3', certificate('smo-paris'))).toMatchObject({
      principal: 'smo-1',
      method: 'bearer',
    });
  });
});
