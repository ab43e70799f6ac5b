/**
 * The cluster schema and resolvers executed in-process over hand-built caches: field wiring, entity
 * resolution across clusters, topology and the change subscription. The real-socket behaviour is in
 * server.test.ts.
 */
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { type ExecutionResult, parse, subscribe } from 'graphql';
import { graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { internalContext } from '../../common/auth.ts';
import { clusterScopedId, globalId } from '../../o2/ids.ts';
import { TEST_SITE, controlPlaneNode, gpuNode, testContext } from '../../testing/cluster-fixtures.ts';
import { formatSubgraphError } from './graphql-http.ts';
import type { InformerKind, InformerObjects, ReadonlyCache } from './informers.ts';
import { ClusterInventory } from './inventory.ts';
import { type ClusterDataSources, createGraphContext } from './resolvers.ts';
import { buildClusterSchema } from './schema.ts';

function cacheOf<T extends { metadata?: { name?: string; namespace?: string } }>(
  objects: readonly T[],
): ReadonlyCache<T> {
  return {
    get: (name, namespace) =>
      objects.find((o) => o.metadata?.name === name && (o.metadata?.namespace ?? '') === (namespace ?? '')),
    list: (namespace) =>
      objects.filter((o) => namespace === undefined || o.metadata?.namespace === namespace),
  };
}

const deployment: V1Deployment = {
  metadata: { name: 'du', namespace: 'ran', uid: 'd1' },
  spec: { replicas: 2, selector: {}, template: {} },
  status: { readyReplicas: 1 },
};
const replicaSet: V1ReplicaSet = {
  metadata: {
    name: 'du-5d8f7',
    namespace: 'ran',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'du', uid: 'd1', controller: true }],
  },
  spec: { selector: {} },
};
function pod(name: string, nodeName: string, owner?: { kind: string; name: string }): V1Pod {
  return {
    metadata: {
      name,
      namespace: 'ran',
      uid: `pod-${name}`,
      labels: { 'pod-template-hash': '5d8f7' },
      ...(owner === undefined
        ? {}
        : { ownerReferences: [{ apiVersion: 'apps/v1', ...owner, uid: 'x', controller: true }] }),
    },
    spec: { nodeName, containers: [] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: true, restartCount: 3 }],
    },
  };
}

function setup(): { sources: ClusterDataSources; inventory: ClusterInventory } {
  const mapping = testContext();
  const inventory = new ClusterInventory(mapping);
  const nodes = [gpuNode('gpu-1'), controlPlaneNode('cp-1')];
  for (const node of nodes) inventory.applyNode(node);
  const objects: { [K in InformerKind]: readonly InformerObjects[K][] } = {
    nodes,
    pods: [pod('du-5d8f7-a', 'gpu-1', { kind: 'ReplicaSet', name: 'du-5d8f7' }), pod('bare', 'cp-1')],
    namespaces: [{ metadata: { name: 'ran' } }, { metadata: { name: 'kube-system' } }],
    deployments: [deployment],
    statefulsets: [],
    daemonsets: [],
    replicasets: [replicaSet],
    helmreleases: [],
  };
  const informers = {
    cache: <K extends InformerKind>(kind: K) => cacheOf(objects[kind]) as ReadonlyCache<InformerObjects[K]>,
  };
  return { sources: { mapping, inventory, informers }, inventory };
}

