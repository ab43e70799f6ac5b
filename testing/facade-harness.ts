/**
 * An in-process gateway for the facade's tests: the facade on a real express app listening on an ephemeral
 * loopback port, the fixture executor behind it, a token check standing in for the auth module, and a pino
 * logger writing to memory. Dispose with `await using`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import express from 'express';
import type { Request } from 'express';
import { pino } from 'pino';
import { AuthError, developmentContext } from '../common/auth.ts';
import type { AuthContext } from '../common/auth.ts';
import { createRestFacade } from '../rest-facade/index.ts';
import type { InventoryApiSettings } from '../rest-facade/index.ts';
import { FixtureGraphExecutor } from './fixture-executor.ts';

export const READER_TOKEN = 'reader-token';
export const OUTSIDER_TOKEN = 'outsider-token';
export const AUTH_HEADERS = { authorization: `Bearer ${READER_TOKEN}` } as const;

/** Accepts READER_TOKEN, refuses OUTSIDER_TOKEN with 403 and anything else with 401, like the real auth. */
export function fixtureAuthenticate(req: Request): Promise<AuthContext> {
  const header = req.get('authorization');
  if (header === `Bearer ${READER_TOKEN}`) return Promise.resolve(developmentContext(randomUUID()));
  if (header === `Bearer ${OUTSIDER_TOKEN}`) {
    return Promise.reject(new AuthError(403, 'The token grants no access to the infrastructure inventory.'));
  }
  return Promise.reject(new AuthError(401, 'A valid bearer token is required.'));
}

export interface Gateway extends AsyncDisposable {
  readonly origin: string;
  readonly executor: FixtureGraphExecutor;
  /** Parsed log lines written by the facade. */
  readonly logs: readonly Record<string, unknown>[];
}

export async function startGateway(
  executor: FixtureGraphExecutor = new FixtureGraphExecutor(),
  inventory: InventoryApiSettings = {},
): Promise<Gateway> {
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const app = express();
  app.use(createRestFacade({ executor, authenticate: fixtureAuthenticate, logger, inventory }));
  const server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    executor,
    logs,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string;
  readonly text: string;
  /** The parsed body; undefined when the body is empty or not JSON. */
  readonly body: unknown;
}

function answerOf(status: number, headers: Headers, text: string): HttpAnswer {
  let body: unknown;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    body = undefined;
  }
  return { status, headers, contentType: headers.get('content-type') ?? '', text, body };
}

/**
 * A request with a body over node:http: fetch refuses bodies on GET and lets no caller set Content-Length,
 * which the edge checks (413, 415) are about.
 */
function callWithBody(
  gateway: Gateway,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body: string },
): Promise<HttpAnswer> {
  return new Promise((resolvePromise, reject) => {
    const request = httpRequest(gateway.origin + path, {
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (typeof value === 'string') headers.set(name, value);
          else if (Array.isArray(value)) headers.set(name, value.join(', '));
        }
        resolvePromise(answerOf(response.statusCode ?? 0, headers, Buffer.concat(chunks).toString('utf8')));
      });
    });
    // A server that answers before reading may close the socket while a large body is still being written.
    request.on('close', () => undefined);
    request.end(init.body);
  });
}

export async function call(
  gateway: Gateway,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  if (init.body !== undefined) return callWithBody(gateway, path, { ...init, body: init.body });
  const response = await fetch(gateway.origin + path, {
    method: init.method ?? 'GET',
    headers: init.headers ?? AUTH_HEADERS,
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    body = undefined;
  }
  return {
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get('content-type') ?? '',
    text,
    body,
  };
}
