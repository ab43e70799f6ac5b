/**
 * The GraphQL API as a dashboard developer uses it (docs/graphql.md), through the real router on the demo
 * topology: SOL013 filter strings and their errors, connections paged across clusters, the hierarchy, alarm
 * mutations, and partial results while one cluster's subgraph is stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import { startScenario } from '../../sim/index.ts';
import { startClusterSubgraph } from '../../subgraphs/cluster/server.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { StateStore } from '../../state/store.ts';

let demo: Demo;
let base: string;
let store: StateStore;

interface GraphError {
  message: string;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}
interface GraphResponse<T> {
  data?: T | null;
  errors?: GraphError[];
  extensions?: Record<string, unknown>;
}

async function graphql<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphResponse<T>> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphResponse<T>;
}

beforeAll(async () => {
  store = createMemoryStore();
  demo = await startDemo({
    port: 0,
    timeline: false,
    store,
    logger: createLogger('silent'),
    gateway: { logLevel: 'silent', shards: { timeoutMs: 2_000, failureThreshold: 2, cooldownMs: 500 } },
  });
  base = demo.gateway.url;
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await store?.dispose();
});

describe('alarm mutations', () => {
  it('acknowledges and clears an alarm; AUTOMATIC alarms cannot be cleared by hand; unknown ids are NOT_FOUND', async () => {
    const ledger = new AlarmLedger(store);
    const base = {
      alarmCode: 'TEST',
      alarmName: 'test alarm',
      probableCauseId: '11111111-1111-4111-8111-111111111111',
      resourceTypeId: '22222222-2222-4222-8222-222222222222',
      resourceId: '33333333-3333-4333-8333-333333333333',
      clusterId: 'edge-1',
      resourcePoolId: null,
      source: 'cluster',
      perceivedSeverity: 1,
      extensions: {},
    } as const;
    const manual = (await ledger.raise({
      ...base,
      alarmDefinitionId: '44444444-4444-4444-8444-444444444444',
      clearingType: 'MANUAL',
    }))!;
    const automatic = (await ledger.raise({
      ...base,
      alarmDefinitionId: '55555555-5555-4555-8555-555555555555',
      clearingType: 'AUTOMATIC',
    }))!;

    const ack = await graphql<{ acknowledgeAlarm: { alarmAcknowledged: boolean; severity: string } }>(
      'mutation($id: ID!) { acknowledgeAlarm(alarmEventRecordId: $id) { alarmAcknowledged severity } }',
      { id: manual.alarmEventRecordId },
    );
    expect(ack.errors).toBeUndefined();
    expect(ack.data?.acknowledgeAlarm).toEqual({ alarmAcknowledged: true, severity: 'MAJOR' });

    const clear = await graphql<{ clearAlarm: { severity: string; alarmClearedTime: string | null } }>(
      'mutation($id: ID!) { clearAlarm(alarmEventRecordId: $id) { severity alarmClearedTime } }',
      { id: manual.alarmEventRecordId },
    );
    expect(clear.errors).toBeUndefined();
    expect(clear.data?.clearAlarm.severity).toBe('CLEARED');
    expect(clear.data?.clearAlarm.alarmClearedTime).toEqual(expect.any(String));

    const refused = await graphql('mutation($id: ID!) { clearAlarm(alarmEventRecordId: $id) { severity } }', {
      id: automatic.alarmEventRecordId,
    });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');

    const missing = await graphql('mutation { acknowledgeAlarm(alarmEventRecordId: "nope") { severity } }');
    expect(missing.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');

    const read = await graphql<{ alarm: { alarmAcknowledged: boolean } | null }>(
      'query($id: ID!) { alarm(alarmEventRecordId: $id) { alarmAcknowledged } }',
      { id: manual.alarmEventRecordId },
    );
    expect(read.data?.alarm?.alarmAcknowledged).toBe(true);

    // Alarm lists take SOL013 filter strings too (severity is a computed field; filters see it).
    const major = await graphql<{ oCloud: { alarms: Array<{ alarmEventRecordId: string }> } }>(
      '{ oCloud { alarms(includeCleared: true, filter: "(eq,severity,MAJOR);(eq,clusterId,edge-1)") { alarmEventRecordId } } }',
    );
    expect(major.data?.oCloud.alarms.map((a) => a.alarmEventRecordId)).toContain(
      automatic.alarmEventRecordId,
    );
    expect(major.data?.oCloud.alarms.map((a) => a.alarmEventRecordId)).not.toContain(
      manual.alarmEventRecordId,
    );
    const bad = await graphql('{ oCloud { alarms(filter: "(eq,nope,1)") { alarmName } } }');
    expect(bad.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  });
});

interface ResourcePage {
  resourcesConnection: {
    totalCount: number;
    edges: Array<{ cursor: string; node: { resourceId: string; clusterId: string; description: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

const PAGE = `query($after: String, $filter: String, $orderBy: OrderBy) {
  resourcesConnection(first: 7, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { cursor node { resourceId clusterId description } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Every page of `resourcesConnection`, following endCursor. */
