/**
 * The controllers against the demo scenario: expanded workloads already have their ReplicaSets and pods,
 * so starting the controllers must not create, delete or restart anything — only correct statuses that
 * disagree with the pods — and the timeline's node changes must move DaemonSet pods as on a real cluster.
 */
import { describe, expect, it } from 'vitest';
import { startSimCluster } from '../cluster.ts';
import { loadScenario } from '../scenario/load.ts';
import { stampTimes } from '../scenario/stamp-times.ts';
import { applyStep } from '../scenario/timeline-actions.ts';
import type { TimelineStep } from '../scenario/types.ts';
import type { MemoryObjectStore } from '../store/object-store.ts';
import { startWorkloadControllers } from './workload-controllers.ts';

describe('workload controllers on the demo scenario', () => {
  it('adopt the fixture workloads without touching their pods, and follow nodes joining and leaving', async () => {
    const scenario = loadScenario('demo');
    const changes: string[] = [];
    for (const cluster of scenario.clusters) {
      // Seeded without controllers, so this test sees every write the controllers then make.
      await using sim = await startSimCluster({
        name: cluster.name,
        objects: stampTimes(cluster.objects, Date.now()),
      });
      const store = sim.objects as MemoryObjectStore;
      store.subscribe((e) =>
        changes.push(`${cluster.name} ${e.type} ${e.object.kind} ${e.object.metadata.name}`),
      );
      const stop = startWorkloadControllers(store, { podStartDelayMs: 0 });
      try {
        // One marker write after the controllers' first pass: everything before it is their reaction.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(changes.filter((c) => c.startsWith(cluster.name))).toEqual(
          cluster.name === 'regional-1' ? ['regional-1 MODIFIED StatefulSet kpimon'] : [],
        );
        if (cluster.name === 'regional-1') {
          // The crash-looping xApp's pod is left crash-looping; its StatefulSet now says so.
          const pod = store.get('v1', 'Pod', 'kpimon-0', 'ricxapp')!;
          expect(
            (pod['status'] as { containerStatuses: Array<{ restartCount: number }> }).containerStatuses[0]!
              .restartCount,
          ).toBe(17);
          expect(store.get('apps/v1', 'StatefulSet', 'kpimon', 'ricxapp')?.['status']).toMatchObject({
            replicas: 1,
          });
          expect(
            (
              store.get('apps/v1', 'StatefulSet', 'kpimon', 'ricxapp')?.['status'] as {
                readyReplicas?: number;
              }
            ).readyReplicas,
          ).toBeUndefined();
        }
        if (cluster.name === 'edge-2') {
          const steps = scenario.timeline.filter((s: TimelineStep) => s.cluster === 'edge-2');
          const add = steps.find((s) => s.action === 'addNode')!;
          const remove = steps.find((s) => s.action === 'deleteNode')!;
          const onNode = (): string[] =>
            store
              .list('v1', 'Pod')
              .filter((p) => (p['spec'] as { nodeName?: string }).nodeName === 'edge-2-ran-03')
              .map(
                (p) =>
                  `${p.metadata.ownerReferences?.[0]?.kind}/${p.metadata.ownerReferences?.[0]?.name}:${(p['status'] as { phase: string }).phase}`,
              )
              .sort();
          applyStep(add, store, Date.now());
          await expect
            .poll(() => onNode().length > 0 && onNode().every((p) => p.endsWith(':Running')), {
              timeout: 10_000,
              message: 'daemon pods on the new node',
            })
            .toBeTruthy();
          expect(onNode()).toEqual(
            expect.arrayContaining(['DaemonSet/calico-node:Running', 'DaemonSet/kube-proxy:Running']),
          );
          expect(onNode().every((p) => p.startsWith('DaemonSet/'))).toBe(true);
          applyStep(remove, store, Date.now());
          await expect
            .poll(() => onNode().length === 0, {
              timeout: 10_000,
              message: 'the pods of the deleted node gone',
            })
            .toBeTruthy();
        }
      } finally {
        stop();
      }
    }
  });
});
