/**
 * The day-2 tasks of a VNF instance (issue 11): scale, scale_to_level, heal, change_vnfpkg,
 * change_flavour, change_ext_conn, and cancel of a running occurrence. Each task is checked against the
 * instance and its VNFD here — a request that cannot fit is refused (400/409/422) before an occurrence
 * exists — and then becomes an occurrence in STARTING with a job on the owning cluster's queue, like
 * instantiate (service.ts). The runner (subgraphs/cluster/deployments/day2.ts) does the Helm work.
 */
import type { DeploymentFlavour, PackageRecord, VnfDescriptor } from '../descriptor.ts';
import { DmsError } from '../errors.ts';
import { planScale, planScaleToLevel, planLevel } from './day2-plan.ts';
import type {
  CancelModeType,
  ChangeCurrentVnfPkgRequest,
  ChangeExtVnfConnectivityRequest,
  ChangeVnfFlavourRequest,
  HealVnfRequest,
  ScaleVnfRequest,
  ScaleVnfToLevelRequest,
} from './day2-requests.ts';
import type { LifecycleLedger } from './ledger.ts';
import type { PackageCatalog } from './package-contract.ts';
import type {
  KeyValuePairs,
  LcmOperation,
  LifecycleScope,
  OccurrenceRecord,
  VnfInstanceRecord,
} from './records.ts';

export interface Day2Context {
  readonly ledger: LifecycleLedger;
  readonly packages: PackageCatalog;
  getInstance(scope: LifecycleScope, id: string): Promise<{ instance: VnfInstanceRecord }>;
  getOccurrence(scope: LifecycleScope, id: string): Promise<OccurrenceRecord>;
  packageForVnfd(scope: LifecycleScope, vnfdId: string): Promise<PackageRecord>;
  startOccurrence(
    seen: VnfInstanceRecord,
    operation: LcmOperation,
    operationParams: KeyValuePairs,
    clusterId: string,
    changeInstance: (instance: VnfInstanceRecord) => VnfInstanceRecord,
  ): Promise<OccurrenceRecord>;
}

interface Instantiated {
  readonly instance: VnfInstanceRecord;
  readonly clusterId: string;
  readonly descriptor: VnfDescriptor;
  readonly flavour: DeploymentFlavour;
}

function busy(instance: VnfInstanceRecord): DmsError {
  return new DmsError(
    'CONFLICT',
    `VNF instance ${instance.id} has an unfinished LCM operation occurrence (${instance.activeOccurrenceId ?? ''}); wait for it, or retry, roll back or fail it`,
  );
}

export class Day2Tasks {
  constructor(private readonly context: Day2Context) {}

  /** An INSTANTIATED instance without a running occurrence, its package's VNFD and its current flavour. */
  private async instantiated(scope: LifecycleScope, id: string): Promise<Instantiated> {
    const { instance } = await this.context.getInstance(scope, id);
    if (instance.instantiationState !== 'INSTANTIATED')
      throw new DmsError('CONFLICT', `VNF instance ${id} is NOT_INSTANTIATED`);
    if (instance.activeOccurrenceId !== undefined) throw busy(instance);
    if (instance.clusterId === undefined) throw new Error(`instantiated VNF instance ${id} has no cluster`);
    const pkg = await this.context.packages.get(instance.vnfPkgId);
    const descriptor = pkg?.descriptor;
    if (descriptor === undefined)
      throw new DmsError('UNPROCESSABLE', `the VNF package of VNF instance ${id} is no longer available`);
    const flavourId = instance.instantiatedVnfInfo?.flavourId;
    const flavour = descriptor.flavours.find((f) => f.flavourId === flavourId);
    if (flavour === undefined)
      throw new DmsError('UNPROCESSABLE', `the VNFD of VNF instance ${id} no longer has its flavour`);
    return { instance, clusterId: instance.clusterId, descriptor, flavour };
  }

  async scale(scope: LifecycleScope, id: string, request: ScaleVnfRequest): Promise<OccurrenceRecord> {
    const { instance, clusterId, flavour } = await this.instantiated(scope, id);
    // Planned only to answer 400 for a request the VNFD cannot satisfy; policy is the job's (STARTING).
    planScale(flavour, instance.instantiatedVnfInfo?.scaleStatus, request);
    return this.context.startOccurrence(instance, 'SCALE', { ...request }, clusterId, (i) => i);
  }

  async scaleToLevel(
    scope: LifecycleScope,
    id: string,
    request: ScaleVnfToLevelRequest,
  ): Promise<OccurrenceRecord> {
    const { instance, clusterId, flavour } = await this.instantiated(scope, id);
    // Planned only to answer 400 for a request the VNFD cannot satisfy; policy is the job's (STARTING).
    planScaleToLevel(flavour, instance.instantiatedVnfInfo?.scaleStatus, request);
    return this.context.startOccurrence(instance, 'SCALE_TO_LEVEL', { ...request }, clusterId, (i) => i);
  }

  async heal(scope: LifecycleScope, id: string, request: HealVnfRequest): Promise<OccurrenceRecord> {
    const { instance, clusterId } = await this.instantiated(scope, id);
    const known = new Set((instance.instantiatedVnfInfo?.vnfcResourceInfo ?? []).map((v) => v.id));
    const unknown = (request.vnfcInstanceId ?? []).filter((vnfc) => !known.has(vnfc));
    if (unknown.length > 0)
      throw new DmsError(
        'UNPROCESSABLE',
        `vnfcInstanceId names VNFCs the instance does not have: ${unknown.slice(0, 5).join(', ').slice(0, 300)}`,
      );
    return this.context.startOccurrence(instance, 'HEAL', { ...request }, clusterId, (i) => i);
  }

