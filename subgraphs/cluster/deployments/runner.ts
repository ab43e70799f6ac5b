/**
 * The DMS job runner of one cluster (DESIGN.md §3 "Deploy", §8): claims the cluster's jobs from
 * `dms-jobs.<clusterId>` (group `runners`), drives each occurrence with the real `helm` binary and the
 * cluster subgraph's informers, and writes the outcome through the lifecycle ledger.
 *
 * Guarantees:
 * - one driver per occurrence: lease `dms-occurrence:<id>` (renewed while the job runs); an entry whose
 *   lease another runner holds is left unacked, to be claimed again once that runner is gone;
 * - idempotent: a job for a final occurrence or an older attempt is acked without effect; instantiation
 *   is `helm upgrade --install` (a re-run converges), uninstall tolerates a missing release;
 * - never hung: helm failures and the readiness timeout end FAILED_TEMP with a ProblemDetails `error`;
 * - restart safety: a crashed runner's entries are claimed after `staleJobMs`; the periodic sweep moves
 *   running occurrences nobody drives and nobody will (lease free, no queued job) to FAILED_TEMP
 *   (ROLLING_BACK → ROLLED_BACK), so nothing stays STARTING/PROCESSING/ROLLING_BACK;
 * - a release left `pending-*` by a crash is recovered before the next Helm action (rollback to the last
 *   deployed revision, or uninstall when it never deployed);
 * - `helm history` names the occurrence: every action carries `--description "netweave occurrence <id> <operation>"`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { pino } from 'pino';
import {
  DMS_JOB_GROUP,
  DmsJobQueue,
  LifecycleLedger,
  RUNNING_STATES,
  dmsJobLogName,
  isDmsJob,
  occurrenceLeaseName,
  type AffectedVnfc,
  type DmsJob,
  type HelmExecution,
  type InstantiatedVnfInfo,
  type KeyValuePairs,
  type OccurrenceRecord,
  type PackageCatalog,
  type ProblemDetails,
  type VnfDescriptor,
  type VnfInstanceRecord,
  type VnfcResourceInfo,
} from '../../../dms/lifecycle/index.ts';
import type { LogEntry, StateStore } from '../../../state/store.ts';
import type { KubeAccessConfig } from '../config.ts';
import { HelmCli, HelmError, type HelmRevision } from './helm-cli.ts';
import { workloadStates, workloadsOfManifest, type WorkloadState, type WorkloadView } from './readiness.ts';
import { instantiationValues } from './values.ts';

export interface DeploymentRunnerSettings {
  /** Path of the helm binary (default `helm` on PATH). */
  readonly helmPath?: string;
  /** Helm processes at once on this cluster (default 4). */
  readonly maxHelmProcesses?: number;
  /** Jobs in progress at once (default 16; readiness waits do not hold a helm process). */
  readonly maxConcurrentJobs?: number;
  /** How long a release's workloads may take to become ready after Helm (default 300 s). */
  readonly readinessTimeoutMs?: number;
  /** Longest single helm process (default 600 s). */
  readonly helmTimeoutMs?: number;
  /** Lease time of an occurrence, renewed at a third of it (default 30 s). */
  readonly leaseTtlMs?: number;
  /** An unacked job idle this long belongs to a dead runner and is claimed (default 60 s). */
  readonly staleJobMs?: number;
  /** Period of the stuck-occurrence sweep and stale-job claims (default 15 s). */
  readonly sweepIntervalMs?: number;
  /** A running occurrence is left alone this long after entering its state (default 30 s). */
  readonly sweepGraceMs?: number;
  /** A queued job older than this without a driver is considered lost (default 30 min). */
  readonly abandonAfterMs?: number;
  /** Readiness polling period (default 500 ms). */
  readonly pollIntervalMs?: number;
  /** After the workloads report ready, how long to wait for their pods to reach the informer cache (default 2 s). */
  readonly podGraceMs?: number;
}

export interface DeploymentRunnerOptions extends DeploymentRunnerSettings {
  readonly clusterId: string;
  readonly store: StateStore;
  readonly packages: PackageCatalog;
  readonly workloads: WorkloadView;
  readonly kube: KubeAccessConfig;
  readonly logger?: Logger;
  /** Consumer and lease owner name; unique per runner (default: cluster id + random). */
  readonly consumerName?: string;
  readonly now?: () => Date;
}

