/** NF packages of the O2 DMS (docs/dms.md): parsing and verification, the package repository, samples. */
export type {
  ChartArtifact,
  DeploymentFlavour,
  DescriptorExtCpd,
  DescriptorKind,
  DescriptorVdu,
  FlavourVdu,
  InstantiationLevel,
  OnboardingFailureDetails,
  OnboardingState,
  PackageArtifact,
  PackageChecksum,
  PackageOperationalState,
  PackageRecord,
  PackageUsageState,
  ScalingAspect,
  VnfDescriptor,
} from '../descriptor.ts';
export { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from './limits.ts';
export { bareChartVnfdId, CHART_FOLDER, parsePackage, PROVIDER_ANNOTATIONS } from './parse-package.ts';
export { NETWEAVE_METADATA } from './vnfd.ts';
export { vnfdFilesOf, type VnfdFiles } from './vnfd-files.ts';
export {
  mergePatch,
  PACKAGE_CONTENT_COLLECTION,
  PACKAGES_COLLECTION,
  PackageRepository,
  type PackageModifications,
  type PackageRepositoryOptions,
} from './repository.ts';
export {
  buildCsarFromDirectory,
  buildSamplePackage,
  zipFiles,
  packChartDirectory,
  SAMPLE_PACKAGES,
  type SamplePackageName,
} from './samples.ts';
export {
  packageInfoOf,
  PackageTasks,
  parseCreateVnfPkgInfoRequest,
  parseVnfPkgInfoModifications,
  type PackageInfo,
  type PackageTenant,
} from './tasks.ts';
