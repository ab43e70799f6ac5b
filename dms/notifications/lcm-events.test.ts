/**
 * The DMS event log: every instance creation/deletion and every state an occurrence enters is one event, in
 * order, readable from a cursor; against both store implementations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterScopedId } from '../../o2/ids.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { chartDescriptor, TestPackages } from '../../testing/dms-packages.ts';
import { redisForTests, type TestRedis } from '../../testing/redis.ts';
import type { DeploymentManagerDirectory } from '../lifecycle/placement.ts';
import { LifecycleService } from '../lifecycle/service.ts';
import { LcmEventLog, parseLcmEvent, type LcmEvent } from './lcm-events.ts';

const CLUSTERS = ['edge-1'];
const dmOf = (clusterId: string): string =>
  clusterScopedId(clusterId, 'deploymentManager', 'deploymentManager');
const directory: DeploymentManagerDirectory = {
  clusterOf: (id) => CLUSTERS.find((c) => dmOf(c) === id),
  deploymentManagerOf: dmOf,
};
const ALL = { tenant: '*' } as const;
const VNFD = '7d4a1b2c-1111-4222-8333-444455556666';

function summary(event: LcmEvent): string {
  return event.notificationType === 'VnfLcmOperationOccurrenceNotification'
    ? `${event.occurrence.operation}:${event.occurrence.operationState}:${event.notificationStatus}`
    : event.notificationType;
}

function describeEvents(name: string, open: () => Promise<StateStore>): void {
  describe(`DMS event log (${name})`, () => {
    let store: StateStore;
    let service: LifecycleService;
    beforeAll(async () => {
      store = await open();
      const packages = new TestPackages();
      packages.add({
        id: 'pkg-1',
        tenant: undefined,
        onboardingState: 'ONBOARDED',
        operationalState: 'ENABLED',
        usageState: 'NOT_IN_USE',
        descriptor: chartDescriptor(VNFD),
      });
      service = new LifecycleService({ store, packages, deploymentManagers: directory });
    });
    afterAll(async () => {
      await store.dispose();
    });

    it('records creation, every occurrence state and deletion in order, resumable from any cursor', async () => {
      const log = new LcmEventLog(store);
      const start = await log.latestCursor();
      const instance = await service.createInstance(ALL, { vnfdId: VNFD });
      const occurrence = await service.instantiate(ALL, instance.id, {
        flavourId: 'default',
        vimConnectionInfo: { v: { vimId: dmOf('edge-1'), vimType: 'kubernetes' } },
      });
      await service.ledger.beginProcessing(occurrence.id, 1);
      // A repeated step of the runner changes no state: no event.
      await service.ledger.beginProcessing(occurrence.id, 1);
      await service.ledger.failTemporarily(occurrence.id, 1, { status: 500, title: 'Helm', detail: 'boom' });
      await service.retry(ALL, occurrence.id);
      await service.ledger.complete(occurrence.id, 2, {
        affectedVnfcs: [
          { id: 'pod-a', vduId: 'web', changeType: 'ADDED', computeResource: { resourceId: 'pod-a' } },
        ],
      });
      const terminate = await service.terminate(ALL, instance.id, { terminationType: 'FORCEFUL' });
      await service.ledger.beginProcessing(terminate.id, 1);
      await service.ledger.complete(terminate.id, 1, {});
      await service.deleteInstance(ALL, instance.id);

      const entries = await log.read(start, 100);
      const mine = entries.filter((e) => e.event.vnfInstanceId === instance.id);
      expect(mine.map((e) => summary(e.event))).toEqual([
        'VnfIdentifierCreationNotification',
        'INSTANTIATE:STARTING:START',
        'INSTANTIATE:PROCESSING:RESULT',
        'INSTANTIATE:FAILED_TEMP:RESULT',
        'INSTANTIATE:PROCESSING:RESULT',
        'INSTANTIATE:COMPLETED:RESULT',
        'TERMINATE:STARTING:START',
        'TERMINATE:PROCESSING:RESULT',
        'TERMINATE:COMPLETED:RESULT',
        'VnfIdentifierDeletionNotification',
      ]);
      for (const { event } of mine) expect(event.vnfdId).toBe(VNFD);
      const failed = mine[3]!.event;
      expect(
        failed.notificationType === 'VnfLcmOperationOccurrenceNotification' && failed.occurrence.error,
      ).toMatchObject({ status: 500, detail: 'boom' });
      const completed = mine[5]!.event;
      expect(completed).toMatchObject({
        occurrence: { id: occurrence.id, attempt: 2, resourceChanges: { affectedVnfcs: [{ id: 'pod-a' }] } },
      });
      expect(new Set(mine.map((e) => e.event.eventId)).size).toBe(mine.length);

      // Resuming after the 6th entry gives exactly the rest.
      const rest = await log.read(mine[5]!.cursor, 100);
      expect(rest.filter((e) => e.event.vnfInstanceId === instance.id).map((e) => summary(e.event))).toEqual([
        'TERMINATE:STARTING:START',
        'TERMINATE:PROCESSING:RESULT',
        'TERMINATE:COMPLETED:RESULT',
        'VnfIdentifierDeletionNotification',
      ]);
    });

    it('a task refused with 409 leaves no START event behind', async () => {
      const log = new LcmEventLog(store);
      const instance = await service.createInstance(ALL, { vnfdId: VNFD });
      const start = await log.latestCursor();
      await expect(service.terminate(ALL, instance.id, { terminationType: 'FORCEFUL' })).rejects.toThrow();
      expect(await log.read(start, 10)).toEqual([]);
      await service.deleteInstance(ALL, instance.id);
    });

    it('a PATCH reports START and RESULT of its MODIFY_INFO occurrence', async () => {
      const log = new LcmEventLog(store);
      const instance = await service.createInstance(ALL, { vnfdId: VNFD });
      const start = await log.latestCursor();
      await service.modifyInfo(ALL, instance.id, { vnfInstanceName: 'renamed' });
      expect((await log.read(start, 10)).map((e) => summary(e.event))).toEqual([
        'MODIFY_INFO:STARTING:START',
        'MODIFY_INFO:COMPLETED:RESULT',
      ]);
    });

    it('skips malformed entries of the shared log', () => {
      expect(parseLcmEvent({ notificationType: 'VnfIdentifierCreationNotification' })).toBeUndefined();
    });
  });
}

describeEvents('memory', () => Promise.resolve(createMemoryStore()));

let redis: TestRedis;
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(async () => {
  await redis?.dispose();
});
describeEvents('redis', async () => createRedisStore({ url: redis.url, keyPrefix: redis.keyPrefix() }));
