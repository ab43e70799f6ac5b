/**
 * The gateway's per-request records: one access log line per request (method, route pattern, status,
 * duration, request id, principal), the request id echoed to the caller, HTTP series by route on /metrics,
 * and no JSON line with a duplicate key.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGateway, type GatewayProcess } from '../cli/gateway.ts';
import { parseGatewayConfig } from '../common/config.ts';
import { capturedLogger, topLevelKeys } from '../testing/json-lines.ts';

const { lines, logger } = capturedLogger();
let gateway: GatewayProcess;

beforeAll(async () => {
  const config = parseGatewayConfig({
    listen: { host: '127.0.0.1', port: 0 },
    auth: { mode: 'development' },
  });
  gateway = await startGateway(config, { logger });
});

afterAll(async () => {
  await gateway?.close();
});

type AccessLine = {
  msg: string;
  requestId: string;
  method: string;
  route: string;
  status: string;
  durationMs: number;
  principal?: string;
};
const accessLines = (): AccessLine[] =>
  lines.map((l) => JSON.parse(l) as AccessLine).filter((l) => l.msg === 'request');

describe('gateway access log and HTTP metrics', () => {
  it('logs each request once with its route pattern, status, duration, request id and principal', async () => {
    const ocloud = await fetch(`${gateway.url}/o2ims-infrastructureInventory/v2`, {
      headers: { 'x-request-id': 'req-ocloud-1' },
    });
    expect(ocloud.status).toBe(200);
    expect(ocloud.headers.get('x-request-id')).toBe('req-ocloud-1');
    const missing = await fetch(`${gateway.url}/no/such/path/123`);
    expect(missing.status).toBe(404);
    const generatedId = missing.headers.get('x-request-id');
    expect(generatedId).toMatch(/^[0-9a-f-]{36}$/);
    const graphql = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-graphql-1' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(graphql.status).toBe(200);

    await vi.waitFor(() => expect(accessLines()).toHaveLength(3), { timeout: 10_000 });
    const [first, second, third] = accessLines();
    expect(first).toMatchObject({
      requestId: 'req-ocloud-1',
      method: 'GET',
      route: expect.stringMatching(/^\/o2ims-infrastructureInventory\/v2\/?$/),
      status: '200',
      principal: 'development-user',
    });
    expect(first!.durationMs).toBeGreaterThanOrEqual(0);
    expect(second).toMatchObject({ requestId: generatedId, route: 'unmatched', status: '404' });
    expect(third).toMatchObject({
      requestId: 'req-graphql-1',
      method: 'POST',
      route: '/graphql',
      status: '200',
    });
  });

  it('counts requests by route on /metrics', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/netweave_http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/);
    expect(text).toMatch(/netweave_http_request_duration_seconds_bucket\{[^}]*route="\/graphql"/);
  });

  it('writes no JSON line with a duplicate key', () => {
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      const keys = topLevelKeys(line);
      expect(new Set(keys).size, line).toBe(keys.length);
    }
  });
});
