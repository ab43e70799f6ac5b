/**
 * Graceful shutdown of a real `netweave serve` child process (docs/operations.md "Shutdown and upgrades"):
 * on SIGTERM /readyz turns 503 while requests are still served, graphql-ws clients get 1012 (Service
 * Restart), a request in flight (held by a slow cluster) completes with its answer, and the process exits 0.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startServeProcess } from '../../testing/demo-process.ts';

/** A cluster subgraph stand-in that holds resourcePools queries until released; anything else answers at once. */
interface HeldShard {
  readonly url: string;
  readonly held: ServerResponse[];
  release(): void;
  close(): Promise<void>;
}

async function startHeldShard(): Promise<HeldShard> {
  const held: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (body.includes('resourcePools')) held.push(res);
      else res.end(JSON.stringify({ data: { __typename: 'Query' } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    held,
    release() {
      for (const res of held.splice(0)) res.end(JSON.stringify({ data: { resourcePools: [] } }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

let shard: HeldShard;
let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  shard = await startHeldShard();
  dir = mkdtempSync(join(tmpdir(), 'netweave-drain-'));
});

afterAll(async () => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  await shard?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('graceful shutdown (SIGTERM)', () => {
  it('turns readiness false, closes graphql-ws with 1012, finishes the request in flight, exits 0', async () => {
    const config = join(dir, 'gateway.yaml');
    writeFileSync(
      config,
      [
        'listen: { host: 127.0.0.1, port: 0 }',
        'auth: { mode: development }',
        'logLevel: info',
        // Long enough for the test to see /readyz 503 while the listener is still open.
        'shutdown: { readinessDelayMs: 3000, gracePeriodMs: 60000 }',
        `clusters: [{ clusterId: edge-1, url: "${shard.url}", wsUrl: "${shard.url.replace('http', 'ws')}" }]`,
      ].join('\n'),
    );
    const serve = await startServeProcess(config);
    const started = serve.child;
    child = started;
    const { url } = serve;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    // A graphql-ws session.
    const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const closed = once(socket, 'close') as Promise<[number, Buffer]>;
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await once(socket, 'message');

    // A request in flight: the cluster holds it.
    const inFlight = fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ resourcePools { resourcePoolId } }' }),
    });
    await vi.waitFor(() => expect(shard.held.length).toBe(1), { timeout: 15_000 });

    started.kill('SIGTERM');
    await vi.waitFor(
      async () => {
        const ready = await fetch(`${url}/readyz`);
        expect(ready.status).toBe(503);
      },
      { timeout: 2_500, interval: 50 },
    );
    const [code, reason] = await closed;
    expect(code).toBe(1012);
    expect(reason.toString()).toBe('Service Restart');
    expect(started.exitCode).toBeNull(); // still waiting for the request in flight

    shard.release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { resourcePools: [] } });
    expect(await serve.exited, serve.output()).toBe(0);
    const output = serve.output();
    expect(output).toContain('shutting down: readiness is false');
    expect(output).toContain('shutting down: waiting for requests in flight');
  }, 120_000);
});
