/** What the simulator knows about one served resource (a built-in or one defined by a CRD). */
import type { ResourceRef } from '../errors.ts';

export interface ScaleSubresource {
  /** Dotted paths, e.g. `spec.replicas`. */
  readonly specReplicasPath: string;
  readonly statusReplicasPath: string;
  readonly labelSelectorPath?: string;
}

export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
  readonly format?: string;
}

export interface ResourceType extends ResourceRef {
  readonly group: string;
  /** Served versions, preferred first. Objects are stored once and served in any of them. */
  readonly versions: readonly string[];
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
  /** Writes to the main resource keep `status`; `/status` writes change only `status`. */
  readonly statusSubresource: boolean;
  readonly scale?: ScaleSubresource;
  /** metadata.generation counts spec changes. */
  readonly tracksGeneration: boolean;
  /** Defined by a CRD: strategic merge patch is refused (415), as on a real server. */
  readonly custom: boolean;
  readonly printerColumns?: readonly PrinterColumn[];
}

/** The key objects of one resource are stored under, independent of the version they are served in. */
export function groupKindKey(group: string, kind: string): string {
  return `${kind}.${group}`;
}
