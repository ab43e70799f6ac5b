/**
 * The stored forms of SOL003 VNF instances and VNF LCM operation occurrences (collections
 * `dms-instances` and `dms-occurrences`). Field names follow SOL003 VnfInstance / VnfLcmOpOcc; the
 * fields after the SOL003 ones are netweave's bookkeeping and never leave the domain as such (the REST
 * views pick the SOL003 fields).
 */
import { seesCluster, type ScopeLike, type StoredScope } from '../../common/tenancy.ts';

import { type StoredRecordKind, UNVERSIONED_TO_V1 } from '../../state/schema-versions.ts';

export const INSTANCES_COLLECTION = 'dms-instances';
export const OCCURRENCES_COLLECTION = 'dms-occurrences';

/** The stored forms of VNF instances and occurrences and their migrations (state/schema-versions.ts). */
export const DMS_INSTANCE_RECORDS: StoredRecordKind = {
  name: 'VNF instance',
  collection: INSTANCES_COLLECTION,
  migrations: [UNVERSIONED_TO_V1],
};
export const DMS_OCCURRENCE_RECORDS: StoredRecordKind = {
  name: 'VNF LCM operation occurrence',
  collection: OCCURRENCES_COLLECTION,
  migrations: [UNVERSIONED_TO_V1],
};

export const LCM_OPERATION_STATES = [
  'STARTING',
  'PROCESSING',
  'COMPLETED',
  'FAILED_TEMP',
  'FAILED',
  'ROLLING_BACK',
  'ROLLED_BACK',
] as const;
export type LcmOperationState = (typeof LCM_OPERATION_STATES)[number];

/** States after which nothing happens to an occurrence any more. */
export const FINAL_STATES: ReadonlySet<LcmOperationState> = new Set(['COMPLETED', 'FAILED', 'ROLLED_BACK']);
/** States in which some process is (or should be) working on the occurrence. */
export const RUNNING_STATES: ReadonlySet<LcmOperationState> = new Set([
  'STARTING',
  'PROCESSING',
  'ROLLING_BACK',
]);

/** SOL003 LcmOperationType values netweave runs (OPERATE is not offered: a Helm release has no stop). */
export const LCM_OPERATIONS = [
  'INSTANTIATE',
  'TERMINATE',
  'MODIFY_INFO',
  'SCALE',
  'SCALE_TO_LEVEL',
  'HEAL',
  'CHANGE_VNFPKG',
  'CHANGE_FLAVOUR',
  'CHANGE_EXT_CONN',
] as const;
export type LcmOperation = (typeof LCM_OPERATIONS)[number];

export const VNF_INSTANTIATION_STATES = ['NOT_INSTANTIATED', 'INSTANTIATED'] as const;
export type InstantiationState = (typeof VNF_INSTANTIATION_STATES)[number];

export type KeyValuePairs = Record<string, unknown>;

/** SOL003 VimConnectionInfo as stored: `accessInfo` is never kept (credentials stay with the cluster). */
export interface VimConnectionInfo {
  readonly vimId?: string;
  readonly vimType: string;
  readonly interfaceInfo?: KeyValuePairs;
  readonly extra?: KeyValuePairs;
}

export interface ProblemDetails {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
}

export interface ScaleInfo {
  readonly aspectId: string;
  readonly scaleLevel: number;
}

export interface ResourceHandle {
  readonly resourceId: string;
  readonly vimLevelResourceType?: string;
  readonly vimConnectionId?: string;
}

export interface VnfcResourceInfo {
  readonly id: string;
  readonly vduId: string;
  readonly computeResource: ResourceHandle;
  readonly metadata?: KeyValuePairs;
}

/** SOL003 VnfExtCpInfo, as far as a Helm release knows it (protocol data comes with change_ext_conn). */
export interface VnfExtCpInfo {
  readonly id: string;
  readonly cpdId: string;
  readonly cpConfigId: string;
  readonly cpProtocolInfo: readonly KeyValuePairs[];
  readonly associatedVnfVirtualLinkId?: string;
}

export interface InstantiatedVnfInfo {
  readonly flavourId: string;
  readonly vnfState: 'STARTED' | 'STOPPED';
  readonly extCpInfo?: readonly VnfExtCpInfo[];
  readonly scaleStatus?: readonly ScaleInfo[];
  readonly maxScaleLevels?: readonly ScaleInfo[];
  readonly instantiationLevelId?: string;
  readonly vnfcResourceInfo?: readonly VnfcResourceInfo[];
  /** SOL003 ExtVirtualLinkInfo, recorded by change_ext_conn. */
  readonly extVirtualLinkInfo?: readonly KeyValuePairs[];
  readonly metadata?: KeyValuePairs;
}

