/**
 * Deployment policy end to end (docs/dms.md "Policy"): the demo topology with the demo's default policies and
 * JWT roles, the real helm binary and the simulator. A request that breaks a policy is accepted (202) and its
 * occurrence ends STARTING → ROLLED_BACK with an `error` naming the rule, with no Helm release and no object on
 * the cluster; a policy edited over REST (`/netweave/v1/policies`, admin only) decides the next request, for
 * instantiations and for a scale; bad documents are 400 naming the field, non-admins 403 (REST and GraphQL).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DMS_POLICIES, startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import { buildSamplePackage } from '../../dms/packages/samples.ts';
import { deploymentManagerIdOf } from '../../rest-facade/dms/index.ts';
import { helmPath } from '../../testing/kube-tools.ts';

const run = promisify(execFile);
const VERSION = '2.14.0';

describe('O2 DMS deployment policy on the demo topology', { timeout: 300_000 }, () => {
  let demo: Demo;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nw-dms-policy-e2e-'));
    demo = await startDemo({
      port: 0,
      timeline: false,
      kubeconfigDir: dir,
      auth: { mode: 'jwt', tokensDir: join(dir, 'tokens') },
      logger: createLogger('silent'),
      gateway: {
        logLevel: 'silent',
        dms: {
          helmPath: helmPath(),
          readinessTimeoutMs: 60_000,
          policies: DEMO_DMS_POLICIES.map((policy) => structuredClone(policy)),
        },
      },
    });
  });
  afterAll(async () => {
    await demo?.close();
    await rm(dir, { recursive: true, force: true });
  });

  type Answer = {
    status: number;
    location: string | null;
    type: string | null;
    body: Record<string, unknown>;
  };

  async function call(token: string, method: string, path: string, body?: unknown): Promise<Answer> {
    const url = path.startsWith('http') ? path : `${demo.gateway.url}${path}`;
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        Version: VERSION,
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      location: response.headers.get('location'),
      type: response.headers.get('content-type'),
      body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    };
  }
  const admin = (...args: [string, string, unknown?]) => call(demo.issuer!.tokens.admin, ...args);
  const deployer = (...args: [string, string, unknown?]) => call(demo.issuer!.tokens.deployer, ...args);

  /** Waits for the occurrence to leave its running states; its last record. */
  async function ended(location: string): Promise<Record<string, unknown>> {
    let last: Record<string, unknown> = {};
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          last = (await deployer('GET', location)).body;
          seen.add(String(last['operationState']));
          return last['operationState'];
        },
        { timeout: 120_000, interval: 200 },
      )
      .toSatisfy((state: unknown) => ['COMPLETED', 'FAILED_TEMP', 'ROLLED_BACK'].includes(String(state)));
    // A refusal never reached PROCESSING: it was decided while STARTING.
    if (last['operationState'] === 'ROLLED_BACK') expect(seen.has('PROCESSING')).toBe(false);
    return last;
  }

  async function helmReleases(): Promise<unknown[]> {
    const { stdout } = await run(helmPath(), [
      'list',
      '--all-namespaces',
      '--output',
      'json',
      '--kubeconfig',
      join(dir, 'edge-1.kubeconfig'),
    ]);
    return JSON.parse(stdout) as unknown[];
  }

  it('answers 403 to non-admins and 400 naming the field of a bad document', async () => {
    const listed = await admin('GET', '/netweave/v1/policies');
    expect(listed.status).toBe(200);
    expect(
      (listed.body as unknown as { policyId: string; origin: string }[]).map((p) => [p.policyId, p.origin]),
    ).toEqual([
      ['no-system-namespaces', 'config'],
      ['tenant-replicas', 'config'],
    ]);
    for (const [method, path, body] of [
      ['GET', '/netweave/v1/policies', undefined],
      ['GET', '/netweave/v1/policies/tenant-replicas', undefined],
      ['PUT', '/netweave/v1/policies/tenant-replicas', { quotas: {} }],
      ['DELETE', '/netweave/v1/policies/tenant-replicas', undefined],
    ] as const) {
      const refused = await deployer(method, path, body);
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(refused.type).toMatch(/application\/problem\+json/);
    }
    const graph = await call(demo.issuer!.tokens.deployer, 'POST', '/graphql', {
      query: '{ dmsPolicies { policyId } }',
    });
    expect((graph.body['errors'] as { extensions: { code: string } }[])[0]!.extensions.code).toBe(
      'FORBIDDEN',
    );

    const bad = await admin('PUT', '/netweave/v1/policies/cpu', {
      quotas: { perTenant: { maxCpu: 'lots' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/application\/problem\+json/);
    expect(String(bad.body['detail'])).toContain('quotas.perTenant.maxCpu');
    expect((await admin('PUT', '/netweave/v1/policies/cpu', { quotas: { perPod: {} } })).status).toBe(400);
    expect((await admin('PUT', '/netweave/v1/policies/cpu', '{not json')).status).toBe(400);
    expect((await admin('PUT', '/netweave/v1/policies/Not_A_Label', {})).status).toBe(400);
    expect((await admin('GET', '/netweave/v1/policies/nothing-here')).status).toBe(404);
  });

  it('refuses while STARTING, naming the rule, with nothing on the cluster; REST edits decide the next request', async () => {
    const root = '/o2dms';
    // On-board the sample package as the deployer (its tenant's package).
    const pkg = await deployer('POST', `${root}/vnfpkgm/v1/vnf_packages`, {});
    const pkgId = String(pkg.body['id']);
    const upload = await fetch(
      `${demo.gateway.url}${root}/vnfpkgm/v1/vnf_packages/${pkgId}/package_content`,
      {
        method: 'PUT',
        headers: {
          'content-type': 'application/zip',
          authorization: `Bearer ${demo.issuer!.tokens.deployer}`,
        },
        body: new Uint8Array(await buildSamplePackage('netweave-sample-cnf')),
      },
    );
    expect(upload.status).toBe(202);
    const vnfdId = String((await deployer('GET', `${root}/vnfpkgm/v1/vnf_packages/${pkgId}`)).body['vnfdId']);
    const created = await deployer('POST', `${root}/vnflcm/v2/vnf_instances`, { vnfdId });
    expect(created.status).toBe(201);
    const instanceUrl = `${root}/vnflcm/v2/vnf_instances/${String(created.body['id'])}`;
    const instantiate = (namespace: string) =>
      deployer('POST', `${instanceUrl}/instantiate`, {
        flavourId: 'small',
        vimConnectionInfo: { edge: { vimId: deploymentManagerIdOf('edge-1'), vimType: 'kubernetes' } },
        additionalParams: { namespace },
      });

    // 1. The demo policy: nobody deploys into kube-system. Accepted (202), then ROLLED_BACK naming the rule.
    const system = await instantiate('kube-system');
    expect(system.status).toBe(202);
    const refused = await ended(system.location!);
    expect(refused['operationState']).toBe('ROLLED_BACK');
    const error = refused['error'] as { status: number; detail: string };
    expect(error.status).toBe(422);
    expect(error.detail).toContain('no-system-namespaces.forbiddenNamespaces');
    expect((await deployer('GET', instanceUrl)).body['instantiationState']).toBe('NOT_INSTANTIATED');
    expect(await helmReleases()).toEqual([]);
    const edge1 = demo.clusters.get('edge-1')!.objects;
    const ours = (kind: string) =>
      edge1
        .list(kind === 'Pod' || kind === 'Service' ? 'v1' : 'apps/v1', kind)
        .filter((o) => String(o.metadata.name).includes(String(created.body['id']).slice(0, 8)));
    expect(ours('Deployment')).toEqual([]);

    // 1b. Placement from the cluster's Ready nodes: edge-1 has no node offering nvidia.com/gpu (regional-1 does).
    const gpu = await admin('PUT', '/netweave/v1/policies/gpu-nodes', {
      appliesTo: { tenants: ['demo'] },
      placement: { requiredAccelerators: ['nvidia.com/gpu'] },
    });
    expect(gpu.status).toBe(201);
    expect(gpu.location).toBe('/netweave/v1/policies/gpu-nodes');
    const noGpu = await ended((await instantiate('ran')).location!);
    expect(noGpu['operationState']).toBe('ROLLED_BACK');
    expect((noGpu['error'] as { detail: string }).detail).toMatch(
      /gpu-nodes\.placement\.requiredAccelerators: cluster edge-1 has no Ready node offering nvidia\.com\/gpu/,
    );
    expect((await admin('DELETE', '/netweave/v1/policies/gpu-nodes')).status).toBe(204);

    // 2. An admin tightens the replica quota over REST: the small flavour (2 replicas as rendered) no longer fits.
    const tightened = await admin('PUT', '/netweave/v1/policies/tenant-replicas', {
      description: 'one replica per tenant',
      quotas: { perTenant: { maxReplicas: 1 } },
    });
    expect(tightened.status).toBe(200);
    expect(tightened.body['origin']).toBe('api');
    const tooBig = await ended((await instantiate('ran')).location!);
    expect(tooBig['operationState']).toBe('ROLLED_BACK');
    expect((tooBig['error'] as { detail: string }).detail).toMatch(
      /tenant-replicas\.quotas\.perTenant\.maxReplicas: tenant demo would run 2 replicas, more than 1/,
    );
    expect(await helmReleases()).toEqual([]);

    // 3. Loosened again: the same instantiation completes.
    expect(
      (
        await admin('PUT', '/netweave/v1/policies/tenant-replicas', {
          quotas: { perTenant: { maxReplicas: 3 } },
        })
      ).status,
    ).toBe(200);
    const done = await ended((await instantiate('ran')).location!);
    expect(done['error']).toBeUndefined();
    expect(done['operationState']).toBe('COMPLETED');
    expect(await helmReleases()).toHaveLength(1);

    // 4. A day-2 operation that grows past the quota (2 → 4 replicas) is refused too; the instance stays as it was.
    const scale = await deployer('POST', `${instanceUrl}/scale`, {
      type: 'SCALE_OUT',
      aspectId: 'cu_up_aspect',
      numberOfSteps: 2,
    });
    expect(scale.status).toBe(202);
    const scaled = await ended(scale.location!);
    expect(scaled['operationState']).toBe('ROLLED_BACK');
    expect((scaled['error'] as { detail: string }).detail).toContain(
      'tenant-replicas.quotas.perTenant.maxReplicas',
    );
    const instance = (await deployer('GET', instanceUrl)).body;
    expect(instance['instantiationState']).toBe('INSTANTIATED');
    expect(
      (instance['instantiatedVnfInfo'] as { vnfcResourceInfo?: unknown[] }).vnfcResourceInfo?.length ?? 2,
    ).toBe(2);
    // One revision: the refused scale made none.
    const releases = (await helmReleases()) as { revision: string }[];
    expect(releases[0]!.revision).toBe('1');

    // 5. A per-namespace CPU quota added over GraphQL, then the policy deleted over REST.
    const set = await call(demo.issuer!.tokens.admin, 'POST', '/graphql', {
      query:
        'mutation($p: JSON!) { setDmsPolicy(policyId: "ran-cpu", policy: $p) { created policy { policyId origin } } }',
      variables: { p: { quotas: { perNamespace: { maxCpu: '50m' } } } },
    });
    expect(set.body['data']).toEqual({
      setDmsPolicy: { created: true, policy: { policyId: 'ran-cpu', origin: 'api' } },
    });
    expect((await admin('PUT', '/netweave/v1/policies/tenant-replicas', { quotas: {} })).status).toBe(200);
    const cpu = await ended(
      (
        await deployer('POST', `${instanceUrl}/scale`, {
          type: 'SCALE_OUT',
          aspectId: 'cu_up_aspect',
          numberOfSteps: 1,
        })
      ).location!,
    );
    expect((cpu['error'] as { detail: string }).detail).toContain('ran-cpu.quotas.perNamespace.maxCpu');
    expect((await admin('DELETE', '/netweave/v1/policies/ran-cpu')).status).toBe(204);
    expect((await admin('GET', '/netweave/v1/policies/ran-cpu')).status).toBe(404);
    const grown = await ended(
      (
        await deployer('POST', `${instanceUrl}/scale`, {
          type: 'SCALE_OUT',
          aspectId: 'cu_up_aspect',
          numberOfSteps: 1,
        })
      ).location!,
    );
    expect(grown['operationState']).toBe('COMPLETED');
  });
});
