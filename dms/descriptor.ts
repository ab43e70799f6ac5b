/**
 * The normalised descriptor of an NF package (shared contract of packages and lifecycle, docs/dms.md).
 *
 * Whatever was uploaded — a SOL004 CSAR with a SOL001 VNFD, an O-RAN ASD CSAR or a bare Helm chart — is
 * reduced to this one shape when it is on-boarded, so the lifecycle never reads TOSCA: it instantiates
 * `charts[0]` (or the chart the request names) with the chosen flavour's values and replica counts.
 */

export type DescriptorKind = 'vnfd' | 'asd' | 'chart';

export interface ChartArtifact {
  /** Path of the chart `.tgz` inside the package; '' for a bare chart (the upload itself). */
  readonly path: string;
  /** `name` and `version` of the chart's Chart.yaml. */
  readonly name: string;
  readonly version: string;
}

export interface DescriptorVdu {
  /** The VDU node template name in the VNFD (e.g. `VDU1`). */
  readonly vduId: string;
  /** Its `name` property (Tacker maps resources named `<name>-…` to the VDU). */
  readonly name: string;
  readonly description?: string;
}

export interface DescriptorExtCpd {
  readonly cpdId: string;
  readonly description?: string;
}

export interface VnfDescriptor {
  /** SOL001 VNFD in a SOL004 CSAR | O-RAN ASD CSAR | bare chart .tgz. */
  readonly kind: DescriptorKind;
  readonly vnfdId: string;
  readonly vnfProvider: string;
  readonly vnfProductName: string;
  readonly vnfSoftwareVersion: string;
  readonly vnfdVersion: string;
  /** Helm chart artifacts inside the package; charts[0] is the default `helm_chart_path`. For a bare chart: path '' (the upload itself). */
  readonly charts: readonly ChartArtifact[];
  readonly vdus: readonly DescriptorVdu[];
  readonly extCpds: readonly DescriptorExtCpd[];
  /** A bare chart (and an ASD) has one flavour, 'default'. */
  readonly flavours: readonly DeploymentFlavour[];
}

export interface FlavourVdu {
  readonly vduId: string;
  readonly initialReplicas: number;
  readonly maxReplicas?: number;
  /** Dot path of the chart value that holds this VDU's replica count (e.g. 'replicaCountVdu1'). */
  readonly replicaValue?: string;
}

export interface ScalingAspect {
  readonly aspectId: string;
  readonly name?: string;
  readonly maxScaleLevel: number;
  readonly deltas: readonly { readonly vduId: string; readonly replicasPerStep: number }[];
}

export interface InstantiationLevel {
  readonly levelId: string;
  readonly description?: string;
  /** Scale level per aspect id at this instantiation level. */
  readonly scaleLevels: Readonly<Record<string, number>>;
  /** Replicas per VDU id at this instantiation level. */
  readonly vduReplicas: Readonly<Record<string, number>>;
}

export interface DeploymentFlavour {
  readonly flavourId: string;
  readonly description?: string;
  /** Helm values this flavour layers over the chart's defaults (netweave convention `netweave.helm.values`, docs/dms.md). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Per VDU: initial replicas and the chart value holding its replica count (dot path, e.g. 'replicaCountVdu1'). */
  readonly vdus: readonly FlavourVdu[];
  readonly scalingAspects: readonly ScalingAspect[];
  readonly instantiationLevels: readonly InstantiationLevel[];
  readonly defaultInstantiationLevelId?: string;
}

export type OnboardingState = 'CREATED' | 'UPLOADING' | 'PROCESSING' | 'ONBOARDED' | 'ERROR';
export type PackageOperationalState = 'ENABLED' | 'DISABLED';
export type PackageUsageState = 'IN_USE' | 'NOT_IN_USE';

export interface PackageChecksum {
  readonly algorithm: 'SHA-256';
  readonly hash: string;
}

export interface OnboardingFailureDetails {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
}

/** A file of the package other than a software image (SOL005 VnfPackageArtifactInfo): its Helm charts. */
export interface PackageArtifact {
  readonly artifactPath: string;
  readonly checksum: PackageChecksum;
}

export interface PackageRecord {
  readonly id: string;
  /** Tenant that created the package (undefined: created by an operator scope `*`). */
  readonly tenant: string | undefined;
  readonly onboardingState: OnboardingState;
  readonly operationalState: PackageOperationalState;
  readonly usageState: PackageUsageState;
  readonly userDefinedData: Readonly<Record<string, unknown>>;
  readonly descriptor?: VnfDescriptor;
  /** SHA-256 of the uploaded bytes, once ONBOARDED. */
  readonly checksum?: PackageChecksum;
  /** The chart archives of an on-boarded CSAR with their SHA-256 (netweave addition to the shared contract). */
  readonly additionalArtifacts?: readonly PackageArtifact[];
  readonly onboardingFailureDetails?: OnboardingFailureDetails;
  readonly createdAt: string;
}
