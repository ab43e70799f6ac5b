/**
 * Configuration of one cluster subgraph (docs/architecture.md "The shape", "Kubernetes, real and simulated"). The gateway validates configuration centrally;
 * this module only declares the shape the cluster subgraph consumes.
 */
import type { SiteConfig } from '../../common/site.ts';

/** The label that groups nodes into O2 resource pools unless configured otherwise. */
export const DEFAULT_POOL_LABEL = 'netweave.io/pool';

/**
 * How to reach the Kubernetes API server: a kubeconfig file, an explicit endpoint and bearer token, or the
 * pod's own service account (in-cluster: KUBERNETES_SERVICE_HOST/PORT, the mounted token and CA).
 */
export type KubeAccessConfig =
  | { readonly kubeconfigPath: string; readonly context?: string }
  | {
      readonly server: string;
      readonly token?: string;
      /** Base64 PEM of the CA that signed the API server's certificate (a self-signed one's own). */
      readonly caData?: string;
    }
  | { readonly inCluster: true };

export interface ClusterSubgraphConfig {
  /** The cluster's id in netweave; every cluster-owned O2 id is derived from it (o2/ids.ts). */
  readonly clusterId: string;
  /** The O-Cloud this cluster belongs to (O2 `oCloudId` of the deployment manager). */
  readonly oCloudId: string;
  readonly site: SiteConfig;
  /** Node label whose value names the node's resource pool; DEFAULT_POOL_LABEL when absent. */
  readonly poolLabel?: string;
  readonly kube: KubeAccessConfig;
  /**
   * Staleness bound: once no watch on the Kubernetes API has been open for this long, the subgraph's answers
   * (still from its cache) are marked stale, and the gateway reports the cluster in Netweave-Partial-Result
   * with `reason="stale"`. DEFAULT_STALENESS_SECONDS when absent.
   */
  readonly stalenessSeconds?: number;
}

export const DEFAULT_STALENESS_SECONDS = 60;
