import { describe, expect, it } from 'vitest';
import { waitFor } from '../../testing/sim-wait.ts';
import { MemoryObjectStore } from '../store/object-store.ts';
import type { KubeObject } from '../types.ts';
import { startWorkloadController } from './workload-status.ts';

type Status = {
  observedGeneration?: number;
  readyReplicas?: number;
  numberReady?: number;
  conditions?: Array<{ type: string; status: string }>;
};

describe('workload controller', () => {
  it('reports workloads ready after each change, after the change itself reached watchers', async () => {
    const store = new MemoryObjectStore();
    store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    for (const name of ['a', 'b'])
      store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { pool: name } } });
    const stop = startWorkloadController(store);
    const seen: string[] = [];
    store.subscribe((e) =>
      seen.push(
        `${e.type}:${e.object.kind}:${(e.object['status'] as Status | undefined)?.observedGeneration ?? '-'}`,
      ),
    );
    try {
      const deployment: KubeObject = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: { replicas: 2 },
      };
      store.create(deployment);
      store.create({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: 'default' },
        spec: { template: { spec: { nodeSelector: { pool: 'a' } } } },
      });
      const status = (kind: string, name: string): Status =>
        store.get('apps/v1', kind, name, 'default')?.['status'] as Status;
      await waitFor(
        () =>
          status('Deployment', 'web').readyReplicas === 2 && status('DaemonSet', 'agent').numberReady === 1,
        { what: 'ready workloads' },
      );
      expect(status('Deployment', 'web').conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
        'Available=True',
        'Progressing=True',
      ]);

      store.mergePatch('apps/v1', 'Deployment', 'web', { spec: { replicas: 3 } }, 'default');
      await waitFor(() => status('Deployment', 'web').readyReplicas === 3, { what: 'the scaled deployment' });
      expect(status('Deployment', 'web').observedGeneration).toBe(2);
      expect(seen.filter((e) => e.includes('Deployment'))).toEqual([
        'ADDED:Deployment:-',
        'MODIFIED:Deployment:1',
        'MODIFIED:Deployment:1',
        'MODIFIED:Deployment:2',
      ]);
    } finally {
      stop();
    }
  });
});
