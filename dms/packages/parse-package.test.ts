import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DmsError } from '../errors.ts';
import { DEFAULT_PACKAGE_LIMITS } from './limits.ts';
import type { PackageLimits } from './limits.ts';
import { bareChartVnfdId, parsePackage } from './parse-package.ts';
import {
  buildSamplePackage,
  packChartDirectory,
  SAMPLES_DIRECTORY,
  tarGz,
  withArtifactHashes,
  zipFiles,
} from './samples.ts';
import { ExpansionBudget } from './limits.ts';
import { readZip } from './zip.ts';

const SHARED = fileURLToPath(new URL('../../../shared/specs/etsi-nfv/', import.meta.url));
const hasShared = existsSync(SHARED);
const META = 'TOSCA-Metadata/TOSCA.meta';
const SAMPLE_CHART = 'Files/kubernetes/netweave-sample-cnf-1.0.0.tgz';

async function sampleFiles(): Promise<Map<string, Buffer>> {
  return readZip(await buildSamplePackage('netweave-sample-cnf'), {
    budget: new ExpansionBudget(DEFAULT_PACKAGE_LIMITS.maxExpandedBytes),
    maxEntries: 100,
  });
}

/** The DmsError a rejected parse ends with (fails the test when the parse succeeds). */
async function refusal(content: Buffer, limits: PackageLimits = DEFAULT_PACKAGE_LIMITS): Promise<DmsError> {
  const error: unknown = await parsePackage(content, limits).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DmsError);
  return error as DmsError;
}

/** Renames one zip entry in place (same length), past the checks of the zip writer. */
function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  const out = Buffer.from(zip);
  const needle = Buffer.from(from);
  let at = out.indexOf(needle);
  let renamed = 0;
  while (at >= 0) {
    Buffer.from(to).copy(out, at);
    renamed += 1;
    at = out.indexOf(needle, at + 1);
  }
  expect(renamed).toBe(2); // local header and central directory
  return out;
}

describe('the netweave sample package', () => {
  it('on-boards as a VNFD with two flavours, a scaling aspect and an external CP', async () => {
    const descriptor = await parsePackage(
      await buildSamplePackage('netweave-sample-cnf'),
      DEFAULT_PACKAGE_LIMITS,
    );
    expect(descriptor).toMatchObject({
      kind: 'vnfd',
      vnfdId: '82923bda-f6ab-4408-a01a-95c85a7d4f99',
      vnfProvider: 'netweave',
      vnfProductName: 'netweave sample CNF',
      vnfSoftwareVersion: '1.0.0',
      vnfdVersion: '1.0',
      charts: [{ path: SAMPLE_CHART, name: 'netweave-sample-cnf', version: '1.0.0' }],
      vdus: [
        { vduId: 'CuUp', name: 'cu-up' },
        { vduId: 'CuCp', name: 'cu-cp' },
      ],
      extCpds: [{ cpdId: 'CuUpN3' }],
    });
    const [small, large] = descriptor.flavours;
    expect(descriptor.flavours.map((flavour) => flavour.flavourId)).toEqual(['small', 'large']);
    expect(small!.vdus).toEqual([
      { vduId: 'CuUp', initialReplicas: 1, maxReplicas: 4, replicaValue: 'replicaCountCuUp' },
      { vduId: 'CuCp', initialReplicas: 1, maxReplicas: 1, replicaValue: 'replicaCountCuCp' },
    ]);
    expect(large!.vdus.map((vdu) => vdu.initialReplicas)).toEqual([2, 2]);
    expect(small!.scalingAspects).toEqual([
      {
        aspectId: 'cu_up_aspect',
        name: 'cu_up_aspect',
        maxScaleLevel: 3,
        deltas: [{ vduId: 'CuUp', replicasPerStep: 1 }],
      },
    ]);
    expect(large!.scalingAspects[0]!.deltas).toEqual([{ vduId: 'CuUp', replicasPerStep: 2 }]);
    expect(large!.defaultInstantiationLevelId).toBe('base');
    expect(large!.instantiationLevels.find((level) => level.levelId === 'peak')).toMatchObject({
      scaleLevels: { cu_up_aspect: 3 },
      vduReplicas: { CuUp: 8, CuCp: 2 },
    });
    // Values: the top VNF node's shared values under each flavour's own.
    expect(small!.values).toEqual({
      cuUp: {
        logLevel: 'info',
        config: { profile: 'small', maxSessions: 1000 },
        resources: { requests: { cpu: '50m' } },
      },
    });
    expect(large!.values).toMatchObject({ cuUp: { config: { profile: 'large', maxSessions: 10000 } } });
  });

  it('has a version 2 with another vnfdId, software version and chart', async () => {
    const v2 = await parsePackage(await buildSamplePackage('netweave-sample-cnf-v2'), DEFAULT_PACKAGE_LIMITS);
    expect(v2).toMatchObject({
      vnfdId: '3487186f-ec18-4e46-a814-5d3aa7c8f01f',
      vnfSoftwareVersion: '1.1.0',
      charts: [{ path: 'Files/kubernetes/netweave-sample-cnf-1.1.0.tgz', version: '1.1.0' }],
    });
    expect(v2.flavours.map((flavour) => flavour.flavourId)).toEqual(['small', 'large']);
  });

  it('is built to the same bytes every time, with the chart hash in TOSCA.meta', async () => {
    const first = await buildSamplePackage('netweave-sample-cnf');
    const second = await buildSamplePackage('netweave-sample-cnf');
    expect(first.equals(second)).toBe(true);
    const files = await sampleFiles();
    const chartHash = createHash('sha256').update(files.get(SAMPLE_CHART)!).digest('hex');
    expect(files.get(META)!.toString()).toContain(
      `Name: ${SAMPLE_CHART}\nContent-Type: application/vnd.helm.chart+tgz\nAlgorithm: SHA-256\nHash: ${chartHash}`,
    );
  });
});

