/**
 * Which cluster an instance runs on. On the global apiRoot `/o2dms` the SOL003 `vimConnectionInfo`
 * chooses it: `vimId` is the O2 deploymentManagerId of a cluster. On `/o2dms/{deploymentManagerId}` the
 * cluster is implied, and a vimId naming another cluster is a contradiction (422).
 */
import { DmsError } from '../errors.ts';
import type { VimConnectionInfo } from './records.ts';

/** vimType values that mean "a Kubernetes cluster driven with Helm" (ETSI registry, Tacker, O-RAN). */
export const ACCEPTED_VIM_TYPES: readonly string[] = [
  'CISM',
  'ETSINFV.HELM.V_3',
  'ETSINFV.KUBERNETES.V_1',
  'kubernetes',
];

export interface DeploymentManagerDirectory {
  /** The cluster whose deployment manager has this id; undefined when no registered cluster has it. */
  clusterOf(deploymentManagerId: string): string | undefined;
  /** The deploymentManagerId of a cluster (for vimId defaults and links). */
  deploymentManagerOf(clusterId: string): string;
}

/**
 * The cluster named by `vimConnectionInfo`, checked against the cluster already fixed (by the apiRoot or
 * by the instance). Returns undefined when nothing names one and nothing is fixed.
 */
export function resolveCluster(
  vimConnectionInfo: Readonly<Record<string, VimConnectionInfo>> | undefined,
  fixed: string | undefined,
  directory: DeploymentManagerDirectory,
): string | undefined {
  const named = new Set<string>();
  for (const [key, info] of Object.entries(vimConnectionInfo ?? {})) {
    if (!ACCEPTED_VIM_TYPES.includes(info.vimType)) {
      throw new DmsError(
        'UNPROCESSABLE',
        `vimConnectionInfo.${key}.vimType "${info.vimType.slice(0, 64)}" is not supported; use one of ${ACCEPTED_VIM_TYPES.join(', ')}`,
      );
    }
    if (info.vimId === undefined) continue;
    const clusterId = directory.clusterOf(info.vimId.toLowerCase());
    if (clusterId === undefined) {
      throw new DmsError(
        'UNPROCESSABLE',
        `vimConnectionInfo.${key}.vimId does not name a deployment manager of this O-Cloud`,
      );
    }
    named.add(clusterId);
  }
  if (named.size > 1)
    throw new DmsError('UNPROCESSABLE', 'vimConnectionInfo names deployment managers of several clusters');
  const [clusterId] = named;
  if (fixed !== undefined && clusterId !== undefined && clusterId !== fixed) {
    throw new DmsError(
      'UNPROCESSABLE',
      'vimConnectionInfo names another deployment manager than the one that owns this VNF instance',
    );
  }
  return fixed ?? clusterId;
}
