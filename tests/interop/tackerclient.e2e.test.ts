/**
 * Interoperability with a SOL003 client nobody here wrote (issue 10, item 5): Debian's python3-tackerclient
 * (the OpenStack Tacker client, an `openstack` CLI plugin) drives `netweave demo` — started as a child process
 * on a free port, as a user runs it — through its global apiRoot `/o2dms`:
 *
 *   OS_AUTH_TYPE=none OS_ENDPOINT=http://127.0.0.1:<port>/o2dms openstack --os-tacker-api-version 2 vnflcm …
 *
 * The client appends `/vnfpkgm/v1/…` and `/vnflcm/v2/…` to the endpoint, sends its token as `X-Auth-Token`,
 * `Version: 2.0.0` on vnflcm and no `Version` on vnfpkgm. Every command must exit 0; each occurrence must end
 * COMPLETED, seen by a real webhook receiver on loopback subscribed through `vnflcm subsc create`.
 *
 * The `vnf package` commands run without `--os-tacker-api-version 2`: tackerclient 1.12 registers them under
 * its API version 1 only (the same `/vnfpkgm/v1` URLs). docs/dms.md ("SOL003 client") records the versions and
 * what the commands printed. Needs the Debian packages python3-tackerclient and python3-openstackclient
 * (.ci/run installs them): without `openstack`, the test fails under CI and is skipped loudly elsewhere.
 * NETWEAVE_INTEROP_TRANSCRIPT=<file> writes every command with its exit code and output to that file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSamplePackage } from '../../dms/packages/samples.ts';
import { deploymentManagerIdOf } from '../../rest-facade/dms/index.ts';
import { killProcess, startDemoProcess } from '../../testing/demo-process.ts';
import { helmPath } from '../../testing/kube-tools.ts';
import {
  LCM_V2,
  missingClient,
  probeTackerClient,
  runOpenstack,
  type ClientRun,
} from '../../testing/tackerclient.ts';
import { freePort } from '../../testing/redis.ts';
import {
  startWebhookReceiver,
  type ReceivedRequest,
  type WebhookReceiver,
} from '../../testing/webhook-receiver.ts';
import type { ChildProcess } from 'node:child_process';

const OPERATION_TIMEOUT_MS = 90_000;

const client = await probeTackerClient();
const missing = missingClient(client, 'tests/interop/tackerclient.e2e.test.ts');

describe.runIf(missing?.requiredByCi === true)('tackerclient (CI)', () => {
  it('has the openstack CLI with the tacker plugin installed', () => {
    throw new Error(missing?.message);
  });
});

type Json = Record<string, unknown>;

// Each step runs several client commands (a few seconds each on a loaded 2-core machine) and waits for Helm.
describe.skipIf(missing !== undefined)(
  'tackerclient drives netweave demo over /o2dms',
  { timeout: 180_000 },
  () => {
    let demo: ChildProcess | undefined;
    let workDir: string;
    let receiver: WebhookReceiver;
    let apiRoot: string;
    const transcript: ClientRun[] = [];

    beforeAll(async () => {
      workDir = await mkdtemp(join(tmpdir(), 'nw-tackerclient-'));
      const port = await freePort();
      [demo, receiver] = await Promise.all([
        startDemoProcess({
          port,
          cwd: workDir,
          env: { NETWEAVE_HELM_PATH: helmPath(), NETWEAVE_DMS_READINESS_TIMEOUT_MS: '60000' },
        }),
        startWebhookReceiver(),
      ]);
      apiRoot = `http://127.0.0.1:${port}/o2dms`;
    }, 120_000);

    afterAll(async () => {
      if (demo) await killProcess(demo, 'SIGTERM');
      await receiver?.close();
      await rm(workDir, { recursive: true, force: true });
      const file = process.env['NETWEAVE_INTEROP_TRANSCRIPT'];
      if (file !== undefined && 'version' in client) {
        const lines = [`# ${client.version}`, `# OS_AUTH_TYPE=none OS_ENDPOINT=${apiRoot}`, ''];
        for (const t of transcript)
          lines.push(`$ ${t.command}`, t.output.trimEnd(), `(exit ${t.exitCode})`, '');
        await writeFile(file, lines.join('\n'));
      }
    });

    /** Runs one client command; any exit code but 0 fails the test with what the client printed. */
    async function openstack(args: readonly string[]): Promise<string> {
      // Only the two variables of the issue.
      const result = await runOpenstack(args, { OS_AUTH_TYPE: 'none', OS_ENDPOINT: apiRoot }, workDir);
      transcript.push(result);
      if (result.exitCode !== 0)
        throw new Error(`${result.command} failed (exit ${result.exitCode}):\n${result.output}`);
      return result.stdout;
    }

    const lcm = (...args: string[]): Promise<string> => openstack([...LCM_V2, 'vnflcm', ...args]);
    const lcmJson = async (...args: string[]): Promise<Json> =>
      JSON.parse(await lcm(...args, '-f', 'json')) as Json;

    function occurrenceEvents(from: number, vnfInstanceId: string): Json[] {
      return receiver.notifications
        .slice(from)
        .map((n) => n.body ?? {})
        .filter(
          (body) =>
            body['notificationType'] === 'VnfLcmOperationOccurrenceNotification' &&
            body['vnfInstanceId'] === vnfInstanceId,
        );
    }

    /**
     * Runs a task command and waits, on the receiver, for the RESULT of the occurrence it started; answers that
     * occurrence's id after checking it with `vnflcm op show`. A FAILED_TEMP result fails at once with its error.
     */
    async function task(
      operation: string,
      vnfInstanceId: string,
      args: string[],
      printed: RegExp = /has been accepted/,
    ): Promise<string> {
      const from = receiver.notifications.length;
      expect(await lcm(...args)).toMatch(printed);
      const ended = (body: Json): boolean =>
        body['operation'] === operation &&
        body['notificationStatus'] === 'RESULT' &&
        ['COMPLETED', 'FAILED_TEMP', 'FAILED', 'ROLLED_BACK'].includes(String(body['operationState']));
      await receiver.waitFor(
        () => occurrenceEvents(from, vnfInstanceId).some(ended),
        `the RESULT of ${operation}`,
        OPERATION_TIMEOUT_MS,
      );
      const events = occurrenceEvents(from, vnfInstanceId);
      const result = events.find(ended)!;
      expect(result, `${operation} ended ${JSON.stringify(result['error'])}`).toMatchObject({
        operationState: 'COMPLETED',
      });
      const occurrenceId = String(result['vnfLcmOpOccId']);
      // START on STARTING first, then RESULT for every later state, all for this one occurrence.
      const states = events
        .filter((e) => e['vnfLcmOpOccId'] === occurrenceId)
        .map((e) => `${String(e['notificationStatus'])}/${String(e['operationState'])}`);
      expect(states[0]).toBe('START/STARTING');
      expect(states.at(-1)).toBe('RESULT/COMPLETED');
      const shown = await lcmJson('op', 'show', occurrenceId);
      expect(shown).toMatchObject({ ID: occurrenceId, Operation: operation, 'Operation State': 'COMPLETED' });
      return occurrenceId;
    }

    async function writeJson(name: string, body: unknown): Promise<string> {
      const path = join(workDir, name);
      await writeFile(path, JSON.stringify(body));
      return path;
    }

    interface Vnfc {
      readonly id: string;
      readonly metadata: { readonly uid: string };
    }
    const vnfcsOf = (instance: Json): Vnfc[] =>
      ((instance['Instantiated Vnf Info'] as Json | undefined)?.['vnfcResourceInfo'] as Vnfc[] | undefined) ??
      [];
    const vnfcIds = (instance: Json): string[] => vnfcsOf(instance).map((vnfc) => vnfc.id);

    let packageId = '';
    let vnfdId = '';
    let subscriptionId = '';
    let instanceId = '';
    const occurrences: Record<string, string> = {};

    it('vnf package create / upload / show: the sample CSAR is on-boarded', async () => {
      const created = JSON.parse(await openstack(['vnf', 'package', 'create', '-f', 'json'])) as Json;
      expect(created).toMatchObject({ 'Onboarding State': 'CREATED', 'Operational State': 'DISABLED' });
      packageId = String(created['ID']);
      const zip = join(workDir, 'netweave-sample-cnf.zip');
      await writeFile(zip, await buildSamplePackage('netweave-sample-cnf'));
      expect(await openstack(['vnf', 'package', 'upload', '--path', zip, packageId])).toMatch(
        /has been accepted/,
      );
      const shown = JSON.parse(await openstack(['vnf', 'package', 'show', packageId, '-f', 'json'])) as Json;
      expect(shown).toMatchObject({
        ID: packageId,
        'Onboarding State': 'ONBOARDED',
        'Operational State': 'ENABLED',
        'VNF Provider': 'netweave',
      });
      vnfdId = String(shown['VNFD ID']);
    });

    it('vnflcm subsc create / list / show: a loopback receiver is tested with a GET and subscribed', async () => {
      const request = await writeJson('subscription.json', { callbackUri: receiver.url });
      const created = await lcmJson('subsc', 'create', request);
      expect(created).toMatchObject({ 'Callback URI': receiver.url });
      subscriptionId = String(created['ID']);
      expect(receiver.requests.some((r) => r.method === 'GET')).toBe(true);
      const listed = JSON.parse(await lcm('subsc', 'list', '-f', 'json')) as Json[];
      expect(listed.map((s) => s['ID'])).toContain(subscriptionId);
      expect(await lcmJson('subsc', 'show', subscriptionId)).toMatchObject({ ID: subscriptionId });
    });

    it('vnflcm create / instantiate / show: the instance runs on edge-1 with one VNFC per pod', async () => {
      const created = await lcmJson('create', vnfdId, '--name', 'interop-cnf');
      expect(created).toMatchObject({ 'Instantiation State': 'NOT_INSTANTIATED', 'VNFD ID': vnfdId });
      instanceId = String(created['ID']);
      await receiver.waitFor(
        (received) =>
          received.some(
            (n: ReceivedRequest) =>
              n.body?.['notificationType'] === 'VnfIdentifierCreationNotification' &&
              n.body['vnfInstanceId'] === instanceId,
          ),
        'VnfIdentifierCreationNotification',
      );
      const request = await writeJson('instantiate.json', {
        flavourId: 'small',
        vimConnectionInfo: { edge: { vimId: deploymentManagerIdOf('edge-1'), vimType: 'kubernetes' } },
        additionalParams: { namespace: 'interop' },
      });
      occurrences['INSTANTIATE'] = await task('INSTANTIATE', instanceId, [
        'instantiate',
        instanceId,
        request,
      ]);
      const shown = await lcmJson('show', instanceId);
      expect(shown).toMatchObject({
        'Instantiation State': 'INSTANTIATED',
        'VNF Instance Name': 'interop-cnf',
      });
      expect(vnfcIds(shown)).toHaveLength(2);
    });

    it('vnflcm scale: SCALE_OUT of cu_up_aspect by one step adds a cu-up pod', async () => {
      occurrences['SCALE'] = await task('SCALE', instanceId, [
        'scale',
        '--type',
        'SCALE_OUT',
        '--aspect-id',
        'cu_up_aspect',
        '--number-of-steps',
        '1',
        instanceId,
      ]);
      const shown = await lcmJson('show', instanceId);
      expect((shown['Instantiated Vnf Info'] as Json)['scaleStatus']).toEqual([
        { aspectId: 'cu_up_aspect', scaleLevel: 1 },
      ]);
      expect(vnfcIds(shown)).toHaveLength(3);
    });

    it('vnflcm heal: the named VNFC is replaced, the count is kept', async () => {
      const before = vnfcsOf(await lcmJson('show', instanceId));
      const healed = before[0]!;
      occurrences['HEAL'] = await task('HEAL', instanceId, [
        'heal',
        '--vnfc-instance',
        healed.id,
        '--',
        instanceId,
      ]);
      const after = vnfcsOf(await lcmJson('show', instanceId));
      expect(after).toHaveLength(before.length);
      // The simulator gives a replacement pod the same name: the pod uid tells them apart.
      expect(after.map((vnfc) => vnfc.metadata.uid)).not.toContain(healed.metadata.uid);
    });

    it('vnflcm update: the PATCH the client sends (application/json) modifies the instance', async () => {
      const request = await writeJson('update.json', { vnfInstanceDescription: 'driven by tackerclient' });
      occurrences['MODIFY_INFO'] = await task(
        'MODIFY_INFO',
        instanceId,
        ['update', '--I', request, instanceId],
        new RegExp(`Update vnf:${instanceId}`),
      );
      expect(await lcmJson('show', instanceId)).toMatchObject({
        'VNF Instance Description': 'driven by tackerclient',
      });
    });

    it('vnflcm terminate / delete: the release is removed and the instance deleted', async () => {
      occurrences['TERMINATE'] = await task('TERMINATE', instanceId, ['terminate', instanceId]);
      expect(await lcmJson('show', instanceId)).toMatchObject({ 'Instantiation State': 'NOT_INSTANTIATED' });
      expect(await lcm('delete', instanceId)).toMatch(/deleted successfully/);
      await receiver.waitFor(
        (received) =>
          received.some(
            (n) =>
              n.body?.['notificationType'] === 'VnfIdentifierDeletionNotification' &&
              n.body['vnfInstanceId'] === instanceId,
          ),
        'VnfIdentifierDeletionNotification',
      );
    });

    it('vnflcm op list / show: every occurrence of the instance, COMPLETED', async () => {
      const listed = JSON.parse(await lcm('op', 'list', '-f', 'json')) as Json[];
      const mine = listed.filter((o) => o['VNF Instance ID'] === instanceId);
      expect(Object.fromEntries(mine.map((o) => [o['Operation'], o['ID']]))).toEqual(occurrences);
      expect(new Set(mine.map((o) => o['Operation State']))).toEqual(new Set(['COMPLETED']));
      const instantiated = await lcmJson('op', 'show', occurrences['INSTANTIATE']!);
      expect(
        ((instantiated['Resource Changes'] as Json)['affectedVnfcs'] as { changeType: string }[]).map(
          (v) => v.changeType,
        ),
      ).toEqual(['ADDED', 'ADDED']);
    });

    it('vnflcm subsc delete: the subscription is gone from the list', async () => {
      expect(await lcm('subsc', 'delete', subscriptionId)).toMatch(/deleted successfully/);
      const listed = JSON.parse(await lcm('subsc', 'list', '-f', 'json')) as Json[];
      expect(listed.map((s) => s['ID'])).not.toContain(subscriptionId);
    });

    it('vnf package update / delete: the unused package is disabled and deleted', async () => {
      expect(
        JSON.parse(
          await openstack([
            'vnf',
            'package',
            'update',
            '--operational-state',
            'DISABLED',
            packageId,
            '-f',
            'json',
          ]),
        ),
      ).toEqual({ 'Operational State': 'DISABLED' });
      expect(await openstack(['vnf', 'package', 'delete', packageId])).toMatch(/deleted successfully/);
    });
  },
);
