/**
 * Log lines of a request (docs/operations.md "Logs"): every line logged while a request is handled carries
 * its request id, whichever component logs it; while a cluster is down, its warning is logged once per
 * interval, not per request (later requests log their access line only).
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayProcess } from '../../cli/gateway.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { capturedLogger, topLevelKeys } from '../../testing/json-lines.ts';

const API = '/o2ims-infrastructureInventory/v2';
const { lines, logger } = capturedLogger();
let gateway: GatewayProcess;

/** A loopback port nothing listens on (taken, then released): the down cluster. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  const port = await closedPort();
  const config = parseGatewayConfig({
    listen: { host: '127.0.0.1', port: 0 },
    auth: { mode: 'development' },
    clusters: [
      {
        clusterId: 'edge-down',
        url: `http://127.0.0.1:${port}/graphql`,
        wsUrl: `ws://127.0.0.1:${port}/graphql`,
      },
    ],
  });
  gateway = await startGateway(config, { logger });
});

afterAll(async () => {
  await gateway?.close();
});

type Line = { msg: string; level: number; requestId?: string };
const parsed = (): Line[] => lines.map((l) => JSON.parse(l) as Line);

describe('log lines of a request', () => {
  it('tags every line of a request with its id and logs a down cluster once, not per request', async () => {
    for (const requestId of ['rid-1', 'rid-2', 'rid-3']) {
      const response = await fetch(`${gateway.url}${API}/resourcePools`, {
        headers: { 'x-request-id': requestId },
      });
      // The only cluster is down: 503 naming it (docs/inventory-api.md "Partial, stale and unavailable answers").
      expect(response.status).toBe(503);
      expect(((await response.json()) as { detail: string }).detail).toContain('edge-down');
    }
    await expect.poll(() => parsed().filter((l) => l.msg === 'request').length).toBeGreaterThanOrEqual(3);
    const down = parsed().filter((l) => l.msg === 'shard unavailable');
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ requestId: 'rid-1', level: 40 });
    // The first request logged the warning and its access line; the others only their access line.
    for (const requestId of ['rid-2', 'rid-3'])
      expect(
        parsed()
          .filter((l) => l.requestId === requestId)
          .map((l) => l.msg),
      ).toEqual(['request']);
    // No line names its request id twice.
    for (const line of lines)
      expect(topLevelKeys(line).filter((k) => k === 'requestId').length).toBeLessThanOrEqual(1);
  });
});
