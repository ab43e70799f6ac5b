/**
 * `netweave demo --mtls --auth jwt` (docs/security.md "TLS and mTLS"): the gateway serves HTTPS with the
 * generated certificate, refuses a client without a certificate, maps the demo client certificate to a
 * principal, sends HSTS, and reaches its cluster subgraphs over TLS.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';

const API = '/o2ims-infrastructureInventory/v2';
let demo: Demo;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netweave-demo-tls-'));
  demo = await startDemo({
    scenario: 'minimal',
    port: 0,
    logger: createLogger('silent'),
    auth: { mode: 'jwt', tokensDir: join(dir, 'tokens') },
    tls: { dir: join(dir, 'tls'), clientCertificates: 'require' },
    gateway: { logLevel: 'silent' },
  });
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(path: string, options: { cert?: boolean; token?: string }): Promise<Answer> {
  const files = demo.certificates!;
  return new Promise((resolve, reject) => {
    const req = request(
      `${demo.gateway.url}${path}`,
      {
        ca: readFileSync(files.caFile),
        ...(options.cert
          ? { cert: readFileSync(files.clientCertFile), key: readFileSync(files.clientKeyFile) }
          : {}),
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('netweave demo --mtls --auth jwt', () => {
  it('serves HTTPS and refuses a client without a certificate', async () => {
    expect(demo.gateway.url).toMatch(/^https:\/\//);
    await expect(get(`${API}/resourcePools`, {})).rejects.toThrow();
  });

  it('maps the client certificate to its principal, sends HSTS, and reads the clusters over TLS', async () => {
    const answer = await get(`${API}/resourcePools`, { cert: true });
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000');
    // The pools come from the cluster subgraphs, which the router reaches over TLS (shards.tls).
    expect((JSON.parse(answer.body) as unknown[]).length).toBeGreaterThan(0);
    expect(answer.headers['netweave-partial-result']).toBeUndefined();
  });

  it('a bearer token decides over the certificate', async () => {
    const noRoles = demo.issuer!.tokens['no-roles'];
    expect((await get(`${API}/resourcePools`, { cert: true, token: noRoles })).status).toBe(403);
    expect((await get('/netweave/v1/clusters', { cert: true })).status).toBe(403);
  });
});
