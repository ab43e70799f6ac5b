/**
 * A cluster subgraph served from fixed data: a real Apollo Server speaking GraphQL over HTTP and
 * graphql-ws on a loopback port, with the real cluster schema. Router tests use it to control exactly
 * what each shard holds, how slow it is and when it dies, without Kubernetes in the loop.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { parse } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { clusterScopedId, globalId } from '../o2/ids.ts';
import { CLUSTER_SDL_PATH } from '../router/gateway.ts';
import { ShardRegistry } from '../router/shard-registry.ts';
import type { StateStore } from '../state/store.ts';
import { JSONScalar } from '../common/json-scalar.ts';

export interface FixturePool {
  clusterId: string;
  resourcePoolId: string;
  name: string;
  description: string;
  oCloudSiteId: string;
  globalLocationId: string;
  extensions: Record<string, unknown>;
}

export interface FixtureType {
  resourceTypeId: string;
  name: string;
  description: string;
  vendor: string;
  model: string;
  version: string;
  alarmDictionaryId: string | null;
  resourceKind: 'PHYSICAL';
  resourceClass: 'COMPUTE';
  extensions: Record<string, unknown>;
}

export interface FixtureSubgraph {
  readonly clusterId: string;
  readonly url: string;
  readonly wsUrl: string;
  readonly pools: FixturePool[];
  readonly types: FixtureType[];
  /** Root fields and entity lookups this shard was asked for, in order. */
  readonly calls: string[];
  /** Delay before answering HTTP requests (a slow cluster). */
  delayMs: number;
  /** Emits a liveInventoryChanged event (the per-shard live stream) to current subscribers. */
  emit(objectId: string): void;
  /** liveInventoryChanged subscriptions open on this shard now. */
  liveSubscriptions(): number;
  close(): Promise<void>;
}

export function fixtureType(model: string): FixtureType {
  const resourceTypeId = globalId('resourceType', model);
  return {
    resourceTypeId,
    name: model,
    description: `${model} server`,
    vendor: 'Fixture Inc.',
    model,
    version: 'v1',
    alarmDictionaryId: globalId('alarmDictionary', resourceTypeId),
    resourceKind: 'PHYSICAL',
    resourceClass: 'COMPUTE',
    extensions: {},
  };
}

export async function startFixtureSubgraph(
  clusterId: string,
  poolNames: readonly string[],
  typeModels: readonly string[],
): Promise<FixtureSubgraph> {
  const pools: FixturePool[] = poolNames.map((name) => ({
    clusterId,
    resourcePoolId: clusterScopedId(clusterId, 'resourcePool', name),
    name,
    description: `${name} pool of ${clusterId}`,
    oCloudSiteId: globalId('site', clusterId),
    globalLocationId: `loc-${clusterId}`,
    extensions: {},
  }));
  const types = typeModels.map(fixtureType);
  const calls: string[] = [];
  const listeners = new Set<(event: unknown) => void>();

  // Deliberately partial objects (only what the router tests select), so not the generated Resolvers type.
  const resolvers = {
    JSON: JSONScalar,
    Query: {
      clusters: () => {
        calls.push('clusters');
        return [{ clusterId, name: clusterId }];
      },
      cluster: (_: unknown, args: { clusterId: string }) => {
        calls.push('cluster');
        return args.clusterId === clusterId ? { clusterId, name: clusterId } : null;
      },
      resourcePools: () => {
        calls.push('resourcePools');
        return pools;
      },
      resourcePool: (_: unknown, args: { resourcePoolId: string }) => {
        calls.push('resourcePool');
        return pools.find((p) => p.resourcePoolId === args.resourcePoolId) ?? null;
      },
      resourceTypes: () => {
        calls.push('resourceTypes');
        return types;
      },
      resourceType: (_: unknown, args: { resourceTypeId: string }) => {
        calls.push('resourceType');
        return types.find((t) => t.resourceTypeId === args.resourceTypeId) ?? null;
      },
    },
    Cluster: {
      __resolveReference: (ref: { clusterId: string }) => {
        calls.push(`Cluster:${ref.clusterId}`);
        return ref.clusterId === clusterId ? { clusterId, name: clusterId } : null;
      },
      resourcePools: () => pools,
    },
    ResourcePool: {
      __resolveReference: (ref: { resourcePoolId: string }) =>
        pools.find((p) => p.resourcePoolId === ref.resourcePoolId) ?? null,
      resources: () => [],
    },
    Subscription: {
      liveInventoryChanged: {
        subscribe: () => eventStream(listeners),
      },
    },
  };
  const schema = buildSubgraphSchema([
    { typeDefs: parse(readFileSync(CLUSTER_SDL_PATH, 'utf8')), resolvers },
  ]);
  const apollo = new ApolloServer({
    schema,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const app = express();
  const fixture = { delayMs: 0 };
  app.use('/graphql', express.json(), async (_req, _res, next) => {
    if (fixture.delayMs > 0) await new Promise((r) => setTimeout(r, fixture.delayMs));
    next();
  });
  app.use('/graphql', expressMiddleware(apollo));
  const server: Server = createServer(app);
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const wsServer = useServer({ schema }, wss);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return Object.assign(fixture, {
    clusterId,
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    pools,
    types,
    calls,
    liveSubscriptions: () => listeners.size,
    emit(objectId: string) {
      const event = {
        liveInventoryChanged: {
          cursor: String(Date.now()),
          clusterId,
          changeKind: 'MODIFY',
          objectKind: 'RESOURCE_POOL',
          objectId,
          objectRef: `/resourcePools/${objectId}`,
          priorObjectState: null,
          postObjectState: { resourcePoolId: objectId },
          occurredAt: new Date().toISOString(),
        },
      };
      for (const listener of listeners) listener(event);
    },
    async close() {
      await wsServer.dispose();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await apollo.stop();
    },
  });
}

/** A subscriber's stream of what is sent to `listeners` from now on, until it is returned (also bench/ws-fanout-baseline.ts). */
/** The router tests' three shards (edge-1, edge-2, regional-1), registered in a registry over `store`. */
export async function startFixtureShards(
  store: StateStore,
): Promise<{ shards: FixtureSubgraph[]; registry: ShardRegistry }> {
  const shards = await Promise.all([
    startFixtureSubgraph('edge-1', ['control', 'workers'], ['R640', 'R750']),
    startFixtureSubgraph('edge-2', ['workers'], ['R750']),
    startFixtureSubgraph('regional-1', ['general', 'gpu'], ['R750', 'XE8545']),
  ]);
  const registry = await ShardRegistry.open(store);
  for (const s of shards) await registry.register({ clusterId: s.clusterId, url: s.url, wsUrl: s.wsUrl });
  return { shards, registry };
}

export function eventStream(listeners: Set<(event: unknown) => void>): AsyncIterableIterator<unknown> {
  const queue: unknown[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const listener = (event: unknown): void => {
    queue.push(event);
    wake?.();
  };
  listeners.add(listener);
  const iterator: AsyncIterableIterator<unknown> = {
    async next() {
      while (!done) {
        if (queue.length > 0) return { value: queue.shift(), done: false };
        await new Promise<void>((r) => (wake = r));
      }
      return { value: undefined, done: true };
    },
    async return() {
      done = true;
      listeners.delete(listener);
      wake?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
