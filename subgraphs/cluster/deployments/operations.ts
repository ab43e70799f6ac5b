/**
 * The Helm side of a DMS job: what instantiate, terminate and rollback do to a release, how the
 * release's readiness is awaited, and how the outcome is written to the occurrence (lifecycle ledger).
 * The runner (runner.ts) decides which job runs when; this module decides what a job does.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type {
  AffectedVnfc,
  HelmExecution,
  InstantiatedVnfInfo,
  KeyValuePairs,
  LifecycleLedger,
  OccurrenceRecord,
  PackageCatalog,
  ProblemDetails,
  VnfDescriptor,
  VnfInstanceRecord,
  VnfcResourceInfo,
} from '../../../dms/lifecycle/index.ts';
import {
  HelmError,
  parseAppliedRelease,
  type AppliedRelease,
  type HelmCli,
  type HelmRevision,
} from './helm-cli.ts';
import { workloadStates, workloadsOfManifest, type WorkloadState, type WorkloadView } from './readiness.ts';
import { instantiationValues, type InstantiationValues } from './values.ts';

/** Ends a job without an outcome: the runner is stopping; the entry stays unacked for another runner. */
export class Interrupted extends Error {}

/** Thrown at a step boundary once a GRACEFUL cancel is pending (the runner ends the occurrence FAILED_TEMP). */
export class CancelRequested extends Error {}

