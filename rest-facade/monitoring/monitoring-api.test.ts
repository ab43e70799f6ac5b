/**
 * The monitoring REST API on a real loopback server over the memory store: alarms (list, filter, selectors,
 * paging, by id), the PATCH rules, alarm subscriptions, the alarm service configuration, and errors — every
 * response checked against netweave's OpenAPI document and, when present, the reference alarms spec and the
 * O-RAN SC compliance schemas.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Request } from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alarmDefinitionIdOf, probableCauseIdOf } from '../../alarms/alarm-catalogue.ts';
import { ALARM_EVENT_LOG, AlarmLedger } from '../../alarms/alarm-ledger.ts';
import type { AlarmCondition } from '../../alarms/alarm-ledger.ts';
import { PERCEIVED_SEVERITY, parseAlarmEvent } from '../../alarms/alarm-record.ts';
import type { ActiveSeverity, AlarmRecord } from '../../alarms/alarm-record.ts';
import { ROLES, developmentContext } from '../../common/auth.ts';
import type { AuthContext, Role } from '../../common/auth.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import type { GatewayConfigInput } from '../../common/config.ts';
import { clusterScopedId, globalId } from '../../o2/ids.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { MemoryStore } from '../../state/memory-store.ts';
import { createMonitoringApi } from './api.ts';
import {
  REFERENCE_ALARMS_SKIP_NOTE,
  assertConformsToItTestSchema,
  assertConformsToOwnMonitoringDocument,
  assertConformsToReferenceAlarms,
} from '../../testing/monitoring-contract.ts';
import type { Answer } from '../../testing/monitoring-contract.ts';

const ROOT = '/o2ims-infrastructureMonitoring';
const V1 = `${ROOT}/v1`;
const CLUSTER = 'edge-test';
const NODE_TYPE = globalId('resourceType', 'test-node-type');

let store: MemoryStore;
let ledger: AlarmLedger;
let server: Server;
let base: string;
let clock = Date.parse('2026-01-10T08:00:00Z');

function config(input: GatewayConfigInput = {}) {
  return parseGatewayConfig({
    subscriptions: { probe: { enabled: false }, callbacks: { requireHttps: false, allowLoopback: true } },
    ...input,
  });
}

/** Roles come from a test header; no header: development (every role). */
function authenticate(req: Request): Promise<AuthContext> {
  const roles = req.headers['x-test-roles'];
  const context = developmentContext(`req-${Math.random().toString(36).slice(2)}`);
  if (typeof roles !== 'string') return Promise.resolve(context);
  return Promise.resolve({
    ...context,
    roles: roles.split(',').filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
  });
}

function condition(
  code: 'NodeNotReady' | 'NodeCordoned',
  node: string,
  severity: ActiveSeverity = PERCEIVED_SEVERITY.MAJOR,
): AlarmCondition {
  return {
    alarmDefinitionId: alarmDefinitionIdOf(NODE_TYPE, code),
    alarmCode: code,
    alarmName: code,
    clearingType: code === 'NodeCordoned' ? 'MANUAL' : 'AUTOMATIC',
    probableCauseId: probableCauseIdOf(code),
    resourceTypeId: NODE_TYPE,
    resourceId: clusterScopedId(CLUSTER, 'resource', node),
    clusterId: CLUSTER,
    resourcePoolId: clusterScopedId(CLUSTER, 'resourcePool', 'edge'),
    source: 'cluster',
    perceivedSeverity: severity,
    extensions: { nodeName: node },
  };
}

interface HttpAnswer extends Answer {
  readonly headers: Headers;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??=
      method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  }
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
    headers: response.headers,
  };
}

