/**
 * Run as its own process by redis-store.test.ts: uses every kind of connection and timer a store
 * can hold (tail, subscription, blocking claim in flight, pooled connections), disposes the store,
 * and then simply ends. If dispose left a socket or timer behind, the process would not exit.
 *
 *   node --import tsx state/testdata/dispose-exits.ts <memory|redis> [redis-url] [key-prefix]
 */
import { createStateStore } from '../index.ts';

const [kind, url, keyPrefix] = process.argv.slice(2);
const store =
  kind === 'redis'
    ? await createStateStore({ kind: 'redis', url: url ?? '', keyPrefix: keyPrefix ?? '' })
    : await createStateStore({ kind: 'memory' });

const log = store.eventLog<{ n: number }>('changes');
await log.ensureGroup('webhooks', '0');
await log.append({ n: 1 });
await store.collection<{ v: number }>('shards').put('c1', { v: 1 });
await store.leases.acquire('leader', 'me', 60_000);
let seen = 0;
const tail = log.tail(undefined, (entries) => {
  seen += entries.length;
});
await store.subscribe('topic', () => undefined);
await log.claimNext('webhooks', 'me', { count: 10, blockMs: 1_000 });
const blocked = log.claimNext('webhooks', 'me', { count: 10, blockMs: 60_000 });
while (seen < 1) await new Promise((resolve) => setTimeout(resolve, 5));

await store.dispose();
await blocked;
await tail.stop();
process.stdout.write(`disposed ${store.kind}\n`);
