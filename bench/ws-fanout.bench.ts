/**
 * graphql-ws fan-out benchmark (`npm run bench -- ws-fanout`, or
 * `npx tsx bench/ws-fanout.bench.ts [--subscribers 2000] [--seconds 5] [--rates 10,20,40,80,160] [--only netweave]`):
 * the demo topology (3 simulated clusters, their subgraphs, one gateway) in this process; `subscribers`
 * graphql-ws clients in ANOTHER process (bench/ws-fanout-clients.ts), each subscribed through the router to the
 * live topology (`topologyChanged`, merged from the cluster subgraphs) and to the durable inventory stream
 * (`inventoryChanged`, the hub's tail of the event log).
 *
 * Events at rising rates, open loop, one stream at a time:
 *   topology   a node label changed in a simulated cluster (the Kubernetes API) → informer → cluster subgraph →
 *              router → every subscriber;
 *   inventory  an event appended to the global inventory log → the gateway's live tail → every subscriber.
 * Latency: from the change to the LAST subscriber receiving it (p50/p99 over the events of a rate), and the
 * first. Issue 16's target: 2,000 subscribers at 10 events/s with p99 ≤ 500 ms. The rates step up from the first
 * (10 events/s) while they are sustained — every subscriber got every event, p99 within the target, the last
 * event arrived within the target after the last change (no backlog building up) and the emitter kept ≥ 90 % of
 * the rate — so the last sustained rate is the highest one.
 *
 * Baseline, same run: a bare graphql-ws server in this process (bench/ws-fanout-baseline.ts) sending the same
 * payloads to the same clients' process: what this machine's graphql-ws stack costs without netweave. Writes the "graphql-ws fan-out" section of
 * docs/benchmarks.md. Measures; asserts nothing.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDemo } from '../cli/demo.ts';
import { createLogger } from '../common/log.ts';
import { INVENTORY_EVENT_LOG } from '../o2/events.ts';
import type { InventoryChangeEvent } from '../o2/events.ts';
import { changeEvent, typeState } from '../testing/notifier-events.ts';
import { startBaselineServer } from './ws-fanout-baseline.ts';
import { machineDescription, percentile, writeSection } from './report.ts';
import type { ClientsMessage } from './ws-fanout-clients.ts';

const CLIENTS = fileURLToPath(new URL('./ws-fanout-clients.ts', import.meta.url));
const SEQ_LABEL = 'bench-seq';
const TARGET_P99_MS = 500;

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '5' },
    rates: { type: 'string', default: '10,20,40,80,160' },
    /** `netweave` skips the baseline (for a CPU profile of the gateway alone); the report then has no baseline rows. */
    only: { type: 'string', default: 'both' },
  },
});
const subscribers = Number(values.subscribers);
const seconds = Number(values.seconds);
const rates = values.rates.split(',').map(Number);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Clients {
  readonly child: ChildProcess;
  readonly connectMs: number;
  /** Arrivals since the last call: key → [count, first, last]. */
  report(): Promise<Record<string, [number, number, number]>>;
  /** Sockets the clients saw closed so far (the server terminated them or the connection broke). */
  closed: number;
  stop(): Promise<void>;
}

async function startClients(url: string): Promise<Clients> {
  const child = fork(CLIENTS, [url, String(subscribers)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends ClientsMessage['type']>(type: T): Promise<Extract<ClientsMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: ClientsMessage): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<ClientsMessage, { type: T }>);
      };
      const onExit = (): void => reject(new Error('the clients process exited'));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const connected = await next('connected');
  const clients: Clients = {
    child,
    connectMs: connected.ms,
    closed: 0,
    async report() {
      const answer = next('arrivals');
      child.send('report');
      const message = await answer;
      clients.closed = message.closed;
      return message.arrivals;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await Promise.race([exited, sleep(10_000)]);
      child.kill('SIGKILL');
    },
  };
  return clients;
}

