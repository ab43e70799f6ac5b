/**
 * The SOL003 VNF lifecycle of netweave's O2 DMS: VNF instances and their LCM operation occurrences,
 * with the occurrence state machine
 *
 *     STARTING → PROCESSING → COMPLETED
 *                           ↘ FAILED_TEMP → (retry) PROCESSING | (rollback) ROLLING_BACK → ROLLED_BACK
 *                                         → (fail) FAILED
 *
 * One non-final occurrence per instance (`activeOccurrenceId`, set by compare-and-set on the instance
 * record, so two replicas never both start one). Work that needs Helm becomes a job on the owning
 * cluster's queue (jobs.ts); the cluster subgraph's runner drives it to its end state (ledger.ts).
 * Everything a client did wrong is a DmsError (400/404/409/412/422).
 */
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../../state/store.ts';
import { withSchemaVersion } from '../../state/schema-versions.ts';
import { DMS_INSTANCE_RECORDS, DMS_OCCURRENCE_RECORDS } from './records.ts';
import { DmsError } from '../errors.ts';
import { Day2Tasks } from './day2-service.ts';
import { seesCluster, seesNamespace } from '../../common/tenancy.ts';
import { DmsJobQueue } from './jobs.ts';
import { PolicyStore } from './policy-store.ts';
import { LifecycleLedger } from './ledger.ts';
import type { PackageCatalog, PackageRecord } from './package-contract.ts';
import { resolveCluster, type DeploymentManagerDirectory } from './placement.ts';
import {
  releaseNameOf,
  tenancyOf,
  visibleIn,
  type LcmOperation,
  type KeyValuePairs,
  type LifecycleScope,
  type OccurrenceRecord,
  type ProblemDetails,
  type VimConnectionInfo,
  type VnfInstanceRecord,
} from './records.ts';
import {
  isPlainObject,
  mergePatch,
  type CreateVnfRequest,
  type InstantiateVnfRequest,
  type TerminateVnfRequest,
  type VnfInfoModificationRequest,
} from './requests.ts';

export interface LifecycleServiceOptions {
  readonly store: StateStore;
  readonly packages: PackageCatalog;
  readonly deploymentManagers: DeploymentManagerDirectory;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

export interface VersionedInstance {
  readonly instance: VnfInstanceRecord;
  /** The store version: the ETag of the instance. */
  readonly version: number;
}

/** The active-occurrence marker of an instance being deleted. */
const DELETING = 'deleting';

function notFound(kind: 'VNF instance' | 'VNF LCM operation occurrence', id: string): DmsError {
  return new DmsError('NOT_FOUND', `${kind} ${id} was not found`);
}

function busy(instance: VnfInstanceRecord): DmsError {
  return new DmsError(
    'CONFLICT',
    `VNF instance ${instance.id} has an unfinished LCM operation occurrence (${instance.activeOccurrenceId ?? ''}); wait for it, or retry, roll back or fail it`,
  );
}

export class LifecycleService {
  readonly ledger: LifecycleLedger;
  readonly jobs: DmsJobQueue;
  private readonly packages: PackageCatalog;
  private readonly directory: DeploymentManagerDirectory;
  private readonly newId: () => string;
  /** scale, scale_to_level, heal, change_vnfpkg, change_flavour, change_ext_conn, cancel (day2-service.ts). */
  readonly day2: Day2Tasks;
  /** Only to drop a deleted instance's admitted usage (policy is evaluated by the job runners). */
  private readonly policies: PolicyStore;

