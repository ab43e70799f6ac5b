/**
 * The failure side of vnflcm v2 on the demo topology (TST010 7.3.1.13-15 retry/rollback/fail, their
 * workflows 7.3.1.24, 7.3.1.29, 7.3.1.30, and the 409s SOL003 prescribes while an occurrence is unfinished).
 * A probe chart (support.ts) is installed by edge-1's job runner with the real helm binary; its pods are
 * held unready (`sim.netweave.io/ready: "false"`) or unschedulable (a nodeSelector no node matches) through
 * `additionalParams.helm_parameters`, so the readiness wait times out — shortened to 5 s here (the
 * default is 300 s) — and the occurrence ends FAILED_TEMP with a 504 `error`, as on a real cluster.
 * The three scenarios are independent instances and run concurrently.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlPath } from '../../../testing/kube-tools.ts';
import { DmsClient, LCM, conforms, expectProblem, startProbeDemo, type DmsDemo } from './support.ts';

const run = promisify(execFile);
const INSTANCES = `${LCM}/vnf_instances`;

let env: DmsDemo;
let client: DmsClient;
let vnfdId: string;

beforeAll(async () => {
  ({ env, client, vnfdId } = await startProbeDemo());
}, 120_000);

afterAll(async () => {
  await env?.close();
});

function deploymentsOf(releaseName: string): string[] {
  return env.demo.clusters
    .get('edge-1')!
    .objects.list('apps/v1', 'Deployment')
    .map((d) => d.metadata.name ?? '')
    .filter((name) => name.endsWith(releaseName));
}

async function releaseOf(instanceId: string): Promise<string> {
  // The release name is fixed at creation (docs/dms.md): nf- + the first 12 hex digits of the id.
  return `nf-${instanceId.replaceAll('-', '').slice(0, 12)}`;
}

/** Instantiates the probe chart with these helm_parameters and waits for FAILED_TEMP. */
async function failedInstantiation(
  helmParameters: Record<string, string>,
  namespace: string,
): Promise<{ id: string; occurrence: string }> {
  const id = await client.createInstance(vnfdId);
  const occurrence = await client.instantiate(id, {
    flavourId: 'default',
    additionalParams: { namespace, helm_parameters: helmParameters },
  });
  const failed = await client.until(occurrence, 'FAILED_TEMP');
  conforms('VnfLcmOpOcc', failed);
  expect(failed['error']).toMatchObject({ status: 504 });
  expect(String((failed['error'] as { detail: string }).detail)).toContain(`probe-${await releaseOf(id)}`);
  return { id, occurrence };
}

/** Every way SOL003 5.4.x lets a client touch an instance with an unfinished occurrence: all 409. */
async function expectBlocked(id: string): Promise<void> {
  expectProblem(await client.post(`${INSTANCES}/${id}/instantiate`, { flavourId: 'default' }), 409);
  expectProblem(await client.post(`${INSTANCES}/${id}/terminate`, { terminationType: 'FORCEFUL' }), 409);
  expectProblem(
    await client.send('PATCH', `${INSTANCES}/${id}`, {
      raw: JSON.stringify({ vnfInstanceName: 'blocked' }),
      headers: { 'content-type': 'application/merge-patch+json' },
    }),
    409,
  );
  expectProblem(await client.send('DELETE', `${INSTANCES}/${id}`), 409);
}

