/**
 * What a rendered chart (`helm template` output) asks of a cluster: pods and their CPU and memory requests,
 * for the quotas of deployment policy (dms/lifecycle/policy.ts). Counted as the scheduler would:
 *
 * - Deployment, StatefulSet, ReplicaSet: `spec.replicas` (Kubernetes' default 1) pods of the template;
 *   Pod: one; DaemonSet: one per Ready node its nodeSelector matches; other kinds ask for no pods;
 * - a pod's request is the sum of its containers' requests (a container with a limit and no request is
 *   given the limit, as the API server defaults it), at least the largest init container's, plus overhead.
 */
import { parseAllDocuments } from 'yaml';
import { milliCores, wholeUnits } from '../../../common/quantity.ts';
import type { ResourceFootprint } from '../../../dms/lifecycle/index.ts';

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, ...path: string[]): unknown {
  let node = value;
  for (const key of path) node = isObj(node) ? node[key] : undefined;
  return node;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

interface Requests {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
}

function containerRequests(container: unknown): Requests {
  const resources = field(container, 'resources');
  const pick = (name: string): string | undefined =>
    text(field(resources, 'requests', name)) ?? text(field(resources, 'limits', name));
  return { cpuMillis: milliCores(pick('cpu')), memoryBytes: wholeUnits(pick('memory')) };
}

/** The requests of one pod of a pod spec. */
export function podRequests(spec: unknown): Requests {
  const list = (name: string): unknown[] => {
    const value = field(spec, name);
    return Array.isArray(value) ? value : [];
  };
  const containers = list('containers').map(containerRequests);
  const inits = list('initContainers').map(containerRequests);
  const sum = (pick: (r: Requests) => number): number => containers.reduce((t, r) => t + pick(r), 0);
  const max = (pick: (r: Requests) => number): number => inits.reduce((m, r) => Math.max(m, pick(r)), 0);
  const overhead = field(spec, 'overhead');
  return {
    cpuMillis:
      Math.max(
        sum((r) => r.cpuMillis),
        max((r) => r.cpuMillis),
      ) + milliCores(text(field(overhead, 'cpu'))),
    memoryBytes:
      Math.max(
        sum((r) => r.memoryBytes),
        max((r) => r.memoryBytes),
      ) + wholeUnits(text(field(overhead, 'memory'))),
  };
}

/** Labels of the Ready nodes a DaemonSet may land on. */
export type NodeLabels = Readonly<Record<string, string>>;

/**
 * The footprint of a rendered manifest. Throws on YAML Helm could not have produced (a broken document),
 * so a chart nobody can account for is not admitted by accident.
 */
export function renderedFootprint(manifest: string, readyNodes: readonly NodeLabels[]): ResourceFootprint {
  let replicas = 0;
  let cpuMillis = 0;
  let memoryBytes = 0;
  for (const document of parseAllDocuments(manifest)) {
    if (document.errors.length > 0)
      throw new Error(`the rendered chart is not YAML: ${document.errors[0]!.message}`);
    const object: unknown = document.toJS();
    if (!isObj(object)) continue;
    let pods: number;
    let spec: unknown;
    switch (object['kind']) {
      case 'Deployment':
      case 'StatefulSet':
      case 'ReplicaSet': {
        const wanted = field(object, 'spec', 'replicas');
        pods = typeof wanted === 'number' && Number.isInteger(wanted) && wanted >= 0 ? wanted : 1;
        spec = field(object, 'spec', 'template', 'spec');
        break;
      }
      case 'DaemonSet': {
        spec = field(object, 'spec', 'template', 'spec');
        const selector = field(spec, 'nodeSelector');
        const wanted = isObj(selector) ? Object.entries(selector) : [];
        pods = readyNodes.filter((labels) => wanted.every(([k, v]) => labels[k] === text(v))).length;
        break;
      }
      case 'Pod':
        pods = 1;
        spec = field(object, 'spec');
        break;
      default:
        continue;
    }
    const each = podRequests(spec);
    replicas += pods;
    cpuMillis += pods * each.cpuMillis;
    memoryBytes += pods * each.memoryBytes;
  }
  return { replicas, cpuMillis, memoryBytes };
}
