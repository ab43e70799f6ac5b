/**
 * SOL003 VNF fault management (issue 11 item 9): an instantiation whose pods never become ready ends FAILED_TEMP
 * and raises an `NfDeploymentFailing` alarm in the O2 alarm ledger; `vnffm/v1/alarms` serves it as an Alarm of
 * the instance, the IMS monitoring API as an AlarmEventRecord (one alarm, two views); PATCH acknowledges it (409
 * the second time); a rollback clears it. `vnffm/v1/subscriptions`: CRUD, 303, 422 for a callback failing the
 * test GET, filters; a real loopback receiver gets AlarmNotification on the failure and AlarmClearedNotification
 * on the rollback or on `fail` (end to end through the demo's notifier). netweave's own tests (TST010 has no FM ids for
 * SOL003 VNF FM in the suite this repository names).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITY_NAMES } from '../../../alarms/alarm-record.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../testing/webhook-receiver.ts';
import {
  DmsClient,
  EDGE_1,
  LCM,
  PUBLIC_URL,
  expectProblem,
  startProbeDemo,
  type DmsDemo,
} from './support.ts';

const FM = '/o2dms/vnffm/v1';
const FM_VERSION = { Version: '1.3.0' };

let env: DmsDemo;
let client: DmsClient;
let vnfdId: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  ({ env, client, vnfdId } = await startProbeDemo({
    subscriptions: { callbacks: { requireHttps: false, allowLoopback: true } },
  }));
}, 120_000);

afterAll(async () => {
  await env?.close();
  await receiver?.close();
});

/** Creates an FM subscription; answers its id. */
async function subscribe(body: Record<string, unknown>): Promise<string> {
  const created = await client.post(`${FM}/subscriptions`, body, FM_VERSION);
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

describe('vnffm/v1 alarms of NF deployments', () => {
  it('a failed instantiation raises an alarm of its instance; acknowledge; rollback clears it', async () => {
    const id = await client.createInstance(vnfdId);
    // Two subscriptions: one for this instance (BASIC credentials), one whose filter excludes it.
    const mine = await subscribe({
      callbackUri: `${receiver.url}/fm-mine`,
      filter: { vnfInstanceSubscriptionFilter: { vnfInstanceIds: [id], vnfdIds: [vnfdId] } },
      authentication: { authType: ['BASIC'], paramsBasic: { userName: 'smo', password: 's3cret' } },
    });
    await subscribe({
      callbackUri: `${receiver.url}/fm-other`,
      filter: { eventTypes: ['QOS_ALARM'] },
    });
    const occurrence = await client.instantiate(id, {
      flavourId: 'default',
      additionalParams: { namespace: 'fm-unready', helm_parameters: { ready: 'false' } },
    });
    await client.until(occurrence, 'FAILED_TEMP');

    const listed = await client.get(FM + '/alarms', FM_VERSION);
    expect(listed.status).toBe(200);
    expect(listed.headers.get('version')).toBe('1.5.0');
    const alarms = (listed.body as Record<string, unknown>[]).filter((a) => a['managedObjectId'] === id);
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]!;
    expect(alarm).toMatchObject({
      managedObjectId: id,
      ackState: 'UNACKNOWLEDGED',
      perceivedSeverity: 'MAJOR',
      eventType: 'PROCESSING_ERROR_ALARM',
      faultType: 'NfDeploymentFailing',
      isRootCause: true,
      _links: {
        self: { href: `${PUBLIC_URL}${FM}/alarms/${String(alarm['id'])}` },
        objectInstance: { href: `${PUBLIC_URL}/o2dms/vnflcm/v2/vnf_instances/${id}` },
      },
    });
    // The error of the occurrence names the unready workload.
    expect((alarm['faultDetails'] as string[]).join(' ')).toMatch(/probe-nf-/);
    const self = `${FM}/alarms/${String(alarm['id'])}`;
    expect((await client.get(self, FM_VERSION)).body).toEqual(alarm);
    // The same alarm in the O2 IMS monitoring API.
    const ims = await fetch(`${env.origin}/o2ims-infrastructureMonitoring/v1/alarms/${String(alarm['id'])}`);
    expect(ims.status).toBe(200);
    expect(await ims.json()).toMatchObject({ extensions: { vnfInstanceId: id, clusterId: 'edge-1' } });
    // Filters, the per-cluster apiRoot, and a cluster it is not on.
    const filtered = await client.get(`${FM}/alarms?filter=(eq,managedObjectId,${id})`, FM_VERSION);
    expect((filtered.body as unknown[]).length).toBe(1);
    expect(
      ((await client.get(`/o2dms/${EDGE_1}/vnffm/v1/alarms`, FM_VERSION)).body as { id: string }[]).map(
        (a) => a.id,
      ),
    ).toContain(alarm['id']);

    const patch = (ackState: string) =>
      client.send('PATCH', self, {
        raw: JSON.stringify({ ackState }),
        headers: { ...FM_VERSION, 'content-type': 'application/merge-patch+json' },
      });
    const acknowledged = await patch('ACKNOWLEDGED');
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toEqual({ ackState: 'ACKNOWLEDGED' });
    expectProblem(await patch('ACKNOWLEDGED'), 409);
    expectProblem(await patch('UNACKNOWLEDGED'), 422);
    const after = (await client.get(self, FM_VERSION)).body as Record<string, unknown>;
    expect(after['ackState']).toBe('ACKNOWLEDGED');
    expect(after['alarmAcknowledgedTime']).toEqual(expect.any(String));

    expect((await client.post(`${occurrence}/rollback`)).status).toBe(202);
    await client.until(occurrence, 'ROLLED_BACK');
    const cleared = (await client.get(self, FM_VERSION)).body as Record<string, unknown>;
    expect(cleared['perceivedSeverity']).toBe(SEVERITY_NAMES[5]);
    expect(cleared['alarmClearedTime']).toEqual(expect.any(String));

    // The receiver got the raise, the acknowledgement and the clearing, in order, on its subscription only.
    const ofMine = (): Record<string, unknown>[] =>
      receiver.notifications.filter((n) => n.path.endsWith('/fm-mine')).map((n) => n.body!);
    await receiver.waitFor(
      () => ofMine().some((n) => n['notificationType'] === 'AlarmClearedNotification'),
      'AlarmClearedNotification',
      60_000,
    );
    const notifications = ofMine();
    expect(notifications.map((n) => n['notificationType'])).toEqual([
      'AlarmNotification',
      'AlarmNotification',
      'AlarmClearedNotification',
    ]);
    const subscriptionLink = { href: `${PUBLIC_URL}${FM}/subscriptions/${mine}` };
    expect(notifications[0]).toMatchObject({
      subscriptionId: mine,
      alarm: { id: alarm['id'], managedObjectId: id, ackState: 'UNACKNOWLEDGED', perceivedSeverity: 'MAJOR' },
      _links: { subscription: subscriptionLink },
    });
    expect(notifications[1]).toMatchObject({ alarm: { id: alarm['id'], ackState: 'ACKNOWLEDGED' } });
    expect(notifications[2]).toMatchObject({
      subscriptionId: mine,
      alarmId: alarm['id'],
      alarmClearedTime: cleared['alarmClearedTime'],
      _links: { subscription: subscriptionLink, alarm: { href: `${PUBLIC_URL}${self}` } },
    });
    const delivery = receiver.notifications.find((n) => n.path.endsWith('/fm-mine'))!;
    expect(delivery.headers['version']).toBe('1.5.0');
    expect(delivery.headers['content-type']).toMatch(/^application\/json/);
    expect(delivery.headers['authorization']).toBe(`Basic ${Buffer.from('smo:s3cret').toString('base64')}`);
    expect(receiver.notifications.filter((n) => n.path.endsWith('/fm-other'))).toEqual([]);
  });

  it('marking the failed occurrence FAILED clears the alarm: AlarmClearedNotification only, as filtered', async () => {
    const id = await client.createInstance(vnfdId);
    await subscribe({
      callbackUri: `${receiver.url}/fm-cleared`,
      filter: {
        vnfInstanceSubscriptionFilter: { vnfInstanceIds: [id] },
        notificationTypes: ['AlarmClearedNotification'],
      },
    });
    const occurrence = await client.instantiate(id, {
      flavourId: 'default',
      additionalParams: { namespace: 'fm-failed', helm_parameters: { ready: 'false' } },
    });
    await client.until(occurrence, 'FAILED_TEMP');
    expect((await client.post(`${occurrence}/fail`)).status).toBe(200);
    await receiver.waitFor(
      (all) => all.some((n) => n.path.endsWith('/fm-cleared')),
      'AlarmClearedNotification of the failed instance',
      60_000,
    );
    const received = receiver.notifications.filter((n) => n.path.endsWith('/fm-cleared'));
    expect(received.map((n) => n.body!['notificationType'])).toEqual(['AlarmClearedNotification']);
    const alarmId = String(received[0]!.body!['alarmId']);
    const alarm = (await client.get(`${FM}/alarms/${alarmId}`, FM_VERSION)).body as Record<string, unknown>;
    expect(alarm).toMatchObject({ managedObjectId: id, perceivedSeverity: 'CLEARED' });
  });

  it('Version 1.x.y is required (400 missing, 406 another major); unknown alarm 404; bad PATCH 400/415; 405', async () => {
    expectProblem(await client.get(`${FM}/alarms`, { Version: undefined }), 400);
    expectProblem(await client.get(`${FM}/alarms`, { Version: '2.0.0' }), 406);
    expectProblem(await client.get(`${FM}/alarms/0b0e5a4e-0000-4000-8000-000000000000`, FM_VERSION), 404);
    expectProblem(await client.get(`${FM}/alarms/not-an-id`, FM_VERSION), 404);
    const unknown = `${FM}/alarms/0b0e5a4e-0000-4000-8000-000000000000`;
    expectProblem(
      await client.send('PATCH', unknown, {
        raw: JSON.stringify({ ackState: 'LATER' }),
        headers: { ...FM_VERSION, 'content-type': 'application/merge-patch+json' },
      }),
      400,
    );
    expectProblem(
      await client.send('PATCH', unknown, {
        raw: 'ackState=ACKNOWLEDGED',
        headers: { ...FM_VERSION, 'content-type': 'text/plain' },
      }),
      415,
    );
    const notAllowed = await client.send('POST', `${FM}/alarms`, { body: {}, headers: FM_VERSION });
    expectProblem(notAllowed, 405);
    expect(notAllowed.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('vnffm/v1 subscriptions', () => {
  it('creates after a 204 test GET, never returns the authentication, 303 for a duplicate, lists, filters, deletes', async () => {
    const body = {
      callbackUri: `${receiver.url}/crud`,
      filter: { notificationTypes: ['AlarmClearedNotification'], eventTypes: ['PROCESSING_ERROR_ALARM'] },
      authentication: { authType: ['BASIC'], paramsBasic: { userName: 'u', password: 'p' } },
    };
    const created = await client.post(`${FM}/subscriptions`, body, FM_VERSION);
    expect(created.status).toBe(201);
    expect(created.headers.get('version')).toBe('1.5.0');
    const subscription = created.body as Record<string, unknown>;
    expect(subscription).toEqual({
      id: expect.any(String),
      callbackUri: body.callbackUri,
      filter: body.filter,
      _links: { self: { href: `${PUBLIC_URL}${FM}/subscriptions/${String(subscription['id'])}` } },
    });
    expect(created.headers.get('location')).toBe(
      `${PUBLIC_URL}${FM}/subscriptions/${String(subscription['id'])}`,
    );
    expect(receiver.requests.some((r) => r.method === 'GET' && r.path.endsWith('/crud'))).toBe(true);

    // 303 with the Location of the existing one (not followed: it names PUBLIC_URL).
    const again = await fetch(client.url(`${FM}/subscriptions`), {
      method: 'POST',
      redirect: 'manual',
      headers: { ...FM_VERSION, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(created.headers.get('location'));

    const one = `${FM}/subscriptions/${String(subscription['id'])}`;
    expect((await client.get(one, FM_VERSION)).body).toEqual(subscription);
    const all = (await client.get(`${FM}/subscriptions`, FM_VERSION)).body as { id: string }[];
    expect(all.map((s) => s.id)).toContain(subscription['id']);
    const filtered = await client.get(
      `${FM}/subscriptions?filter=(eq,callbackUri,${encodeURIComponent(body.callbackUri)})`,
      FM_VERSION,
    );
    expect(filtered.body).toEqual([subscription]);
    // An LCM subscription is not an FM one.
    expectProblem(await client.get(`${LCM}/subscriptions/${String(subscription['id'])}`), 404);

    // On a cluster's apiRoot: links on that apiRoot; the cluster's list shows it, not the global one's.
    const perCluster = await client.post(
      `/o2dms/${EDGE_1}/vnffm/v1/subscriptions`,
      { callbackUri: `${receiver.url}/crud-edge-1` },
      FM_VERSION,
    );
    expect(perCluster.status).toBe(201);
    const clusterId = (perCluster.body as { id: string }).id;
    expect(perCluster.body).toMatchObject({
      _links: { self: { href: `${PUBLIC_URL}/o2dms/${EDGE_1}/vnffm/v1/subscriptions/${clusterId}` } },
    });
    const ofCluster = (await client.get(`/o2dms/${EDGE_1}/vnffm/v1/subscriptions`, FM_VERSION)).body as {
      id: string;
    }[];
    expect(ofCluster.map((s) => s.id)).toContain(clusterId);
    expect(ofCluster.map((s) => s.id)).not.toContain(subscription['id']);
    expect(
      (
        await client.send('DELETE', `/o2dms/${EDGE_1}/vnffm/v1/subscriptions/${clusterId}`, {
          headers: FM_VERSION,
        })
      ).status,
    ).toBe(204);

    expect((await client.send('DELETE', one, { headers: FM_VERSION })).status).toBe(204);
    expectProblem(await client.send('DELETE', one, { headers: FM_VERSION }), 404);
    expectProblem(await client.get(one, FM_VERSION), 404);
  });

  it('422 when the callback fails the test GET; 400 for a bad filter; Version required', async () => {
    // A receiver that answers the test GET with 404.
    const wrong = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => wrong.listen(0, '127.0.0.1', resolve));
    const refused = await client.post(
      `${FM}/subscriptions`,
      { callbackUri: `http://127.0.0.1:${(wrong.address() as AddressInfo).port}/refuses` },
      FM_VERSION,
    );
    wrong.closeAllConnections();
    await new Promise<void>((resolve) => wrong.close(() => resolve()));
    expectProblem(refused, 422);
    const listed = (await client.get(`${FM}/subscriptions`, FM_VERSION)).body as { callbackUri: string }[];
    expect(listed.some((s) => s.callbackUri.endsWith('/refuses'))).toBe(false);
    expectProblem(
      await client.post(
        `${FM}/subscriptions`,
        {
          callbackUri: `${receiver.url}/bad`,
          filter: { notificationTypes: ['VnfLcmOperationOccurrenceNotification'] },
        },
        FM_VERSION,
      ),
      400,
    );
    expectProblem(
      await client.post(
        `${FM}/subscriptions`,
        { callbackUri: `${receiver.url}/bad`, verbosity: 'FULL' },
        FM_VERSION,
      ),
      400,
    );
    expectProblem(
      await client.post(`${FM}/subscriptions`, { callbackUri: `${receiver.url}/x` }, { Version: undefined }),
      400,
    );
  });
});