describe('TST010 7.3.1.13-15, 7.3.1.24, 7.3.1.29, 7.3.1.30 on a chart whose pods never become ready', () => {
  it.concurrent(
    '7.3.1.14.1 / 7.3.1.30.1 never-ready pods → FAILED_TEMP (504); rollback: 202, ROLLING_BACK → ROLLED_BACK, release uninstalled, NOT_INSTANTIATED, instance usable again',
    async () => {
      const { id, occurrence } = await failedInstantiation({ ready: 'false' }, 'conformance-rollback');
      const release = await releaseOf(id);
      expect(deploymentsOf(release)).toEqual([`probe-${release}`]);
      expect((await client.instance(id)).instantiationState).toBe('NOT_INSTANTIATED');

      const answer = await client.post(`${occurrence}/rollback`);
      expect(answer.status).toBe(202);
      expect(answer.body).toBeUndefined();
      expect(client.url(answer.headers.get('location')!)).toBe(client.url(occurrence));
      expect(['ROLLING_BACK', 'ROLLED_BACK']).toContain((await client.occurrence(occurrence)).operationState);
      const rolledBack = await client.until(occurrence, 'ROLLED_BACK');
      conforms('VnfLcmOpOcc', rolledBack);
      expect(deploymentsOf(release)).toEqual([]);
      expect((await client.instance(id)).instantiationState).toBe('NOT_INSTANTIATED');
      // ROLLED_BACK is final: the instance takes requests again.
      const patched = await client.send('PATCH', `${INSTANCES}/${id}`, {
        raw: JSON.stringify({ vnfInstanceName: 'after rollback' }),
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(patched.status).toBe(202);
      for (const action of ['retry', 'rollback', 'fail'])
        expectProblem(await client.post(`${occurrence}/${action}`), 409);
    },
    120_000,
  );

  it.concurrent(
    '7.3.1.2.6 / 7.3.1.13.1 / 7.3.1.29.2 / 7.3.1.29.1 a running or FAILED_TEMP occurrence blocks tasks, PATCH and DELETE (409); retry while still unschedulable → FAILED_TEMP again; retry after a node fits → COMPLETED',
    async () => {
      const id = await client.createInstance(vnfdId);
      const occurrence = await client.instantiate(id, {
        flavourId: 'default',
        additionalParams: {
          namespace: 'conformance-retry',
          helm_parameters: { 'nodeSelector.conformance': 'retry-target' },
        },
      });
      // STARTING or PROCESSING for the readiness wait: a concurrent task is a 409.
      expect(['STARTING', 'PROCESSING']).toContain((await client.occurrence(occurrence)).operationState);
      await expectBlocked(id);
      await client.until(occurrence, 'FAILED_TEMP');
      // FAILED_TEMP keeps the instance blocked until retry, rollback or fail.
      await expectBlocked(id);

      const retried = await client.post(`${occurrence}/retry`);
      expect(retried.status).toBe(202);
      expect(retried.body).toBeUndefined();
      expect(client.url(retried.headers.get('location')!)).toBe(client.url(occurrence));
      expect(['STARTING', 'PROCESSING']).toContain((await client.occurrence(occurrence)).operationState);
      const again = await client.until(occurrence, 'FAILED_TEMP');
      expect(again['error']).toMatchObject({ status: 504 });

      // Give one edge-1 node the label the pods ask for: the simulator's scheduler places them.
      const node = env.demo.clusters.get('edge-1')!.objects.list('v1', 'Node')[0]!.metadata.name;
      await run(kubectlPath(), [
        '--kubeconfig',
        join(env.kubeconfigDir, 'edge-1.kubeconfig'),
        'label',
        'node',
        node,
        'conformance=retry-target',
      ]);
      expect((await client.post(`${occurrence}/retry`)).status).toBe(202);
      const completed = await client.until(occurrence, 'COMPLETED');
      conforms('VnfLcmOpOcc', completed);
      expect(completed).not.toHaveProperty('error');
      expect((await client.instance(id)).instantiationState).toBe('INSTANTIATED');
      const ended = await client.post(`${INSTANCES}/${id}/terminate`, { terminationType: 'FORCEFUL' });
      expect(ended.status).toBe(202);
      await client.until(ended.headers.get('location')!, 'COMPLETED');
    },
    120_000,
  );

  it.concurrent(
    '7.3.1.15.1 / 7.3.1.24.1 fail of a FAILED_TEMP occurrence: 200 with the VnfLcmOpOcc in FAILED; the instance stays NOT_INSTANTIATED and takes requests again',
    async () => {
      const { id, occurrence } = await failedInstantiation({ ready: 'false' }, 'conformance-fail');
      const answer = await client.post(`${occurrence}/fail`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      conforms('VnfLcmOpOcc', answer.body);
      expect(answer.body).toMatchObject({
        operationState: 'FAILED',
        operation: 'INSTANTIATE',
        vnfInstanceId: id,
      });
      expect((await client.occurrence(occurrence)).operationState).toBe('FAILED');
      expect((await client.instance(id)).instantiationState).toBe('NOT_INSTANTIATED');
      for (const action of ['retry', 'rollback', 'fail'])
        expectProblem(await client.post(`${occurrence}/${action}`), 409);
      const patched = await client.send('PATCH', `${INSTANCES}/${id}`, {
        raw: JSON.stringify({ vnfInstanceName: 'after fail' }),
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(patched.status).toBe(202);
    },
    120_000,
  );
});