describe('artifact hashes', () => {
  it('refuses a chart whose SHA-256 in TOSCA.meta does not match', async () => {
    const files = await sampleFiles();
    const meta = files.get(META)!.toString();
    files.set(META, Buffer.from(meta.replace(/Hash: [0-9a-f]{64}/, `Hash: ${'0'.repeat(64)}`)));
    const error = await refusal(await zipFiles(files));
    expect(error.code).toBe('UNPROCESSABLE');
    expect(error.detail).toContain(`hash of artifact "${SAMPLE_CHART}" does not match`);
  });

  it('verifies SHA-512 hashes, in TOSCA.meta and in the manifest', async () => {
    const files = await sampleFiles();
    const chart = files.get(SAMPLE_CHART)!;
    const sha512 = createHash('sha512').update(chart).digest('hex');
    const meta = files
      .get(META)!
      .toString()
      .replace(/Algorithm: SHA-256\nHash: [0-9a-f]{64}/, `Algorithm: SHA-512\nHash: ${sha512}`);
    files.set(META, Buffer.from(meta));
    await expect(parsePackage(await zipFiles(files), DEFAULT_PACKAGE_LIMITS)).resolves.toMatchObject({
      kind: 'vnfd',
    });

    const manifest = (hash: string): Buffer =>
      Buffer.from(
        `metadata:\n  vnf_product_name: sample\n\nSource: ${SAMPLE_CHART}\nAlgorithm: SHA-512\nHash: ${hash}\n`,
      );
    files.set(META, Buffer.from(`${meta.trimEnd().split('\n\n')[0]}\nETSI-Entry-Manifest: sample.mf\n`));
    files.set('sample.mf', manifest(sha512));
    await expect(parsePackage(await zipFiles(files), DEFAULT_PACKAGE_LIMITS)).resolves.toMatchObject({
      kind: 'vnfd',
    });
    files.set('sample.mf', manifest(sha512.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))));
    expect((await refusal(await zipFiles(files))).detail).toContain('in sample.mf');
  });

  it('refuses an unknown algorithm and a hashed artifact that is missing', async () => {
    const files = await sampleFiles();
    const meta = files.get(META)!.toString();
    files.set(META, Buffer.from(meta.replace('Algorithm: SHA-256', 'Algorithm: MD5')));
    expect((await refusal(await zipFiles(files))).detail).toContain('hash algorithm "MD5"');
    files.set(
      META,
      Buffer.from(`${meta}\nName: Files/missing.bin\nAlgorithm: SHA-256\nHash: ${'1'.repeat(64)}\n`),
    );
    expect((await refusal(await zipFiles(files))).detail).toContain(
      '"Files/missing.bin" with a hash, but the package has no such file',
    );
  });
});

