/**
 * A real webhook receiver on a loopback port for notifier tests: records every request it gets and answers
 * with whatever the test decides (204 by default; a probe GET also gets 204).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The parsed JSON body of a POST (undefined otherwise). */
  readonly body: Record<string, unknown> | undefined;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Responder = (request: ReceivedRequest, index: number) => Reply | number;

export interface WebhookReceiver extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  /** Every POST received, in arrival order. */
  readonly notifications: ReceivedRequest[];
  /** Every request, probes included. */
  readonly requests: ReceivedRequest[];
  respondWith(responder: Responder): void;
  /** Resolves once `predicate` holds for the received notifications; rejects after `timeoutMs`. */
  waitFor(
    predicate: (notifications: readonly ReceivedRequest[]) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<void>;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  readonly port?: number;
  readonly responder?: Responder;
  /** Holds every answer this long (a receiver that takes time, so deliveries are in flight). */
  readonly delayMs?: number;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const notifications: ReceivedRequest[] = [];
  const requests: ReceivedRequest[] = [];
  let responder: Responder = options.responder ?? (() => 204);
  const waiters = new Set<() => void>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      if (req.method === 'POST') {
        try {
          body = JSON.parse(rawBody) as Record<string, unknown>;
        } catch {
          body = undefined;
        }
      }
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        body,
      };
      requests.push(request);
      let reply: Reply = { status: 204 };
      if (req.method === 'POST') {
        const answer = responder(request, notifications.length);
        reply = typeof answer === 'number' ? { status: answer } : answer;
        // Only accepted notifications count as received; a refused one is only in `requests`.
        if (reply.status >= 200 && reply.status < 300) notifications.push(request);
      }
      const answer = (): void => {
        res.writeHead(reply.status, reply.headers).end();
      };
      if (options.delayMs === undefined) answer();
      else setTimeout(answer, options.delayMs);
      for (const wake of [...waiters]) wake();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}/smo/v1/o2ims_inventory_observer`,
    port,
    notifications,
    requests,
    respondWith(next) {
      responder = next;
    },
    waitFor(predicate, what, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate(notifications)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `webhook receiver: timed out waiting for ${what} (received ${notifications.length} notifications)`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
