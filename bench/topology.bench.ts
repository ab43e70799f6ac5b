/**
 * Topology stream benchmark (issue 13, docs/graphql.md "Topology stream"): the 10 × 100 node topology of the
 * inventory benchmark plus 5,000 pods (500 per cluster, bound to nodes), each cluster its own subgraph, behind
 * the router. Measured in one run:
 *
 *   snapshot     time from subscribing to `topology` over graphql-ws through the router until the snapshots of
 *                all 10 clusters (1,000 nodes, 5,000 pods) have arrived; baseline: the same nodes and pods read
 *                with one GraphQL query over HTTP through the same router (`clusters { nodes pods }`).
 *   latency      50 graphql-ws clients hold `topology` open; a node label is changed in a simulated cluster's
 *                API server every 20 ms; latency = arrival of that change at a client − the change. Baseline: a
 *                client subscribed to the cluster subgraph directly (no router), receiving the same changes.
 *
 *   npm run bench -- topology          (BENCH_CLIENTS, BENCH_CHANGES, BENCH_SNAPSHOTS to change the load)
 */
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import { parse } from 'graphql';
import WebSocket from 'ws';
import { developmentContext } from '../common/auth.ts';
import { ShardClient } from '../router/shard-client.ts';
import type { Demo } from '../cli/demo.ts';
import { CLUSTERS, NODES_PER_CLUSTER, startInventoryTopology } from './inventory-scenario.ts';
import { machineDescription, percentile, writeSection } from './report.ts';

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 50);
const CHANGES = Number(process.env['BENCH_CHANGES'] ?? 100);
const SNAPSHOTS = Number(process.env['BENCH_SNAPSHOTS'] ?? 5);
const PODS_PER_CLUSTER = 500;
const CHANGE_INTERVAL_MS = 20;
const LABEL = 'bench.netweave.io/seq';

const SNAPSHOT_SUBSCRIPTION = `subscription { topology {
  clusterId kind cursor
  snapshot { nodes { name ready resourcePoolId } pods { namespace name phase nodeName } }
  change { kind name node { labels } }
} }`;
const SNAPSHOT_QUERY =
  '{ clusters { clusterId nodes { name ready resourcePoolId } pods { namespace name phase nodeName } } }';

interface TopologyMessage {
  data?: {
    topology?: {
      clusterId: string;
      kind: string;
      snapshot: { nodes: unknown[]; pods: unknown[] } | null;
      change: { kind: string; name: string; node: { labels: Record<string, string> } | null } | null;
    };
  } | null;
}

function format(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** 500 bare pods per cluster, bound round-robin to its nodes (what the scheduler would have done). */
function addPods(demo: Demo): void {
  for (const [clusterId, cluster] of demo.clusters) {
    const nodes = cluster.objects.list('v1', 'Node').map((n) => n.metadata.name);
    for (let i = 0; i < PODS_PER_CLUSTER; i++) {
      cluster.objects.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `bench-pod-${i}`, namespace: 'default', labels: { app: `bench-${i % 20}` } },
        spec: {
          nodeName: nodes[i % nodes.length]!,
          containers: [{ name: 'app', image: 'registry.example/bench:1' }],
        },
      });
    }
    if (nodes.length === 0) throw new Error(`${clusterId} has no nodes`);
  }
}

async function graphql(url: string, query: string): Promise<{ data?: unknown; errors?: unknown[] }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}

