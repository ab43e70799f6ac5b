/**
 * Deduplication of in-flight requests (router/inflight.ts): one request per key while it runs, a fresh one
 * after it settled, and aborts that stay with the caller that gave up.
 */
import { describe, expect, it } from 'vitest';
import { InflightRequests } from './inflight.ts';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('InflightRequests', () => {
  it('runs one request for callers of the same key and a separate one per key', async () => {
    const inflight = new InflightRequests<string>();
    const started: string[] = [];
    const answer = deferred<string>();
    const start = (key: string) => () => {
      started.push(key);
      return key === 'a' ? answer.promise : Promise.resolve(`answer ${key}`);
    };
    const signal = new AbortController().signal;
    const first = inflight.run('a', signal, start('a'));
    const second = inflight.run('a', signal, start('a'));
    const other = inflight.run('b', signal, start('b'));
    answer.resolve('answer a');
    expect(await Promise.all([first, second, other])).toEqual(['answer a', 'answer a', 'answer b']);
    expect(started).toEqual(['a', 'b']);
    // Settled: the next caller sends a new request (its answer may have changed).
    await inflight.run('a', signal, () => Promise.resolve('again'));
    expect(inflight.size).toBe(0);
  });

  it('shares failures with every caller waiting', async () => {
    const inflight = new InflightRequests<string>();
    const signal = new AbortController().signal;
    const failing = deferred<string>();
    const a = inflight.run('k', signal, () => failing.promise.then(() => Promise.reject(new Error('down'))));
    const b = inflight.run('k', signal, () => Promise.resolve('never started'));
    failing.resolve('');
    await expect(a).rejects.toThrow('down');
    await expect(b).rejects.toThrow('down');
  });

  it('lets a caller leave without failing the others, and stops the request when nobody waits', async () => {
    const inflight = new InflightRequests<string>();
    const answer = deferred<string>();
    let shared: AbortSignal | undefined;
    const start = (signal: AbortSignal): Promise<string> => {
      shared = signal;
      return answer.promise;
    };
    const leaving = new AbortController();
    const staying = new AbortController();
    const left = inflight.run('k', leaving.signal, start);
    const stays = inflight.run('k', staying.signal, start);
    leaving.abort(new Error('caller gone'));
    await expect(left).rejects.toThrow('caller gone');
    expect(shared?.aborted).toBe(false);
    answer.resolve('done');
    expect(await stays).toBe('done');

    const never = deferred<string>();
    const alone = new AbortController();
    const lonely = inflight.run('k2', alone.signal, (signal) => {
      shared = signal;
      return never.promise;
    });
    alone.abort(new Error('timed out'));
    await expect(lonely).rejects.toThrow('timed out');
    expect(shared?.aborted).toBe(true);
    // The abandoned request is forgotten at once: a new caller does not join it.
    expect(inflight.size).toBe(0);
  });
});
