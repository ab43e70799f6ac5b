/**
 * The inventory benchmark's topology (10 simulated clusters × 100 nodes), shared by
 * bench/inventory.bench.ts and bench/profile-router.ts.
 */
import { stringify } from 'yaml';
import { startDemo, type Demo } from '../cli/demo.ts';
import { startGateway, type GatewayProcess } from '../cli/gateway.ts';
import { parseGatewayConfig } from '../common/config.ts';
import { createLogger } from '../common/log.ts';
import { INVENTORY_EVENT_LOG } from '../o2/events.ts';
import { loadScenario } from '../sim/index.ts';

export const CLUSTERS = 10;
export const NODES_PER_CLUSTER = 100;
export const GPU_NODES_PER_CLUSTER = 20;

/**
 * `count` clusters (10 by default), each one pool of 100 nodes (80 workers, 20 GPU servers); no workloads
 * unless `podsPerCluster` asks for one Deployment of that many small Running pods per cluster. Clusters are
 * numbered from `first` with `digits` digits (bench-01…), so several processes can each run a slice.
 */
export function scenarioYaml(count = CLUSTERS, podsPerCluster = 0, first = 1, digits = 2): string {
  const width = digits;
  const clusters = Array.from({ length: count }, (_, i) => {
    const n = String(first + i).padStart(width, '0');
    const common = {
      pool: 'workers',
      role: 'worker',
      zones: [`bench-${n}-a`, `bench-${n}-b`],
      cpu: { count: 64, vendor: 'Intel', family: 6, model: 143 },
      memory: '512Gi',
    };
    return {
      name: `bench-${n}`,
      region: `bench-region-${n}`,
      site: {
        name: `bench-site-${n}`,
        location: {
          globalLocationId: `bench-location-${n}`,
          name: `Benchmark site ${n}`,
          address: `${n} Benchmark Street`,
        },
      },
      nodeGroups: [
        {
          ...common,
          prefix: `bench-${n}-worker`,
          count: NODES_PER_CLUSTER - GPU_NODES_PER_CLUSTER,
          instanceType: 'dell-r760',
          vendor: 'Dell Inc.',
          model: 'PowerEdge R760',
          extendedResources: { 'intel.com/sriov_netdevice': 8 },
        },
        {
          ...common,
          prefix: `bench-${n}-gpu`,
          count: GPU_NODES_PER_CLUSTER,
          instanceType: 'dell-xe9680',
          vendor: 'Dell Inc.',
          model: 'PowerEdge XE9680',
          gpu: { product: 'NVIDIA-H100-80GB-HBM3', memoryMiB: 81559, count: 8, family: 'hopper' },
        },
      ],
      ...(podsPerCluster > 0
        ? {
            workloads: [
              {
                kind: 'Deployment',
                name: 'bench-app',
                namespace: 'bench',
                replicas: podsPerCluster,
                containers: [
                  { name: 'app', image: 'registry.example/bench-app:1.0', cpu: '10m', memory: '16Mi' },
                ],
              },
            ],
          }
        : {}),
    };
  });
  return stringify({
    name: 'inventory-bench',
    kubernetesVersion: 'v1.31.2',
    poolLabel: 'netweave.io/pool',
    clusters,
  });
}

/**
 * The topology with its default gateway (answer reuse on) and a second gateway on the same cluster
 * subgraphs without answer reuse: what every request costs.
 */
export async function startInventoryTopology(): Promise<{ demo: Demo; uncachedGateway: GatewayProcess }> {
  const demo = await startDemo({
    scenario: loadScenario(scenarioYaml()),
    port: 0,
    timeline: false,
    logger: createLogger('silent'),
    gateway: { logLevel: 'silent' },
  });
  const uncachedGateway = await startGateway(
    parseGatewayConfig({
      listen: { host: '127.0.0.1', port: 0 },
      internalToken: demo.internalToken,
      logLevel: 'silent',
      inventory: { cache: { maxAgeMs: 0 } },
      clusters: [...demo.subgraphs.values()].map((s) => ({
        clusterId: s.clusterId,
        url: s.url,
        wsUrl: s.wsUrl,
      })),
    }),
    { logger: createLogger('silent') },
  );
  await quietEventLog(demo);
  return { demo, uncachedGateway };
}

/**
 * Waits until the clusters have published their initial inventory (a thousand CREATE events take seconds on
 * a loaded machine): measuring meanwhile would measure the answer cache being invalidated by them.
 */
async function quietEventLog(demo: Demo, quietMs = 1_500): Promise<void> {
  const log = demo.gateway.store.eventLog<object>(INVENTORY_EVENT_LOG);
  let last = await log.latestCursor();
  for (let quietFor = 0; quietFor < quietMs;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await log.latestCursor();
    quietFor = now === last ? quietFor + 250 : 0;
    last = now;
  }
}
