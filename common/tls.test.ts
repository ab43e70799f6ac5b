/**
 * TLS listeners (common/tls.ts) over real sockets on loopback: mTLS refuses a client without a certificate and
 * accepts one of the configured CA; replaced certificate files are installed without a restart (a new
 * connection sees the new certificate, a broken replacement keeps the current one).
 */
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type PeerCertificate } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoCertificates, DEMO_CLIENT_CN, type DemoCertificates } from '../cli/demo-certificates.ts';
import { clientCertificateOf, createTlsServer, type ServerTlsSettings, type TlsServer } from './tls.ts';

let dir: string;
let first: DemoCertificates;
let second: DemoCertificates;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netweave-tls-'));
  [first, second] = await Promise.all([
    writeDemoCertificates(join(dir, 'first'), '127.0.0.1'),
    writeDemoCertificates(join(dir, 'second'), '127.0.0.1'),
  ]);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A server on the first CA's files answering the CN of the client certificate. */
async function listen(
  clientCertificates: ServerTlsSettings['clientCertificates'],
): Promise<{ tls: TlsServer; port: number } & AsyncDisposable> {
  const files = { certFile: first.certFile, keyFile: first.keyFile, caFile: first.caFile };
  const settings = { ...files, clientCertificates, reloadIntervalMs: 60_000 };
  const tls = createTlsServer(settings, (req, res) => {
    const client = clientCertificateOf(req.socket);
    res.end(JSON.stringify({ cn: client?.subjectCN ?? null }));
  });
  tls.server.listen(0, '127.0.0.1');
  await once(tls.server, 'listening');
  const { port } = tls.server.address() as AddressInfo;
  return {
    tls,
    port,
    async [Symbol.asyncDispose]() {
      tls.server.closeAllConnections();
      await new Promise((resolve) => tls.server.close(resolve));
    },
  };
}

/** One TLS connection: the server's certificate, or the handshake/first-read error. */
function handshake(
  port: number,
  options: { ca?: Buffer; cert?: Buffer; key?: Buffer },
): Promise<{ peer: PeerCertificate; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      rejectUnauthorized: options.ca !== undefined,
      ...options,
    });
    let body = '';
    let peer: PeerCertificate | undefined;
    socket.once('secureConnect', () => {
      peer = socket.getPeerCertificate();
      socket.write('GET / HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n');
    });
    socket.on('data', (chunk: Buffer) => (body += chunk.toString()));
    socket.once('error', (error) =>
      resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }),
    );
    socket.once('close', () => {
      if (peer === undefined || body === '') resolve({ error: 'closed without an answer' });
      else resolve({ peer, body });
    });
  });
}

describe('TLS listener', () => {
  it('mTLS: refuses a client without a certificate, accepts one of the CA and knows its CN', async () => {
    await using server = await listen('require');
    const ca = readFileSync(first.caFile);
    const without = await handshake(server.port, { ca });
    expect(without).toHaveProperty('error');
    const foreign = await handshake(server.port, {
      ca,
      cert: readFileSync(second.clientCertFile),
      key: readFileSync(second.clientKeyFile),
    });
    expect(foreign).toHaveProperty('error');
    const withCert = await handshake(server.port, {
      ca,
      cert: readFileSync(first.clientCertFile),
      key: readFileSync(first.clientKeyFile),
    });
    expect(withCert).not.toHaveProperty('error');
    expect((withCert as { body: string }).body).toContain(`{"cn":"${DEMO_CLIENT_CN}"}`);
  });

  it('request mode: a client without a certificate is served, with no client identity', async () => {
    await using server = await listen('request');
    const answer = await handshake(server.port, { ca: readFileSync(first.caFile) });
    expect((answer as { body: string }).body).toContain('{"cn":null}');
  });

  it('installs replaced certificate files without a restart; a broken replacement keeps the current one', async () => {
    const certFile = join(dir, 'live-cert.pem');
    const keyFile = join(dir, 'live-key.pem');
    await copyFile(first.certFile, certFile);
    await copyFile(first.keyFile, keyFile);
    const errors: unknown[] = [];
    let reloads = 0;
    const tls = createTlsServer(
      { certFile, keyFile, clientCertificates: 'none', reloadIntervalMs: 20 },
      (_req, res) => res.end('ok'),
      { onReload: () => (reloads += 1), onError: (error) => errors.push(error) },
    );
    tls.server.listen(0, '127.0.0.1');
    await once(tls.server, 'listening');
    const { port } = tls.server.address() as AddressInfo;
    try {
      const fingerprint = async (): Promise<string | undefined> => {
        const answer = await handshake(port, {});
        return 'peer' in answer ? answer.peer.fingerprint256 : undefined;
      };
      const firstPrint = await fingerprint();
      const secondPem = readFileSync(second.certFile);
      // A certificate whose key does not match: refused, the current certificate stays.
      await writeFile(certFile, secondPem);
      await expect.poll(() => errors.length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await fingerprint()).toBe(firstPrint);
      // The matching key arrives: the next connection sees the new certificate.
      await copyFile(second.keyFile, keyFile);
      await expect.poll(fingerprint, { timeout: 10_000 }).toBe(new X509Certificate(secondPem).fingerprint256);
      expect(reloads).toBe(1);
    } finally {
      tls.server.closeAllConnections();
      await new Promise((resolve) => tls.server.close(resolve));
    }
  });
});
