/**
 * The gateway's share of infrastructure monitoring, done by ONE replica at a time (the holder of the
 * `monitoring.leader` lease), so N replicas neither purge twice nor disagree about a cluster:
 *
 * - cluster reachability: every shard is probed through a ClusterProbe (the router's ShardReachability, plus the
 *   failures the shard executor reports); an unreachable cluster gets a ClusterUnreachable alarm on its deployment manager, which
 *   clears when it answers again — and when it is deregistered;
 * - retention: cleared alarms older than the alarm service configuration's `retentionPeriod` days are purged;
 * - recovery: events a crashed writer left in an alarm's outbox are appended to the alarm log.
 *
 * Another replica takes over within a lease TTL when the leader dies. Clocks and pauses are injectable.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AlarmLedger } from './alarm-ledger.ts';
import { alarmKeyOf } from './alarm-ledger.ts';
import { PERCEIVED_SEVERITY } from './alarm-record.ts';
import { clusterAlarmCondition } from './cluster-alarm-subject.ts';
import type { MonitoringConfig } from '../common/config.ts';
import type { StateStore } from '../state/store.ts';
import { realTimers } from '../common/timers.ts';
import type { Timers } from '../common/timers.ts';
import { AlarmServiceConfigurationStore } from './service-configuration.ts';

export const MONITORING_LEADER_LEASE = 'monitoring.leader';
const DAY_MS = 24 * 60 * 60 * 1000;

export type ClusterReachabilityChange =
  | { readonly clusterId: string; readonly reachable: false; readonly reason: string }
  | { readonly clusterId: string; readonly reachable: true };

/**
 * What the leader job needs to know about cluster shards, without knowing the router: the router's
 * ShardReachability (router/shard-reachability.ts) implements it over its shard pool.
 */
export interface ClusterProbe {
  /** The clusters registered now. */
  clusterIds(): readonly string[];
  /** One probe round over every registered cluster. */
  probe(): Promise<void>;
  /** Clusters currently considered unreachable, with the last reason. */
  unreachable(): ReadonlyMap<string, string>;
  /** A failure seen elsewhere (the shard executor's `onShardFailure`). */
  reportFailure(clusterId: string, reason: string): void;
  /** Transitions only; returns the unsubscribe function. */
  onChange(listener: (change: ClusterReachabilityChange) => void): () => void;
}

export interface MonitoringServiceOptions {
  readonly store: StateStore;
  readonly ledger: AlarmLedger;
  readonly probe: ClusterProbe;
  readonly config: MonitoringConfig;
  readonly logger?: Logger;
  /** Unique per process; host, pid and a random suffix by default. */
  readonly replicaId?: string;
  readonly timers?: Timers;
}

export interface MaintenanceReport {
  readonly purged: number;
  readonly flushed: number;
}

export interface MonitoringService extends AsyncDisposable {
  readonly replicaId: string;
  readonly isLeader: boolean;
  /** The shard executor's `onShardFailure`: counts toward the cluster's unreachability (on the leader). */
  reportShardFailure(clusterId: string, reason: string): void;
  /** One probe round and its alarms, whoever leads (tests; the leader runs it periodically). */
  checkClusters(): Promise<void>;
  /** One retention and recovery round, whoever leads (tests; the leader runs it periodically). */
  maintain(): Promise<MaintenanceReport>;
  stop(): Promise<void>;
}

export function startMonitoringService(options: MonitoringServiceOptions): MonitoringService {
  const { store, ledger, config } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const timers = options.timers ?? realTimers;
  const replicaId = options.replicaId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const reachability = options.probe;
  const serviceConfiguration = new AlarmServiceConfigurationStore(store, {
    retentionPeriod: config.defaultRetentionDays,
    extensions: {},
  });
  const stopping = new AbortController();
  let leader = false;

  reachability.onChange((change) => {
    if (change.reachable) logger.info({ clusterId: change.clusterId }, 'cluster answers again');
    else
      logger.warn(
        { clusterId: change.clusterId, reason: change.reason },
        'cluster unreachable: raising an alarm',
      );
  });

  const unreachableCondition = (clusterId: string, reason: string) =>
    clusterAlarmCondition({
      clusterId,
      code: 'ClusterUnreachable',
      source: 'gateway',
      extensions: { reason },
    });

  /** Level-triggered: every registered cluster's alarm is brought in line with its current reachability. */
  const checkClusters = async (): Promise<void> => {
    await reachability.probe();
    const unreachable = reachability.unreachable();
    for (const clusterId of reachability.clusterIds()) {
      const reason = unreachable.get(clusterId);
      const condition = unreachableCondition(clusterId, reason ?? '');
      if (reason !== undefined) await ledger.raise(condition);
      else await ledger.clear(alarmKeyOf(condition));
    }
  };

  const maintain = async (): Promise<MaintenanceReport> => {
    const { value } = await serviceConfiguration.read();
    const cutoff = new Date(timers.now() - value.retentionPeriod * DAY_MS);
    const purged = await ledger.purgeClearedBefore(cutoff);
    const flushed = await ledger.flushPending();
    // A cluster that was deregistered while unreachable will never answer again: its alarm is over.
    const registered = new Set(reachability.clusterIds());
    for (const alarm of await ledger.list()) {
      const orphan =
        alarm.source === 'gateway' &&
        alarm.alarmCode === 'ClusterUnreachable' &&
        alarm.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED &&
        alarm.clusterId !== null &&
        !registered.has(alarm.clusterId);
      if (orphan) await ledger.clear(alarm.alarmKey);
    }
    if (purged > 0 || flushed > 0)
      logger.info({ purged, flushed, retentionDays: value.retentionPeriod }, 'alarm maintenance');
    return { purged, flushed };
  };

  const run = async (): Promise<void> => {
    const ttl = config.leaderLeaseTtlMs;
    let nextProbe = 0;
    let nextMaintenance = 0;
    while (!stopping.signal.aborted) {
      try {
        const held = await store.leases.acquire(MONITORING_LEADER_LEASE, replicaId, ttl);
        if (held !== leader)
          logger.info(
            { replicaId, leader: held },
            held ? 'monitoring: leading' : 'monitoring: no longer leading',
          );
        leader = held;
        if (held && timers.now() >= nextProbe) {
          nextProbe = timers.now() + config.clusterProbe.intervalMs;
          await checkClusters();
        }
        if (held && timers.now() >= nextMaintenance) {
          nextMaintenance = timers.now() + config.maintenanceIntervalMs;
          await maintain();
        }
      } catch (error) {
        logger.warn({ err: error }, 'monitoring: leader round failed; retrying');
      }
      await timers.sleep(Math.min(Math.floor(ttl / 3), config.clusterProbe.intervalMs), stopping.signal);
    }
    if (leader) await store.leases.release(MONITORING_LEADER_LEASE, replicaId).catch(() => undefined);
    leader = false;
  };
  const running = run();

  const service: MonitoringService = {
    replicaId,
    get isLeader() {
      return leader;
    },
    reportShardFailure(clusterId, reason) {
      if (leader) reachability.reportFailure(clusterId, reason);
    },
    checkClusters,
    maintain,
    async stop() {
      stopping.abort();
      await running;
    },
    [Symbol.asyncDispose]() {
      return service.stop();
    },
  };
  return service;
}
