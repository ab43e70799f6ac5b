/**
 * The simulator against the real helm binary: release storage in Secrets (Helm 4 writes them as
 * protobuf), server-side apply of the chart's objects, upgrade, history, rollback and uninstall; and,
 * with the workload controllers on, `--wait` (kstatus watching) seeing workloads become ready — or not.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helmPath } from '../testing/kube-tools.ts';
import type { SimCluster } from './cluster.ts';
import type { KubeObject } from './types.ts';
import { startSimCluster } from './cluster.ts';

const run = promisify(execFile);

const CHART = 'apiVersion: v2\nname: probe\nversion: 0.1.0\n';
const TEMPLATE = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
data:
  level: {{ .Values.level | quote }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-app
spec:
  replicas: {{ .Values.replicas }}
  selector: { matchLabels: { app: probe } }
  template:
    metadata: { labels: { app: probe } }
    spec:
      containers: [{ name: app, image: "busybox:1.36" }]
`;

describe('helm against the simulator', () => {
  let cluster: SimCluster;
  let dir: string;
  let kubeconfig: string;
  let chart: string;

  async function helm(...args: string[]): Promise<string> {
    const env = {
      ...process.env,
      HELM_CACHE_HOME: join(dir, 'cache'),
      HELM_CONFIG_HOME: join(dir, 'config'),
      HELM_DATA_HOME: join(dir, 'data'),
    };
    const { stdout } = await run(
      helmPath(),
      ['--kubeconfig', kubeconfig, '--namespace', 'default', ...args],
      { timeout: 20_000, env },
    );
    return stdout;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-helm-'));
    chart = join(dir, 'probe');
    await mkdir(join(chart, 'templates'), { recursive: true });
    await writeFile(join(chart, 'Chart.yaml'), CHART);
    await writeFile(join(chart, 'values.yaml'), 'level: info\nreplicas: 1\n');
    await writeFile(join(chart, 'templates', 'all.yaml'), TEMPLATE);
    cluster = await startSimCluster({ name: 'helm-test' });
    kubeconfig = join(dir, 'kubeconfig');
    await cluster.writeKubeconfig(kubeconfig);
  });

  afterAll(async () => {
    await cluster.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('installs, upgrades, rolls back and uninstalls a release', async () => {
    expect(await helm('install', 'demo', chart)).toMatch(/STATUS: deployed/);
    expect(cluster.objects.get('v1', 'ConfigMap', 'demo-settings', 'default')?.['data']).toEqual({
      level: 'info',
    });
    const release = cluster.objects.list('v1', 'Secret', {
      namespace: 'default',
      labelSelector: 'owner=helm,name=demo',
    });
    expect(release.map((s) => [s.metadata.name, s['type'], s.metadata.labels?.['status']])).toEqual([
      ['sh.helm.release.v1.demo.v1', 'helm.sh/release.v1', 'deployed'],
    ]);

    await helm('upgrade', 'demo', chart, '--set', 'level=debug', '--set', 'replicas=3');
    expect(cluster.objects.get('v1', 'ConfigMap', 'demo-settings', 'default')?.['data']).toEqual({
      level: 'debug',
    });
    expect(
      (cluster.objects.get('apps/v1', 'Deployment', 'demo-app', 'default')?.['spec'] as { replicas: number })
        .replicas,
    ).toBe(3);
    expect(await helm('history', 'demo')).toMatch(/1\s.*superseded[\s\S]*2\s.*deployed/);

    await helm('rollback', 'demo', '1');
    expect(cluster.objects.get('v1', 'ConfigMap', 'demo-settings', 'default')?.['data']).toEqual({
      level: 'info',
    });
    expect(await helm('list')).toMatch(/demo\s+default\s+3\s/);

    await helm('uninstall', 'demo');
    expect(cluster.objects.get('v1', 'ConfigMap', 'demo-settings', 'default')).toBeUndefined();
    expect(
      cluster.objects.list('v1', 'Secret', { namespace: 'default', labelSelector: 'owner=helm' }),
    ).toEqual([]);
  });
});

const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
  selector: { matchLabels: { app: {{ .Release.Name }}-web } }
  template:
    metadata:
      labels: { app: {{ .Release.Name }}-web }
      {{- if .Values.unready }}
      annotations: { sim.netweave.io/ready: "false" }
      {{- end }}
    spec:
      containers:
        - name: web
          image: {{ .Values.image | quote }}
          resources: { requests: { cpu: 100m, memory: 64Mi } }
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ .Release.Name }}-db
spec:
  replicas: 2
  serviceName: {{ .Release.Name }}-db
  selector: { matchLabels: { app: {{ .Release.Name }}-db } }
  template:
    metadata: { labels: { app: {{ .Release.Name }}-db } }
    spec:
      containers: [{ name: db, image: "postgres:16" }]
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ .Release.Name }}-agent
spec:
  selector: { matchLabels: { app: {{ .Release.Name }}-agent } }
  template:
    metadata: { labels: { app: {{ .Release.Name }}-agent } }
    spec:
      nodeSelector: { netweave.io/pool: edge }
      containers: [{ name: agent, image: "agent:1" }]
`;

function readyNode(name: string, pool: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'netweave.io/pool': pool } },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    },
  };
}

describe('helm --wait against the simulator with workload controllers', () => {
  let cluster: SimCluster;
  let dir: string;
  let kubeconfig: string;
  let chart: string;

  async function helm(...args: string[]): Promise<string> {
    const env = {
      ...process.env,
      HELM_CACHE_HOME: join(dir, 'cache'),
      HELM_CONFIG_HOME: join(dir, 'config'),
      HELM_DATA_HOME: join(dir, 'data'),
    };
    const { stdout } = await run(
      helmPath(),
      ['--kubeconfig', kubeconfig, '--namespace', 'default', ...args],
      { timeout: 40_000, env },
    );
    return stdout;
  }

  const pods = (selector: string): KubeObject[] =>
    cluster.objects.list('v1', 'Pod', { namespace: 'default', labelSelector: selector });
  const ready = (pod: KubeObject): boolean =>
    ((pod['status'] as { conditions?: Array<{ type: string; status: string }> }).conditions ?? []).some(
      (c) => c.type === 'Ready' && c.status === 'True',
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-helm-wait-'));
    chart = join(dir, 'stack');
    await mkdir(join(chart, 'templates'), { recursive: true });
    await writeFile(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: stack\nversion: 0.1.0\n');
    await writeFile(join(chart, 'values.yaml'), 'replicas: 2\nimage: nginx:1.27\nunready: false\n');
    await writeFile(join(chart, 'templates', 'workloads.yaml'), WORKLOADS);
    cluster = await startSimCluster({
      name: 'helm-wait-test',
      controllers: { podStartDelayMs: 200 },
      objects: [readyNode('edge-a', 'edge'), readyNode('edge-b', 'edge'), readyNode('core-a', 'core')],
    });
    kubeconfig = join(dir, 'kubeconfig');
    await cluster.writeKubeconfig(kubeconfig);
  });

  afterAll(async () => {
    await cluster.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('install --wait succeeds once the pods are ready; upgrade --wait rolls out; uninstall removes the pods', async () => {
    expect(await helm('install', 'good', chart, '--wait', '--timeout', '20s')).toMatch(/STATUS: deployed/);
    // --wait returned only after the workloads were ready: their pods are there and Ready now.
    expect(pods('app=good-web').filter(ready)).toHaveLength(2);
    expect(pods('app=good-db').map((p) => [p.metadata.name, ready(p)])).toEqual([
      ['good-db-0', true],
      ['good-db-1', true],
    ]);
    expect(
      pods('app=good-agent')
        .map((p) => (p['spec'] as { nodeName?: string }).nodeName)
        .sort(),
    ).toEqual(['edge-a', 'edge-b']);

    await helm('upgrade', 'good', chart, '--wait', '--timeout', '20s', '--set', 'image=nginx:1.28');
    const web = pods('app=good-web');
    expect(web).toHaveLength(2);
    expect(web.every(ready)).toBe(true);
    expect(
      web.map((p) => (p['spec'] as { containers: Array<{ image: string }> }).containers[0]!.image),
    ).toEqual(['nginx:1.28', 'nginx:1.28']);
    expect(
      cluster.objects
        .list('apps/v1', 'ReplicaSet', { namespace: 'default' })
        .map((rs) => (rs['spec'] as { replicas: number }).replicas)
        .sort(),
    ).toEqual([0, 2]);

    await helm('uninstall', 'good');
    expect(cluster.objects.list('v1', 'Pod', { namespace: 'default' })).toEqual([]);
    expect(cluster.objects.list('apps/v1', 'ReplicaSet', { namespace: 'default' })).toEqual([]);
  });

  it('install --wait times out when the pods never become ready, and a fixed upgrade --wait succeeds', async () => {
    const failure = helm('install', 'stuck', chart, '--wait', '--timeout', '3s', '--set', 'unready=true');
    await expect(failure).rejects.toThrow(
      /Deployment\/default\/stuck-web not ready[\s\S]*context deadline exceeded/,
    );
    // The pods exist and run, they just never turn Ready.
    const web = pods('app=stuck-web');
    expect(web).toHaveLength(2);
    expect(web.map((p) => [(p['status'] as { phase: string }).phase, ready(p)])).toEqual([
      ['Running', false],
      ['Running', false],
    ]);
    expect(await helm('list', '--failed')).toMatch(/stuck\s+default\s+1\s.*failed/);

    // Fixing the values rolls the unready pods out; the same --wait now succeeds. (Without values an
    // upgrade reuses the failed release's, hence the explicit --set.)
    expect(
      await helm('upgrade', 'stuck', chart, '--wait', '--timeout', '20s', '--set', 'unready=false'),
    ).toMatch(/STATUS: deployed/);
    const fixed = pods('app=stuck-web');
    expect(fixed).toHaveLength(2);
    expect(fixed.every(ready)).toBe(true);
    await helm('uninstall', 'stuck');
    expect(cluster.objects.list('v1', 'Pod', { namespace: 'default' })).toEqual([]);
  });
});
