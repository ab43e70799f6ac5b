/**
 * The nodes of a cluster the composition function creates, from the composite's `spec.parameters`:
 * `nodeCount` nodes `<cluster>-node-01…` (default 1), each with `cpu` cores (default 8), `memory` (default
 * 32Gi) and the `pool` label value (default `general`), Ready, with a /24 pod CIDR each.
 */
import type { KubeObject } from '../types.ts';

export interface NodeParameters {
  readonly nodeCount?: unknown;
  readonly cpu?: unknown;
  readonly memory?: unknown;
  readonly pool?: unknown;
  readonly kubernetesVersion?: unknown;
}

const POOL_LABEL = 'netweave.io/pool';

function positiveInteger(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

export function simulatedNodes(cluster: string, parameters: NodeParameters): KubeObject[] {
  const count = Math.min(positiveInteger(parameters.nodeCount, 1), 250);
  const cpu = positiveInteger(parameters.cpu, 8);
  const memory = typeof parameters.memory === 'string' ? parameters.memory : '32Gi';
  const pool = typeof parameters.pool === 'string' ? parameters.pool : 'general';
  const version = typeof parameters.kubernetesVersion === 'string' ? parameters.kubernetesVersion : 'v1.31.2';
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return Array.from({ length: count }, (_, index) => {
    const name = `${cluster}-node-${String(index + 1).padStart(2, '0')}`;
    const resources = { cpu: String(cpu), memory, pods: '110', 'ephemeral-storage': '100Gi' };
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node-role.kubernetes.io/worker': '',
          [POOL_LABEL]: pool,
        },
      },
      spec: { podCIDR: `10.250.${index}.0/24`, podCIDRs: [`10.250.${index}.0/24`] },
      status: {
        capacity: resources,
        allocatable: resources,
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
          },
        ],
        addresses: [
          { type: 'InternalIP', address: `10.250.${index}.1` },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: {
          kubeletVersion: version,
          kubeProxyVersion: version,
          operatingSystem: 'linux',
          architecture: 'amd64',
          osImage: 'Ubuntu 22.04.4 LTS',
          kernelVersion: '5.15.0-105-generic',
          containerRuntimeVersion: 'containerd://1.7.13',
          machineID: '',
          systemUUID: '',
          bootID: '',
        },
      },
    };
  });
}
