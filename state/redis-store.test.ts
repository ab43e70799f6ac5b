import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateRedisForTests, redisForTests, sentinelForTests } from '../testing/redis.ts';
import type { TestRedis } from '../testing/redis.ts';
import { StoreUnavailableError } from './errors.ts';
import { createRedisStore } from './redis-store.ts';
import { describeStateStoreContract, eventually } from './store.contract.ts';
import { compareCursors } from './store.ts';
import type { LogEntry } from './store.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(async () => {
  await redis.dispose();
});

describeStateStoreContract(
  'redis',
  () => createRedisStore({ url: redis.url, keyPrefix: redis.keyPrefix() }),
  {
    openPeer: (store) => createRedisStore({ url: redis.url, keyPrefix: store.keyPrefix }),
    // Redis keeps time itself (PX expiry, stream idle time): let it pass for real.
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
);

/** An admin connection outside the store under test, closed by `await using`. */
async function adminConnection(): Promise<Redis & AsyncDisposable> {
  const admin = new Redis(redis.url, { lazyConnect: true });
  await admin.connect();
  return Object.assign(admin, { [Symbol.asyncDispose]: async () => void admin.disconnect() });
}

/** CLIENT KILLs every connection whose name starts with `name:`; returns the roles it killed. */
async function killConnections(admin: Redis, name: string): Promise<string[]> {
  const list = String(await admin.call('CLIENT', ['LIST']));
  const killed: string[] = [];
  for (const line of list.split('\n')) {
    const id = /(?:^| )id=(\d+)/.exec(line)?.[1];
    const clientName = /(?:^| )name=(\S*)/.exec(line)?.[1];
    if (!id || !clientName?.startsWith(`${name}:`)) continue;
    await admin.call('CLIENT', ['KILL', 'ID', id]);
    killed.push(clientName.slice(name.length + 1));
  }
  return killed.sort();
}

describe('redis store specifics', () => {
  it('keeps every key under its prefix, in the documented layout', async () => {
    const keyPrefix = redis.keyPrefix();
    await using store = await createRedisStore({ url: redis.url, keyPrefix });
    await using admin = await adminConnection();
    await store.collection<{ url: string }>('subscriptions').put('s1', { url: 'https://smo/cb' });
    await store.collection('subscriptions').createIndexEntry('callback', 'https://smo/cb', 's1');
    await store.eventLog<{ n: number }>('changes').append({ n: 1 });
    await store.leases.acquire('leader', 'me', 60_000);
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 100);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    const types = Object.fromEntries(
      await Promise.all(
        keys.map(async (key) => [key.slice(keyPrefix.length), await admin.type(key)] as const),
      ),
    );
    expect(types).toEqual({
      'coll:subscriptions': 'hash',
      'coll:subscriptions:idx:callback': 'hash',
      'log:changes': 'stream',
      'lease:leader': 'string',
    });
  });

  it('survives CLIENT KILL of all its connections mid-operation; a running tail loses nothing', async () => {
    const name = `nwtest-${randomBytes(4).toString('hex')}`;
    const keyPrefix = redis.keyPrefix();
    await using store = await createRedisStore({ url: redis.url, keyPrefix, connectionName: name });
    await using admin = await adminConnection();
    const log = store.eventLog<{ n: number }>('changes');
    const seen: Array<LogEntry<{ n: number }>> = [];
    const tail = log.tail(undefined, (entries) => {
      seen.push(...entries);
    });
    const messages: string[] = [];
    const unsubscribe = await store.subscribe('topic', (m) => messages.push(m));
    const before: string[] = [];
    for (let n = 0; n < 10; n++) before.push(await log.append({ n }));
    await eventually('tail saw the first entries', () => seen.length >= 10);
    await log.ensureGroup('webhooks', before[before.length - 1]);
    const claim = log.claimNext('webhooks', 'replica-a', { count: 100, blockMs: 20_000 });
    await eventually('blocking claim is waiting', async () =>
      String(await admin.call('CLIENT', ['LIST'])).includes(`name=${name}:block`),
    );

    // Appends are in flight while every connection of the store is cut.
    const appending = Promise.all(Array.from({ length: 20 }, (_, i) => log.append({ n: 10 + i })));
    expect(await killConnections(admin, name)).toEqual(['block', 'cmd', 'sub', 'tail']);
    const after = await appending;

    // The blocked claim was resent on the new connection and got the new entries.
    const claimed = await claim;
    expect(claimed.length).toBeGreaterThan(0);
    expect(claimed.every((e) => e.event.n >= 10)).toBe(true);

    // The tail resumed from its own cursor: every appended entry, in order, none twice.
    const last = after[after.length - 1]!;
    await eventually('tail saw every entry', () => seen.some((e) => e.cursor === last));
    const seenCursors = seen.map((e) => e.cursor);
    for (let i = 1; i < seenCursors.length; i++)
      expect(compareCursors(seenCursors[i - 1]!, seenCursors[i]!)).toBe(-1);
    expect(new Set(seenCursors)).toEqual(new Set([...seenCursors, ...before, ...after]));
    expect(new Set(seen.map((e) => e.event.n))).toEqual(new Set(Array.from({ length: 30 }, (_, n) => n)));

    // Readiness, then commands, scripts and (re-)subscriptions all work again. (A command sent while the
    // connection was down failed at once with StoreUnavailableError: see the outage test below.)
    await eventually('ping answers again', () =>
      store.ping().then(
        () => true,
        () => false,
      ),
    );
    await store.collection<{ v: number }>('shards').put('c1', { v: 1 });
    expect(await store.collection<{ v: number }>('shards').get('c1')).toEqual({ v: 1 });
    expect(await store.leases.acquire('leader', 'me', 60_000)).toBe(true);
    await eventually('subscription was restored', async () => {
      await store.publish('topic', 'still there?');
      return messages.length > 0;
    });
    await unsubscribe();
    await tail.stop();
  });

  it('during an outage, ping rejects at once instead of waiting for the reconnect', async () => {
    const server = await privateRedisForTests();
    const outages: unknown[] = [];
    await using store = await createRedisStore({
      url: server.url,
      keyPrefix: server.keyPrefix(),
      onError: (error) => outages.push(error),
    });
    await store.ping();
    await server.dispose();
    // Without the status check this PING would sit in ioredis's offline queue and never settle here.
    await eventually('ping reported the outage', () =>
      store.ping().then(
        () => false,
        () => true,
      ),
    );
    await eventually('reconnect failures were reported', () => outages.length > 0);
    // Every command fails at once with one error type (REST answers 503 + Retry-After), never hangs.
    await expect(store.collection('shards').put('c1', { v: 1 })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    await expect(store.eventLog('changes').append({ n: 1 })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.leases.acquire('leader', 'me', 1_000)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.publish('topic', 'x')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('rejects at creation, naming the target, when Redis cannot be reached', async () => {
    await expect(createRedisStore({ url: 'redis://:secret@127.0.0.1:1', keyPrefix: 'x:' })).rejects.toThrow(
      /cannot connect to Redis \(redis:\/\/\*\*\*@127\.0\.0\.1:1\): .*ECONNREFUSED/,
    );
  });

  it('connects through Sentinel to the monitored master', async () => {
    const sentinel = await sentinelForTests(redis.url);
    try {
      const keyPrefix = redis.keyPrefix();
      await using viaSentinel = await createRedisStore({
        sentinels: sentinel.sentinels,
        sentinelName: sentinel.name,
        // The database of REDIS_URL: Sentinel hands out the master's address only, never a database.
        db: redis.db,
        keyPrefix,
      });
      await using direct = await createRedisStore({ url: redis.url, keyPrefix });
      await viaSentinel.collection<{ v: number }>('shards').put('c1', { v: 1 });
      expect(await direct.collection<{ v: number }>('shards').get('c1')).toEqual({ v: 1 });
    } finally {
      await sentinel.dispose();
    }
  });

  it.each(['redis', 'memory'])(
    'a disposed %s store leaves nothing running: its process exits',
    async (kind) => {
      const script = fileURLToPath(new URL('./testdata/dispose-exits.ts', import.meta.url));
      const child = spawn(process.execPath, ['--import', 'tsx', script, kind, redis.url, redis.keyPrefix()], {
        // `--import tsx` resolves from the working directory: the repository root.
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // The bound only turns a hang into a failure; a clean run exits as soon as the work is done.
      const hung = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.once('exit', (c, s) => resolve([c, s])),
      );
      clearTimeout(hung);
      expect({ code, signal, output }).toEqual({ code: 0, signal: null, output: `disposed ${kind}\n` });
    },
  );
});
