/**
 * /graphql options of docs/security.md: persisted-operations-only mode (HTTP and graphql-ws) and the limit of
 * concurrent operations per principal across connections.
 */
import { createClient, type Client } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startGateway, type GatewayProcess } from '../../cli/gateway.ts';
import { parseGatewayConfig, type GatewayConfigInput } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import { operationHash } from '../../router/persisted-operations.ts';
import { createMemoryStore } from '../../state/memory-store.ts';

const ALLOWED = '{ __typename }';
const SUBSCRIPTION = 'subscription { inventoryChanged { cursor } }';

async function gateway(graphql: GatewayConfigInput['graphql']): Promise<GatewayProcess & AsyncDisposable> {
  const store = createMemoryStore();
  const process = await startGateway(
    parseGatewayConfig({ listen: { port: 0 }, logLevel: 'silent', graphql }),
    {
      store,
      logger: createLogger('silent'),
    },
  );
  return Object.assign(process, {
    async [Symbol.asyncDispose]() {
      await process.close();
      await store.dispose();
    },
  });
}

async function post(
  url: string,
  body: object,
): Promise<{ status: number; body: { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

function wsClient(url: string): Client {
  return createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
  });
}

/** The first result of an operation over graphql-ws: its data, or the code of its first error. */
function firstResult(client: Client, query: string): Promise<string> {
  return new Promise((resolve) => {
    const stop = client.subscribe(
      { query },
      {
        next: (result) => {
          resolve(result.errors ? String(result.errors[0]?.extensions?.['code']) : 'data');
          stop();
        },
        error: (error) =>
          resolve(
            Array.isArray(error)
              ? String((error[0] as { extensions?: { code?: string } }).extensions?.code)
              : 'socket-error',
          ),
        complete: () => resolve('complete'),
      },
    );
  });
}

describe('persisted-operations-only mode', () => {
  it('runs listed documents and listed hashes only; anything else is a 400 before parsing', async () => {
    await using gw = await gateway({
      persistedOperations: { only: true, operations: { [operationHash(ALLOWED)]: ALLOWED } },
    });
    expect(await post(gw.url, { query: ALLOWED })).toEqual({
      status: 200,
      body: { data: { __typename: 'Query' } },
    });
    const byHash = await post(gw.url, {
      extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(ALLOWED) } },
    });
    expect(byHash).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    const other = await post(gw.url, { query: '{ __schema { queryType { name } } }' });
    expect(other.status).toBe(400);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    const unknown = await post(gw.url, {
      extensions: { persistedQuery: { version: 1, sha256Hash: operationHash('{ x }') } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const get = await fetch(
      `${gw.url}/graphql?query=${encodeURIComponent('{ __typename __schema { types { name } } }')}`,
      {
        headers: { accept: 'application/json' },
      },
    );
    expect(get.status).toBe(400);

    const client = wsClient(gw.url);
    try {
      expect(await firstResult(client, ALLOWED)).toBe('data');
      expect(await firstResult(client, SUBSCRIPTION)).toBe('PERSISTED_QUERY_ONLY');
    } finally {
      await client.dispose();
    }
  });

  it('refuses an allow-list entry whose hash is not its document’s', async () => {
    await expect(
      gateway({ persistedOperations: { only: true, operations: { [operationHash('{ a }')]: '{ b }' } } }),
    ).rejects.toThrow(/is not the SHA-256 of its document/);
  });
});

describe('operations per principal', () => {
  it('counts the operations of one principal over all its connections, and gives them back when they end', async () => {
    await using gw = await gateway({ websocket: { maxSubscriptionsPerPrincipal: 2 } });
    const first = wsClient(gw.url);
    const second = wsClient(gw.url);
    try {
      const running: Array<() => void> = [];
      const start = (client: Client): void => {
        running.push(
          client.subscribe(
            { query: SUBSCRIPTION },
            { next: () => undefined, error: () => undefined, complete: () => undefined },
          ),
        );
      };
      start(first);
      start(second);
      // Both running: any further operation of the principal, on either connection, is over its budget
      // (development-user holds both). A query probes it: refused at once, or answered.
      await expect
        .poll(() => firstResult(second, ALLOWED), { timeout: 10_000 })
        .toBe('TOO_MANY_SUBSCRIPTIONS');
      expect(await firstResult(first, ALLOWED)).toBe('TOO_MANY_SUBSCRIPTIONS');
      running.shift()!();
      // One ended: the budget has room again.
      await expect.poll(() => firstResult(first, ALLOWED), { timeout: 10_000 }).toBe('data');
      start(first);
      await expect
        .poll(() => firstResult(second, ALLOWED), { timeout: 10_000 })
        .toBe('TOO_MANY_SUBSCRIPTIONS');
      await first.dispose();
      // Closing a connection gives back what it held.
      await expect.poll(() => firstResult(second, ALLOWED), { timeout: 10_000 }).toBe('data');
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });
});
