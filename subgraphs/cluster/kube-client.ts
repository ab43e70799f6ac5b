/**
 * Access to one cluster's API server from the subgraph's configuration: the KubeConfig the informers use,
 * the facts the deployment manager publishes (API endpoint, CA) and the server version.
 */
import { readFileSync } from 'node:fs';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import type { KubeAccessConfig } from './config.ts';

export interface KubeAccess {
  readonly kubeConfig: KubeConfig;
  /** The API server URL of the current context. */
  readonly serverUrl: string;
  /** Base64 PEM of the API server's CA when the kubeconfig names one. */
  readonly caCertificate: string | undefined;
  /** The API server's gitVersion (e.g. v1.31.2) from /version. */
  fetchVersion(): Promise<string>;
  /**
   * The credentials of the current kubeconfig user, inline (a bearer token, or a client certificate and key
   * as base64 PEM): what the deployment manager hands to admin callers (DMS K8s native profile). Undefined
   * when the user has none inline (exec plugins, auth providers, in-cluster token files).
   */
  readonly credentials: KubeCredentials | undefined;
}

export interface KubeCredentials {
  readonly user: string;
  readonly token?: string;
  readonly clientCertificate?: string;
  readonly clientKey?: string;
}

function credentialsOf(kubeConfig: KubeConfig): KubeCredentials | undefined {
  const user = kubeConfig.getCurrentUser();
  if (user === null) return undefined;
  const fileBase64 = (file: string | undefined): string | undefined =>
    file === undefined ? undefined : readFileSync(file).toString('base64');
  const certificate = user.certData ?? fileBase64(user.certFile);
  const key = user.keyData ?? fileBase64(user.keyFile);
  if (user.token !== undefined && user.token !== '') return { user: user.name, token: user.token };
  if (certificate !== undefined && key !== undefined)
    return { user: user.name, clientCertificate: certificate, clientKey: key };
  return undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackHttp(server: string): boolean {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.'));
}

/**
 * client-node refuses plain-HTTP API servers unless the kubeconfig opts out of TLS verification
 * (skipTLSVerify). netweave opts out for loopback URLs only, where the in-repo simulator and local proxies
 * (`kubectl proxy`) listen and there is no TLS to verify; any other plain-HTTP server stays refused.
 */
function allowLoopbackHttp(kubeConfig: KubeConfig): void {
  const current = kubeConfig.getCurrentCluster();
  if (current === null || current.skipTLSVerify || !isLoopbackHttp(current.server)) return;
  kubeConfig.clusters = kubeConfig.clusters.map((cluster) =>
    cluster.name === current.name ? { ...cluster, skipTLSVerify: true } : cluster,
  );
}

export function kubeAccess(config: KubeAccessConfig): KubeAccess {
  const kubeConfig = new KubeConfig();
  if ('inCluster' in config) {
    kubeConfig.loadFromCluster();
  } else if ('kubeconfigPath' in config) {
    kubeConfig.loadFromFile(config.kubeconfigPath);
    if (config.context !== undefined) kubeConfig.setCurrentContext(config.context);
  } else {
    kubeConfig.loadFromClusterAndUser(
      {
        name: 'cluster',
        server: config.server,
        skipTLSVerify: false,
        ...(config.caData === undefined ? {} : { caData: config.caData }),
      },
      config.token === undefined ? { name: 'netweave' } : { name: 'netweave', token: config.token },
    );
  }
  allowLoopbackHttp(kubeConfig);
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) {
    const where =
      'inCluster' in config
        ? 'in-cluster'
        : 'kubeconfigPath' in config
          ? config.kubeconfigPath
          : config.server;
    throw new Error(
      `no current cluster in the Kubernetes configuration (${where}); set a current-context or --context`,
    );
  }
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    throw new Error(
      `the API server ${cluster.server} is plain HTTP; use https (plain HTTP is accepted on loopback only)`,
    );
  }
  const caCertificate =
    cluster.caData ??
    (cluster.caFile === undefined ? undefined : readFileSync(cluster.caFile).toString('base64'));
  const versionApi = kubeConfig.makeApiClient(VersionApi);
  return {
    kubeConfig,
    serverUrl: cluster.server,
    caCertificate,
    credentials: credentialsOf(kubeConfig),
    async fetchVersion() {
      const info = await versionApi.getCode();
      return info.gitVersion;
    },
  };
}
