/**
 * The hub's `alarms` fields on the cluster subgraph's entities: one query, however many entities it reaches,
 * reads the alarm ledger once (a per-request DataLoader batches the entity lookups), and each entity gets
 * exactly its own alarms.
 */
import { execute, parse } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AlarmLedger, type AlarmCondition } from '../../alarms/alarm-ledger.ts';
import { globalId } from '../../o2/ids.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { createAlarmFeed } from './alarm-feed.ts';
import { buildHubSchema } from './schema.ts';

const disposals: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposals.splice(0)) await dispose();
});

/** Stored alarms carry UUIDs; the test names them r1, p1 … and maps back. */
const names = new Map<string, string>();
function id(name: string): string {
  const uuid = globalId('test', name);
  names.set(uuid, name);
  return uuid;
}

function condition(resourceId: string, resourcePoolId: string): AlarmCondition {
  return {
    alarmDefinitionId: id('def-node-not-ready'),
    alarmCode: 'NODE_NOT_READY',
    alarmName: 'Node not ready',
    clearingType: 'AUTOMATIC',
    probableCauseId: id('cause-node-not-ready'),
    resourceTypeId: id('type-1'),
    resourceId: id(resourceId),
    clusterId: 'edge-1',
    resourcePoolId: id(resourcePoolId),
    source: 'cluster',
    perceivedSeverity: 1,
    extensions: {},
  };
}

const QUERY = parse(`query($reps: [_Any!]!) {
  oCloud { alarms { resourceId } }
  _entities(representations: $reps) {
    ... on Resource { resourceId alarms { resourceId } }
    ... on ResourcePool { resourcePoolId alarms { resourceId } }
    ... on Cluster { clusterId alarms { resourceId } }
  }
}`);

/** A hub over a memory store, its ledger (with `list` spied on) and its schema. */
function hubWithAlarms(clusterIds: readonly string[]) {
  const store = createMemoryStore();
  const ledger = new AlarmLedger(store);
  const feed = createAlarmFeed(store);
  disposals.push(() => feed.dispose());
  const list = vi.spyOn(ledger, 'list');
  const schema = buildHubSchema({
    oCloud: () => ({
      oCloudId: 'o1',
      globalCloudId: 'g1',
      name: 'o',
      description: '',
      serviceUri: 'http://o2.example',
      extensions: {},
    }),
    clusterIds: () => clusterIds,
    alarms: { ledger, feed },
  });
  return { ledger, list, schema };
}

describe('hub alarms on entities', () => {
  it('answers every entity of one query from one batched ledger read', async () => {
    const { ledger, list, schema } = hubWithAlarms(['edge-1']);
    await ledger.raise(condition('r1', 'p1'));
    await ledger.raise(condition('r2', 'p1'));
    await ledger.raise(condition('r3', 'p2'));
    list.mockClear();
    const reps = [
      ...['r1', 'r2', 'r3', 'r4'].map((resourceId) => ({
        __typename: 'Resource',
        clusterId: 'edge-1',
        resourceId: id(resourceId),
      })),
      ...['p1', 'p2'].map((resourcePoolId) => ({
        __typename: 'ResourcePool',
        clusterId: 'edge-1',
        resourcePoolId: id(resourcePoolId),
      })),
      { __typename: 'Cluster', clusterId: 'edge-1' },
    ];

    const result = await execute({ schema, document: QUERY, variableValues: { reps }, contextValue: {} });

    expect(result.errors).toBeUndefined();
    expect(list).toHaveBeenCalledTimes(1);
    const ids = (alarms: readonly { resourceId: string }[]): string[] =>
      alarms.map((a) => names.get(a.resourceId) ?? a.resourceId).sort();
    const data = result.data as {
      oCloud: { alarms: { resourceId: string }[] };
      _entities: { alarms: { resourceId: string }[] }[];
    };
    expect(ids(data.oCloud.alarms)).toEqual(['r1', 'r2', 'r3']);
    expect(data._entities.map((entity) => ids(entity.alarms))).toEqual([
      ['r1'],
      ['r2'],
      ['r3'],
      [],
      ['r1', 'r2'],
      ['r3'],
      ['r1', 'r2', 'r3'],
    ]);
  });

  it('reads the ledger once per request, not once per process', async () => {
    const { ledger, list, schema } = hubWithAlarms([]);
    const document = parse('{ oCloud { alarms { resourceId } } }');
    await execute({ schema, document, contextValue: {} });
    await ledger.raise(condition('r1', 'p1'));
    const second = await execute({ schema, document, contextValue: {} });
    expect(list).toHaveBeenCalledTimes(2);
    expect(second.data).toEqual({ oCloud: { alarms: [{ resourceId: id('r1') }] } });
  });
});
