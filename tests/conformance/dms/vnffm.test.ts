/**
 * SOL003 VNF fault management, alarms (issue 11 item 9, partly): an instantiation whose pods never become ready
 * ends FAILED_TEMP and raises an `NfDeploymentFailing` alarm in the O2 alarm ledger; `vnffm/v1/alarms` serves it
 * as an Alarm of the instance, the IMS monitoring API as an AlarmEventRecord (one alarm, two views); PATCH
 * acknowledges it (409 the second time); a rollback clears it. netweave's own tests (TST010 has no FM ids for
 * SOL003 VNF FM in the suite this repository names).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITY_NAMES } from '../../../alarms/alarm-record.ts';
import { DmsClient, EDGE_1, PUBLIC_URL, expectProblem, startProbeDemo, type DmsDemo } from './support.ts';

const FM = '/o2dms/vnffm/v1';
const FM_VERSION = { Version: '1.3.0' };

let env: DmsDemo;
let client: DmsClient;
let vnfdId: string;

beforeAll(async () => {
  ({ env, client, vnfdId } = await startProbeDemo());
}, 120_000);

afterAll(async () => {
  await env?.close();
});

describe('vnffm/v1 alarms of NF deployments', () => {
  it('a failed instantiation raises an alarm of its instance; acknowledge; rollback clears it', async () => {
    const id = await client.createInstance(vnfdId);
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
