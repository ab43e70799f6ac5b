/**
 * O2 IMS provisioning on the demo topology (docs/provisioning.md): regional-1 is the management cluster, the
 * composition function stand-in plays Crossplane. A request goes PENDING → FULFILLED; the new cluster is then
 * in the O2 inventory (resource pools, deployment managers, node clusters) and answers kubectl with the
 * kubeconfig Secret Crossplane wrote; DELETE makes it leave again. A failing composite ends FAILED with the
 * composition's message; bad input gets 400/409/422 ProblemDetails.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import { buildSamplePackage } from '../../dms/packages/samples.ts';
import { deploymentManagerIdOf } from '../../rest-facade/dms/index.ts';
import { helmPath, kubectlPath } from '../../testing/kube-tools.ts';
import { OpenApiContract } from '../../testing/openapi-contract.ts';

const run = promisify(execFile);
const REQUESTS = '/o2ims-infrastructureProvisioning/v1/provisioningRequests';
const TEMPLATES = '/o2ims-infrastructureArtifacts/v1/managedInfrastructureTemplates';
const NODE_CLUSTERS = '/o2ims-infrastructureCluster/v1/nodeClusters';
const INVENTORY = '/o2ims-infrastructureInventory/v1';

/** netweave's own API documents of the three APIs: every success answer below must conform. */
const DOCUMENTS = {
  artifacts: new OpenApiContract([
    fileURLToPath(new URL('../../schema/o2ims-infrastructure-artifacts-v1.openapi.yaml', import.meta.url)),
  ]),
  provisioning: new OpenApiContract([
    fileURLToPath(new URL('../../schema/o2ims-infrastructure-provisioning-v1.openapi.yaml', import.meta.url)),
  ]),
  cluster: new OpenApiContract([
    fileURLToPath(new URL('../../schema/o2ims-infrastructure-cluster-v1.openapi.yaml', import.meta.url)),
  ]),
};

function conforms(
  api: keyof typeof DOCUMENTS,
  path: string,
  method: string,
  answer: { status: number; body: unknown },
): void {
  const pointer = DOCUMENTS[api].responseSchemaPointer(path, method, answer.status, 'application/json');
  expect(pointer, `${method} ${path} ${answer.status}`).toBeDefined();
  expect(DOCUMENTS[api].errors(pointer!, answer.body)).toEqual([]);
}

interface Info {
  provisioningRequestReference: string;
  provisionedResourceSet?: { nodeClusterId: string };
  status: { provisioningPhase: string; message: string };
}

function request(id: string, name: string, templateParameters: Record<string, unknown>) {
  return {
    provisioningRequestId: id,
    name,
    description: `edge cluster ${name}`,
    templateName: 'edge-cluster',
    templateVersion: 'v1',
    templateParameters,
  };
}

