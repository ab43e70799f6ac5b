/**
 * Day-2 operations through the demo topology over REST: netweave's sample CSAR (v1 and v2) on-boarded,
 * an instance of flavour small on edge-1 scaled out, changed to flavour large, given a new N3 Service
 * port through change_ext_conn, moved to package v2 — each a COMPLETED occurrence and a Helm revision.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import { deploymentManagerIdOf } from '../../rest-facade/dms/index.ts';
import { buildSamplePackage } from '../../dms/packages/samples.ts';
import { helmPath } from '../../testing/kube-tools.ts';

const run = promisify(execFile);
const V = { Version: '2.14.0', 'content-type': 'application/json' };

describe('O2 DMS day-2 operations on the demo topology', { timeout: 240_000 }, () => {
  let demo: Demo;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nw-dms-day2-e2e-'));
    demo = await startDemo({
      port: 0,
      timeline: false,
      kubeconfigDir: dir,
      logger: createLogger('silent'),
      gateway: { logLevel: 'silent', dms: { helmPath: helmPath(), readinessTimeoutMs: 60_000 } },
    });
  });
  afterAll(async () => {
    await demo?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function json(method: string, url: string, body?: unknown) {
    const response = await fetch(url, {
      method,
      headers: V,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      location: response.headers.get('location'),
      body: (text === '' ? undefined : JSON.parse(text)) as Record<string, unknown> | undefined,
    };
  }

  async function onboard(root: string, name: Parameters<typeof buildSamplePackage>[0]): Promise<string> {
    const pkg = await json('POST', `${root}/vnfpkgm/v1/vnf_packages`, {});
    const pkgId = String(pkg.body?.['id']);
    const upload = await fetch(`${root}/vnfpkgm/v1/vnf_packages/${pkgId}/package_content`, {
      method: 'PUT',
      headers: { 'content-type': 'application/zip' },
      body: new Uint8Array(await buildSamplePackage(name)),
    });
    expect(upload.status).toBe(202);
    const onboarded = (await json('GET', `${root}/vnfpkgm/v1/vnf_packages/${pkgId}`)).body!;
    expect(onboarded['onboardingState']).toBe('ONBOARDED');
    return String(onboarded['vnfdId']);
  }

  async function completes(answer: { status: number; location: string | null }): Promise<void> {
    expect(answer.status).toBe(202);
    let last: Record<string, unknown> | undefined;
    await expect
      .poll(
        async () => {
          last = (await json('GET', answer.location!)).body;
          return last?.['operationState'];
        },
        { timeout: 90_000, interval: 200 },
      )
      .toSatisfy((state: unknown) => ['COMPLETED', 'FAILED_TEMP'].includes(String(state)));
    expect(last?.['error']).toBeUndefined();
    expect(last?.['operationState']).toBe('COMPLETED');
  }

  it('scales, changes flavour, external connectivity and package of the sample CNF', async () => {
    const root = `${demo.gateway.url}/o2dms`;
    const v1 = await onboard(root, 'netweave-sample-cnf');
    const v2 = await onboard(root, 'netweave-sample-cnf-v2');
    const created = await json('POST', `${root}/vnflcm/v2/vnf_instances`, { vnfdId: v1 });
    const id = String(created.body?.['id']);
    const instanceUrl = `${root}/vnflcm/v2/vnf_instances/${id}`;
    await completes(
      await json('POST', `${instanceUrl}/instantiate`, {
        flavourId: 'small',
        vimConnectionInfo: { edge: { vimId: deploymentManagerIdOf('edge-1'), vimType: 'kubernetes' } },
        additionalParams: { namespace: 'nf-day2' },
      }),
    );
    const info = async () =>
      (await json('GET', instanceUrl)).body!['instantiatedVnfInfo'] as {
        flavourId: string;
        scaleStatus: { aspectId: string; scaleLevel: number }[];
        vnfcResourceInfo: { id: string }[];
        metadata: { releaseName: string };
      };
    const pods = (release: string) =>
      demo.clusters
        .get('edge-1')!
        .objects.list('v1', 'Pod', { namespace: 'nf-day2' })
        .filter((p) => p.metadata.name?.includes(release)).length;
    const before = await info();
    const release = before.metadata.releaseName;

    await completes(
      await json('POST', `${instanceUrl}/scale`, {
        type: 'SCALE_OUT',
        aspectId: 'cu_up_aspect',
        numberOfSteps: 1,
      }),
    );
    const scaled = await info();
    expect(scaled.scaleStatus.find((s) => s.aspectId === 'cu_up_aspect')!.scaleLevel).toBe(
      before.scaleStatus.find((s) => s.aspectId === 'cu_up_aspect')!.scaleLevel + 1,
    );
    expect(scaled.vnfcResourceInfo.length).toBeGreaterThan(before.vnfcResourceInfo.length);
    expect(scaled.vnfcResourceInfo.length).toBe(pods(release));

    await completes(await json('POST', `${instanceUrl}/change_flavour`, { newFlavourId: 'large' }));
    expect((await info()).flavourId).toBe('large');

    await completes(
      await json('POST', `${instanceUrl}/change_ext_conn`, {
        extVirtualLinks: [{ id: 'n3', resourceId: 'n3-net', extCps: [{ cpdId: 'CuUpN3' }] }],
        additionalParams: { helm_parameters: { 'service.n3Port': 2153 } },
      }),
    );
    const service = demo.clusters
      .get('edge-1')!
      .objects.get('v1', 'Service', `cu-up-n3-${release}`, 'nf-day2');
    expect(JSON.stringify(service)).toContain('2153');

    await completes(await json('POST', `${instanceUrl}/change_vnfpkg`, { vnfdId: v2 }));
    const moved = (await json('GET', instanceUrl)).body!;
    expect(moved['vnfdId']).toBe(v2);
    expect(moved['vnfSoftwareVersion']).toBe('1.1.0');

    const home = join(dir, 'helm');
    const { stdout } = await run(
      helmPath(),
      ['history', release, '--namespace', 'nf-day2', '--kubeconfig', join(dir, 'edge-1.kubeconfig')],
      { env: { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home } },
    );
    for (const operation of ['INSTANTIATE', 'SCALE', 'CHANGE_FLAVOUR', 'CHANGE_EXT_CONN', 'CHANGE_VNFPKG'])
      expect(stdout).toContain(` ${operation}`);
  });
});
