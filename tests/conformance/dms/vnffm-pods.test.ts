/**
 * Alarms of the pods of INSTANTIATED NF deployments (issue 11 item 9, docs/dms.md "Fault management"), end to
 * end on the demo topology: the real gateway, simulated clusters whose kubelets crash-loop or hold pods unready
 * (sim.netweave.io/crash-loop, sim.netweave.io/ready), cluster subgraphs running the real helm binary, and a
 * real loopback webhook receiver. The cluster subgraph's alarm monitor raises NfPodCrashLooping / NfPodUnready
 * for the instance, with its VNFCs (the pods) named; vnffm/v1 serves them, PATCH acknowledges them, and
 * AlarmNotification / AlarmClearedNotification reach the FM subscriber; they clear when the pods recover.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { kubectlPath } from '../../../testing/kube-tools.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../testing/webhook-receiver.ts';
import { DmsClient, LCM, PUBLIC_URL, probeChart, startDmsDemo, type DmsDemo } from './support.ts';

const run = promisify(execFile);
const FM = '/o2dms/vnffm/v1';
const FM_VERSION = { Version: '1.3.0' };

let env: DmsDemo;
let client: DmsClient;
let vnfdId: string;
/** The same chart as another package (a fixed release of the NF). */
let fixedVnfdId: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  env = await startDmsDemo(
    { readinessTimeoutMs: 60_000, nfUnreadyGraceMs: 1_000 },
    { subscriptions: { callbacks: { requireHttps: false, allowLoopback: true } } },
  );
  client = new DmsClient(env.origin);
  ({ vnfdId } = await client.onboard(await probeChart(), 'application/gzip'));
  ({ vnfdId: fixedVnfdId } = await client.onboard(await probeChart('0.2.0'), 'application/gzip'));
}, 120_000);

afterAll(async () => {
  await env?.close();
  await receiver?.close();
});

type Alarm = Record<string, unknown> & { id: string; perceivedSeverity: string };

/** The alarm of `faultType` of the instance, once `accept` holds for it. */
async function alarmOf(
  instanceId: string,
  faultType: string,
  accept: (alarm: Alarm) => boolean = () => true,
): Promise<Alarm> {
  return vi.waitFor(
    async () => {
      const listed = await client.get(`${FM}/alarms?filter=(eq,managedObjectId,${instanceId})`, FM_VERSION);
      const alarm = (listed.body as Alarm[]).find((a) => a['faultType'] === faultType && accept(a));
      if (alarm === undefined) throw new Error(`no ${faultType} alarm of ${instanceId} yet`);
      return alarm;
    },
    { timeout: 60_000, interval: 250 },
  );
}

async function instantiated(helmParameters: Record<string, unknown>, namespace: string): Promise<string> {
  const id = await client.createInstance(vnfdId);
  const occurrence = await client.instantiate(id, {
    flavourId: 'default',
    additionalParams: { namespace, helm_parameters: helmParameters },
  });
  await client.until(occurrence, 'COMPLETED');
  return id;
}

async function podNames(id: string): Promise<string[]> {
  const instance = (await client.get(`${LCM}/vnf_instances/${id}`)).body as {
    instantiatedVnfInfo: { vnfcResourceInfo: { id: string }[] };
  };
  return instance.instantiatedVnfInfo.vnfcResourceInfo.map((vnfc) => vnfc.id).sort();
}

