/**
 * Tenant scoping of clusters and namespaces (docs/security.md "Tenants") on every path, against a jwt-mode demo
 * with two clusters: tenant `red` is assigned `edge-a` (namespace `team-a`), `blue` is assigned `edge-b`, `green`
 * is not listed (sees no cluster), `*` is the operator. REST inventory and monitoring, the admin API, GraphQL
 * over HTTP and graphql-ws, and alarm webhooks must show a tenant its own clusters only, and answer 404 for
 * another tenant's objects.
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { deploymentManagerIdOf } from '../../alarms/cluster-alarm-subject.ts';
import { startJwtDemo, type JwtDemo, type TokenRequest } from '../../testing/jwt-demo.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.ts';

const INVENTORY = '/o2ims-infrastructureInventory/v2';
const MONITORING = '/o2ims-infrastructureMonitoring/v1';

let gateway: JwtDemo;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  gateway = await startJwtDemo({
    tenancy: {
      tenants: { red: { clusters: ['edge-a'], namespaces: ['team-a'] }, blue: { clusters: ['edge-b'] } },
    },
    gateway: {
      subscriptions: {
        callbacks: { requireHttps: false, allowLoopback: true },
        probe: { enabled: false },
        delivery: { initialBackoffMs: 50, maxBackoffMs: 200, leaseTtlMs: 1_000 },
      },
    },
  });
}, 90_000);

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
});

async function bearer(request: TokenRequest): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await gateway.token(request)}` };
}

async function get(path: string, request: TokenRequest): Promise<Response> {
  return fetch(`${gateway.url}${path}`, { headers: await bearer(request) });
}

async function send(method: string, path: string, request: TokenRequest, body?: unknown): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      ...(await bearer(request)),
      'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function graphql(query: string, request: TokenRequest): Promise<{ data?: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { ...(await bearer(request)), 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown> };
}

const reader = (tenant: string, claims?: Record<string, unknown>): TokenRequest => ({
  tenant,
  roles: ['reader'],
  ...(claims === undefined ? {} : { claims }),
});
const OPERATOR: TokenRequest = { tenant: '*', roles: ['admin', 'maintainer'] };

async function idsOf(path: string, request: TokenRequest, key: string): Promise<string[]> {
  const response = await get(path, request);
  expect(response.status).toBe(200);
  return ((await response.json()) as Array<Record<string, string>>).map((item) => item[key]!).sort();
}

/** Raises one Alertmanager alert on a cluster's deployment manager; its alarm id once the ledger has it. */
async function raiseAlarm(clusterId: string, alertname: string): Promise<string> {
  const response = await send('POST', '/netweave/v1/alertmanager', OPERATOR, {
    version: '4',
    groupKey: alertname,
    status: 'firing',
    receiver: 'netweave',
    alerts: [{ status: 'firing', labels: { alertname, cluster: clusterId, severity: 'major' } }],
  });
  expect(response.status).toBeLessThan(300);
  let id: string | undefined;
  await expect
    .poll(
      async () => {
        const alarms = (await (await get(`${MONITORING}/alarms`, OPERATOR)).json()) as Array<
          Record<string, unknown>
        >;
        id = alarms.find(
          (a) =>
            (a['extensions'] as Record<string, unknown> | undefined)?.['clusterId'] === clusterId &&
            JSON.stringify(a).includes(alertname),
        )?.['alarmEventRecordId'] as string | undefined;
        return id;
      },
      { timeout: 10_000 },
    )
    .toBeDefined();
  return id!;
}

