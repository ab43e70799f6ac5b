/**
 * The sample packages are real Helm charts: the real `helm` renders each flavour of each version with the
 * flavour's values and replica counts (what the lifecycle passes to `helm install`), and lints the chart.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { helmPath } from '../../testing/kube-tools.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { PackageRepository } from './repository.ts';
import { buildSamplePackage, SAMPLE_PACKAGES } from './samples.ts';
import { mergeValues } from './vnfd.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nw-sample-helm-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `{ a: { b: n } }` for the dot path `a.b`. */
function atPath(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

interface Rendered {
  kind: string;
  metadata: { name: string };
  spec: {
    replicas?: number;
    template?: { spec: { containers: { image: string; env?: { name: string; value: string }[] }[] } };
  };
}

describe.each(SAMPLE_PACKAGES)('sample package %s', (name) => {
  it('renders every flavour with helm: replicas, values and the external CP Service', async () => {
    await using store = createMemoryStore();
    const packages = new PackageRepository(store);
    const { id } = await packages.create(undefined);
    const record = await packages.uploadContent(id, await buildSamplePackage(name));
    expect(record.onboardingState).toBe('ONBOARDED');
    const descriptor = record.descriptor!;
    const chartFile = join(dir, `${name}.tgz`);
    await writeFile(chartFile, (await packages.readArtifact(id, descriptor.charts[0]!.path))!);
    execFileSync(helmPath(), ['lint', chartFile], { encoding: 'utf8' });
    for (const flavour of descriptor.flavours) {
      let values: Record<string, unknown> = { ...flavour.values };
      for (const vdu of flavour.vdus)
        values = mergeValues(values, atPath(vdu.replicaValue!, vdu.initialReplicas));
      const valuesFile = join(dir, `${name}-${flavour.flavourId}.json`);
      await writeFile(valuesFile, JSON.stringify(values));
      const manifest = execFileSync(helmPath(), ['template', 'rel1', chartFile, '-f', valuesFile], {
        encoding: 'utf8',
      });
      const objects = parseAllDocuments(manifest)
        .map((document) => document.toJS() as Rendered | null)
        .filter((object): object is Rendered => object !== null);
      const byName = new Map(objects.map((object) => [`${object.kind}/${object.metadata.name}`, object]));
      const cuUp = byName.get('Deployment/cu-up-rel1')!;
      const cuCp = byName.get('Deployment/cu-cp-rel1')!;
      expect(cuUp.spec.replicas).toBe(flavour.vdus.find((vdu) => vdu.vduId === 'CuUp')!.initialReplicas);
      expect(cuCp.spec.replicas).toBe(flavour.vdus.find((vdu) => vdu.vduId === 'CuCp')!.initialReplicas);
      const env = cuUp.spec.template!.spec.containers[0]!.env!;
      expect(env.find((variable) => variable.name === 'CU_UP_PROFILE')?.value).toBe(flavour.flavourId);
      expect(cuUp.spec.template!.spec.containers[0]!.image).toBe(
        name === 'netweave-sample-cnf' ? 'registry.k8s.io/pause:3.9' : 'registry.k8s.io/pause:3.10',
      );
      expect(byName.has('Service/cu-up-n3-rel1')).toBe(true);
    }
  });
});
