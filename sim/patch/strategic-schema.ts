/**
 * The list merge strategies of the built-in Kubernetes types, i.e. the `patchStrategy`/`patchMergeKey`
 * struct tags of k8s.io/api, keyed by field name and (where a name is ambiguous) its context. Only the
 * fields clients actually patch are listed; any other list is replaced, which is also what the real
 * server does for lists without tags.
 */

export type ListStrategy =
  { readonly kind: 'replace' } | { readonly kind: 'merge'; readonly key: string } | { readonly kind: 'set' };

export type StrategyResolver = (path: readonly string[]) => ListStrategy;

const REPLACE: ListStrategy = { kind: 'replace' };

const BY_FIELD: Readonly<Record<string, ListStrategy>> = {
  containers: { kind: 'merge', key: 'name' },
  initContainers: { kind: 'merge', key: 'name' },
  ephemeralContainers: { kind: 'merge', key: 'name' },
  env: { kind: 'merge', key: 'name' },
  volumeMounts: { kind: 'merge', key: 'mountPath' },
  volumeDevices: { kind: 'merge', key: 'devicePath' },
  volumes: { kind: 'merge', key: 'name' },
  imagePullSecrets: { kind: 'merge', key: 'name' },
  conditions: { kind: 'merge', key: 'type' },
  ownerReferences: { kind: 'merge', key: 'uid' },
  hostAliases: { kind: 'merge', key: 'ip' },
  topologySpreadConstraints: { kind: 'merge', key: 'topologyKey' },
  resourceClaims: { kind: 'merge', key: 'name' },
  schedulingGates: { kind: 'merge', key: 'name' },
  finalizers: { kind: 'set' },
};

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** The resolver for objects of `kind` (a few field names mean different things in different kinds). */
export function builtinStrategies(kind: string): StrategyResolver {
  return (path) => {
    const field = path[path.length - 1];
    const parent = path[path.length - 2];
    if (field === undefined) return REPLACE;
    if (field === 'ports') {
      if (parent !== undefined && CONTAINER_LISTS.has(parent)) return { kind: 'merge', key: 'containerPort' };
      if (kind === 'Service' && path.length === 2 && parent === 'spec') return { kind: 'merge', key: 'port' };
      return REPLACE;
    }
    if (field === 'addresses') {
      return kind === 'Node' && path.length === 2 && parent === 'status'
        ? { kind: 'merge', key: 'type' }
        : REPLACE;
    }
    if (field === 'finalizers')
      return path.length === 2 && parent === 'metadata' ? BY_FIELD['finalizers']! : REPLACE;
    return BY_FIELD[field] ?? REPLACE;
  };
}
