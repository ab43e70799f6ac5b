/**
 * Infrastructure monitoring end to end, as a new user meets it on the demo topology (simulated cluster →
 * cluster subgraph deriving alarms → state store → gateway): kubectl marks a node NotReady, the alarm appears in
 * GET /alarms, a subscribed receiver gets NEW, an acknowledgement by PATCH sends ACKNOWLEDGE, the node coming
 * back clears the alarm with CLEAR. Also: alarms in GraphQL and on graphql-ws, Alertmanager ingest, a cluster
 * whose subgraph goes away, and the demo scenario's timeline raising and clearing alarms.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { DEMO_SCENARIO, startDemo } from '../../cli/demo.ts';
import type { Demo } from '../../cli/demo.ts';
import { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { PERCEIVED_SEVERITY } from '../../alarms/alarm-record.ts';
import type { AlarmRecord } from '../../alarms/alarm-record.ts';
import { deploymentManagerIdOf } from '../../alarms/cluster-alarm-subject.ts';
import { createLogger } from '../../common/log.ts';
import {
  REFERENCE_ALARMS_SKIP_NOTE,
  assertConformsToItTestSchema,
  assertConformsToOwnMonitoringDocument,
  assertConformsToReferenceAlarms,
  ownSchemaErrors,
  referenceSchemaErrors,
} from '../../testing/monitoring-contract.ts';
import { loadScenario, startTimeline } from '../../sim/index.ts';
import { kubectlPath } from '../../testing/kube-tools.ts';
import { FakeClock } from '../../testing/sim-fake-clock.ts';
import { startWebhookReceiver } from '../../testing/webhook-receiver.ts';
import type { WebhookReceiver } from '../../testing/webhook-receiver.ts';

const run = promisify(execFile);
const MONITORING = '/o2ims-infrastructureMonitoring/v1';
const CLUSTER = 'mon-1';

const SCENARIO = loadScenario(`
name: monitoring-e2e
kubernetesVersion: v1.31.2
clusters:
  - name: ${CLUSTER}
    region: eu-test
    site:
      name: monitoring-site
      location: { globalLocationId: 4e2d8b10-7a3c-4f61-9d0e-5b6c7d8e9f01, name: Monitoring test site }
    network: { nodes: 10.40.0.0/16 }
    nodeGroups:
      - { prefix: mon-node, count: 2, pool: edge, role: converged, instanceType: xr11, vendor: Dell Inc., model: PowerEdge XR11, cpu: { count: 8, vendor: Intel, family: 6, model: 106 }, memory: 32Gi, ephemeralStorage: 100Gi }
      - prefix: mon-gpu
        count: 1
        pool: gpu
        instanceType: xe8545
        vendor: Dell Inc.
        model: PowerEdge XE8545
        cpu: { count: 32, vendor: AMD, family: 25, model: 1 }
        memory: 256Gi
        ephemeralStorage: 1Ti
        gpu: { product: NVIDIA-A100-SXM4-40GB, memoryMiB: 40960, count: 2, family: ampere }
    workloads:
      - kind: Deployment
        name: app
        namespace: demo
        replicas: 2
        pool: edge
        containers: [{ name: app, image: registry.example.org/demo/app:1.0.0, cpu: 100m, memory: 128Mi }]
`);

interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
  readonly headers: Headers;
}

interface O2Alarm {
  readonly alarmEventRecordId: string;
  readonly perceivedSeverity: number;
  readonly alarmAcknowledged: boolean;
  readonly resourceID: string;
  readonly alarmClearedTime?: string;
  readonly extensions: Record<string, unknown>;
}

let demo: Demo;
let base: string;
let kubeconfigDir: string;
let receiver: WebhookReceiver;

async function http(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<HttpAnswer> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': contentType } }),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
    headers: response.headers,
  };
}

async function graphql<T>(query: string): Promise<{ data?: T; errors?: unknown[] }> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: T; errors?: unknown[] };
}

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(kubectlPath(), [
    '--kubeconfig',
    join(kubeconfigDir, `${CLUSTER}.kubeconfig`),
    ...args,
  ]);
  return stdout;
}

function readyPatch(status: 'True' | 'False', reason: string): string {
  return JSON.stringify({
    status: { conditions: [{ type: 'Ready', status, reason, message: `kubelet says ${reason}` }] },
  });
}

async function activeAlarms(filter = '(neq,perceivedSeverity,5)'): Promise<O2Alarm[]> {
  const answer = await http('GET', `${MONITORING}/alarms?filter=${encodeURIComponent(filter)}`);
  expect(answer.status).toBe(200);
  return answer.body as O2Alarm[];
}

function notificationsFor(alarmId: string): number[] {
  return receiver.notifications
    .filter((n) => n.body?.['alarmEventRecordId'] === alarmId)
    .map((n) => n.body!['notificationEventType'] as number);
}

beforeAll(async () => {
  kubeconfigDir = await mkdtemp(join(tmpdir(), 'netweave-monitoring-e2e-'));
  receiver = await startWebhookReceiver();
  demo = await startDemo({
    scenario: SCENARIO,
    port: 0,
    timeline: false,
    kubeconfigDir,
    logger: createLogger('silent'),
    gateway: {
      logLevel: 'silent',
      shards: { timeoutMs: 2_000, failureThreshold: 2, cooldownMs: 300 },
      subscriptions: {
        callbacks: { requireHttps: false, allowLoopback: true },
        delivery: { initialBackoffMs: 50, maxBackoffMs: 200, leaseTtlMs: 1_000 },
      },
      monitoring: {
        clusterProbe: { intervalMs: 200, timeoutMs: 1_000, failureThreshold: 2 },
        leaderLeaseTtlMs: 1_000,
        maintenanceIntervalMs: 500,
      },
    },
  });
  base = demo.gateway.url;
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await receiver?.close();
  await rm(kubeconfigDir, { recursive: true, force: true });
});

describe('infrastructure monitoring, end to end', () => {
  it(`kubectl NotReady → GET alarms → NEW → PATCH acknowledge → ACKNOWLEDGE → Ready → CLEAR${REFERENCE_ALARMS_SKIP_NOTE}`, async () => {
    const subscription = await http('POST', `${MONITORING}/alarmSubscriptions`, { callback: receiver.url });
    expect(subscription.status).toBe(201);

    await kubectl(
      'patch',
      'node',
      'mon-node-01',
      '--subresource=status',
      '--type=strategic',
      '-p',
      readyPatch('False', 'KubeletNotReady'),
    );
    const alarm = await vi.waitFor(
      async () => {
        const found = (await activeAlarms()).find((a) => a.extensions['nodeName'] === 'mon-node-01');
        if (found === undefined) throw new Error('the NotReady alarm is not in GET /alarms yet');
        return found;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(alarm).toMatchObject({
      perceivedSeverity: PERCEIVED_SEVERITY.MAJOR,
      alarmAcknowledged: false,
      extensions: { alarmName: 'Node not ready', clusterId: CLUSTER },
    });
    const listed = await http('GET', `${MONITORING}/alarms`);
    assertConformsToOwnMonitoringDocument(`${MONITORING}/alarms`, 'get', listed);
    assertConformsToReferenceAlarms(`${MONITORING}/alarms`, 'get', listed);
    assertConformsToItTestSchema('alarms', listed);
    // The alarm names the node's resource, which the inventory serves.
    const resource = await http('GET', `/o2ims-infrastructureInventory/v2/resourcePools`);
    expect(resource.status).toBe(200);

    await receiver.waitFor(
      (n) => n.some((r) => r.body?.['alarmEventRecordId'] === alarm.alarmEventRecordId),
      'NEW',
    );
    const acknowledged = await http(
      'PATCH',
      `${MONITORING}/alarms/${alarm.alarmEventRecordId}`,
      { alarmAcknowledged: true },
      'application/merge-patch+json',
    );
    expect(acknowledged.status).toBe(200);
    await receiver.waitFor(() => notificationsFor(alarm.alarmEventRecordId).includes(3), 'ACKNOWLEDGE');

    await kubectl(
      'patch',
      'node',
      'mon-node-01',
      '--subresource=status',
      '--type=strategic',
      '-p',
      readyPatch('True', 'KubeletReady'),
    );
    await receiver.waitFor(() => notificationsFor(alarm.alarmEventRecordId).includes(2), 'CLEAR');
    expect(notificationsFor(alarm.alarmEventRecordId)).toEqual([0, 3, 2]);
    for (const notification of receiver.notifications) {
      expect(ownSchemaErrors('AlarmEventNotification', notification.body)).toEqual([]);
      expect(referenceSchemaErrors('AlarmEventNotification', notification.body)).toEqual([]);
    }
    const after = await http('GET', `${MONITORING}/alarms/${alarm.alarmEventRecordId}`);
    expect(after.body).toMatchObject({
      perceivedSeverity: PERCEIVED_SEVERITY.CLEARED,
      alarmAcknowledged: true,
      alarmClearedTime: expect.any(String),
    });
  });

  it('serves alarms in GraphQL on the O-Cloud, the cluster and the resource, and streams them over graphql-ws', async () => {
    const client = createClient({
      url: `${base.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
    });
    try {
      const stream = client.iterate<{
        alarmChanged: {
          kind: string;
          notificationEventType: number;
          alarm: { alarmName: string; severity: string; extensions: Record<string, unknown> };
        };
      }>({
        query: `subscription { alarmChanged(clusterId: "${CLUSTER}") { kind notificationEventType alarm { alarmName severity extensions } } }`,
      });
      // Bounded wait for the subscription to be set up before the change.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await kubectl(
        'patch',
        'node',
        'mon-node-02',
        '--subresource=status',
        '--type=strategic',
        '-p',
        JSON.stringify({
          status: {
            conditions: [{ type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure' }],
          },
        }),
      );
      let first:
        | {
            kind: string;
            notificationEventType: number;
            alarm: { alarmName: string; severity: string; extensions: Record<string, unknown> };
          }
        | undefined;
      for await (const event of stream) {
        first = event.data?.alarmChanged;
        if (first?.alarm.extensions['nodeName'] === 'mon-node-02') break;
      }
      expect(first).toMatchObject({
        kind: 'NEW',
        notificationEventType: 0,
        alarm: { alarmName: 'Node disk pressure' },
      });

      const result = await graphql<{
        oCloud: { alarms: Array<{ alarmName: string; resourceId: string }> };
        cluster: {
          alarms: Array<{ alarmName: string }>;
          resourcePools: Array<{
            resources: Array<{
              resourceId: string;
              node: { name: string } | null;
              alarms: Array<{ alarmName: string; severity: string }>;
            }>;
          }>;
        };
      }>(`{
        oCloud { alarms { alarmName resourceId } }
        cluster(clusterId: "${CLUSTER}") {
          alarms { alarmName }
          resourcePools { resources { resourceId node { name } alarms { alarmName severity } } }
        }
      }`);
      expect(result.errors).toBeUndefined();
      expect(result.data!.oCloud.alarms.map((a) => a.alarmName)).toContain('Node disk pressure');
      expect(result.data!.cluster.alarms.map((a) => a.alarmName)).toContain('Node disk pressure');
      const node = result
        .data!.cluster.resourcePools.flatMap((p) => p.resources)
        .find((r) => r.node?.name === 'mon-node-02')!;
      expect(node.alarms).toEqual([{ alarmName: 'Node disk pressure', severity: 'WARNING' }]);
    } finally {
      await client.dispose();
      await kubectl(
        'patch',
        'node',
        'mon-node-02',
        '--subresource=status',
        '--type=strategic',
        '-p',
        JSON.stringify({
          status: {
            conditions: [{ type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' }],
          },
        }),
      );
    }
  });

  it('turns an Alertmanager webhook into alarms on the node (by instance address) and the cluster; resolved clears them', async () => {
    const gpuNode = demo.clusters.get(CLUSTER)!.objects.get('v1', 'Node', 'mon-gpu-01')!;
    const ip = (gpuNode['status'] as { addresses: Array<{ type: string; address: string }> }).addresses.find(
      (a) => a.type === 'InternalIP',
    )!.address;
    const alert = (status: 'firing' | 'resolved', labels: Record<string, string>, fingerprint: string) => ({
      status,
      labels,
      annotations: { summary: 'test alert', runbook_url: 'https://runbooks.example/x' },
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example/graph',
      fingerprint,
    });
    const payload = (status: 'firing' | 'resolved') => ({
      version: '4',
      groupKey: '{}:{alertname="NodeHighTemperature"}',
      truncatedAlerts: 0,
      status,
      receiver: 'netweave',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://alertmanager.example',
      alerts: [
        alert(
          status,
          { alertname: 'GpuTemperatureHigh', severity: 'critical', instance: `${ip}:9400`, cluster: CLUSTER },
          'fp-gpu',
        ),
        alert(
          status,
          { alertname: 'EtcdHighFsyncDurations', severity: 'warning', cluster: CLUSTER },
          'fp-etcd',
        ),
        alert(status, { alertname: 'Unrelated', node: 'no-such-node' }, 'fp-none'),
      ],
    });
    const fired = await http('POST', '/netweave/v1/alertmanager', payload('firing'));
    expect(fired.status).toBe(200);
    expect(fired.body).toEqual({ raised: 2, cleared: 0, unmatched: 1 });
    assertConformsToOwnMonitoringDocument('/netweave/v1/alertmanager', 'post', fired);

    const alarms = await activeAlarms('(eq,extensions/source,alertmanager);(neq,perceivedSeverity,5)');
    const gpuAlarm = alarms.find((a) => a.extensions['alertname'] === 'GpuTemperatureHigh')!;
    const etcdAlarm = alarms.find((a) => a.extensions['alertname'] === 'EtcdHighFsyncDurations')!;
    expect(gpuAlarm).toMatchObject({
      perceivedSeverity: PERCEIVED_SEVERITY.CRITICAL,
      extensions: { nodeName: 'mon-gpu-01', clusterId: CLUSTER },
    });
    expect(etcdAlarm).toMatchObject({
      perceivedSeverity: PERCEIVED_SEVERITY.WARNING,
      resourceID: deploymentManagerIdOf(CLUSTER),
    });
    // Sent twice (Alertmanager repeats): still one alarm each.
    await http('POST', '/netweave/v1/alertmanager', payload('firing'));
    expect(await activeAlarms('(eq,extensions/source,alertmanager);(neq,perceivedSeverity,5)')).toHaveLength(
      2,
    );

    const resolved = await http('POST', '/netweave/v1/alertmanager', payload('resolved'));
    expect(resolved.body).toEqual({ raised: 0, cleared: 2, unmatched: 0 });
    expect(await activeAlarms('(eq,extensions/source,alertmanager);(neq,perceivedSeverity,5)')).toEqual([]);
  });

  it.each([
    ['not JSON', 'text/plain', 'hello', 415],
    [
      'a wrong version',
      'application/json',
      { version: '3', groupKey: 'x', status: 'firing', receiver: 'r', alerts: [] },
      400,
    ],
    [
      'alerts missing',
      'application/json',
      { version: '4', groupKey: 'x', status: 'firing', receiver: 'r' },
      400,
    ],
  ])(
    'refuses an Alertmanager body that is %s with a ProblemDetails',
    async (_what, contentType, body, status) => {
      const response = await fetch(`${base}/netweave/v1/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    },
  );

  it('raises "cluster API unreachable" on the deployment manager when the subgraph goes away, clears it when it is back', async () => {
    const ledger = new AlarmLedger(demo.gateway.store);
    const unreachable = async (): Promise<AlarmRecord | undefined> =>
      (await ledger.list()).find(
        (a) =>
          a.alarmCode === 'ClusterUnreachable' &&
          a.clusterId === CLUSTER &&
          a.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED,
      );
    await demo.subgraphs.get(CLUSTER)!.close();
    const alarm = await vi.waitFor(
      async () => {
        const found = await unreachable();
        if (found === undefined) throw new Error('no ClusterUnreachable alarm yet');
        return found;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(alarm).toMatchObject({
      resourceId: deploymentManagerIdOf(CLUSTER),
      perceivedSeverity: PERCEIVED_SEVERITY.CRITICAL,
      source: 'gateway',
    });

    const restarted = await demo.startSubgraph(CLUSTER);
    await demo.gateway.registry.register({ clusterId: CLUSTER, url: restarted.url, wsUrl: restarted.wsUrl });
    await expect
      .poll(
        async () =>
          (await ledger.get(alarm.alarmEventRecordId))?.perceivedSeverity === PERCEIVED_SEVERITY.CLEARED,
        { timeout: 10_000, message: 'the ClusterUnreachable alarm cleared' },
      )
      .toBeTruthy();
  });
});

describe('the demo scenario', () => {
  it('raises and clears alarms on its timeline: at least one active and one cleared alarm', async () => {
    await using full = await startDemo({
      port: 0,
      timeline: false,
      logger: createLogger('silent'),
      gateway: { logLevel: 'silent' },
    });
    const scenario = loadScenario(DEMO_SCENARIO);
    const clock = new FakeClock();
    const timeline = startTimeline(scenario, full.clusters, clock);
    const ledger = new AlarmLedger(full.gateway.store);
    const alarms = async (): Promise<AlarmRecord[]> => ledger.list();
    try {
      // A crash-looping xApp is there from the start.
      await expect
        .poll(
          async () =>
            (await alarms()).some(
              (a) =>
                a.alarmCode === 'WorkloadCrashLooping' && a.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED,
            ),
          { timeout: 10_000, message: 'the crash-looping workload alarm' },
        )
        .toBeTruthy();
      clock.advance(61_000); // node NotReady at 30 s, GPU lost at 60 s
      await expect
        .poll(
          async () => {
            const list = await alarms();
            return (
              list.some(
                (a) =>
                  a.alarmCode === 'NodeUnreachable' && a.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED,
              ) &&
              list.some(
                (a) =>
                  a.alarmCode === 'DeviceUnhealthy' && a.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED,
              )
            );
          },
          { timeout: 10_000, message: 'the NotReady and GPU alarms' },
        )
        .toBeTruthy();
      clock.advance(60_000); // node back at 90 s, GPU back at 120 s
      await expect
        .poll(
          async () => {
            const list = await alarms();
            const cleared = list
              .filter((a) => a.perceivedSeverity === PERCEIVED_SEVERITY.CLEARED)
              .map((a) => a.alarmCode);
            return cleared.includes('NodeUnreachable') && cleared.includes('DeviceUnhealthy');
          },
          { timeout: 10_000, message: 'the NotReady and GPU alarms cleared' },
        )
        .toBeTruthy();
      const list = await alarms();
      expect(list.some((a) => a.perceivedSeverity !== PERCEIVED_SEVERITY.CLEARED)).toBe(true);
      expect(list.some((a) => a.perceivedSeverity === PERCEIVED_SEVERITY.CLEARED)).toBe(true);
    } finally {
      timeline.dispose();
    }
  }, 60_000);
});
