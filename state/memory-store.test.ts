import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.ts';
import { describeStateStoreContract, eventually } from './store.contract.ts';

/** One fake clock for the file (tests in a file run one after another): time moves only when told. */
let now = Date.UTC(2030, 0, 1);
const clock = (): number => now;

describeStateStoreContract('memory', async () => createMemoryStore({ clock }), {
  openPeer: async (store) => store.fork(),
  elapse: async (ms) => {
    now += ms;
  },
});

describe('memory store specifics', () => {
  it('judges lease expiry and consumer idle time by the injected clock, to the millisecond', async () => {
    let t = 1_000;
    await using store = createMemoryStore({ clock: () => t });
    expect(await store.leases.acquire('leader', 'a', 100)).toBe(true);
    t += 99;
    expect(await store.leases.holder('leader')).toBe('a');
    t += 1;
    expect(await store.leases.holder('leader')).toBeUndefined();

    const log = store.eventLog<{ n: number }>('work');
    await log.ensureGroup('g');
    await log.append({ n: 1 });
    await log.claimNext('g', 'a', { count: 1, blockMs: 0 });
    t += 49;
    expect(await log.claimStale('g', 'b', { idleMs: 50, count: 1 })).toEqual([]);
    t += 1;
    expect(await log.claimStale('g', 'b', { idleMs: 50, count: 1 })).toHaveLength(1);
  });

  it('takes cursors from the clock like Redis stream ids, never going backwards', async () => {
    let t = 5_000;
    await using store = createMemoryStore({ clock: () => t });
    const log = store.eventLog<{ n: number }>('changes');
    expect(await log.append({ n: 0 })).toBe('5000-0');
    expect(await log.append({ n: 1 })).toBe('5000-1');
    t = 4_000;
    expect(await log.append({ n: 2 })).toBe('5000-2');
    t = 6_000;
    expect(await log.append({ n: 3 })).toBe('6000-0');
  });

  it('trims exactly to maxLength on append', async () => {
    await using store = createMemoryStore();
    const log = store.eventLog<{ n: number }>('bounded', { maxLength: 3 });
    for (let n = 0; n < 10; n++) await log.append({ n });
    expect((await log.read(undefined, 10)).map((e) => e.event.n)).toEqual([7, 8, 9]);
  });

  it('reports a throwing tail callback to onError', async () => {
    const errors: Array<{ error: unknown; where: string }> = [];
    await using store = createMemoryStore({ onError: (error, where) => errors.push({ error, where }) });
    const log = store.eventLog<{ n: number }>('changes');
    const tail = log.tail(undefined, () => {
      throw new Error('consumer bug');
    });
    await log.append({ n: 0 });
    await eventually('error reported', () => errors.length > 0);
    await tail.stop();
    expect(errors).toHaveLength(1);
    expect(String(errors[0]!.error)).toContain('consumer bug');
    expect(errors[0]!.where).toContain('"changes" tail');
  });

  it('a fork outlives nothing: disposing one handle leaves the other working', async () => {
    await using store = createMemoryStore();
    const fork = store.fork();
    await fork.collection<{ v: number }>('shards').put('c1', { v: 1 });
    await fork.dispose();
    expect(await store.collection<{ v: number }>('shards').get('c1')).toEqual({ v: 1 });
  });
});
