/**
 * The DMS job runner of one cluster (docs/architecture.md "Data flows" and docs/dms.md): claims the cluster's jobs from
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
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  type DmsJob,
  type OccurrenceRecord,
  type PackageCatalog,
} from '../../../dms/lifecycle/index.ts';
import type { LogEntry, StateStore } from '../../../state/store.ts';
import type { KubeAccessConfig } from '../config.ts';
import { CoreV1Api } from '@kubernetes/client-node';
import { day2Operations } from './day2.ts';
import { HelmCli, HelmError } from './helm-cli.ts';
import { releaseSecretRecords } from './release-secrets.ts';
import { Wakeup, realTimers } from '../../../common/timers.ts';
import { fullKubeConfig } from '../kube-full-config.ts';
import { CancelRequested, Interrupted, problem, releaseOperations } from './operations.ts';
import type { WorkloadView } from './readiness.ts';
import { policyGate } from './policy-gate.ts';
import { DEFAULT_POOL_LABEL } from '../config.ts';

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
  /** The cluster's O-Cloud site (name and oCloudSiteId), for placement rules (policy-gate.ts). */
  readonly site?: { readonly name: string; readonly id: string };
  /** Node label naming a node's resource pool (default netweave.io/pool). */
  readonly poolLabel?: string;
  readonly logger?: Logger;
  /** Consumer and lease owner name; unique per runner (default: cluster id + random). */
  readonly consumerName?: string;
  readonly now?: () => Date;
  /**
   * Subscribes to changes of workloads and pods (the cluster subgraph's informers); readiness waits wake on
   * them (polling every `pollIntervalMs` stays as the fallback). Answers the unsubscribe function.
   */
  readonly onWorkloadChange?: (listener: () => void) => () => void;
  /** Told how each helm process ended (the subgraph's `netweave_helm_process_duration_seconds`). */
  readonly onHelmProcess?: (command: string, outcome: 'ok' | 'error', seconds: number) => void;
}

