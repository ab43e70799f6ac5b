/**
 * The hub's resumable inventory event stream against the memory store and a real Redis: live delivery,
 * resuming from a cursor while events keep arriving (no gap, no duplicate), expired cursors, filters, and a
 * consumer too slow for the live feed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_EVENT_LOG } from '../../o2/events.ts';
import type { InventoryChangeEvent } from '../../o2/events.ts';
import { changeEvent, resourceState, typeState } from '../../testing/notifier-events.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import { createRedisStore } from '../../state/redis-store.ts';
import type { StateStore } from '../../state/store.ts';
import { redisForTests } from '../../testing/redis.ts';
import type { TestRedis } from '../../testing/redis.ts';
import { createInventoryEventStream } from './inventory-events.ts';
import type { InventoryStreamItem } from './inventory-events.ts';

function nodeEvent(n: number): InventoryChangeEvent {
  const id = randomUUID();
  return changeEvent('RESOURCE', id, null, resourceState(id, { n: String(n) }));
}

async function append(
  store: StateStore,
  events: readonly InventoryChangeEvent[],
  maxLength?: number,
): Promise<string[]> {
  const log = store.eventLog<InventoryChangeEvent>(
    INVENTORY_EVENT_LOG,
    maxLength === undefined ? {} : { maxLength },
  );
  const cursors: string[] = [];
  for (const event of events) cursors.push(await log.append(event));
  return cursors;
}

async function take(
  iterator: AsyncIterator<InventoryStreamItem>,
  count: number,
): Promise<InventoryStreamItem[]> {
  const items: InventoryStreamItem[] = [];
  while (items.length < count) {
    const next = await iterator.next();
    if (next.done === true) break;
    items.push(next.value);
  }
  return items;
}

function eventIds(items: readonly InventoryStreamItem[]): string[] {
  return items.map((item) =>
    item.kind === 'event' ? item.event.eventId : `error:${String(item.error.extensions['code'])}`,
  );
}

let redis: TestRedis;
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(async () => {
  await redis?.dispose();
});

const stores: ReadonlyArray<readonly [string, () => Promise<StateStore>]> = [
  ['memory', () => Promise.resolve(createMemoryStore())],
  ['redis', () => createRedisStore({ url: redis.url, keyPrefix: redis.keyPrefix() })],
];

describe.each(stores)('inventory event stream (%s store)', (_name, openStore) => {
  it('without a cursor delivers the events appended from now on, each with its cursor', async () => {
    await using store = await openStore();
    await using stream = createInventoryEventStream(store);
    await append(store, [nodeEvent(0)]);
    const iterator = await stream.subscribe({});
    const events = [nodeEvent(1), nodeEvent(2)];
    const cursors = await append(store, events);
    const items = await take(iterator, 2);
    expect(eventIds(items)).toEqual(events.map((e) => e.eventId));
    expect(items.map((i) => (i.kind === 'event' ? i.cursor : ''))).toEqual(cursors);
    await iterator.return?.();
  });

  it('resumes after a cursor with what was missed, then live events, while appends continue', async () => {
    await using store = await openStore();
    await using stream = createInventoryEventStream(store);
    const first = await stream.subscribe({});
    const before = Array.from({ length: 5 }, (_, i) => nodeEvent(i));
    await append(store, before);
    const seen = await take(first, 3);
    await first.return?.();
    const resumeAfter = seen.at(-1)!.kind === 'event' ? (seen.at(-1) as { cursor: string }).cursor : '';

    const during = Array.from({ length: 40 }, (_, i) => nodeEvent(100 + i));
    const writer = append(store, during.slice(0, 20));
    const resumed = await stream.subscribe({ after: resumeAfter });
    await writer;
    const after = append(store, during.slice(20));
    const items = await take(resumed, 2 + during.length);
    await after;
    expect(eventIds([...seen, ...items])).toEqual([...before, ...during].map((e) => e.eventId));
    await resumed.return?.();
  });

  it('reports CURSOR_EXPIRED first for a cursor older than the retention, then continues from the oldest', async () => {
    await using store = await openStore();
    await using stream = createInventoryEventStream(store);
    const [old] = await append(store, [nodeEvent(0)]);
    const kept = Array.from({ length: 5 }, (_, i) => nodeEvent(i + 1));
    await append(store, kept);
    await store.eventLog(INVENTORY_EVENT_LOG).trim(3);
    const iterator = await stream.subscribe({ after: old! });
    const items = await take(iterator, 4);
    expect(eventIds(items)).toEqual(['error:CURSOR_EXPIRED', ...kept.slice(2).map((e) => e.eventId)]);
    await iterator.return?.();
    // A cursor the log never handed out (its data was lost) is expired too; "0" means "everything retained".
    const future = await stream.subscribe({ after: '99999999999999-0' });
    expect(eventIds(await take(future, 1))).toEqual(['error:CURSOR_EXPIRED']);
    await future.return?.();
    const everything = await stream.subscribe({ after: '0' });
    expect(eventIds(await take(everything, 3))).toEqual(kept.slice(2).map((e) => e.eventId));
    await everything.return?.();
  });

  it('delivers only events matching the filter and object kinds', async () => {
    await using store = await openStore();
    await using stream = createInventoryEventStream(store);
    const resources = await stream.subscribe({ objectKinds: ['RESOURCE'] });
    const racked = await stream.subscribe({ filter: '(eq,postObjectState/extensions/labels/rack,r7)' });
    const id = randomUUID();
    const events = [
      changeEvent('RESOURCE_TYPE', randomUUID(), null, typeState()),
      changeEvent('RESOURCE', id, null, resourceState(id)),
      changeEvent('RESOURCE', id, resourceState(id), resourceState(id, { rack: 'r7' })),
    ];
    await append(store, events);
    expect(eventIds(await take(resources, 2))).toEqual([events[1]!.eventId, events[2]!.eventId]);
    expect(eventIds(await take(racked, 1))).toEqual([events[2]!.eventId]);
    await resources.return?.();
    await racked.return?.();
  });

  it('refuses a malformed cursor or filter as BAD_USER_INPUT', async () => {
    await using store = await openStore();
    await using stream = createInventoryEventStream(store);
    await expect(stream.subscribe({ after: 'yesterday' })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await expect(stream.subscribe({ filter: '(eq,colour,blue)' })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('lets a consumer slower than the feed fall back to the log without losing or repeating events', async () => {
    await using store = await openStore();
    await using stream = createInventoryEventStream(store, { maxBuffered: 5, readBatch: 4 });
    const iterator = await stream.subscribe({});
    const events = Array.from({ length: 60 }, (_, i) => nodeEvent(i));
    await append(store, events.slice(0, 30));
    const firstFew = await take(iterator, 3);
    // Let the live feed deliver far more than the buffer holds while nobody reads.
    await append(store, events.slice(30));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const rest = await take(iterator, events.length - 3);
    expect(eventIds([...firstFew, ...rest])).toEqual(events.map((e) => e.eventId));

    // Once live (a reader waits with nothing left in the log), a burst larger than the buffer makes it fall back
    // to the log as well.
    const waiting = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const burst = Array.from({ length: 40 }, (_, i) => nodeEvent(2000 + i));
    await append(store, burst);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const head = await waiting;
    const tail = await take(iterator, burst.length - 1);
    expect(eventIds([...(head.done === true ? [] : [head.value]), ...tail])).toEqual(
      burst.map((e) => e.eventId),
    );
    await iterator.return?.();
  });
});
