/**
 * client-node's KubeConfig for the same `kube` configuration, for what needs the whole client: the DMS job
 * runner's typed API calls, and requests of kubeconfig users that authenticate through exec plugins or auth
 * providers (kube-http.ts). Import this module lazily: it loads client-node's generated API (≈ 70 MB RSS).
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeAccessConfig } from './config.ts';
import { isLoopbackHttp } from './kube-config.ts';

/**
 * client-node refuses plain-HTTP API servers unless the kubeconfig opts out of TLS verification
 * (skipTLSVerify). netweave opts out for loopback URLs only, where the in-repo simulator and local proxies
 * (`kubectl proxy`) listen and there is no TLS to verify; any other plain-HTTP server stays refused
 * (kube-config.ts `loadKubeTarget` refuses it first).
 */
function allowLoopbackHttp(kubeConfig: KubeConfig): void {
  const current = kubeConfig.getCurrentCluster();
  if (current === null || current.skipTLSVerify || !isLoopbackHttp(current.server)) return;
  kubeConfig.clusters = kubeConfig.clusters.map((cluster) =>
    cluster.name === current.name ? { ...cluster, skipTLSVerify: true } : cluster,
  );
}

export function fullKubeConfig(config: KubeAccessConfig): KubeConfig {
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
  return kubeConfig;
}
