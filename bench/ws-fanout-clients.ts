/**
 * The graphql-ws subscribers of bench/ws-fanout.bench.ts, in their own process (so receiving does not compete
 * with the gateway for its event loop): `count` clients, one socket each, each subscribed to the live topology
 * (`topologyChanged(kinds: [NODE])`) and to the durable inventory stream (`inventoryChanged`, RESOURCE_TYPE
 * events only, which only the benchmark appends). Arrivals are keyed by the benchmark's event tag — the node's
 * `bench-seq` label, the inventory event's id — and reported over IPC on request (then forgotten).
 *
 *   node --import tsx bench/ws-fanout-clients.ts <ws url> <count>
 */
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';

const SEQ_LABEL = 'bench-seq';

/** To the benchmark: `connected` once every client subscribed; `arrivals` per key: [count, first, last]. */
export type ClientsMessage =
  | { readonly type: 'connected'; readonly clients: number; readonly ms: number }
  | {
      readonly type: 'arrivals';
      readonly arrivals: Record<string, [number, number, number]>;
      /** Sockets closed so far by the server side or the network (the benchmark never closes one before `stop`). */
      readonly closed: number;
    }
  | { readonly type: 'errors'; readonly errors: number };

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
const arrivals = new Map<string, [number, number, number]>();
let errors = 0;
let closed = 0;
let stopping = false;

function arrived(key: string): void {
  const now = Date.now();
  const seen = arrivals.get(key);
  if (seen === undefined) arrivals.set(key, [1, now, now]);
  else {
    seen[0] += 1;
    seen[2] = now;
  }
}

const sink = {
  error: () => {
    errors += 1;
  },
  complete: () => undefined,
};

const clients: Client[] = [];
const started = Date.now();
// Connect in slices: 2,000 simultaneous handshakes would only measure the accept queue.
for (let i = 0; i < count; i += 100) {
  const slice: Promise<void>[] = [];
  for (let j = i; j < Math.min(count, i + 100); j++) {
    slice.push(
      new Promise<void>((resolve) => {
        const client = createClient({
          url: url!,
          webSocketImpl: WebSocket,
          lazy: false,
          retryAttempts: 0,
          on: {
            connected: () => resolve(),
            closed: () => {
              if (!stopping) closed += 1;
            },
          },
        });
        clients.push(client);
        client.subscribe<{ topologyChanged: { node: { labels: Record<string, string> } | null } }>(
          { query: 'subscription { topologyChanged(kinds: [NODE]) { name node { labels } } }' },
          {
            ...sink,
            next: (result) => {
              const seq = result.data?.topologyChanged.node?.labels[SEQ_LABEL];
              if (seq !== undefined) arrived(`topology:${seq}`);
            },
          },
        );
        client.subscribe<{ inventoryChanged: { eventId: string } }>(
          { query: 'subscription { inventoryChanged(objectKinds: [RESOURCE_TYPE]) { eventId } }' },
          {
            ...sink,
            next: (result) => {
              const id = result.data?.inventoryChanged.eventId;
              if (id !== undefined) arrived(`inventory:${id}`);
            },
          },
        );
      }),
    );
  }
  await Promise.all(slice);
}
process.send?.({
  type: 'connected',
  clients: clients.length,
  ms: Date.now() - started,
} satisfies ClientsMessage);

process.on('message', (message: string) => {
  if (message === 'report') {
    process.send?.({
      type: 'arrivals',
      arrivals: Object.fromEntries(arrivals),
      closed,
    } satisfies ClientsMessage);
    arrivals.clear();
  } else if (message === 'errors') {
    process.send?.({ type: 'errors', errors } satisfies ClientsMessage);
  } else if (message === 'stop') {
    stopping = true;
    void Promise.all(clients.map((c) => c.dispose())).finally(() => process.exit(0));
  }
});