/** Arrivals per key accumulated over reports. */
class Tally {
  readonly byKey = new Map<string, [number, number, number]>();
  add(report: Record<string, [number, number, number]>): void {
    for (const [key, [count, first, last]] of Object.entries(report)) {
      const seen = this.byKey.get(key);
      if (seen === undefined) this.byKey.set(key, [count, first, last]);
      else this.byKey.set(key, [seen[0] + count, Math.min(seen[1], first), Math.max(seen[2], last)]);
    }
  }
  complete(key: string): boolean {
    return (this.byKey.get(key)?.[0] ?? 0) >= subscribers;
  }
}

type Stream = 'topology' | 'inventory';

interface RateRun {
  readonly target: 'netweave' | 'baseline';
  readonly stream: Stream;
  readonly rate: number;
  readonly events: number;
  readonly messagesExpected: number;
  readonly messagesReceived: number;
  readonly firstP50: number;
  readonly lastP50: number;
  readonly lastP99: number;
  readonly lastMax: number;
  readonly drainMs: number;
  /** Events per second actually emitted (the emitter shares the process with what it measures). */
  readonly emittedRate: number;
  /** Subscriber sockets closed during the run (none should be). */
  readonly socketsClosed: number;
  readonly sustained: boolean;
}

/** What the clients connect to, and how it emits one change of a stream (returns its key in the arrivals). */
interface Target {
  readonly name: RateRun['target'];
  readonly wsUrl: string;
  emit(stream: Stream): Promise<string>;
}

const machine = machineDescription();
const demo = await startDemo({
  port: 0,
  timeline: false,
  logger: createLogger('silent'),
  gateway: {
    logLevel: 'silent',
    graphql: { websocket: { maxSubscriptionsPerPrincipal: 10 * subscribers + 100 } },
  },
});
const [clusterId, cluster] = [...demo.clusters.entries()][0]!;
const nodes = cluster.objects.list('v1', 'Node');
const log = demo.gateway.store.eventLog<InventoryChangeEvent>(INVENTORY_EVENT_LOG);
let seq = 0;

const netweave: Target = {
  name: 'netweave',
  wsUrl: `${demo.gateway.url.replace('http', 'ws')}/graphql`,
  async emit(stream) {
    seq += 1;
    if (stream === 'topology') {
      const node = nodes[seq % nodes.length]!.metadata.name;
      cluster.objects.mergePatch('v1', 'Node', node, { metadata: { labels: { [SEQ_LABEL]: String(seq) } } });
      return `topology:${seq}`;
    }
    const event = changeEvent('RESOURCE_TYPE', randomUUID(), null, typeState(), clusterId);
    await log.append(event);
    return `inventory:${event.eventId}`;
  },
};

const baselineServer = await startBaselineServer();
const baseline: Target = {
  name: 'baseline',
  wsUrl: baselineServer.wsUrl,
  async emit(stream) {
    seq += 1;
    if (stream === 'topology') {
      // The same payload as netweave's: a node with its real labels.
      const node = nodes[seq % nodes.length]!;
      baselineServer.publish('topology', {
        name: node.metadata.name,
        node: { labels: { ...node.metadata.labels, [SEQ_LABEL]: String(seq) } },
      });
      return `topology:${seq}`;
    }
    const eventId = randomUUID();
    baselineServer.publish('inventory', { eventId });
    return `inventory:${eventId}`;
  },
};

interface Measured {
  readonly connectMs: number;
  readonly warmUpMs: number;
  readonly runs: RateRun[];
}

