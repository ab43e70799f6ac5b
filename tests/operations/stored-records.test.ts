/**
 * Schema versions of stored records (state/schema-versions.ts, docs/operations.md "Stored records and
 * upgrades"): records written by the previous, unversioned format are read and rewritten with the current
 * version when a gateway starts; the migration steps run in order; records of a newer version are left alone.
 */
import { describe, expect, it } from 'vitest';
import { STORED_RECORDS, startGateway } from '../../cli/gateway.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import { SUBSCRIPTIONS_COLLECTION } from '../../notifier/subscriptions/repository.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import {
  currentVersion,
  migrateStoredRecords,
  SCHEMA_VERSION_FIELD,
  type StoredRecordKind,
} from '../../state/schema-versions.ts';

const API = '/o2ims-infrastructureInventory/v2';
const config = parseGatewayConfig({
  listen: { host: '127.0.0.1', port: 0 },
  auth: { mode: 'development' },
  logLevel: 'silent',
  subscriptions: { probe: { enabled: false }, callbacks: { requireHttps: false, allowLoopback: true } },
});

type Doc = Record<string, unknown>;

describe('stored records after an upgrade', () => {
  it('reads records of the previous (unversioned) format and rewrites them with the version at start-up', async () => {
    await using store = createMemoryStore();
    // What the previous version left: a subscription and a runtime cluster registration, without versions.
    let subscriptionId: string;
    {
      await using gateway = await startGateway(config, { store, logger: createLogger('silent') });
      const created = await fetch(`${gateway.url}${API}/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ callback: 'http://127.0.0.1:9/hook' }),
      });
      expect(created.status).toBe(201);
      subscriptionId = ((await created.json()) as { subscriptionId: string }).subscriptionId;
      const registered = await fetch(`${gateway.url}/netweave/v1/clusters/edge-9`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'http://127.0.0.1:9/graphql', wsUrl: 'ws://127.0.0.1:9/graphql' }),
      });
      expect(registered.status).toBeLessThan(300);
    }
    const subscriptions = store.collection<Doc>(SUBSCRIPTIONS_COLLECTION);
    const shards = store.collection<Doc>('shards');
    expect((await subscriptions.get(subscriptionId))?.[SCHEMA_VERSION_FIELD]).toBe(1); // written versioned now
    for (const collection of [subscriptions, shards])
      for (const { id, doc } of await collection.list()) {
        const { [SCHEMA_VERSION_FIELD]: _version, ...previousFormat } = doc;
        await collection.put(id, previousFormat);
      }
    expect((await subscriptions.get(subscriptionId))?.[SCHEMA_VERSION_FIELD]).toBeUndefined();

    await using upgraded = await startGateway(config, { store, logger: createLogger('silent') });
    for (const collection of [subscriptions, shards])
      for (const { doc } of await collection.list()) expect(doc[SCHEMA_VERSION_FIELD]).toBe(1);
    // And they are read as before.
    const read = await fetch(`${upgraded.url}${API}/subscriptions/${subscriptionId}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ subscriptionId, callback: 'http://127.0.0.1:9/hook' });
    expect(upgraded.registry.list()).toEqual([
      { clusterId: 'edge-9', url: 'http://127.0.0.1:9/graphql', wsUrl: 'ws://127.0.0.1:9/graphql' },
    ]);
  });

  it('declares a version for every record kind of the store (subscriptions, alarms, DMS, registry, provisioning)', () => {
    expect(STORED_RECORDS.map((kind) => kind.collection).sort()).toEqual([
      'alarms',
      'dms-fm-subscriptions',
      'dms-instances',
      'dms-lcm-subscriptions',
      'dms-occurrences',
      'dms-packages',
      'o2-alarm-subscriptions',
      'o2-inventory-subscriptions',
      'provisioning-joins',
      'shards',
    ]);
    for (const kind of STORED_RECORDS) expect(currentVersion(kind)).toBeGreaterThanOrEqual(1);
  });

  it('runs the missing steps in order and leaves records of a newer version alone', async () => {
    await using store = createMemoryStore();
    const kind: StoredRecordKind = {
      name: 'test record',
      collection: 'test-records',
      migrations: [
        { to: 1, migrate: (doc) => doc },
        // v2 renamed `host` to `address`.
        { to: 2, migrate: ({ host, ...rest }) => ({ ...rest, address: host }) },
        // v3 added `port` with a default.
        { to: 3, migrate: (doc) => ({ port: 80, ...doc }) },
      ],
    };
    const records = store.collection<Doc>(kind.collection);
    await records.put('unversioned', { host: 'a' });
    await records.put('v2', { address: 'b', [SCHEMA_VERSION_FIELD]: 2 });
    await records.put('current', { address: 'c', port: 8080, [SCHEMA_VERSION_FIELD]: 3 });
    await records.put('newer', { whatever: true, [SCHEMA_VERSION_FIELD]: 4 });

    expect(await migrateStoredRecords(store, [kind])).toEqual([
      { kind: 'test record', migrated: 2, newer: 1 },
    ]);
    expect(await records.get('unversioned')).toEqual({ address: 'a', port: 80, [SCHEMA_VERSION_FIELD]: 3 });
    expect(await records.get('v2')).toEqual({ address: 'b', port: 80, [SCHEMA_VERSION_FIELD]: 3 });
    expect(await records.get('current')).toEqual({ address: 'c', port: 8080, [SCHEMA_VERSION_FIELD]: 3 });
    expect(await records.get('newer')).toEqual({ whatever: true, [SCHEMA_VERSION_FIELD]: 4 });
    // A second start finds nothing to do.
    expect(await migrateStoredRecords(store, [kind])).toEqual([
      { kind: 'test record', migrated: 0, newer: 1 },
    ]);
  });
});
