/**
 * The simulator against the real kubectl binary: discovery, get (tables, selectors, all namespaces),
 * client-side apply and re-apply, label, patch, delete, CRDs and custom resources, and `get -w`.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlPath } from '../testing/kube-tools.ts';
import type { SimCluster } from './cluster.ts';
import { startSimCluster } from './cluster.ts';
import type { KubeObject } from './types.ts';

const run = promisify(execFile);

function node(name: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.31.2' } },
  };
}

const CONFIG_AND_DEPLOYMENT = (image: string, value: string): string => `
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: default }
data: { mode: "${value}" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default, labels: { app: web } }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ${image}
          ports: [{ containerPort: 80 }]
`;

const STATEFUL_SET = `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: ran }
spec:
  replicas: 2
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: "postgres:16" }]
`;

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget, shortNames: [wd] }
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
      additionalPrinterColumns:
        - { name: Size, type: integer, jsonPath: .spec.size }
`;

describe('kubectl against the simulator', () => {
  let cluster: SimCluster;
  let dir: string;
  let kubeconfig: string;
  const kubectl = kubectlPath();

  async function k(...args: string[]): Promise<string> {
    const { stdout } = await run(
      kubectl,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      { timeout: 20_000 },
    );
    return stdout;
  }

  async function file(name: string, content: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-kubectl-'));
    cluster = await startSimCluster({
      name: 'kubectl-test',
      controllers: true,
      objects: [
        node('edge-1', { 'netweave.io/pool': 'edge', 'node-role.kubernetes.io/control-plane': '' }),
        node('edge-2', { 'netweave.io/pool': 'edge' }),
        node('gpu-1', { 'netweave.io/pool': 'gpu' }),
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ran' } },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'du-0', namespace: 'ran' },
          spec: { nodeName: 'edge-1', containers: [{ name: 'du', image: 'du:1' }] },
          status: { phase: 'Running' },
        },
      ],
    });
    kubeconfig = join(dir, 'kubeconfig');
    await cluster.writeKubeconfig(kubeconfig);
  });

  afterAll(async () => {
    await cluster.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gets nodes (with server-side columns and label selectors) and pods in all namespaces', async () => {
    const nodes = await k('get', 'nodes');
    expect(nodes.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
    expect(nodes).toMatch(/edge-1\s+Ready\s+control-plane/);
    const gpu = await k('get', 'no', '-l', 'netweave.io/pool=gpu', '-o', 'name');
    expect(gpu.trim()).toBe('node/gpu-1');
    const notGpu = await k(
      'get',
      'nodes',
      '-l',
      'netweave.io/pool notin (gpu)',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    );
    expect(notGpu).toBe('edge-1 edge-2');
    const pods = await k('get', 'pods', '-A');
    expect(pods).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS/);
    expect(pods).toMatch(/ran\s+du-0\s+0\/1\s+Running/);
  });

  it('applies a ConfigMap and a Deployment, then re-applies them modified', async () => {
    expect(await k('apply', '-f', await file('v1.yaml', CONFIG_AND_DEPLOYMENT('nginx:1.25', 'a')))).toMatch(
      /configmap\/settings created[\s\S]*deployment.apps\/web created/,
    );
    const changed = await k('apply', '-f', await file('v2.yaml', CONFIG_AND_DEPLOYMENT('nginx:1.27', 'b')));
    expect(changed).toMatch(/configmap\/settings configured[\s\S]*deployment.apps\/web configured/);
    expect(await k('apply', '-f', join(dir, 'v2.yaml'))).toMatch(/unchanged[\s\S]*unchanged/);
    expect(await k('rollout', 'status', 'deployment/web', '--timeout=10s')).toMatch(
      /successfully rolled out/,
    );

    const deployment = cluster.objects.get('apps/v1', 'Deployment', 'web', 'default')!;
    const containers = (
      deployment['spec'] as { template: { spec: { containers: Array<{ image: string; ports: unknown[] }> } } }
    ).template.spec.containers;
    expect(containers).toEqual([{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }]);
    expect(deployment.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain(
      'nginx:1.27',
    );
    expect(cluster.objects.get('v1', 'ConfigMap', 'settings', 'default')?.['data']).toEqual({ mode: 'b' });
  });

  it('labels and unlabels nodes, patches and deletes objects', async () => {
    await k('label', 'node', 'edge-2', 'rack=r7');
    expect(cluster.objects.get('v1', 'Node', 'edge-2')?.metadata.labels?.['rack']).toBe('r7');
    await k('label', 'node', 'edge-2', 'rack-');
    expect(cluster.objects.get('v1', 'Node', 'edge-2')?.metadata.labels).not.toHaveProperty('rack');

    await k('patch', 'deployment', 'web', '-p', '{"spec":{"replicas":4}}');
    await k('patch', 'configmap', 'settings', '--type', 'merge', '-p', '{"data":{"extra":"1"}}');
    await k(
      'patch',
      'node',
      'gpu-1',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/spec/unschedulable","value":true}]',
    );
    expect(
      (cluster.objects.get('apps/v1', 'Deployment', 'web', 'default')?.['spec'] as { replicas: number })
        .replicas,
    ).toBe(4);
    expect(cluster.objects.get('v1', 'ConfigMap', 'settings', 'default')?.['data']).toEqual({
      mode: 'b',
      extra: '1',
    });
    expect(await k('get', 'node', 'gpu-1')).toMatch(/Ready,SchedulingDisabled/);

    expect(await k('delete', 'configmap', 'settings')).toMatch(/configmap "settings" deleted/);
    expect(cluster.objects.get('v1', 'ConfigMap', 'settings', 'default')).toBeUndefined();
  });

  it('lists CRDs, creates one and serves its custom resources', async () => {
    expect(await k('get', 'crd', '-o', 'name')).toBe('');
    await k('apply', '-f', await file('crd.yaml', CRD));
    expect(await k('get', 'crd')).toMatch(/widgets\.example\.com/);
    await k(
      'apply',
      '-f',
      await file(
        'widget.yaml',
        'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w1, namespace: ran }\nspec: { size: 3 }\n',
      ),
    );
    // Printer columns replace the default Age column, as on a real server.
    expect(await k('get', 'widgets', '-n', 'ran')).toMatch(/^NAME\s+SIZE\nw1\s+3\n$/);
    await k('patch', 'wd', 'w1', '-n', 'ran', '--type', 'merge', '-p', '{"spec":{"size":5}}');
    expect(
      (cluster.objects.get('example.com/v1', 'Widget', 'w1', 'ran')?.['spec'] as { size: number }).size,
    ).toBe(5);
    await k('delete', 'widget', 'w1', '-n', 'ran');
    expect(cluster.objects.list('example.com/v1', 'Widget')).toEqual([]);
  });

  it('shows the pods the controllers run, waits for rollouts and deletes with a foreground cascade', async () => {
    await k('apply', '-f', await file('db.yaml', STATEFUL_SET));
    expect(await k('rollout', 'status', 'statefulset/db', '-n', 'ran', '--timeout=10s')).toMatch(
      /partitioned roll out complete|rolling update complete/,
    );
    expect(await k('get', 'pods', '-n', 'ran', '-l', 'app=db')).toMatch(
      /db-0\s+1\/1\s+Running[\s\S]*db-1\s+1\/1\s+Running/,
    );
    await k('rollout', 'status', 'deployment/web', '--timeout=10s');
    const web = await k(
      'get',
      'pods',
      '-l',
      'app=web',
      '-o',
      'jsonpath={range .items[*]}{.status.phase}/{.spec.nodeName} {end}',
    );
    // Four replicas (patched above), each running on a node.
    expect(web).toMatch(/^(Running\/(edge-1|edge-2|gpu-1) ){4}$/);

    expect(await k('delete', 'deployment', 'web', '--cascade=foreground')).toMatch(
      /deployment.apps "web" deleted/,
    );
    expect(cluster.objects.list('v1', 'Pod', { namespace: 'default', labelSelector: 'app=web' })).toEqual([]);
    expect(cluster.objects.list('apps/v1', 'ReplicaSet', { namespace: 'default' })).toEqual([]);
  });

  it('streams changes with get -w', async () => {
    const child = spawn(kubectl, [
      '--kubeconfig',
      kubeconfig,
      '--cache-dir',
      join(dir, 'cache'),
      'get',
      'nodes',
      '-w',
      '--output-watch-events',
    ]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await expect
        .poll(() => /ADDED\s+gpu-1\s+Ready/.test(output), { timeout: 10_000, message: 'the initial list' })
        .toBeTruthy();
      cluster.objects.create(node('late', {}));
      cluster.objects.mergePatch('v1', 'Node', 'edge-1', { metadata: { labels: { seen: 'yes' } } });
      cluster.objects.delete('v1', 'Node', 'late');
      await expect
        .poll(
          () =>
            /ADDED\s+late\s/.test(output) &&
            /MODIFIED\s+edge-1\s/.test(output) &&
            /DELETED\s+late\s/.test(output),
          { timeout: 10_000, message: `watch events (got: ${output})` },
        )
        .toBeTruthy();
    } finally {
      child.kill();
    }
  });
});
