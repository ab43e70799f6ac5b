/**
 * The inventory list fields of the cluster subgraph honour the list contract (o2/list-window.ts): a
 * compiled SOL013 filter evaluated against the caches, ascending id order, `after` and `first`; and every
 * resource type has its alarm dictionary from the catalogue.
 */
import { graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { alarmDictionaryIdOf } from '../../alarms/alarm-catalogue.ts';
import { internalContext } from '../../common/auth.ts';
import { compileFilter, parseFilter } from '../../o2/sol013/index.ts';
import { controlPlaneNode, gpuNode, testContext } from '../../testing/cluster-fixtures.ts';
import type { InformerKind, InformerObjects, ReadonlyCache } from './informers.ts';
import { ClusterInventory } from './inventory.ts';
import { type ClusterDataSources, createGraphContext } from './resolvers.ts';
import { buildClusterSchema } from './schema.ts';

function emptyCache<T>(): ReadonlyCache<T> {
  return { get: () => undefined, list: () => [] };
}

function sources(): ClusterDataSources {
  const mapping = testContext();
  const inventory = new ClusterInventory(mapping);
  for (let i = 1; i <= 5; i++) inventory.applyNode(gpuNode(`gpu-${i}`, { uid: `uid-gpu-${i}` }));
  inventory.applyNode(controlPlaneNode('cp-1'));
  const informers = { cache: <K extends InformerKind>(_kind: K) => emptyCache<InformerObjects[K]>() };
  return { mapping, inventory, informers };
}

async function run(
  source: string,
  variables: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const data = sources();
  const result = await graphql({
    schema: buildClusterSchema(data),
    source,
    variableValues: variables,
    contextValue: createGraphContext(data, internalContext('t')),
  });
  if (result.errors !== undefined) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.data as Record<string, unknown>;
}

const RESOURCE_SCHEMA = { resourceId: 'uuid', description: 'string', tags: { array: 'string' } } as const;

describe('inventory list fields', () => {
  it('answer in ascending id order, after a key, at most `first`', async () => {
    const all = (await run('{ resources { resourceId } }'))['resources'] as { resourceId: string }[];
    const ids = all.map((r) => r.resourceId);
    expect(ids).toEqual([...ids].sort());
    const page = (
      await run('query($after: ID) { resources(first: 2, after: $after) { resourceId } }', { after: ids[1] })
    )['resources'] as { resourceId: string }[];
    expect(page.map((r) => r.resourceId)).toEqual(ids.slice(2, 4));
  });

  it('evaluate a compiled filter against the cached objects', async () => {
    const filter = compileFilter(
      parseFilter("(cont,description,gpu-);(neq,description,'gpu-3 (worker)')"),
      RESOURCE_SCHEMA,
    );
    const data = await run('query($filter: JSON) { resources(compiledFilter: $filter) { description } }', {
      filter,
    });
    const descriptions = (data['resources'] as { description: string }[]).map((r) => r.description).sort();
    expect(descriptions).toEqual(['gpu-1 (worker)', 'gpu-2 (worker)', 'gpu-4 (worker)', 'gpu-5 (worker)']);
  });

  it('take the same arguments on a pool’s resources', async () => {
    const data = await run('{ resourcePools { name resources(first: 1) { description } } }');
    const pools = data['resourcePools'] as { name: string; resources: unknown[] }[];
    expect(pools.every((pool) => pool.resources.length === 1)).toBe(true);
  });

  it('refuse a malformed filter or window as BAD_USER_INPUT', async () => {
    const data = sources();
    const schema = buildClusterSchema(data);
    for (const [source, variables] of [
      ['query($f: JSON) { resourcePools(compiledFilter: $f) { name } }', { f: { v: 2, clauses: [] } }],
      ['{ resourcePools(first: -1) { name } }', {}],
    ] as const) {
      const result = await graphql({
        schema,
        source,
        variableValues: variables,
        contextValue: createGraphContext(data, internalContext('t')),
      });
      expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    }
  });
});

describe('alarm dictionaries', () => {
  it('one per resource type, under the id the type names, with catalogue definitions', async () => {
    const data = await run(
      '{ resourceTypes { resourceTypeId alarmDictionaryId alarmDictionary { alarmDictionaryId alarmDefinition { alarmName } } } alarmDictionaries { alarmDictionaryId resourceTypeId } }',
    );
    const types = data['resourceTypes'] as {
      resourceTypeId: string;
      alarmDictionaryId: string;
      alarmDictionary: { alarmDictionaryId: string; alarmDefinition: { alarmName: string }[] };
    }[];
    for (const type of types) {
      expect(type.alarmDictionaryId).toBe(alarmDictionaryIdOf(type.resourceTypeId));
      expect(type.alarmDictionary.alarmDictionaryId).toBe(type.alarmDictionaryId);
      expect(type.alarmDictionary.alarmDefinition.length).toBeGreaterThan(0);
    }
    const dictionaries = data['alarmDictionaries'] as { alarmDictionaryId: string; resourceTypeId: string }[];
    expect(dictionaries.map((d) => d.resourceTypeId).sort()).toEqual(
      types.map((t) => t.resourceTypeId).sort(),
    );
    const ids = dictionaries.map((d) => d.alarmDictionaryId);
    expect(ids).toEqual([...ids].sort());
    const one = await run('query($id: ID!) { alarmDictionary(alarmDictionaryId: $id) { resourceTypeId } }', {
      id: ids[0],
    });
    expect(one['alarmDictionary']).toEqual({ resourceTypeId: dictionaries[0]!.resourceTypeId });
  });

  it('filters resource types on their embedded dictionary (the v4 profile’s attribute)', async () => {
    const filter = {
      v: 1,
      clauses: [
        {
          op: 'cont',
          path: ['alarmDictionary', 'alarmDefinition', 'alarmName'],
          type: 'string',
          values: ['GPU'],
        },
      ],
    };
    const data = await run('query($filter: JSON) { resourceTypes(compiledFilter: $filter) { extensions } }', {
      filter,
    });
    const categories = (data['resourceTypes'] as { extensions: { category: string } }[]).map(
      (t) => t.extensions.category,
    );
    expect(categories).toEqual(['gpu']);
  });
});
