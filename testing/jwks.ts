/** A signing key pair for jwt-mode tests: the public half written as a JWKS file the gateway reads (`auth.jwksFile`). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';

export interface TestJwks {
  readonly jwksFile: string;
  /** Signs tokens with `kid: test`, ES256. */
  readonly privateKey: CryptoKey;
}

export async function writeTestJwks(dir: string): Promise<TestJwks> {
  const pair = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test', alg: 'ES256', use: 'sig' };
  const jwksFile = join(dir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify({ keys: [jwk] }));
  return { jwksFile, privateKey: pair.privateKey };
}
