/**
 * Prometheus series of one cluster subgraph (served on its `/metrics`, docs/operations.md): the state of each
 * informer (synced, watch connected, restarts, relists), how far the O2 change events trail the informers
 * (seconds from a change observed to its append to the store's event log, and the changes still waiting),
 * and the helm processes of the DMS job runner. Every series carries `cluster`, so one Prometheus job can
 * scrape all subgraphs.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ClusterInformers } from './informers.ts';
import type { InformerHealth } from './supervisor.ts';

export interface ClusterSubgraphMetrics {
  readonly registry: Registry;
  /** The event publisher appended one event, `seconds` after its change was observed. */
  observePublished(seconds: number): void;
  /** A helm process of the DMS job runner ended. */
  observeHelm(command: string, outcome: 'ok' | 'error', seconds: number): void;
}

export function createClusterSubgraphMetrics(
  clusterId: string,
  informers: ClusterInformers,
  pendingChanges: () => number,
): ClusterSubgraphMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ cluster: clusterId });
  const perInformer = (name: string, help: string, read: (h: InformerHealth) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['informer'] as const,
      registers: [registry],
      collect() {
        for (const [informer, health] of Object.entries(informers.health().informers))
          this.set({ informer }, read(health));
      },
    });
  };
  perInformer('netweave_informer_synced', 'The informer has listed the cluster (1) or not yet (0)', (h) =>
    h.synced ? 1 : 0,
  );
  perInformer('netweave_informer_connected', 'A watch stream of the informer is open (1) or not (0)', (h) =>
    h.connected ? 1 : 0,
  );
  perInformer(
    'netweave_informer_restarts',
    'Restarts of the informer after errors since start',
    (h) => h.restarts,
  );
  perInformer('netweave_informer_relists', 'Lists after the first (410 Gone or a restart)', (h) => h.relists);
  new Gauge({
    name: 'netweave_change_events_pending',
    help: 'Inventory changes observed by the informers and not yet appended to the event log',
    registers: [registry],
    collect() {
      this.set(pendingChanges());
    },
  });
  const published = new Counter({
    name: 'netweave_change_events_published_total',
    help: 'O2 inventory change events appended to the event log',
    registers: [registry],
  });
  const publishLag = new Histogram({
    name: 'netweave_change_event_lag_seconds',
    help: 'From an inventory change observed by an informer to its event appended to the store',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const helm = new Histogram({
    name: 'netweave_helm_process_duration_seconds',
    help: 'Duration of helm processes run by the DMS job runner, by helm command and outcome',
    labelNames: ['command', 'outcome'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  return {
    registry,
    observePublished(seconds) {
      published.inc();
      publishLag.observe(seconds);
    },
    observeHelm(command, outcome, seconds) {
      helm.observe({ command, outcome }, seconds);
    },
  };
}
