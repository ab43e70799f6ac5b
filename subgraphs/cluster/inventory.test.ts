import { describe, expect, it } from 'vitest';
import { controlPlaneNode, gpuNode, testContext } from '../../testing/cluster-fixtures.ts';
import { ClusterInventory } from './inventory.ts';
import { resourcePoolIdOf } from './mapping.ts';
import type { InventoryChange } from './model.ts';

function recordingInventory(): { inventory: ClusterInventory; changes: InventoryChange[] } {
  const inventory = new ClusterInventory(testContext(), { now: () => new Date('2025-02-03T04:05:06Z') });
  const changes: InventoryChange[] = [];
  inventory.onChange((change) => changes.push(change));
  return { inventory, changes };
}

function summary(changes: readonly InventoryChange[]): string[] {
  return changes.map((c) => `${c.changeKind} ${c.objectKind}`);
}

describe('inventory change detection', () => {
  it('emits CREATE for a new node with its types and pool, then the deployment manager capacity', () => {
    const { inventory, changes } = recordingInventory();
    inventory.applyNode(gpuNode('gpu-1'));
    expect(summary(changes)).toEqual([
      ...Array<string>(6).fill('CREATE RESOURCE_TYPE'),
      'CREATE RESOURCE_POOL',
      'CREATE RESOURCE',
      'MODIFY DEPLOYMENT_MANAGER',
    ]);
    const resource = changes.find((c) => c.objectKind === 'RESOURCE')!;
    expect(resource).toMatchObject({
      clusterId: 'edge-1',
      priorObjectState: null,
      objectId: resource.postObjectState!.resourceId,
      objectRef: `/resourcePools/${resourcePoolIdOf(testContext(), 'gpu')}/resources/${resource.objectId}`,
      occurredAt: '2025-02-03T04:05:06.000Z',
    });
    expect(changes.map((c) => Number(c.cursor))).toEqual(changes.map((_, i) => i + 1));
    expect(inventory.resources()).toHaveLength(1);
    expect(inventory.resourceTypes()).toHaveLength(6);
  });

  it('emits nothing for a heartbeat or resourceVersion-only update', () => {
    const { inventory, changes } = recordingInventory();
    inventory.applyNode(gpuNode('gpu-1'));
    changes.length = 0;
    inventory.applyNode(
      gpuNode('gpu-1', { heartbeat: new Date('2025-01-01T00:01:00Z'), resourceVersion: '2' }),
    );
    inventory.applyNode(
      gpuNode('gpu-1', { heartbeat: new Date('2025-01-01T00:02:00Z'), resourceVersion: '3' }),
    );
    expect(changes).toEqual([]);
  });

  it('emits MODIFY with prior and post states when a label changes', () => {
    const { inventory, changes } = recordingInventory();
    inventory.applyNode(gpuNode('gpu-1'));
    const cursorBefore = Number(inventory.cursor);
    changes.length = 0;
    inventory.applyNode(gpuNode('gpu-1', { labels: { 'example.com/rack': 'r7' }, resourceVersion: '2' }));
    expect(summary(changes)).toEqual(['MODIFY RESOURCE']);
    const [change] = changes;
    if (change?.changeKind !== 'MODIFY' || change.objectKind !== 'RESOURCE')
      throw new Error('expected a resource MODIFY');
    expect(Number(change.cursor)).toBe(cursorBefore + 1);
    expect(change.priorObjectState.extensions['labels']).not.toHaveProperty('example.com/rack');
    expect(change.postObjectState.extensions['labels']).toHaveProperty('example.com/rack', 'r7');
    expect(change.postObjectState.resourceId).toBe(change.priorObjectState.resourceId);
  });

  it('modifies the pool and deployment manager when allocatable capacity changes', () => {
    const { inventory, changes } = recordingInventory();
    inventory.applyNode(gpuNode('gpu-1'));
    changes.length = 0;
    inventory.applyNode(gpuNode('gpu-1', { allocatable: { 'nvidia.com/gpu': '3' } }));
    expect(summary(changes)).toEqual([
      'MODIFY RESOURCE_POOL',
      'MODIFY RESOURCE',
      'MODIFY DEPLOYMENT_MANAGER',
    ]);
    expect(inventory.deploymentManager().capacity['gpu']).toEqual({ capacity: 4, allocatable: 3 });
  });

  it('modifies an existing pool when a node joins it, and creates a pool for a new label value', () => {
    const { inventory, changes } = recordingInventory();
    inventory.applyNode(gpuNode('gpu-1'));
    changes.length = 0;
    inventory.applyNode(gpuNode('gpu-2', { uid: 'uid-gpu-2' }));
    expect(summary(changes)).toEqual([
      'MODIFY RESOURCE_POOL',
      'CREATE RESOURCE',
      'MODIFY DEPLOYMENT_MANAGER',
    ]);
    const pool = changes[0]!;
    if (pool.changeKind !== 'MODIFY' || pool.objectKind !== 'RESOURCE_POOL')
      throw new Error('expected a pool MODIFY');
    expect(pool.priorObjectState.extensions['nodeCount']).toBe(1);
    expect(pool.postObjectState.extensions['nodeCount']).toBe(2);

    changes.length = 0;
    inventory.applyNode(controlPlaneNode('cp-1'));
    expect(summary(changes)).toEqual([
      'CREATE RESOURCE_TYPE',
      'CREATE RESOURCE_TYPE',
      'CREATE RESOURCE_POOL',
      'CREATE RESOURCE',
      'MODIFY DEPLOYMENT_MANAGER',
    ]);
    expect(inventory.resourcePools().map((p) => p.name)).toEqual(['default', 'gpu']);
  });

  it('deletes the resource, then the emptied pool and unreferenced types', () => {
    const { inventory, changes } = recordingInventory();
    inventory.applyNode(gpuNode('gpu-1'));
    inventory.applyNode(controlPlaneNode('cp-1'));
    changes.length = 0;
    inventory.deleteNode(gpuNode('gpu-1'));
    // The control plane node shares the memory and storage element types; the other four go.
    expect(summary(changes)).toEqual([
      'DELETE RESOURCE',
      'DELETE RESOURCE_POOL',
      ...Array<string>(4).fill('DELETE RESOURCE_TYPE'),
      'MODIFY DEPLOYMENT_MANAGER',
    ]);
    const deleted = changes[0]!;
    expect(deleted.postObjectState).toBeNull();
    expect(deleted.priorObjectState).not.toBeNull();
    expect(inventory.resources().map((r) => r.extensions['nodeName'])).toEqual(['cp-1']);
    expect(inventory.resource(deleted.objectId)).toBeUndefined();
  });

  it('moves a node between pools when its pool label changes', () => {
    const { inventory, changes } = recordingInventory();
    inventory.applyNode(gpuNode('gpu-1'));
    const resourceId = inventory.resources()[0]!.resourceId;
    changes.length = 0;
    inventory.applyNode(gpuNode('gpu-1', { labels: { 'netweave.io/pool': 'ran-du' } }));
    expect(summary(changes)).toEqual(['CREATE RESOURCE_POOL', 'MODIFY RESOURCE', 'DELETE RESOURCE_POOL']);
    expect(inventory.resource(resourceId)?.resourcePoolId).toBe(resourcePoolIdOf(testContext(), 'ran-du'));
  });

  it('treats a node re-created under the same name (new uid) as a delete and a create', () => {
    const { inventory, changes } = recordingInventory();
    inventory.applyNode(gpuNode('gpu-1'));
    changes.length = 0;
    inventory.applyNode(gpuNode('gpu-1', { uid: 'a-new-uid' }));
    expect(summary(changes).filter((s) => s.endsWith(' RESOURCE'))).toEqual([
      'DELETE RESOURCE',
      'CREATE RESOURCE',
    ]);
    expect(changes[0]!.objectId).not.toBe(changes.at(-1)?.objectId);
  });

  it('ignores a delete for an older incarnation of a node name', () => {
    const { inventory, changes } = recordingInventory();
    inventory.applyNode(gpuNode('gpu-1', { uid: 'new' }));
    changes.length = 0;
    inventory.deleteNode(gpuNode('gpu-1', { uid: 'old' }));
    expect(changes).toEqual([]);
  });

  it('records the Kubernetes version in the deployment manager capabilities', () => {
    const { inventory, changes } = recordingInventory();
    inventory.setKubernetesVersion('v1.31.2');
    inventory.setKubernetesVersion('v1.31.2');
    expect(summary(changes)).toEqual(['MODIFY DEPLOYMENT_MANAGER']);
    expect(inventory.deploymentManager().capabilities['kubernetesVersion']).toBe('v1.31.2');
  });

  it('resolves elements by id and nodes behind top-level resources', () => {
    const { inventory } = recordingInventory();
    inventory.applyNode(gpuNode('gpu-1'));
    const node = inventory.resources()[0]!;
    const gpuElement = node.elements.find((e) => e.extensions['category'] === 'gpu')!;
    expect(inventory.resource(gpuElement.resourceId)).toBe(gpuElement);
    expect(inventory.nodeNameOf(node.resourceId)).toBe('gpu-1');
    expect(inventory.nodeNameOf(gpuElement.resourceId)).toBeUndefined();
  });

  it('keeps dispatching to other listeners when one throws', () => {
    const errors: unknown[] = [];
    const inventory = new ClusterInventory(testContext(), { onListenerError: (error) => errors.push(error) });
    const seen: string[] = [];
    inventory.onChange(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = inventory.onChange((change) => seen.push(change.cursor));
    inventory.applyNode(controlPlaneNode('cp-1'));
    expect(seen.length).toBeGreaterThan(0);
    expect(errors).toHaveLength(seen.length);
    const seenBefore = seen.length;
    unsubscribe();
    inventory.deleteNode(controlPlaneNode('cp-1'));
    expect(seen).toHaveLength(seenBefore);
    expect(errors.length).toBeGreaterThan(seenBefore);
  });
});