describe('tenant scoping of clusters and namespaces', () => {
  const dmA = deploymentManagerIdOf('edge-a');
  const dmB = deploymentManagerIdOf('edge-b');

  it('REST inventory lists only the tenant’s clusters and answers 404 for another tenant’s objects', async () => {
    const path = `${INVENTORY}/deploymentManagers`;
    expect(await idsOf(path, reader('red'), 'deploymentManagerId')).toEqual([dmA]);
    expect(await idsOf(path, reader('blue'), 'deploymentManagerId')).toEqual([dmB]);
    expect(await idsOf(path, reader('*'), 'deploymentManagerId')).toEqual([dmA, dmB].sort());
    // Not listed in auth.tenancy.tenants: nothing (unlistedTenants: none).
    expect(await idsOf(path, reader('green'), 'deploymentManagerId')).toEqual([]);
    // The clusters claim narrows a token (never widens it): blue narrowed to edge-a sees nothing.
    expect(
      await idsOf(path, reader('blue', { netweave_clusters: ['edge-a'] }), 'deploymentManagerId'),
    ).toEqual([]);
    expect(await idsOf(path, reader('*', { netweave_clusters: ['edge-b'] }), 'deploymentManagerId')).toEqual(
      [dmA, dmB].sort(),
    );

    expect((await get(`${path}/${dmA}`, reader('red'))).status).toBe(200);
    const foreign = await get(`${path}/${dmB}`, reader('red'));
    expect(foreign.status).toBe(404);
    const unknown = await get(`${path}/${deploymentManagerIdOf('nowhere')}`, reader('red'));
    expect(unknown.status).toBe(404);
    // The same answer as for an id that does not exist: no existence leak.
    expect(((await foreign.json()) as { detail: string }).detail).toBe(
      ((await unknown.json()) as { detail: string }).detail.replace(deploymentManagerIdOf('nowhere'), dmB),
    );

    // Resource pools and resources follow their cluster.
    const redPools = (await (await get(`${INVENTORY}/resourcePools`, reader('red'))).json()) as unknown[];
    const allPools = (await (await get(`${INVENTORY}/resourcePools`, reader('*'))).json()) as unknown[];
    expect(redPools.length).toBeGreaterThan(0);
    expect(redPools.length).toBeLessThan(allPools.length);
    // Shared, O-Cloud level objects stay visible.
    expect((await get(INVENTORY, reader('green'))).status).toBe(200);
  });

  it('the admin API shows an admin of a tenant its clusters only; others are 404', async () => {
    const redAdmin: TokenRequest = { tenant: 'red', roles: ['admin'] };
    const listed = (await (await get('/netweave/v1/clusters', redAdmin)).json()) as Array<{
      clusterId: string;
    }>;
    expect(listed.map((c) => c.clusterId)).toEqual(['edge-a']);
    expect((await send('DELETE', '/netweave/v1/clusters/edge-b', redAdmin)).status).toBe(404);
    expect((await send('DELETE', '/netweave/v1/clusters/nowhere', redAdmin)).status).toBe(404);
    const moved = await send('PUT', '/netweave/v1/clusters/edge-b', redAdmin, {
      url: 'http://127.0.0.1:1/graphql',
      wsUrl: 'ws://127.0.0.1:1/graphql',
    });
    expect(moved.status).toBe(404);
    const all = (await (await get('/netweave/v1/clusters', OPERATOR)).json()) as Array<{ clusterId: string }>;
    expect(all.map((c) => c.clusterId).sort()).toEqual(['edge-a', 'edge-b']);
  });

  it('GraphQL root lists, lookups and namespaced objects are scoped', async () => {
    const red = await graphql(
      '{ clusters { clusterId pods { namespace } workloads { namespace } namespaces } oCloud { clusters { clusterId } } other: cluster(clusterId: "edge-b") { clusterId } }',
      reader('red'),
    );
    const clusters = red.data?.['clusters'] as Array<{
      clusterId: string;
      pods: Array<{ namespace: string }>;
      workloads: Array<{ namespace: string }>;
      namespaces: string[];
    }>;
    expect(clusters.map((c) => c.clusterId)).toEqual(['edge-a']);
    expect(clusters[0]!.pods.length).toBeGreaterThan(0);
    expect(new Set(clusters[0]!.pods.map((p) => p.namespace))).toEqual(new Set(['team-a']));
    expect(new Set(clusters[0]!.workloads.map((w) => w.namespace))).toEqual(new Set(['team-a']));
    expect(clusters[0]!.namespaces).toEqual(['team-a']);
    expect(red.data?.['oCloud']).toEqual({ clusters: [{ clusterId: 'edge-a' }] });
    expect(red.data?.['other']).toBeNull();

    // blue has no namespace restriction.
    const blue = await graphql('{ clusters { clusterId pods { namespace } } }', reader('blue'));
    const bluePods = (blue.data?.['clusters'] as Array<{ pods: Array<{ namespace: string }> }>)[0]!.pods;
    expect(new Set(bluePods.map((p) => p.namespace))).toContain('team-b');
  });

  it('alarms (REST, GraphQL, graphql-ws) and alarm webhooks carry only the tenant’s clusters', async () => {
    const subscription = await send(
      'POST',
      `${MONITORING}/alarmSubscriptions`,
      { tenant: 'red', roles: ['subscriber'] },
      {
        callback: `${receiver.url}/red`,
      },
    );
    expect(subscription.status).toBe(201);

    const ws = createClient({
      url: `${gateway.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: await bearer(reader('red')),
    });
    const live: string[] = [];
    const stop = ws.subscribe<{ alarmChanged: { alarm: { clusterId: string | null } } }>(
      { query: 'subscription { alarmChanged { alarm { clusterId } } }' },
      {
        next: (value) => {
          if (value.data) live.push(String(value.data.alarmChanged.alarm.clusterId));
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      // The subscription is live once an event of the tenant's own cluster arrives; raise B first, then A.
      await expect
        .poll(
          async () => {
            await raiseAlarm('edge-b', `TenancyProbeB${live.length}`);
            await raiseAlarm('edge-a', `TenancyProbeA${live.length}`);
            return live.length;
          },
          { timeout: 20_000 },
        )
        .toBeGreaterThan(0);
      const alarmB = await raiseAlarm('edge-b', 'TenancyB');
      const alarmA = await raiseAlarm('edge-a', 'TenancyA');

      const redAlarms = (await (await get(`${MONITORING}/alarms`, reader('red'))).json()) as Array<{
        alarmEventRecordId: string;
      }>;
      expect(redAlarms.map((a) => a.alarmEventRecordId)).toContain(alarmA);
      expect(redAlarms.map((a) => a.alarmEventRecordId)).not.toContain(alarmB);
      expect((await get(`${MONITORING}/alarms/${alarmB}`, reader('red'))).status).toBe(404);
      expect((await get(`${MONITORING}/alarms/${alarmA}`, reader('red'))).status).toBe(200);
      const patch = await send(
        'PATCH',
        `${MONITORING}/alarms/${alarmB}`,
        { tenant: 'red', roles: ['maintainer'] },
        {
          alarmAcknowledged: true,
        },
      );
      expect(patch.status).toBe(404);

      const graph = await graphql('{ oCloud { alarms { alarmEventRecordId clusterId } } }', reader('red'));
      const graphAlarms = (graph.data?.['oCloud'] as { alarms: Array<{ clusterId: string | null }> }).alarms;
      expect(graphAlarms.length).toBeGreaterThan(0);
      expect(graphAlarms.every((a) => a.clusterId === 'edge-a' || a.clusterId === null)).toBe(true);

      // Webhooks: the edge-a alarm raised after the edge-b one arrives; nothing of edge-b ever does.
      await receiver.waitFor(
        (received) => received.some((n) => n.body?.['alarmEventRecordId'] === alarmA),
        'the red alarm notification',
        15_000,
      );
      const clustersNotified = receiver.notifications.map(
        (n) => (n.body?.['extensions'] as Record<string, unknown> | undefined)?.['clusterId'],
      );
      expect(clustersNotified).not.toContain('edge-b');
      expect(clustersNotified).toContain('edge-a');
      await expect
        .poll(() => live.filter((c) => c === 'edge-a').length, { timeout: 10_000 })
        .toBeGreaterThan(1);
      expect(live).not.toContain('edge-b');
    } finally {
      stop();
      await ws.dispose();
    }
  });
});