export interface DeploymentJobRunner extends AsyncDisposable {
  readonly consumerName: string;
  /** Runs the stuck-occurrence sweep now (it also runs periodically). */
  sweep(): Promise<void>;
  dispose(): Promise<void>;
}

/** Ends a job without an outcome: the runner is stopping; the entry stays unacked for another runner. */
class Interrupted extends Error {}

function problem(status: number, detail: string): ProblemDetails {
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

function vnfcOf(pod: V1Pod, vduId: string, vimConnectionId: string | undefined): VnfcResourceInfo {
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

export async function startDeploymentJobRunner(
  options: DeploymentRunnerOptions,
): Promise<DeploymentJobRunner> {
  const { clusterId, store, packages, workloads } = options;
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'dms-runner' });
  const now = options.now ?? (() => new Date());
  const consumerName = options.consumerName ?? `${clusterId}-${randomUUID().slice(0, 8)}`;
  const settings = {
    maxConcurrentJobs: options.maxConcurrentJobs ?? 16,
    readinessTimeoutMs: options.readinessTimeoutMs ?? 300_000,
    leaseTtlMs: options.leaseTtlMs ?? 30_000,
    staleJobMs: options.staleJobMs ?? 60_000,
    sweepIntervalMs: options.sweepIntervalMs ?? 15_000,
    sweepGraceMs: options.sweepGraceMs ?? 30_000,
    abandonAfterMs: options.abandonAfterMs ?? 30 * 60_000,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    podGraceMs: options.podGraceMs ?? 2_000,
  };
  const ledger = new LifecycleLedger(store, now);
  const jobs = new DmsJobQueue(store, now);
  const log = store.eventLog<DmsJob>(dmsJobLogName(clusterId));
  await log.ensureGroup(DMS_JOB_GROUP);
  const home = await mkdtemp(join(tmpdir(), `netweave-helm-${clusterId}-`));
  const helm = new HelmCli({
    helmPath: options.helmPath ?? 'helm',
    kube: options.kube,
    homeDir: home,
    maxProcesses: options.maxHelmProcesses ?? 4,
    processTimeoutMs: options.helmTimeoutMs ?? 600_000,
  });
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (stopping.signal.aborted) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      }
      stopping.signal.addEventListener('abort', done, { once: true });
    });

  const checkRunning = (): void => {
    if (stopping.signal.aborted) throw new Interrupted('runner stopping');
  };

  // -------------------------------------------------------------------------------------------
  // Helm steps

  /** Brings a release left pending-* or failed-only (a helm process that died) back to a settled state. */
  async function recoverPending(
    occurrence: OccurrenceRecord,
    release: string,
    namespace: string,
  ): Promise<HelmRevision[]> {
    const history = await helm.history(release, namespace, stopping.signal);
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
        stopping.signal,
      );
    } else {
      await helm.run(
        [
          'rollback',
          release,
          String(deployed.revision),
          '--namespace',
          namespace,
          '--description',
          description(occurrence, 'recovery'),
        ],
        stopping.signal,
      );
    }
    return helm.history(release, namespace, stopping.signal);
  }

  async function waitReady(release: string, namespace: string, deadline: number): Promise<WorkloadState[]> {
    const manifest = await helm.manifest(release, namespace, stopping.signal);
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
      await sleep(settings.pollIntervalMs);
    }
  }

  function firstVimConnectionId(instance: VnfInstanceRecord): string | undefined {
    return Object.keys(instance.vimConnectionInfo ?? {})[0];
  }

  // -------------------------------------------------------------------------------------------
  // Operations

  async function instantiate(occurrence: OccurrenceRecord, instance: VnfInstanceRecord): Promise<void> {
    const params = (occurrence.operationParams ?? {}) as KeyValuePairs;
    const additional = (params['additionalParams'] ?? {}) as KeyValuePairs;
    const namespace = typeof additional['namespace'] === 'string' ? additional['namespace'] : 'default';
    const release = instance.releaseName;
    const pkg = await packages.get(instance.vnfPkgId);
    const descriptor = pkg?.descriptor;
    if (descriptor === undefined) {
      await ledger.failTemporarily(
        occurrence.id,
        occurrence.attempt,
        problem(422, `VNF package ${instance.vnfPkgId} is not available`),
      );
      return;
    }
    const flavourId = typeof params['flavourId'] === 'string' ? params['flavourId'] : '';
    const flavour = descriptor.flavours.find((f) => f.flavourId === flavourId);
    const chartPath =
      typeof additional['helm_chart_path'] === 'string'
        ? additional['helm_chart_path']
        : descriptor.charts[0]?.path;
    if (flavour === undefined || chartPath === undefined) {
      await ledger.failTemporarily(
        occurrence.id,
        occurrence.attempt,
        problem(422, 'the VNFD has no such flavour or Helm chart'),
      );
      return;
    }
    const chart = await packages.readArtifact(pkg!.id, chartPath);
    if (chart === undefined) {
      await ledger.failTemporarily(
        occurrence.id,
        occurrence.attempt,
        problem(422, `the VNF package has no file "${chartPath}"`),
      );
      return;
    }
    const levelId =
      typeof params['instantiationLevelId'] === 'string' ? params['instantiationLevelId'] : undefined;
    const computed = instantiationValues(flavour, levelId, additional);
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
      try {
        await helm.run(
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
          ],
          stopping.signal,
        );
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
      const after = lastDeployed(await helm.history(release, namespace, stopping.signal));
      execution = { ...execution, ...(after === undefined ? {} : { revision: after.revision }) };
      let states: WorkloadState[];
      try {
        states = await waitReady(release, namespace, deadline);
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
      stopping.signal,
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
    if (occurrence.operation === 'TERMINATE') {
      // Nothing brings deleted workloads back as they were: refused, as Tacker does.
      await ledger.failTemporarily(
        occurrence.id,
        occurrence.attempt,
        problem(422, 'a TERMINATE operation cannot be rolled back'),
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
          stopping.signal,
        );
      } else {
        await helm.run(
          [
            'rollback',
            release,
            String(before),
            '--namespace',
            namespace,
            '--description',
            description(occurrence, `${occurrence.operation} rollback`),
          ],
          stopping.signal,
        );
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

  // -------------------------------------------------------------------------------------------
  // Jobs

  async function drive(job: DmsJob): Promise<'done' | 'busy'> {
    const seen = await ledger.occurrences.get(job.occurrenceId);
    if (seen === undefined || seen.attempt !== job.attempt || !RUNNING_STATES.has(seen.operationState))
      return 'done';
    const lease = occurrenceLeaseName(job.occurrenceId);
    // One owner per handling, not per runner: even a duplicate delivery to this runner cannot share it.
    const owner = `${consumerName}/${randomUUID().slice(0, 8)}`;
    if (!(await store.leases.acquire(lease, owner, settings.leaseTtlMs))) return 'busy';
    const renew = setInterval(
      () => {
        store.leases.acquire(lease, owner, settings.leaseTtlMs).catch((error: unknown) => {
          logger.warn({ err: error, occurrenceId: job.occurrenceId }, 'could not renew an occurrence lease');
        });
      },
      Math.max(10, Math.floor(settings.leaseTtlMs / 3)),
    );
    try {
      const occurrence = await ledger.beginProcessing(job.occurrenceId, job.attempt);
      if (occurrence === undefined) return 'done';
      const instance = await ledger.instances.get(occurrence.vnfInstanceId);
      if (instance === undefined) {
        await ledger.failTemporarily(
          occurrence.id,
          occurrence.attempt,
          problem(409, 'the VNF instance no longer exists'),
        );
        return 'done';
      }
      logger.info(
        {
          clusterId,
          occurrenceId: occurrence.id,
          operation: occurrence.operation,
          state: occurrence.operationState,
          attempt: occurrence.attempt,
        },
        'DMS job started',
      );
      if (occurrence.operationState === 'ROLLING_BACK') await rollBack(occurrence, instance);
      else if (occurrence.operation === 'INSTANTIATE') await instantiate(occurrence, instance);
      else if (occurrence.operation === 'TERMINATE') await terminate(occurrence, instance);
      else await ledger.complete(occurrence.id, occurrence.attempt, {});
      const after = await ledger.occurrences.get(occurrence.id);
      logger.info({ clusterId, occurrenceId: occurrence.id, state: after?.operationState }, 'DMS job ended');
      return 'done';
    } finally {
      clearInterval(renew);
      await store.leases.release(lease, owner).catch(() => undefined);
    }
  }

  async function handle(entry: LogEntry<DmsJob>): Promise<void> {
    if (!isDmsJob(entry.event)) {
      await log.ack(DMS_JOB_GROUP, [entry.cursor]);
      return;
    }
    const job = entry.event;
    try {
      const outcome = await drive(job);
      if (outcome === 'busy') return; // another runner drives it; claimed again if that runner dies
      await log.ack(DMS_JOB_GROUP, [entry.cursor]);
      await jobs.clearMark(job.occurrenceId, job.attempt);
    } catch (error) {
      if (error instanceof Interrupted || stopping.signal.aborted) return; // left for another runner
      // An unexpected failure (store down, bug): the occurrence must not hang. Say so on it.
      logger.error({ err: error, clusterId, occurrenceId: job.occurrenceId }, 'DMS job failed unexpectedly');
      const failed = await ledger
        .failTemporarily(
          job.occurrenceId,
          job.attempt,
          problem(503, 'the job ended unexpectedly on the cluster; retry or roll back'),
        )
        .catch(() => undefined);
      if (failed !== undefined) {
        await log.ack(DMS_JOB_GROUP, [entry.cursor]).catch(() => undefined);
        await jobs.clearMark(job.occurrenceId, job.attempt).catch(() => undefined);
      }
    }
  }

  /** Occurrences this runner drives now: a stale-claim of their own entry must not start them twice. */
  const driving = new Set<string>();

  function start(entries: readonly LogEntry<DmsJob>[]): void {
    for (const entry of entries) {
      const key = isDmsJob(entry.event) ? entry.event.occurrenceId : undefined;
      if (key !== undefined && driving.has(key)) continue;
      if (key !== undefined) driving.add(key);
      const task = handle(entry).finally(() => {
        inFlight.delete(task);
        if (key !== undefined) driving.delete(key);
      });
      inFlight.add(task);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Sweep: running occurrences of this cluster that nobody drives and no queued job will.

  async function sweep(): Promise<void> {
    const cutoff = now().getTime() - settings.sweepGraceMs;
    for (const { doc } of await ledger.occurrences.list()) {
      if (doc.clusterId !== clusterId || !RUNNING_STATES.has(doc.operationState)) continue;
      if (Date.parse(doc.stateEnteredTime) > cutoff) continue;
      if ((await store.leases.holder(occurrenceLeaseName(doc.id))) !== undefined) continue;
      const mark = await jobs.mark(doc.id);
      const queued =
        mark !== undefined &&
        mark.attempt === doc.attempt &&
        now().getTime() - Date.parse(mark.queuedAt) < settings.abandonAfterMs;
      if (queued) continue;
      logger.warn(
        { clusterId, occurrenceId: doc.id, state: doc.operationState },
        'occurrence abandoned: nobody drives it',
      );
      if (doc.operationState === 'ROLLING_BACK') {
        await ledger.rolledBack(
          doc.id,
          doc.attempt,
          ['ROLLING_BACK'],
          problem(
            503,
            'the rollback was interrupted (netweave restarted); the release may need a new operation',
          ),
        );
      } else {
        await ledger.failTemporarily(
          doc.id,
          doc.attempt,
          problem(
            503,
            'the operation was interrupted (netweave restarted or its job was lost); retry, roll back or fail it',
          ),
        );
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Main loop

  const loop = (async () => {
    let nextSweep = 0;
    while (!stopping.signal.aborted) {
      try {
        if (Date.now() >= nextSweep) {
          nextSweep = Date.now() + settings.sweepIntervalMs;
          await sweep();
          const free = settings.maxConcurrentJobs - inFlight.size;
          if (free > 0)
            start(
              await log.claimStale(DMS_JOB_GROUP, consumerName, { idleMs: settings.staleJobMs, count: free }),
            );
        }
        const free = settings.maxConcurrentJobs - inFlight.size;
        if (free <= 0) {
          await Promise.race([...inFlight, sleep(settings.pollIntervalMs)]);
          continue;
        }
        const wait = Math.min(1_000, Math.max(10, nextSweep - Date.now()));
        start(await log.claimNext(DMS_JOB_GROUP, consumerName, { count: free, blockMs: wait }));
      } catch (error) {
        if (stopping.signal.aborted) break;
        logger.warn({ err: error, clusterId }, 'DMS job runner: claiming failed; retrying');
        await sleep(1_000);
      }
    }
  })();

  logger.info({ clusterId, consumerName }, 'DMS job runner started');
  let disposing: Promise<void> | undefined;
  const dispose = (): Promise<void> => {
    disposing ??= (async () => {
      stopping.abort();
      await loop;
      await Promise.allSettled([...inFlight]);
      await rm(home, { recursive: true, force: true });
    })();
    return disposing;
  };
  return { consumerName, sweep, dispose, [Symbol.asyncDispose]: dispose };
}
