/**
 * What the lifecycle needs from the package side, written against the DMS contract
 * (/work/briefs/dms-contract.md): `dms/descriptor.ts` and `PackageRepository` of `dms/packages/`.
 *
 * Until the packages branch is merged these declarations mirror the contract's types field by field;
 * at merge they become re-exports of `dms/descriptor.ts` / `dms/packages/index.ts`. `PackageCatalog`
 * is the subset of `PackageRepository` the lifecycle calls, so the real repository satisfies it as is.
 */

export interface VnfDescriptor {
  readonly kind: 'vnfd' | 'asd' | 'chart';
  readonly vnfdId: string;
  readonly vnfProvider: string;
  readonly vnfProductName: string;
  readonly vnfSoftwareVersion: string;
  readonly vnfdVersion: string;
  /** Helm chart artifacts inside the package; charts[0] is the default `helm_chart_path` ('' for a bare chart). */
  readonly charts: readonly { readonly path: string; readonly name: string; readonly version: string }[];
  readonly vdus: readonly { readonly vduId: string; readonly name: string; readonly description?: string }[];
  readonly extCpds: readonly { readonly cpdId: string; readonly description?: string }[];
  readonly flavours: readonly DeploymentFlavour[];
}

export interface DeploymentFlavour {
  readonly flavourId: string;
  readonly description?: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly vdus: readonly {
    readonly vduId: string;
    readonly initialReplicas: number;
    readonly maxReplicas?: number;
    readonly replicaValue?: string;
  }[];
  readonly scalingAspects: readonly {
    readonly aspectId: string;
    readonly name?: string;
    readonly maxScaleLevel: number;
    readonly deltas: readonly { readonly vduId: string; readonly replicasPerStep: number }[];
  }[];
  readonly instantiationLevels: readonly {
    readonly levelId: string;
    readonly description?: string;
    readonly scaleLevels: Readonly<Record<string, number>>;
    readonly vduReplicas: Readonly<Record<string, number>>;
  }[];
  readonly defaultInstantiationLevelId?: string;
}

export interface PackageRecord {
  readonly id: string;
  readonly tenant: string | undefined;
  readonly onboardingState: 'CREATED' | 'UPLOADING' | 'PROCESSING' | 'ONBOARDED' | 'ERROR';
  readonly operationalState: 'ENABLED' | 'DISABLED';
  readonly usageState: 'IN_USE' | 'NOT_IN_USE';
  readonly userDefinedData: Readonly<Record<string, unknown>>;
  readonly descriptor?: VnfDescriptor;
  readonly checksum?: { readonly algorithm: 'SHA-256'; readonly hash: string };
  readonly onboardingFailureDetails?: {
    readonly status: number;
    readonly title: string;
    readonly detail: string;
  };
  readonly createdAt: string;
}

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
