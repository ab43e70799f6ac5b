import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { STALLED_INTERVALS, keepAlive } from './ws-keepalive.ts';

const INTERVAL = 100;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A ws server with the keep-alive under test; resolves each server-side socket as it connects. */
async function server(interval = INTERVAL): Promise<{ url: string; next(): Promise<WebSocket> }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const sockets: WebSocket[] = [];
  const waiting: Array<(socket: WebSocket) => void> = [];
  wss.on('connection', (socket) => {
    keepAlive(socket, interval);
    const waiter = waiting.shift();
    if (waiter !== undefined) waiter(socket);
    else sockets.push(socket);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    http.close();
  });
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
    next: () =>
      new Promise((resolve) => (sockets.length > 0 ? resolve(sockets.shift()!) : waiting.push(resolve))),
  };
}

/** Sends to a subscriber that does not read until the kernel's buffers are full and ws holds the rest. */
async function backlog(socket: WebSocket): Promise<number> {
  const chunk = Buffer.alloc(256 * 1024, 120);
  let sent = 0;
  while (socket.bufferedAmount < 1024 * 1024 && sent < 256) {
    socket.send(chunk);
    sent += 1;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return sent;
}

const closed = (socket: WebSocket): Promise<void> =>
  new Promise((resolve) =>
    socket.readyState === socket.CLOSED ? resolve() : socket.once('close', () => resolve()),
  );

describe('graphql-ws keep-alive (router/ws-keepalive.ts)', () => {
  it('terminates a peer that answers no ping', async () => {
    const { url, next } = await server();
    const client = new WebSocket(url, { autoPong: false });
    cleanups.push(() => client.terminate());
    const socket = await next();
    const started = Date.now();
    await closed(socket);
    // One interval to the first ping, then one or two more before it is overdue.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * INTERVAL - 20);
  });

  it('keeps a subscriber that reads slowly: the wait for its pong starts when the ping could be written', async () => {
    // A longer interval than the other cases: the paused phase must end after graphql-ws's own policy would have
    // cut the socket (ping + 1 interval) and well before the stall bound (ping + 3 intervals), even when a loaded
    // machine delays timers by a few hundred ms.
    const interval = 400;
    const { url, next } = await server(interval);
    const client = new WebSocket(url);
    cleanups.push(() => client.terminate());
    await new Promise((resolve) => client.once('open', resolve));
    const socket = await next();
    let received = 0;
    client.on('message', () => (received += 1));
    // The subscriber stops reading for 2.5 intervals while a backlog is sent to it (more than the kernel buffers
    // hold): the first ping waits behind the backlog, unwritten, until the subscriber reads again.
    const raw = (client as unknown as { _socket: Socket })._socket;
    raw.pause();
    const sent = await backlog(socket);
    await sleep(2.5 * interval);
    expect(socket.readyState).toBe(socket.OPEN);
    raw.resume();
    for (let i = 0; i < 100 && received < sent; i++) await sleep(interval / 4);
    await sleep(2 * interval);
    expect(received).toBe(sent);
    expect(socket.readyState).toBe(socket.OPEN);
  });

  it('terminates a subscriber that reads nothing for longer', async () => {
    const { url, next } = await server();
    const client = new WebSocket(url);
    cleanups.push(() => client.terminate());
    await new Promise((resolve) => client.once('open', resolve));
    const socket = await next();
    (client as unknown as { _socket: Socket })._socket.pause();
    const started = Date.now();
    await backlog(socket);
    await closed(socket);
    expect(Date.now() - started).toBeGreaterThanOrEqual(STALLED_INTERVALS * INTERVAL);
  });
});
