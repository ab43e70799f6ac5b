/**
 * The Helm side of the day-2 operations (issue 11). All but a heal of named VNFCs are one
 * `helm upgrade` of the instance's release (never `--install`: the release must exist), each a new
 * revision described `netweave occurrence <id> <operation>`, followed by the same readiness wait as an
 * instantiation; the occurrence's `execution.revisionBefore` is the revision a rollback returns to.
 *
 *   SCALE, SCALE_TO_LEVEL  --reuse-values + the VDUs' replica values of the new levels (day2-plan.ts)
 *   HEAL (whole VNF)       --reuse-values, same chart: re-applies the current revision
 *   HEAL (vnfcInstanceId)  deletes those pods; their controllers make replacements; no new revision
 *   CHANGE_FLAVOUR         --reuse-values + the new flavour's values and its level's replicas
 *   CHANGE_VNFPKG          the new package's chart with --reset-then-reuse-values (the new chart's
 *                          defaults, then the release's given values, then helm_parameters)
 *   CHANGE_EXT_CONN        --reuse-values + `netweave.extCps.<cpdId>` and helm_parameters
 *
 * `instantiatedVnfInfo` then follows the pods: vnfcResourceInfo is the release's pods once the count
 * each workload wants is reached, affectedVnfcs the difference to before (ADDED/REMOVED).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import {
  isPlainObject,
  mergePatch,
  planLevel,
  planScale,
  planScaleToLevel,
  replicaValueNames,
  type AffectedVnfc,
  type ChangeExtVnfConnectivityRequest,
  type DeploymentFlavour,
  type HealVnfRequest,
  type HelmExecution,
  type InstantiatedVnfInfo,
  type KeyValuePairs,
  type OccurrenceOutcome,
  type OccurrenceRecord,
  type ScalePlan,
  type ScaleVnfRequest,
  type ScaleVnfToLevelRequest,
  type VnfDescriptor,
  type VnfInstanceRecord,
  type VnfcResourceInfo,
} from '../../../dms/lifecycle/index.ts';
import { HelmError, parseAppliedRelease, type HelmRevision } from './helm-cli.ts';
import {
  CancelRequested,
  Interrupted,
  problem,
  vduOfWorkload,
  vnfcOf,
  type ReleaseOperationDeps,
  type ReleaseOperations,
} from './operations.ts';
import { workloadStates, workloadsOfManifest, type WorkloadState } from './readiness.ts';
import { setPath } from './values.ts';

export interface Day2OperationDeps extends ReleaseOperationDeps {
  readonly recoverPending: ReleaseOperations['recoverPending'];
  /** Deletes a pod (heal); a pod already gone is no error. */
  readonly deletePod: (namespace: string, name: string) => Promise<void>;
}

/** A readiness wait that ran out: the occurrence ends FAILED_TEMP (504) naming what was waited for. */
class ReadinessTimeout extends Error {
  constructor(readonly waiting: readonly string[]) {
    super('readiness timeout');
  }
}

/** A step refused by the runner's own rules (not Helm's): FAILED_TEMP with this status. */
class StepRefused extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

function lastDeployed(history: readonly HelmRevision[]): HelmRevision | undefined {
  return [...history].reverse().find((r) => r.status === 'deployed');
}

/** Not being deleted and not one of `gone` (pod uids: a replacement may reuse the old pod's name). */
function isLive(pod: V1Pod, gone: ReadonlySet<string>): boolean {
  return pod.metadata?.deletionTimestamp === undefined && !gone.has(pod.metadata?.uid ?? '');
}

/** A VNFC's identity across a change: the pod's uid where known (names can come back), else its id. */
function identity(vnfc: VnfcResourceInfo): string {
  const uid = vnfc.metadata?.['uid'];
  return typeof uid === 'string' ? uid : vnfc.id;
}

function replicaValues(
  flavour: DeploymentFlavour,
  plan: ScalePlan,
  helmValueNames: unknown,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const names = replicaValueNames(flavour, helmValueNames);
  for (const [vduId, replicas] of Object.entries(plan.vduReplicas)) {
    const name = names[vduId];
    if (name !== undefined) setPath(values, name, replicas);
  }
  return values;
}

function withHelmParameters(values: Record<string, unknown>, additional: unknown): Record<string, unknown> {
  const parameters = isPlainObject(additional) ? additional['helm_parameters'] : undefined;
  if (isPlainObject(parameters))
    for (const [key, value] of Object.entries(parameters)) setPath(values, key, value);
  return values;
}

