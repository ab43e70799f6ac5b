import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../state/memory-store.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { redisForTests } from '../../testing/redis.ts';
import type { TestRedis } from '../../testing/redis.ts';
import { DmsError } from '../errors.ts';
import { PACKAGE_CONTENT_COLLECTION, PACKAGES_COLLECTION, PackageRepository } from './repository.ts';
import {
  buildCsarFromDirectory,
  buildSamplePackage,
  packChartDirectory,
  SAMPLES_DIRECTORY,
} from './samples.ts';

const TACKER = fileURLToPath(
  new URL('../../../shared/specs/etsi-nfv/tacker/sol_kubernetes_v2/', import.meta.url),
);
const hasTacker = existsSync(TACKER);

async function dmsError(promise: Promise<unknown>): Promise<DmsError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DmsError);
  return error as DmsError;
}

let sample: Buffer;
beforeAll(async () => {
  sample = await buildSamplePackage('netweave-sample-cnf');
});

function describeRepository(kind: string, openStore: () => Promise<StateStore>): void {
  describe(`PackageRepository on the ${kind} store`, () => {
    it('creates CREATED / DISABLED / NOT_IN_USE with the tenant and userDefinedData', async () => {
      await using store = await openStore();
      const packages = new PackageRepository(store, { now: () => new Date('2026-12-06T10:00:00Z') });
      const created = await packages.create('tenant-a', { owner: 'ran-team' });
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        tenant: 'tenant-a',
        onboardingState: 'CREATED',
        operationalState: 'DISABLED',
        usageState: 'NOT_IN_USE',
        userDefinedData: { owner: 'ran-team' },
        createdAt: '2026-12-06T10:00:00.000Z',
        // The stored form's version (state/schema-versions.ts).
        schemaVersion: 1,
      });
      expect(await packages.get(created.id)).toEqual(created);
      expect((await packages.list()).map((record) => record.id)).toEqual([created.id]);
    });

    it('on-boards an upload: ONBOARDED + ENABLED with descriptor and checksum, content stored once', async () => {
      await using store = await openStore();
      const packages = new PackageRepository(store);
      const { id } = await packages.create(undefined);
      const onboarded = await packages.uploadContent(id, sample);
      expect(onboarded).toMatchObject({
        onboardingState: 'ONBOARDED',
        operationalState: 'ENABLED',
        usageState: 'NOT_IN_USE',
        checksum: { algorithm: 'SHA-256', hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        descriptor: { kind: 'vnfd', vnfdId: '82923bda-f6ab-4408-a01a-95c85a7d4f99' },
      });
      expect(await packages.get(id)).toEqual(onboarded);
      expect((await packages.readContent(id))!.equals(sample)).toBe(true);
      expect((await store.collection(PACKAGE_CONTENT_COLLECTION).list()).map((entry) => entry.id)).toEqual([
        id,
      ]);
      const chart = await packages.readArtifact(id, onboarded.descriptor!.charts[0]!.path);
      expect(chart?.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(await packages.readArtifact(id, '')).toBeUndefined();
      expect(await packages.readArtifact(id, 'Files/none.tgz')).toBeUndefined();
      // A second upload is refused: content is uploaded once.
      expect((await dmsError(packages.uploadContent(id, sample))).code).toBe('CONFLICT');
    });

    it('ends a bad upload in ERROR with onboardingFailureDetails and stores no content', async () => {
      await using store = await openStore();
      const packages = new PackageRepository(store, { maxContentBytes: 1024 });
      const { id } = await packages.create(undefined);
      const failed = await packages.uploadContent(id, sample);
      expect(failed).toMatchObject({
        onboardingState: 'ERROR',
        operationalState: 'DISABLED',
        onboardingFailureDetails: {
          status: 413,
          title: 'Content Too Large',
          detail: expect.stringContaining('1024 bytes'),
        },
      });
      expect(failed.descriptor).toBeUndefined();
      expect(await packages.readContent(id)).toBeUndefined();
      const { id: other } = await packages.create(undefined);
      expect(
        (await packages.uploadContent(other, Buffer.from('garbage'))).onboardingFailureDetails,
      ).toMatchObject({ status: 422 });
      // ERROR cannot be enabled, and can be deleted.
      expect((await dmsError(packages.setOperationalState(id, 'ENABLED'))).code).toBe('CONFLICT');
      await packages.delete(id);
      expect(await packages.get(id)).toBeUndefined();
    });

    it('enables and disables, refusing the same state again; deletes only when DISABLED and NOT_IN_USE', async () => {
      await using store = await openStore();
      const packages = new PackageRepository(store);
      const { id } = await packages.create(undefined);
      expect((await dmsError(packages.setOperationalState(id, 'ENABLED'))).code).toBe('CONFLICT'); // not on-boarded
      await packages.uploadContent(id, sample);
      expect((await dmsError(packages.setOperationalState(id, 'ENABLED'))).code).toBe('CONFLICT');
      expect((await dmsError(packages.delete(id))).detail).toContain('ENABLED');
      expect((await packages.setOperationalState(id, 'DISABLED')).operationalState).toBe('DISABLED');
      expect((await dmsError(packages.setOperationalState(id, 'DISABLED'))).code).toBe('CONFLICT');
      await packages.setUsageState(id, 'IN_USE');
      expect((await dmsError(packages.delete(id))).detail).toContain('IN_USE');
      await packages.setUsageState(id, 'NOT_IN_USE');
      await packages.delete(id);
      expect(await packages.get(id)).toBeUndefined();
      expect(await packages.readContent(id)).toBeUndefined();
      expect((await dmsError(packages.delete(id))).code).toBe('NOT_FOUND');
      expect((await dmsError(packages.setUsageState(id, 'IN_USE'))).code).toBe('NOT_FOUND');
      expect((await dmsError(packages.uploadContent(id, sample))).code).toBe('NOT_FOUND');
    });

    it('merges userDefinedData as a merge patch', async () => {
      await using store = await openStore();
      const packages = new PackageRepository(store);
      const { id } = await packages.create(undefined, { a: 1, b: { c: 2, d: 3 } });
      const modified = await packages.modify(id, { userDefinedData: { a: null, b: { c: 5 }, e: 'x' } });
      expect(modified.userDefinedData).toEqual({ b: { c: 5, d: 3 }, e: 'x' });
    });

    it('lets exactly one of two racing uploads win', async () => {
      await using store = await openStore();
      const packages = new PackageRepository(store);
      const { id } = await packages.create(undefined);
      const outcomes = await Promise.allSettled([
        packages.uploadContent(id, sample),
        packages.uploadContent(id, sample),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
      expect(rejected?.reason).toBeInstanceOf(DmsError);
      expect((rejected?.reason as DmsError).code).toBe('CONFLICT');
      expect((await packages.get(id))?.onboardingState).toBe('ONBOARDED');
    });

    it('puts packages left PROCESSING by a stopped process in ERROR', async () => {
      await using store = await openStore();
      const packages = new PackageRepository(store);
      const { id } = await packages.create(undefined);
      const { id: untouched } = await packages.create(undefined);
      const record = (await packages.get(id))!;
      await store.collection(PACKAGES_COLLECTION).put(id, { ...record, onboardingState: 'PROCESSING' });
      expect(await packages.recoverInterruptedUploads()).toEqual([id]);
      expect(await packages.get(id)).toMatchObject({
        onboardingState: 'ERROR',
        onboardingFailureDetails: { status: 409 },
      });
      expect((await packages.get(untouched))?.onboardingState).toBe('CREATED');
    });

    it('on-boards a bare chart and serves it as its artifact', async () => {
      await using store = await openStore();
      const packages = new PackageRepository(store);
      const chart = await packChartDirectory(
        join(SAMPLES_DIRECTORY, 'netweave-sample-cnf/Files/kubernetes/netweave-sample-cnf'),
      );
      const { id } = await packages.create(undefined);
      expect((await packages.uploadContent(id, chart.archive)).descriptor?.kind).toBe('chart');
      expect((await packages.readArtifact(id, ''))!.equals(chart.archive)).toBe(true);
    });
  });
}

describeRepository('memory', async () => createMemoryStore());

let redis: TestRedis;
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(async () => {
  await redis.dispose();
});
describeRepository('redis', () => createRedisStore({ url: redis.url, keyPrefix: redis.keyPrefix() }));

describe.skipIf(!hasTacker)('the Tacker Helm sample package (../shared/specs/etsi-nfv/tacker)', () => {
  it('builds as its README describes and on-boards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nw-tacker-csar-'));
    try {
      // 1. the contents, 2. the SOL001 type files in Definitions/, 4. the chart packed as test-chart-0.1.0.tgz
      // with TOSCA.meta rewritten to its new hash (buildCsarFromDirectory), 5. zipped.
      await cp(join(TACKER, 'test_helm_instantiate/contents'), dir, { recursive: true });
      for (const name of ['etsi_nfv_sol001_common_types.yaml', 'etsi_nfv_sol001_vnfd_types.yaml'])
        await cp(join(TACKER, 'common/Definitions', name), join(dir, 'Definitions', name));
      const csar = await buildCsarFromDirectory(dir);
      await using store = createMemoryStore();
      const packages = new PackageRepository(store);
      const { id } = await packages.create(undefined);
      const record = await packages.uploadContent(id, csar);
      expect(record.onboardingFailureDetails).toBeUndefined();
      expect(record).toMatchObject({
        onboardingState: 'ONBOARDED',
        descriptor: {
          kind: 'vnfd',
          vnfdId: 'b1bb0ce7-ebca-4fa7-95ed-4840d7000000',
          vnfProvider: 'Company',
          vnfProductName: 'Sample VNF',
          vnfSoftwareVersion: '1.0',
          vnfdVersion: '1.0',
          charts: [{ path: 'Files/kubernetes/test-chart-0.1.0.tgz', name: 'test-chart', version: '0.1.0' }],
          vdus: [
            { vduId: 'VDU1', name: 'vdu1', description: 'VDU1 compute node' },
            { vduId: 'VDU2', name: 'vdu2', description: 'VDU2 compute node' },
          ],
        },
      });
      const [simple] = record.descriptor!.flavours;
      expect(record.descriptor!.flavours).toHaveLength(1);
      expect(simple).toMatchObject({
        flavourId: 'simple',
        description: 'A simple flavour',
        values: {},
        vdus: [
          { vduId: 'VDU1', initialReplicas: 1, maxReplicas: 3 },
          { vduId: 'VDU2', initialReplicas: 1, maxReplicas: 3 },
        ],
        defaultInstantiationLevelId: 'instantiation_level_1',
      });
      expect(
        simple!.scalingAspects.map((aspect) => [aspect.aspectId, aspect.maxScaleLevel, aspect.deltas]),
      ).toEqual([
        ['vdu1_aspect', 2, [{ vduId: 'VDU1', replicasPerStep: 1 }]],
        ['vdu2_aspect', 2, [{ vduId: 'VDU2', replicasPerStep: 1 }]],
      ]);
      const vnfd = await packages.readVnfd(id);
      expect(vnfd?.singleFile).toBe(false);
      expect([...vnfd!.files.keys()].sort()).toEqual([
        'Definitions/etsi_nfv_sol001_common_types.yaml',
        'Definitions/etsi_nfv_sol001_vnfd_types.yaml',
        'Definitions/sample_cnf_df_simple.yaml',
        'Definitions/sample_cnf_top.vnfd.yaml',
        'Definitions/sample_cnf_types.yaml',
        'TOSCA-Metadata/TOSCA.meta',
      ]);
      expect(
        simple!.instantiationLevels.find((level) => level.levelId === 'instantiation_level_2')?.vduReplicas,
      ).toEqual({
        VDU1: 3,
        VDU2: 3,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the original TOSCA.meta hash check: the rebuilt chart does not match it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nw-tacker-csar-'));
    try {
      await cp(join(TACKER, 'test_helm_instantiate/contents'), dir, { recursive: true });
      // The published hash is of Tacker's own .tgz, which a rebuild does not reproduce.
      const csar = await buildCsarFromDirectory(dir, { rewriteToscaMeta: false });
      await using store = createMemoryStore();
      const packages = new PackageRepository(store);
      const { id } = await packages.create(undefined);
      const record = await packages.uploadContent(id, csar);
      expect(record.onboardingState).toBe('ERROR');
      expect(record.onboardingFailureDetails?.detail).toContain('does not match');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
