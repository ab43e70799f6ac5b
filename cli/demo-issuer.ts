/**
 * The demo's token issuer (`netweave demo --auth jwt`, docs/security.md "Trying it"): an ES256 key made at
 * start-up, its public half served as a JWKS on loopback, and one signed token per role written to
 * `<dir>/<name>.jwt`, so a user can try the role table with curl. The gateway of the demo verifies against
 * that JWKS exactly as it would against a real identity provider (jwt mode, issuer and audience checked).
 */
import { once } from 'node:events';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ROLES, type Role } from '../common/auth.ts';

export const DEMO_ISSUER = 'https://netweave-demo-issuer.invalid';
export const DEMO_AUDIENCE = 'netweave';
export const DEMO_TENANT = 'demo';
/** How long the written tokens stay valid: a working day (the gateway accepts at most 24 h). */
export const DEMO_TOKEN_LIFETIME_SECONDS = 8 * 3600;
/** The token without any role: authenticated, refused everywhere (403 / FORBIDDEN). */
export const NO_ROLES_TOKEN = 'no-roles';

/** File names (without `.jwt`) of the written tokens: one per role, plus the one without roles. */
export const DEMO_TOKEN_NAMES = [...ROLES, NO_ROLES_TOKEN] as const;
export type DemoTokenName = (typeof DEMO_TOKEN_NAMES)[number];

export interface DemoTokenClaims {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly tenant: string;
  /** Seconds; DEMO_TOKEN_LIFETIME_SECONDS by default. */
  readonly lifetimeSeconds?: number;
}

export interface DemoIssuer extends AsyncDisposable {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  /** Lifetime of the written tokens (DEMO_TOKEN_LIFETIME_SECONDS). */
  readonly lifetimeSeconds: number;
  /** The token of each name, as written to `<tokensDir>/<name>.jwt`. */
  readonly tokens: Readonly<Record<DemoTokenName, string>>;
  readonly tokensDir: string;
  /** Signs another token with the demo key (tests: other tenants, short lifetimes). */
  sign(claims: DemoTokenClaims): Promise<string>;
  close(): Promise<void>;
}

/** The claims of each written token. The admin token is the operator's: every tenant (`*`). */
export function demoClaimsOf(name: DemoTokenName): DemoTokenClaims {
  if (name === NO_ROLES_TOKEN) return { sub: 'demo-no-roles', roles: [], tenant: DEMO_TENANT };
  return { sub: `demo-${name}`, roles: [name], tenant: name === 'admin' ? '*' : DEMO_TENANT };
}

export async function startDemoIssuer(options: { tokensDir: string; host?: string }): Promise<DemoIssuer> {
  const kid = 'netweave-demo';
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }],
  });
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    } else res.writeHead(404).end();
  });
  server.listen(0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const sign = (claims: DemoTokenClaims): Promise<string> =>
    new SignJWT({ roles: [...claims.roles], tenant: claims.tenant })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(claims.sub)
      .setIssuer(DEMO_ISSUER)
      .setAudience(DEMO_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${claims.lifetimeSeconds ?? DEMO_TOKEN_LIFETIME_SECONDS}s`)
      .sign(privateKey);

  const tokens = {} as Record<DemoTokenName, string>;
  try {
    await mkdir(options.tokensDir, { recursive: true });
    for (const name of DEMO_TOKEN_NAMES) {
      tokens[name] = await sign(demoClaimsOf(name));
      const file = join(options.tokensDir, `${name}.jwt`);
      await writeFile(file, `${tokens[name]}\n`, { mode: 0o600 });
      // writeFile's mode applies to new files only; an earlier run's file keeps its mode otherwise.
      await chmod(file, 0o600);
    }
  } catch (error) {
    server.close();
    throw error;
  }

  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    jwksUrl: `http://${options.host ?? '127.0.0.1'}:${port}/jwks.json`,
    issuer: DEMO_ISSUER,
    audience: DEMO_AUDIENCE,
    lifetimeSeconds: DEMO_TOKEN_LIFETIME_SECONDS,
    tokens,
    tokensDir: options.tokensDir,
    sign,
    close,
    [Symbol.asyncDispose]: close,
  };
}
