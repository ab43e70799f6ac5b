/**
 * `loadScenario`: reads a fixture (a file path, a built-in scenario name such as `demo`, or YAML text),
 * validates it and expands it deterministically into full objects and an absolute-time timeline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { ZodError } from 'zod';
import type { SiteConfig } from '../../common/site.ts';
import type { KubeObject } from '../types.ts';
import { addressIn } from './network.ts';
import type { NodeContext } from './nodes.ts';
import { expandNode, nodeLease } from './nodes.ts';
import type {
  AddedNodeFixture,
  ClusterFixture,
  NodeGroup,
  NodeTemplate,
  ScenarioFixture,
  StepFixture,
} from './schema.ts';
import { nodeTemplateSchema, scenarioFixtureSchema } from './schema.ts';
import type { ClusterScenario, Scenario, TimelineStep } from './types.ts';
import type { PlacementNode } from './workloads.ts';
import { expandWorkload } from './workloads.ts';

const BUILTIN_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));
const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

function readSource(source: string): { text: string; origin: string } {
  if (source.includes('\n')) return { text: source, origin: 'inline scenario' };
  if (existsSync(source)) return { text: readFileSync(source, 'utf8'), origin: source };
  const builtin = `${BUILTIN_DIR}${source}.yaml`;
  if (/^[a-z0-9-]+$/.test(source) && existsSync(builtin))
    return { text: readFileSync(builtin, 'utf8'), origin: builtin };
  throw new Error(`scenario "${source}" is neither a file, a built-in scenario name, nor YAML text`);
}

function describe(error: ZodError, origin: string): Error {
  const lines = error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return new Error(`invalid scenario (${origin}):\n${lines.join('\n')}`);
}

function toSite(site: ClusterFixture['site']): SiteConfig {
  const l = site.location;
  return {
    name: site.name,
    ...(site.description === undefined ? {} : { description: site.description }),
    location: {
      globalLocationId: l.globalLocationId,
      name: l.name,
      ...(l.description === undefined ? {} : { description: l.description }),
      ...(l.coordinate === undefined
        ? {}
        : {
            coordinate: {
              latitude: l.coordinate.latitude,
              longitude: l.coordinate.longitude,
              ...(l.coordinate.altitude === undefined ? {} : { altitude: l.coordinate.altitude }),
            },
          }),
      ...(l.civicAddress === undefined
        ? {}
        : { civicAddress: l.civicAddress.map((e) => ({ caType: e.caType, caValue: e.caValue })) }),
      ...(l.address === undefined ? {} : { address: l.address }),
    },
  };
}

function normalizeVersion(version: string): string {
  return version.startsWith('v') ? version : `v${version}`;
}

/** What every node of one cluster shares, and the running counters that keep addresses unique. */
class ClusterExpansion {
  readonly version: string;
  readonly poolLabel: string;
  private readonly nodesCidr: string;
  private nodeCount = 0;
  readonly nodeNames = new Set<string>();

  constructor(
    readonly fixture: ClusterFixture,
    clusterIndex: number,
    scenario: ScenarioFixture,
    private readonly serials: Set<string>,
  ) {
    this.version = normalizeVersion(fixture.kubernetesVersion ?? scenario.kubernetesVersion);
    this.poolLabel = fixture.poolLabel ?? scenario.poolLabel;
    this.nodesCidr = fixture.network.nodes ?? `10.${10 + clusterIndex}.0.0/16`;
  }

  node(template: NodeTemplate, name: string, groupIndex: number): KubeObject {
    if (this.nodeNames.has(name))
      throw new Error(`cluster ${this.fixture.name}: duplicate node name ${name}`);
    this.nodeNames.add(name);
    const index = this.nodeCount++;
    const context: NodeContext = {
      cluster: this.fixture.name,
      region: this.fixture.region,
      kubernetesVersion: this.version,
      poolLabel: this.poolLabel,
      internalIp: addressIn(this.nodesCidr, 11 + index),
      podCidr: `${addressIn(this.fixture.network.pods, index * 256)}/24`,
      groupIndex,
      serials: this.serials,
      os: this.fixture.os,
    };
    return expandNode(template, name, context);
  }

  group(prefix: string): NodeGroup {
    const group = this.fixture.nodeGroups.find((g) => g.prefix === prefix);
    if (group === undefined)
      throw new Error(`cluster ${this.fixture.name}: no node group with prefix "${prefix}"`);
    return group;
  }
}

function nodeName(prefix: string, index: number): string {
  return `${prefix}-${String(index + 1).padStart(2, '0')}`;
}

function placementNode(node: KubeObject): PlacementNode {
  const spec = node['spec'] as { podCIDR: string; taints?: Array<{ key: string; effect: string }> };
  const addresses = (node['status'] as { addresses: Array<{ type: string; address: string }> }).addresses;
  return {
    name: node.metadata.name,
    labels: node.metadata.labels ?? {},
    taints: spec.taints ?? [],
    ip: addresses.find((a) => a.type === 'InternalIP')!.address,
    podCidr: spec.podCIDR,
  };
}

