/**
 * Event pipeline benchmark (`npx tsx bench/notifier.bench.ts [--store redis|memory] [--seconds 3]`):
 *
 * 1. change → webhook: inventory change events appended to the global log at rising rates, fanned out to
 *    100 subscriptions and delivered to a webhook receiver in another process; latency from append to receipt
 *    (p50/p99/max), delivered throughput, and whether anything was lost.
 * 2. graphql-ws fan-out: 1,000 graphql-ws subscribers of `inventoryChanged` through the router; time from the
 *    append of one event to the last subscriber receiving it.
 *
 * Prints a Markdown section for docs/benchmarks.md. Measures; asserts nothing.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startGateway } from '../cli/gateway.ts';
import { parseGatewayConfig } from '../common/config.ts';
import { createLogger } from '../common/log.ts';
import { INVENTORY_EVENT_LOG } from '../o2/events.ts';
import type { InventoryChangeEvent } from '../o2/events.ts';
import { startNotifier } from '../notifier/notifier.ts';
import { FANOUT_LEASE, deliveryLeaseName } from '../notifier/queues.ts';
import { changeEvent, resourceState, subscribe } from '../testing/notifier-events.ts';
import { createMemoryStore } from '../state/memory-store.ts';
import { createRedisStore } from '../state/redis-store.ts';
import type { StateStore } from '../state/store.ts';
import type { StoredSubscription } from '../notifier/subscriptions/repository.ts';
import { redisForTests } from '../testing/redis.ts';
import type { TestRedis } from '../testing/redis.ts';

const SINK = fileURLToPath(new URL('./webhook-sink.ts', import.meta.url));
const SUBSCRIPTIONS = 100;
const RATES = [10, 25, 100, 250, 500];
const WS_SUBSCRIBERS = 1_000;
const WS_ROUNDS = 20;

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'redis' },
    seconds: { type: 'string', default: '3' },
    rates: { type: 'string', default: RATES.join(',') },
    only: { type: 'string' },
  },
});
const storeKind = values.store === 'memory' ? 'memory' : 'redis';
const seconds = Number(values.seconds);
let redis: TestRedis | undefined;

async function openStore(): Promise<StateStore> {
  if (storeKind === 'memory') return createMemoryStore();
  redis ??= await redisForTests();
  return createRedisStore({ url: redis.url, keyPrefix: redis.keyPrefix() });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(50);
  }
  return false;
}

async function startSink(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', () => reject(new Error('webhook sink exited')));
  });
  return { port, child };
}

function nodeEvent(): InventoryChangeEvent {
  const id = randomUUID();
  return changeEvent('RESOURCE', id, null, resourceState(id, { bench: 'yes' }));
}

interface WebhookRun {
  readonly rate: number;
  readonly events: number;
  readonly expected: number;
  readonly delivered: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly throughput: number;
  readonly drainMs: number;
}

async function webhookRun(rate: number): Promise<WebhookRun> {
  const store = await openStore();
  const sink = await startSink();
  const subscriptions: StoredSubscription[] = [];
  for (let i = 0; i < SUBSCRIPTIONS; i++)
    subscriptions.push(await subscribe(store, `http://127.0.0.1:${sink.port}/sub/${i}`));
  const config = parseGatewayConfig({
    subscriptions: {
      probe: { enabled: false },
      callbacks: { requireHttps: false, allowLoopback: true },
      delivery: { signingSecret: 'bench-signing-secret-of-32-characters!', leaseTtlMs: 5_000 },
    },
  }).subscriptions;
  const notifier = await startNotifier({ store, config, publicUrl: () => 'https://gateway.example' });
  await until(async () => {
    const held = await Promise.all(
      subscriptions.map((s) => store.leases.holder(deliveryLeaseName(s.subscriptionId))),
    );
    return held.every((h) => h !== undefined) && (await store.leases.holder(FANOUT_LEASE)) !== undefined;
  }, 30_000);

  const log = store.eventLog<InventoryChangeEvent>(INVENTORY_EVENT_LOG, { maxLength: 100_000 });
  // Warm-up (JIT, connection pools): a few events, fully delivered and then forgotten by the sink.
  const warmUp = 20;
  for (let i = 0; i < warmUp; i++) {
    await log.append(nodeEvent());
    await sleep(20);
  }
  let warmed = 0;
  await until(async () => {
    warmed += ((await (await fetch(`http://127.0.0.1:${sink.port}/stats`)).json()) as unknown[]).length;
    return warmed >= warmUp * SUBSCRIPTIONS;
  }, 120_000);
  const appendedAt = new Map<string, number>();
  const total = rate * seconds;
  const tickMs = 10;
  const started = Date.now();
  let sent = 0;
  // Open-loop load: each tick appends what the schedule says is due, whatever the pipeline does.
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
    const batch: Promise<string>[] = [];
    while (sent < due) {
      const event = nodeEvent();
      appendedAt.set(event.eventId, Date.now());
      batch.push(log.append(event));
      sent++;
    }
    await Promise.all(batch);
    await sleep(tickMs);
  }
  const lastAppend = Date.now();

  const expected = total * SUBSCRIPTIONS;
  const latencies: number[] = [];
  const seen = new Set<string>();
  let lastReceived = 0;
  await until(async () => {
    const response = await fetch(`http://127.0.0.1:${sink.port}/stats`);
    const records = (await response.json()) as Array<[number, string, string]>;
    for (const [at, path, eventId] of records) {
      const key = `${path} ${eventId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const appended = appendedAt.get(eventId);
      if (appended !== undefined) latencies.push(at - appended);
      lastReceived = Math.max(lastReceived, at);
    }
    return seen.size >= expected;
  }, 180_000);
  latencies.sort((a, b) => a - b);
  await notifier.stop();
  sink.child.kill('SIGTERM');
  await store.dispose();
  return {
    rate,
    events: total,
    expected,
    delivered: seen.size,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    throughput: Math.round(seen.size / ((lastReceived - started) / 1000)),
    drainMs: lastReceived - lastAppend,
  };
}

interface WsRun {
  readonly subscribers: number;
  readonly connectMs: number;
  readonly firstP50: number;
  readonly lastP50: number;
  readonly lastP99: number;
  readonly lastMax: number;
  readonly missing: number;
}

async function graphqlWsRun(): Promise<WsRun> {
  const store = await openStore();
  const logger = createLogger('silent');
  const gateway = await startGateway(
    parseGatewayConfig({ listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' }),
    {
      store,
      logger,
    },
  );
  const log = store.eventLog<InventoryChangeEvent>(INVENTORY_EVENT_LOG);
  const arrivals = new Map<string, number[]>();
  const now = (await log.latestCursor()) ?? '0';
  const clients: Client[] = [];
  const connectStarted = Date.now();
  for (let i = 0; i < WS_SUBSCRIBERS; i++) {
    const client = createClient({
      url: `${gateway.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
    });
    clients.push(client);
    client.subscribe<{ inventoryChanged: { eventId: string } }>(
      { query: `subscription { inventoryChanged(after: "${now}") { eventId cursor } }` },
      {
        next: (result) => {
          const id = result.data?.inventoryChanged.eventId;
          if (id === undefined) return;
          const list = arrivals.get(id) ?? [];
          list.push(Date.now());
          arrivals.set(id, list);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }
  // Warm-up: every subscriber has its stream open once it received this event.
  const warm = nodeEvent();
  await log.append(warm);
  await until(() => (arrivals.get(warm.eventId)?.length ?? 0) >= WS_SUBSCRIBERS, 120_000);
  const connectMs = Date.now() - connectStarted;

  const first: number[] = [];
  const last: number[] = [];
  let missing = 0;
  for (let round = 0; round < WS_ROUNDS; round++) {
    const event = nodeEvent();
    const t0 = Date.now();
    await log.append(event);
    const complete = await until(() => (arrivals.get(event.eventId)?.length ?? 0) >= WS_SUBSCRIBERS, 30_000);
    const times = arrivals.get(event.eventId) ?? [];
    if (!complete) missing += WS_SUBSCRIBERS - times.length;
    first.push(Math.min(...times) - t0);
    last.push(Math.max(...times) - t0);
    await sleep(100);
  }
  first.sort((a, b) => a - b);
  last.sort((a, b) => a - b);
  await Promise.all(clients.map((c) => c.dispose()));
  await gateway.close();
  await store.dispose();
  return {
    subscribers: WS_SUBSCRIBERS,
    connectMs,
    firstP50: percentile(first, 50),
    lastP50: percentile(last, 50),
    lastP99: percentile(last, 99),
    lastMax: last.at(-1) ?? Number.NaN,
    missing,
  };
}

/**
 * Baseline: what this machine's HTTP stack sustains at all — 100 keep-alive loops (one per subscription)
 * POSTing a notification-sized body to the same receiver process, no notifier. Deliveries cannot beat it.
 */
