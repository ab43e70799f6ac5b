/**
 * O2 IMS node clusters (docs/provisioning.md "Node clusters"): one per cluster of the O-Cloud — configured or
 * provisioned — so a provisioning request's `provisionedResourceSet.nodeClusterId` resolves.
 */
import { uuidV5 } from '../o2/ids.ts';

export function nodeClusterIdOf(clusterId: string): string {
  return uuidV5(`node-cluster/${clusterId}`);
}

/** Every cluster is a Kubernetes cluster: one node cluster type. */
export const KUBERNETES_NODE_CLUSTER_TYPE_ID = uuidV5('node-cluster-type/kubernetes');

export interface NodeClusterView {
  readonly nodeClusterId: string;
  readonly clusterId: string;
  readonly name: string;
  readonly description: string;
  readonly nodeClusterTypeId: string;
  /** The provisioning request that made it (the consumer's id); null for a configured cluster. */
  readonly clientNodeClusterId: string | null;
  /** The template it was made from; null for a configured cluster. */
  readonly artifactResourceId: string | null;
  readonly provisioned: boolean;
}

export function nodeClusterOf(
  clusterId: string,
  provisionedBy: { readonly provisioningRequestId: string; readonly templateId: string | null } | undefined,
): NodeClusterView {
  return {
    nodeClusterId: nodeClusterIdOf(clusterId),
    clusterId,
    name: clusterId,
    description:
      provisionedBy === undefined
        ? `Kubernetes cluster ${clusterId} (configured)`
        : `Kubernetes cluster ${clusterId} (provisioned through Crossplane)`,
    nodeClusterTypeId: KUBERNETES_NODE_CLUSTER_TYPE_ID,
    clientNodeClusterId: provisionedBy?.provisioningRequestId ?? null,
    artifactResourceId: provisionedBy?.templateId ?? null,
    provisioned: provisionedBy !== undefined,
  };
}
