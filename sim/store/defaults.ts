/**
 * Fields the real control plane fills on create for a few kinds, so objects created through the simulator
 * look like the ones a cluster returns (kubectl and client-node read some of them).
 */
import type { KubeObject } from '../types.ts';
import { isPlainObject } from '../types.ts';

/**
 * Built-in kinds whose `spec` and `status` are non-optional structs: the real server always returns them
 * (as `{}` when empty), so clients may JSON-patch `/spec/...` on any of them.
 */
const WITH_SPEC_AND_STATUS = new Set([
  'Node',
  'Namespace',
  'Pod',
  'Service',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ResourceQuota',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Ingress',
  'PodDisruptionBudget',
]);

export function applyCreateDefaults(object: KubeObject, builtin: boolean): void {
  if (builtin && WITH_SPEC_AND_STATUS.has(object.kind)) {
    if (!isPlainObject(object['spec'])) object['spec'] = {};
    if (!isPlainObject(object['status'])) object['status'] = {};
  }
  switch (object.kind) {
    case 'Namespace': {
      const name = object.metadata.name;
      object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': name };
      const spec = isPlainObject(object['spec']) ? object['spec'] : {};
      object['spec'] = { finalizers: ['kubernetes'], ...spec };
      object['status'] = { phase: 'Active' };
      break;
    }
    case 'Pod':
      // No scheduler or kubelet runs in the simulator: a pod created without a status stays Pending.
      if (!isPlainObject(object['status']) || Object.keys(object['status']).length === 0)
        object['status'] = { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    case 'Secret':
      if (object['type'] === undefined) object['type'] = 'Opaque';
      break;
    default:
      break;
  }
}

/** The spec fields the API server defaults on apps workloads (not their pod templates), as the real one. */
const WORKLOAD_SPEC_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  Deployment: {
    replicas: 1,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
  StatefulSet: {
    replicas: 1,
    podManagementPolicy: 'OrderedReady',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    revisionHistoryLimit: 10,
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
  },
  DaemonSet: {
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    revisionHistoryLimit: 10,
  },
  ReplicaSet: { replicas: 1 },
};

/**
 * Fills the defaulted spec fields of built-in apps workloads that a write leaves out, on every create
 * and update (the real server defaults whenever it decodes an object), so `kubectl rollout status`
 * finds a strategy and an update that omits them changes nothing. Copy-on-write: `object.spec` may be
 * a frozen stored value and is replaced, never mutated.
 */
export function applyWorkloadDefaults(object: KubeObject): void {
  const defaults = object.apiVersion.startsWith('apps/') ? WORKLOAD_SPEC_DEFAULTS[object.kind] : undefined;
  if (defaults === undefined || !isPlainObject(object['spec'])) return;
  const spec = object['spec'];
  const missing = Object.entries(defaults).filter(([field]) => spec[field] === undefined);
  // A strategy given without its rollingUpdate parameters gets them too.
  const strategyField = object.kind === 'Deployment' ? 'strategy' : 'updateStrategy';
  const strategy = spec[strategyField];
  const fill: Record<string, unknown> = Object.fromEntries(missing.map(([k, v]) => [k, structuredClone(v)]));
  if (
    isPlainObject(strategy) &&
    (strategy['type'] === undefined || strategy['type'] === 'RollingUpdate') &&
    strategy['rollingUpdate'] === undefined
  ) {
    fill[strategyField] = structuredClone(defaults[strategyField]);
  }
  if (Object.keys(fill).length > 0) object['spec'] = { ...spec, ...fill };
}
