/**
 * The subgraph's answer cache is exact: only inventory-only operations are kept, an answer is served only
 * while the inventory cursor has not moved, and callers never share answers.
 */
import { describe, expect, it } from 'vitest';
import { developmentContext, internalContext } from '../../common/auth.ts';
import { controlPlaneNode, gpuNode, testContext } from '../../testing/cluster-fixtures.ts';
import { ClusterInventory } from './inventory.ts';
import type { ClusterDataSources } from './resolvers.ts';
import { InventoryResponseCache, readsInventoryOnly } from './response-cache.ts';
import { buildClusterSchema } from './schema.ts';

function schema() {
  const mapping = testContext();
  const sources: ClusterDataSources = {
    mapping,
    inventory: new ClusterInventory(mapping),
    informers: { cache: () => ({ get: () => undefined, list: () => [] }) },
  };
  return buildClusterSchema(sources);
}

describe('readsInventoryOnly', () => {
  const s = schema();
  it.each([
    ['{ resourcePools { name resources(first: 2) { resourceId elements { resourceId } } } }', true],
    [
      'query Q($id: ID!) { resourceType(resourceTypeId: $id) { alarmDictionary { alarmDefinition { alarmName } } } }',
      true,
    ],
    ['{ resources { __typename description } }', true],
    ['{ resources { node { name ready } } }', false],
    ['{ resourcePools { cluster { clusterId } } }', false],
    ['{ clusters { clusterId } }', false],
    ['{ _service { sdl } }', false],
    ['subscription { liveInventoryChanged { cursor } }', false],
    ['{ resources { ...F } } fragment F on Resource { node { name } }', false],
    ['{ resources { ', false],
  ])('%s → %s', (query, expected) => {
    expect(readsInventoryOnly(s, query)).toBe(expected);
  });
});

describe('InventoryResponseCache', () => {
  it('serves an answer only while the cursor is unchanged, per caller', () => {
    const mapping = testContext();
    const inventory = new ClusterInventory(mapping);
    inventory.applyNode(gpuNode('gpu-1'));
    const cache = new InventoryResponseCache(schema());
    const body = { query: '{ resourcePools { name } }' };
    const key = cache.keyOf(body, internalContext('r1'))!;
    expect(cache.keyOf(body, internalContext('r2'))).toBe(key); // the request id does not matter
    expect(cache.keyOf(body, developmentContext('r1'))).not.toBe(key); // the caller does
    cache.set(key, inventory.cursor, '{"data":1}');
    expect(cache.get(key, inventory.cursor)).toBe('{"data":1}');
    inventory.applyNode(controlPlaneNode('cp-1'));
    expect(cache.get(key, inventory.cursor)).toBeUndefined();
    expect(cache.keyOf({ query: '{ resources { node { name } } }' }, internalContext('r'))).toBeUndefined();
  });
});
