import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../testing/sim-fake-clock.ts';
import { runSimCommand } from '../cli.ts';
import type { KubeObject } from '../types.ts';
import { loadScenario } from './load.ts';
import { startScenario } from './start.ts';
import { startTimeline } from './timeline.ts';
import type { TimelineStep } from './types.ts';

const DEMO_FILE = fileURLToPath(new URL('../scenarios/demo.yaml', import.meta.url));

type NodeStatus = {
  conditions: Array<{ type: string; status: string; reason: string; lastTransitionTime?: string }>;
  allocatable: Record<string, string>;
  capacity: Record<string, string>;
};

function nodesOf(objects: readonly KubeObject[]): KubeObject[] {
  return objects.filter((o) => o.kind === 'Node');
}

describe('scenario fixtures', () => {
  it('expand deterministically, from a built-in name, a file path or YAML text', async () => {
    const first = loadScenario('demo');
    expect(loadScenario(DEMO_FILE)).toEqual(first);
    expect(loadScenario(await readFile(DEMO_FILE, 'utf8'))).toEqual(first);
    expect(first.clusters.map((c) => [c.name, nodesOf(c.objects).length])).toEqual([
      ['edge-1', 3],
      ['edge-2', 5],
      ['regional-1', 20],
    ]);
  });

  it('describe realistic nodes: labels, NFD/GFD features, resources, conditions, unique serials', () => {
    const scenario = loadScenario('demo');
    const allNodes = scenario.clusters.flatMap((c) => nodesOf(c.objects));
    const required = [
      'kubernetes.io/hostname',
      'kubernetes.io/arch',
      'kubernetes.io/os',
      'node.kubernetes.io/instance-type',
      'topology.kubernetes.io/region',
      'topology.kubernetes.io/zone',
      'feature.node.kubernetes.io/cpu-model.vendor_id',
      'feature.node.kubernetes.io/cpu-model.family',
      'feature.node.kubernetes.io/cpu-model.id',
      'netweave.io/vendor',
      'netweave.io/model',
      'netweave.io/pool',
    ];
    for (const node of allNodes) {
      for (const label of required)
        expect(node.metadata.labels, `${node.metadata.name} ${label}`).toHaveProperty([label]);
      const status = node['status'] as NodeStatus & {
        addresses: Array<{ type: string; address: string }>;
        nodeInfo: Record<string, string>;
      };
      expect(status.conditions.map((c) => c.type)).toEqual([
        'NetworkUnavailable',
        'MemoryPressure',
        'DiskPressure',
        'PIDPressure',
        'Ready',
      ]);
      expect(status.addresses.find((a) => a.type === 'InternalIP')?.address).toMatch(/^10\./);
      expect(Object.keys(status.nodeInfo)).toEqual(
        expect.arrayContaining([
          'kubeletVersion',
          'osImage',
          'kernelVersion',
          'architecture',
          'containerRuntimeVersion',
          'machineID',
          'systemUUID',
          'bootID',
        ]),
      );
    }
    const serials = allNodes.map((n) => n.metadata.annotations?.['netweave.io/serial-number']);
    expect(new Set(serials).size).toBe(allNodes.length);

    const regional = nodesOf(scenario.clusters.find((c) => c.name === 'regional-1')!.objects);
    const gpu = regional.filter((n) => (n['status'] as NodeStatus).allocatable['nvidia.com/gpu'] === '4');
    expect(gpu).toHaveLength(4);
    expect(gpu[0]?.metadata.labels).toMatchObject({
      'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB',
      'nvidia.com/gpu.count': '4',
      'netweave.io/pool': 'gpu',
    });
    expect(
      regional.filter(
        (n) => (n['status'] as NodeStatus).allocatable['intel.com/sriov_netdevice'] !== undefined,
      ).length,
    ).toBeGreaterThan(2);
    expect(
      regional.filter((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] === ''),
    ).toHaveLength(3);
    expect(new Set(regional.map((n) => n.metadata.labels?.['netweave.io/pool']))).toEqual(
      new Set(['control', 'general', 'gpu']),
    );
    expect(
      new Set(nodesOf(scenario.clusters[1]!.objects).map((n) => n.metadata.labels?.['netweave.io/pool']))
        .size,
    ).toBe(2);
    for (const cluster of scenario.clusters) {
      expect(cluster.site.location).toMatchObject({
        globalLocationId: expect.any(String),
        name: expect.any(String),
        description: expect.any(String),
        address: expect.any(String),
      });
      expect(cluster.site.location.coordinate?.latitude).toBeTypeOf('number');
      expect(cluster.site.location.civicAddress?.length).toBeGreaterThan(0);
    }
    expect(scenario.clusters.map((c) => c.site.name)).toEqual([
      'edge-paris-01',
      'edge-lyon-02',
      'regional-marseille',
    ]);
  });

  it('place running pods on existing nodes with a consistent ownerReferences chain', () => {
    for (const cluster of loadScenario('demo').clusters) {
      const withUid = cluster.objects.filter((o) => o.metadata.uid !== undefined);
      const uids = new Map(withUid.map((o) => [o.metadata.uid, o]));
      expect(uids.size).toBe(withUid.length);
      const nodeNames = new Set(nodesOf(cluster.objects).map((n) => n.metadata.name));
      const pods = cluster.objects.filter((o) => o.kind === 'Pod');
      expect(pods.length).toBeGreaterThan(10);
      for (const pod of pods) {
        expect(nodeNames.has((pod['spec'] as { nodeName: string }).nodeName)).toBe(true);
        expect((pod['status'] as { phase: string }).phase).toBe('Running');
        let owner = pod.metadata.ownerReferences?.[0];
        const chain: string[] = [];
        while (owner !== undefined) {
          const found = uids.get(owner.uid);
          expect(found?.metadata.name, `${pod.metadata.name} → ${owner.kind}/${owner.name}`).toBe(owner.name);
          chain.push(owner.kind);
          owner = found?.metadata.ownerReferences?.[0];
        }
        expect([['ReplicaSet', 'Deployment'], ['StatefulSet'], ['DaemonSet']]).toContainEqual(chain);
      }
      const namespaces = new Set(pods.map((p) => p.metadata.namespace));
      for (const namespace of ['kube-system', 'monitoring', 'ran'])
        expect(namespaces.has(namespace), namespace).toBe(true);
    }
  });

  it('reject invalid fixtures with messages that name the field', () => {
    expect(() => loadScenario('name: x\nclusters:\n  - name: Bad_Name\n    region: r\n')).toThrow(
      /clusters\.0\.name/,
    );
    expect(() => loadScenario('name: x\nclusters: []\ntimeline: {repeatEvery: 10s, steps: []}\n')).toThrow(
      /clusters/,
    );
    expect(() => loadScenario('no-such-scenario')).toThrow(/neither a file/);
  });
});