async function allPages(
  variables: Record<string, unknown>,
): Promise<{ ids: string[]; pages: number; total: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  let total: number;
  for (;;) {
    const page: GraphResponse<ResourcePage> = await graphql<ResourcePage>(PAGE, { ...variables, after });
    expect(page.errors).toBeUndefined();
    const connection = page.data!.resourcesConnection!;
    pages++;
    total = connection.totalCount;
    expect(connection.edges.length).toBeLessThanOrEqual(7);
    ids.push(...connection.edges.map((edge) => edge.node.resourceId));
    if (!connection.pageInfo.hasNextPage) break;
    expect(connection.edges).toHaveLength(7);
    after = connection.pageInfo.endCursor;
    if (pages > 100) throw new Error('paging does not end');
  }
  return { ids, pages, total };
}

describe('lists: SOL013 filters, connections across clusters', () => {
  it('pages resources 7 at a time across every cluster: each resource exactly once, in id order', async () => {
    const all = await graphql<{ resources: Array<{ resourceId: string; clusterId: string }> }>(
      '{ resources { resourceId clusterId } }',
    );
    const expected = all.data!.resources.map((r) => r.resourceId).sort();
    expect(new Set(all.data!.resources.map((r) => r.clusterId)).size).toBe(3);
    expect(expected.length).toBeGreaterThan(14);
    const { ids, pages, total } = await allPages({});
    expect(ids).toEqual(expected);
    expect(total).toBe(expected.length);
    expect(pages).toBe(Math.ceil(expected.length / 7));
  });

  it('orders by an attribute across clusters and filters with a SOL013 string', async () => {
    const all = await graphql<{
      resources: Array<{ resourceId: string; description: string; clusterId: string }>;
    }>('{ resources { resourceId description clusterId } }');
    const byDescription = [...all.data!.resources]
      .sort((a, b) =>
        a.description === b.description
          ? a.resourceId < b.resourceId
            ? 1
            : -1
          : a.description < b.description
            ? 1
            : -1,
      )
      .map((r) => r.resourceId);
    const ordered = await allPages({ orderBy: { attribute: 'description', direction: 'DESC' } });
    expect(ordered.ids).toEqual(byDescription);

    const filter = '(neq,clusterId,edge-1)';
    const filtered = await allPages({ filter });
    const expected = all
      .data!.resources.filter((r) => r.clusterId !== 'edge-1')
      .map((r) => r.resourceId)
      .sort();
    expect(filtered.ids).toEqual(expected);
    expect(filtered.total).toBe(expected.length);
    // The plain list takes the same filter string.
    const plain = await graphql<{ resources: Array<{ clusterId: string }> }>(
      'query($f: String) { resources(filter: $f) { clusterId } }',
      { f: filter },
    );
    expect(plain.data!.resources).toHaveLength(expected.length);
  });

  it.each([
    ['a malformed filter', '{ resources(filter: "(eq,description") { resourceId } }', 'invalid filter'],
    [
      'an unknown attribute',
      '{ resourcesConnection(filter: "(eq,nope,x)") { totalCount } }',
      'unknown attribute',
    ],
    ['a negative first', '{ resourcesConnection(first: -1) { totalCount } }', 'first must be'],
    ['a foreign cursor', '{ resourcesConnection(after: "bm9wZQ") { totalCount } }', 'cursor'],
    [
      'an order that is not an attribute',
      '{ resourcesConnection(orderBy: {attribute: "node"}) { totalCount } }',
      'orderBy',
    ],
  ])('answers %s with ONE BAD_USER_INPUT error and no list', async (_case, query, detail) => {
    const result = await graphql<Record<string, unknown>>(query);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toContain(detail);
    const value = result.data == null ? null : Object.values(result.data)[0];
    expect(value).toBeNull();
  });

  it('keeps the REST facade’s compiled filter and shard window out of the public schema', async () => {
    const result = await graphql<{
      __type: { fields: Array<{ name: string; args: Array<{ name: string }> }> };
    }>('{ __type(name: "Query") { fields { name args { name } } } }');
    const args = result.data!.__type.fields.find((f) => f.name === 'resources')!.args.map((a) => a.name);
    expect(args).toEqual(['resourcePoolId', 'filter']);
    const inline = await graphql('{ resources(compiledFilter: {v: 1, clauses: []}) { resourceId } }');
    expect(inline.errors?.[0]?.message).toContain('compiledFilter');
  });
});

