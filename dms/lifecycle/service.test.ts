/**
 * The lifecycle state machine against both store implementations: instance rules, the one-active-
 * occurrence rule, retry/rollback/fail, tenancy and the apiRoot's cluster. The job runner is played by
 * direct ledger transitions (its own tests run helm).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterScopedId } from '../../o2/ids.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { chartDescriptor, TestPackages } from '../../testing/dms-packages.ts';
import { redisForTests, type TestRedis } from '../../testing/redis.ts';
import { DmsError } from '../errors.ts';
import { dmsJobLogName, DMS_JOB_GROUP, type DmsJob } from './jobs.ts';
import type { DeploymentManagerDirectory } from './placement.ts';
import { LifecycleService } from './service.ts';

const CLUSTERS = ['edge-1', 'edge-2'];
const directory: DeploymentManagerDirectory = {
  clusterOf: (id) => CLUSTERS.find((c) => dmOf(c) === id),
  deploymentManagerOf: (c) => dmOf(c),
};
function dmOf(clusterId: string): string {
  return clusterScopedId(clusterId, 'deploymentManager', 'deploymentManager');
}
const ALL = { tenant: '*' } as const;
const VNFD = '0f3c6a3e-1111-4222-8333-444455556666';

async function expectDmsError(promise: Promise<unknown>, code: DmsError['code']): Promise<void> {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof DmsError && e.code === code);
}

function setup(store: StateStore): { service: LifecycleService; packages: TestPackages } {
  const packages = new TestPackages();
  packages.add({
    id: 'pkg-1',
    tenant: undefined,
    onboardingState: 'ONBOARDED',
    operationalState: 'ENABLED',
    usageState: 'NOT_IN_USE',
    descriptor: chartDescriptor(VNFD),
  });
  packages.add({
    id: 'pkg-off',
    tenant: undefined,
    onboardingState: 'ONBOARDED',
    operationalState: 'DISABLED',
    usageState: 'NOT_IN_USE',
    descriptor: chartDescriptor('disabled-vnfd'),
  });
  return { service: new LifecycleService({ store, packages, deploymentManagers: directory }), packages };
}

function describeLifecycle(name: string, open: () => Promise<StateStore>): void {
  describe(`LifecycleService (${name})`, () => {
    let store: StateStore;
    let service: LifecycleService;
    let packages: TestPackages;
    beforeAll(async () => {
      store = await open();
      ({ service, packages } = setup(store));
    });
    afterAll(async () => {
      await store.dispose();
    });

    const instantiateOn = (clusterId: string) => ({
      flavourId: 'default',
      vimConnectionInfo: {
        vim1: { vimId: dmOf(clusterId), vimType: 'ETSINFV.HELM.V_3' },
      },
    });

    it('creates an instance only from an ONBOARDED+ENABLED package (422 otherwise) and marks it IN_USE', async () => {
      await expectDmsError(service.createInstance(ALL, { vnfdId: 'nope' }), 'UNPROCESSABLE');
      await expectDmsError(service.createInstance(ALL, { vnfdId: 'disabled-vnfd' }), 'UNPROCESSABLE');
      const instance = await service.createInstance(ALL, { vnfdId: VNFD, vnfInstanceName: 'a' });
      expect(instance).toMatchObject({
        vnfdId: VNFD,
        vnfProvider: 'netweave tests',
        instantiationState: 'NOT_INSTANTIATED',
        releaseName: `nf-${instance.id.replace(/-/g, '').slice(0, 12)}`,
      });
      expect(packages.records.get('pkg-1')?.usageState).toBe('IN_USE');
    });

    it('runs INSTANTIATE through STARTING → PROCESSING → COMPLETED with one job on the owning cluster', async () => {
      const instance = await service.createInstance(ALL, { vnfdId: VNFD });
      const log = store.eventLog<DmsJob>(dmsJobLogName('edge-2'));
      await log.ensureGroup(DMS_JOB_GROUP, (await log.latestCursor()) ?? '0');
      const occurrence = await service.instantiate(ALL, instance.id, instantiateOn('edge-2'));
      expect(occurrence).toMatchObject({
        operation: 'INSTANTIATE',
        operationState: 'STARTING',
        clusterId: 'edge-2',
      });
      const jobs = await log.claimNext(DMS_JOB_GROUP, 't', { count: 10, blockMs: 0 });
      expect(jobs.map((j) => j.event)).toEqual([{ occurrenceId: occurrence.id, attempt: 1 }]);
      expect(await service.jobs.mark(occurrence.id)).toMatchObject({ attempt: 1, clusterId: 'edge-2' });

      // A second task while one runs: 409; so are PATCH and DELETE.
      await expectDmsError(service.instantiate(ALL, instance.id, instantiateOn('edge-2')), 'CONFLICT');
      await expectDmsError(service.modifyInfo(ALL, instance.id, { vnfInstanceName: 'x' }), 'CONFLICT');
      await expectDmsError(service.deleteInstance(ALL, instance.id), 'CONFLICT');

      expect(await service.ledger.beginProcessing(occurrence.id, 1)).toMatchObject({
        operationState: 'PROCESSING',
      });
      const done = await service.ledger.complete(occurrence.id, 1, {
        instantiatedVnfInfo: { flavourId: 'default', vnfState: 'STARTED' },
        execution: { releaseName: instance.releaseName, namespace: 'default', revision: 1 },
      });
      expect(done?.operationState).toBe('COMPLETED');
      const { instance: after } = await service.getInstance(ALL, instance.id);
      expect(after).toMatchObject({
        instantiationState: 'INSTANTIATED',
        clusterId: 'edge-2',
        namespace: 'default',
      });
      expect(after.activeOccurrenceId).toBeUndefined();
      // A stale job (same attempt, occurrence final) changes nothing.
      expect(await service.ledger.beginProcessing(occurrence.id, 1)).toBeUndefined();
      await expectDmsError(service.deleteInstance(ALL, instance.id), 'CONFLICT');
      await expectDmsError(service.instantiate(ALL, instance.id, instantiateOn('edge-2')), 'CONFLICT');

      const terminate = await service.terminate(ALL, instance.id, {
        terminationType: 'GRACEFUL',
        gracefulTerminationTimeout: 5,
      });
      await service.ledger.beginProcessing(terminate.id, 1);
      await service.ledger.complete(terminate.id, 1, {});
      expect((await service.getInstance(ALL, instance.id)).instance.instantiationState).toBe(
        'NOT_INSTANTIATED',
      );
      await service.deleteInstance(ALL, instance.id);
      await expectDmsError(service.getInstance(ALL, instance.id), 'NOT_FOUND');
    });

    it('FAILED_TEMP blocks the instance until retry, rollback or fail; wrong states answer 409', async () => {
      const instance = await service.createInstance(ALL, { vnfdId: VNFD });
      const occurrence = await service.instantiate(ALL, instance.id, instantiateOn('edge-1'));
      await expectDmsError(service.retry(ALL, occurrence.id), 'CONFLICT');
      await expectDmsError(service.rollback(ALL, occurrence.id), 'CONFLICT');
      await expectDmsError(service.fail(ALL, occurrence.id), 'CONFLICT');
      await service.ledger.beginProcessing(occurrence.id, 1);
      const failed = await service.ledger.failTemporarily(occurrence.id, 1, {
        status: 500,
        title: 'x',
        detail: 'helm said no',
      });
      expect(failed).toMatchObject({ operationState: 'FAILED_TEMP', error: { detail: 'helm said no' } });
      await expectDmsError(service.modifyInfo(ALL, instance.id, { vnfInstanceName: 'x' }), 'CONFLICT');
      await expectDmsError(service.deleteInstance(ALL, instance.id), 'CONFLICT');

      const retried = await service.retry(ALL, occurrence.id);
      expect(retried).toMatchObject({ operationState: 'PROCESSING', attempt: 2 });
      // The attempt-1 job is stale now.
      expect(await service.ledger.complete(occurrence.id, 1, {})).toBeUndefined();
      await service.ledger.failTemporarily(occurrence.id, 2, { status: 500, title: 'x', detail: 'again' });

      const rolling = await service.rollback(ALL, occurrence.id);
      expect(rolling).toMatchObject({ operationState: 'ROLLING_BACK', attempt: 3 });
      expect((await service.ledger.rolledBack(occurrence.id, 3))?.operationState).toBe('ROLLED_BACK');
      await expectDmsError(service.fail(ALL, occurrence.id), 'CONFLICT');
      expect((await service.getInstance(ALL, instance.id)).instance).toMatchObject({
        instantiationState: 'NOT_INSTANTIATED',
      });

      const second = await service.instantiate(ALL, instance.id, instantiateOn('edge-1'));
      await service.ledger.beginProcessing(second.id, 1);
      await service.ledger.failTemporarily(second.id, 1, { status: 500, title: 'x', detail: 'no' });
      expect((await service.fail(ALL, second.id)).operationState).toBe('FAILED');
      expect((await service.getInstance(ALL, instance.id)).instance.activeOccurrenceId).toBeUndefined();
      await expectDmsError(service.retry(ALL, 'ffffffff-0000-4000-8000-000000000000'), 'NOT_FOUND');
    });

    it('PATCH is a MODIFY_INFO occurrence: merge patch, If-Match, accessInfo dropped', async () => {
      const instance = await service.createInstance(ALL, { vnfdId: VNFD, metadata: { a: 1, b: 2 } });
      const { version } = await service.getInstance(ALL, instance.id);
      await expectDmsError(
        service.modifyInfo(ALL, instance.id, { vnfInstanceName: 'n' }, version + 7),
        'PRECONDITION_FAILED',
      );
      const occurrence = await service.modifyInfo(
        ALL,
        instance.id,
        {
          vnfInstanceName: 'renamed',
          metadata: { b: null, c: 3 },
          vimConnectionInfo: { k: { vimId: dmOf('edge-1'), vimType: 'kubernetes' } },
        },
        version,
      );
      expect(occurrence).toMatchObject({
        operation: 'MODIFY_INFO',
        operationState: 'COMPLETED',
        clusterId: 'edge-1',
      });
      expect(occurrence.changedInfo).toMatchObject({ vnfInstanceName: 'renamed' });
      const { instance: after } = await service.getInstance(ALL, instance.id);
      expect(after).toMatchObject({
        vnfInstanceName: 'renamed',
        metadata: { a: 1, c: 3 },
        clusterId: 'edge-1',
      });
      expect(after.metadata).not.toHaveProperty('b');
      await expectDmsError(
        service.modifyInfo(ALL, instance.id, {
          vimConnectionInfo: { k: { vimId: dmOf('edge-2'), vimType: 'kubernetes' } },
        }),
        'UNPROCESSABLE',
      );
    });

    it('scopes records by tenant and by the apiRoot cluster; a vimId of another cluster is 422', async () => {
      const mine = await service.createInstance({ tenant: 'blue', clusterId: 'edge-1' }, { vnfdId: VNFD });
      await expectDmsError(service.getInstance({ tenant: 'red' }, mine.id), 'NOT_FOUND');
      await expectDmsError(
        service.getInstance({ tenant: 'blue', clusterId: 'edge-2' }, mine.id),
        'NOT_FOUND',
      );
      expect((await service.listInstances({ tenant: 'red' })).map((i) => i.id)).not.toContain(mine.id);
      expect((await service.listInstances({ tenant: 'blue', clusterId: 'edge-1' })).map((i) => i.id)).toEqual(
        [mine.id],
      );
      await expectDmsError(
        service.instantiate({ tenant: 'blue', clusterId: 'edge-1' }, mine.id, instantiateOn('edge-2')),
        'UNPROCESSABLE',
      );
      await expectDmsError(
        service.instantiate({ tenant: 'blue' }, mine.id, {
          flavourId: 'default',
          vimConnectionInfo: { v: { vimType: 'openstack' } },
        }),
        'UNPROCESSABLE',
      );
      await expectDmsError(
        service.instantiate({ tenant: 'blue' }, mine.id, { flavourId: 'huge' }),
        'INVALID',
      );
      const occurrence = await service.instantiate({ tenant: 'blue', clusterId: 'edge-1' }, mine.id, {
        flavourId: 'default',
      });
      expect(occurrence.clusterId).toBe('edge-1');
      await expectDmsError(service.getOccurrence({ tenant: 'red' }, occurrence.id), 'NOT_FOUND');
      const global = await service.createInstance({ tenant: 'blue' }, { vnfdId: VNFD });
      await expectDmsError(
        service.instantiate({ tenant: 'blue' }, global.id, { flavourId: 'default' }),
        'UNPROCESSABLE',
      );
    });

    it('lets exactly one of a racing delete and instantiation succeed', async () => {
      for (let round = 0; round < 5; round++) {
        const instance = await service.createInstance(ALL, { vnfdId: VNFD });
        const results = await Promise.allSettled([
          service.deleteInstance(ALL, instance.id),
          service.instantiate(ALL, instance.id, instantiateOn('edge-1')),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      }
    });

    it('lets exactly one of two concurrent tasks on one instance start', async () => {
      const instance = await service.createInstance(ALL, { vnfdId: VNFD });
      const results = await Promise.allSettled([
        service.instantiate(ALL, instance.id, instantiateOn('edge-1')),
        service.instantiate(ALL, instance.id, instantiateOn('edge-1')),
        service.instantiate(ALL, instance.id, instantiateOn('edge-1')),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const occurrences = (await service.listOccurrences(ALL)).filter((o) => o.vnfInstanceId === instance.id);
      expect(occurrences).toHaveLength(1);
    });
  });
}

describeLifecycle('memory', () => Promise.resolve(createMemoryStore()));

let redis: TestRedis | undefined;
describeLifecycle('redis', async () => {
  redis ??= await redisForTests();
  return createRedisStore({ url: redis.url, keyPrefix: redis.keyPrefix() });
});
afterAll(async () => {
  await redis?.dispose();
});