  constructor(options: LifecycleServiceOptions) {
    const now = options.now ?? (() => new Date());
    this.ledger = new LifecycleLedger(options.store, now);
    this.jobs = new DmsJobQueue(options.store, now);
    this.packages = options.packages;
    this.directory = options.deploymentManagers;
    this.newId = options.newId ?? randomUUID;
    this.policies = new PolicyStore(options.store);
    this.day2 = new Day2Tasks({
      ledger: this.ledger,
      packages: this.packages,
      getInstance: (scope, id) => this.getInstance(scope, id),
      getOccurrence: (scope, id) => this.getOccurrence(scope, id),
      packageForVnfd: (scope, vnfdId) => this.packageForVnfd(scope, vnfdId),
      startOccurrence: (...args) => this.startOccurrence(...args),
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Instances

  async createInstance(scope: LifecycleScope, request: CreateVnfRequest): Promise<VnfInstanceRecord> {
    const pkg = await this.packageForVnfd(scope, request.vnfdId);
    const descriptor = pkg.descriptor!;
    const id = this.newId();
    const instance: VnfInstanceRecord = {
      id,
      ...(request.vnfInstanceName === undefined ? {} : { vnfInstanceName: request.vnfInstanceName }),
      ...(request.vnfInstanceDescription === undefined
        ? {}
        : { vnfInstanceDescription: request.vnfInstanceDescription }),
      vnfdId: descriptor.vnfdId,
      vnfProvider: descriptor.vnfProvider,
      vnfProductName: descriptor.vnfProductName,
      vnfSoftwareVersion: descriptor.vnfSoftwareVersion,
      vnfdVersion: descriptor.vnfdVersion,
      instantiationState: 'NOT_INSTANTIATED',
      ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
      vnfPkgId: pkg.id,
      tenant: scope.tenant,
      ...(scope.clusterId === undefined ? {} : { clusterId: scope.clusterId }),
      releaseName: releaseNameOf(id),
      createdAt: this.ledger.timestamp(),
    };
    if (!(await this.ledger.instances.create(id, withSchemaVersion(DMS_INSTANCE_RECORDS, instance))))
      throw new DmsError('CONFLICT', `VNF instance ${id} exists already`);
    await this.ledger.instanceCreated(instance);
    await this.packages.setUsageState(pkg.id, 'IN_USE');
    return instance;
  }

  async getInstance(scope: LifecycleScope, id: string): Promise<VersionedInstance> {
    const found = await this.ledger.instances.getVersioned(id);
    if (found === undefined || !visibleIn(scope, found.value)) throw notFound('VNF instance', id);
    return { instance: found.value, version: found.version };
  }

  async listInstances(scope: LifecycleScope): Promise<VnfInstanceRecord[]> {
    return (await this.ledger.instances.list()).map((e) => e.doc).filter((doc) => visibleIn(scope, doc));
  }

  async deleteInstance(scope: LifecycleScope, id: string): Promise<void> {
    const { instance, version } = await this.getInstance(scope, id);
    if (instance.instantiationState === 'INSTANTIATED')
      throw new DmsError('CONFLICT', `VNF instance ${id} is INSTANTIATED; terminate it first`);
    if (instance.activeOccurrenceId !== undefined) throw busy(instance);
    // Claimed first by compare-and-set (as an operation would be), so an instantiation racing the
    // delete either wins (the delete answers 409) or finds the instance busy and answers 409 itself.
    const claimed: VnfInstanceRecord = { ...instance, activeOccurrenceId: DELETING };
    if (!(await this.ledger.instances.replaceIfVersion(id, claimed, version)))
      throw new DmsError('CONFLICT', `VNF instance ${id} changed meanwhile; read it and try again`);
    await this.ledger.instances.delete(id);
    await this.policies.forgetUsage(id);
    await this.ledger.instanceDeleted(instance);
    const stillUsed = (await this.ledger.instances.list()).some((e) => e.doc.vnfPkgId === instance.vnfPkgId);
    if (!stillUsed) await this.packages.setUsageState(instance.vnfPkgId, 'NOT_IN_USE').catch(() => undefined);
  }

  /** PATCH: a MODIFY_INFO occurrence that completes at once (nothing runs on the cluster). */
  async modifyInfo(
    scope: LifecycleScope,
    id: string,
    request: VnfInfoModificationRequest,
    ifMatchVersion?: number,
  ): Promise<OccurrenceRecord> {
    const { instance: seen } = await this.getInstance(scope, id);
    if (request.vnfPkgId !== undefined && request.vnfPkgId !== seen.vnfPkgId) {
      throw new DmsError(
        'UNPROCESSABLE',
        'vnfPkgId can only be changed by a change of the current VNF package (change_vnfpkg)',
      );
    }
    const startTime = this.ledger.timestamp();
    const occurrenceId = this.newId();
    let changedInfo: KeyValuePairs = {};
    let clusterId = seen.clusterId;
    let failure: DmsError | undefined;
    const decide = (current: VnfInstanceRecord): VnfInstanceRecord | undefined => {
      failure = undefined;
      if (current.activeOccurrenceId !== undefined) {
        failure = busy(current);
        return undefined;
      }
      const next = this.applyModifications(current, request);
      if (next instanceof DmsError) {
        failure = next;
        return undefined;
      }
      changedInfo = next.changedInfo;
      clusterId = next.instance.clusterId;
      return next.instance;
    };
    if (ifMatchVersion === undefined) {
      const written = await this.ledger.update(this.ledger.instances, id, decide);
      if (written === undefined) throw notFound('VNF instance', id);
    } else {
      // If-Match: one compare-and-set against exactly the version the client saw.
      const current = await this.getInstance(scope, id);
      const stale = (): DmsError =>
        new DmsError('PRECONDITION_FAILED', `VNF instance ${id} has changed since that ETag`);
      if (current.version !== ifMatchVersion) throw stale();
      const next = decide(current.instance);
      if (next !== undefined && !(await this.ledger.instances.replaceIfVersion(id, next, ifMatchVersion)))
        throw stale();
    }
    if (failure !== undefined) throw failure;
    const occurrence: OccurrenceRecord = {
      id: occurrenceId,
      operationState: 'COMPLETED',
      stateEnteredTime: this.ledger.timestamp(),
      startTime,
      vnfInstanceId: id,
      operation: 'MODIFY_INFO',
      isAutomaticInvocation: false,
      operationParams: stripAccessInfo({ ...request }),
      isCancelPending: false,
      changedInfo,
      tenant: seen.tenant,
      // The instance's cluster after the patch (a PATCH may be what binds it to one).
      ...(clusterId === undefined ? {} : { clusterId }),
      attempt: 1,
    };
    await this.ledger.occurrences.put(occurrenceId, withSchemaVersion(DMS_OCCURRENCE_RECORDS, occurrence));
    // Applied at once: the START and RESULT notifications SOL003 expects, back to back.
    await this.ledger.occurrenceChanged({
      ...occurrence,
      operationState: 'STARTING',
      stateEnteredTime: startTime,
    });
    await this.ledger.occurrenceChanged(occurrence);
    return occurrence;
  }

  private applyModifications(
    current: VnfInstanceRecord,
    request: VnfInfoModificationRequest,
  ): { instance: VnfInstanceRecord; changedInfo: KeyValuePairs } | DmsError {
    const next: Record<string, unknown> = { ...current };
    const changedInfo: KeyValuePairs = {};
    for (const name of ['vnfInstanceName', 'vnfInstanceDescription'] as const) {
      const value = request[name];
      if (value === undefined) continue;
      if (value === null) Reflect.deleteProperty(next, name);
      else next[name] = value;
      changedInfo[name] = value;
    }
    for (const name of ['vnfConfigurableProperties', 'metadata', 'extensions'] as const) {
      const value = request[name];
      if (value === undefined) continue;
      const merged = mergePatch(current[name], value);
      if (isPlainObject(merged) && Object.keys(merged).length > 0) next[name] = merged;
      else Reflect.deleteProperty(next, name);
      changedInfo[name] = value;
    }
    if (request.vimConnectionInfo !== undefined) {
      const merged = mergePatch(current.vimConnectionInfo, request.vimConnectionInfo) as
        Record<string, VimConnectionInfo> | undefined;
      const map = isPlainObject(merged) && Object.keys(merged).length > 0 ? merged : undefined;
      try {
        const clusterId = resolveCluster(map, current.clusterId, this.directory);
        if (clusterId !== undefined && current.clusterId === undefined) next['clusterId'] = clusterId;
      } catch (error) {
        if (error instanceof DmsError) return error;
        throw error;
      }
      if (map === undefined) Reflect.deleteProperty(next, 'vimConnectionInfo');
      else next['vimConnectionInfo'] = map;
      changedInfo['vimConnectionInfo'] = request.vimConnectionInfo;
    }
    return { instance: next as unknown as VnfInstanceRecord, changedInfo };
  }

  // ---------------------------------------------------------------------------------------------
  // Tasks

  async instantiate(
    scope: LifecycleScope,
    id: string,
    request: InstantiateVnfRequest,
  ): Promise<OccurrenceRecord> {
    const { instance } = await this.getInstance(scope, id);
    if (instance.instantiationState === 'INSTANTIATED')
      throw new DmsError('CONFLICT', `VNF instance ${id} is INSTANTIATED already`);
    if (instance.activeOccurrenceId !== undefined) throw busy(instance);
    const pkg = await this.packages.get(instance.vnfPkgId);
    if (pkg?.descriptor === undefined || pkg.onboardingState !== 'ONBOARDED')
      throw new DmsError('UNPROCESSABLE', `the VNF package of VNF instance ${id} is no longer available`);
    if (pkg.operationalState !== 'ENABLED')
      throw new DmsError('UNPROCESSABLE', `the VNF package ${pkg.id} is DISABLED`);
    const flavour = pkg.descriptor.flavours.find((f) => f.flavourId === request.flavourId);
    if (flavour === undefined)
      throw new DmsError(
        'INVALID',
        `flavourId "${request.flavourId.slice(0, 64)}" is not a flavour of the VNFD`,
      );
    if (
      request.instantiationLevelId !== undefined &&
      !flavour.instantiationLevels.some((l) => l.levelId === request.instantiationLevelId)
    ) {
      throw new DmsError('INVALID', 'instantiationLevelId is not an instantiation level of the flavour');
    }
    const chartPath = request.additionalParams?.['helm_chart_path'];
    if (typeof chartPath === 'string' && !pkg.descriptor.charts.some((c) => c.path === chartPath)) {
      throw new DmsError(
        'INVALID',
        'additionalParams.helm_chart_path names no Helm chart of the VNF package',
      );
    }
    if (pkg.descriptor.charts.length === 0)
      throw new DmsError('UNPROCESSABLE', `the VNF package ${pkg.id} has no Helm chart`);
    const vimConnectionInfo =
      request.vimConnectionInfo === undefined
        ? instance.vimConnectionInfo
        : (mergePatch(instance.vimConnectionInfo, request.vimConnectionInfo) as Record<
            string,
            VimConnectionInfo
          >);
    const clusterId = resolveCluster(
      vimConnectionInfo,
      scope.clusterId ?? instance.clusterId,
      this.directory,
    );
    // A cluster outside the caller's tenant scope is answered like an unknown one (no existence leak).
    if (clusterId === undefined || !seesCluster(tenancyOf(scope), clusterId)) {
      throw new DmsError(
        'UNPROCESSABLE',
        'no cluster chosen: give vimConnectionInfo with the vimId of a deployment manager, or use the apiRoot /o2dms/{deploymentManagerId}',
      );
    }
    const namespace = request.additionalParams?.['namespace'];
    if (!seesNamespace(tenancyOf(scope), typeof namespace === 'string' ? namespace : 'default')) {
      throw new DmsError('UNPROCESSABLE', 'additionalParams.namespace is not a namespace of the tenant');
    }
    return this.startOccurrence(instance, 'INSTANTIATE', stripAccessInfo({ ...request }), clusterId, (i) => ({
      ...i,
      clusterId,
      ...(vimConnectionInfo === undefined ? {} : { vimConnectionInfo }),
      ...(request.extensions === undefined
        ? {}
        : { extensions: mergePatch(i.extensions, request.extensions) as KeyValuePairs }),
      ...(request.vnfConfigurableProperties === undefined
        ? {}
        : {
            vnfConfigurableProperties: mergePatch(
              i.vnfConfigurableProperties,
              request.vnfConfigurableProperties,
            ) as KeyValuePairs,
          }),
    }));
  }

  async terminate(
    scope: LifecycleScope,
    id: string,
    request: TerminateVnfRequest,
  ): Promise<OccurrenceRecord> {
    const { instance } = await this.getInstance(scope, id);
    if (instance.instantiationState !== 'INSTANTIATED')
      throw new DmsError('CONFLICT', `VNF instance ${id} is NOT_INSTANTIATED`);
    if (instance.activeOccurrenceId !== undefined) throw busy(instance);
    if (instance.clusterId === undefined) throw new Error(`instantiated VNF instance ${id} has no cluster`);
    return this.startOccurrence(instance, 'TERMINATE', { ...request }, instance.clusterId, (i) => i);
  }

  /**
   * Claims the instance for a new occurrence (compare-and-set on `activeOccurrenceId`), records the
   * occurrence in STARTING and queues its job.
   */
  private async startOccurrence(
    seen: VnfInstanceRecord,
    operation: LcmOperation,
    operationParams: KeyValuePairs,
    clusterId: string,
    changeInstance: (instance: VnfInstanceRecord) => VnfInstanceRecord,
  ): Promise<OccurrenceRecord> {
    const at = this.ledger.timestamp();
    const occurrence: OccurrenceRecord = {
      id: this.newId(),
      operationState: 'STARTING',
      stateEnteredTime: at,
      startTime: at,
      vnfInstanceId: seen.id,
      operation,
      isAutomaticInvocation: false,
      operationParams,
      isCancelPending: false,
      tenant: seen.tenant,
      clusterId,
      attempt: 1,
    };
    // The occurrence exists before the instance points at it, so a reader never follows a dangling id.
    await this.ledger.occurrences.put(occurrence.id, withSchemaVersion(DMS_OCCURRENCE_RECORDS, occurrence));
    let failure: DmsError | undefined;
    const claimed = await this.ledger.update(this.ledger.instances, seen.id, (current) => {
      failure = undefined;
      if (current.activeOccurrenceId !== undefined) {
        failure = busy(current);
        return undefined;
      }
      const expected = operation === 'INSTANTIATE' ? 'NOT_INSTANTIATED' : 'INSTANTIATED';
      if (current.instantiationState !== expected) {
        failure = new DmsError('CONFLICT', `VNF instance ${seen.id} is ${current.instantiationState}`);
        return undefined;
      }
      return { ...changeInstance(current), activeOccurrenceId: occurrence.id };
    });
    if (claimed === undefined || failure !== undefined) {
      await this.ledger.occurrences.delete(occurrence.id);
      throw failure ?? notFound('VNF instance', seen.id);
    }
    // Only now does the occurrence exist for clients: its START event follows the claim.
    await this.ledger.occurrenceChanged(occurrence);
    await this.queue(occurrence);
    return occurrence;
  }

  private async queue(occurrence: OccurrenceRecord): Promise<void> {
    try {
      await this.jobs.enqueue(occurrence.clusterId!, {
        occurrenceId: occurrence.id,
        attempt: occurrence.attempt,
      });
    } catch (error) {
      // Not queued: say so on the occurrence rather than leave it waiting for a job that never comes.
      const problem: ProblemDetails = {
        status: 503,
        title: 'Service Unavailable',
        detail: 'the job of this occurrence could not be queued; retry it',
      };
      await this.ledger.failTemporarily(occurrence.id, occurrence.attempt, problem).catch(() => undefined);
      throw error;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Occurrences

  async getOccurrence(scope: LifecycleScope, id: string): Promise<OccurrenceRecord> {
    const found = await this.ledger.occurrences.get(id);
    if (found === undefined || !visibleIn(scope, found)) throw notFound('VNF LCM operation occurrence', id);
    return found;
  }

  async listOccurrences(scope: LifecycleScope): Promise<OccurrenceRecord[]> {
    return (await this.ledger.occurrences.list()).map((e) => e.doc).filter((doc) => visibleIn(scope, doc));
  }

  /** FAILED_TEMP → PROCESSING with a new attempt, queued again. */
  async retry(scope: LifecycleScope, id: string): Promise<OccurrenceRecord> {
    return this.reopen(scope, id, 'PROCESSING', 'retried');
  }

  /** FAILED_TEMP → ROLLING_BACK with a new attempt; the runner undoes the operation → ROLLED_BACK. */
  async rollback(scope: LifecycleScope, id: string): Promise<OccurrenceRecord> {
    return this.reopen(scope, id, 'ROLLING_BACK', 'rolled back');
  }

  private async reopen(
    scope: LifecycleScope,
    id: string,
    state: 'PROCESSING' | 'ROLLING_BACK',
    verb: string,
  ): Promise<OccurrenceRecord> {
    const seen = await this.getOccurrence(scope, id);
    const next = await this.ledger.transition(
      id,
      (o) => o.operationState === 'FAILED_TEMP',
      (o, at) => ({ ...o, operationState: state, stateEnteredTime: at, attempt: o.attempt + 1 }),
    );
    if (next === undefined) {
      const current = (await this.ledger.occurrences.get(id)) ?? seen;
      throw new DmsError(
        'CONFLICT',
        `VNF LCM operation occurrence ${id} is ${current.operationState}; only FAILED_TEMP occurrences can be ${verb}`,
      );
    }
    await this.queue(next);
    return next;
  }

  /** FAILED_TEMP → FAILED: final; the instance is free for other operations. */
  async fail(scope: LifecycleScope, id: string): Promise<OccurrenceRecord> {
    const seen = await this.getOccurrence(scope, id);
    const next = await this.ledger.transition(
      id,
      (o) => o.operationState === 'FAILED_TEMP',
      (o, at) => ({ ...o, operationState: 'FAILED', stateEnteredTime: at }),
    );
    if (next === undefined) {
      const current = (await this.ledger.occurrences.get(id)) ?? seen;
      throw new DmsError(
        'CONFLICT',
        `VNF LCM operation occurrence ${id} is ${current.operationState}; only FAILED_TEMP occurrences can be failed`,
      );
    }
    await this.ledger.release(next);
    return next;
  }

  // ---------------------------------------------------------------------------------------------

  /** The on-boarded, enabled package whose VNFD has this id and that the tenant may use (else 422). */
  private async packageForVnfd(scope: LifecycleScope, vnfdId: string): Promise<PackageRecord> {
    const candidates = (await this.packages.list()).filter(
      (p) =>
        p.descriptor?.vnfdId === vnfdId &&
        (scope.tenant === '*' || p.tenant === undefined || p.tenant === scope.tenant),
    );
    const usable = candidates.find(
      (p) => p.onboardingState === 'ONBOARDED' && p.operationalState === 'ENABLED',
    );
    if (usable === undefined) {
      throw new DmsError(
        'UNPROCESSABLE',
        candidates.length === 0
          ? `no VNF package with vnfdId ${vnfdId.slice(0, 64)} is on-boarded`
          : `the VNF package with vnfdId ${vnfdId.slice(0, 64)} is not ONBOARDED and ENABLED`,
      );
    }
    return usable;
  }
}

/** accessInfo never stays in a record: operationParams echo the request without it. */
export function stripAccessInfo(request: KeyValuePairs): KeyValuePairs {
  const vim = request['vimConnectionInfo'];
  if (!isPlainObject(vim)) return { ...request };
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vim)) {
    if (isPlainObject(value)) {
      const { accessInfo: _accessInfo, ...rest } = value;
      cleaned[key] = rest;
    } else cleaned[key] = value;
  }
  return { ...request, vimConnectionInfo: cleaned };
}
