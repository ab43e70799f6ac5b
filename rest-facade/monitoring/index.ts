/**
 * O2 IMS infrastructure monitoring in the gateway (docs/monitoring.md): the REST API on
 * `/o2ims-infrastructureMonitoring/v1`, the Alertmanager ingest on `/netweave/v1/alertmanager`, the
 * AlarmEventNotification notifier, and the leader duties (cluster reachability alarms, retention, recovery).
 *
 * `startMonitoring` starts all of it; the gateway mounts `router` and calls `stop()` on shutdown. The pieces are
 * exported too, for tests and embedders.
 */
import type { Request, Router } from 'express';
import express from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { Registry } from 'prom-client';
import type { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import type { AuthContext } from '../../common/auth.ts';
import type { MonitoringConfig, SubscriptionsConfig } from '../../common/config.ts';
import type { GraphExecutor } from '../../router/executor.ts';
import type { StateStore } from '../../state/store.ts';
import type { Resolve } from '../../notifier/callbacks/callback-policy.ts';
import { startChannelNotifier } from '../../notifier/channel/channel-notifier.ts';
import type { ChannelNotifier } from '../../notifier/channel/channel-notifier.ts';
import type { Timers } from '../../common/timers.ts';
import { alarmNotificationChannel } from '../../notifier/alarm-channel.ts';
import { createAlertmanagerIngest } from './alertmanager.ts';
import { createMonitoringApi } from './api.ts';
import { startMonitoringService } from '../../alarms/monitoring-service.ts';
import type { ClusterProbe, MonitoringService } from '../../alarms/monitoring-service.ts';

export { createMonitoringApi, MONITORING_SERVICE_PATH, MONITORING_V1_PATH } from './api.ts';
export type { MonitoringApiOptions } from './api.ts';
export { ALERTMANAGER_PATH, createAlertmanagerIngest } from './alertmanager.ts';
export { alarmNotificationChannel, buildAlarmNotification } from '../../notifier/alarm-channel.ts';
export { startMonitoringService, MONITORING_LEADER_LEASE } from '../../alarms/monitoring-service.ts';
export type { MonitoringService } from '../../alarms/monitoring-service.ts';

export interface MonitoringOptions {
  readonly store: StateStore;
  readonly ledger: AlarmLedger;
  /** The router's in-process executor (the Alertmanager ingest finds nodes through the graph). */
  readonly executor: GraphExecutor;
  /** Cluster reachability (the router's ShardReachability over its shard pool). */
  readonly probe: ClusterProbe;
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly monitoring: MonitoringConfig;
  readonly subscriptions: SubscriptionsConfig;
  readonly globalCloudId: string;
  /** The gateway's public base URL (Location headers, notification objectRefs). */
  readonly publicUrl: () => string;
  /** The configured public base URL only: the API document's server URL (else each request's own). */
  readonly documentsUrl?: () => string | undefined;
  readonly logger?: Logger;
  /** Paging of GET /alarms; share the inventory's marker secret across replicas. */
  readonly pageSize?: number;
  readonly markerSecret?: string | undefined;
  readonly metricsRegistry?: Registry;
  readonly replicaId?: string;
  readonly timers?: Timers;
  readonly resolve?: Resolve;
}

export interface Monitoring extends AsyncDisposable {
  /** Mount at the server root: the monitoring API and the Alertmanager ingest. */
  readonly router: Router;
  readonly service: MonitoringService;
  readonly notifier: ChannelNotifier;
  /** The shard executor's `onShardFailure` hook. */
  reportShardFailure(clusterId: string, reason: string): void;
  /** Stops; `graceMs` lets alarm notifications being delivered finish (graceful shutdown). */
  stop(graceMs?: number): Promise<void>;
}

export async function startMonitoring(options: MonitoringOptions): Promise<Monitoring> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const { store, ledger, monitoring } = options;
  const router = express.Router();
  router.use(
    createMonitoringApi({
      store,
      ledger,
      authenticate: options.authenticate,
      monitoring,
      subscriptions: options.subscriptions,
      logger,
      publicUrl: options.publicUrl,
      ...(options.documentsUrl === undefined ? {} : { documentsUrl: options.documentsUrl }),
      ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      markerSecret: options.markerSecret,
    }),
  );
  if (monitoring.alertmanager.enabled) {
    router.use(
      createAlertmanagerIngest({
        ledger,
        executor: options.executor,
        clusterIds: () => options.probe.clusterIds(),
        authenticate: options.authenticate,
        config: monitoring.alertmanager,
        logger,
      }),
    );
  }
  const service = startMonitoringService({
    store,
    ledger,
    probe: options.probe,
    config: monitoring,
    logger,
    ...(options.replicaId === undefined ? {} : { replicaId: options.replicaId }),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
  });
  let notifier: ChannelNotifier;
  try {
    notifier = await startChannelNotifier({
      store,
      channel: alarmNotificationChannel(
        { globalCloudId: options.globalCloudId, acknowledgedTimeField: monitoring.acknowledgedTimeField },
        logger,
      ),
      config: options.subscriptions,
      publicUrl: options.publicUrl,
      logger,
      ...(options.replicaId === undefined ? {} : { replicaId: options.replicaId }),
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
      ...(options.metricsRegistry === undefined ? {} : { metricsRegistry: options.metricsRegistry }),
    });
  } catch (error) {
    await service.stop();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const handle: Monitoring = {
    router,
    service,
    notifier,
    reportShardFailure: (clusterId, reason) => service.reportShardFailure(clusterId, reason),
    stop(graceMs = 0) {
      stopping ??= Promise.all([service.stop(), notifier.stop(graceMs)]).then(() => undefined);
      return stopping;
    },
    [Symbol.asyncDispose]() {
      return handle.stop();
    },
  };
  return handle;
}
