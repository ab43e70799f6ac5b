/**
 * The resources a simulated cluster serves right now: the built-ins plus one per established CRD.
 * Lookups by (group, kind) serve the store; lookups by (group, version, plural) serve HTTP paths.
 */
import { BUILTIN_RESOURCES } from './catalog.ts';
import { compareVersions } from './crd.ts';
import type { ResourceType } from './resource-type.ts';
import { groupKindKey } from './resource-type.ts';
import { splitApiVersion } from '../types.ts';

export interface ApiGroupInfo {
  readonly name: string;
  readonly versions: readonly string[];
}

export class ResourceRegistry {
  private readonly byGroupKind = new Map<string, ResourceType>();
  private readonly byGroupPlural = new Map<string, ResourceType>();

  constructor(builtins: readonly ResourceType[] = BUILTIN_RESOURCES) {
    for (const type of builtins) this.add(type);
  }

  /** Registers (or replaces, when a CRD changes) a resource. */
  add(type: ResourceType): void {
    this.byGroupKind.set(groupKindKey(type.group, type.kind), type);
    this.byGroupPlural.set(`${type.plural}.${type.group}`, type);
  }

  remove(type: ResourceType): void {
    this.byGroupKind.delete(groupKindKey(type.group, type.kind));
    this.byGroupPlural.delete(`${type.plural}.${type.group}`);
  }

  /** A resource by the group and plural of its path, if it serves `version`. */
  byPath(group: string, version: string, plural: string): ResourceType | undefined {
    const type = this.byGroupPlural.get(`${plural}.${group}`);
    return type?.versions.includes(version) ? type : undefined;
  }

  byGroupAndPlural(group: string, plural: string): ResourceType | undefined {
    return this.byGroupPlural.get(`${plural}.${group}`);
  }

  /** A resource by the `apiVersion` and `kind` of an object, if that version is served. */
  byApiVersionKind(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    const type = this.byGroupKind.get(groupKindKey(group, kind));
    return type?.versions.includes(version) ? type : undefined;
  }

  all(): IterableIterator<ResourceType> {
    return this.byGroupKind.values();
  }

  /** The resources served in one group version, in registration order. */
  inGroupVersion(group: string, version: string): ResourceType[] {
    return [...this.byGroupKind.values()].filter((t) => t.group === group && t.versions.includes(version));
  }

  /** Named API groups (not the core group) with their versions, preferred first, in registration order. */
  groups(): ApiGroupInfo[] {
    const groups = new Map<string, string[]>();
    for (const type of this.byGroupKind.values()) {
      if (type.group === '') continue;
      const versions = groups.get(type.group) ?? [];
      for (const v of type.versions) if (!versions.includes(v)) versions.push(v);
      groups.set(type.group, versions);
    }
    return [...groups].map(([name, versions]) => ({ name, versions: versions.sort(compareVersions) }));
  }
}