describe('vnffm/v1 alarms of the pods of instantiated NF deployments', () => {
  it('crash-looping pods raise NfPodCrashLooping with their VNFCs; acknowledge; a fixed package clears it', async () => {
    // Two pods that pass readiness, so the instantiation COMPLETES, and crash-loop 2 s after they start.
    const id = await instantiated({ replicas: 2, crashLoop: '2s' }, 'fm-crash');
    const subscription = await client.post(
      `${FM}/subscriptions`,
      {
        callbackUri: `${receiver.url}/fm-crash`,
        filter: { vnfInstanceSubscriptionFilter: { vnfInstanceIds: [id] }, faultyResourceTypes: ['COMPUTE'] },
      },
      FM_VERSION,
    );
    expect(subscription.status).toBe(201);
    const pods = await podNames(id);
    expect(pods).toHaveLength(2);

    const alarm = await alarmOf(
      id,
      'NfPodCrashLooping',
      (a) => (a['vnfcInstanceIds'] as unknown[]).length === 2,
    );
    expect(alarm).toMatchObject({
      managedObjectId: id,
      ackState: 'UNACKNOWLEDGED',
      // The workload has no ready pod: that part of the NF is down.
      perceivedSeverity: 'MAJOR',
      eventType: 'PROCESSING_ERROR_ALARM',
      probableCause: 'NF pods crash-looping',
      isRootCause: true,
      vnfcInstanceIds: pods,
      rootCauseFaultyResource: {
        faultyResource: { resourceId: pods[0], vimLevelResourceType: 'Pod', vimConnectionId: 'edge' },
        faultyResourceType: 'COMPUTE',
      },
      _links: { objectInstance: { href: `${PUBLIC_URL}${LCM}/vnf_instances/${id}` } },
    });
    expect((alarm['faultDetails'] as string[]).join(' ')).toMatch(/pods crash-looping: .*\[probe\]/);
    // The same alarm in the O2 IMS monitoring API, on the cluster's deployment manager.
    const ims = await fetch(`${env.origin}/o2ims-infrastructureMonitoring/v1/alarms/${alarm.id}`);
    expect(await ims.json()).toMatchObject({ extensions: { vnfInstanceId: id, vnfcInstanceIds: pods } });

    const acknowledged = await client.send('PATCH', `${FM}/alarms/${alarm.id}`, {
      raw: JSON.stringify({ ackState: 'ACKNOWLEDGED' }),
      headers: { ...FM_VERSION, 'content-type': 'application/merge-patch+json' },
    });
    expect(acknowledged.status).toBe(200);

    // The fix: a new package version, with the crash turned off (change_vnfpkg, values overridden): new pods.
    const change = await client.post(`${LCM}/vnf_instances/${id}/change_vnfpkg`, {
      vnfdId: fixedVnfdId,
      additionalParams: { helm_parameters: { crashLoop: 'false' } },
    });
    expect(change.status).toBe(202);
    await client.until(change.headers.get('location')!, 'COMPLETED');
    const cleared = await alarmOf(id, 'NfPodCrashLooping', (a) => a.perceivedSeverity === 'CLEARED');
    expect(cleared.id).toBe(alarm.id);

    const mine = (): Record<string, unknown>[] =>
      receiver.notifications.filter((n) => n.path.endsWith('/fm-crash')).map((n) => n.body!);
    await receiver.waitFor(
      () => mine().some((n) => n['notificationType'] === 'AlarmClearedNotification'),
      'AlarmClearedNotification',
      60_000,
    );
    // Raised (maybe first MINOR while one pod was still ready, then MAJOR), acknowledged, cleared.
    const received = mine().filter(
      (n) => ((n['alarm'] as Alarm | undefined)?.id ?? n['alarmId']) === alarm.id,
    );
    expect(received.at(-1)).toMatchObject({
      notificationType: 'AlarmClearedNotification',
      alarmId: alarm.id,
    });
    expect(received[0]).toMatchObject({
      notificationType: 'AlarmNotification',
      alarm: {
        id: alarm.id,
        managedObjectId: id,
        faultType: 'NfPodCrashLooping',
        vnfcInstanceIds: expect.any(Array),
      },
    });
    expect(received.some((n) => (n['alarm'] as Alarm | undefined)?.['ackState'] === 'ACKNOWLEDGED')).toBe(
      true,
    );
  });

  it('a pod unready past the grace period raises NfPodUnready (MINOR while another is ready); it clears when ready', async () => {
    const id = await instantiated({ replicas: 1 }, 'fm-unready');
    const [release] = (await podNames(id)).map((pod) =>
      pod.replace(/^probe-/, '').replace(/-[^-]+-[^-]+$/, ''),
    );
    const kubectl = (...args: string[]) =>
      run(kubectlPath(), [
        '--kubeconfig',
        join(env.kubeconfigDir, 'edge-1.kubeconfig'),
        '-n',
        'fm-unready',
        ...args,
      ]);
    // An operator's change outside the DMS: the new template's pod never becomes ready, so the rollout keeps
    // the old, ready pod next to it.
    const annotate = (ready: string) =>
      kubectl(
        'patch',
        'deployment',
        `probe-${release!}`,
        '--type',
        'merge',
        '-p',
        JSON.stringify({
          spec: { template: { metadata: { annotations: { 'sim.netweave.io/ready': ready } } } },
        }),
      );
    await annotate('false');
    const alarm = await alarmOf(id, 'NfPodUnready');
    expect(alarm).toMatchObject({
      managedObjectId: id,
      perceivedSeverity: 'MINOR',
      probableCause: 'NF pods unready',
      vnfcInstanceIds: [expect.stringMatching(/^probe-nf-/)],
    });
    expect(await podNames(id)).not.toContain((alarm['vnfcInstanceIds'] as string[])[0]);
    await annotate('true');
    const cleared = await alarmOf(id, 'NfPodUnready', (a) => a.perceivedSeverity === 'CLEARED');
    expect(cleared.id).toBe(alarm.id);
  });
});
