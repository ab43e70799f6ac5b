/**
 * Node conditions as a kubelet and the node lifecycle controller report them. Shared by the fixture
 * expansion (healthy nodes) and the timeline (nodes going NotReady and coming back).
 */

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

/** The healthy state of every condition a kubelet reports. */
export const HEALTHY: Readonly<Record<string, Omit<NodeCondition, 'type'>>> = {
  NetworkUnavailable: { status: 'False', reason: 'CalicoIsUp', message: 'Calico is running on this node' },
  MemoryPressure: {
    status: 'False',
    reason: 'KubeletHasSufficientMemory',
    message: 'kubelet has sufficient memory available',
  },
  DiskPressure: {
    status: 'False',
    reason: 'KubeletHasNoDiskPressure',
    message: 'kubelet has no disk pressure',
  },
  PIDPressure: {
    status: 'False',
    reason: 'KubeletHasSufficientPID',
    message: 'kubelet has sufficient PID available',
  },
  Ready: { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
};

export function healthyConditions(): NodeCondition[] {
  return Object.entries(HEALTHY).map(([type, c]) => ({ type, ...c }));
}

/** What the node lifecycle controller writes when a kubelet stops reporting (NetworkUnavailable is kept). */
export const UNREACHABLE: Omit<NodeCondition, 'type'> = {
  status: 'Unknown',
  reason: 'NodeStatusUnknown',
  message: 'Kubelet stopped posting node status.',
};

/** Taints the node lifecycle controller adds to an unreachable node. */
export const UNREACHABLE_TAINT_KEY = 'node.kubernetes.io/unreachable';

export const CONTROL_PLANE_TAINT = {
  key: 'node-role.kubernetes.io/control-plane',
  effect: 'NoSchedule',
} as const;
