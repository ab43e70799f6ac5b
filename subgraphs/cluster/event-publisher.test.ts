/**
 * The event publisher against a real ClusterInventory fed with node objects, on the memory store and on a
 * real Redis: what reaches the global log, and what a restarted subgraph publishes (the difference only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_EVENT_LOG, parseInventoryChangeEvent } from '../../o2/events.ts';
import type { InventoryChangeEvent } from '../../o2/events.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { redisForTests } from '../../testing/redis.ts';
import type { TestRedis } from '../../testing/redis.ts';
import { clusterInventorySource, publishedStateCollection, startEventPublisher } from './event-publisher.ts';
import type { InventoryChangeSource } from './event-publisher.ts';
import { controlPlaneNode, gpuNode, testContext } from '../../testing/cluster-fixtures.ts';
import { ClusterInventory } from './inventory.ts';
import { retireClusterInventory } from '../../router/cluster-retirement.ts';

/** A source whose "informers have synced" moment the test decides. */
function controllableSource(inventory: ClusterInventory): {
  source: InventoryChangeSource;
  sync: () => void;
} {
  let sync: () => void = () => {};
  const synced = new Promise<void>((resolve) => {
    sync = resolve;
  });
  return { source: clusterInventorySource(inventory, { synced: () => synced }, 0), sync };
}

function syncedSource(inventory: ClusterInventory): InventoryChangeSource {
  return clusterInventorySource(inventory, { synced: () => Promise.resolve() }, 0);
}

async function logged(store: StateStore): Promise<InventoryChangeEvent[]> {
  const entries = await store.eventLog<object>(INVENTORY_EVENT_LOG).read(undefined, 10_000);
  return entries.map(({ event }) => {
    const parsed = parseInventoryChangeEvent(event);
    if (!parsed.ok) throw new Error(`invalid event in the log: ${parsed.reason}`);
    return parsed.event;
  });
}

function summary(events: readonly InventoryChangeEvent[]): string[] {
  return events.map((e) => `${e.changeKind} ${e.objectKind}`);
}

let redis: TestRedis;
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(async () => {
  await redis?.dispose();
});

const stores: ReadonlyArray<readonly [string, () => Promise<StateStore>]> = [
  ['memory', () => Promise.resolve(createMemoryStore())],
  ['redis', () => createRedisStore({ url: redis.url, keyPrefix: redis.keyPrefix() })],
];