function wsClient(url: string): Client {
  return createClient({ url: `${url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: true });
}

/** Subscribes and resolves with the time until every cluster's snapshot arrived (and their pod count). */
async function snapshotTime(url: string): Promise<{ ms: number; pods: number; nodes: number }> {
  const client = wsClient(url);
  try {
    const started = performance.now();
    const seen = new Set<string>();
    let pods = 0;
    let nodes = 0;
    for await (const message of client.iterate({
      query: SNAPSHOT_SUBSCRIPTION,
    }) as AsyncIterable<TopologyMessage>) {
      const update = message.data?.topology;
      if (update?.kind !== 'SNAPSHOT' || update.snapshot === null) continue;
      seen.add(update.clusterId);
      pods += update.snapshot.pods.length;
      nodes += update.snapshot.nodes.length;
      if (seen.size === CLUSTERS) return { ms: performance.now() - started, pods, nodes };
    }
    throw new Error('the topology stream ended before every snapshot');
  } finally {
    await client.dispose();
  }
}

/** Arrival times (performance.now) of each change number, per subscriber. */
type Arrivals = Map<number, number>;

function collectChanges(stream: AsyncIterable<TopologyMessage>, arrivals: Arrivals, ready: () => void): void {
  void (async () => {
    for await (const message of stream) {
      const update = message.data?.topology;
      if (update?.kind === 'SNAPSHOT') ready();
      const seq = update?.change?.node?.labels[LABEL];
      if (seq !== undefined && !arrivals.has(Number(seq))) arrivals.set(Number(seq), performance.now());
    }
  })();
}

async function main(): Promise<void> {
  const machine = machineDescription();
  process.stdout.write(
    `Topology stream benchmark: ${CLUSTERS} clusters × ${NODES_PER_CLUSTER} nodes + ${CLUSTERS * PODS_PER_CLUSTER} pods; ${CLIENTS} clients; ${machine}\n`,
  );
  const { demo, uncachedGateway } = await startInventoryTopology();
  await uncachedGateway.close();
  const url = demo.gateway.url;
  try {
    addPods(demo);
    // Wait until the informers hold every pod (bounded).
    for (let attempt = 0; ; attempt++) {
      const result = (await graphql(url, '{ clusters { pods { name } } }')) as {
        data?: { clusters: Array<{ pods: unknown[] }> };
      };
      const count = result.data?.clusters.reduce((n, c) => n + c.pods.length, 0) ?? 0;
      if (count >= CLUSTERS * PODS_PER_CLUSTER) break;
      if (attempt > 600) throw new Error(`only ${count} pods reached the graph`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // ── snapshot time vs the same data by one query ─────────────────────────────────────────────────
    await snapshotTime(url); // warm-up (parse/plan caches, sockets)
    const snapshots: number[] = [];
    const queries: number[] = [];
    let shape = { pods: 0, nodes: 0 };
    for (let i = 0; i < SNAPSHOTS; i++) {
      const snapshot = await snapshotTime(url);
      snapshots.push(snapshot.ms);
      shape = snapshot;
      const started = performance.now();
      const result = await graphql(url, SNAPSHOT_QUERY);
      if (result.errors !== undefined) throw new Error(JSON.stringify(result.errors));
      queries.push(performance.now() - started);
    }
    process.stdout.write(
      `snapshot (${shape.nodes} nodes, ${shape.pods} pods): median ${format(median(snapshots))} ms; query baseline median ${format(median(queries))} ms\n`,
    );

    // ── event → client latency with CLIENTS subscribers ────────────────────────────────────────────
    const clients: Client[] = [];
    const arrivals: Arrivals[] = [];
    const ready: Array<Promise<void>> = [];
    for (let i = 0; i < CLIENTS; i++) {
      const client = wsClient(url);
      clients.push(client);
      const mine: Arrivals = new Map();
      arrivals.push(mine);
      let snapshots = 0;
      ready.push(
        new Promise<void>((resolve) =>
          collectChanges(
            client.iterate({ query: SNAPSHOT_SUBSCRIPTION }) as AsyncIterable<TopologyMessage>,
            mine,
            () => {
              snapshots += 1;
              if (snapshots === CLUSTERS) resolve();
            },
          ),
        ),
      );
    }
    const target = [...demo.subgraphs.values()][0]!;
    const direct = new ShardClient(
      { clusterId: target.clusterId, url: target.url, wsUrl: target.wsUrl },
      { internalToken: demo.internalToken, breaker: { failureThreshold: 5, cooldownMs: 1_000 } },
    );
    const directArrivals: Arrivals = new Map();
    let directReady: () => void = () => undefined;
    const directSnapshot = new Promise<void>((resolve) => (directReady = resolve));
    collectChanges(
      direct.subscribe({
        document: parse(SNAPSHOT_SUBSCRIPTION),
        variables: {},
        auth: developmentContext('bench'),
      }) as AsyncIterable<TopologyMessage>,
      directArrivals,
      directReady,
    );
    await Promise.all([...ready, directSnapshot]);

    const cluster = demo.clusters.get(target.clusterId)!;
    const node = cluster.objects.list('v1', 'Node')[0]!.metadata.name;
    const sent = new Map<number, number>();
    for (let seq = 0; seq < CHANGES; seq++) {
      sent.set(seq, performance.now());
      cluster.objects.mergePatch('v1', 'Node', node, { metadata: { labels: { [LABEL]: String(seq) } } });
      await new Promise((resolve) => setTimeout(resolve, CHANGE_INTERVAL_MS));
    }
    // Let the last changes arrive (bounded).
    for (let wait = 0; wait < 100; wait++) {
      if (arrivals.every((a) => a.size >= CHANGES) && directArrivals.size >= CHANGES) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const latencies = (from: readonly Arrivals[]): number[] =>
      from
        .flatMap((a) => [...a].map(([seq, at]) => at - sent.get(seq)!))
        .filter((ms) => Number.isFinite(ms))
        .sort((a, b) => a - b);
    const viaRouter = latencies(arrivals);
    const viaShard = latencies([directArrivals]);
    const missed = CLIENTS * CHANGES - viaRouter.length;
    await Promise.allSettled(clients.map((c) => c.dispose()));
    await direct.dispose();

    const rows = [
      `| snapshot: subscribe → all ${CLUSTERS} cluster snapshots (${shape.nodes} nodes, ${shape.pods} pods), graphql-ws through the router | ${format(median(snapshots))} ms median of ${SNAPSHOTS} (max ${format(Math.max(...snapshots))}) | ${format(median(queries))} ms: the same nodes and pods by one query over HTTP through the router | ${format(median(snapshots) / median(queries), 2)} |`,
      `| event → client, ${CLIENTS} graphql-ws clients through the router (${viaRouter.length} deliveries${missed > 0 ? `, ${missed} missing` : ''}) | p50 ${format(percentile(viaRouter, 50))} ms, p99 ${format(percentile(viaRouter, 99))} ms | p50 ${format(percentile(viaShard, 50))} ms, p99 ${format(percentile(viaShard, 99))} ms: one client on the cluster subgraph directly | p99 ${format(percentile(viaRouter, 99) / percentile(viaShard, 99), 2)} |`,
    ];
    process.stdout.write(`${rows.join('\n')}\n`);
    writeSection(
      'Topology stream',
      `\`npm run bench -- topology\` (bench/topology.bench.ts): ${CLUSTERS} simulated clusters × ${NODES_PER_CLUSTER} nodes (the inventory benchmark's topology) plus ${CLUSTERS * PODS_PER_CLUSTER} pods, each cluster its own subgraph, behind the router of one gateway process, everything in one process. A node label is changed every ${CHANGE_INTERVAL_MS} ms, ${CHANGES} times; latency is measured from the change in the simulated API server to the client (watch → informer → journal → subgraph graphql-ws → router → client graphql-ws).

Machine: ${machine}.

| case | netweave | baseline (same run) | ratio |
|---|---|---|---|
${rows.join('\n')}

Not measured here: a real browser among the clients (the page test, tests/e2e/topology-page.e2e.test.ts, checks behaviour, not time).`,
    );
  } finally {
    await demo.close();
  }
}

await main();