describe('the hierarchy', () => {
  it('walks site → cluster → pool → resource → node → pod → workload, and back from a resource', async () => {
    const sites = await graphql<{
      oCloudSites: Array<{
        location: { name: string };
        clusters: Array<{ clusterId: string; resourcePools: Array<{ name: string }> }>;
      }>;
    }>('{ oCloudSites { location { name } clusters { clusterId resourcePools { name } } } }');
    expect(sites.errors).toBeUndefined();
    expect(sites.data!.oCloudSites.flatMap((s) => s.clusters.map((c) => c.clusterId)).sort()).toEqual([
      'edge-1',
      'edge-2',
      'regional-1',
    ]);
    const down = await graphql<{
      cluster: {
        resourcePools: Array<{
          resourcesConnection: {
            edges: Array<{ node: { node: { pods: Array<{ workload: { kind: string } | null }> } | null } }>;
          };
        }>;
      };
    }>(`
      {
        cluster(clusterId: "regional-1") {
          resourcePools {
            resourcesConnection(first: 20) {
              edges {
                node {
                  node {
                    pods {
                      workload {
                        kind
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    `);
    expect(down.errors).toBeUndefined();
    const nodes = down.data!.cluster.resourcePools.flatMap((p) =>
      p.resourcesConnection.edges.map((e) => e.node.node),
    );
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => n !== null)).toBe(true);
    expect(nodes.flatMap((n) => n!.pods).some((pod) => pod.workload !== null)).toBe(true);

    const resources = await graphql<{ resources: Array<{ resourceId: string; clusterId: string }> }>(
      '{ resources { resourceId clusterId } }',
    );
    const one = resources.data!.resources[0]!;
    const up = await graphql<{
      resource: {
        resourcePool: { resourcePoolId: string };
        cluster: { clusterId: string; oCloudSite: { oCloudSiteId: string } };
        oCloudSite: { oCloudSiteId: string; location: { globalLocationId: string } };
        alarms: unknown[];
      };
    }>(
      `
        query ($id: ID!) {
          resource(resourceId: $id) {
            resourcePool {
              resourcePoolId
            }
            cluster {
              clusterId
              oCloudSite {
                oCloudSiteId
              }
            }
            oCloudSite {
              oCloudSiteId
              location {
                globalLocationId
              }
            }
            alarms {
              alarmEventRecordId
            }
          }
        }
      `,
      { id: one.resourceId },
    );
    expect(up.errors).toBeUndefined();
    expect(up.data!.resource.cluster.clusterId).toBe(one.clusterId);
    expect(up.data!.resource.oCloudSite.oCloudSiteId).toBe(up.data!.resource.cluster.oCloudSite.oCloudSiteId);
    expect(up.data!.resource.alarms).toEqual(expect.any(Array));
  });
});