export function problem(status: number, detail: string): ProblemDetails {
  const titles: Record<number, string> = {
    409: 'Conflict',
    422: 'Unprocessable Content',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return { status, title: titles[status] ?? 'Error', detail };
}

/** A Helm refusal (bad chart, values, conflicts) is 422; a missing binary is the cluster's problem, 503. */
function helmStatus(error: HelmError): number {
  return error.unavailable ? 503 : 422;
}

function description(occurrence: OccurrenceRecord, what: string): string {
  return `netweave occurrence ${occurrence.id} ${what}`;
}

function lastDeployed(history: readonly HelmRevision[]): HelmRevision | undefined {
  return [...history].reverse().find((r) => r.status === 'deployed');
}

/** VDU of a workload: Tacker's rule `<VDU name>-<anything>`, else the VDU id itself, else the workload name. */
export function vduOfWorkload(descriptor: VnfDescriptor, workloadName: string): string {
  const name = workloadName.toLowerCase();
  for (const vdu of descriptor.vdus) {
    for (const key of [vdu.name.toLowerCase(), vdu.vduId.toLowerCase()]) {
      if (name === key || name.startsWith(`${key}-`)) return vdu.vduId;
    }
  }
  return workloadName;
}

export function vnfcOf(pod: V1Pod, vduId: string, vimConnectionId: string | undefined): VnfcResourceInfo {
  const name = pod.metadata?.name ?? '';
  return {
    id: name,
    vduId,
    computeResource: {
      resourceId: name,
      vimLevelResourceType: 'Pod',
      ...(vimConnectionId === undefined ? {} : { vimConnectionId }),
    },
    metadata: {
      namespace: pod.metadata?.namespace ?? '',
      ...(pod.metadata?.uid === undefined ? {} : { uid: pod.metadata.uid }),
      ...(pod.spec?.nodeName === undefined ? {} : { nodeName: pod.spec.nodeName }),
      ...(pod.status?.phase === undefined ? {} : { phase: pod.status.phase }),
    },
  };
}

/** What an instantiation applies: chart, values and namespace (the policy gate renders the same). */
export interface InstantiationPlan {
  readonly namespace: string;
  readonly descriptor: VnfDescriptor;
  readonly flavourId: string;
  readonly chartPath: string;
  readonly chart: Buffer;
  readonly computed: InstantiationValues;
  readonly additional: KeyValuePairs;
}

export async function planInstantiation(
  packages: PackageCatalog,
  occurrence: OccurrenceRecord,
  instance: VnfInstanceRecord,
): Promise<InstantiationPlan | { readonly refusal: ProblemDetails }> {
  const params = (occurrence.operationParams ?? {}) as KeyValuePairs;
  const additional = (params['additionalParams'] ?? {}) as KeyValuePairs;
  const namespace = typeof additional['namespace'] === 'string' ? additional['namespace'] : 'default';
  const pkg = await packages.get(instance.vnfPkgId);
  const descriptor = pkg?.descriptor;
  if (pkg === undefined || descriptor === undefined)
    return { refusal: problem(422, `VNF package ${instance.vnfPkgId} is not available`) };
  const flavourId = typeof params['flavourId'] === 'string' ? params['flavourId'] : '';
  const flavour = descriptor.flavours.find((f) => f.flavourId === flavourId);
  const chartPath =
    typeof additional['helm_chart_path'] === 'string'
      ? additional['helm_chart_path']
      : descriptor.charts[0]?.path;
  if (flavour === undefined || chartPath === undefined)
    return { refusal: problem(422, 'the VNFD has no such flavour or Helm chart') };
  const chart = await packages.readArtifact(pkg.id, chartPath);
  if (chart === undefined) return { refusal: problem(422, `the VNF package has no file "${chartPath}"`) };
  const levelId =
    typeof params['instantiationLevelId'] === 'string' ? params['instantiationLevelId'] : undefined;
  const computed = instantiationValues(flavour, levelId, additional);
  return { namespace, descriptor, flavourId, chartPath, chart, computed, additional };
}

export interface ReleaseOperationDeps {
  readonly clusterId: string;
  readonly helm: HelmCli;
  readonly ledger: LifecycleLedger;
  readonly packages: PackageCatalog;
  readonly workloads: WorkloadView;
  readonly logger: Logger;
  /** Aborted when the runner stops: helm processes are killed and waits end with Interrupted. */
  readonly signal: AbortSignal;
  /** Working directory for chart and values files. */
  readonly home: string;
  readonly settings: {
    readonly readinessTimeoutMs: number;
    readonly pollIntervalMs: number;
    readonly podGraceMs: number;
  };
  readonly sleep: (ms: number) => Promise<void>;
  /**
   * Waits for the next change of a workload or pod in the informer caches, at most `ms`: readiness waits
   * wake on the change that makes a release ready instead of on the next poll. Default: `sleep`.
   */
  readonly nextWorkloadChange?: (ms: number) => Promise<void>;
  /** True once a GRACEFUL cancel asks the job to stop before its next step. */
  readonly stopRequested?: () => boolean;
}

export interface ReleaseOperations {
  instantiate(occurrence: OccurrenceRecord, instance: VnfInstanceRecord): Promise<void>;
  /** Settles a release an interrupted helm left pending or never deployed; its history afterwards. */
  recoverPending(occurrence: OccurrenceRecord, release: string, namespace: string): Promise<HelmRevision[]>;
  terminate(occurrence: OccurrenceRecord, instance: VnfInstanceRecord): Promise<void>;
  rollBack(occurrence: OccurrenceRecord, instance: VnfInstanceRecord): Promise<void>;
}

export function releaseOperations(deps: ReleaseOperationDeps): ReleaseOperations {
  const { clusterId, helm, ledger, packages, workloads, logger, signal, home, settings, sleep } = deps;
  const checkRunning = (): void => {
    if (signal.aborted) throw new Interrupted('runner stopping');
    if (deps.stopRequested?.() === true) throw new CancelRequested('cancel requested');
  };

  // -------------------------------------------------------------------------------------------
  // Helm steps

  /** Brings a release left pending-* or failed-only (a helm process that died) back to a settled state. */
  async function recoverPending(
    occurrence: OccurrenceRecord,
    release: string,
    namespace: string,
  ): Promise<HelmRevision[]> {
    const history = await helm.history(release, namespace, signal);
    const latest = history[history.length - 1];
    const deployed = [...history].reverse().find((r) => r.status === 'deployed' || r.status === 'superseded');
    // pending-*: a helm process died mid-action (the release is locked). Only failed revisions (a helm
    // stopped by a signal marks its release failed): Helm can neither upgrade nor reinstall the name.
    const stuck = latest !== undefined && (latest.status.startsWith('pending') || deployed === undefined);
    if (!stuck) return history;
    logger.warn(
      { clusterId, release, namespace, status: latest.status, occurrenceId: occurrence.id },
      'release left pending or never deployed by an interrupted helm action: recovering',
    );
    if (deployed === undefined) {
      await helm.run(
        [
          'uninstall',
          release,
          '--namespace',
          namespace,
          '--ignore-not-found',
          '--description',
          description(occurrence, 'recovery'),
        ],
        signal,
      );
    } else {
      await helm.run(
        [
          'rollback',
          release,
          String(deployed.revision),
          '--namespace',
          namespace,
          // `helm rollback` takes no --description: its revision says "Rollback to <n>".
        ],
        signal,
      );
    }
    return helm.history(release, namespace, signal);
  }

  async function waitReady(
    release: string,
    namespace: string,
    deadline: number,
    appliedManifest?: string,
  ): Promise<WorkloadState[]> {
    const manifest = appliedManifest ?? (await helm.manifest(release, namespace, signal));
    const expected = workloadsOfManifest(manifest, namespace);
    let podGraceUntil: number | undefined;
    for (;;) {
      checkRunning();
      const states = workloadStates(workloads, expected);
      if (states.every((s) => s.ready)) {
        // Workload status and pods arrive on separate watches: give the pods a moment to reach the
        // cache, so vnfcResourceInfo lists them. A cluster that runs no pods (a bare simulator)
        // never shows them; after the grace period the release counts as ready without.
        const podsSeen = states.every((s) => s.pods.length >= s.wanted);
        if (podsSeen || (podGraceUntil !== undefined && Date.now() >= podGraceUntil)) return states;
        podGraceUntil ??= Date.now() + settings.podGraceMs;
      }
      if (Date.now() >= deadline) {
        const waiting = states
          .filter((s) => !s.ready)
          .map((s) => `${s.kind} ${s.namespace}/${s.name}: ${s.reason ?? 'not ready'}`);
        throw Object.assign(new Error('readiness timeout'), { waiting });
      }
      await (deps.nextWorkloadChange ?? sleep)(settings.pollIntervalMs);
    }
  }

  function firstVimConnectionId(instance: VnfInstanceRecord): string | undefined {
    return Object.keys(instance.vimConnectionInfo ?? {})[0];
  }

  // -------------------------------------------------------------------------------------------
  // Operations

  async function instantiate(occurrence: OccurrenceRecord, instance: VnfInstanceRecord): Promise<void> {
    const planned = await planInstantiation(packages, occurrence, instance);
    if ('refusal' in planned) {
      await ledger.failTemporarily(occurrence.id, occurrence.attempt, planned.refusal);
      return;
    }
    const { namespace, descriptor, flavourId, chartPath, chart, computed, additional } = planned;
    const release = instance.releaseName;
    const work = await mkdtemp(join(home, 'job-'));
    let execution: HelmExecution = { releaseName: release, namespace, chartPath };
    try {
      const chartFile = join(work, 'chart.tgz');
      const valuesFile = join(work, 'values.json');
      await writeFile(chartFile, chart);
      await writeFile(valuesFile, JSON.stringify(computed.values));
      const history = await recoverPending(occurrence, release, namespace);
      const before = lastDeployed(history);
      execution = { ...execution, ...(before === undefined ? {} : { revisionBefore: before.revision }) };
      await ledger.recordExecution(occurrence.id, occurrence.attempt, execution);
      const deadline = Date.now() + settings.readinessTimeoutMs;
      let applied: AppliedRelease;
      try {
        const output = await helm.run(
          [
            'upgrade',
            release,
            chartFile,
            '--install',
            '--namespace',
            namespace,
            '--create-namespace',
            '--values',
            valuesFile,
            '--description',
            description(occurrence, occurrence.operation),
            '--timeout',
            `${Math.ceil(settings.readinessTimeoutMs / 1000)}s`,
            '--output',
            'json',
          ],
          signal,
        );
        applied = parseAppliedRelease(output);
      } catch (error) {
        if (error instanceof HelmError && !error.aborted) {
          await ledger.failTemporarily(
            occurrence.id,
            occurrence.attempt,
            problem(helmStatus(error), `helm upgrade --install failed: ${error.stderr}`),
            execution,
          );
          return;
        }
        throw error;
      }
      const revision =
        applied.revision ?? lastDeployed(await helm.history(release, namespace, signal))?.revision;
      execution = { ...execution, ...(revision === undefined ? {} : { revision }) };
      let states: WorkloadState[];
      try {
        states = await waitReady(release, namespace, deadline, applied.manifest);
      } catch (error) {
        if (error instanceof Error && error.message === 'readiness timeout') {
          const waiting = (error as Error & { waiting: string[] }).waiting;
          await ledger.failTemporarily(
            occurrence.id,
            occurrence.attempt,
            problem(
              504,
              `the release's workloads did not become ready within ${Math.round(settings.readinessTimeoutMs / 1000)} s: ${waiting.join('; ').slice(0, 1500)}`,
            ),
            execution,
          );
          return;
        }
        throw error;
      }
      const vimConnectionId = firstVimConnectionId(instance);
      const vnfcs = states.flatMap((s) =>
        s.pods.map((pod) => vnfcOf(pod, vduOfWorkload(descriptor, s.name), vimConnectionId)),
      );
      const info: InstantiatedVnfInfo = {
        flavourId,
        vnfState: 'STARTED',
        // SOL003 requires extCpInfo (one or more): one entry per external CPD of the VNFD.
        ...(descriptor.extCpds.length === 0
          ? {}
          : {
              extCpInfo: descriptor.extCpds.map((cpd) => ({
                id: cpd.cpdId,
                cpdId: cpd.cpdId,
                cpConfigId: 'default',
                cpProtocolInfo: [],
                // SOL003 wants one association; the release's pod network stands for the internal VL.
                associatedVnfVirtualLinkId: `${release}-pod-network`,
              })),
            }),
        scaleStatus: computed.scaleStatus,
        maxScaleLevels: computed.maxScaleLevels,
        ...(computed.instantiationLevelId === undefined
          ? {}
          : { instantiationLevelId: computed.instantiationLevelId }),
        vnfcResourceInfo: vnfcs,
        metadata: {
          namespace,
          releaseName: release,
          ...(execution.revision === undefined ? {} : { revision: execution.revision }),
          // What day-2 operations upgrade with (subgraphs/cluster/deployments/day2.ts).
          helmChartPath: chartPath,
          ...(additional['helm_value_names'] === undefined
            ? {}
            : { helmValueNames: additional['helm_value_names'] }),
        },
      };
      const affected: AffectedVnfc[] = vnfcs.map((v) => ({
        id: v.id,
        vduId: v.vduId,
        changeType: 'ADDED',
        computeResource: v.computeResource,
      }));
      await ledger.complete(occurrence.id, occurrence.attempt, {
        execution,
        instantiatedVnfInfo: info,
        affectedVnfcs: affected,
      });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async function uninstall(
    occurrence: OccurrenceRecord,
    release: string,
    namespace: string,
    wait: number | undefined,
  ): Promise<void> {
    await recoverPending(occurrence, release, namespace);
    await helm.run(
      [
        'uninstall',
        release,
        '--namespace',
        namespace,
        '--ignore-not-found',
        '--description',
        description(occurrence, occurrence.operation),
        ...(wait === undefined ? [] : ['--wait', '--timeout', `${Math.max(1, wait)}s`]),
      ],
      signal,
    );
  }

  async function terminate(occurrence: OccurrenceRecord, instance: VnfInstanceRecord): Promise<void> {
    const namespace = instance.namespace ?? 'default';
    const params = (occurrence.operationParams ?? {}) as KeyValuePairs;
    // GRACEFUL: Helm waits (up to gracefulTerminationTimeout, else the readiness timeout) for the
    // release's resources to be gone; FORCEFUL: deletes and returns.
    const graceful = params['terminationType'] === 'GRACEFUL';
    const timeout =
      typeof params['gracefulTerminationTimeout'] === 'number'
        ? params['gracefulTerminationTimeout']
        : Math.ceil(settings.readinessTimeoutMs / 1000);
    const execution: HelmExecution = { releaseName: instance.releaseName, namespace };
    try {
      await uninstall(occurrence, instance.releaseName, namespace, graceful ? timeout : undefined);
    } catch (error) {
      if (error instanceof HelmError && !error.aborted) {
        await ledger.failTemporarily(
          occurrence.id,
          occurrence.attempt,
          problem(helmStatus(error), `helm uninstall failed: ${error.stderr}`),
          execution,
        );
        return;
      }
      throw error;
    }
    const removed: AffectedVnfc[] = (instance.instantiatedVnfInfo?.vnfcResourceInfo ?? []).map((v) => ({
      id: v.id,
      vduId: v.vduId,
      changeType: 'REMOVED',
      computeResource: v.computeResource,
    }));
    await ledger.complete(occurrence.id, occurrence.attempt, { execution, affectedVnfcs: removed });
  }

  async function rollBack(occurrence: OccurrenceRecord, instance: VnfInstanceRecord): Promise<void> {
    if (occurrence.operation === 'TERMINATE' || occurrence.operation === 'HEAL') {
      // Nothing brings deleted workloads (or pods) back as they were: refused, as Tacker does.
      await ledger.failTemporarily(
        occurrence.id,
        occurrence.attempt,
        problem(422, `a ${occurrence.operation} operation cannot be rolled back`),
      );
      return;
    }
    const release = occurrence.execution?.releaseName ?? instance.releaseName;
    const namespace = occurrence.execution?.namespace ?? instance.namespace ?? 'default';
    const before = occurrence.execution?.revisionBefore;
    try {
      const history = await recoverPending(occurrence, release, namespace);
      if (before === undefined || !history.some((r) => r.revision === before)) {
        await helm.run(
          [
            'uninstall',
            release,
            '--namespace',
            namespace,
            '--ignore-not-found',
            '--description',
            description(occurrence, `${occurrence.operation} rollback`),
          ],
          signal,
        );
      } else {
        await helm.run(['rollback', release, String(before), '--namespace', namespace], signal);
      }
    } catch (error) {
      if (error instanceof HelmError && !error.aborted) {
        await ledger.failTemporarily(
          occurrence.id,
          occurrence.attempt,
          problem(helmStatus(error), `rollback failed: ${error.stderr}`),
        );
        return;
      }
      throw error;
    }
    await ledger.rolledBack(occurrence.id, occurrence.attempt);
  }

  return { instantiate, recoverPending, terminate, rollBack };
}
