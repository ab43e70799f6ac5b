/**
 * Where and how the subgraph reaches its Kubernetes API server, without @kubernetes/client-node's
 * `KubeConfig`: that class imports the package's whole generated API (`gen/index.js`, ≈ 70 MB RSS), which a
 * cluster subgraph — list and watch of a few kinds — never uses (docs/benchmarks.md "Scale").
 *
 * The kubeconfig's entries are read by client-node's own `config_types.js` (the same field names, defaults
 * and validation as `KubeConfig.loadFromFile`, and light: it imports nothing of the generated API), the
 * document itself by `yaml`. Users that need client-node's machinery — exec credential plugins, auth
 * providers, proxies — are flagged `needsFullClient`: kube-http.ts then lets client-node's `KubeConfig`
 * (imported only then) authorise each request.
 */
import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { dirname, isAbsolute, join } from 'node:path';
import type { Cluster, Context, User } from '@kubernetes/client-node';
// A deep import (the package has no `exports` map): the parsers of kubeconfig entries, without KubeConfig.
import { newClusters, newContexts, newUsers } from '@kubernetes/client-node/dist/config_types.js';
import { parse as parseYaml } from 'yaml';
import type { KubeAccessConfig } from './config.ts';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** One API server and the credentials of the current context, resolved. */
export interface KubeTarget {
  /** The server URL without a trailing slash. */
  readonly server: string;
  readonly clusterName: string;
  readonly userName: string;
  /** PEM of the CA(s) to trust instead of the system's; undefined: the system's. */
  readonly ca: string | undefined;
  /** Base64 PEM of the CA as the kubeconfig names it (published by the deployment manager). */
  readonly caData: string | undefined;
  readonly skipTLSVerify: boolean;
  readonly tlsServerName: string | undefined;
  /** A static bearer token. */
  readonly token: string | undefined;
  /** A token file re-read while it rotates (in-cluster service account tokens). */
  readonly tokenFile: string | undefined;
  /** Client certificate and key, PEM. */
  readonly certificate: string | undefined;
  readonly key: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly impersonate: string | undefined;
  /**
   * The user authenticates through an exec plugin or an auth provider, or the cluster sits behind a proxy:
   * requests are then authorised by client-node's KubeConfig (`fullKubeConfig`).
   */
  readonly needsFullClient: boolean;
  /** Whence, for error messages. */
  readonly source: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHttp(server: string): boolean {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.'));
}

function fileText(file: string | null | undefined): string | undefined {
  return file === undefined || file === null ? undefined : readFileSync(file, 'utf8');
}

function decodeBase64(data: string | null | undefined): string | undefined {
  return data === undefined || data === null ? undefined : Buffer.from(data, 'base64').toString('utf8');
}

function absolute(root: string, file: string | undefined | null): string | undefined {
  if (file === undefined || file === null) return undefined;
  return isAbsolute(file) ? file : join(root, file);
}

function present<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

/** `root`: the kubeconfig's directory, against which its relative file names resolve (as in kubectl). */
function targetOf(cluster: Cluster, user: User | undefined, source: string, root = '/'): KubeTarget {
  const authProvider = user?.authProvider as { name?: string; config?: { tokenFile?: string } } | undefined;
  // client-node's in-cluster user is the 'tokenFile' auth provider: plain enough to do here.
  const tokenFileProvider = authProvider?.name === 'tokenFile' ? authProvider.config?.tokenFile : undefined;
  const caFromFile = fileText(absolute(root, cluster.caFile));
  return {
    server: cluster.server,
    clusterName: cluster.name,
    userName: user?.name ?? '',
    ca: decodeBase64(cluster.caData) ?? caFromFile,
    caData:
      present(cluster.caData) ??
      (caFromFile === undefined ? undefined : Buffer.from(caFromFile).toString('base64')),
    skipTLSVerify: cluster.skipTLSVerify,
    tlsServerName: present(cluster.tlsServerName),
    token: present(user?.token) === '' ? undefined : present(user?.token),
    tokenFile: tokenFileProvider,
    certificate: decodeBase64(user?.certData) ?? fileText(absolute(root, user?.certFile)),
    key: decodeBase64(user?.keyData) ?? fileText(absolute(root, user?.keyFile)),
    username: present(user?.username),
    password: present(user?.password),
    impersonate: present(user?.impersonateUser),
    needsFullClient:
      (user?.exec !== undefined && user.exec !== null) ||
      (authProvider !== undefined && authProvider !== null && tokenFileProvider === undefined) ||
      (cluster.proxyUrl !== undefined && cluster.proxyUrl !== null),
    source,
  };
}

function fromKubeconfig(path: string, contextName: string | undefined): KubeTarget {
  const document = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
  const clusters = newClusters(document['clusters']);
  const users = newUsers(document['users']);
  const contexts: Context[] = newContexts(document['contexts']);
  const current = contextName ?? (document['current-context'] as string | undefined);
  const context = contexts.find((c) => c.name === current);
  if (contextName !== undefined && context === undefined) {
    throw new Error(`no context ${contextName} in ${path}`);
  }
  const cluster = clusters.find((c) => c.name === context?.cluster);
  if (cluster === undefined) {
    throw new Error(
      `no current cluster in the Kubernetes configuration (${path}); set a current-context or --context`,
    );
  }
  return targetOf(
    cluster,
    users.find((u) => u.name === context?.user),
    path,
    dirname(path),
  );
}

function inCluster(): KubeTarget {
  const host = process.env['KUBERNETES_SERVICE_HOST'];
  const port = process.env['KUBERNETES_SERVICE_PORT'];
  if (host === undefined || port === undefined) {
    throw new Error(
      'no current cluster in the Kubernetes configuration (in-cluster): KUBERNETES_SERVICE_HOST/PORT are not set',
    );
  }
  // The ports client-node treats as plain HTTP (an API proxy sidecar), the rest HTTPS.
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  return targetOf(
    { name: 'inCluster', server, caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt`, skipTLSVerify: false },
    {
      name: 'inClusterUser',
      authProvider: { name: 'tokenFile', config: { tokenFile: `${SERVICE_ACCOUNT_DIR}/token` } },
    },
    'in-cluster',
  );
}

/**
 * The target of a subgraph's `kube` configuration. Throws when there is no current cluster, or when the
 * server is plain HTTP anywhere but on loopback (where the simulator and `kubectl proxy` listen; credentials
 * would otherwise cross the network in the clear).
 */
export function loadKubeTarget(config: KubeAccessConfig): KubeTarget {
  let target: KubeTarget;
  if ('inCluster' in config) target = inCluster();
  else if ('kubeconfigPath' in config) target = fromKubeconfig(config.kubeconfigPath, config.context);
  else {
    target = targetOf(
      {
        name: 'cluster',
        server: config.server.replace(/\/$/, ''),
        skipTLSVerify: false,
        ...(config.caData === undefined ? {} : { caData: config.caData }),
      },
      config.token === undefined ? { name: 'netweave' } : { name: 'netweave', token: config.token },
      config.server,
    );
  }
  // A kubeconfig that marks a plain-HTTP cluster insecure-skip-tls-verify asked for it explicitly.
  if (target.server.startsWith('http:') && !target.skipTLSVerify) {
    if (!isLoopbackHttp(target.server)) {
      throw new Error(
        `the API server ${target.server} is plain HTTP; use https (plain HTTP is accepted on loopback only)`,
      );
    }
  }
  return target;
}