describe.each(stores)('event publisher (%s store)', (_name, openStore) => {
  it('publishes nothing before the first sync, then the inventory as CREATEs in referential order', async () => {
    await using store = await openStore();
    const inventory = new ClusterInventory(testContext());
    const { source, sync } = controllableSource(inventory);
    await using publisher = startEventPublisher({ clusterId: 'edge-1', source, store });
    inventory.applyNode(gpuNode('gpu-1'));
    inventory.applyNode(controlPlaneNode('cp-1'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await logged(store)).toEqual([]);

    sync();
    await publisher.ready;
    const events = await logged(store);
    const kinds = summary(events);
    // Each object once: no replay of the per-node history the informers' initial list produced.
    expect(new Set(events.map((e) => e.objectId)).size).toBe(events.length);
    expect(kinds.filter((k) => k === 'CREATE RESOURCE')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'CREATE RESOURCE_POOL')).toHaveLength(2);
    expect(kinds).toContain('CREATE DEPLOYMENT_MANAGER');
    const firstResource = kinds.indexOf('CREATE RESOURCE');
    expect(kinds.lastIndexOf('CREATE RESOURCE_TYPE')).toBeLessThan(firstResource);
    expect(kinds.lastIndexOf('CREATE RESOURCE_POOL')).toBeLessThan(firstResource);
    for (const event of events) {
      expect(event.clusterId).toBe('edge-1');
      // REST shape: no graph-only fields, and a v2 pool has no globalLocationId.
      expect(event.postObjectState).not.toHaveProperty('clusterId');
      if (event.objectKind === 'RESOURCE_POOL')
        expect(event.postObjectState).not.toHaveProperty('globalLocationId');
    }
  });

  it('appends live changes in order with prior and post states and records the published state', async () => {
    await using store = await openStore();
    const inventory = new ClusterInventory(testContext());
    inventory.applyNode(gpuNode('gpu-1'));
    await using publisher = startEventPublisher({
      clusterId: 'edge-1',
      source: syncedSource(inventory),
      store,
    });
    await publisher.ready;
    const before = (await logged(store)).length;

    inventory.applyNode(gpuNode('gpu-1', { labels: { 'example.com/rack': 'r7' }, resourceVersion: '2' }));
    inventory.deleteNode(gpuNode('gpu-1'));
    await publisher.idle();

    const live = (await logged(store)).slice(before);
    expect(summary(live)[0]).toBe('MODIFY RESOURCE');
    expect(summary(live)).toContain('DELETE RESOURCE');
    const modify = live[0]!;
    if (modify.changeKind !== 'MODIFY') throw new Error('expected MODIFY');
    expect(modify.priorObjectState['extensions']).not.toHaveProperty('labels.example\\.com/rack');
    expect(
      (modify.postObjectState['extensions'] as { labels: Record<string, string> }).labels['example.com/rack'],
    ).toBe('r7');
    expect(modify.objectRef).toBe(
      `/resourcePools/${String(modify.postObjectState['resourcePoolId'])}/resources/${modify.objectId}`,
    );
    // Only the deployment manager outlives the last node.
    const recorded = await store
      .collection<{ objectKind: string }>(publishedStateCollection('edge-1'))
      .list();
    expect(recorded.map((r) => r.doc.objectKind)).toEqual(['DEPLOYMENT_MANAGER']);
  });

  it('announces a shared resource type once per O-Cloud, and deletes it with the last cluster that has it', async () => {
    await using store = await openStore();
    const first = new ClusterInventory(testContext('edge-1'));
    first.applyNode(gpuNode('gpu-1'));
    await using one = startEventPublisher({ clusterId: 'edge-1', source: syncedSource(first), store });
    await one.ready;
    const typesOf = (events: readonly InventoryChangeEvent[], kind: string): string[] =>
      events.filter((e) => e.objectKind === 'RESOURCE_TYPE' && e.changeKind === kind).map((e) => e.objectId);
    const firstTypes = typesOf(await logged(store), 'CREATE');
    expect(firstTypes.length).toBeGreaterThan(0);

    // A second cluster with the same hardware registers: only what is new to the O-Cloud is created.
    const before = (await logged(store)).length;
    const second = new ClusterInventory(testContext('edge-2'));
    second.applyNode(gpuNode('gpu-1'));
    await using two = startEventPublisher({ clusterId: 'edge-2', source: syncedSource(second), store });
    await two.ready;
    const joined = (await logged(store)).slice(before);
    expect(typesOf(joined, 'CREATE')).toEqual([]);
    expect(summary(joined)).toContain('CREATE RESOURCE');
    expect(summary(joined)).toContain('CREATE DEPLOYMENT_MANAGER');

    // edge-1 is deregistered: its objects are deleted, the types edge-2 still has are not.
    const beforeRetire = (await logged(store)).length;
    await one.dispose();
    await retireClusterInventory(store, 'edge-1');
    const retired = (await logged(store)).slice(beforeRetire);
    expect(retired.every((e) => e.changeKind === 'DELETE' && e.clusterId === 'edge-1')).toBe(true);
    expect(summary(retired)).toContain('DELETE RESOURCE');
    expect(typesOf(retired, 'DELETE')).toEqual([]);
    expect(await store.collection(publishedStateCollection('edge-1')).list()).toEqual([]);

    // The last cluster that has them goes: now the types are deleted.
    const beforeLast = (await logged(store)).length;
    second.deleteNode(gpuNode('gpu-1'));
    await two.idle();
    expect(typesOf((await logged(store)).slice(beforeLast), 'DELETE').sort()).toEqual([...firstTypes].sort());
  });

  it('after a restart publishes only what changed while it was down', async () => {
    await using store = await openStore();
    const first = new ClusterInventory(testContext());
    for (const name of ['gpu-1', 'gpu-2']) first.applyNode(gpuNode(name));
    first.applyNode(controlPlaneNode('cp-1'));
    const publisher = startEventPublisher({ clusterId: 'edge-1', source: syncedSource(first), store });
    await publisher.ready;
    await publisher.dispose();
    const before = (await logged(store)).length;

    // The cluster as the restarted subgraph lists it: gpu-1 relabelled, gpu-2 gone, gpu-3 new, cp-1 unchanged.
    const second = new ClusterInventory(testContext());
    second.applyNode(gpuNode('gpu-1', { labels: { 'example.com/rack': 'r9' }, resourceVersion: '7' }));
    second.applyNode(gpuNode('gpu-3'));
    second.applyNode(
      controlPlaneNode('cp-1', { resourceVersion: '8', heartbeat: new Date('2025-06-01T00:00:00Z') }),
    );
    await using restarted = startEventPublisher({ clusterId: 'edge-1', source: syncedSource(second), store });
    await restarted.ready;

    const events = (await logged(store)).slice(before);
    const resources = events.filter((e) => e.objectKind === 'RESOURCE');
    const gpu1 = second
      .resources()
      .find((r) => (r.extensions['labels'] as Record<string, string>)['kubernetes.io/hostname'] === 'gpu-1')!;
    const gpu3 = second
      .resources()
      .find((r) => (r.extensions['labels'] as Record<string, string>)['kubernetes.io/hostname'] === 'gpu-3')!;
    expect(resources.map((e) => `${e.changeKind} ${e.objectId}`).sort()).toEqual(
      [
        `MODIFY ${gpu1.resourceId}`,
        `CREATE ${gpu3.resourceId}`,
        `DELETE ${resources.find((e) => e.changeKind === 'DELETE')?.objectId ?? 'missing'}`,
      ].sort(),
    );
    const deleted = resources.find((e) => e.changeKind === 'DELETE')!;
    expect(
      (deleted.priorObjectState!['extensions'] as { labels: Record<string, string> }).labels[
        'kubernetes.io/hostname'
      ],
    ).toBe('gpu-2');
    // Nothing for the unchanged control-plane node, the pools and deployment manager (same capacity: a GPU node
    // replaced another) or the unchanged types; the old node's resource goes before the new one comes.
    expect(summary(events)[0]).toBe('DELETE RESOURCE');
    expect(summary(events).slice(1).sort()).toEqual(['CREATE RESOURCE', 'MODIFY RESOURCE']);

    // A second restart with nothing changed publishes nothing at all.
    await restarted.dispose();
    const count = (await logged(store)).length;
    await using again = startEventPublisher({ clusterId: 'edge-1', source: syncedSource(second), store });
    await again.ready;
    expect((await logged(store)).length).toBe(count);
  });
});