async function measure(target: Target): Promise<Measured> {
  process.stderr.write(`${target.name}: starting ${subscribers} graphql-ws clients in another process…\n`);
  const clients = await startClients(target.wsUrl);
  const tally = new Tally();
  // Warm-up: subscriptions open asynchronously (upstream streams too): emit until every subscriber got one of each.
  const warmStarted = Date.now();
  for (const stream of ['topology', 'inventory'] as const) {
    for (;;) {
      const key = await target.emit(stream);
      await sleep(500);
      tally.add(await clients.report());
      if (tally.complete(key)) break;
      if (Date.now() - warmStarted > 300_000) throw new Error(`the ${stream} subscribers never all received`);
    }
  }
  const warmUpMs = Date.now() - warmStarted;
  process.stderr.write(`connected in ${clients.connectMs} ms, every subscriber live after ${warmUpMs} ms\n`);

  async function rateRun(stream: Stream, rate: number): Promise<RateRun> {
    const sentAt = new Map<string, number>();
    const closedBefore = clients.closed;
    const total = Math.round(rate * seconds);
    const started = Date.now();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
      while (sent < due) {
        const at = Date.now();
        sentAt.set(await target.emit(stream), at);
        sent += 1;
      }
      await sleep(5);
    }
    const lastSent = Date.now();
    // The schedule puts the first event at 0 and the last at (total - 1) / rate.
    const emittedRate = (total - 1) / Math.max(0.001, (lastSent - started) / 1000);
    // Drain: until every subscriber has every event, or 30 s without progress.
    let lastProgress = Date.now();
    let received = 0;
    for (;;) {
      await sleep(200);
      tally.add(await clients.report());
      const now = [...sentAt.keys()].reduce((sum, key) => sum + (tally.byKey.get(key)?.[0] ?? 0), 0);
      if (now > received) lastProgress = Date.now();
      received = now;
      if (received >= total * subscribers || Date.now() - lastProgress > 30_000) break;
    }
    const first: number[] = [];
    const last: number[] = [];
    let lastArrival = 0;
    for (const [key, at] of sentAt) {
      const seen = tally.byKey.get(key);
      if (seen === undefined) continue;
      first.push(seen[1] - at);
      if (seen[0] >= subscribers) last.push(seen[2] - at);
      lastArrival = Math.max(lastArrival, seen[2]);
      tally.byKey.delete(key);
    }
    first.sort((a, b) => a - b);
    last.sort((a, b) => a - b);
    const drainMs = lastArrival - lastSent;
    const complete = received >= total * subscribers;
    const lastP99 = complete ? percentile(last, 99) : Number.NaN;
    return {
      target: target.name,
      stream,
      rate,
      events: total,
      messagesExpected: total * subscribers,
      messagesReceived: received,
      firstP50: percentile(first, 50),
      lastP50: percentile(last, 50),
      lastP99,
      lastMax: last.at(-1) ?? Number.NaN,
      drainMs,
      emittedRate,
      socketsClosed: clients.closed - closedBefore,
      sustained:
        complete && lastP99 <= TARGET_P99_MS && drainMs <= TARGET_P99_MS && emittedRate >= 0.9 * rate,
    };
  }

  const runs: RateRun[] = [];
  for (const stream of ['topology', 'inventory'] as const) {
    for (const rate of rates) {
      process.stderr.write(
        `${target.name} ${stream}: ${rate} events/s to ${subscribers} subscribers for ${seconds} s…\n`,
      );
      const run = await rateRun(stream, rate);
      process.stderr.write(`  ${JSON.stringify(run)}\n`);
      runs.push(run);
      await sleep(1_000);
      if (!run.sustained) break; // the next rate would only pile up more
    }
  }
  await clients.stop();
  return { connectMs: clients.connectMs, warmUpMs, runs };
}

const skipped: Measured = { connectMs: Number.NaN, warmUpMs: Number.NaN, runs: [] };
const measuredBaseline = values.only === 'netweave' ? skipped : await measure(baseline);
const measuredNetweave = values.only === 'baseline' ? skipped : await measure(netweave);
await baselineServer.close();
await demo.close();

