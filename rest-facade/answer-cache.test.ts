/**
 * Answer reuse: repeated reads within maxAgeMs are served from memory (one graph operation), concurrent ones
 * share one computation, partial answers and errors are never reused, callers never see each other's
 * answers, and a change of the cluster set drops everything. Also: ETag / If-None-Match → 304.
 */
import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AnswerCache, answerKey } from './answer-cache.ts';
import type { CachedAnswer } from './answer-cache.ts';
import { ClusterChangeTracker } from './answer-freshness.ts';
import { createMemoryStore } from '../state/memory-store.ts';
import { EDGE_CLUSTER } from '../testing/fixture-inventory.ts';
import { FixtureGraphExecutor } from '../testing/fixture-executor.ts';
import { AUTH_HEADERS, call, startGateway } from '../testing/facade-harness.ts';

const API = '/o2ims-infrastructureInventory';

function answer(text: string, missingClusters: readonly string[] = []): CachedAnswer {
  return { body: Buffer.from(text), etag: '"x"', link: undefined, missingClusters };
}

describe('AnswerCache', () => {
  it('reuses an answer for maxAgeMs, then serves it stale once while recomputing, then waits', async () => {
    let now = 0;
    const cache = new AnswerCache({ maxAgeMs: 100 }, () => now);
    let computed = 0;
    const compute = () => Promise.resolve({ answer: answer(String(++computed)), keep: true });
    expect((await cache.answer('k', compute)).fromCache).toBe(false);
    now = 99;
    expect((await cache.answer('k', compute)).answer.body.toString()).toBe('1');
    now = 150;
    // Expired: the old answer at once, its successor computed in the background.
    expect((await cache.answer('k', compute)).answer.body.toString()).toBe('1');
    await new Promise((resolve) => setImmediate(resolve));
    expect((await cache.answer('k', compute)).answer.body.toString()).toBe('2');
    now = 1000;
    // Older than twice maxAgeMs: never served; the request waits for a new answer.
    const late = await cache.answer('k', compute);
    expect(late).toMatchObject({ fromCache: false });
    expect(late.answer.body.toString()).toBe('3');
  });

  it('does not keep an answer computed before clear()', async () => {
    const cache = new AnswerCache({ maxAgeMs: 1000 });
    let release: () => void = () => undefined;
    const slow = () =>
      new Promise<{ answer: CachedAnswer; keep: boolean }>((resolve) => {
        release = () => resolve({ answer: answer('old'), keep: true });
      });
    const first = cache.answer('k', slow);
    await new Promise((resolve) => setImmediate(resolve));
    cache.clear();
    release();
    await first;
    const next = await cache.answer('k', () => Promise.resolve({ answer: answer('new'), keep: true }));
    expect(next.answer.body.toString()).toBe('new');
  });

  it('shares one computation between concurrent requests', async () => {
    const cache = new AnswerCache({ maxAgeMs: 1000 });
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { answer: answer('a'), keep: true };
    };
    await Promise.all([1, 2, 3, 4].map(() => cache.answer('k', compute)));
    expect(computed).toBe(1);
  });

  it('never keeps partial answers or errors, and clears on demand', async () => {
    const cache = new AnswerCache({ maxAgeMs: 1000 });
    let computed = 0;
    const partial = () => Promise.resolve({ answer: answer(String(++computed), ['edge-1']), keep: false });
    await cache.answer('p', partial);
    expect((await cache.answer('p', partial)).fromCache).toBe(false);
    await expect(cache.answer('e', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const whole = () => Promise.resolve({ answer: answer(String(++computed)), keep: true });
    await cache.answer('w', whole);
    cache.clear();
    expect((await cache.answer('w', whole)).fromCache).toBe(false);
  });

  it('keys by caller scope and O2 parameters only', () => {
    const caller = { principal: 'smo', roles: ['reader'], tenant: { kind: 'all' } };
    const o2 = new Set(['filter']);
    const a = answerKey(['v2', 'op', '/p'], { filter: 'x', cacheBuster: '1' }, caller, o2);
    expect(answerKey(['v2', 'op', '/p'], { cacheBuster: '2', filter: 'x' }, caller, o2)).toBe(a);
    expect(answerKey(['v2', 'op', '/p'], { filter: 'x' }, { ...caller, principal: 'other' }, o2)).not.toBe(a);
    expect(
      answerKey(['v2', 'op', '/p'], { filter: 'x' }, { ...caller, tenant: { kind: 'scoped' } }, o2),
    ).not.toBe(a);
  });
});

describe('exact answers: invalidated by the change events of their clusters', () => {
  async function tracked() {
    const store = createMemoryStore();
    const log = store.eventLog<{ clusterId?: string }>('changes');
    const tracker = new ClusterChangeTracker([
      { log, clusterOf: (event) => (event as { clusterId?: string }).clusterId ?? null },
    ]);
    await tracker.start();
    const cache = new AnswerCache({ maxAgeMs: 60_000, freshness: tracker });
    let computed = 0;
    const compute = (clusters: readonly string[] | undefined) => () =>
      Promise.resolve({ answer: answer(String(++computed)), keep: true, clusters });
    return {
      cache,
      compute,
      append: (clusterId?: string) => log.append(clusterId === undefined ? {} : { clusterId }),
      [Symbol.asyncDispose]: async () => {
        await tracker.stop();
        await store.dispose();
      },
    };
  }

  it('an event of a cluster the answer asked makes it unusable, even before the tail saw it', async () => {
    await using t = await tracked();
    await t.cache.answer('k', t.compute(['a', 'b']));
    expect((await t.cache.answer('k', t.compute(['a', 'b']))).fromCache).toBe(true);
    // No await between the append and the read: the snapshot waits for the tail to pass the latest cursor.
    await t.append('b');
    const after = await t.cache.answer('k', t.compute(['a', 'b']));
    expect(after).toMatchObject({ fromCache: false });
    expect(after.answer.body.toString()).toBe('2');
  });

  it('events of other clusters leave the answer usable; events without a cluster do not', async () => {
    await using t = await tracked();
    await t.cache.answer('k', t.compute(['a']));
    await t.append('b');
    expect((await t.cache.answer('k', t.compute(['a']))).fromCache).toBe(true);
    await t.append();
    expect((await t.cache.answer('k', t.compute(['a']))).fromCache).toBe(false);
  });

  it('an answer whose clusters are unknown depends on every event', async () => {
    await using t = await tracked();
    await t.cache.answer('k', t.compute(undefined));
    await t.append('z');
    expect((await t.cache.answer('k', t.compute(undefined))).fromCache).toBe(false);
  });

  it('a computation under way is not shared with a request that comes after an event', async () => {
    await using t = await tracked();
    let release: () => void = () => undefined;
    const slow = () =>
      new Promise<{ answer: CachedAnswer; keep: boolean; clusters: string[] }>((resolve) => {
        release = () => resolve({ answer: answer('before'), keep: true, clusters: ['a'] });
      });
    const first = t.cache.answer('k', slow);
    await new Promise((resolve) => setImmediate(resolve));
    await t.append('a');
    const second = await t.cache.answer('k', () =>
      Promise.resolve({ answer: answer('after'), keep: true, clusters: ['a'] }),
    );
    expect(second.answer.body.toString()).toBe('after');
    release();
    await first;
    // The answer computed across the event was not kept over the newer one.
    expect((await t.cache.answer('k', t.compute(['a']))).answer.body.toString()).toBe('after');
  });

  it('without a snapshot (tracker stopped: the store cannot be read) nothing is reused', async () => {
    await using t = await tracked();
    const tracker = new ClusterChangeTracker([]);
    const cache = new AnswerCache({ maxAgeMs: 60_000, freshness: tracker });
    await cache.answer('k', t.compute(['a']));
    expect((await cache.answer('k', t.compute(['a']))).fromCache).toBe(false);
  });
});

describe('answer reuse in the facade', () => {
  it('one graph operation for repeated reads; a partial answer is re-read', async () => {
    const executor = new FixtureGraphExecutor();
    await using gateway = await startGateway(executor, { cache: { maxAgeMs: 60_000 } });
    const before = executor.requests.length;
    const first = await call(gateway, `${API}/v2/resourcePools`);
    const second = await call(gateway, `${API}/v2/resourcePools?unrelated=1`);
    expect(second.text).toBe(first.text);
    expect(executor.requests.length - before).toBe(1);

    executor.unavailable.add(EDGE_CLUSTER);
    const partial = await call(gateway, `${API}/v2/deploymentManagers`);
    expect(partial.headers.get('netweave-partial-result')).toContain(EDGE_CLUSTER);
    executor.unavailable.clear();
    const whole = await call(gateway, `${API}/v2/deploymentManagers`);
    expect(whole.headers.get('netweave-partial-result')).toBeNull();
    expect((whole.body as unknown[]).length).toBe(2);
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    await using gateway = await startGateway();
    const first = await call(gateway, `${API}/v2/resourceTypes`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    // Over node:http: fetch adds `cache-control: no-cache` to conditional requests, which forbids a 304.
    const status = await new Promise<number>((resolve, reject) => {
      get(
        `${gateway.origin}${API}/v2/resourceTypes`,
        { headers: { ...AUTH_HEADERS, 'if-none-match': etag! } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      ).on('error', reject);
    });
    expect(status).toBe(304);
  });
});
