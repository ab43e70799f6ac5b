import { describe, expect, it } from 'vitest';
import { SimApiError } from '../errors.ts';
import type { KubeObject } from '../types.ts';
import type { StoreEvent } from './event-log.ts';
import { MemoryObjectStore } from './object-store.ts';

function storeWithNamespaces(retainedEvents = 1000): MemoryObjectStore {
  const store = new MemoryObjectStore({ retainedEvents });
  for (const name of ['default', 'ran'])
    store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return store;
}

function configMap(name: string, namespace = 'default', data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

function thrown(fn: () => unknown): SimApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SimApiError) return error;
    throw error;
  }
  throw new Error('expected a SimApiError');
}

describe('MemoryObjectStore', () => {
  it('fills server fields on create and bumps one global resourceVersion across kinds', () => {
    const store = storeWithNamespaces();
    const before = Number(store.resourceVersion);
    const cm = store.create(configMap('a'));
    const node = store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    expect(cm.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(cm.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(cm.metadata.resourceVersion)).toBe(before + 1);
    expect(Number(node.metadata.resourceVersion)).toBe(before + 2);
    expect(store.resourceVersion).toBe(String(before + 2));
    expect(node.metadata.namespace).toBeUndefined();
  });

  it('refuses duplicates, missing namespaces and invalid names and labels with API errors', () => {
    const store = storeWithNamespaces();
    store.create(configMap('a'));
    expect(thrown(() => store.create(configMap('a'))).reason).toBe('AlreadyExists');
    const missing = thrown(() => store.create(configMap('a', 'nope')));
    expect([missing.code, missing.message]).toEqual([404, 'namespaces "nope" not found']);
    expect(thrown(() => store.create(configMap('Bad_Name'))).code).toBe(422);
    expect(
      thrown(() =>
        store.create({
          ...configMap('b'),
          metadata: { name: 'b', namespace: 'default', labels: { vendor: 'Dell Inc.' } },
        }),
      ).code,
    ).toBe(422);
    expect(
      thrown(() => store.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }))
        .message,
    ).toMatch(/no matches for kind/);
  });

  it('hands out clones: callers cannot change what is stored', () => {
    const store = storeWithNamespaces();
    const created = store.create(configMap('a', 'default', { k: 'v' }));
    (created['data'] as Record<string, string>)['k'] = 'changed';
    expect(store.get('v1', 'ConfigMap', 'a', 'default')?.['data']).toEqual({ k: 'v' });
  });

  it('rejects stale updates with 409 Conflict and tracks generation on spec changes only', () => {
    const store = storeWithNamespaces();
    const deploy = store.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ran' },
      spec: { replicas: 1 },
      status: { replicas: 0 },
    });
    expect(deploy.metadata.generation).toBe(1);
    const scaled = store.update({ ...deploy, spec: { replicas: 2 } });
    expect(scaled.metadata.generation).toBe(2);
    expect(thrown(() => store.update({ ...deploy, spec: { replicas: 3 } })).reason).toBe('Conflict');
    const status = store.update({ ...scaled, status: { replicas: 2 } });
    expect(status.metadata.generation).toBe(2);
    expect(status['status']).toEqual({ replicas: 2 });
  });

  it('keeps status on main-resource writes and changes only status on /status writes', () => {
    const store = storeWithNamespaces();
    const type = store.typeOf('v1', 'Pod');
    const pod = store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ran' },
      spec: { nodeName: 'a' },
      status: { phase: 'Running' },
    });
    const main = store.replaceObject(
      type,
      { ...structuredClone(pod), spec: { nodeName: 'b' }, status: { phase: 'Failed' } },
      { scope: 'main' },
    );
    expect([main['spec'], main['status']]).toEqual([{ nodeName: 'b' }, { phase: 'Running' }]);
    const status = store.replaceObject(
      type,
      { ...structuredClone(main), spec: { nodeName: 'c' }, status: { phase: 'Succeeded' } },
      { scope: 'status' },
    );
    expect([status['spec'], status['status']]).toEqual([{ nodeName: 'b' }, { phase: 'Succeeded' }]);
  });

  it('does not bump resourceVersion for no-op writes', () => {
    const store = storeWithNamespaces();
    const cm = store.create(configMap('a', 'default', { k: 'v' }));
    const again = store.mergePatch('v1', 'ConfigMap', 'a', { data: { k: 'v' } }, 'default');
    expect(again.metadata.resourceVersion).toBe(cm.metadata.resourceVersion);
  });

  it('holds objects with finalizers until the last finalizer is removed', () => {
    const store = storeWithNamespaces();
    const events: string[] = [];
    store.subscribe((e) => events.push(`${e.type}:${e.object.metadata.name}`));
    store.create({
      ...configMap('f'),
      metadata: { name: 'f', namespace: 'default', finalizers: ['example.com/hold'] },
    });
    const marked = store.delete('v1', 'ConfigMap', 'f', 'default');
    expect(marked?.metadata.deletionTimestamp).toBeDefined();
    expect(store.get('v1', 'ConfigMap', 'f', 'default')).toBeDefined();
    store.mergePatch('v1', 'ConfigMap', 'f', { metadata: { finalizers: null } }, 'default');
    expect(store.get('v1', 'ConfigMap', 'f', 'default')).toBeUndefined();
    expect(events).toEqual(['ADDED:f', 'MODIFIED:f', 'DELETED:f']);
  });

  it('deletes the contents of a deleted namespace, and dependents by ownerReferences', () => {
    const store = storeWithNamespaces();
    const deploy = store.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ran' },
      spec: {},
    });
    const owner = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'd',
      uid: deploy.metadata.uid!,
      controller: true,
    };
    const rs = store.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'd-1', namespace: 'ran', ownerReferences: [owner] },
      spec: {},
    });
    store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'd-1-a',
        namespace: 'ran',
        ownerReferences: [{ ...owner, kind: 'ReplicaSet', name: 'd-1', uid: rs.metadata.uid! }],
      },
      spec: {},
    });
    store.create(configMap('other', 'default'));

    store.delete('apps/v1', 'Deployment', 'd', 'ran');
    expect(store.list('apps/v1', 'ReplicaSet', { namespace: 'ran' })).toEqual([]);
    expect(store.list('v1', 'Pod')).toEqual([]);

    store.create(configMap('c1', 'ran'));
    store.delete('v1', 'Namespace', 'ran');
    expect(store.list('v1', 'ConfigMap').map((c) => c.metadata.name)).toEqual(['other']);
  });

  it('serves custom resources once their CRD exists, and drops them with it', () => {
    const store = storeWithNamespaces();
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    };
    const created = store.create(crd);
    expect(
      (created['status'] as { conditions: Array<{ type: string }> }).conditions.map((c) => c.type),
    ).toContain('Established');
    store.create({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'default' },
      spec: { size: 1 },
    });
    expect(store.list('example.com/v1', 'Widget')).toHaveLength(1);
    store.delete('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com');
    expect(store.registry.byApiVersionKind('example.com/v1', 'Widget')).toBeUndefined();
    expect(
      thrown(() =>
        store.create({
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w2', namespace: 'default' },
        }),
      ).code,
    ).toBe(404);
  });

  it('pages lists in key order with no duplicates or gaps', () => {
    const store = storeWithNamespaces();
    const names = Array.from({ length: 23 }, (_, i) => `cm-${String(i).padStart(2, '0')}`);
    for (const name of [...names].reverse())
      store.create(configMap(name, name < 'cm-10' ? 'default' : 'ran'));
    const type = store.typeOf('v1', 'ConfigMap');
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = store.listObjects(type, {
        limit: 5,
        ...(token === undefined ? {} : { continueToken: token }),
      });
      seen.push(...page.items.map((i) => i.metadata.name));
      token = page.continueToken;
    } while (token !== undefined);
    expect([...seen].sort()).toEqual(names);
    expect(new Set(seen).size).toBe(names.length);
    expect(store.listObjects(type, { namespace: 'ran' }).items).toHaveLength(13);
  });

  it('keeps a bounded window of events and reports older resume points as expired', () => {
    const store = storeWithNamespaces(5);
    const start = Number(store.resourceVersion);
    for (let i = 0; i < 3; i++) store.create(configMap(`c${i}`));
    const events = store.eventsSince(start) as StoreEvent[];
    expect(events.map((e) => e.object.metadata.name)).toEqual(['c0', 'c1', 'c2']);
    for (let i = 3; i < 10; i++) store.create(configMap(`c${i}`));
    expect(store.eventsSince(start)).toBe('expired');
    expect(
      (store.eventsSince(Number(store.resourceVersion) - 2) as StoreEvent[]).map(
        (e) => e.object.metadata.name,
      ),
    ).toEqual(['c8', 'c9']);
  });

  it('defaults workload strategies on every write, so an update leaving them out changes nothing', () => {
    const store = storeWithNamespaces();
    const created = store.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: { serviceName: 'db', template: {} },
    });
    expect(created['spec']).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    });
    const updated = store.update({
      ...created,
      spec: { serviceName: 'db', template: {} },
    });
    expect(updated.metadata.generation).toBe(1);
    expect(updated.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const deployment = store.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { strategy: { type: 'Recreate' }, template: {} },
    });
    expect(deployment['spec']).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect((deployment['spec'] as { strategy: Record<string, unknown> }).strategy).not.toHaveProperty(
      'rollingUpdate',
    );
  });
});
