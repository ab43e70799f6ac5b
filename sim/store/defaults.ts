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
