/**
 * TLS for netweave's listeners and internal clients (docs/security.md "TLS and mTLS"): the gateway's public
 * listener, the cluster subgraphs' internal listener, and the router's shard client that trusts their CA.
 *
 * Certificates come from files (cert-manager, an operator's PKI) and are re-read while the process runs: a
 * periodic check compares the files' bytes and, when they changed and still form a valid key pair, installs
 * them with `server.setSecureContext` — new connections get the new certificate, open ones keep theirs. A
 * check (rather than fs.watch) sees every way a file is replaced: in place, by rename, or by the symlink swap
 * of a Kubernetes Secret volume.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContextOptions } from 'node:tls';
import { realScheduler, type CancelTimer, type Scheduler } from './timers.ts';

/** PEM files of one side of a TLS connection. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** CA bundle: of client certificates (server side), of the server (client side). */
  readonly caFile?: string | undefined;
}

/**
 * `none`: no client certificate asked for. `request`: asked for, optional; a verified one may authenticate the
 * caller (auth.clientCertificates). `require`: mTLS — the handshake fails without a certificate signed by
 * `caFile`.
 */
export type ClientCertificateMode = 'none' | 'request' | 'require';

export interface ServerTlsSettings extends TlsFiles {
  readonly clientCertificates: ClientCertificateMode;
  /** How often the files are checked for a new certificate. */
  readonly reloadIntervalMs: number;
}

/** The verified client certificate of a connection, as the authenticator needs it. */
export interface ClientCertificate {
  /** Subject common name (the principal when mapped by auth.clientCertificates). */
  readonly subjectCN: string | undefined;
  readonly fingerprint256: string;
}

function readPem(files: TlsFiles): { options: SecureContextOptions; digest: string } {
  const cert = readFileSync(files.certFile);
  const key = readFileSync(files.keyFile);
  const ca = files.caFile === undefined ? undefined : readFileSync(files.caFile);
  const digest = createHash('sha256')
    .update(cert)
    .update('\0')
    .update(key)
    .update('\0')
    .update(ca ?? '')
    .digest('hex');
  return { options: { cert, key, ...(ca === undefined ? {} : { ca }) }, digest };
}

/** The secure context options of a client (the router's shard client): trusted CA, optional client cert. */
export function clientTlsOptions(files: {
  readonly caFile?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}): SecureContextOptions {
  return {
    ...(files.caFile === undefined ? {} : { ca: readFileSync(files.caFile) }),
    ...(files.certFile === undefined ? {} : { cert: readFileSync(files.certFile) }),
    ...(files.keyFile === undefined ? {} : { key: readFileSync(files.keyFile) }),
  };
}

export interface TlsServer {
  readonly server: HttpsServer;
  /** Re-reads the files now; true when a new certificate was installed. */
  reload(): boolean;
  /** Stops the periodic check. */
  stop(): void;
}

/**
 * An HTTPS server on the settings' files, re-reading them every `reloadIntervalMs`. A file that cannot be read
 * or a key that does not match its certificate keeps the current context (and is reported to `onError`):
 * a half-written renewal never takes the listener down.
 */
export function createTlsServer(
  settings: ServerTlsSettings,
  handler: RequestListener | undefined,
  hooks: {
    readonly onReload?: () => void;
    readonly onError?: (error: unknown) => void;
    readonly scheduler?: Scheduler;
  } = {},
): TlsServer {
  const initial = readPem(settings);
  let digest = initial.digest;
  const clientOptions = {
    requestCert: settings.clientCertificates !== 'none',
    rejectUnauthorized: settings.clientCertificates === 'require',
  };
  const server = createHttpsServer({ ...initial.options, ...clientOptions });
  if (handler !== undefined) server.on('request', handler);
  const reload = (): boolean => {
    let next: { options: SecureContextOptions; digest: string };
    try {
      next = readPem(settings);
      if (next.digest === digest) return false;
      // Validates the pair (a key of another certificate throws) before anything is replaced.
      createSecureContext(next.options);
    } catch (error) {
      hooks.onError?.(error);
      return false;
    }
    server.setSecureContext(next.options);
    digest = next.digest;
    hooks.onReload?.();
    return true;
  };
  const scheduler = hooks.scheduler ?? realScheduler;
  let cancel: CancelTimer | undefined;
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    cancel = scheduler.setTimeout(() => {
      reload();
      schedule();
    }, settings.reloadIntervalMs);
  };
  schedule();
  server.once('close', () => {
    stopped = true;
    cancel?.();
  });
  return {
    server,
    reload,
    stop() {
      stopped = true;
      cancel?.();
    },
  };
}

/** The client certificate of a connection when the handshake verified it against the configured CA. */
export function clientCertificateOf(socket: Socket): ClientCertificate | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  const certificate = socket.getPeerCertificate();
  if (certificate === null || Object.keys(certificate).length === 0) return undefined;
  const cn = certificate.subject?.CN;
  return { subjectCN: Array.isArray(cn) ? cn[0] : cn, fingerprint256: certificate.fingerprint256 };
}

/** The Strict-Transport-Security value of a max-age (RFC 6797); undefined when HSTS is off (0). */
export function hstsHeader(maxAgeSeconds: number, includeSubDomains: boolean): string | undefined {
  if (maxAgeSeconds <= 0) return undefined;
  return `max-age=${maxAgeSeconds}${includeSubDomains ? '; includeSubDomains' : ''}`;
}
