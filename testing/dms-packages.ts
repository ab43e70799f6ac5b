/**
 * A small in-memory stand-in of the contract's PackageRepository (the packages branch delivers the real
 * one) and a bare Helm chart packed as .tgz in the test, with the real `helm package`.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PackageCatalog, PackageRecord, VnfDescriptor } from '../dms/lifecycle/index.ts';
import { helmPath } from './kube-tools.ts';

const run = promisify(execFile);

export class TestPackages implements PackageCatalog {
  readonly records = new Map<string, PackageRecord>();
  readonly artifacts = new Map<string, Buffer>();

  add(
    record: Omit<PackageRecord, 'createdAt' | 'userDefinedData'>,
    artifacts: Record<string, Buffer> = {},
  ): PackageRecord {
    const full: PackageRecord = { ...record, userDefinedData: {}, createdAt: new Date(0).toISOString() };
    this.records.set(record.id, full);
    for (const [path, bytes] of Object.entries(artifacts))
      this.artifacts.set(`${record.id}\u0000${path}`, bytes);
    return full;
  }
  get(id: string): Promise<PackageRecord | undefined> {
    return Promise.resolve(this.records.get(id));
  }
  list(): Promise<PackageRecord[]> {
    return Promise.resolve([...this.records.values()]);
  }
  readArtifact(id: string, path: string): Promise<Buffer | undefined> {
    return Promise.resolve(this.artifacts.get(`${id}\u0000${path}`));
  }
  setUsageState(id: string, usage: 'IN_USE' | 'NOT_IN_USE'): Promise<void> {
    const record = this.records.get(id);
    if (record) this.records.set(id, { ...record, usageState: usage });
    return Promise.resolve();
  }
}

/** A descriptor like the one the packages side derives from a bare chart: one flavour 'default'. */
export function chartDescriptor(vnfdId: string, vdus: readonly string[] = ['vdu1']): VnfDescriptor {
  return {
    kind: 'chart',
    vnfdId,
    vnfProvider: 'netweave tests',
    vnfProductName: 'nf-test',
    vnfSoftwareVersion: '1.0.0',
    vnfdVersion: '0.1.0',
    charts: [{ path: '', name: 'nf-test', version: '0.1.0' }],
    vdus: vdus.map((vduId) => ({ vduId, name: vduId })),
    extCpds: [{ cpdId: 'ext-cp', description: 'the service of the NF' }],
    flavours: [
      {
        flavourId: 'default',
        values: {},
        vdus: vdus.map((vduId) => ({ vduId, initialReplicas: 1, replicaValue: `replicas.${vduId}` })),
        scalingAspects: [
          {
            aspectId: 'workers',
            maxScaleLevel: 3,
            deltas: vdus.map((vduId) => ({ vduId, replicasPerStep: 1 })),
          },
        ],
        instantiationLevels: [
          {
            levelId: 'small',
            scaleLevels: { workers: 0 },
            vduReplicas: Object.fromEntries(vdus.map((v) => [v, 1])),
          },
          {
            levelId: 'big',
            scaleLevels: { workers: 1 },
            vduReplicas: Object.fromEntries(vdus.map((v) => [v, 2])),
          },
        ],
        defaultInstantiationLevelId: 'small',
      },
    ],
  };
}

/** A chart with one Deployment per VDU named `<vdu>-<release>` (Tacker's naming rule). */
export function chartFiles(
  vdus: readonly string[] = ['vdu1'],
  options: { broken?: boolean } = {},
): Record<string, string> {
  const replicas = vdus.map((v) => `  ${v}: 1`).join('\n');
  const deployments = vdus
    .map(
      (v) => `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${v}-{{ .Release.Name }}
  labels: { app.kubernetes.io/instance: {{ .Release.Name | quote }} }
spec:
  replicas: {{ .Values.replicas.${v} }}
  selector: { matchLabels: { app: ${v}-{{ .Release.Name }} } }
  template:
    metadata: { labels: { app: ${v}-{{ .Release.Name }} } }
    spec:
      containers: [{ name: app, image: "busybox:1.36", env: [{ name: GREETING, value: {{ .Values.greeting | quote }} }] }]
`,
    )
    .join('');
  return {
    'Chart.yaml': 'apiVersion: v2\nname: nf-test\nversion: 0.1.0\n',
    'values.yaml': `greeting: hello\nreplicas:\n${replicas}\n`,
    'templates/workloads.yaml': options.broken
      ? '{{ .Values.missing.deeper.value }}\n' + deployments
      : deployments,
  };
}

/** Packs chart files into a .tgz with the real helm binary. */
export async function packChart(files: Record<string, string>): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'nw-chart-'));
  try {
    const chartDir = join(dir, 'nf-test');
    for (const [path, text] of Object.entries(files)) {
      const target = join(chartDir, path);
      await mkdir(join(target, '..'), { recursive: true });
      await writeFile(target, text);
    }
    await run(helmPath(), ['package', chartDir, '--destination', dir], {
      env: {
        ...process.env,
        HELM_CACHE_HOME: join(dir, 'c'),
        HELM_CONFIG_HOME: join(dir, 'f'),
        HELM_DATA_HOME: join(dir, 'd'),
      },
    });
    return await readFile(join(dir, 'nf-test-0.1.0.tgz'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
