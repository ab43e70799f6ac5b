/**
 * A graphql-ws subscriber for the README's DMS walk-through: holds the hub's `lcmEvents` subscription open on
 * the gateway's websocket endpoint and prints one line per DMS lifecycle event — the same events the SOL003
 * webhooks (scripts/lcm-receiver.ts) are sent from, here as a dashboard sees them.
 *
 *   npx tsx scripts/lcm-subscriber.ts [--url ws://127.0.0.1:8080/graphql] [--token <bearer>]
 *
 * It prints `subscribed` once the server acknowledged the subscription, then e.g.
 * `2026-… VnfLcmOperationOccurrenceNotification SCALE RESULT/COMPLETED vnfInstance=… vnfLcmOpOcc=…`.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const SUBSCRIPTION = `subscription {
  lcmEvents { notificationType occurredAt vnfInstanceId vnfLcmOpOccId operation notificationStatus operationState }
}`;

interface LcmEventLine {
  readonly notificationType: string;
  readonly occurredAt: string;
  readonly vnfInstanceId: string;
  readonly vnfLcmOpOccId?: string | null;
  readonly operation?: string | null;
  readonly notificationStatus?: string | null;
  readonly operationState?: string | null;
}

/** One line per event: what happened to which instance, through which occurrence. */
export function lineOf(event: LcmEventLine): string {
  const instance = `vnfInstance=${event.vnfInstanceId}`;
  if (event.vnfLcmOpOccId == null) return `${event.occurredAt} ${event.notificationType} ${instance}`;
  return `${event.occurredAt} ${event.notificationType} ${event.operation ?? '-'} ${event.notificationStatus ?? '-'}/${event.operationState ?? '-'} ${instance} vnfLcmOpOcc=${event.vnfLcmOpOccId}`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:8080/graphql' },
      token: { type: 'string' },
    },
  });
  const print = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const client = createClient({
    url: values.url,
    webSocketImpl: WebSocket,
    ...(values.token === undefined ? {} : { connectionParams: { authorization: `Bearer ${values.token}` } }),
    retryAttempts: 5,
    on: { connected: () => print('subscribed') },
  });
  client.subscribe<{ lcmEvents: LcmEventLine }>(
    { query: SUBSCRIPTION },
    {
      next: (result) => {
        if (result.errors !== undefined) print(`error ${JSON.stringify(result.errors)}`);
        if (result.data?.lcmEvents !== undefined) print(lineOf(result.data.lcmEvents));
      },
      error: (error) => {
        print(`error ${error instanceof Error ? error.message : JSON.stringify(error)}`);
        process.exitCode = 1;
      },
      complete: () => print('completed'),
    },
  );
  const stop = (): void => {
    void client.dispose();
    process.exit();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
