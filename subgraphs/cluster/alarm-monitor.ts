/**
 * Keeps a cluster's derived alarms in the ledger in line with the rules (alarm-rules.ts): every node and pod
 * change re-evaluates the rules of that node, and the difference is written to the ledger as raises and
 * clears. Level-triggered, like a Kubernetes controller: the monitor holds the DESIRED set of conditions and a
 * worker brings the ledger to it, key by key, retrying with backoff while the state store does not answer
 * (flaps faster than the store collapse into their end state).
 *
 * NF deployments (nf-alarm-rules.ts): with `nf`, the pods of every INSTANTIATED VNF instance of this cluster
 * (read from the DMS records in the state store) are evaluated too — after a short debounce on any pod,
 * workload or Helm release change, and again when an unready pod's grace period ends — into the same
 * desired set, so their alarms take the same way to the ledger as the node alarms.
 *
 * After a restart the monitor waits for the informers' first list, then clears the alarms this cluster had
 * raised whose conditions no longer hold (they went away while nobody watched), and raises the rest (a raise
 * of an alarm that is already active changes nothing).
 */
import { isDeepStrictEqual } from 'node:util';
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { type AlarmCondition, type AlarmLedger, alarmKeyOf } from '../../alarms/alarm-ledger.ts';
import { PERCEIVED_SEVERITY } from '../../alarms/alarm-record.ts';
import { NF_POD_ALARM_CODES } from '../../dms/notifications/nf-alarms.ts';
import {
  type PodCrashLoop,
  type RestartBaselines,
  crashLoopAlarm,
  crashLoopOf,
  nextBaselines,
  resourceAlarms,
} from './alarm-rules.ts';
import type { ClusterInformers } from './informers.ts';
import type { ClusterInventory } from './inventory.ts';
import type { Resource } from './model.ts';
import { helmReleasesOf } from './helm-releases.ts';
import { workloadStates } from './deployments/readiness.ts';
import { DEFAULT_NF_UNREADY_GRACE_MS, nfInstanceAlarms } from './nf-alarm-rules.ts';
import type { DmsRecordSource } from './nf-deployments.ts';
import {
  backoffDelay,
  CancellablePause,
  realTimers,
  type BackoffPolicy,
  type Timers,
} from '../../common/timers.ts';

export interface ClusterAlarmMonitorOptions {
  readonly clusterId: string;
  readonly inventory: Pick<ClusterInventory, 'onChange' | 'resources'>;
  readonly informers: Pick<ClusterInformers, 'onEvent' | 'cache' | 'synced'>;
  readonly ledger: AlarmLedger;
  readonly logger?: Logger;
  /** Pause before retry number `attempt` (1-based) of a failed ledger write. */
  readonly retryDelayMs?: (attempt: number) => number;
  /** Pauses and jitter (common/timers.ts). */
  readonly timers?: Timers;
  /** Alarms of NF deployments' pods: the DMS records naming this cluster's instances, and the unready grace. */
  readonly nf?: { readonly records: DmsRecordSource; readonly unreadyGraceMs?: number };
}

/** Pod and workload changes come in bursts (a rollout): one NF evaluation per burst. */
const NF_DEBOUNCE_MS = 300;
/** Pause before evaluating NF alarms again after the DMS records could not be read. */
const NF_RETRY_MS = 5_000;
const NF_TRIGGER_KINDS: ReadonlySet<string> = new Set([
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'helmreleases',
]);

export interface ClusterAlarmMonitor extends AsyncDisposable {
  /** Resolves once the alarms of the first full evaluation are in the ledger. */
  readonly ready: Promise<void>;
  /** Resolves when every change observed so far has reached the ledger (tests, orderly shutdown). */
  idle(): Promise<void>;
  dispose(): Promise<void>;
}

const NF_POD_CODES: ReadonlySet<string> = new Set(Object.values(NF_POD_ALARM_CODES));

/** Retries of ledger writes while the state store does not answer. */
const LEDGER_RETRY: BackoffPolicy = { initialDelayMs: 200, maxDelayMs: 10_000, multiplier: 2, jitter: 0.5 };