export interface VnfInstanceRecord {
  readonly id: string;
  readonly vnfInstanceName?: string;
  readonly vnfInstanceDescription?: string;
  readonly vnfdId: string;
  readonly vnfProvider: string;
  readonly vnfProductName: string;
  readonly vnfSoftwareVersion: string;
  readonly vnfdVersion: string;
  readonly vnfConfigurableProperties?: KeyValuePairs;
  readonly vimConnectionInfo?: Readonly<Record<string, VimConnectionInfo>>;
  readonly instantiationState: InstantiationState;
  readonly instantiatedVnfInfo?: InstantiatedVnfInfo;
  readonly metadata?: KeyValuePairs;
  readonly extensions?: KeyValuePairs;
  // --- netweave bookkeeping ---
  /** The package the instance was created from (vnfdId names a VNFD; this names the on-boarded package). */
  readonly vnfPkgId: string;
  /** The creating tenant; '*' for operators. */
  readonly tenant: string;
  /** The owning cluster: implied by the apiRoot at creation, or chosen by vimConnectionInfo at instantiation. */
  readonly clusterId?: string;
  /** Helm release of the instance: derived from the id, stable for the instance's life. */
  readonly releaseName: string;
  /** Namespace of the release, fixed at instantiation. */
  readonly namespace?: string;
  /** The occurrence that is not final yet (at most one per instance); set while it runs or waits in FAILED_TEMP. */
  readonly activeOccurrenceId?: string;
  readonly createdAt: string;
}

export interface AffectedVnfc {
  readonly id: string;
  readonly vduId: string;
  readonly changeType: 'ADDED' | 'REMOVED' | 'MODIFIED' | 'TEMPORARY';
  readonly computeResource: ResourceHandle;
  readonly metadata?: KeyValuePairs;
}

/** What the job runner knows about the release (kept for retry, rollback and later day-2 operations). */
export interface HelmExecution {
  readonly releaseName: string;
  readonly namespace: string;
  /** The release's deployed revision before this occurrence (absent: there was no release). */
  readonly revisionBefore?: number;
  /** The revision this occurrence made. */
  readonly revision?: number;
  /** Chart path inside the package and the values given to Helm (for day-2 reuse). */
  readonly chartPath?: string;
}

export interface OccurrenceRecord {
  readonly id: string;
  readonly operationState: LcmOperationState;
  readonly stateEnteredTime: string;
  readonly startTime: string;
  readonly vnfInstanceId: string;
  readonly operation: LcmOperation;
  readonly isAutomaticInvocation: boolean;
  readonly operationParams?: KeyValuePairs;
  readonly isCancelPending: boolean;
  readonly error?: ProblemDetails;
  readonly resourceChanges?: { readonly affectedVnfcs?: readonly AffectedVnfc[] };
  readonly changedInfo?: KeyValuePairs;
  // --- netweave bookkeeping ---
  readonly tenant: string;
  readonly clusterId?: string;
  /** Incremented by every retry and rollback; a job names the attempt it was queued for. */
  readonly attempt: number;
  readonly execution?: HelmExecution;
  /** Set with isCancelPending by a cancel request (SOL003 CancelMode). */
  readonly cancelMode?: 'GRACEFUL' | 'FORCEFUL';
}

export function isFinal(state: LcmOperationState): boolean {
  return FINAL_STATES.has(state);
}

/** `nf-` and the first 12 hex digits of the instance id: a DNS label Helm accepts, stable and short. */
export function releaseNameOf(instanceId: string): string {
  return `nf-${instanceId.replace(/-/g, '').slice(0, 12).toLowerCase()}`;
}

/** Who is asking, and through which apiRoot: the tenant ('*' = every tenant) and the implied cluster. */
export interface LifecycleScope extends StoredScope {
  readonly tenant: string;
  /** Set on `/o2dms/{deploymentManagerId}`: only this cluster's records exist there. */
  readonly clusterId?: string;
}

/** The caller's clusters/namespaces as common/tenancy.ts checks them. */
export function tenancyOf(scope: LifecycleScope): ScopeLike {
  return { name: scope.tenant, clusters: scope.clusters, namespaces: scope.namespaces };
}

export function visibleIn(scope: LifecycleScope, record: { tenant: string; clusterId?: string }): boolean {
  if (scope.tenant !== '*' && record.tenant !== scope.tenant) return false;
  // Tenant scoping: records on a cluster the caller may no longer see are gone for it.
  if (record.clusterId !== undefined && !seesCluster(tenancyOf(scope), record.clusterId)) return false;
  return scope.clusterId === undefined || record.clusterId === scope.clusterId;
}
