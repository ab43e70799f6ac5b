/**
 * A real Redis HA set for failover tests: a master, one replica and one Sentinel (quorum 1) with short
 * timeouts, each a private redis-server on a free loopback port. `killMaster()` SIGKILLs the master so the
 * Sentinel promotes the replica, as in a production failover.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, stop, untilReady } from './redis.ts';

export interface RedisFailoverSet {
  readonly sentinels: Array<{ host: string; port: number }>;
  readonly name: string;
  /** Waits until the replica has every write the master acknowledged. */
  syncReplica(): Promise<void>;
  /** SIGKILLs the current master; resolves when the Sentinel reports the replica promoted. */
  killMaster(): Promise<void>;
  dispose(): Promise<void>;
}

async function startServer(
  dir: string,
  args: string[],
  readyLine: string,
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  // Each server gets its own directory: a replica writes the RDB it receives from the master there.
  const serverDir = join(dir, String(port));
  await mkdir(serverDir);
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      serverDir,
      ...args,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await untilReady(child, port, readyLine);
  return { child, port };
}

export async function redisFailoverSet(): Promise<RedisFailoverSet> {
  const name = `nwfail-${randomBytes(4).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'nwtest-failover-'));
  const master = await startServer(dir, [], 'Ready to accept connections');
  const replica = await startServer(
    dir,
    ['--replicaof', '127.0.0.1', String(master.port)],
    'MASTER <-> REPLICA sync: Finished with success',
  );
  const sentinelPort = await freePort();
  const config = join(dir, 'sentinel.conf');
  await writeFile(
    config,
    [
      `port ${sentinelPort}`,
      'bind 127.0.0.1',
      `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${name} 500`,
      `sentinel failover-timeout ${name} 2000`,
      '',
    ].join('\n'),
  );
  const sentinel = spawn('redis-server', [config, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await untilReady(sentinel, sentinelPort, `+monitor master ${name}`);
  const children = [master.child, replica.child, sentinel];

  return {
    sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
    name,
    async syncReplica() {
      const client = new Redis({ port: master.port, host: '127.0.0.1', lazyConnect: true });
      try {
        await client.connect();
        await client.call('WAIT', '1', '2000');
      } finally {
        client.disconnect();
      }
    },
    async killMaster() {
      master.child.kill('SIGKILL');
      const client = new Redis({ port: sentinelPort, host: '127.0.0.1' });
      try {
        for (let attempt = 0; attempt < 200; attempt++) {
          const address = (await client.call('SENTINEL', 'get-master-addr-by-name', name)) as
            [string, string] | null;
          if (address && Number(address[1]) === replica.port) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('the Sentinel did not promote the replica');
      } finally {
        client.disconnect();
      }
    },
    async dispose() {
      await Promise.all(
        children.map((c) => (c.exitCode === null && c.signalCode === null ? stop(c) : Promise.resolve())),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
}
