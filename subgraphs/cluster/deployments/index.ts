/** Deployment execution of a cluster subgraph: the DMS job runner and its Helm and readiness parts. */
export { startDeploymentJobRunner } from './runner.ts';
export { releaseOperations, vduOfWorkload } from './operations.ts';
export type { ReleaseOperations, ReleaseOperationDeps } from './operations.ts';
export type { DeploymentJobRunner, DeploymentRunnerOptions, DeploymentRunnerSettings } from './runner.ts';
export { HelmCli, HelmError, Semaphore } from './helm-cli.ts';
export type { HelmRevision } from './helm-cli.ts';
export { workloadStates, workloadsOfManifest } from './readiness.ts';
export type { ReleaseWorkload, WorkloadState, WorkloadView } from './readiness.ts';
export { instantiationValues, setPath } from './values.ts';
