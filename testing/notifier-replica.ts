/**
 * A gateway-like process that runs only the notifier against Redis, for failover tests: the test spawns two
 * of these with tsx and kills one with SIGKILL. Settings come from the environment; it prints "ready" once
 * the notifier runs and stops on SIGTERM.
 *
 *   REDIS_URL, NETWEAVE_KEY_PREFIX, NETWEAVE_REPLICA_ID, NETWEAVE_LEASE_TTL_MS, NETWEAVE_WEBHOOK_SECRET
 */
import { parseGatewayConfig } from '../common/config.ts';
import { startNotifier } from '../notifier/notifier.ts';
import { createRedisStore } from '../state/redis-store.ts';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

const store = await createRedisStore({
  url: required('REDIS_URL'),
  keyPrefix: required('NETWEAVE_KEY_PREFIX'),
});
const config = parseGatewayConfig({
  subscriptions: {
    probe: { enabled: false },
    callbacks: { requireHttps: false, allowLoopback: true },
    delivery: {
      leaseTtlMs: Number(process.env['NETWEAVE_LEASE_TTL_MS'] ?? '1500'),
      initialBackoffMs: 20,
      maxBackoffMs: 200,
      maxAttempts: 1_000,
      timeoutMs: 2_000,
      ...(process.env['NETWEAVE_WEBHOOK_SECRET'] === undefined
        ? {}
        : { signingSecret: process.env['NETWEAVE_WEBHOOK_SECRET'] }),
    },
  },
});
const notifier = await startNotifier({
  store,
  config: config.subscriptions,
  publicUrl: () => 'https://gateway.example',
  replicaId: required('NETWEAVE_REPLICA_ID'),
  scanIntervalMs: 200,
  pollMs: 200,
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void notifier
    .stop()
    .then(() => store.dispose())
    .then(() => process.exit(0));
});
