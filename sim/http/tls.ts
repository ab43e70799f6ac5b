/**
 * A self-signed serving certificate for simulated API servers that require a token: kubectl and helm
 * (client-go) send a kubeconfig's credentials only over TLS, so a simulator that authenticates its callers
 * must speak https. One certificate per process, for 127.0.0.1, ::1 and localhost, made with the openssl
 * binary (Debian package `openssl`) and never written to disk; it is its own CA, so a kubeconfig trusts it
 * through `certificate-authority-data`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServingCertificate {
  readonly cert: string;
  readonly key: string;
  /** The certificate as base64 PEM: a kubeconfig's certificate-authority-data. */
  readonly caData: string;
}

let cached: ServingCertificate | undefined;

export function simServingCertificate(): ServingCertificate {
  if (cached !== undefined) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'netweave-sim-tls-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '30',
          '-subj',
          '/CN=netweave-sim',
          '-addext',
          'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
          '-keyout',
          keyFile,
          '-out',
          certFile,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (error) {
      throw new Error(
        `the simulator needs the openssl binary for its TLS certificate (apt-get install openssl): ${String(error)}`,
        { cause: error },
      );
    }
    const cert = readFileSync(certFile, 'utf8');
    cached = { cert, key: readFileSync(keyFile, 'utf8'), caData: Buffer.from(cert).toString('base64') };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