export interface UpgradePlan {
  readonly pkgId: string;
  readonly descriptor: VnfDescriptor;
  readonly chartPath: string;
  readonly values: Record<string, unknown>;
  /** --reset-then-reuse-values (a new chart) instead of --reuse-values. */
  readonly resetThenReuse?: boolean;
  readonly info: (current: InstantiatedVnfInfo) => InstantiatedVnfInfo;
  readonly instanceChanges?: OccurrenceOutcome['instanceChanges'];
}

export function day2Operations(deps: Day2OperationDeps): {
  run(occurrence: OccurrenceRecord, instance: VnfInstanceRecord): Promise<void>;
  plan(occurrence: OccurrenceRecord, instance: VnfInstanceRecord): Promise<UpgradePlan | undefined>;
} {
  const { helm, ledger, packages, workloads, signal, home, settings, sleep } = deps;
  const checkRunning = (): void => {
    if (signal.aborted) throw new Interrupted('runner stopping');
    if (deps.stopRequested?.() === true) throw new CancelRequested('cancel requested');
  };

  /** The release's pods once every workload is ready with exactly the pods it wants (none of `gone`). */
  async function settle(
    release: string,
    namespace: string,
    deadline: number,
    gone: ReadonlySet<string> = new Set(),
    appliedManifest?: string,
  ): Promise<WorkloadState[]> {
    const manifest = appliedManifest ?? (await helm.manifest(release, namespace, signal));
    const expected = workloadsOfManifest(manifest, namespace);
    let podGraceUntil: number | undefined;
    for (;;) {
      checkRunning();
      const states = workloadStates(workloads, expected).map((s) => ({
        ...s,
        pods: s.pods.filter((p) => isLive(p, gone)),
      }));
      if (states.every((s) => s.ready)) {
        if (states.every((s) => s.pods.length === s.wanted)) return states;
        // A cluster that runs no pods at all (bare simulator) never shows them: as for instantiation.
        if (states.every((s) => s.pods.length === 0)) {
          podGraceUntil ??= Date.now() + settings.podGraceMs;
          if (Date.now() >= podGraceUntil) return states;
        }
      }
      if (Date.now() >= deadline) {
        throw new ReadinessTimeout(
          states
            .filter((s) => !s.ready || s.pods.length !== s.wanted)
            .map(
              (s) =>
                `${s.kind} ${s.namespace}/${s.name}: ${s.reason ?? `${s.pods.length} of ${s.wanted} pods`}`,
            ),
        );
      }
      await (deps.nextWorkloadChange ?? sleep)(settings.pollIntervalMs);
    }
  }

  function vnfcsOf(
    descriptor: VnfDescriptor,
    states: readonly WorkloadState[],
    instance: VnfInstanceRecord,
  ): VnfcResourceInfo[] {
    const vimConnectionId = Object.keys(instance.vimConnectionInfo ?? {})[0];
    return states.flatMap((s) =>
      s.pods.map((pod) => vnfcOf(pod, vduOfWorkload(descriptor, s.name), vimConnectionId)),
    );
  }

  function changes(before: readonly VnfcResourceInfo[], after: readonly VnfcResourceInfo[]): AffectedVnfc[] {
    const had = new Set(before.map(identity));
    const has = new Set(after.map(identity));
    const entry = (v: VnfcResourceInfo, changeType: AffectedVnfc['changeType']): AffectedVnfc => ({
      id: v.id,
      vduId: v.vduId,
      changeType,
      computeResource: v.computeResource,
    });
    return [
      ...after.filter((v) => !had.has(identity(v))).map((v) => entry(v, 'ADDED')),
      ...before.filter((v) => !has.has(identity(v))).map((v) => entry(v, 'REMOVED')),
    ];
  }

  async function upgrade(
    occurrence: OccurrenceRecord,
    instance: VnfInstanceRecord,
    current: InstantiatedVnfInfo,
    plan: UpgradePlan,
  ): Promise<void> {
    const release = instance.releaseName;
    const namespace = instance.namespace ?? 'default';
    const chart = await packages.readArtifact(plan.pkgId, plan.chartPath);
    if (chart === undefined)
      throw new StepRefused(422, `the VNF package ${plan.pkgId} has no file "${plan.chartPath}"`);
    const work = await mkdtemp(join(home, 'job-'));
    try {
      const chartFile = join(work, 'chart.tgz');
      const valuesFile = join(work, 'values.json');
      await writeFile(chartFile, chart);
      await writeFile(valuesFile, JSON.stringify(plan.values));
      const history = await deps.recoverPending(occurrence, release, namespace);
      // A retry keeps the revision from before the first attempt: that is what a rollback restores.
      const before = occurrence.execution?.revisionBefore ?? lastDeployed(history)?.revision;
      let execution: HelmExecution = {
        releaseName: release,
        namespace,
        chartPath: plan.chartPath,
        ...(before === undefined ? {} : { revisionBefore: before }),
      };
      await ledger.recordExecution(occurrence.id, occurrence.attempt, execution);
      checkRunning();
      const deadline = Date.now() + settings.readinessTimeoutMs;
      const output = await helm.run(
        [
          'upgrade',
          release,
          chartFile,
          '--namespace',
          namespace,
          plan.resetThenReuse === true ? '--reset-then-reuse-values' : '--reuse-values',
          '--values',
          valuesFile,
          '--description',
          `netweave occurrence ${occurrence.id} ${occurrence.operation}`,
          '--timeout',
          `${Math.ceil(settings.readinessTimeoutMs / 1000)}s`,
          // The applied release (revision, manifest) on stdout: no `helm history`/`get manifest` after it.
          '--output',
          'json',
        ],
        signal,
      );
      const applied = parseAppliedRelease(output);
      const revision =
        applied.revision ?? lastDeployed(await helm.history(release, namespace, signal))?.revision;
      execution = { ...execution, ...(revision === undefined ? {} : { revision }) };
      await ledger.recordExecution(occurrence.id, occurrence.attempt, execution);
      let states: WorkloadState[];
      try {
        states = await settle(release, namespace, deadline, new Set(), applied.manifest);
      } catch (error) {
        if (error instanceof ReadinessTimeout) {
          await ledger.failTemporarily(
            occurrence.id,
            occurrence.attempt,
            problem(
              504,
              `the release's workloads did not become ready within ${Math.round(settings.readinessTimeoutMs / 1000)} s: ${error.waiting.join('; ').slice(0, 1500)}`,
            ),
            execution,
          );
          return;
        }
        throw error;
      }
      const vnfcs = vnfcsOf(plan.descriptor, states, instance);
      const next = plan.info(current);
      await ledger.complete(occurrence.id, occurrence.attempt, {
        execution,
        instantiatedVnfInfo: {
          ...next,
          vnfcResourceInfo: vnfcs,
          metadata: {
            ...next.metadata,
            ...(execution.revision === undefined ? {} : { revision: execution.revision }),
            helmChartPath: plan.chartPath,
          },
        },
        affectedVnfcs: changes(current.vnfcResourceInfo ?? [], vnfcs),
        ...(plan.instanceChanges === undefined ? {} : { instanceChanges: plan.instanceChanges }),
      });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async function healVnfcs(
    occurrence: OccurrenceRecord,
    instance: VnfInstanceRecord,
    current: InstantiatedVnfInfo,
    descriptor: VnfDescriptor,
    ids: readonly string[],
  ): Promise<void> {
    const release = instance.releaseName;
    const namespace = instance.namespace ?? 'default';
    const history = await deps.recoverPending(occurrence, release, namespace);
    const revision = lastDeployed(history)?.revision;
    const execution: HelmExecution = {
      releaseName: release,
      namespace,
      ...(revision === undefined ? {} : { revisionBefore: revision, revision }),
    };
    await ledger.recordExecution(occurrence.id, occurrence.attempt, execution);
    const deadline = Date.now() + settings.readinessTimeoutMs;
    const byId = new Map((current.vnfcResourceInfo ?? []).map((v) => [v.id, v]));
    for (const id of ids) {
      checkRunning();
      const vnfc = byId.get(id);
      const podNamespace =
        typeof vnfc?.metadata?.['namespace'] === 'string' ? vnfc.metadata['namespace'] : namespace;
      await deps.deletePod(podNamespace, vnfc?.computeResource.resourceId ?? id);
    }
    const goneUids = new Set(
      ids
        .map((id) => byId.get(id))
        .filter((v) => v !== undefined)
        .map(identity),
    );
    let states: WorkloadState[];
    try {
      states = await settle(release, namespace, deadline, goneUids);
    } catch (error) {
      if (error instanceof ReadinessTimeout) {
        await ledger.failTemporarily(
          occurrence.id,
          occurrence.attempt,
          problem(
            504,
            `the healed VNFCs were not replaced in time: ${error.waiting.join('; ').slice(0, 1500)}`,
          ),
          execution,
        );
        return;
      }
      throw error;
    }
    const vnfcs = vnfcsOf(descriptor, states, instance);
    await ledger.complete(occurrence.id, occurrence.attempt, {
      execution,
      instantiatedVnfInfo: { ...current, vnfcResourceInfo: vnfcs },
      affectedVnfcs: changes(current.vnfcResourceInfo ?? [], vnfcs),
    });
  }

  /** `apply` runs the upgrade a plan describes; the policy gate passes one that only keeps the plan. */
  async function dispatch(
    occurrence: OccurrenceRecord,
    instance: VnfInstanceRecord,
    apply: (current: InstantiatedVnfInfo, plan: UpgradePlan) => Promise<void> = (current, plan) =>
      upgrade(occurrence, instance, current, plan),
  ): Promise<void> {
    const params = (occurrence.operationParams ?? {}) as KeyValuePairs;
    const current = instance.instantiatedVnfInfo;
    const pkg = await packages.get(instance.vnfPkgId);
    const descriptor = pkg?.descriptor;
    if (current === undefined || descriptor === undefined)
      throw new StepRefused(422, 'the VNF instance or its VNF package is no longer available');
    const flavour = descriptor.flavours.find((f) => f.flavourId === current.flavourId);
    if (flavour === undefined) throw new StepRefused(422, `the VNFD has no flavour ${current.flavourId}`);
    const metadata = current.metadata ?? {};
    const chartPath =
      typeof metadata['helmChartPath'] === 'string'
        ? metadata['helmChartPath']
        : (descriptor.charts[0]?.path ?? '');
    const valueNames = metadata['helmValueNames'];
    const same = { pkgId: instance.vnfPkgId, descriptor, chartPath };
    const additional = params['additionalParams'];
    switch (occurrence.operation) {
      case 'SCALE':
      case 'SCALE_TO_LEVEL': {
        const plan =
          occurrence.operation === 'SCALE'
            ? planScale(flavour, current.scaleStatus, params as unknown as ScaleVnfRequest)
            : planScaleToLevel(flavour, current.scaleStatus, params as unknown as ScaleVnfToLevelRequest);
        return apply(current, {
          ...same,
          values: replicaValues(flavour, plan, valueNames),
          info: (info) => {
            const { instantiationLevelId: _level, ...rest } = info;
            return {
              ...rest,
              scaleStatus: plan.scaleStatus,
              ...(plan.instantiationLevelId === undefined
                ? {}
                : { instantiationLevelId: plan.instantiationLevelId }),
            };
          },
        });
      }
      case 'HEAL': {
        const ids = (params as unknown as HealVnfRequest).vnfcInstanceId ?? [];
        if (ids.length > 0) return healVnfcs(occurrence, instance, current, descriptor, ids);
        return apply(current, { ...same, values: {}, info: (info) => info });
      }
      case 'CHANGE_FLAVOUR': {
        const target = descriptor.flavours.find((f) => f.flavourId === params['newFlavourId']);
        if (target === undefined) throw new StepRefused(422, 'the VNFD no longer has that flavour');
        const levelId =
          typeof params['instantiationLevelId'] === 'string' ? params['instantiationLevelId'] : undefined;
        const plan = planLevel(target, levelId);
        const values = mergePatch(
          mergePatch({}, target.values),
          replicaValues(target, plan, valueNames),
        ) as Record<string, unknown>;
        return apply(current, {
          ...same,
          values: withHelmParameters(values, additional),
          info: (info) => {
            const { instantiationLevelId: _level, ...rest } = info;
            return {
              ...rest,
              flavourId: target.flavourId,
              scaleStatus: plan.scaleStatus,
              maxScaleLevels: target.scalingAspects.map((a) => ({
                aspectId: a.aspectId,
                scaleLevel: a.maxScaleLevel,
              })),
              ...(plan.instantiationLevelId === undefined
                ? {}
                : { instantiationLevelId: plan.instantiationLevelId }),
            };
          },
        });
      }
      case 'CHANGE_VNFPKG': {
        const targetId = String(params['vnfPkgId']);
        const target = await packages.get(targetId);
        const next = target?.descriptor;
        if (target === undefined || next === undefined)
          throw new StepRefused(422, `the VNF package ${targetId} is no longer available`);
        const nextChart =
          isPlainObject(additional) && typeof additional['helm_chart_path'] === 'string'
            ? additional['helm_chart_path']
            : next.charts[0]?.path;
        if (nextChart === undefined)
          throw new StepRefused(422, `the VNF package ${targetId} has no Helm chart`);
        const nextFlavour = next.flavours.find((f) => f.flavourId === current.flavourId);
        await apply(current, {
          pkgId: targetId,
          descriptor: next,
          chartPath: nextChart,
          values: withHelmParameters({}, additional),
          resetThenReuse: true,
          info: (info) => ({
            ...info,
            ...(nextFlavour === undefined
              ? {}
              : {
                  maxScaleLevels: nextFlavour.scalingAspects.map((a) => ({
                    aspectId: a.aspectId,
                    scaleLevel: a.maxScaleLevel,
                  })),
                }),
          }),
          instanceChanges: {
            vnfPkgId: targetId,
            vnfdId: next.vnfdId,
            vnfProvider: next.vnfProvider,
            vnfProductName: next.vnfProductName,
            vnfSoftwareVersion: next.vnfSoftwareVersion,
            vnfdVersion: next.vnfdVersion,
          },
        });
        const done = await ledger.occurrences.get(occurrence.id);
        if (done?.operationState === 'COMPLETED') {
          await packages.setUsageState(targetId, 'IN_USE');
          const stillUsed = (await ledger.instances.list()).some((e) => e.doc.vnfPkgId === instance.vnfPkgId);
          if (!stillUsed) await packages.setUsageState(instance.vnfPkgId, 'NOT_IN_USE');
        }
        return;
      }
      case 'CHANGE_EXT_CONN': {
        const request = params as unknown as ChangeExtVnfConnectivityRequest;
        const values: Record<string, unknown> = {};
        const extCpInfo: KeyValuePairs[] = [];
        for (const link of request.extVirtualLinks) {
          for (const cp of link.extCps) {
            const cpdId = String(cp['cpdId']);
            const cpConfig = isPlainObject(cp['cpConfig']) ? cp['cpConfig'] : {};
            setPath(values, `netweave.extCps.${cpdId}`, {
              extVirtualLinkId: link.id,
              // For a chart, the network behind the link: a NetworkAttachmentDefinition name.
              network: link.resourceId,
              cpConfig,
            });
            for (const [cpConfigId, config] of Object.entries(cpConfig)) {
              extCpInfo.push({
                id: `${cpdId}-${cpConfigId}`,
                cpdId,
                cpConfigId,
                cpProtocolInfo:
                  isPlainObject(config) && Array.isArray(config['cpProtocolData'])
                    ? config['cpProtocolData']
                    : [],
                associatedVnfVirtualLinkId: link.id,
              });
            }
          }
        }
        const linkInfo = request.extVirtualLinks.map((link) => ({
          id: link.id,
          resourceHandle: { resourceId: link.resourceId },
          currentVnfExtCpData: link.extCps,
        }));
        return apply(current, {
          ...same,
          values: withHelmParameters(values, additional),
          info: (info) => {
            const touched = new Set(extCpInfo.map((cp) => cp['cpdId']));
            return {
              ...info,
              extCpInfo: [
                ...(info.extCpInfo ?? []).filter((cp) => !touched.has(cp.cpdId)),
                ...(extCpInfo as unknown as NonNullable<InstantiatedVnfInfo['extCpInfo']>),
              ],
              extVirtualLinkInfo: [
                ...(info.extVirtualLinkInfo ?? []).filter((l) => !linkInfo.some((n) => n.id === l['id'])),
                ...linkInfo,
              ],
            };
          },
        });
      }
      default:
        throw new StepRefused(422, `${occurrence.operation} is not a day-2 operation`);
    }
  }

  async function run(occurrence: OccurrenceRecord, instance: VnfInstanceRecord): Promise<void> {
    try {
      await dispatch(occurrence, instance);
    } catch (error) {
      if (error instanceof StepRefused) {
        await ledger.failTemporarily(occurrence.id, occurrence.attempt, problem(error.status, error.message));
        return;
      }
      if (error instanceof HelmError && !error.aborted) {
        await ledger.failTemporarily(
          occurrence.id,
          occurrence.attempt,
          problem(error.unavailable ? 503 : 422, `helm ${error.args[0] ?? ''} failed: ${error.stderr}`),
        );
        return;
      }
      throw error;
    }
  }

  /**
   * The upgrade a SCALE, SCALE_TO_LEVEL, CHANGE_FLAVOUR or CHANGE_VNFPKG occurrence will apply, without
   * applying it (the policy gate renders it); undefined for other operations or when it cannot be planned
   * (the run itself then reports why).
   */
  async function plan(
    occurrence: OccurrenceRecord,
    instance: VnfInstanceRecord,
  ): Promise<UpgradePlan | undefined> {
    if (!['SCALE', 'SCALE_TO_LEVEL', 'CHANGE_FLAVOUR', 'CHANGE_VNFPKG'].includes(occurrence.operation))
      return undefined;
    let planned: UpgradePlan | undefined;
    try {
      await dispatch(occurrence, instance, (_current, upgradePlan) => {
        planned = upgradePlan;
        return Promise.resolve();
      });
    } catch (error) {
      if (error instanceof StepRefused) return undefined;
      throw error;
    }
    return planned;
  }

  return { run, plan };
}
