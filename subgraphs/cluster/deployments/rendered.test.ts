/**
 * Accounting of a rendered chart (rendered.ts): replicas of each workload kind, per-pod requests (limits as
 * defaults, init containers, overhead), DaemonSets per matching Ready node — and the sample chart as the real
 * `helm template` renders it with the values an operation would use.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { helmPath } from '../../../testing/kube-tools.ts';
import { podRequests, renderedFootprint } from './rendered.ts';

const run = promisify(execFile);
const SAMPLE_CHART = fileURLToPath(
  new URL(
    '../../../samples/packages/netweave-sample-cnf/Files/kubernetes/netweave-sample-cnf',
    import.meta.url,
  ),
);

const container = (requests?: Record<string, string>, limits?: Record<string, string>) => ({
  name: 'c',
  image: 'x',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});

describe('rendered chart accounting', () => {
  it('sums a pod’s containers, defaults a request to its limit, and takes the largest init container', () => {
    expect(
      podRequests({
        containers: [
          container({ cpu: '100m', memory: '64Mi' }),
          container(undefined, { cpu: '1', memory: '1Gi' }),
        ],
      }),
    ).toEqual({ cpuMillis: 1100, memoryBytes: 64 * 2 ** 20 + 2 ** 30 });
    expect(
      podRequests({
        containers: [container({ cpu: '100m' })],
        initContainers: [container({ cpu: '2' })],
        overhead: { cpu: '250m', memory: '120Mi' },
      }),
    ).toEqual({ cpuMillis: 2250, memoryBytes: 120 * 2 ** 20 });
  });

  it('counts replicas of every pod-making kind and ignores the others', () => {
    const manifest = `
---
apiVersion: v1
kind: Service
metadata: { name: s }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: d }
spec:
  replicas: 3
  template: { spec: { containers: [ { name: c, image: x, resources: { requests: { cpu: 100m, memory: 10Mi } } } ] } }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: s }
spec:
  template: { spec: { containers: [ { name: c, image: x, resources: { requests: { cpu: "1" } } } ] } }
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: ds }
spec:
  template:
    spec:
      nodeSelector: { gpu: "yes" }
      containers: [ { name: c, image: x, resources: { requests: { memory: 1Gi } } } ]
---
apiVersion: v1
kind: Pod
metadata: { name: p }
spec: { containers: [ { name: c, image: x } ] }
`;
    const nodes = [{ gpu: 'yes' }, { gpu: 'yes' }, { gpu: 'no' }];
    expect(renderedFootprint(manifest, nodes)).toEqual({
      // 3 (Deployment) + 1 (StatefulSet default) + 2 (DaemonSet on gpu nodes) + 1 (Pod)
      replicas: 7,
      cpuMillis: 300 + 1000,
      memoryBytes: 3 * 10 * 2 ** 20 + 2 * 2 ** 30,
    });
  });

  it('refuses YAML Helm could not have produced', () => {
    expect(() => renderedFootprint('kind: Deployment\n  bad: [', [])).toThrow(/not YAML/);
  });

  it('accounts the sample chart as helm template renders it with the operation’s values', async () => {
    const { stdout } = await run(helmPath(), [
      'template',
      'r',
      SAMPLE_CHART,
      '--namespace',
      'ran',
      '--set',
      'replicaCountCuUp=5',
    ]);
    // cu-up: 5 × (50m, 16Mi); cu-cp: 1 × (20m, 16Mi)
    expect(renderedFootprint(stdout, [])).toEqual({
      replicas: 6,
      cpuMillis: 5 * 50 + 20,
      memoryBytes: 6 * 16 * 2 ** 20,
    });
  });
});
