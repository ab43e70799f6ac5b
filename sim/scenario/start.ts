/** Starts every cluster of a scenario on an ephemeral port, optionally writing one kubeconfig each. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { SimCluster } from '../cluster.ts';
import { startSimCluster } from '../cluster.ts';
import { stampTimes } from './stamp-times.ts';
import type { Scenario } from './types.ts';

export interface StartScenarioOptions {
  host?: string;
  /** Writes `<kubeconfigDir>/<cluster>.kubeconfig` for each cluster. */
  kubeconfigDir?: string;
  /** Time from binding to a running pod in every cluster (see SimClusterOptions.controllers). Default 300 ms. */
  podStartDelayMs?: number;
  /**
   * Every cluster requires a bearer token of its own (random, 401 without it), as a real API server does;
   * the kubeconfigs written carry it. Default off (tests that talk to a simulator without credentials).
   */
  requireToken?: boolean;
}

export function kubeconfigPath(dir: string, cluster: string): string {
  return join(dir, `${cluster}.kubeconfig`);
}

export async function startScenario(
  scenario: Scenario,
  opts: StartScenarioOptions = {},
): Promise<{ clusters: Map<string, SimCluster>; dispose(): Promise<void> }> {
  const clusters = new Map<string, SimCluster>();
  const dispose = async (): Promise<void> => {
    await Promise.all([...clusters.values()].map((c) => c.close()));
  };
  try {
    const now = Date.now();
    for (const cluster of scenario.clusters) {
      const sim = await startSimCluster({
        name: cluster.name,
        ...(opts.host === undefined ? {} : { host: opts.host }),
        kubernetesVersion: cluster.kubernetesVersion,
        // Workloads deployed into a running scenario (Helm, kubectl) converge like on a live cluster.
        controllers: opts.podStartDelayMs === undefined ? true : { podStartDelayMs: opts.podStartDelayMs },
        objects: stampTimes(cluster.objects, now),
        ...(opts.requireToken === true ? { token: `sim-${randomBytes(18).toString('base64url')}` } : {}),
      });
      clusters.set(cluster.name, sim);
      if (opts.kubeconfigDir !== undefined)
        await sim.writeKubeconfig(kubeconfigPath(opts.kubeconfigDir, cluster.name));
    }
  } catch (error) {
    // Never leave half a scenario listening.
    await dispose();
    throw error;
  }
  return { clusters, dispose };
}