describe('event publisher under state store failures', () => {
  it('retries a failed append without losing or reordering changes', async () => {
    const backing = createMemoryStore();
    let failures = 3;
    const flaky: StateStore = {
      ...backing,
      eventLog<T extends object>(name: string, opts?: { maxLength?: number }) {
        const log = backing.eventLog<T>(name, opts);
        return {
          ...log,
          read: log.read.bind(log),
          append: async (event: T) => {
            if (failures > 0) {
              failures -= 1;
              throw new Error('connection reset');
            }
            return log.append(event);
          },
        };
      },
      collection: backing.collection.bind(backing),
    };
    const inventory = new ClusterInventory(testContext());
    await using publisher = startEventPublisher({
      clusterId: 'edge-1',
      source: syncedSource(inventory),
      store: flaky,
      retryDelayMs: () => 1,
    });
    await publisher.ready;
    for (let i = 0; i < 3; i++) inventory.applyNode(controlPlaneNode(`cp-${i}`));
    await publisher.idle();
    const resources = (await logged(backing)).filter((e) => e.objectKind === 'RESOURCE');
    expect(resources.map((e) => e.changeKind)).toEqual(['CREATE', 'CREATE', 'CREATE']);
    expect(
      resources.map(
        (e) =>
          (e.postObjectState!['extensions'] as { labels: Record<string, string> }).labels[
            'kubernetes.io/hostname'
          ],
      ),
    ).toEqual(['cp-0', 'cp-1', 'cp-2']);
    expect(failures).toBe(0);
    await backing.dispose();
  });

  it('replaces a backlog beyond maxQueued by one resync to the end state', async () => {
    const backing = createMemoryStore();
    let blocked = true;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stalled: StateStore = {
      ...backing,
      eventLog<T extends object>(name: string, opts?: { maxLength?: number }) {
        const log = backing.eventLog<T>(name, opts);
        return {
          ...log,
          read: log.read.bind(log),
          append: async (event: T) => {
            if (blocked) await gate;
            return log.append(event);
          },
        };
      },
      collection: backing.collection.bind(backing),
    };
    const inventory = new ClusterInventory(testContext());
    await using publisher = startEventPublisher({
      clusterId: 'edge-1',
      source: syncedSource(inventory),
      store: stalled,
      maxQueued: 5,
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The first sync is stalled too; changes made meanwhile are covered by it.
    for (let i = 0; i < 10; i++) inventory.applyNode(controlPlaneNode(`cp-${i}`));
    blocked = false;
    release();
    await publisher.ready;
    for (let i = 0; i < 10; i++)
      inventory.applyNode(controlPlaneNode(`cp-${i}`, { labels: { step: 'one' }, resourceVersion: '2' }));
    await publisher.idle();
    const events = await logged(backing);
    const byObject = new Map<string, InventoryChangeEvent>();
    for (const event of events) byObject.set(event.objectId, event);
    const lastStates = [...byObject.values()].filter((e) => e.objectKind === 'RESOURCE');
    expect(lastStates).toHaveLength(10);
    for (const event of lastStates) {
      expect(
        (event.postObjectState!['extensions'] as { labels: Record<string, string> }).labels['step'],
      ).toBe('one');
    }
    await backing.dispose();
  });
});