function namespaceObjects(fixture: ClusterFixture): KubeObject[] {
  const namespaces = new Map<string, Record<string, string>>();
  for (const entry of fixture.namespaces) {
    if (typeof entry === 'string') namespaces.set(entry, {});
    else namespaces.set(entry.name, entry.labels);
  }
  for (const w of fixture.workloads)
    if (!namespaces.has(w.namespace) && !SYSTEM_NAMESPACES.has(w.namespace)) namespaces.set(w.namespace, {});
  return [...namespaces].map(([name, labels]) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(Object.keys(labels).length === 0 ? {} : { labels }) },
  }));
}

function expandCluster(expansion: ClusterExpansion): ClusterScenario {
  const fixture = expansion.fixture;
  const nodes = fixture.nodeGroups.flatMap((group) =>
    Array.from({ length: group.count }, (_, i) => expansion.node(group, nodeName(group.prefix, i), i)),
  );
  const context = {
    cluster: fixture.name,
    poolLabel: expansion.poolLabel,
    nodes: nodes.map(placementNode),
    podIpOffsets: new Map<string, number>(),
    serviceIps: new Set<string>(),
  };
  const workloads = fixture.workloads.flatMap((w) => expandWorkload(w, context));
  return {
    name: fixture.name,
    kubernetesVersion: expansion.version,
    site: toSite(fixture.site),
    poolLabel: expansion.poolLabel,
    objects: [
      ...namespaceObjects(fixture),
      ...nodes,
      ...nodes.map(nodeLease),
      ...workloads,
      ...(fixture.objects as KubeObject[]),
    ],
  };
}

function isFullObject(node: unknown): node is KubeObject {
  return typeof node === 'object' && node !== null && 'apiVersion' in node && 'kind' in node;
}

/** A timeline node: `group` copies that group's template, the other fields override it. */
function addedNode(expansion: ClusterExpansion, spec: AddedNodeFixture): KubeObject {
  const { name, group, ...overrides } = spec;
  const base: Record<string, unknown> = group === undefined ? {} : { ...expansion.group(group) };
  delete base['prefix'];
  delete base['count'];
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const parsed = nodeTemplateSchema.safeParse({ ...base, ...defined });
  if (!parsed.success) throw describe(parsed.error, `addNode ${name}`);
  return expansion.node(parsed.data, name, expansion.nodeNames.size);
}

function toStep(step: StepFixture, expansions: ReadonlyMap<string, ClusterExpansion>): TimelineStep {
  const expansion = expansions.get(step.cluster);
  if (expansion === undefined)
    throw new Error(`timeline step at ${step.at} ms: unknown cluster "${step.cluster}"`);
  const base = { at: step.at, cluster: step.cluster };
  switch (step.action) {
    case 'addNode':
      return {
        ...base,
        action: 'addNode',
        node: isFullObject(step.node)
          ? (step.node as KubeObject)
          : addedNode(expansion, step.node as AddedNodeFixture),
      };
    case 'setNodeReady':
      return { ...base, action: 'setNodeReady', node: step.node, ready: step.ready };
    case 'deleteNode':
      return { ...base, action: 'deleteNode', node: step.node };
    case 'labelNode':
      return { ...base, action: 'labelNode', node: step.node, labels: step.labels };
    case 'setExtendedResource':
      return {
        ...base,
        action: 'setExtendedResource',
        node: step.node,
        resource: step.resource,
        allocatable: step.allocatable,
        ...(step.capacity === undefined ? {} : { capacity: step.capacity }),
      };
    case 'setNodeCondition':
      return {
        ...base,
        action: 'setNodeCondition',
        node: step.node,
        type: step.type,
        status: step.status,
        ...(step.reason === undefined ? {} : { reason: step.reason }),
      };
  }
}

/** Expands a parsed fixture (exported for callers that build fixtures in code). */
export function expandScenario(fixture: ScenarioFixture): Scenario {
  const serials = new Set<string>();
  const expansions = new Map<string, ClusterExpansion>();
  fixture.clusters.forEach((cluster, index) => {
    if (expansions.has(cluster.name)) throw new Error(`duplicate cluster name ${cluster.name}`);
    expansions.set(cluster.name, new ClusterExpansion(cluster, index, fixture, serials));
  });
  const clusters = [...expansions.values()].map(expandCluster);
  const { steps, repeatEvery } = fixture.timeline;
  // Stable sort: steps at the same time keep their fixture order.
  const timeline = steps.map((s) => toStep(s, expansions)).sort((a, b) => a.at - b.at);
  if (repeatEvery !== undefined) {
    if (repeatEvery <= 0) throw new Error('timeline.repeatEvery must be positive');
    const late = timeline.find((s) => s.at >= repeatEvery);
    if (late !== undefined)
      throw new Error(`timeline step at ${late.at} ms is not before repeatEvery (${repeatEvery} ms)`);
  }
  return { name: fixture.name, clusters, timeline, ...(repeatEvery === undefined ? {} : { repeatEvery }) };
}

/** Loads a scenario from a file path, a built-in name (`demo`, `minimal`) or YAML text. */
export function loadScenario(source: string): Scenario {
  const { text, origin } = readSource(source);
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new Error(
      `invalid scenario YAML (${origin}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const parsed = scenarioFixtureSchema.safeParse(raw);
  if (!parsed.success) throw describe(parsed.error, origin);
  return expandScenario(parsed.data);
}
