/**
 * The processes of bench/scale.bench.ts (several simulated clusters per process, as the issue allows):
 *
 *   node --import tsx bench/scale-clusters.ts clusters <first> <count> <podsPerCluster> <internalToken>
 *     simulates clusters bench-<first>… with 100 nodes each, starts one cluster subgraph per cluster and
 *     prints one JSON line per subgraph that serves: {"event":"serving","clusterId","url","wsUrl",
 *     "startedAt","readyAt"} (after {"event":"simulated"} once its simulators are filled; {"event":"failed"} for
 *     a subgraph that could not start). Commands on stdin: `stop <id>`, `start <id>` (same port, so the gateway's
 *     record stays valid), `memory` (prints {"event":"memory","rss","heapUsed"}).
 *   node --import tsx bench/scale-clusters.ts gateway <internalToken>
 *     netweave's gateway with no cluster yet (they are registered through the admin API as they start),
 *     answer reuse off (every read pays its fan-out); prints {"url"}.
 */
import { createInterface } from 'node:readline';
import { startGateway } from '../cli/gateway.ts';
import { parseGatewayConfig } from '../common/config.ts';
import { createLogger } from '../common/log.ts';
import { loadScenario, startScenario, type SimCluster } from '../sim/index.ts';
import { startClusterSubgraph, type ClusterSubgraph } from '../subgraphs/cluster/server.ts';
import { scenarioYaml } from './inventory-scenario.ts';

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function runClusters(first: number, count: number, pods: number, token: string): Promise<void> {
  const scenario = loadScenario(scenarioYaml(count, pods, first, 3));
  const sims = new Map<string, SimCluster>();
  const disposers: Array<() => Promise<void>> = [];
  const oCloudId = parseGatewayConfig({}).oCloud.oCloudId;
  const logger = createLogger('silent');
  const subgraphs = new Map<string, ClusterSubgraph>();
  const ports = new Map<string, number>();

  const start = async (clusterId: string): Promise<void> => {
    const cluster = scenario.clusters.find((c) => c.name === clusterId);
    const sim = sims.get(clusterId);
    if (!cluster || !sim) throw new Error(`no simulated cluster ${clusterId}`);
    const startedAt = Date.now();
    const subgraph = await startClusterSubgraph({
      clusterId,
      oCloudId,
      site: cluster.site,
      poolLabel: cluster.poolLabel,
      kube: {
        server: sim.url,
        token: sim.token,
        ...(sim.caData === undefined ? {} : { caData: sim.caData }),
      },
      host: '127.0.0.1',
      port: ports.get(clusterId) ?? 0,
      internalToken: token,
      logger,
    });
    subgraphs.set(clusterId, subgraph);
    ports.set(clusterId, Number(new URL(subgraph.url).port));
    emit({
      event: 'serving',
      clusterId,
      url: subgraph.url,
      wsUrl: subgraph.wsUrl,
      startedAt,
      readyAt: Date.now(),
    });
  };

  // Every simulator of this process first, then the subgraphs one after another: a subgraph's start-up is
  // then its own work (first list, mapping, serving) and not a share of an event loop busy filling the next
  // simulators or starting 24 other subgraphs at once — which made the per-cluster start-up of earlier runs
  // (17–20 s) a measure of the process's backlog rather than of a subgraph (a real one has its own process).
  for (const cluster of scenario.clusters) {
    const started = await startScenario(
      { ...scenario, clusters: [cluster] },
      { host: '127.0.0.1', requireToken: true },
    );
    disposers.push(() => started.dispose());
    for (const [name, sim] of started.clusters) sims.set(name, sim);
  }
  emit({ event: 'simulated', count: scenario.clusters.length, at: Date.now() });
  for (const cluster of scenario.clusters) {
    try {
      await start(cluster.name);
    } catch (error) {
      // Reported, not fatal: the benchmark names the clusters that never served.
      emit({ event: 'failed', clusterId: cluster.name, message: String(error) });
    }
  }
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, clusterId] = line.trim().split(/\s+/);
    if (command === 'memory') {
      global.gc?.();
      const usage = process.memoryUsage();
      emit({ event: 'memory', rss: usage.rss, heapUsed: usage.heapUsed });
    } else if (command === 'stop' && clusterId !== undefined) {
      await subgraphs.get(clusterId)?.close();
      subgraphs.delete(clusterId);
      emit({ event: 'stopped', clusterId, at: Date.now() });
    } else if (command === 'start' && clusterId !== undefined) {
      await start(clusterId);
    }
  }
  await Promise.all([...subgraphs.values()].map((s) => s.close()));
  await Promise.all(disposers.map((dispose) => dispose()));
}

async function runGateway(token: string): Promise<void> {
  const gateway = await startGateway(
    parseGatewayConfig({
      listen: { host: '127.0.0.1', port: 0 },
      internalToken: token,
      logLevel: 'silent',
      rateLimits: { enabled: false },
      inventory: { cache: { maxAgeMs: 0 } },
    }),
    { logger: createLogger('silent') },
  );
  emit({ url: gateway.url });
}

// The benchmark ends its processes with SIGTERM: exit at once (the gateway would otherwise start its graceful
// drain, and the benchmark would wait for it).
process.once('SIGTERM', () => process.exit(0));
const [role, ...args] = process.argv.slice(2);
if (role === 'clusters') {
  const [first, count, pods, token] = args;
  await runClusters(Number(first), Number(count), Number(pods), token ?? '');
} else if (role === 'gateway') {
  await runGateway(args[0] ?? '');
} else {
  throw new Error('usage: scale-clusters.ts clusters <first> <count> <pods> <token> | gateway <token>');
}
