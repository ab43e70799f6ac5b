/**
 * Restart safety of the DMS as a user sees it (issue 9, "Done when"): `netweave demo` runs as a child
 * process on a Redis store (a key prefix of its own), two instantiations are started, the process is
 * killed with SIGKILL while both occurrences are PROCESSING, and a new `netweave demo` is started on the
 * same Redis and prefix. No occurrence may stay STARTING/PROCESSING/ROLLING_BACK: each must end
 * COMPLETED, FAILED_TEMP or ROLLED_BACK within a bounded wait, and a FAILED_TEMP one must be rolled back
 * (or retried) to a final state.
 *
 * The demo's simulated clusters live in memory: the restarted demo has fresh, empty clusters (new ports,
 * new kubeconfigs), so the release secrets of the killed run are gone. The correct outcome is that the
 * durable intent in Redis wins: the unacked job is claimed again by the new edge-1 runner (after its
 * stale-job time) and re-run — `helm upgrade --install` converges, i.e. installs afresh on the empty
 * cluster — and the occurrence ends as the chart allows: COMPLETED when the pods become ready,
 * FAILED_TEMP (504) when they do not. docs/dms.md ("Restart safety") says so.
 *
 * The probe chart keeps both occurrences in PROCESSING for as long as needed (pods held unready, or
 * Pending on a nodeSelector no node matches), so the kill always lands mid-operation.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killProcess, startDemoProcess } from '../../testing/demo-process.ts';
import { helmPath, kubectlPath } from '../../testing/kube-tools.ts';
import { freePort, redisForTests, type TestRedis } from '../../testing/redis.ts';
import { DmsClient, probeChart } from '../conformance/dms/support.ts';

const run = promisify(execFile);
const FINAL_OR_FAILED_TEMP = ['COMPLETED', 'FAILED_TEMP', 'ROLLED_BACK', 'FAILED'];
const UNFINISHED = ['STARTING', 'PROCESSING', 'ROLLING_BACK'];

let redis: TestRedis;
let prefix: string;
let workDir: string;
let port: number;
let child: ChildProcess | undefined;

function startDemo(): Promise<ChildProcess> {
  return startDemoProcess({
    port,
    cwd: workDir,
    env: {
      REDIS_URL: redis.url,
      NETWEAVE_REDIS_KEY_PREFIX: prefix,
      NETWEAVE_HELM_PATH: helmPath(),
      NETWEAVE_DMS_READINESS_TIMEOUT_MS: '20000',
    },
  });
}

beforeAll(async () => {
  redis = await redisForTests();
  prefix = redis.keyPrefix();
  workDir = await mkdtemp(join(tmpdir(), 'nw-dms-restart-'));
  port = await freePort();
}, 60_000);

afterAll(async () => {
  if (child) await killProcess(child, 'SIGTERM');
  await redis?.dispose();
  await rm(workDir, { recursive: true, force: true });
});

describe('DMS restart safety (netweave demo on Redis, SIGKILL mid-instantiate)', () => {
  it('no occurrence stays unfinished after a restart; each ends COMPLETED, FAILED_TEMP or ROLLED_BACK, and a FAILED_TEMP one rolls back', async () => {
    child = await startDemo();
    const client = new DmsClient(`http://127.0.0.1:${port}`);
    const { vnfdId } = await client.onboard(await probeChart(), 'application/gzip');
    // A: pods Pending until a node carries conformance=restart — which the test adds after the restart.
    // B: pods never ready — its re-run ends FAILED_TEMP after the readiness timeout.
    const started: Record<'pending' | 'unready', { id: string; occurrence: string }> = {
      pending: { id: '', occurrence: '' },
      unready: { id: '', occurrence: '' },
    };
    for (const [name, parameters] of [
      ['pending', { 'nodeSelector.conformance': 'restart' }],
      ['unready', { ready: 'false' }],
    ] as const) {
      const id = await client.createInstance(vnfdId);
      const occurrence = await client.instantiate(id, {
        flavourId: 'default',
        additionalParams: { namespace: `restart-${name}`, helm_parameters: parameters },
      });
      started[name] = { id, occurrence };
    }
    // Both at once: the unready one leaves PROCESSING after the readiness timeout (20 s).
    await Promise.all(
      Object.values(started).map(({ occurrence }) => client.until(occurrence, 'PROCESSING', 60_000)),
    );

    await killProcess(child, 'SIGKILL');
    child = await startDemo();
    for (const { occurrence } of Object.values(started))
      expect(UNFINISHED).toContain((await client.occurrence(occurrence)).operationState);

    // The new edge-1 is a fresh simulated cluster: label one of its nodes so A's pods can be scheduled.
    const kubeconfig = join(workDir, '.netweave/demo/edge-1.kubeconfig');
    const { stdout } = await run(kubectlPath(), ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'name']);
    const node = stdout.split('\n')[0]!.trim();
    await run(kubectlPath(), ['--kubeconfig', kubeconfig, 'label', node, 'conformance=restart']);

    // Bounded: the stale-job claim (60 s), the lease of the dead runner (30 s) and B's readiness wait (20 s).
    const ended: Record<string, string> = {};
    for (const [name, { occurrence }] of Object.entries(started)) {
      await expect
        .poll(async () => (await client.occurrence(occurrence)).operationState, {
          timeout: 180_000,
          interval: 500,
        })
        .toSatisfy((state: string) => FINAL_OR_FAILED_TEMP.includes(state));
      ended[name] = (await client.occurrence(occurrence)).operationState;
    }
    // What the chart allows, re-installed on the empty cluster.
    expect(ended).toEqual({ pending: 'COMPLETED', unready: 'FAILED_TEMP' });
    expect((await client.instance(started.pending.id)).instantiationState).toBe('INSTANTIATED');

    // The FAILED_TEMP one is not stuck either: rollback brings it to a final state.
    const rollback = await client.post(`${started.unready.occurrence}/rollback`);
    expect(rollback.status).toBe(202);
    await client.until(started.unready.occurrence, 'ROLLED_BACK', 120_000);
    expect((await client.instance(started.unready.id)).instantiationState).toBe('NOT_INSTANTIATED');

    // The re-installed release is a real one: helm sees it on the new cluster, made by the same occurrence.
    const release = `nf-${started.pending.id.replaceAll('-', '').slice(0, 12)}`;
    const history = await run(
      helmPath(),
      ['history', release, '--namespace', 'restart-pending', '--kubeconfig', kubeconfig],
      {
        env: { ...process.env, HELM_CACHE_HOME: workDir, HELM_CONFIG_HOME: workDir, HELM_DATA_HOME: workDir },
      },
    );
    expect(history.stdout).toContain(
      `netweave occurrence ${started.pending.occurrence.split('/').at(-1)} INSTANTIATE`,
    );
  }, 420_000);
});
