/**
 * The hub's `lcmEvents` subscription through the hub schema (graphql `subscribe`), fed by the lifecycle
 * service: one instantiate gives STARTING, PROCESSING, COMPLETED of one occurrence in order; a subscriber
 * resuming from a cursor gets exactly the rest; a tenant sees only its instances.
 */
import { parse, subscribe, type ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifecycleService } from '../../dms/lifecycle/service.ts';
import { clusterScopedId } from '../../o2/ids.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { StateStore } from '../../state/store.ts';
import { chartDescriptor, TestPackages } from '../../testing/dms-packages.ts';
import { createLcmEventStream, type LcmEventStream } from './lcm-events.ts';
import { buildHubSchema } from './schema.ts';

const VNFD = 'vnfd-graph';
const dmOf = (clusterId: string): string =>
  clusterScopedId(clusterId, 'deploymentManager', 'deploymentManager');

const QUERY = parse(`subscription ($after: String, $types: [LcmNotificationType!]) {
  lcmEvents(after: $after, notificationTypes: $types) {
    cursor notificationType vnfInstanceId notificationStatus vnfLcmOpOccId operation operationState affectedVnfcs
  }
}`);

type Row = Record<string, unknown>;

async function take(iterator: AsyncIterator<ExecutionResult>, count: number): Promise<Row[]> {
  const rows: Row[] = [];
  while (rows.length < count) {
    const next = await iterator.next();
    if (next.done === true) break;
    expect(next.value.errors).toBeUndefined();
    rows.push((next.value.data as { lcmEvents: Row }).lcmEvents);
  }
  return rows;
}

describe('lcmEvents (hub subscription)', () => {
  let store: StateStore;
  let stream: LcmEventStream;
  let service: LifecycleService;
  const schema = () =>
    buildHubSchema({
      oCloud: () => {
        throw new Error('unused');
      },
      clusterIds: () => [],
      lcmEvents: stream,
    });

  beforeAll(() => {
    store = createMemoryStore();
    stream = createLcmEventStream(store);
    const packages = new TestPackages();
    packages.add({
      id: 'pkg',
      tenant: undefined,
      onboardingState: 'ONBOARDED',
      operationalState: 'ENABLED',
      usageState: 'NOT_IN_USE',
      descriptor: chartDescriptor(VNFD),
    });
    service = new LifecycleService({
      store,
      packages,
      deploymentManagers: {
        clusterOf: (id) => (id === dmOf('edge-1') ? 'edge-1' : undefined),
        deploymentManagerOf: dmOf,
      },
    });
  });
  afterAll(async () => {
    await stream.dispose();
    await store.dispose();
  });

  async function open(
    variables: Record<string, unknown>,
    tenant?: string,
  ): Promise<AsyncIterator<ExecutionResult>> {
    const result = await subscribe({
      schema: schema(),
      document: QUERY,
      variableValues: variables,
      contextValue: { auth: { principal: 't', tenant: { name: tenant ?? '*' } } },
    });
    if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result));
    return result;
  }

  it('streams one instantiate in order, resumes from a cursor, and keeps tenants apart', async () => {
    const live = await open({ types: ['VnfLcmOperationOccurrenceNotification'] });
    const blueOnly = await open({}, 'blue');
    const first = live.next();
    const instance = await service.createInstance({ tenant: 'red' }, { vnfdId: VNFD });
    const occurrence = await service.instantiate({ tenant: 'red' }, instance.id, {
      flavourId: 'default',
      vimConnectionInfo: { v: { vimId: dmOf('edge-1'), vimType: 'kubernetes' } },
    });
    await service.ledger.beginProcessing(occurrence.id, 1);
    await service.ledger.complete(occurrence.id, 1, {
      affectedVnfcs: [
        { id: 'pod', vduId: 'web', changeType: 'ADDED', computeResource: { resourceId: 'pod' } },
      ],
    });
    const blue = await service.createInstance({ tenant: 'blue' }, { vnfdId: VNFD });

    const head = await first;
    const rows = [
      (head.value as ExecutionResult<{ lcmEvents: Row }>).data!.lcmEvents,
      ...(await take(live, 2)),
    ];
    expect(rows.map((r) => `${String(r['notificationStatus'])}:${String(r['operationState'])}`)).toEqual([
      'START:STARTING',
      'RESULT:PROCESSING',
      'RESULT:COMPLETED',
    ]);
    for (const row of rows)
      expect(row).toMatchObject({ vnfLcmOpOccId: occurrence.id, operation: 'INSTANTIATE' });
    expect(rows[2]!['affectedVnfcs']).toEqual([expect.objectContaining({ id: 'pod', changeType: 'ADDED' })]);

    // Resuming after STARTING: exactly PROCESSING and COMPLETED, then live events.
    const resumed = await open({
      after: rows[0]!['cursor'],
      types: ['VnfLcmOperationOccurrenceNotification'],
    });
    expect((await take(resumed, 2)).map((r) => r['operationState'])).toEqual(['PROCESSING', 'COMPLETED']);

    // The blue tenant saw nothing of red's instance: its first event is its own creation.
    expect(await take(blueOnly, 1)).toEqual([
      expect.objectContaining({
        notificationType: 'VnfIdentifierCreationNotification',
        vnfInstanceId: blue.id,
      }),
    ]);
    await live.return?.();
    await resumed.return?.();
    await blueOnly.return?.();
  });

  it('refuses a malformed cursor', async () => {
    const result = await subscribe({
      schema: schema(),
      document: QUERY,
      variableValues: { after: 'nope' },
      contextValue: { auth: { principal: 't', tenant: { name: '*' } } },
    });
    expect(Symbol.asyncIterator in result).toBe(false);
    expect((result as ExecutionResult).errors?.[0]?.extensions['code']).toBe('BAD_USER_INPUT');
  });
});