async function httpBaseline(): Promise<number> {
  const sink = await startSink();
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const body = JSON.stringify({ notificationId: randomUUID(), postObjectState: nodeEvent().postObjectState });
  const end = Date.now() + seconds * 1000;
  let done = 0;
  const loop = async (i: number): Promise<void> => {
    while (Date.now() < end) {
      await new Promise<void>((resolve) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: sink.port,
            path: `/sub/${i}`,
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        );
        req.end(body);
      });
      done++;
    }
  };
  await Promise.all(Array.from({ length: SUBSCRIPTIONS }, (_, i) => loop(i)));
  agent.destroy();
  sink.child.kill('SIGTERM');
  return Math.round(done / seconds);
}

const webhookRuns: WebhookRun[] = [];
const rates = values.rates.split(',').map(Number);
const loadAtStart = loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');
const baseline = values.only === 'ws' ? undefined : await httpBaseline();
for (const rate of values.only === 'ws' ? [] : rates) {
  process.stderr.write(`webhooks: ${rate} events/s × ${SUBSCRIPTIONS} subscriptions for ${seconds} s…\n`);
  webhookRuns.push(await webhookRun(rate));
}
process.stderr.write(`graphql-ws: ${WS_SUBSCRIBERS} subscribers…\n`);
const ws = values.only === 'webhooks' ? undefined : await graphqlWsRun();
await redis?.dispose();

