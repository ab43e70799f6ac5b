/**
 * Keeps a cluster's derived alarms in the ledger in line with the rules (alarm-rules.ts): every node and pod
 * change re-evaluates the rules of that node, and the difference is written to the ledger as raises and
 * clears. Level-triggered, like a Kubernetes controller: the monitor holds the DESIRED set of conditions and a
 * worker brings the ledger to it, key by key, retrying with backoff while the state store does not answer
 * (flaps faster than the store collapse into their end state).
 *
 * After a restart the monitor waits for the informers' first list, then clears the alarms this cluster had
 * raised whose conditions no longer hold (they went away while nobody watched), and raises the rest (a raise
 * of an alarm that is already active changes nothing).
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { type AlarmCondition, type AlarmLedger, alarmKeyOf } from '../../alarms/alarm-ledger.ts';
import { PERCEIVED_SEVERITY } from '../../alarms/alarm-record.ts';
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
}

export interface ClusterAlarmMonitor extends AsyncDisposable {
  /** Resolves once the alarms of the first full evaluation are in the ledger. */
  readonly ready: Promise<void>;
  /** Resolves when every change observed so far has reached the ledger (tests, orderly shutdown). */
  idle(): Promise<void>;
  dispose(): Promise<void>;
}

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
    const before = nodeConditions.get(nodeName) ?? new Map<string, AlarmCondition>();
    for (const [key, condition] of next) {
      desired.set(key, condition);
      dirty.add(key);
    }
    for (const key of before.keys()) {
      if (next.has(key)) continue;
      desired.delete(key);
      dirty.add(key);
    }
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
  const stopInformers = informers.onEvent((event) => {
    if (event.kind !== 'pods' || disposed) return;
    applyPod(event.object, event.type === 'delete');
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
    for (let attempt = 1; !disposed; attempt++) {
      try {
        for (const alarm of await ledger.list()) {
          const stale =
            alarm.source === 'cluster' &&
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
      pause.cancel();
      await working;
    },
    [Symbol.asyncDispose]() {
      return monitor.dispose();
    },
  };
  return monitor;
}
