/**
 * The baseline of bench/ws-fanout.bench.ts: a bare graphql-ws server (graphql-ws + ws over node:http) with a
 * schema of just the two subscription fields the benchmark's clients ask for, fed from memory. What the same
 * fan-out costs on this machine without router, federation, state store or Kubernetes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { eventStream } from '../testing/fixture-subgraph.ts';

const SDL = `
scalar JSON
enum TopologyKind { NODE POD WORKLOAD }
enum O2ObjectKind { DEPLOYMENT_MANAGER RESOURCE_POOL RESOURCE RESOURCE_TYPE }
type Node { labels: JSON! }
type TopologyEvent { name: String! node: Node }
type InventoryEvent { eventId: ID! }
type Query { ok: Boolean }
type Subscription {
  topologyChanged(kinds: [TopologyKind!]): TopologyEvent!
  inventoryChanged(objectKinds: [O2ObjectKind!]): InventoryEvent!
}`;

type Stream = 'topology' | 'inventory';

export interface BaselineServer {
  readonly wsUrl: string;
  /** Sends `payload` to every subscriber of `stream`. */
  publish(stream: Stream, payload: object): void;
  close(): Promise<void>;
}

export async function startBaselineServer(): Promise<BaselineServer> {
  const schema = buildSchema(SDL);
  const listeners: Record<Stream, Set<(payload: unknown) => void>> = {
    topology: new Set(),
    inventory: new Set(),
  };
  const fields = schema.getSubscriptionType()!.getFields();
  fields['topologyChanged']!.subscribe = () => eventStream(listeners.topology);
  fields['topologyChanged']!.resolve = (payload: object) => payload;
  fields['inventoryChanged']!.subscribe = () => eventStream(listeners.inventory);
  fields['inventoryChanged']!.resolve = (payload: object) => payload;
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const disposable = useServer({ schema }, wss);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    publish(stream, payload) {
      for (const listener of listeners[stream]) listener(payload);
    },
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
