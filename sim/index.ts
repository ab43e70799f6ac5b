/**
 * The Kubernetes API simulator (docs/architecture.md "Kubernetes, real and simulated"): clusters that serve the real Kubernetes HTTP API on
 * loopback for tests and the demo, and scenarios that describe realistic clusters and a timeline of
 * injected changes.
 */
export type { KubeObject, ObjectMeta, OwnerReference } from './types.ts';
export type { SimObjectStore } from './store/object-store.ts';
export type { Fault, SimCluster, SimClusterOptions } from './cluster.ts';
export { startSimCluster } from './cluster.ts';
export { SimApiError } from './errors.ts';
export type { Status, StatusReason } from './errors.ts';
export type { ClusterScenario, Scenario, TimelineStep } from './scenario/types.ts';
export { loadScenario } from './scenario/load.ts';
export { startTimeline } from './scenario/timeline.ts';
export type { TimelineClock, TimelineOptions } from './scenario/timeline.ts';
export { kubeconfigPath, startScenario } from './scenario/start.ts';
export type { StartScenarioOptions } from './scenario/start.ts';
export type { WorkloadControllerOptions } from './controllers/workload-controllers.ts';
export { DEFAULT_POD_START_DELAY_MS } from './controllers/workload-controllers.ts';
export { READY_ANNOTATION } from './controllers/kubelet.ts';
export {
  startCompositionFunction,
  FAIL_ANNOTATION,
  KUBECONFIG_SECRET_KEY,
} from './crossplane/composition-function.ts';
export type { CompositionFunction, CompositionFunctionOptions } from './crossplane/composition-function.ts';
export { crossplaneCrds } from './crossplane/crds.ts';
