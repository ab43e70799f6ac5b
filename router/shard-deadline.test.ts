/**
 * The deadline of a fan-out (one timer for every shard call of a request) and the shard client's abort of an
 * exchange in flight: a shard that does not answer, or stops in the middle of its answer, is "timed out" and
 * its connection is closed.
 */
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShardClient, ShardUnavailableError } from './shard-client.ts';
import { fanOutDeadline } from './shard-executor.ts';

describe('fanOutDeadline', () => {
  it('aborts with a TimeoutError when the time is up, unless cleared first', async () => {
    const expiring = fanOutDeadline(undefined, 10);
    await once(expiring.signal, 'abort');
    expect((expiring.signal.reason as DOMException).name).toBe('TimeoutError');

    const cleared = fanOutDeadline(undefined, 10);
    cleared.clear();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(cleared.signal.aborted).toBe(false);
  });

  it("follows the caller's signal, also one aborted already", () => {
    const caller = new AbortController();
    const deadline = fanOutDeadline(caller.signal, 60_000);
    caller.abort(new Error('client gone'));
    expect(deadline.signal.reason).toEqual(new Error('client gone'));
    deadline.clear();
    expect(fanOutDeadline(caller.signal, 60_000).signal.aborted).toBe(true);
  });

  it('takes one listener per shard of a large fan-out without a MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const deadline = fanOutDeadline(undefined, 60_000);
      for (let shard = 0; shard < 100; shard++) deadline.signal.addEventListener('abort', () => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      deadline.clear();
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});

describe('ShardClient abort', () => {
  let server: Server;
  let url: string;
  const stalled: ServerResponse[] = [];
  let closed = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.socket.once('close', () => closed++);
      stalled.push(res);
      // Headers and half an answer for /half, nothing at all otherwise.
      if (req.url === '/half') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"data":');
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    for (const res of stalled) res.destroy();
    server.close();
  });

  it.each(['/silent', '/half'])(
    'times out a shard that stalls (%s) and closes its connection',
    async (path) => {
      const client = new ShardClient(
        { clusterId: 'edge-1', url: `${url}${path}`, wsUrl: 'ws://unused' },
        { breaker: { failureThreshold: 100, cooldownMs: 1_000 } },
      );
      const before = closed;
      const deadline = fanOutDeadline(undefined, 50);
      const outcome = client.query(
        { document: parse('{ clusters { clusterId } }'), variables: {} },
        deadline.signal,
      );
      await expect(outcome).rejects.toThrow(ShardUnavailableError);
      await expect(outcome).rejects.toMatchObject({ reason: 'timed out' });
      deadline.clear();
      await client.dispose();
      await expect.poll(() => closed).toBe(before + 1);
    },
  );
});