const cpu = cpus();
const lines = [
  `### ${new Date().toISOString().slice(0, 10)} — ${storeKind} store, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, load average ${loadAtStart} at start`,
  '',
  ...(baseline === undefined
    ? []
    : [
        `Baseline (same run): ${baseline} requests/s — plain Node HTTP, ${SUBSCRIPTIONS} keep-alive loops POSTing a notification-sized body to the same receiver, no notifier. No delivery rate can exceed it on this machine.`,
        '',
      ]),
  `Change (event appended to the global log) → webhook received, ${SUBSCRIPTIONS} subscriptions, open-loop load for ${seconds} s per rate after a warm-up, receiver in a separate process, signed deliveries:`,
  '',
  '| events/s | events | deliveries expected | delivered | p50 ms | p99 ms | max ms | delivered/s | drain after last append ms |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...webhookRuns.map(
    (r) =>
      `| ${r.rate} | ${r.events} | ${r.expected} | ${r.delivered} | ${r.p50} | ${r.p99} | ${r.max} | ${r.throughput} | ${r.drainMs} |`,
  ),
  '',
  ...(ws === undefined
    ? []
    : [
        `graphql-ws fan-out through the router, ${ws.subscribers} subscribers of \`inventoryChanged\` (clients in the gateway's process), ${WS_ROUNDS} events:`,
        '',
        '| subscribers | connect + first event ms | append → first subscriber p50 ms | append → last subscriber p50 ms | p99 ms | max ms | missing |',
        '|---:|---:|---:|---:|---:|---:|---:|',
        `| ${ws.subscribers} | ${ws.connectMs} | ${ws.firstP50} | ${ws.lastP50} | ${ws.lastP99} | ${ws.lastMax} | ${ws.missing} |`,
        '',
      ]),
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(0);