describe('O2 IMS provisioning on the demo topology', () => {
  let demo: Demo;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nw-prov-e2e-'));
    demo = await startDemo({
      port: 0,
      timeline: false,
      logger: createLogger('silent'),
      // Long enough for every phase (DELETING included) to be seen by a 100 ms re-evaluation.
      provisioning: { readyDelayMs: 300 },
      gateway: {
        logLevel: 'silent',
        provisioning: { syncGraceSeconds: 2, tickMs: 100 },
        dms: { helmPath: helmPath(), readinessTimeoutMs: 30_000 },
      },
    });
  });
  afterAll(async () => {
    await demo?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; headers: Headers; body: unknown }> {
    const response = await fetch(`${demo.gateway.url}${path}`, {
      method,
      // Version: the DMS (SOL013) requires it; the O2 IMS APIs ignore it.
      headers: { 'content-type': 'application/json', version: '2.14.0' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
  }

  async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
    for (let attempt = 0; attempt < 600; attempt++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  const phaseOf = async (id: string, phase: string): Promise<Info | undefined> => {
    const answer = await call('GET', `${REQUESTS}/${id}`);
    const info = answer.body as Info;
    return answer.status === 200 && info.status.provisioningPhase === phase ? info : undefined;
  };

  it('serves the labelled Composition as a template with the XRD parameter schema and its defaults', async () => {
    const list = await call('GET', TEMPLATES);
    expect(list.status).toBe(200);
    conforms('artifacts', TEMPLATES, 'get', list);
    const [template] = list.body as Array<{
      artifactResourceId: string;
      name: string;
      version: string;
      parameterSchema: { properties: Record<string, unknown> };
      extensions: { timeoutSeconds: number };
    }>;
    expect(template).toMatchObject({
      name: 'edge-cluster',
      version: 'v1',
      extensions: { timeoutSeconds: 600 },
    });
    expect(Object.keys(template!.parameterSchema.properties)).toContain('nodeCount');
    expect((await call('GET', `${TEMPLATES}/edge-cluster.v1`)).body).toMatchObject({
      artifactResourceId: template!.artifactResourceId,
    });
    const defaults = await call('GET', `${TEMPLATES}/${template!.artifactResourceId}/defaults`);
    expect(defaults.body).toMatchObject({
      clusterInstanceDefaults: { nodeCount: 1, cpu: 8, memory: '32Gi' },
    });
    expect((await call('GET', `${TEMPLATES}/nope.v9`)).status).toBe(404);
    const filtered = await call('GET', `${TEMPLATES}?filter=(eq,name,other)`);
    expect(filtered.body).toEqual([]);
  });

  it('refuses bad requests: schema violations name the path, unknown templates, id mismatches', async () => {
    const id = 'a4b0e5c2-1f3d-4e6a-9b7c-0d1e2f3a4b5c';
    const tooBig = await call('POST', REQUESTS, request(id, 'edge-bad', { nodeCount: 50 }));
    expect(tooBig.status).toBe(400);
    expect((tooBig.body as { detail: string }).detail).toContain('/templateParameters/nodeCount');
    const missing = await call('POST', REQUESTS, { ...request(id, 'edge-bad', {}), name: undefined });
    expect(missing.status).toBe(400);
    expect((missing.body as { detail: string }).detail).toContain('name');
    const unknown = await call('POST', REQUESTS, {
      ...request(id, 'edge-bad', { nodeCount: 1 }),
      templateVersion: 'v9',
    });
    expect(unknown.status).toBe(422);
    const taken = await call('POST', REQUESTS, request(id, 'edge-1', { nodeCount: 1 }));
    expect(taken.status).toBe(409);
    expect((await call('GET', `${REQUESTS}/${id}`)).status).toBe(404);
  });

  /** Collects the events of a graphql-ws subscription. */
  function collect(query: string): { client: Client; events: unknown[] } {
    const client = createClient({
      url: `${demo.gateway.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
    });
    const events: unknown[] = [];
    client.subscribe(
      { query },
      { next: (value) => void events.push(value.data), error: () => undefined, complete: () => undefined },
    );
    return { client, events };
  }

  it('provisions a cluster that joins the graph, answers kubectl and leaves on DELETE', async () => {
    const id = '5f0c8a2e-7b1d-4c3e-8f9a-1b2c3d4e5f60';
    // Live: the request's changes, and the new cluster's inventory events (CREATE on join, DELETE on leave).
    const changes = collect(
      'subscription { provisioningRequestChanged { changeKind provisioningRequestId request { phase clusterId } } }',
    );
    const inventory = collect(
      'subscription { inventoryChanged(objectKinds: [DEPLOYMENT_MANAGER]) { changeKind clusterId } }',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const created = await call('POST', REQUESTS, request(id, 'edge-3', { nodeCount: 2, pool: 'ran' }));
    expect(created.status).toBe(201);
    conforms('provisioning', REQUESTS, 'post', created);
    expect(created.headers.get('location')).toMatch(new RegExp(`${REQUESTS}/${id}$`));
    expect((created.body as Info).status.provisioningPhase).toBe('PENDING');
    expect((await call('POST', REQUESTS, request(id, 'edge-4', { nodeCount: 1 }))).status).toBe(409);

    const fulfilled = await until(() => phaseOf(id, 'FULFILLED'), 'FULFILLED');
    const nodeClusterId = fulfilled.provisionedResourceSet!.nodeClusterId;
    conforms('provisioning', `${REQUESTS}/{provisioningRequestId}`, 'get', { status: 200, body: fulfilled });
    const nodeCluster = await call('GET', `${NODE_CLUSTERS}/${nodeClusterId}`);
    expect(nodeCluster.status).toBe(200);
    conforms('cluster', `${NODE_CLUSTERS}/{nodeClusterId}`, 'get', nodeCluster);
    conforms('cluster', NODE_CLUSTERS, 'get', await call('GET', NODE_CLUSTERS));
    expect(nodeCluster.body).toMatchObject({
      name: 'edge-3',
      clientNodeClusterId: id,
      extensions: { clusterId: 'edge-3', provisioned: true },
    });
    const all = (await call('GET', NODE_CLUSTERS)).body as Array<{ name: string }>;
    expect(all.map((c) => c.name)).toEqual(['edge-1', 'edge-2', 'edge-3', 'regional-1']);

    const managers = (await call('GET', `${INVENTORY}/deploymentManagers`)).body as Array<
      Record<string, unknown>
    >;
    expect(JSON.stringify(managers)).toContain('edge-3');
    const pools = (await call('GET', `${INVENTORY}/resourcePools`)).body as Array<Record<string, unknown>>;
    expect(JSON.stringify(pools)).toContain('edge-3');

    // kubectl with the kubeconfig Crossplane wrote to the management cluster.
    const secret = demo.clusters
      .get('regional-1')!
      .objects.get('v1', 'Secret', 'edge-3-kubeconfig', 'netweave-provisioning');
    const kubeconfig = join(dir, 'edge-3.kubeconfig');
    await writeFile(
      kubeconfig,
      Buffer.from((secret!['data'] as { kubeconfig: string }).kubeconfig, 'base64'),
    );
    const { stdout } = await run(kubectlPath(), ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'name']);
    expect(stdout.trim().split('\n')).toEqual(['node/edge-3-node-01', 'node/edge-3-node-02']);

    // PUT: one more node; the phase goes PROGRESSING and back to FULFILLED, the inventory follows.
    const mismatch = await call(
      'PUT',
      `${REQUESTS}/${id}`,
      request('0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e0e', 'edge-3', { nodeCount: 3 }),
    );
    expect(mismatch.status).toBe(422);
    const replaced = await call(
      'PUT',
      `${REQUESTS}/${id}`,
      request(id, 'edge-3', { nodeCount: 3, pool: 'ran' }),
    );
    expect(replaced.status).toBe(200);
    await until(async () => {
      const info = await phaseOf(id, 'FULFILLED');
      const resources = await call('GET', `${INVENTORY}/resourcePools`);
      return info !== undefined &&
        (info.status.message ?? '') !== '' &&
        JSON.stringify(resources.body).includes('edge-3')
        ? info
        : undefined;
    }, 'FULFILLED after the PUT');
    const { stdout: three } = await run(kubectlPath(), [
      '--kubeconfig',
      kubeconfig,
      'get',
      'nodes',
      '-o',
      'name',
    ]);
    expect(three.trim().split('\n')).toHaveLength(3);

    // The DMS deploys to it: the sample CNF instantiated through the new cluster's deployment manager.
    const pkg = (await call('POST', '/o2dms/vnfpkgm/v1/vnf_packages', {})).body as { id: string };
    const upload = await fetch(
      `${demo.gateway.url}/o2dms/vnfpkgm/v1/vnf_packages/${pkg.id}/package_content`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/zip' },
        body: new Uint8Array(await buildSamplePackage('netweave-sample-cnf')),
      },
    );
    expect(upload.status).toBe(202);
    const { vnfdId } = (await call('GET', `/o2dms/vnfpkgm/v1/vnf_packages/${pkg.id}`)).body as {
      vnfdId: string;
    };
    const instance = (await call('POST', '/o2dms/vnflcm/v2/vnf_instances', { vnfdId })).body as {
      id: string;
    };
    const started = await call('POST', `/o2dms/vnflcm/v2/vnf_instances/${instance.id}/instantiate`, {
      flavourId: 'small',
      vimConnectionInfo: { edge: { vimId: deploymentManagerIdOf('edge-3'), vimType: 'kubernetes' } },
      additionalParams: { namespace: 'nf-provisioned' },
    });
    expect(started.status).toBe(202);
    const occurrence = new URL(started.headers.get('location')!).pathname;
    await until(async () => {
      const state = ((await call('GET', occurrence)).body as { operationState: string }).operationState;
      if (state === 'FAILED_TEMP' || state === 'FAILED')
        throw new Error(`instantiation ${state}: ${JSON.stringify((await call('GET', occurrence)).body)}`);
      return state === 'COMPLETED' ? true : undefined;
    }, 'the instantiation');
    const pods = demo
      .compositionFunction!.clusters.get('edge-3')!
      .objects.list('v1', 'Pod', { namespace: 'nf-provisioned' });
    expect(pods.length).toBeGreaterThan(0);

    // Deleting a cluster that runs NF instances is refused, naming them, unless forced.
    const refused = await call('DELETE', `${REQUESTS}/${id}`);
    expect(refused.status).toBe(409);
    expect((refused.body as { detail: string }).detail).toContain(instance.id);
    const deleting = await call('DELETE', `${REQUESTS}/${id}?force=true`);
    expect(deleting.status).toBe(202);
    conforms('provisioning', `${REQUESTS}/{provisioningRequestId}`, 'delete', deleting);
    expect((deleting.body as Info).status.provisioningPhase).toBe('DELETING');
    await until(
      async () => ((await call('GET', `${REQUESTS}/${id}`)).status === 404 ? true : undefined),
      '404',
    );
    await until(
      async () =>
        JSON.stringify((await call('GET', `${INVENTORY}/deploymentManagers`)).body).includes('edge-3')
          ? undefined
          : true,
      'the deployment manager to go',
    );
    expect(
      ((await call('GET', NODE_CLUSTERS)).body as Array<{ name: string }>).map((c) => c.name),
    ).not.toContain('edge-3');
    expect((await call('GET', `${NODE_CLUSTERS}/${nodeClusterId}`)).status).toBe(404);

    const inventoryEvents = await until(async () => {
      const seen = inventory.events.filter(
        (e) => (e as { inventoryChanged: { clusterId: string } }).inventoryChanged.clusterId === 'edge-3',
      );
      return seen.some((e) => JSON.stringify(e).includes('DELETE')) ? seen : undefined;
    }, 'the deployment manager CREATE and DELETE events');
    // CREATE on join, MODIFY for the PUT's extra node, DELETE on leave.
    const kinds = inventoryEvents.map(
      (e) => (e as { inventoryChanged: { changeKind: string } }).inventoryChanged.changeKind,
    );
    expect(kinds[0]).toBe('CREATE');
    expect(kinds.at(-1)).toBe('DELETE');
    const ours = changes.events
      .map(
        (e) =>
          (
            e as {
              provisioningRequestChanged: {
                changeKind: string;
                provisioningRequestId: string;
                request: { phase: string };
              };
            }
          ).provisioningRequestChanged,
      )
      .filter((c) => c.provisioningRequestId === id);
    const phases = ours.map((c) => c.request.phase);
    expect(phases).toContain('FULFILLED');
    expect(phases.indexOf('FULFILLED')).toBeGreaterThan(phases.indexOf('PROGRESSING'));
    expect(phases).toContain('DELETING');
    expect(ours.at(-1)?.changeKind).toBe('DELETE');
    await changes.client.dispose();
    await inventory.client.dispose();
  });

  it('ends FAILED with the composition message when the composite never becomes Ready', async () => {
    const id = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
    const created = await call(
      'POST',
      REQUESTS,
      request(id, 'edge-doomed', { nodeCount: 1, simulateFailure: 'no capacity at the site' }),
    );
    expect(created.status).toBe(201);
    const failed = await until(() => phaseOf(id, 'FAILED'), 'FAILED');
    expect(failed.status.message).toContain('no capacity at the site');
    expect(failed.provisionedResourceSet).toBeUndefined();
    expect((await call('DELETE', `${REQUESTS}/${id}`)).status).toBe(202);
    await until(
      async () => ((await call('GET', `${REQUESTS}/${id}`)).status === 404 ? true : undefined),
      '404',
    );
  });
});
