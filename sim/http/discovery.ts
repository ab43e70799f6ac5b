/**
 * Discovery documents (`/version`, `/api`, `/apis`, `/api/v1`, `/apis/{g}[/{v}]`), generated from the
 * registry on every request so a new CRD is discoverable at once. Both the legacy form and the aggregated
 * `apidiscovery.k8s.io/v2` form kubectl 1.30+ asks for first are served.
 */
import type { ResourceRegistry } from '../resources/registry.ts';
import type { ResourceType } from '../resources/resource-type.ts';
import { joinApiVersion } from '../types.ts';

export const AGGREGATED_DISCOVERY_TYPE =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

const SUBRESOURCE_VERBS = ['get', 'patch', 'update'];

export function versionInfo(kubernetesVersion: string): Record<string, string> {
  const gitVersion = kubernetesVersion.startsWith('v') ? kubernetesVersion : `v${kubernetesVersion}`;
  const match = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: match?.[1] ?? '1',
    minor: match?.[2] ?? '0',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-01-01T00:00:00Z',
    goVersion: 'go1.22.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(name: string, versions: readonly string[]): Record<string, unknown> {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map((g) => groupEntry(g.name, g.versions)),
  };
}

export function apiGroup(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const found = registry.groups().find((g) => g.name === group);
  return found && { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(found.name, found.versions) };
}

function resourceEntries(type: ResourceType): Array<Record<string, unknown>> {
  const main: Record<string, unknown> = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.verbs,
  };
  if (type.shortNames.length > 0) main['shortNames'] = type.shortNames;
  if (type.categories.length > 0) main['categories'] = type.categories;
  const entries = [main];
  if (type.statusSubresource) {
    entries.push({
      name: `${type.plural}/status`,
      singularName: '',
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: SUBRESOURCE_VERBS,
    });
  }
  if (type.scale !== undefined) {
    entries.push({
      name: `${type.plural}/scale`,
      singularName: '',
      namespaced: type.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: SUBRESOURCE_VERBS,
    });
  }
  return entries;
}

export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: joinApiVersion(group, version),
    resources: types.flatMap(resourceEntries),
  };
}

function discoveryResource(type: ResourceType, version: string): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    resource: type.plural,
    responseKind: { group: type.group, version, kind: type.kind },
    scope: type.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: type.singular,
    verbs: type.verbs,
  };
  if (type.shortNames.length > 0) entry['shortNames'] = type.shortNames;
  if (type.categories.length > 0) entry['categories'] = type.categories;
  const subresources: Array<Record<string, unknown>> = [];
  if (type.statusSubresource) {
    subresources.push({
      subresource: 'status',
      responseKind: { group: type.group, version, kind: type.kind },
      verbs: SUBRESOURCE_VERBS,
    });
  }
  if (type.scale !== undefined) {
    subresources.push({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: SUBRESOURCE_VERBS,
    });
  }
  if (subresources.length > 0) entry['subresources'] = subresources;
  return entry;
}

function discoveryGroup(
  registry: ResourceRegistry,
  name: string,
  versions: readonly string[],
): Record<string, unknown> {
  return {
    metadata: { name },
    versions: versions.map((version) => ({
      version,
      resources: registry.inGroupVersion(name, version).map((t) => discoveryResource(t, version)),
      freshness: 'Current',
    })),
  };
}

/** The aggregated document for `/api` (core only) or `/apis` (every named group). */
export function aggregatedDiscovery(registry: ResourceRegistry, legacy: boolean): Record<string, unknown> {
  const items = legacy
    ? [discoveryGroup(registry, '', ['v1'])]
    : registry.groups().map((g) => discoveryGroup(registry, g.name, g.versions));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

/** True when the client lists the v2 aggregated discovery media type in Accept. */
export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  return accept !== undefined && /g=apidiscovery\.k8s\.io;\s*v=v2(?!beta)/.test(accept.replace(/\s+/g, ''));
}