describe('hostile and broken archives', () => {
  it('refuses entries whose path leaves the package root', async () => {
    const files = await sampleFiles();
    files.set('aa/evil.txt', Buffer.from('x'));
    const zip = await zipFiles(files);
    expect((await refusal(renameEntry(zip, 'aa/evil.txt', '../evil.txt'))).detail).toContain(
      'leaves the package root',
    );
    expect((await refusal(renameEntry(zip, 'aa/evil.txt', '/a/evil.txt'))).detail).toContain('is absolute');
    expect((await refusal(renameEntry(zip, 'aa/evil.txt', 'aa\\evil.txt'))).detail).toContain('backslash');
  });

  it('refuses a zip bomb before inflating past the expansion limit', async () => {
    const files = await sampleFiles();
    files.set('Files/zeros.bin', Buffer.alloc(4 * 1024 * 1024));
    const zip = await zipFiles(files);
    expect(zip.length).toBeLessThan(64 * 1024);
    const error = await refusal(zip, { ...DEFAULT_PACKAGE_LIMITS, maxExpandedBytes: 1024 * 1024 });
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses an entry that inflates past the size its central directory declares', async () => {
    const files = await sampleFiles();
    files.set('Files/zeros.bin', Buffer.alloc(4 * 1024 * 1024));
    const zip = await zipFiles(files);
    // Central directory record of Files/zeros.bin: declare 100 bytes instead of 4 MiB.
    const name = Buffer.from('Files/zeros.bin');
    let record = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    while (record >= 0 && !zip.subarray(record + 46, record + 46 + name.length).equals(name))
      record = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), record + 1);
    expect(record).toBeGreaterThan(0);
    zip.writeUInt32LE(100, record + 24);
    const error = await refusal(zip, { ...DEFAULT_PACKAGE_LIMITS, maxExpandedBytes: 1024 * 1024 });
    expect(error.code).toBe('UNPROCESSABLE');
    expect(error.detail).toMatch(/declared size/);
  });

  it('refuses a gzip bomb inside a chart', async () => {
    const bomb = await tarGz(
      new Map([
        ['bomb/Chart.yaml', Buffer.from('apiVersion: v2\nname: bomb\nversion: 0.1.0\n')],
        ['bomb/zeros', Buffer.alloc(4 * 1024 * 1024)],
      ]),
    );
    const error = await refusal(bomb, { ...DEFAULT_PACKAGE_LIMITS, maxExpandedBytes: 1024 * 1024 });
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses an upload over the size limit', async () => {
    const zip = await buildSamplePackage('netweave-sample-cnf');
    const error = await refusal(zip, { ...DEFAULT_PACKAGE_LIMITS, maxContentBytes: zip.length - 1 });
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses corrupt, truncated and unknown uploads', async () => {
    const zip = await buildSamplePackage('netweave-sample-cnf');
    expect((await refusal(zip.subarray(0, zip.length - 100))).detail).toContain('not a readable ZIP archive');
    expect((await refusal(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]))).code).toBe(
      'UNPROCESSABLE',
    );
    expect((await refusal(Buffer.from('hello world'))).detail).toContain('neither a ZIP archive');
    expect((await refusal(Buffer.alloc(0))).detail).toContain('empty');
  });

  it('refuses a missing entry definitions file', async () => {
    const files = await sampleFiles();
    files.delete('Definitions/netweave_sample_cnf_top.vnfd.yaml');
    expect((await refusal(await zipFiles(files))).detail).toContain(
      'entry definitions file "Definitions/netweave_sample_cnf_top.vnfd.yaml" is not in the package',
    );
  });

  it('refuses a missing import that is not an ETSI type file', async () => {
    const files = await sampleFiles();
    files.delete('Definitions/netweave_sample_cnf_df_large.yaml');
    expect((await refusal(await zipFiles(files))).detail).toContain(
      'imports "netweave_sample_cnf_df_large.yaml", which the package does not contain',
    );
  });

  it('refuses a chart that is not a gzip tar with Chart.yaml', async () => {
    const files = await sampleFiles();
    const meta = files.get(META)!.toString();
    const withChart = async (chart: Buffer): Promise<Buffer> => {
      files.set(SAMPLE_CHART, chart);
      files.set(META, Buffer.from(withArtifactHashes(meta, new Map([[SAMPLE_CHART, chart]]))));
      return zipFiles(files);
    };
    expect((await refusal(await withChart(Buffer.from('not gzip')))).detail).toContain('not gzip-compressed');
    const noChartYaml = await tarGz(new Map([['x/values.yaml', Buffer.from('a: 1\n')]]));
    expect((await refusal(await withChart(noChartYaml))).detail).toContain('no Chart.yaml');
    const { gzipSync } = await import('node:zlib');
    expect((await refusal(await withChart(gzipSync(Buffer.alloc(1024, 0x41))))).detail).toMatch(
      /Chart.yaml|tar stream/,
    );
  });

  it('reads a flavour whose substitution_mappings name the base VNF type', async () => {
    const files = await sampleFiles();
    const small = 'Definitions/netweave_sample_cnf_df_small.yaml';
    files.set(
      small,
      Buffer.from(
        files
          .get(small)!
          .toString()
          .replace('node_type: netweave.nodes.SampleCnf', 'node_type: tosca.nodes.nfv.VNF'),
      ),
    );
    const descriptor = await parsePackage(await zipFiles(files), DEFAULT_PACKAGE_LIMITS);
    expect(descriptor.flavours.map((flavour) => flavour.flavourId)).toEqual(['small', 'large']);
  });

  it('refuses a VNFD without identity', async () => {
    const files = await sampleFiles();
    const top = 'Definitions/netweave_sample_cnf_top.vnfd.yaml';
    files.set(
      top,
      Buffer.from(
        files
          .get(top)!
          .toString()
          .replace(/\n\s+provider: netweave\n/, '\n'),
      ),
    );
    files.set(
      'Definitions/netweave_sample_cnf_types.yaml',
      Buffer.from(
        'tosca_definitions_version: tosca_simple_yaml_1_3\nnode_types:\n  netweave.nodes.SampleCnf:\n    derived_from: tosca.nodes.nfv.VNF\n',
      ),
    );
    expect((await refusal(await zipFiles(files))).detail).toContain('has no provider');
  });
});

