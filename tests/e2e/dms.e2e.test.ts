/**
 * The DMS through the demo topology: netweave's sample CSAR is on-boarded over vnfpkgm, the gateway's
 * vnflcm REST API queues the instantiation, edge-1's cluster subgraph runs it with the real helm binary
 * against the simulated cluster (whose controllers give the workloads pods), the occurrence ends
 * COMPLETED with one VNFC per pod, `helm history` names it, and terminate removes the release.
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

describe('O2 DMS on the demo topology', () => {
  let demo: Demo;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nw-dms-e2e-'));
    demo = await startDemo({
      port: 0,
      timeline: false,
      kubeconfigDir: dir,
      logger: createLogger('silent'),
      gateway: { logLevel: 'silent', dms: { helmPath: helmPath(), readinessTimeoutMs: 30_000 } },
    });
  });
  afterAll(async () => {
    await demo?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function json(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; location: string | null; body: unknown }> {
    const response = await fetch(url, {
      method,
      headers: V,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      location: response.headers.get('location'),
      body: text === '' ? undefined : JSON.parse(text),
    };
  }

  it('on-boards the sample package, instantiates it on edge-1 and terminates it', async () => {
    const root = `${demo.gateway.url}/o2dms`;
    const pkg = await json('POST', `${root}/vnfpkgm/v1/vnf_packages`, {});
    expect(pkg.status).toBe(201);
    const pkgId = (pkg.body as { id: string }).id;
    const upload = await fetch(`${root}/vnfpkgm/v1/vnf_packages/${pkgId}/package_content`, {
      method: 'PUT',
      headers: { 'content-type': 'application/zip' },
      body: new Uint8Array(await buildSamplePackage('netweave-sample-cnf')),
    });
    expect(upload.status).toBe(202);
    const onboarded = (await json('GET', `${root}/vnfpkgm/v1/vnf_packages/${pkgId}`)).body as {
      onboardingState: string;
      operationalState: string;
      vnfdId: string;
    };
    expect(onboarded).toMatchObject({ onboardingState: 'ONBOARDED', operationalState: 'ENABLED' });

    const created = await json('POST', `${root}/vnflcm/v2/vnf_instances`, { vnfdId: onboarded.vnfdId });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const started = await json('POST', `${root}/vnflcm/v2/vnf_instances/${id}/instantiate`, {
      flavourId: 'small',
      vimConnectionInfo: { edge: { vimId: deploymentManagerIdOf('edge-1'), vimType: 'kubernetes' } },
      additionalParams: { namespace: 'nf-e2e' },
    });
    expect(started.status).toBe(202);
    const occurrenceUrl = started.location!;
    await expect
      .poll(
        async () => ((await json('GET', occurrenceUrl)).body as { operationState: string }).operationState,
        {
          timeout: 60_000,
          interval: 200,
        },
      )
      .toBe('COMPLETED');
    const instance = (await json('GET', `${root}/vnflcm/v2/vnf_instances/${id}`)).body as {
      instantiationState: string;
      instantiatedVnfInfo: {
        metadata: { releaseName: string; namespace: string };
        vnfcResourceInfo?: { vduId: string }[];
      };
    };
    expect(instance.instantiationState).toBe('INSTANTIATED');
    const { releaseName, namespace } = instance.instantiatedVnfInfo.metadata;
    expect(namespace).toBe('nf-e2e');
    const pods = demo.clusters
      .get('edge-1')!
      .objects.list('v1', 'Pod', { namespace })
      .filter((pod) => pod.metadata.name?.includes(releaseName));
    expect(pods.length).toBeGreaterThan(0);
    expect(instance.instantiatedVnfInfo.vnfcResourceInfo?.length).toBe(pods.length);
    const home = join(dir, 'helm');
    const { stdout } = await run(
      helmPath(),
      ['history', releaseName, '--namespace', namespace, '--kubeconfig', join(dir, 'edge-1.kubeconfig')],
      { env: { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home } },
    );
    expect(stdout).toContain(`netweave occurrence ${occurrenceUrl.split('/').at(-1)} INSTANTIATE`);

    const ended = await json('POST', `${root}/vnflcm/v2/vnf_instances/${id}/terminate`, {
      terminationType: 'GRACEFUL',
      gracefulTerminationTimeout: 10,
    });
    expect(ended.status).toBe(202);
    await expect
      .poll(
        async () => ((await json('GET', ended.location!)).body as { operationState: string }).operationState,
        {
          timeout: 60_000,
          interval: 200,
        },
      )
      .toBe('COMPLETED');
    expect(
      demo.clusters
        .get('edge-1')!
        .objects.list('apps/v1', 'Deployment', { namespace })
        .filter((d) => d.metadata.name?.includes(releaseName)),
    ).toEqual([]);
  });
});