describe('scenario runtime', () => {
  it('starts every cluster, writes kubeconfigs and applies the timeline in order with an injected clock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-scenario-'));
    const scenario = loadScenario('demo');
    const running = await startScenario(scenario, { kubeconfigDir: dir });
    const clock = new FakeClock();
    const applied: string[] = [];
    const timeline = startTimeline(scenario, running.clusters, clock, {
      onStep: (step: TimelineStep, error?: Error) =>
        applied.push(`${clock.now / 1000}s ${step.action}${error ? ` FAILED ${error.message}` : ''}`),
    });
    try {
      const kubeconfig = parseYaml(await readFile(join(dir, 'regional-1.kubeconfig'), 'utf8')) as {
        clusters: Array<{ cluster: { server: string } }>;
        'current-context': string;
      };
      expect(kubeconfig['current-context']).toBe('regional-1');
      expect(kubeconfig.clusters[0]?.cluster.server).toBe(running.clusters.get('regional-1')!.url);

      const regional = running.clusters.get('regional-1')!.objects;
      const edge2 = running.clusters.get('edge-2')!.objects;
      const ready = (): string | undefined =>
        (regional.get('v1', 'Node', 'regional-1-gen-03')?.['status'] as NodeStatus).conditions.find(
          (c) => c.type === 'Ready',
        )?.status;
      const gpus = (): string | undefined =>
        (regional.get('v1', 'Node', 'regional-1-gpu-02')?.['status'] as NodeStatus).allocatable[
          'nvidia.com/gpu'
        ];

      clock.advance(29_999);
      expect([applied, ready()]).toEqual([[], 'True']);
      clock.advance(1);
      expect(ready()).toBe('Unknown');
      const node = regional.get('v1', 'Node', 'regional-1-gen-03')!;
      expect((node['spec'] as { taints: Array<{ key: string }> }).taints.map((t) => t.key)).toContain(
        'node.kubernetes.io/unreachable',
      );
      expect((node['status'] as NodeStatus).conditions.find((c) => c.type === 'Ready')?.reason).toBe(
        'NodeStatusUnknown',
      );
      expect(
        regional
          .list('v1', 'Event', { namespace: 'default' })
          .map((e) => `${e['reason'] as string} ${(e['involvedObject'] as { name: string }).name}`),
      ).toEqual(['NodeNotReady regional-1-gen-03']);

      clock.advance(15_000);
      expect(edge2.get('v1', 'Node', 'edge-2-ran-03')?.metadata.labels?.['netweave.io/pool']).toBe('ran');
      expect(edge2.get('coordination.k8s.io/v1', 'Lease', 'edge-2-ran-03', 'kube-node-lease')).toBeDefined();
      clock.advance(15_000);
      expect([
        gpus(),
        (regional.get('v1', 'Node', 'regional-1-gpu-02')?.['status'] as NodeStatus).capacity[
          'nvidia.com/gpu'
        ],
      ]).toEqual(['3', '4']);
      clock.advance(30_000);
      expect(ready()).toBe('True');
      clock.advance(30_000);
      expect(gpus()).toBe('4');
      clock.advance(30_000);
      expect(edge2.get('v1', 'Node', 'edge-2-ran-03')).toBeUndefined();
      clock.advance(60_000);
      expect(ready()).toBe('Unknown');
      clock.advance(15_000);
      expect(edge2.get('v1', 'Node', 'edge-2-ran-03')).toBeDefined();

      expect(applied).toEqual([
        '30s setNodeReady',
        '45s addNode',
        '60s setExtendedResource',
        '90s setNodeReady',
        '120s setExtendedResource',
        '150s deleteNode',
        '210s setNodeReady',
        '225s addNode',
      ]);
      expect(clock.pending).toBe(1);
    } finally {
      timeline.dispose();
      expect(clock.pending).toBe(0);
      await running.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs `netweave sim` until stopped, printing each cluster and its kubeconfig', async () => {
    const help: string[] = [];
    await runSimCommand(['--help'], { out: (line) => help.push(line) });
    expect(help.join('\n')).toMatch(/Usage: netweave sim/);

    const dir = await mkdtemp(join(tmpdir(), 'sim-cli-'));
    const controller = new AbortController();
    const lines: string[] = [];
    const done = runSimCommand(['--scenario', 'minimal', '--kubeconfig-dir', dir, '--no-timeline'], {
      out: (line) => {
        lines.push(line);
        if (line.startsWith('Press Ctrl+C')) controller.abort();
      },
      signal: controller.signal,
    });
    await done;
    expect(lines.join('\n')).toMatch(
      /edge-min\s+http:\/\/127\.0\.0\.1:\d+\s+kubeconfig: .*edge-min\.kubeconfig/,
    );
    expect(lines.at(-1)).toBe('netweave sim: stopped');
    expect(existsSync(join(dir, 'edge-min.kubeconfig'))).toBe(true);
    await rm(dir, { recursive: true, force: true });
  });
});
