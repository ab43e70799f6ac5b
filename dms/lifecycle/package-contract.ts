/**
 * What the lifecycle needs from the package side: the descriptor and record types of `dms/descriptor.ts`,
 * and `PackageCatalog`, the subset of `PackageRepository` (dms/packages) the lifecycle and the job runner
 * call — so the lifecycle can be tested with a small stand-in and never depends on archive parsing.
 */
import type { PackageRecord } from '../descriptor.ts';

export type { DeploymentFlavour, PackageRecord, VnfDescriptor } from '../descriptor.ts';

/** The part of the contract's `PackageRepository` that the lifecycle and the job runner use. */
export interface PackageCatalog {
  get(id: string): Promise<PackageRecord | undefined>;
  list(): Promise<PackageRecord[]>;
  /** The bytes of a file in the package (a chart .tgz by its path; '' = the upload itself for a bare chart). */
  readArtifact(id: string, path: string): Promise<Buffer | undefined>;
  setUsageState(id: string, usage: 'IN_USE' | 'NOT_IN_USE'): Promise<void>;
}

/** A catalog without packages: what a gateway has when no package repository is wired in. */
export const EMPTY_PACKAGE_CATALOG: PackageCatalog = {
  get: () => Promise.resolve(undefined),
  list: () => Promise.resolve([]),
  readArtifact: () => Promise.resolve(undefined),
  setUsageState: () => Promise.resolve(),
};
