/**
 * Certificates of `netweave demo --tls / --mtls` (docs/security.md "TLS and mTLS"): a demo CA made at start-up,
 * a server certificate for the loopback names (the gateway and the cluster subgraphs), and a client certificate
 * for curl and the router's shard client, all signed by that CA and written as PEM files. `selfsigned` makes
 * them in-process (docs/dependencies.md); production certificates come from files an operator provides.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

/** Subject CN of the demo's client certificate (mapped to the reader role when the demo runs in jwt mode). */
export const DEMO_CLIENT_CN = 'netweave-demo-client';
const VALIDITY_DAYS = 7;

export interface DemoCertificates {
  readonly dir: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

export async function writeDemoCertificates(dir: string, host: string): Promise<DemoCertificates> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALIDITY_DAYS * 86_400_000);
  const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate, notAfterDate } as const;
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'netweave demo CA' }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const signer = { key: ca.private, cert: ca.cert };
  const names = new Set(['localhost', '127.0.0.1', '::1', host]);
  const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    ...common,
    ca: signer,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...names].map((name) =>
          /^[\d.]+$|:/.test(name) ? { type: 7, ip: name } : { type: 2, value: name },
        ),
      },
    ],
  });
  const client = await selfsigned.generate([{ name: 'commonName', value: DEMO_CLIENT_CN }], {
    ...common,
    ca: signer,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  await mkdir(dir, { recursive: true });
  const files: DemoCertificates = {
    dir,
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server-key.pem'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client-key.pem'),
  };
  const contents: Array<[string, string, boolean]> = [
    [files.caFile, ca.cert, false],
    [files.certFile, server.cert, false],
    [files.keyFile, server.private, true],
    [files.clientCertFile, client.cert, false],
    [files.clientKeyFile, client.private, true],
  ];
  for (const [file, pem, secret] of contents) {
    await writeFile(file, pem);
    await chmod(file, secret ? 0o600 : 0o644);
  }
  return files;
}