describe('a shard that rejects the router', () => {
  it('is an error naming the cluster, never silently dropped', async () => {
    const sims = await startScenario({
      name: 'rejecting',
      timeline: [],
      clusters: [{ ...demo.scenario.clusters[0]!, name: 'edge-9' }],
    });
    const subgraph = await startClusterSubgraph({
      clusterId: 'edge-9',
      oCloudId: parseGatewayConfig({}).oCloud.oCloudId,
      site: demo.scenario.clusters[0]!.site,
      poolLabel: demo.scenario.clusters[0]!.poolLabel,
      kube: { server: sims.clusters.get('edge-9')!.url },
      host: '127.0.0.1',
      port: 0,
      internalToken: 'not-the-routers-token',
      logger: createLogger('silent'),
    });
    try {
      await demo.gateway.registry.register({ clusterId: 'edge-9', url: subgraph.url, wsUrl: subgraph.wsUrl });
      const result = await graphql<{ clusters: Array<{ clusterId: string }> }>('{ clusters { clusterId } }');
      expect(result.data?.clusters.map((c) => c.clusterId).sort()).toEqual([
        'edge-1',
        'edge-2',
        'regional-1',
      ]);
      const errors = (result.errors ?? []).filter((e) => e.extensions?.['clusterId'] === 'edge-9');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.extensions?.['code']).toBe('SHARD_UNAVAILABLE');
      expect(errors[0]!.message).toContain("rejected the router's credentials");
      expect(result.extensions?.['missingClusters']).toEqual(['edge-9']);
    } finally {
      await demo.gateway.registry.deregister('edge-9');
      await subgraph.close();
      await sims.dispose();
    }
  });
});

describe('partial results (run last: stops a cluster subgraph)', () => {
  it('answers every query shape with the other clusters plus one error naming the stopped one', async () => {
    await demo.subgraphs.get('edge-2')!.close();
    const shapes = [
      '{ resources { clusterId } }',
      '{ resourcesConnection(first: 50) { totalCount edges { node { clusterId } } } }',
      '{ oCloud { clusters { clusterId name } } }',
      '{ cluster(clusterId: "edge-2") { clusterId name } }',
    ];
    for (const query of shapes) {
      const result = await graphql<Record<string, unknown>>(query);
      const unavailable = (result.errors ?? []).filter((e) => e.extensions?.['code'] === 'SHARD_UNAVAILABLE');
      expect(unavailable, query).toHaveLength(1);
      expect(unavailable[0]!.extensions?.['clusterId'], query).toBe('edge-2');
      expect(unavailable[0]!.message, query).toMatch(/edge-2.*unavailable: \S+/);
      expect(
        result.errors?.every((e) => e.message !== 'Unexpected error.'),
        query,
      ).toBe(true);
      expect(result.extensions?.['missingClusters'], query).toEqual(['edge-2']);
      expect(result.data, query).toBeDefined();
    }
    const connection = await graphql<ResourcePage>(PAGE, {});
    expect(connection.data!.resourcesConnection!.edges.every((e) => e.node.clusterId !== 'edge-2')).toBe(
      true,
    );
    expect(connection.data!.resourcesConnection!.edges.length).toBeGreaterThan(0);
  });
});