export interface DeploymentJobRunner extends AsyncDisposable {
  readonly consumerName: string;
  /** Runs the stuck-occurrence sweep now (it also runs periodically). */
  sweep(): Promise<void>;
  dispose(): Promise<void>;
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
  const core = fullKubeConfig(options.kube).makeApiClient(CoreV1Api);
  const helm = new HelmCli({
    // History and manifests from the release Secrets: one API list instead of a helm process each.
    records: releaseSecretRecords(core),
    onRecordsFallback: (error) =>
      logger.warn({ err: error, clusterId }, 'reading Helm release Secrets failed; running helm instead'),
    helmPath: options.helmPath ?? 'helm',
    kube: options.kube,
    homeDir: home,
    maxProcesses: options.maxHelmProcesses ?? 4,
    processTimeoutMs: options.helmTimeoutMs ?? 600_000,
    ...(options.onHelmProcess === undefined ? {} : { onProcess: options.onHelmProcess }),
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

  const workloadChanged = new Wakeup();
  const stopWatchingWorkloads = options.onWorkloadChange?.(() => workloadChanged.wake());
  const baseDeps = {
    nextWorkloadChange: (ms: number) => workloadChanged.wait(ms, realTimers, stopping.signal),
    clusterId,
    helm,
    ledger,
    packages,
    workloads,
    logger,
    signal: stopping.signal,
    home,
    settings,
    sleep,
  };
  /** Recovery after a cancelled job runs on the runner's own signal, not the job's (killed) one. */
  const { recoverPending } = releaseOperations(baseDeps);
  const gate = policyGate({
    ...baseDeps,
    store,
    ...(options.site === undefined ? {} : { site: options.site }),
    poolLabel: options.poolLabel ?? DEFAULT_POOL_LABEL,
    planUpgrade: (occurrence, instance) =>
      day2Operations({ ...baseDeps, recoverPending, deletePod: () => Promise.resolve() }).plan(
        occurrence,
        instance,
      ),
  });
  const deletePod = async (namespace: string, name: string): Promise<void> => {
    try {
      await core.deleteNamespacedPod({ name, namespace });
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
  };

  /**
   * Cancel of a PROCESSING/ROLLING_BACK occurrence (the REST side set isCancelPending): the job's
   * helm process was killed (FORCEFUL) or it stopped at a step boundary (GRACEFUL). The release is
   * settled (a killed helm leaves it pending or failed) and the occurrence ends FAILED_TEMP.
   */
  async function endCancelled(occurrence: OccurrenceRecord): Promise<void> {
    const release = occurrence.execution?.releaseName;
    const namespace = occurrence.execution?.namespace;
    let settledNote = '';
    if (release !== undefined && namespace !== undefined) {
      try {
        await recoverPending(occurrence, release, namespace);
      } catch (error) {
        if (!(error instanceof HelmError) || error.aborted) throw error;
        settledNote = `; the release could not be settled: ${error.stderr.slice(0, 500)}`;
      }
    }
    await ledger.transition(
      occurrence.id,
      (o) =>
        o.attempt === occurrence.attempt &&
        (o.operationState === 'PROCESSING' || o.operationState === 'ROLLING_BACK'),
      (o, at) => ({
        ...o,
        operationState: 'FAILED_TEMP',
        stateEnteredTime: at,
        isCancelPending: false,
        error: {
          status: 409,
          title: 'Cancelled',
          detail: `the operation was cancelled (${o.cancelMode ?? 'GRACEFUL'}) while ${o.operationState}${settledNote}`,
        },
      }),
    );
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
      // Policy is decided while the occurrence is STARTING: a refusal ends it ROLLED_BACK, untouched.
      if (seen.operationState === 'STARTING') {
        const bound = await ledger.instances.get(seen.vnfInstanceId);
        if (bound?.activeOccurrenceId === seen.id && (await gate.admit(seen, bound)) === 'refused')
          return 'done';
      }
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
      if (instance.activeOccurrenceId !== occurrence.id) {
        // An occurrence recorded by a request that died before it claimed the instance: it never
        // started, and must not touch a release the instance does not entrust to it.
        await ledger.rolledBack(
          occurrence.id,
          occurrence.attempt,
          ['PROCESSING', 'ROLLING_BACK'],
          problem(409, 'the VNF instance was never bound to this occurrence; nothing was done'),
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
      // Per job: a FORCEFUL cancel kills this job's helm (and nothing else); a GRACEFUL one stops it
      // at the next step boundary. The REST side marks the occurrence; this watch notices.
      const forceful = new AbortController();
      let graceful = false;
      const watch = setInterval(() => {
        ledger.occurrences
          .get(occurrence.id)
          .then((o) => {
            if (o?.isCancelPending !== true) return;
            if (o.cancelMode === 'FORCEFUL') forceful.abort();
            else graceful = true;
          })
          .catch(() => undefined);
      }, settings.pollIntervalMs);
      const jobDeps = {
        ...baseDeps,
        signal: AbortSignal.any([stopping.signal, forceful.signal]),
        stopRequested: () => graceful,
      };
      const { instantiate, terminate, rollBack } = releaseOperations(jobDeps);
      const day2 = day2Operations({ ...jobDeps, recoverPending, deletePod });
      try {
        if (occurrence.operationState === 'ROLLING_BACK') await rollBack(occurrence, instance);
        else if (occurrence.operation === 'INSTANTIATE') await instantiate(occurrence, instance);
        else if (occurrence.operation === 'TERMINATE') await terminate(occurrence, instance);
        else if (occurrence.operation === 'MODIFY_INFO')
          await ledger.complete(occurrence.id, occurrence.attempt, {});
        else await day2.run(occurrence, instance);
      } catch (error) {
        const cancelled = forceful.signal.aborted || error instanceof CancelRequested;
        if (!cancelled || stopping.signal.aborted) throw error;
        const latest = (await ledger.occurrences.get(occurrence.id)) ?? occurrence;
        await endCancelled(latest);
      } finally {
        clearInterval(watch);
      }
      // A cancel that came too late (the job ended anyway) is no longer pending.
      await ledger.transition(
        occurrence.id,
        (o) => o.isCancelPending && !RUNNING_STATES.has(o.operationState),
        (o) => ({ ...o, isCancelPending: false }),
      );
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
      // The lease may still be held for a moment by the handler of the previous attempt (a retry or
      // rollback queued right after a failure): wait for it, bounded by one lease time. Past that,
      // another runner drives the occurrence; the entry stays unacked and is claimed if that one dies.
      const busyUntil = Date.now() + settings.leaseTtlMs;
      let outcome = await drive(job);
      while (outcome === 'busy' && Date.now() < busyUntil && !stopping.signal.aborted) {
        await sleep(Math.min(1_000, settings.pollIntervalMs * 2));
        outcome = await drive(job);
      }
      if (outcome === 'busy') return;
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

  /** Jobs (occurrence + attempt) this runner drives now: a stale claim of their own entry must not start them twice. */
  const driving = new Set<string>();

  function start(entries: readonly LogEntry<DmsJob>[]): void {
    for (const entry of entries) {
      const key = isDmsJob(entry.event) ? `${entry.event.occurrenceId}#${entry.event.attempt}` : undefined;
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
      stopWatchingWorkloads?.();
      stopping.abort();
      await loop;
      await Promise.allSettled([...inFlight]);
      await rm(home, { recursive: true, force: true });
    })();
    return disposing;
  };
  return { consumerName, sweep, dispose, [Symbol.asyncDispose]: dispose };
}
