/**
 * Prometheus series of the O2 DMS on the gateway: `netweave_dms_occurrences{operation,state}`, the VNF LCM
 * operation occurrences in the store by operation and state, counted at scrape time (the store is shared by
 * every replica, so each replica reports the same numbers: aggregate with max(), not sum()). Occurrences that
 * stay in FAILED_TEMP or a running state are what an operator alerts on (docs/operations.md).
 */
import { Gauge, Registry } from 'prom-client';
import type { StateStore } from '../../state/store.ts';
import { LCM_OPERATION_STATES, OCCURRENCES_COLLECTION, type OccurrenceRecord } from './records.ts';

export function createDmsMetrics(store: StateStore): Registry {
  const registry = new Registry();
  const occurrences = store.collection<OccurrenceRecord>(OCCURRENCES_COLLECTION);
  new Gauge({
    name: 'netweave_dms_occurrences',
    help: 'VNF LCM operation occurrences in the store, by operation and operation state',
    labelNames: ['operation', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = new Map<string, { operation: string; state: string; count: number }>();
      for (const { doc } of await occurrences.list()) {
        const key = `${doc.operation}/${doc.operationState}`;
        const entry = counts.get(key) ?? { operation: doc.operation, state: doc.operationState, count: 0 };
        entry.count += 1;
        counts.set(key, entry);
      }
      // Every state appears for the operations seen, so a state that empties drops to 0 instead of vanishing.
      const operations = new Set([...counts.values()].map((c) => c.operation));
      for (const operation of operations)
        for (const state of LCM_OPERATION_STATES)
          this.set({ operation, state }, counts.get(`${operation}/${state}`)?.count ?? 0);
    },
  });
  return registry;
}
