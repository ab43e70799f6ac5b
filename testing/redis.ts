/**
 * A Redis for tests. With REDIS_URL set (CI, a developer's running Redis) tests share that server
 * and stay apart by key prefix; otherwise each caller gets a private, throw-away redis-server on a
 * free loopback port (no persistence), so `npx vitest run` needs nothing but the binary on PATH.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface TestRedis {
  url: string;
  /**
   * The database index of `url` (`redis://host:port/9` → 9; 0 without one). Clients that are not built from
   * `url` (Sentinel) must select it too, so tests write only where they clean up.
   */
  db: number;
  /** A fresh prefix (`nwtest:<random>:`) per call; keys under it are deleted by dispose(). */
  keyPrefix(): string;
  dispose(): Promise<void>;
}

export async function redisForTests(): Promise<TestRedis> {
  const shared = process.env['REDIS_URL'];
  return shared ? sharedRedis(shared) : privateRedis();
}

/**
 * Always a private redis-server, even when REDIS_URL is set: for tests that stop the server under
 * a running client (outages), which must never happen to a shared one.
 */
export function privateRedisForTests(): Promise<TestRedis> {
  return privateRedis();
}

function newPrefix(): string {
  return `nwtest:${randomBytes(6).toString('hex')}:`;
}

/** The database index of a redis:// URL: its path (`/9`), 0 when absent. */
export function databaseOf(url: string): number {
  const path = new URL(url).pathname.replace(/^\//, '');
  if (path === '') return 0;
  const db = Number(path);
  if (!Number.isInteger(db) || db < 0) throw new Error(`REDIS_URL names no database index: ${url}`);
  return db;
}

function sharedRedis(url: string): TestRedis {
  const handedOut: string[] = [];
  return {
    url,
    db: databaseOf(url),
    keyPrefix() {
      const prefix = newPrefix();
      handedOut.push(prefix);
      return prefix;
    },
    async dispose() {
      const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await admin.connect();
        for (const prefix of handedOut) await deleteUnder(admin, prefix);
      } finally {
        admin.disconnect();
      }
    },
  };
}

async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

function spawnRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

async function privateRedis(): Promise<TestRedis> {
  const { port, child } = await startOnFreePort();
  return {
    url: `redis://127.0.0.1:${port}`,
    db: 0,
    keyPrefix: newPrefix,
    dispose: () => stop(child),
  };
}

async function startOnFreePort(): Promise<{ port: number; child: ChildProcess }> {
  // The port is free when probed and taken a moment later; another process may win that race.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawnRedis(port);
    try {
      await untilReady(child, port, 'Ready to accept connections');
      return { port, child };
    } catch (error) {
      lastError = error;
      await stop(child);
    }
  }
  throw lastError;
}

/** A private redis-server that a test stops and starts again, empty, on the same port (store outages). */
export interface RestartableRedis extends TestRedis {
  /** Stops the server (SIGTERM); clients see connection refused. */
  stop(): Promise<void>;
  /** Starts a fresh, empty server on the same port. */
  start(): Promise<void>;
}

export async function restartableRedisForTests(): Promise<RestartableRedis> {
  const first = await startOnFreePort();
  const { port } = first;
  let child: ChildProcess | undefined = first.child;
  return {
    url: `redis://127.0.0.1:${port}`,
    db: 0,
    keyPrefix: newPrefix,
    async stop() {
      if (child !== undefined) await stop(child);
      child = undefined;
    },
    async start() {
      if (child !== undefined) return;
      const next = spawnRedis(port);
      await untilReady(next, port, 'Ready to accept connections');
      child = next;
    },
    async dispose() {
      if (child !== undefined) await stop(child);
      child = undefined;
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP address for the probe server');
  return address.port;
}

/** Resolves when the server logs `readyLine`; rejects when it exits first or takes > 10s. */
export function untilReady(child: ChildProcess, port: number, readyLine: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error('redis-server did not start within 10s')), 10_000);
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4_000);
      if (output.includes(readyLine)) {
        cleanup();
        resolve();
      }
    };
    const onExit = (): void => fail(new Error(`redis-server exited`));
    const onError = (error: Error): void => fail(error);
    function fail(error: Error): void {
      cleanup();
      reject(new Error(`redis-server on port ${port}: ${error.message}\n${output}`, { cause: error }));
    }
    function cleanup(): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    // Keep draining both pipes for the server's whole life, so it can never block on a full pipe.
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

export interface TestSentinel {
  sentinels: Array<{ host: string; port: number }>;
  /** The master name the sentinel monitors (unique per call, so shared servers do not clash). */
  name: string;
  dispose(): Promise<void>;
}

/**
 * A single Sentinel (quorum 1) monitoring the Redis at `masterUrl`, for tests of the Sentinel
 * connection path. It never fails over in a test's lifetime; failover is Redis's job, not ours.
 */
export async function sentinelForTests(masterUrl: string): Promise<TestSentinel> {
  const master = new URL(masterUrl);
  const name = `nwtest-${randomBytes(4).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'nwtest-sentinel-'));
  const port = await freePort();
  // Sentinel rewrites its config file, so it must be a writable file of its own.
  const config = join(dir, 'sentinel.conf');
  await writeFile(
    config,
    `port ${port}\nbind 127.0.0.1\nsentinel monitor ${name} ${master.hostname} ${master.port || '6379'} 1\n`,
  );
  const child = spawn('redis-server', [config, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await untilReady(child, port, `+monitor master ${name}`);
  } catch (error) {
    await stop(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    sentinels: [{ host: '127.0.0.1', port }],
    name,
    async dispose() {
      await stop(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