describe('bare Helm chart', () => {
  it('takes its identity from Chart.yaml, with a deterministic vnfdId', async () => {
    const chart = await packChartDirectory(
      join(SAMPLES_DIRECTORY, 'netweave-sample-cnf/Files/kubernetes/netweave-sample-cnf'),
    );
    const descriptor = await parsePackage(chart.archive, DEFAULT_PACKAGE_LIMITS);
    expect(descriptor).toEqual({
      kind: 'chart',
      vnfdId: bareChartVnfdId('netweave-sample-cnf', '1.0.0'),
      vnfProvider: 'netweave',
      vnfProductName: 'netweave-sample-cnf',
      vnfSoftwareVersion: '1.0.0',
      vnfdVersion: '1.0.0',
      charts: [{ path: '', name: 'netweave-sample-cnf', version: '1.0.0' }],
      vdus: [],
      extCpds: [],
      flavours: [{ flavourId: 'default', values: {}, vdus: [], scalingAspects: [], instantiationLevels: [] }],
    });
    expect(bareChartVnfdId('netweave-sample-cnf', '1.0.0')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(bareChartVnfdId('netweave-sample-cnf', '1.0.1')).not.toBe(descriptor.vnfdId);
  });

  it("says 'unknown' when no annotation names the provider", async () => {
    const archive = await tarGz(
      new Map([
        [
          'plain/Chart.yaml',
          Buffer.from('apiVersion: v2\nname: plain\nversion: 2.0.0\nappVersion: "1.10"\n'),
        ],
      ]),
    );
    expect(await parsePackage(archive, DEFAULT_PACKAGE_LIMITS)).toMatchObject({
      vnfProvider: 'unknown',
      vnfSoftwareVersion: '1.10',
      vnfdVersion: '2.0.0',
    });
  });
});

describe.skipIf(!hasShared)('O-RAN ASD packages (from ../shared/specs/etsi-nfv/oran-sc-rappmanager)', () => {
  async function asdPackage(folder: string, charts: Record<string, string>): Promise<Buffer> {
    const files = new Map<string, Buffer>();
    for (const path of [
      'TOSCA-Metadata/TOSCA.meta',
      'asd.mf',
      'Definitions/asd.yaml',
      'Definitions/asd_types.yaml',
    ])
      files.set(path, await readFile(join(SHARED, folder, path)));
    for (const [path, name] of Object.entries(charts)) {
      const version = /-(\d+\.\d+\.\d+)\.tgz$/.exec(path)![1]!;
      files.set(
        path,
        await tarGz(
          new Map([
            [`${name}/Chart.yaml`, Buffer.from(`apiVersion: v2\nname: ${name}\nversion: ${version}\n`)],
          ]),
        ),
      );
    }
    return zipFiles(files);
  }

  it('on-boards rapp-hello-world with its helm_chart deployment item', async () => {
    const zip = await asdPackage('oran-sc-rappmanager/sample-rapp-generator/rapp-hello-world', {
      'Artifacts/Deployment/HELM/hello-world-chart-0.1.0.tgz': 'hello-world-chart',
    });
    expect(await parsePackage(zip, DEFAULT_PACKAGE_LIMITS)).toEqual({
      kind: 'asd',
      vnfdId: '2cd6a567-2e33-4960-8ef7-1cc519c998c4',
      vnfProvider: 'Ericsson Software Technology (O-RAN SC NONRTRIC team)',
      vnfProductName: 'rapp-hello-world',
      vnfSoftwareVersion: '1.0',
      vnfdVersion: '1.0',
      charts: [
        {
          path: 'Artifacts/Deployment/HELM/hello-world-chart-0.1.0.tgz',
          name: 'hello-world-chart',
          version: '0.1.0',
        },
      ],
      vdus: [],
      extCpds: [],
      flavours: [{ flavourId: 'default', values: {}, vdus: [], scalingAspects: [], instantiationLevels: [] }],
    });
  });

  it('on-boards rapp-all with two charts in deployment order and its ext_cpds', async () => {
    const zip = await asdPackage('oran-sc-rappmanager@c8d1731/sample-rapp-generator/rapp-all', {
      'Artifacts/Deployment/HELM/ueransim-2.0.14.tgz': 'ueransim',
      'Artifacts/Deployment/HELM/free5gc-1.1.3.tgz': 'free5gc',
    });
    const descriptor = await parsePackage(zip, DEFAULT_PACKAGE_LIMITS);
    expect(descriptor.charts.map((chart) => chart.name)).toEqual(['free5gc', 'ueransim']);
    expect(descriptor.extCpds).toEqual([
      { cpdId: '1', description: 'webpage-service' },
      { cpdId: '2', description: 'transactionAPI' },
    ]);
    expect(descriptor).toMatchObject({
      vnfProductName: 'free5gc-app',
      vnfSoftwareVersion: '2.3',
      vnfProvider: 'EST',
    });
  });

  it('refuses an ASD whose chart is missing', async () => {
    const zip = await asdPackage('oran-sc-rappmanager/sample-rapp-generator/rapp-hello-world', {});
    expect((await refusal(zip)).detail).toContain('is not in the package');
  });
});
