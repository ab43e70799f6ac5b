/**
 * A webhook receiver for the README's DMS walk-through: prints every SOL003 LCM (and VNF FM) notification
 * netweave delivers, one line each (and the whole body with --full), and answers 204. It also answers the GET that
 * netweave sends to a callbackUri when a subscription is created (SOL003 requires 204, else the subscription
 * is refused with 422).
 *
 *   npx tsx scripts/lcm-receiver.ts [--port 9999] [--host 127.0.0.1] [--full]
 *
 * then subscribe `http://127.0.0.1:9999/lcm` (any path) on `/o2dms/vnflcm/v2/subscriptions`. The demo's
 * callback policy accepts loopback http callbacks (cli/netweave.ts); a production gateway does not.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface LcmReceiver {
  readonly url: string;
  close(): Promise<void>;
}

export interface LcmReceiverOptions {
  readonly port: number;
  readonly host?: string;
  /** Print each notification's whole JSON body after its summary line. */
  readonly full?: boolean;
  readonly print: (line: string) => void;
  /** Largest notification read (a callback URL is reachable by anyone who knows it). */
  readonly maxBodyBytes?: number;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '-');

/** One line per notification: what happened to which instance, and through which occurrence. */
export function summaryOf(notification: Record<string, unknown>): string {
  const type = text(notification['notificationType']);
  const instance = `vnfInstance=${text(notification['vnfInstanceId'])}`;
  // SOL003 fault management (vnffm/v1 subscriptions): the alarm and the instance it is about.
  const alarm = notification['alarm'] as Record<string, unknown> | undefined;
  if (type === 'AlarmNotification' && alarm !== undefined)
    return `${text(notification['timeStamp'])} ${type} ${text(alarm['faultType'])} ${text(alarm['perceivedSeverity'])} ${text(alarm['ackState'])} vnfInstance=${text(alarm['managedObjectId'])} alarm=${text(alarm['id'])}`;
  if (type === 'AlarmClearedNotification')
    return `${text(notification['timeStamp'])} ${type} alarm=${text(notification['alarmId'])}`;
  if (type !== 'VnfLcmOperationOccurrenceNotification')
    return `${text(notification['timeStamp'])} ${type} ${instance}`;
  const error = notification['error'] as { detail?: unknown } | undefined;
  return [
    text(notification['timeStamp']),
    type,
    text(notification['operation']),
    `${text(notification['notificationStatus'])}/${text(notification['operationState'])}`,
    instance,
    `vnfLcmOpOcc=${text(notification['vnfLcmOpOccId'])}`,
    ...(error === undefined ? [] : [`error: ${text(error.detail)}`]),
  ].join(' ');
}

export async function startLcmReceiver(options: LcmReceiverOptions): Promise<LcmReceiver> {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET') {
      options.print(`${new Date().toISOString()} callback test GET ${req.url ?? ''} → 204`);
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        options.print(`${new Date().toISOString()} a POST that is not a JSON object → 400`);
        res.writeHead(400).end();
        return;
      }
      const notification = body as Record<string, unknown>;
      options.print(summaryOf(notification));
      if (options.full) options.print(JSON.stringify(notification, null, 2));
      res.writeHead(204).end();
    });
  });
  server.listen(options.port, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}/lcm`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9999' },
      host: { type: 'string', default: '127.0.0.1' },
      full: { type: 'boolean', default: false },
    },
  });
  const print = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const receiver = await startLcmReceiver({
    port: Number(values.port),
    host: values.host,
    full: values.full,
    print,
  });
  print(`LCM notification receiver on ${receiver.url} (Ctrl-C stops it)`);
  const stop = (): void => {
    void receiver.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
