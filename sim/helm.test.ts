/**
 * The simulator against the real helm binary: release storage in Secrets (Helm 4 writes them as
 * protobuf), server-side apply of the chart's objects, upgrade, history, rollback and uninstall.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helmPath } from '../testing/kube-tools.ts';
import type { SimCluster } from './cluster.ts';
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
