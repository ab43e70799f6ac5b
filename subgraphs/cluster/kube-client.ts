/**
 * Access to one cluster's API server from the subgraph's configuration: the light API client the informers
 * use (kube-http.ts), the facts the deployment manager publishes (API endpoint, CA) and the server version.
 * client-node's KubeConfig (and its generated API) is loaded only where it is needed: kubeconfig users with
 * exec plugins or auth providers, and the DMS job runner (kube-full-config.ts).
 */
import { loadKubeTarget, type KubeTarget } from './kube-config.ts';
import { createKubeApi, type KubeApi } from './kube-http.ts';
import type { KubeAccessConfig } from './config.ts';

export interface KubeAccess {
  /** List and watch (and GET) against the API server; close it with the subgraph. */
  readonly api: KubeApi;
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

function credentialsOf(target: KubeTarget): KubeCredentials | undefined {
  if (target.userName === '' || target.tokenFile !== undefined) return undefined;
  if (target.token !== undefined) return { user: target.userName, token: target.token };
  if (target.certificate !== undefined && target.key !== undefined) {
    return {
      user: target.userName,
      clientCertificate: Buffer.from(target.certificate).toString('base64'),
      clientKey: Buffer.from(target.key).toString('base64'),
    };
  }
  return undefined;
}

export function kubeAccess(config: KubeAccessConfig): KubeAccess {
  const target = loadKubeTarget(config);
  const api = createKubeApi(target, {
    fullKubeConfig: async () => (await import('./kube-full-config.ts')).fullKubeConfig(config),
  });
  return {
    api,
    serverUrl: target.server,
    caCertificate: target.caData,
    credentials: credentialsOf(target),
    async fetchVersion() {
      const info = await api.getJson<{ gitVersion: string }>('/version');
      return info.gitVersion;
    },
  };
}
