/**
 * The hub's DMS queries and mutations on a lifecycle service over the in-memory store: each DMS client
 * mistake is a GraphQL error whose code the REST facade maps back to the same status (400, 404, 409, 412,
 * 422), the scope of a tenant and of a cluster hides records, and the entity references the cluster
 * subgraph's NfDeployment hands out resolve here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { developmentContext, type AuthContext } from '../../common/auth.ts';
import { ERROR_CODES } from '../../common/errors.ts';
import { LifecycleService } from '../../dms/lifecycle/index.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { StateStore } from '../../state/store.ts';
import { chartDescriptor, TestPackages } from '../../testing/dms-packages.ts';
import { hubRunner, testHubSchema } from '../../testing/hub-graph.ts';

const stores: StateStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.dispose();
});

function setup() {
  const store = createMemoryStore();
  stores.push(store);
  const packages = new TestPackages();
  for (const [id, operationalState] of [
    ['pkg-on', 'ENABLED'],
    ['pkg-off', 'DISABLED'],
  ] as const)
    packages.add({
      id,
      tenant: undefined,
      onboardingState: 'ONBOARDED',
      operationalState,
      usageState: 'NOT_IN_USE',
      descriptor: chartDescriptor(`vnfd-${id}`),
    });
  const lifecycle = new LifecycleService({
    store,
    packages,
    deploymentManagers: { clusterOf: () => undefined, deploymentManagerOf: (c) => `dm-${c}` },
  });
  const run = hubRunner(testHubSchema({ lifecycle }));
  return { run };
}

const CREATE =
  'mutation($request: JSON, $clusterId: ID) { createVnfInstance(request: $request, clusterId: $clusterId) { id version clusterId instantiationState } }';

describe('O2 DMS on the hub graph', () => {
  it('creates, reads, modifies and deletes an instance; errors carry the REST statuses as codes', async () => {
    const { run } = setup();
    const created = await run(CREATE, { request: { vnfdId: 'vnfd-pkg-on', vnfInstanceName: 'a' } });
    expect(created.codes).toEqual([]);
    const instance = created.data!['createVnfInstance'] as { id: string; version: number };
    expect(instance).toMatchObject({ version: 1, clusterId: null, instantiationState: 'NOT_INSTANTIATED' });

    const codeOf = async (query: string, variables: Record<string, unknown>) => {
      const { codes } = await run(query, variables);
      expect(codes).toHaveLength(1);
      return ERROR_CODES[codes[0]!];
    };
    // 400: malformed request; 422: a DISABLED package; 404: unknown; 409: wrong state; 412: stale If-Match.
    expect(await codeOf(CREATE, { request: { vnfdId: 7 } })).toBe(400);
    expect(await codeOf(CREATE, { request: null })).toBe(400);
    expect(await codeOf(CREATE, { request: { vnfdId: 'vnfd-pkg-off' } })).toBe(422);
    expect(
      await codeOf('query($id: ID!) { vnfInstance(id: $id) { id } }', {
        id: '0b0e5a4e-0000-4000-8000-000000000000',
      }),
    ).toBe(404);
    expect(
      await codeOf(
        'mutation($id: ID!) { terminateVnf(vnfInstanceId: $id, request: {terminationType: "FORCEFUL"}) { id } }',
        { id: instance.id },
      ),
    ).toBe(409);
    expect(
      await codeOf(
        'mutation($id: ID!) { modifyVnfInstance(vnfInstanceId: $id, request: {vnfInstanceName: "b"}, ifMatchVersion: 9) { id } }',
        { id: instance.id },
      ),
    ).toBe(412);

    const modified = await run(
      'mutation($id: ID!) { modifyVnfInstance(vnfInstanceId: $id, request: {vnfInstanceName: "b"}, ifMatchVersion: 1) { id operation operationState vnfInstance { vnfInstanceName version occurrences { id } } } }',
      { id: instance.id },
    );
    expect(modified.codes).toEqual([]);
    const occurrence = modified.data!['modifyVnfInstance'] as {
      id: string;
      vnfInstance: { occurrences: { id: string }[] };
    };
    expect(occurrence).toMatchObject({
      operation: 'MODIFY_INFO',
      operationState: 'COMPLETED',
      vnfInstance: { vnfInstanceName: 'b', version: expect.any(Number) },
    });
    expect(occurrence.vnfInstance.occurrences.map((o) => o.id)).toEqual([occurrence.id]);

    const deleted = await run('mutation($id: ID!) { deleteVnfInstance(vnfInstanceId: $id) }', {
      id: instance.id,
    });
    expect(deleted.data).toEqual({ deleteVnfInstance: instance.id });
    expect((await run('{ vnfInstances { id } }')).data).toEqual({ vnfInstances: [] });
  });

  it('scopes records to the caller’s tenant and to the cluster named, and resolves entity references', async () => {
    const { run } = setup();
    const ran: AuthContext = { ...developmentContext('t'), tenant: { name: 'ran' } };
    const core: AuthContext = { ...developmentContext('t'), tenant: { name: 'core' } };
    const created = await run(CREATE, { request: { vnfdId: 'vnfd-pkg-on' }, clusterId: 'edge-1' }, ran);
    const { id } = created.data!['createVnfInstance'] as { id: string };

    expect((await run('{ vnfInstances { id } }', {}, ran)).data).toEqual({ vnfInstances: [{ id }] });
    expect((await run('{ vnfInstances { id } }', {}, core)).data).toEqual({ vnfInstances: [] });
    expect((await run('query($id: ID!) { vnfInstance(id: $id) { id } }', { id }, core)).codes).toEqual([
      'NOT_FOUND',
    ]);
    expect((await run('{ vnfInstances(clusterId: "edge-2") { id } }', {}, ran)).data).toEqual({
      vnfInstances: [],
    });
    expect((await run('{ vnfInstances(clusterId: "edge-1") { id } }', {}, ran)).data).toEqual({
      vnfInstances: [{ id }],
    });

    const entities = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on VnfInstance { id clusterId } } }`;
    const reps = [{ __typename: 'VnfInstance', id }];
    expect((await run(entities, { reps }, ran)).data).toEqual({ _entities: [{ id, clusterId: 'edge-1' }] });
    expect((await run(entities, { reps }, core)).data).toEqual({ _entities: [null] });
  });
});
