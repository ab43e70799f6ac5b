/** Expanded scenarios: full objects per cluster plus a timeline of injected changes. */
import type { SiteConfig } from '../../common/site.ts';
import type { KubeObject } from '../types.ts';

export interface Scenario {
  name: string;
  clusters: ClusterScenario[];
  timeline: TimelineStep[];
  /**
   * When set, the timeline runs again every `repeatEvery` ms (cycle k runs each step at
   * `k * repeatEvery + at`), so a long-running demo keeps changing. Every `at` is below it.
   */
  repeatEvery?: number;
}

export interface ClusterScenario {
  name: string;
  kubernetesVersion: string;
  site: SiteConfig;
  /** The node label naming a node's resource pool (e.g. `netweave.io/pool`). */
  poolLabel: string;
  objects: KubeObject[];
}

export type TimelineStep = { at: number /* ms after start */; cluster: string } & (
  | { action: 'setNodeReady'; node: string; ready: boolean }
  | { action: 'addNode'; node: KubeObject }
  | { action: 'deleteNode'; node: string }
  | { action: 'labelNode'; node: string; labels: Record<string, string | null> }
  | { action: 'setExtendedResource'; node: string; resource: string; allocatable: string; capacity?: string }
  | {
      action: 'setNodeCondition';
      node: string;
      type: string;
      status: 'True' | 'False' | 'Unknown';
      reason?: string;
    }
);
