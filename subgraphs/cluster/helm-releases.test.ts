/**
 * Deployments in the cluster graph, over the simulator with the real helm binary: every release appears as
 * a HelmRelease (revisions, chart, values digest, workloads, pods), only the release a DMS instance record
 * names is an NfDeployment (with its package and occurrences), and a tenant does not see another tenant's
 * instance behind a release.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execute, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentContext, type AuthContext } from '../../common/auth.ts';
import { LifecycleLedger, releaseNameOf, type VnfInstanceRecord } from '../../dms/lifecycle/index.ts';
import { startSimCluster, type SimCluster } from '../../sim/cluster.ts';
import { createMemoryStore } from '../../state/memory-store.ts';
import type { StateStore } from '../../state/store.ts';
import { testContext } from '../../testing/cluster-fixtures.ts';
import { chartFiles, packChart } from '../../testing/dms-packages.ts';
import { helmPath } from '../../testing/kube-tools.ts';
import { decodeReleaseSecret, valuesDigest } from './helm-releases.ts';
import { startClusterInformers, type ClusterInformers } from './informers.ts';
import { ClusterInventory } from './inventory.ts';
import { kubeAccess } from './kube-client.ts';
import { dmsRecordsOf } from './nf-deployments.ts';
import { createGraphContext, type ClusterDataSources } from './resolvers.ts';
import { buildClusterSchema } from './schema.ts';

const run = promisify(execFile);
const INSTANCE_ID = '6f1c2a4e-8b3d-4c5e-9f60-71a2b3c4d5e6';
const RELEASE = releaseNameOf(INSTANCE_ID);

describe('HelmRelease and NfDeployment (real helm, simulated cluster)', () => {
  let dir: string;
  let sim: SimCluster;
  let kubeconfig: string;
  let informers: ClusterInformers;
  let store: StateStore;
  let sources: ClusterDataSources;

  async function helm(...args: string[]): Promise<void> {
    const env = {
      ...process.env,
      HELM_CACHE_HOME: join(dir, 'cache'),
      HELM_CONFIG_HOME: join(dir, 'config'),
      HELM_DATA_HOME: join(dir, 'data'),
    };
    await run(helmPath(), ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000, env });
  }

  async function query(text: string, auth: AuthContext = developmentContext('t')) {
    const result = await execute({
      schema: buildClusterSchema(sources),
      document: parse(text),
      contextValue: createGraphContext(sources, auth),
    });
    expect(result.errors).toBeUndefined();
    return result.data as Record<string, unknown>;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nw-releases-'));
    const chart = join(dir, 'chart.tgz');
    await writeFile(chart, await packChart(chartFiles(['vdu1'])));
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'edge-node', labels: { 'kubernetes.io/hostname': 'edge-node' } },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        allocatable: { cpu: '8', memory: '16Gi', pods: '110' },
        capacity: { cpu: '8', memory: '16Gi', pods: '110' },
      },
    };
    sim = await startSimCluster({ name: 'edge-x', controllers: true, objects: [node] });
    kubeconfig = join(dir, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfig);
    const access = kubeAccess({ kubeconfigPath: kubeconfig });
    informers = startClusterInformers(access.api, {});
    await informers.synced();

    // A foreign release (someone ran helm by hand) and one the DMS made (named after an instance record).
    await helm('install', 'web', chart, '--namespace', 'default');
    await helm('install', RELEASE, chart, '--namespace', 'ran', '--create-namespace', '--set', 'greeting=hi');
    await helm(
      'upgrade',
      RELEASE,
      chart,
      '--namespace',
      'ran',
      '--reuse-values',
      '--set',
      'replicas.vdu1=2',
      '--description',
      'netweave occurrence 11111111-2222-4333-8444-555555555555 SCALE',
    );

    store = createMemoryStore();
    const ledger = new LifecycleLedger(store, () => new Date());
    const instance: VnfInstanceRecord = {
      id: INSTANCE_ID,
      vnfInstanceName: 'cu-up',
      vnfdId: 'vnfd-1',
      vnfProvider: 'p',
      vnfProductName: 'n',
      vnfSoftwareVersion: '1',
      vnfdVersion: '1',
      instantiationState: 'INSTANTIATED',
      instantiatedVnfInfo: { flavourId: 'small', vnfState: 'STARTED' },
      vnfPkgId: 'pkg-1',
      tenant: 'ran',
      clusterId: 'edge-x',
      releaseName: RELEASE,
      namespace: 'ran',
      createdAt: '2026-01-01T00:00:00Z',
    };
    await ledger.instances.create(INSTANCE_ID, instance);
    await ledger.occurrences.create('11111111-2222-4333-8444-555555555555', {
      id: '11111111-2222-4333-8444-555555555555',
      operationState: 'COMPLETED',
      stateEnteredTime: '2026-01-01T00:01:00Z',
      startTime: '2026-01-01T00:01:00Z',
      vnfInstanceId: INSTANCE_ID,
      operation: 'SCALE',
      isAutomaticInvocation: false,
      isCancelPending: false,
      tenant: 'ran',
      clusterId: 'edge-x',
      attempt: 1,
    });
    const mapping = testContext('edge-x');
    sources = {
      mapping,
      inventory: new ClusterInventory(mapping),
      informers,
      dmsRecords: dmsRecordsOf(store),
    };
  });

  afterAll(async () => {
    await informers?.close();
    await sim?.close();
    await store?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows every release with its revisions, chart, values digest, workloads and pods', async () => {
    await expect
      .poll(
        async () => {
          const data = await query(
            `{ cluster(clusterId: "edge-x") { helmReleases { name namespace pods { ready } } } }`,
          );
          const releases = (
            data['cluster'] as { helmReleases: { name: string; pods: { ready: boolean }[] }[] }
          ).helmReleases;
          return releases.map((r) => `${r.name}:${r.pods.filter((p) => p.ready).length}`);
        },
        { timeout: 20_000 },
      )
      .toEqual([`web:1`, `${RELEASE}:2`]);

    const data = await query(`{
      helmReleases(namespace: "ran") {
        clusterId name namespace revision status chart chartName chartVersion description valuesDigest
        revisions { revision status description valuesDigest }
        workloads { kind name replicas }
        nfDeployment { vnfInstanceId }
      }
    }`);
    const [release] = data['helmReleases'] as Record<string, unknown>[];
    expect(release).toMatchObject({
      clusterId: 'edge-x',
      name: RELEASE,
      namespace: 'ran',
      revision: 2,
      status: 'deployed',
      chart: 'nf-test-0.1.0',
      chartName: 'nf-test',
      chartVersion: '0.1.0',
      description: 'netweave occurrence 11111111-2222-4333-8444-555555555555 SCALE',
      workloads: [{ kind: 'Deployment', name: `vdu1-${RELEASE}`, replicas: 2 }],
      nfDeployment: { vnfInstanceId: INSTANCE_ID },
    });
    const revisions = release!['revisions'] as { revision: number; status: string; valuesDigest: string }[];
    expect(revisions.map((r) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
    // The digest of the given values, never the values: revision 1 was given greeting=hi only.
    expect(revisions[0]!.valuesDigest).toBe(valuesDigest({ greeting: 'hi' }));
    expect(release!['valuesDigest']).toBe(valuesDigest({ greeting: 'hi', replicas: { vdu1: 2 } }));
    expect(JSON.stringify(data)).not.toContain('"hi"');
  });

  it('shows only the DMS-made release as an NfDeployment, with its instance, package and occurrences', async () => {
    const data = await query(`{
      nfDeployments {
        clusterId vnfInstanceId vnfInstanceName vnfdId vnfPkgId flavourId instantiationState releaseName namespace
        release { name revision }
        pods { name }
        vnfInstance { id }
        occurrences { id }
      }
      web: helmReleases(namespace: "default") { name nfDeployment { vnfInstanceId } }
    }`);
    expect(data['nfDeployments']).toEqual([
      {
        clusterId: 'edge-x',
        vnfInstanceId: INSTANCE_ID,
        vnfInstanceName: 'cu-up',
        vnfdId: 'vnfd-1',
        vnfPkgId: 'pkg-1',
        flavourId: 'small',
        instantiationState: 'INSTANTIATED',
        releaseName: RELEASE,
        namespace: 'ran',
        release: { name: RELEASE, revision: 2 },
        pods: expect.arrayContaining([expect.objectContaining({ name: expect.any(String) })]),
        vnfInstance: { id: INSTANCE_ID },
        occurrences: [{ id: '11111111-2222-4333-8444-555555555555' }],
      },
    ]);
    expect(data['web']).toEqual([{ name: 'web', nfDeployment: null }]);

    // The per-request DataLoaders: entity lookups of NF deployments and every workload's NF deployment.
    const walked = await query(`{
      _entities(representations: [
        { __typename: "NfDeployment", clusterId: "edge-x", vnfInstanceId: "${INSTANCE_ID}" },
        { __typename: "NfDeployment", clusterId: "edge-x", vnfInstanceId: "00000000-0000-4000-8000-000000000000" }
      ]) { ... on NfDeployment { releaseName } }
      cluster(clusterId: "edge-x") { workloads { name nfDeployment { vnfInstanceId } } }
    }`);
    expect(walked['_entities']).toEqual([{ releaseName: RELEASE }, null]);
    const workloads = (
      walked['cluster'] as { workloads: { nfDeployment: { vnfInstanceId: string } | null }[] }
    ).workloads;
    expect(workloads.some((w) => w.nfDeployment?.vnfInstanceId === INSTANCE_ID)).toBe(true);
    expect(workloads.some((w) => w.nfDeployment === null)).toBe(true);
  });

  it('hides another tenant’s instance: its release is then only a HelmRelease', async () => {
    const other: AuthContext = { ...developmentContext('t'), tenant: { name: 'core' } };
    const data = await query(
      `{ nfDeployments { vnfInstanceId } helmReleases { name nfDeployment { vnfInstanceId } } }`,
      other,
    );
    expect(data['nfDeployments']).toEqual([]);
    expect((data['helmReleases'] as { nfDeployment: unknown }[]).every((r) => r.nfDeployment === null)).toBe(
      true,
    );
  });

  it('serves the inventory when its credentials may not list Secrets (no releases then)', async () => {
    // A loopback proxy to the simulator that refuses Secrets, as RBAC would for a narrow service account.
    const proxy: Server = createServer((req, res) => {
      if ((req.url ?? '').startsWith('/api/v1/secrets')) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'Forbidden',
            code: 403,
          }),
        );
        return;
      }
      const upstream = request(
        new URL(req.url ?? '/', sim.url),
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      // Watches end by closing the connection: a destroyed upstream is expected, not an error.
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
      res.on('close', () => upstream.destroy());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const path = join(dir, 'forbidden.kubeconfig');
    await writeFile(
      path,
      sim.kubeconfigYaml().replace(sim.url, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`),
    );
    const narrow = startClusterInformers(kubeAccess({ kubeconfigPath: path }).api, {});
    try {
      await narrow.synced();
      expect(narrow.isSynced).toBe(true);
      expect(narrow.health()).toMatchObject({ synced: true, informers: { helmreleases: { synced: false } } });
      expect(narrow.cache('helmreleases').list()).toEqual([]);
    } finally {
      await narrow.close();
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  it('does not decode a secret that is not a Helm release', () => {
    expect(decodeReleaseSecret({ data: { release: 'bm90IGpzb24=' } })).toBeUndefined();
    expect(decodeReleaseSecret({})).toBeUndefined();
  });
});