async function run(
  sources: ClusterDataSources,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<ExecutionResult> {
  const schema = buildClusterSchema(sources);
  return graphql({
    schema,
    source: query,
    variableValues: variables,
    contextValue: createGraphContext(sources, internalContext('t')),
  });
}

describe('cluster schema', () => {
  it('lists pools with their resources, types and nodes', async () => {
    const { sources } = setup();
    const result = await run(
      sources,
      '{ resourcePools { name resources { description resourceType { name } resourcePool { name } node { name ready } elements { resourceType { resourceClass } node { name } } } } }',
    );
    expect(result.errors).toBeUndefined();
    // Lists come in id order (the paging contract); compare by name.
    const pools = (result.data as { resourcePools: { name: string }[] }).resourcePools;
    pools.sort((a, b) => a.name.localeCompare(b.name));
    expect(result.data).toMatchObject({
      resourcePools: [
        {
          name: 'default',
          resources: [{ description: 'cp-1 (control-plane)', node: { name: 'cp-1', ready: true } }],
        },
        {
          name: 'gpu',
          resources: [
            {
              description: 'gpu-1 (worker)',
              resourceType: { name: 'Dell PowerEdge R750xa' },
              resourcePool: { name: 'gpu' },
              node: { name: 'gpu-1' },
            },
          ],
        },
      ],
    });
    const gpuElements = (
      result.data as { resourcePools: { resources: { elements: { node: unknown }[] }[] }[] }
    ).resourcePools[1]!.resources[0]!.elements;
    expect(gpuElements.every((e) => e.node === null)).toBe(true);
  });

  it('returns null for single objects of another cluster and empty lists for its pools', async () => {
    const { sources } = setup();
    const foreignPool = clusterScopedId('regional-1', 'resourcePool', 'gpu');
    const result = await run(
      sources,
      `query($pool: ID!) { cluster(clusterId: "regional-1") { name } resourcePool(resourcePoolId: $pool) { name }
        resources(resourcePoolId: $pool) { resourceId } resource(resourceId: $pool) { resourceId }
        deploymentManager(deploymentManagerId: $pool) { name } oCloudSite(oCloudSiteId: $pool) { name } }`,
      { pool: foreignPool },
    );
    expect(result).toEqual({
      data: {
        cluster: null,
        resourcePool: null,
        resources: [],
        resource: null,
        deploymentManager: null,
        oCloudSite: null,
      },
    });
  });

  it('resolves entity references of this cluster and null for another cluster', async () => {
    const { sources, inventory } = setup();
    const resource = inventory.resources()[0]!;
    const result = await run(
      sources,
      `query($reps: [_Any!]!) { _entities(representations: $reps) {
        ... on Resource { resourceId description } ... on ResourcePool { name } ... on Cluster { clusterId }
        ... on ResourceType { name } ... on Node { name } ... on OCloudSite { name } ... on Location { name } } }`,
      {
        reps: [
          { __typename: 'Resource', clusterId: 'edge-1', resourceId: resource.resourceId },
          { __typename: 'Resource', clusterId: 'regional-1', resourceId: resource.resourceId },
          { __typename: 'ResourcePool', clusterId: 'edge-1', resourcePoolId: resource.resourcePoolId },
          { __typename: 'Cluster', clusterId: 'regional-1' },
          { __typename: 'ResourceType', resourceTypeId: resource.resourceTypeId },
          { __typename: 'ResourceType', resourceTypeId: globalId('resourceType', 'unknown') },
          { __typename: 'Node', clusterId: 'edge-1', name: 'cp-1' },
          { __typename: 'OCloudSite', oCloudSiteId: globalId('site', TEST_SITE.name) },
          { __typename: 'Location', globalLocationId: TEST_SITE.location.globalLocationId },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    expect((result.data as { _entities: unknown[] })._entities).toEqual([
      { resourceId: resource.resourceId, description: resource.description },
      null,
      { name: 'default' },
      null,
      { name: 'Kubernetes node' },
      null,
      { name: 'cp-1' },
      { name: TEST_SITE.name },
      { name: TEST_SITE.location.name },
    ]);
  });

  it('answers a representation without its key field with BAD_USER_INPUT', async () => {
    const { sources } = setup();
    const result = await run(
      sources,
      'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Resource { resourceId } } }',
      {
        reps: [{ __typename: 'Resource', resourceId: 'x' }],
      },
    );
    expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('serves the topology: namespaces, nodes with pods, pods with workloads, workloads with pods', async () => {
    const { sources } = setup();
    const result = await run(
      sources,
      `{ clusters { clusterId namespaces nodes { name pods { name } }
          pods(namespace: "ran") { name restarts ready workload { kind name } }
          workloads { kind name replicas readyReplicas pods { name } } deploymentManager { oCloudId } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      clusters: [
        {
          clusterId: 'edge-1',
          namespaces: ['kube-system', 'ran'],
          nodes: [
            { name: 'cp-1', pods: [{ name: 'bare' }] },
            { name: 'gpu-1', pods: [{ name: 'du-5d8f7-a' }] },
          ],
          pods: [
            { name: 'bare', restarts: 3, ready: true, workload: null },
            { name: 'du-5d8f7-a', restarts: 3, ready: true, workload: { kind: 'Deployment', name: 'du' } },
          ],
          workloads: [
            { kind: 'Deployment', name: 'du', replicas: 2, readyReplicas: 1, pods: [{ name: 'du-5d8f7-a' }] },
          ],
          deploymentManager: { oCloudId: testContext().oCloudId },
        },
      ],
    });
  });

  it('streams inventory changes of the requested kinds and detaches when the client leaves', async () => {
    const { sources, inventory } = setup();
    const schema = buildClusterSchema(sources);
    const stream = await subscribe({
      schema,
      document: parse(
        'subscription { liveInventoryChanged(objectKinds: [RESOURCE]) { changeKind objectKind clusterId cursor postObjectState } }',
      ),
      contextValue: createGraphContext(sources, internalContext('t')),
    });
    if (!(Symbol.asyncIterator in stream)) throw new Error('expected a stream');
    inventory.applyNode(gpuNode('gpu-2', { uid: 'uid-gpu-2' }));
    const first = await stream.next();
    expect(first.value).toMatchObject({
      data: { liveInventoryChanged: { changeKind: 'CREATE', objectKind: 'RESOURCE', clusterId: 'edge-1' } },
    });
    await stream.return?.();
    const listenersLeft: string[] = [];
    inventory.onChange((c) => listenersLeft.push(c.cursor));
    inventory.deleteNode(gpuNode('gpu-2', { uid: 'uid-gpu-2' }));
    expect(listenersLeft.length).toBeGreaterThan(0);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});

describe('error model', () => {
  it('keeps netweave codes, reports request errors as BAD_USER_INPUT and masks the rest', () => {
    expect(formatSubgraphError({ message: 'nope', extensions: { code: 'FORBIDDEN' } })).toEqual({
      message: 'nope',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(
      formatSubgraphError({ message: 'bad field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })
        .extensions,
    ).toEqual({
      code: 'BAD_USER_INPUT',
      graphqlCode: 'GRAPHQL_VALIDATION_FAILED',
    });
    expect(
      formatSubgraphError({
        message: 'secret path /etc/x',
        path: ['a'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      }),
    ).toEqual({
      message: 'Internal server error',
      path: ['a'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
