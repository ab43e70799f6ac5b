/**
 * A webhook receiver in its own process for bench/notifier.bench.ts (so receiving does not compete with the
 * notifier for the event loop). Answers 204 to everything, records (receivedAt, eventId) per POST, and
 * reports them on `GET /stats` (then forgets them). Prints its port on stdout.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let received: Array<[number, string, string]> = [];

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    const body = JSON.stringify(received);
    received = [];
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  req.resume();
  req.on('end', () => {
    if (req.method === 'POST')
      received.push([Date.now(), req.url ?? '', String(req.headers['x-netweave-event-id'])]);
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