const highest = (m: Measured, stream: Stream): number | undefined => {
  const ok = m.runs.filter((r) => r.stream === stream && r.sustained).map((r) => r.rate);
  return ok.length === 0 ? undefined : Math.max(...ok);
};
const rateText = (rate: number | undefined): string => (rate === undefined ? `< ${rates[0]}` : String(rate));
const row = (r: RateRun): string =>
  `| ${r.target} | ${r.stream} | ${r.rate} | ${r.emittedRate.toFixed(1)} | ${r.messagesReceived}/${r.messagesExpected} | ${r.socketsClosed} | ${r.firstP50} | ${r.lastP50} | ${Number.isNaN(r.lastP99) ? '—' : r.lastP99} | ${r.lastP99 <= TARGET_P99_MS ? 'yes' : 'no'} | ${r.lastMax} | ${r.drainMs} | ${r.sustained ? 'yes' : 'no'} |`;
const section = [
  `Command: \`npm run bench -- ws-fanout\` (\`npx tsx bench/ws-fanout.bench.ts --subscribers ${subscribers} --seconds ${seconds} --rates ${rates.join(',')}\`). Machine: ${machine}.`,
  '',
  `**netweave**: the demo topology (3 simulated clusters, their subgraphs and the gateway) in one process; ${subscribers} graphql-ws`,
  'clients (one socket each) in ANOTHER process (`bench/ws-fanout-clients.ts`), each subscribed through the router to',
  '`topologyChanged(kinds: [NODE])` (merged from the cluster subgraphs) and `inventoryChanged(objectKinds: [RESOURCE_TYPE])`',
  "(the hub's tail of the durable log). topology: a node label changed in a simulated cluster (its Kubernetes API) → informer →",
  "cluster subgraph → router → subscribers; inventory: an event appended to the inventory log → the gateway's live tail → subscribers.",
  '**baseline** (same run, same clients process): a bare graphql-ws server (`bench/ws-fanout-baseline.ts`: `graphql-ws` + `ws`, a',
  "schema of just these two fields, events published in memory) sending the same payloads — what this machine's graphql-ws stack",
  'costs without router, federation, store or Kubernetes.',
  `Latency from the change to the first and to the LAST subscriber; ${seconds} s of open-loop load per rate, rates stepped up`,
  `while sustained. Sustained: every subscriber got every event, change → last subscriber p99 ≤ ${TARGET_P99_MS} ms (the target), the`,
  `last event arrived ≤ ${TARGET_P99_MS} ms after the last change (no backlog growth), and the emitter kept ≥ 90 % of the rate.`,
  `Connect: baseline ${measuredBaseline.connectMs} ms, netweave ${measuredNetweave.connectMs} ms; every subscriber live after`,
  `${measuredBaseline.warmUpMs} / ${measuredNetweave.warmUpMs} ms more.`,
  '',
  `| target | stream | events/s | emitted/s | messages received | sockets closed | change → first p50 ms | change → last p50 ms | p99 ms | p99 ≤ ${TARGET_P99_MS} ms | max ms | drain after last change ms | sustained |`,
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|',
  ...measuredBaseline.runs.map(row),
  ...measuredNetweave.runs.map(row),
  '',
  ...(['topology', 'inventory'] as const).map(
    (stream) =>
      `Highest sustained rate, ${stream}: netweave ${rateText(highest(measuredNetweave, stream))} events/s, baseline ${rateText(highest(measuredBaseline, stream))} events/s (each event to ${subscribers} subscribers).`,
  ),
  `Target (issue 16): ${subscribers === 2000 ? '' : '2,000 subscribers; here '}${subscribers} subscribers at ${rates[0]} events/s, change → last subscriber p99 ≤ ${TARGET_P99_MS} ms: netweave ${(['topology', 'inventory'] as const).map((stream) => `${stream} ${highest(measuredNetweave, stream) !== undefined ? 'met' : 'NOT met'}`).join(', ')}.`,
];
process.stdout.write(`${section.join('\n')}\n`);
if (process.env['BENCH_NO_WRITE'] === undefined) writeSection('graphql-ws fan-out', section.join('\n'));
process.exit(0);