function podKey(pod: V1Pod): string {
  return pod.metadata?.uid ?? `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export function startClusterAlarmMonitor(options: ClusterAlarmMonitorOptions): ClusterAlarmMonitor {
  const { clusterId, inventory, informers, ledger } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const timers = options.timers ?? realTimers;
  const retryDelay =
    options.retryDelayMs ?? ((attempt: number) => backoffDelay(LEDGER_RETRY, attempt, timers.random));

  /** Node resources by node name (crash loops are reported on the node their pods run on). */
  const nodes = new Map<string, Resource>();
  /** Desired conditions of each node's rules, by node name: its own, its elements', its crash loops. */
  const nodeConditions = new Map<string, Map<string, AlarmCondition>>();
  /** Crash-looping pods per node name, by pod key. */
  const crashLoops = new Map<string, Map<string, PodCrashLoop>>();
  const podNodes = new Map<string, string>();
  const baselines = new Map<string, RestartBaselines>();

  /** The ledger's target: the conditions that should be active alarms, by alarm key. */
  const desired = new Map<string, AlarmCondition>();
  const dirty = new Set<string>();
  let running = false;
  let disposed = false;
  let working: Promise<void> | undefined;
  const pause = new CancellablePause(timers);

  const nodeNameOf = (resource: Resource): string => {
    const name = resource.extensions['nodeName'];
    return typeof name === 'string' ? name : '';
  };

  /** One rule group's desired conditions go from `before` to `next`: marks the keys whose state changed. */
  const replaceDesired = (
    before: ReadonlyMap<string, AlarmCondition> | undefined,
    next: ReadonlyMap<string, AlarmCondition>,
  ): void => {
    for (const [key, condition] of next) {
      const old = before?.get(key);
      if (old !== undefined && isDeepStrictEqual(old, condition)) continue;
      desired.set(key, condition);
      dirty.add(key);
    }
    for (const key of before?.keys() ?? []) {
      if (next.has(key)) continue;
      desired.delete(key);
      dirty.add(key);
    }
  };

  /** Re-evaluates one node's rules and marks the keys whose desired state changed. */
  const evaluateNode = (nodeName: string): void => {
    const resource = nodes.get(nodeName);
    const next = new Map<string, AlarmCondition>();
    if (resource !== undefined) {
      const conditions = resourceAlarms(clusterId, resource);
      const loops = [...(crashLoops.get(nodeName)?.values() ?? [])];
      const crashLoop = crashLoopAlarm(clusterId, resource, loops);
      if (crashLoop !== undefined) conditions.push(crashLoop);
      for (const condition of conditions) next.set(alarmKeyOf(condition), condition);
    }
    replaceDesired(nodeConditions.get(nodeName), next);
    if (next.size === 0) nodeConditions.delete(nodeName);
    else nodeConditions.set(nodeName, next);
    pump();
  };

  const applyResource = (resource: Resource | null, prior: Resource | null): void => {
    if (prior !== null && (resource === null || nodeNameOf(prior) !== nodeNameOf(resource))) {
      const name = nodeNameOf(prior);
      // A node re-created under its name replaces the resource; only a real deletion empties the slot.
      if (nodes.get(name)?.resourceId === prior.resourceId) nodes.delete(name);
      evaluateNode(name);
    }
    if (resource !== null) {
      nodes.set(nodeNameOf(resource), resource);
      evaluateNode(nodeNameOf(resource));
    }
  };

  const applyPod = (pod: V1Pod, deleted: boolean): void => {
    const key = podKey(pod);
    const formerNode = podNodes.get(key);
    const nodeName = deleted ? undefined : (pod.spec?.nodeName ?? undefined);
    let loop: PodCrashLoop | undefined;
    if (deleted) {
      baselines.delete(key);
      podNodes.delete(key);
    } else {
      const prior = baselines.get(key);
      loop = crashLoopOf(pod, prior ?? nextBaselines(pod, undefined));
      baselines.set(key, nextBaselines(pod, prior));
      if (nodeName === undefined) podNodes.delete(key);
      else podNodes.set(key, nodeName);
    }
    const touched = new Set<string>();
    if (formerNode !== undefined && formerNode !== nodeName) {
      if (crashLoops.get(formerNode)?.delete(key)) touched.add(formerNode);
    }
    if (nodeName !== undefined) {
      let byPod = crashLoops.get(nodeName);
      const had = byPod?.has(key) ?? false;
      if (loop !== undefined) {
        if (byPod === undefined) crashLoops.set(nodeName, (byPod = new Map()));
        const previous = byPod.get(key);
        byPod.set(key, loop);
        if (previous === undefined || previous.containers.join() !== loop.containers.join())
          touched.add(nodeName);
      } else if (had) {
        byPod!.delete(key);
        touched.add(nodeName);
      }
    }
    for (const name of touched) {
      if (crashLoops.get(name)?.size === 0) crashLoops.delete(name);
      evaluateNode(name);
    }
  };

  const stopInventory = inventory.onChange((change) => {
    if (change.objectKind !== 'RESOURCE' || disposed) return;
    applyResource(change.postObjectState, change.priorObjectState);
  });
  // ---- NF deployments -------------------------------------------------------------------------------
  const nf = options.nf;
  const unreadyGraceMs = nf?.unreadyGraceMs ?? DEFAULT_NF_UNREADY_GRACE_MS;
  /** Desired NF pod alarms, by alarm key. */
  let nfConditions = new Map<string, AlarmCondition>();
  let nfTimer: { at: number; handle: NodeJS.Timeout } | undefined;
  let nfRunning: Promise<void> | undefined;
  let nfAgain = false;

  /** Evaluates NF alarms at `at` (epoch ms) unless an evaluation is due earlier already. */
  const scheduleNf = (at: number): void => {
    if (nf === undefined || disposed || !running) return;
    if (nfTimer !== undefined) {
      if (nfTimer.at <= at) return;
      clearTimeout(nfTimer.handle);
    }
    const handle = setTimeout(
      () => {
        nfTimer = undefined;
        void runNf();
      },
      Math.max(0, at - timers.now()),
    );
    handle.unref();
    nfTimer = { at, handle };
  };

  /** One evaluation at a time; a trigger during one runs another after it. */
  const runNf = async (): Promise<void> => {
    if (nfRunning !== undefined) {
      nfAgain = true;
      return nfRunning;
    }
    nfRunning = evaluateNf()
      .catch((error: unknown) => {
        logger.warn({ err: error, clusterId }, 'alarm monitor: reading the DMS records failed, retrying');
        scheduleNf(timers.now() + NF_RETRY_MS);
      })
      .finally(() => {
        nfRunning = undefined;
        if (nfAgain) {
          nfAgain = false;
          scheduleNf(timers.now() + NF_DEBOUNCE_MS);
        }
      });
    return nfRunning;
  };

  /** The pod alarms of every INSTANTIATED instance of this cluster, made the desired NF set. */
  const evaluateNf = async (): Promise<void> => {
    if (nf === undefined) return;
    const instances = (await nf.records.instances()).filter(
      (instance) =>
        instance.clusterId === clusterId &&
        instance.instantiationState === 'INSTANTIATED' &&
        instance.namespace !== undefined,
    );
    if (disposed) return;
    const names = new Set(instances.map((instance) => instance.releaseName));
    // Only the instances' release Secrets are decoded (Helm labels them with the release name).
    const secrets = informers
      .cache('helmreleases')
      .list()
      .filter((secret) => names.has(secret.metadata?.labels?.['name'] ?? ''));
    const releases = new Map(
      helmReleasesOf(clusterId, secrets).map((release) => [
        `${release.namespace}\u0000${release.name}`,
        release,
      ]),
    );
    const now = timers.now();
    const next = new Map<string, AlarmCondition>();
    let nextCheckAt: number | undefined;
    for (const instance of instances) {
      const release = releases.get(`${instance.namespace ?? ''}\u0000${instance.releaseName}`);
      if (release === undefined) continue;
      const evaluation = nfInstanceAlarms({
        instance,
        workloads: workloadStates(informers, release.workloadRefs),
        baselines: (pod) => baselines.get(podKey(pod)),
        now,
        unreadyGraceMs,
      });
      for (const condition of evaluation.conditions) next.set(alarmKeyOf(condition), condition);
      if (evaluation.nextCheckAt !== undefined)
        nextCheckAt = Math.min(nextCheckAt ?? Infinity, evaluation.nextCheckAt);
    }
    replaceDesired(nfConditions, next);
    nfConditions = next;
    pump();
    if (nextCheckAt !== undefined) scheduleNf(nextCheckAt);
  };

  const stopInformers = informers.onEvent((event) => {
    if (disposed) return;
    if (event.kind === 'pods') applyPod(event.object, event.type === 'delete');
    if (NF_TRIGGER_KINDS.has(event.kind)) scheduleNf(timers.now() + NF_DEBOUNCE_MS);
  });

  /** Writes one key's desired state to the ledger. */
  const reconcile = async (key: string): Promise<void> => {
    const condition = desired.get(key);
    if (condition === undefined) await ledger.clear(key);
    else await ledger.raise(condition);
  };

  const work = async (): Promise<void> => {
    let failures = 0;
    while (!disposed && dirty.size > 0) {
      const key = dirty.values().next().value as string;
      dirty.delete(key);
      try {
        await reconcile(key);
        failures = 0;
      } catch (error) {
        dirty.add(key);
        failures++;
        const delay = retryDelay(failures);
        logger.warn(
          { err: error, clusterId, attempt: failures, retryInMs: delay },
          'alarm monitor: writing an alarm failed, retrying',
        );
        await pause.for(delay);
      }
    }
  };

  function pump(): void {
    if (!running || disposed) return;
    working ??= work().finally(() => {
      working = undefined;
      if (!disposed && dirty.size > 0) pump();
    });
  }

  /** The whole cluster evaluated from the caches, and alarms of conditions that went away meanwhile cleared. */
  const resync = async (): Promise<void> => {
    for (const resource of inventory.resources()) nodes.set(nodeNameOf(resource), resource);
    for (const pod of informers.cache('pods').list()) applyPod(pod, false);
    for (const name of nodes.keys()) evaluateNode(name);
    // NF alarms whose records cannot be read now are left alone (not taken for stale); the retry settles them.
    let nfKnown = nf === undefined;
    if (nf !== undefined) {
      try {
        await evaluateNf();
        nfKnown = true;
      } catch (error) {
        logger.warn({ err: error, clusterId }, 'alarm monitor: reading the DMS records failed');
      }
    }
    for (let attempt = 1; !disposed; attempt++) {
      try {
        for (const alarm of await ledger.list()) {
          const stale =
            alarm.source === 'cluster' &&
            (nfKnown || !NF_POD_CODES.has(alarm.alarmCode)) &&
            alarm.clusterId === clusterId &&
            alarm.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED &&
            !desired.has(alarm.alarmKey);
          if (stale) dirty.add(alarm.alarmKey);
        }
        return;
      } catch (error) {
        const delay = retryDelay(attempt);
        logger.warn(
          { err: error, clusterId, attempt, retryInMs: delay },
          'alarm monitor: reading the alarms failed, retrying',
        );
        await pause.for(delay);
      }
    }
  };

  const ready = (async () => {
    await informers.synced();
    if (disposed) return;
    await resync();
    running = true;
    pump();
    // Catches what changed during the start-up evaluation, and a failed one.
    scheduleNf(timers.now());
    while (working !== undefined) await working;
  })();
  ready.catch((error: unknown) => logger.error({ err: error, clusterId }, 'alarm monitor failed to start'));

  const monitor: ClusterAlarmMonitor = {
    ready,
    async idle() {
      await ready;
      while (working !== undefined) await working;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      stopInventory();
      stopInformers();
      if (nfTimer !== undefined) clearTimeout(nfTimer.handle);
      pause.cancel();
      await nfRunning;
      await working;
    },
    [Symbol.asyncDispose]() {
      return monitor.dispose();
    },
  };
  return monitor;
}