  /**
   * To the chart of the on-boarded, ENABLED package with `vnfdId` (any VNFD, as SOL003 allows; the
   * sample's v2 has its own vnfdId). Its VNFD must have the instance's current flavour (422).
   */
  async changeVnfpkg(
    scope: LifecycleScope,
    id: string,
    request: ChangeCurrentVnfPkgRequest,
  ): Promise<OccurrenceRecord> {
    const { instance, clusterId, flavour } = await this.instantiated(scope, id);
    const target = await this.context.packageForVnfd(scope, request.vnfdId);
    if (target.id === instance.vnfPkgId)
      throw new DmsError('UNPROCESSABLE', `VNF instance ${id} runs the VNF package ${target.id} already`);
    const descriptor = target.descriptor!;
    if (descriptor.charts.length === 0)
      throw new DmsError('UNPROCESSABLE', `the VNF package ${target.id} has no Helm chart`);
    if (!descriptor.flavours.some((f) => f.flavourId === flavour.flavourId))
      throw new DmsError(
        'UNPROCESSABLE',
        `the VNFD ${descriptor.vnfdId} has no flavour ${flavour.flavourId}, the instance's current one; change the flavour first`,
      );
    // The target package is named in the parameters so a retry upgrades to the same package; it is
    // IN_USE from now on, so it cannot be deleted under the running operation.
    const occurrence = await this.context.startOccurrence(
      instance,
      'CHANGE_VNFPKG',
      { ...request, vnfPkgId: target.id },
      clusterId,
      (i) => i,
    );
    await this.context.packages.setUsageState(target.id, 'IN_USE');
    return occurrence;
  }

  async changeFlavour(
    scope: LifecycleScope,
    id: string,
    request: ChangeVnfFlavourRequest,
  ): Promise<OccurrenceRecord> {
    const { instance, clusterId, descriptor, flavour } = await this.instantiated(scope, id);
    if (descriptor.flavours.length < 2)
      throw new DmsError('UNPROCESSABLE', `the VNFD ${descriptor.vnfdId} declares no alternative flavour`);
    const target = descriptor.flavours.find((f) => f.flavourId === request.newFlavourId);
    if (target === undefined)
      throw new DmsError(
        'INVALID',
        `newFlavourId "${request.newFlavourId.slice(0, 64)}" is not a flavour of the VNFD`,
      );
    if (target.flavourId === flavour.flavourId)
      throw new DmsError('CONFLICT', `VNF instance ${id} has flavour ${flavour.flavourId} already`);
    // Planned only to answer 400 for a request the VNFD cannot satisfy; policy is the job's (STARTING).
    planLevel(target, request.instantiationLevelId);
    return this.context.startOccurrence(instance, 'CHANGE_FLAVOUR', { ...request }, clusterId, (i) => i);
  }

  async changeExtConn(
    scope: LifecycleScope,
    id: string,
    request: ChangeExtVnfConnectivityRequest,
  ): Promise<OccurrenceRecord> {
    const { instance, clusterId, descriptor } = await this.instantiated(scope, id);
    if (descriptor.extCpds.length === 0)
      throw new DmsError(
        'UNPROCESSABLE',
        `the VNFD ${descriptor.vnfdId} declares no external connection point`,
      );
    const cpds = new Set(descriptor.extCpds.map((c) => c.cpdId));
    for (const link of request.extVirtualLinks) {
      for (const cp of link.extCps) {
        if (!cpds.has(String(cp['cpdId'])))
          throw new DmsError(
            'INVALID',
            `extVirtualLinks ${link.id.slice(0, 64)} names cpdId "${String(cp['cpdId']).slice(0, 64)}", not an external CPD of the VNFD`,
          );
      }
    }
    return this.context.startOccurrence(instance, 'CHANGE_EXT_CONN', { ...request }, clusterId, (i) => i);
  }

  /**
   * STARTING → ROLLED_BACK at once (the job finds a final occurrence and does nothing);
   * PROCESSING/ROLLING_BACK → isCancelPending with the mode: the runner stops the job (FORCEFUL: kills the
   * running helm; GRACEFUL: after the running helm command) and ends it FAILED_TEMP. Else 409.
   */
  async cancel(scope: LifecycleScope, id: string, mode: CancelModeType): Promise<OccurrenceRecord> {
    const seen = await this.context.getOccurrence(scope, id);
    const { ledger } = this.context;
    const rolledBack = await ledger.transition(
      id,
      (o) => o.operationState === 'STARTING',
      (o, at) => ({ ...o, operationState: 'ROLLED_BACK', stateEnteredTime: at, cancelMode: mode }),
    );
    if (rolledBack !== undefined) {
      await ledger.release(rolledBack);
      return rolledBack;
    }
    const pending = await ledger.transition(
      id,
      // A second cancel may turn a GRACEFUL one FORCEFUL; anything else is 409.
      (o) =>
        (o.operationState === 'PROCESSING' || o.operationState === 'ROLLING_BACK') &&
        (!o.isCancelPending || (o.cancelMode === 'GRACEFUL' && mode === 'FORCEFUL')),
      (o) => ({ ...o, isCancelPending: true, cancelMode: mode }),
    );
    if (pending !== undefined) return pending;
    const current = (await ledger.occurrences.get(id)) ?? seen;
    throw new DmsError(
      'CONFLICT',
      current.isCancelPending
        ? `VNF LCM operation occurrence ${id} is being cancelled already`
        : `VNF LCM operation occurrence ${id} is ${current.operationState}; only STARTING, PROCESSING and ROLLING_BACK occurrences can be cancelled`,
    );
  }
}
