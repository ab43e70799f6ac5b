/**
 * The built-in resources the simulator serves: the ones netweave, kubectl and Helm charts touch. Adding one
 * is a line here; storage, discovery, list/watch and patch work for it without further code.
 */
import type { ResourceType, ScaleSubresource } from './resource-type.ts';

export const STANDARD_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
] as const;

interface Entry {
  readonly plural: string;
  readonly kind: string;
  readonly namespaced?: boolean;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly status?: boolean;
  readonly scale?: ScaleSubresource;
  readonly generation?: boolean;
}

const REPLICAS: ScaleSubresource = {
  specReplicasPath: 'spec.replicas',
  statusReplicasPath: 'status.replicas',
  labelSelectorPath: 'spec.selector',
};

function define(group: string, version: string, entries: readonly Entry[]): ResourceType[] {
  return entries.map((e) => ({
    group,
    versions: [version],
    plural: e.plural,
    singular: e.kind.toLowerCase(),
    kind: e.kind,
    listKind: `${e.kind}List`,
    namespaced: e.namespaced ?? true,
    shortNames: e.shortNames ?? [],
    categories: e.categories ?? [],
    verbs: STANDARD_VERBS,
    statusSubresource: e.status ?? false,
    ...(e.scale === undefined ? {} : { scale: e.scale }),
    tracksGeneration: e.generation ?? false,
    custom: false,
  }));
}

export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  ...define('', 'v1', [
    { plural: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], status: true },
    { plural: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], status: true },
    { plural: 'pods', kind: 'Pod', shortNames: ['po'], categories: ['all'], status: true },
    { plural: 'services', kind: 'Service', shortNames: ['svc'], categories: ['all'], status: true },
    { plural: 'endpoints', kind: 'Endpoints', shortNames: ['ep'] },
    { plural: 'secrets', kind: 'Secret' },
    { plural: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] },
    { plural: 'events', kind: 'Event', shortNames: ['ev'] },
    { plural: 'serviceaccounts', kind: 'ServiceAccount', shortNames: ['sa'] },
    { plural: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', shortNames: ['pvc'], status: true },
    {
      plural: 'persistentvolumes',
      kind: 'PersistentVolume',
      namespaced: false,
      shortNames: ['pv'],
      status: true,
    },
    { plural: 'resourcequotas', kind: 'ResourceQuota', shortNames: ['quota'], status: true },
    { plural: 'limitranges', kind: 'LimitRange', shortNames: ['limits'] },
  ]),
  ...define('apps', 'v1', [
    {
      plural: 'deployments',
      kind: 'Deployment',
      shortNames: ['deploy'],
      categories: ['all'],
      status: true,
      scale: REPLICAS,
      generation: true,
    },
    {
      plural: 'statefulsets',
      kind: 'StatefulSet',
      shortNames: ['sts'],
      categories: ['all'],
      status: true,
      scale: REPLICAS,
      generation: true,
    },
    {
      plural: 'daemonsets',
      kind: 'DaemonSet',
      shortNames: ['ds'],
      categories: ['all'],
      status: true,
      generation: true,
    },
    {
      plural: 'replicasets',
      kind: 'ReplicaSet',
      shortNames: ['rs'],
      categories: ['all'],
      status: true,
      scale: REPLICAS,
      generation: true,
    },
    { plural: 'controllerrevisions', kind: 'ControllerRevision' },
  ]),
  ...define('batch', 'v1', [
    { plural: 'jobs', kind: 'Job', categories: ['all'], status: true, generation: true },
    {
      plural: 'cronjobs',
      kind: 'CronJob',
      shortNames: ['cj'],
      categories: ['all'],
      status: true,
      generation: true,
    },
  ]),
  ...define('coordination.k8s.io', 'v1', [{ plural: 'leases', kind: 'Lease' }]),
  ...define('networking.k8s.io', 'v1', [
    { plural: 'ingresses', kind: 'Ingress', shortNames: ['ing'], status: true, generation: true },
    { plural: 'networkpolicies', kind: 'NetworkPolicy', shortNames: ['netpol'], generation: true },
  ]),
  ...define('policy', 'v1', [
    {
      plural: 'poddisruptionbudgets',
      kind: 'PodDisruptionBudget',
      shortNames: ['pdb'],
      status: true,
      generation: true,
    },
  ]),
  ...define('rbac.authorization.k8s.io', 'v1', [
    { plural: 'roles', kind: 'Role' },
    { plural: 'rolebindings', kind: 'RoleBinding' },
    { plural: 'clusterroles', kind: 'ClusterRole', namespaced: false },
    { plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  ]),
  ...define('apiextensions.k8s.io', 'v1', [
    {
      plural: 'customresourcedefinitions',
      kind: 'CustomResourceDefinition',
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      status: true,
      generation: true,
    },
  ]),
];
