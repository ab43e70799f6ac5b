/**
 * The hub's deployment policy fields (dms-policy-resolvers.ts) over the store's policies: the configured seed
 * listed with its origin, set (created, then replaced), a bad document refused naming its path, a delete that
 * the seed does not undo.
 */
import { describe, expect, it } from 'vitest';
import { PolicyStore } from '../../dms/lifecycle/index.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { hubRunner, testHubSchema } from '../../testing/hub-graph.ts';

describe('hub deployment policy fields', () => {
  it('lists, sets, validates and deletes policies; a deleted seed stays deleted', async () => {
    const store = createMemoryStore();
    const policies = new PolicyStore(store);
    const seed = [{ policyId: 'system', forbiddenNamespaces: ['kube-system'] }];
    await policies.seed(seed);
    const run = hubRunner(testHubSchema({ policies }));

    const listed = await run('{ dmsPolicies { policyId origin document } }');
    expect(listed.data?.['dmsPolicies']).toEqual([
      { policyId: 'system', origin: 'config', document: seed[0] },
    ]);

    const set = `mutation($id: ID!, $p: JSON!) { setDmsPolicy(policyId: $id, policy: $p) { created policy { origin document } } }`;
    const created = await run(set, { id: 'quota', p: { quotas: { perTenant: { maxReplicas: 4 } } } });
    expect(created.data?.['setDmsPolicy']).toMatchObject({ created: true, policy: { origin: 'api' } });
    const replaced = await run(set, { id: 'quota', p: { quotas: { perTenant: { maxReplicas: 5 } } } });
    expect(replaced.data?.['setDmsPolicy']).toMatchObject({ created: false });
    expect(await policies.active()).toContainEqual({
      policyId: 'quota',
      quotas: { perTenant: { maxReplicas: 5 } },
    });

    const bad = await run(set, { id: 'quota', p: { placement: { allowedClusters: 'edge-1' } } });
    expect(bad.codes).toEqual(['BAD_USER_INPUT']);
    expect(bad.messages[0]).toMatch(/^placement\.allowedClusters: /);

    expect((await run('mutation { deleteDmsPolicy(policyId: "system") }')).data).toEqual({
      deleteDmsPolicy: 'system',
    });
    expect((await run('{ dmsPolicy(policyId: "system") { policyId } }')).codes).toEqual(['NOT_FOUND']);
    await policies.seed(seed); // a restart with the same configuration
    expect((await policies.active()).map((p) => p.policyId)).toEqual(['quota']);
  });
});