/** Calls and checks the answer against every document that describes the operation. */
async function conforming(
  method: string,
  template: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<HttpAnswer> {
  const answer = await call(method, path, body, headers);
  assertConformsToOwnMonitoringDocument(template, method, answer);
  assertConformsToReferenceAlarms(template, method, answer);
  return answer;
}

async function startApi(input: GatewayConfigInput = {}): Promise<void> {
  const parsed = config(input);
  const app = express();
  app.use(
    createMonitoringApi({
      store,
      ledger,
      authenticate,
      monitoring: parsed.monitoring,
      subscriptions: parsed.subscriptions,
      pageSize: 2,
      markerSecret: 'x'.repeat(32),
      publicUrl: () => base,
    }),
  );
  server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stopApi(): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function events(): Promise<string[]> {
  const entries = await store.eventLog<object>(ALARM_EVENT_LOG).read(undefined, 1000);
  return entries.map((entry) => {
    const event = parseAlarmEvent(entry.event)!;
    return `${event.kind} ${event.alarm.alarmEventRecordId}`;
  });
}

beforeAll(async () => {
  store = createMemoryStore();
  ledger = new AlarmLedger(store, { now: () => new Date(clock) });
  await startApi();
});

afterAll(async () => {
  await stopApi();
  await store.dispose();
});

describe('api_versions', () => {
  it(`answers the service and v1 versions${REFERENCE_ALARMS_SKIP_NOTE}`, async () => {
    const service = await conforming('GET', `${ROOT}/api_versions`, `${ROOT}/api_versions`);
    expect(service.body).toEqual({ uriPrefix: ROOT, apiVersions: [{ version: '1.0.0' }] });
    const v1 = await conforming('GET', `${V1}/api_versions`, `${V1}/api_versions`);
    expect(v1.body).toEqual({ uriPrefix: V1, apiVersions: [{ version: '1.0.0' }] });
  });
});

describe('alarms', () => {
  let active: AlarmRecord;
  let manual: AlarmRecord;
  let cleared: AlarmRecord;

  beforeAll(async () => {
    active = (await ledger.raise(condition('NodeNotReady', 'node-a')))!;
    manual = (await ledger.raise(condition('NodeCordoned', 'node-b', PERCEIVED_SEVERITY.INDETERMINATE)))!;
    cleared = (await ledger.raise(condition('NodeNotReady', 'node-c')))!;
    await ledger.clear(cleared.alarmKey);
  });

  it(`lists active and cleared alarms in pages, with Link rel=next to the end${REFERENCE_ALARMS_SKIP_NOTE}`, async () => {
    const seen: string[] = [];
    let path: string | undefined = `${V1}/alarms`;
    while (path !== undefined) {
      const page = await conforming('GET', `${V1}/alarms`, path);
      expect(page.status).toBe(200);
      assertConformsToItTestSchema('alarms', page);
      seen.push(...(page.body as Array<{ alarmEventRecordId: string }>).map((a) => a.alarmEventRecordId));
      const link = page.headers.get('link');
      path = link === null ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)![1]!.slice(base.length);
    }
    expect(seen).toEqual([active, manual, cleared].map((a) => a.alarmEventRecordId).sort());
  });

  it('filters (active only: neq perceivedSeverity 5) and applies selectors, keeping mandatory attributes', async () => {
    const filtered = await conforming('GET', `${V1}/alarms`, `${V1}/alarms?filter=(neq,perceivedSeverity,5)`);
    const ids = (filtered.body as Array<{ alarmEventRecordId: string }>).map((a) => a.alarmEventRecordId);
    expect(ids.sort()).toEqual([active.alarmEventRecordId, manual.alarmEventRecordId].sort());
    const byCluster = await call('GET', `${V1}/alarms?filter=(eq,extensions/nodeName,node-a)`);
    expect((byCluster.body as unknown[]).length).toBe(1);
    const selected = await call('GET', `${V1}/alarms?exclude_fields=alarmChangedTime`);
    expect((selected.body as Array<Record<string, unknown>>)[0]).not.toHaveProperty('alarmChangedTime');
    expect((selected.body as Array<Record<string, unknown>>)[0]).toHaveProperty('alarmEventRecordId');
  });

  it('reads one alarm by id, in the O2 shape', async () => {
    const answer = await conforming(
      'GET',
      `${V1}/alarms/{alarmEventRecordId}`,
      `${V1}/alarms/${active.alarmEventRecordId}`,
    );
    assertConformsToItTestSchema('alarm', answer);
    expect(answer.body).toMatchObject({
      alarmEventRecordId: active.alarmEventRecordId,
      alarmDefinitionID: active.alarmDefinitionId,
      probableCauseID: active.probableCauseId,
      resourceID: active.resourceId,
      resourceTypeID: NODE_TYPE,
      perceivedSeverity: PERCEIVED_SEVERITY.MAJOR,
      alarmAcknowledged: false,
      extensions: { nodeName: 'node-a', clusterId: CLUSTER, source: 'cluster' },
    });
    expect(answer.body).not.toHaveProperty('alarmClearedTime');
  });

  it.each([
    ['an unknown id', `${V1}/alarms/5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a`, 404],
    ['a malformed id', `${V1}/alarms/not-a-uuid`, 400],
    ['a bad filter', `${V1}/alarms?filter=(eq,perceivedSeverity`, 400],
    ['an unknown attribute', `${V1}/alarms?filter=(eq,colour,red)`, 400],
    ['a type mismatch', `${V1}/alarms?filter=(eq,perceivedSeverity,high)`, 400],
    ['an unknown selector attribute', `${V1}/alarms?fields=colour`, 400],
    ['a forged marker', `${V1}/alarms?nextpage_opaque_marker=abc.def`, 400],
    ['an unknown path', `${V1}/alarmz`, 404],
    ['a wrong major version', `${ROOT}/v2/alarms`, 404],
  ])('answers %s with a ProblemDetails', async (_what, path, status) => {
    const answer = await call('GET', path);
    expect(answer.status).toBe(status);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    assertConformsToItTestSchema('client_errors', answer);
  });

  it('answers other methods with 405 and Allow', async () => {
    const answer = await call('DELETE', `${V1}/alarms`);
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET, HEAD');
  });

  it('refuses callers without a reading role (403)', async () => {
    const answer = await call('GET', `${V1}/alarms`, undefined, { 'x-test-roles': 'deployer' });
    expect(answer.status).toBe(403);
  });
});

describe('PATCH alarms/{id}', () => {
  const template = `${V1}/alarms/{alarmEventRecordId}`;
  let automatic: AlarmRecord;
  let manual: AlarmRecord;

  beforeEach(async () => {
    clock += 60_000;
    automatic = (await ledger.raise(condition('NodeNotReady', `patch-${clock}`)))!;
    manual = (await ledger.raise(condition('NodeCordoned', `patch-${clock}`, PERCEIVED_SEVERITY.WARNING)))!;
  });

  it('acknowledges: sets the acknowledged time, emits ACKNOWLEDGE once; acknowledging again changes nothing', async () => {
    clock += 1_000;
    const first = await conforming('PATCH', template, `${V1}/alarms/${automatic.alarmEventRecordId}`, {
      alarmAcknowledged: true,
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ alarmAcknowledged: true });
    const stored = (await ledger.get(automatic.alarmEventRecordId))!;
    expect(stored.alarmAcknowledged).toBe(true);
    expect(stored.alarmAcknowledgedTime).toBe(new Date(clock).toISOString());
    const again = await call('PATCH', `${V1}/alarms/${automatic.alarmEventRecordId}`, {
      alarmAcknowledged: true,
    });
    expect(again.status).toBe(200);
    const acks = (await events()).filter((e) => e === `ACKNOWLEDGE ${automatic.alarmEventRecordId}`);
    expect(acks).toHaveLength(1);
    const read = await call('GET', `${V1}/alarms/${automatic.alarmEventRecordId}`);
    // Both names by default (monitoring.acknowledgedTimeField: both): v11 and it-test SMOs read one API.
    expect(read.body).toMatchObject({
      alarmAcknowledged: true,
      alarmAcknowledgedTime: new Date(clock).toISOString(),
      alarmAcknowledgeTime: new Date(clock).toISOString(),
    });
  });

  it('clears an alarm of a MANUAL definition (CLEAR), and refuses an AUTOMATIC one with 409', async () => {
    const ok = await conforming('PATCH', template, `${V1}/alarms/${manual.alarmEventRecordId}`, {
      perceivedSeverity: 5,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ perceivedSeverity: 5 });
    expect((await ledger.get(manual.alarmEventRecordId))!.perceivedSeverity).toBe(PERCEIVED_SEVERITY.CLEARED);
    expect(await events()).toContain(`CLEAR ${manual.alarmEventRecordId}`);

    const conflict = await conforming('PATCH', template, `${V1}/alarms/${automatic.alarmEventRecordId}`, {
      perceivedSeverity: 5,
    });
    expect(conflict.status).toBe(409);
    expect((await ledger.get(automatic.alarmEventRecordId))!.perceivedSeverity).toBe(
      PERCEIVED_SEVERITY.MAJOR,
    );
  });

  it.each([
    ['an empty patch', {}],
    ['a mixed patch', { alarmAcknowledged: true, perceivedSeverity: 5 }],
    ['alarmAcknowledged false', { alarmAcknowledged: false }],
    ['alarmAcknowledged as a string', { alarmAcknowledged: 'true' }],
    ['another severity', { perceivedSeverity: 1 }],
    ['an unknown member', { alarmName: 'x' }],
    ['a JSON array', [{ alarmAcknowledged: true }]],
    ['invalid JSON', '{"alarmAcknowledged": tru'],
  ])('refuses %s with 400 and changes nothing', async (_what, body) => {
    const answer = await conforming('PATCH', template, `${V1}/alarms/${manual.alarmEventRecordId}`, body);
    expect(answer.status).toBe(400);
    assertConformsToItTestSchema('client_errors', answer);
    const stored = (await ledger.get(manual.alarmEventRecordId))!;
    expect(stored.alarmAcknowledged).toBe(false);
    expect(stored.perceivedSeverity).toBe(PERCEIVED_SEVERITY.WARNING);
  });

  it('refuses a body that is not JSON (415), an unknown alarm (404), a reader (403)', async () => {
    expect(
      (
        await call('PATCH', `${V1}/alarms/${manual.alarmEventRecordId}`, 'alarmAcknowledged=true', {
          'content-type': 'text/plain',
        })
      ).status,
    ).toBe(415);
    expect(
      (await call('PATCH', `${V1}/alarms/5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a`, { alarmAcknowledged: true }))
        .status,
    ).toBe(404);
    expect(
      (
        await call(
          'PATCH',
          `${V1}/alarms/${manual.alarmEventRecordId}`,
          { alarmAcknowledged: true },
          { 'x-test-roles': 'reader' },
        )
      ).status,
    ).toBe(403);
  });

  it('answers 400 instead of 409 for an automatic clear when so configured', async () => {
    await stopApi();
    await startApi({ monitoring: { automaticClearStatus: 400 } });
    try {
      expect(
        (await call('PATCH', `${V1}/alarms/${automatic.alarmEventRecordId}`, { perceivedSeverity: 5 }))
          .status,
      ).toBe(400);
    } finally {
      await stopApi();
      await startApi();
    }
  });
});

describe('alarmServiceConfiguration', () => {
  const path = `${V1}/alarmServiceConfiguration`;

  it('answers the default, takes PUT and merge-PATCH, and guards with ETag/If-Match', async () => {
    const initial = await conforming('GET', path, path);
    expect(initial.body).toEqual({ retentionPeriod: 7, extensions: {} });
    const put = await conforming('PUT', path, path, {
      retentionPeriod: 30,
      extensions: { owner: 'noc', tier: 'gold' },
    });
    expect(put.body).toEqual({ retentionPeriod: 30, extensions: { owner: 'noc', tier: 'gold' } });
    const etag = put.headers.get('etag')!;
    const patched = await conforming(
      'PATCH',
      path,
      path,
      { extensions: { tier: null, site: 'paris' } },
      { 'if-match': etag },
    );
    expect(patched.body).toEqual({ retentionPeriod: 30, extensions: { owner: 'noc', site: 'paris' } });
    const stale = await conforming('PATCH', path, path, { retentionPeriod: 3 }, { 'if-match': etag });
    expect(stale.status).toBe(412);
    const retention = await conforming('PATCH', path, path, { retentionPeriod: 3 });
    expect(retention.body).toEqual({ retentionPeriod: 3, extensions: { owner: 'noc', site: 'paris' } });
  });

  it.each([
    ['PUT', { retentionPeriod: 0, extensions: {} }],
    ['PUT', { retentionPeriod: 1.5, extensions: {} }],
    ['PUT', { retentionPeriod: 5 }],
    ['PUT', { retentionPeriod: 5, extensions: [] }],
    ['PUT', { retentionPeriod: 5, extensions: {}, colour: 'red' }],
    ['PATCH', {}],
    ['PATCH', { retentionPeriod: null }],
    ['PATCH', { retentionPeriod: '7' }],
    ['PATCH', { extensions: null }],
  ])('refuses %s %j with 400', async (method, body) => {
    const answer = await conforming(method, path, path, body);
    expect(answer.status).toBe(400);
  });
});

describe('alarmSubscriptions', () => {
  const list = `${V1}/alarmSubscriptions`;
  const one = `${V1}/alarmSubscriptions/{alarmSubscriptionId}`;
  const consumer = '2c9f7a3e-5b1d-4e8f-9a6c-0d2e4f6a8b1c';

  it('creates (201 + Location), lists, reads and deletes a subscription', async () => {
    const created = await conforming('POST', list, list, {
      callback: 'http://127.0.0.1:9/smo/alarms',
      consumerSubscriptionId: consumer,
      filter: 'CHANGE',
    });
    expect(created.status).toBe(201);
    assertConformsToItTestSchema('alarm_subscription', created);
    const id = (created.body as { alarmSubscriptionId: string }).alarmSubscriptionId;
    expect(created.headers.get('location')).toBe(`${base}${list}/${id}`);
    expect(created.body).toEqual({
      alarmSubscriptionId: id,
      callback: 'http://127.0.0.1:9/smo/alarms',
      consumerSubscriptionId: consumer,
      filter: 'CHANGE',
    });

    const all = await conforming('GET', list, list);
    assertConformsToItTestSchema('alarm_subscriptions', all);
    expect((all.body as Array<{ alarmSubscriptionId: string }>).map((s) => s.alarmSubscriptionId)).toContain(
      id,
    );
    const filtered = await call('GET', `${list}?filter=(eq,consumerSubscriptionId,${consumer})`);
    expect(filtered.body).toHaveLength(1);
    const read = await conforming('GET', one, `${list}/${id}`);
    expect(read.body).toEqual(created.body);

    const duplicate = await conforming('POST', list, list, {
      callback: 'http://127.0.0.1:9/smo/alarms',
      filter: 'CHANGE',
    });
    expect(duplicate.status).toBe(400);

    expect((await conforming('DELETE', one, `${list}/${id}`)).status).toBe(200);
    expect((await conforming('DELETE', one, `${list}/${id}`)).status).toBe(404);
    expect((await conforming('GET', one, `${list}/${id}`)).status).toBe(404);
  });

  it('accepts a SOL013 filter over the notification', async () => {
    const created = await call('POST', list, {
      callback: 'http://127.0.0.1:9/smo/sol013',
      filter: '(gt,perceivedSeverity,2)',
    });
    expect(created.status).toBe(201);
  });

  it.each([
    ['no callback', { filter: 'NEW' }],
    ['a relative callback', { callback: '/smo' }],
    [
      'a client-supplied id',
      { callback: 'http://127.0.0.1:9/x', alarmSubscriptionId: '2c9f7a3e-5b1d-4e8f-9a6c-0d2e4f6a8b1c' },
    ],
    [
      'a malformed consumerSubscriptionId',
      { callback: 'http://127.0.0.1:9/x', consumerSubscriptionId: 'me' },
    ],
    ['an unknown event type', { callback: 'http://127.0.0.1:9/x', filter: 'RAISED' }],
    ['a bad SOL013 filter', { callback: 'http://127.0.0.1:9/x', filter: '(eq,colour,red)' }],
    ['an unknown member', { callback: 'http://127.0.0.1:9/x', filters: 'NEW' }],
    ['a link-local callback (SSRF)', { callback: 'http://169.254.169.254/latest/meta-data' }],
    ['XML', '<subscription><callback>http://127.0.0.1:9/x</callback></subscription>'],
  ])('refuses %s with 400', async (_what, body) => {
    const headers: Record<string, string> =
      typeof body === 'string' ? { 'content-type': 'application/xml' } : {};
    const answer = await conforming('POST', list, list, body, headers);
    expect(answer.status).toBe(400);
  });

  it('refuses a subscriber-less caller (403)', async () => {
    expect(
      (await call('POST', list, { callback: 'http://127.0.0.1:9/x' }, { 'x-test-roles': 'reader' })).status,
    ).toBe(403);
  });
});
