/**
 * `npm run bench -- provisioning`: O2 IMS provisioning on the demo topology (docs/provisioning.md), for 1 and
 * for 20 concurrent requests:
 * - POST → FULFILLED: the request is accepted, the composite is created on the management cluster, the
 *   composition function stand-in makes the cluster Ready and writes its Secret, netweave starts its subgraph,
 *   registers it and waits for its first inventory sync;
 * - Ready → first inventory answer: from the moment the composite turns Ready to the first GraphQL answer
 *   listing the new cluster's nodes through the gateway.
 * Baseline, in the same run: the same number of composites created directly on the management cluster
 * (no netweave), create → Ready and Secret — what "Crossplane" alone takes. The ratio is netweave's total
 * against it.
 */
import { randomUUID } from 'node:crypto';
import { startDemo, type Demo } from '../cli/demo.ts';
import { createLogger } from '../common/log.ts';
import { machineDescription, percentile, writeSection } from './report.ts';

const NAMESPACE = 'netweave-provisioning';
const REQUESTS = '/o2ims-infrastructureProvisioning/v1/provisioningRequests';
const XR = { apiVersion: 'edge.netweave.io/v1alpha1', kind: 'EdgeCluster' };
const READY_DELAY_MS = 100;

function now(): number {
  return performance.now();
}

function isReady(object: { status?: unknown } | undefined): boolean {
  const conditions = (object?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

async function until(probe: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    // 50 ms: frequent enough for the resolution wanted, rare enough not to load the gateway being measured.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** When each composite first turned Ready (management cluster store events). */
function readyTimes(demo: Demo): { times: Map<string, number>; stop(): void } {
  const times = new Map<string, number>();
  const stop = demo.clusters.get('regional-1')!.objects.subscribe((event) => {
    if (event.object.kind !== XR.kind || times.has(event.object.metadata.name)) return;
    if (isReady(event.object as { status?: unknown })) times.set(event.object.metadata.name, now());
  });
  return { times, stop };
}

async function baseline(demo: Demo, round: number, count: number): Promise<number[]> {
  const store = demo.clusters.get('regional-1')!.objects;
  const names = Array.from({ length: count }, (_, i) => `base-${round}-${i}`);
  const started = now();
  const durations = await Promise.all(
    names.map(async (name) => {
      store.create({
        ...XR,
        metadata: { name, namespace: NAMESPACE },
        spec: {
          parameters: { nodeCount: 2 },
          crossplane: { compositionRef: { name: 'edge-cluster-small' } },
        },
      });
      await until(
        () =>
          isReady(store.get(XR.apiVersion, XR.kind, name, NAMESPACE) as { status?: unknown }) &&
          store.get('v1', 'Secret', `${name}-kubeconfig`, NAMESPACE) !== undefined,
        `${name} Ready`,
      );
      return now() - started;
    }),
  );
  for (const name of names) store.delete(XR.apiVersion, XR.kind, name, NAMESPACE);
  await until(() => store.list(XR.apiVersion, XR.kind).length === 0, 'baseline composites gone');
  return durations;
}

async function phase(demo: Demo, id: string): Promise<string | undefined> {
  const response = await fetch(`${demo.gateway.url}${REQUESTS}/${id}`);
  if (response.status !== 200) return undefined;
  return ((await response.json()) as { status: { provisioningPhase: string } }).status.provisioningPhase;
}

async function nodesAnswered(demo: Demo, clusterId: string): Promise<boolean> {
  const response = await fetch(`${demo.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: `{ cluster(clusterId: "${clusterId}") { nodes { name } } }` }),
  });
  const body = (await response.json()) as { data?: { cluster: { nodes: unknown[] } | null } };
  return (body.data?.cluster?.nodes.length ?? 0) > 0;
}

async function netweave(
  demo: Demo,
  round: number,
  count: number,
): Promise<{ fulfilled: number[]; firstAnswer: number[] }> {
  const ready = readyTimes(demo);
  const requests = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    name: `prov-${round}-${i}`,
  }));
  const started = now();
  const results = await Promise.all(
    requests.map(async ({ id, name }) => {
      const answer = await fetch(`${demo.gateway.url}${REQUESTS}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          provisioningRequestId: id,
          name,
          description: 'bench',
          templateName: 'edge-cluster',
          templateVersion: 'v1',
          templateParameters: { nodeCount: 2 },
        }),
      });
      if (answer.status !== 201) throw new Error(`POST ${answer.status}: ${await answer.text()}`);
      let answered: number | undefined;
      await until(async () => {
        if (answered === undefined && ready.times.has(name) && (await nodesAnswered(demo, name)))
          answered = now();
        return (await phase(demo, id)) === 'FULFILLED';
      }, `${name} FULFILLED`);
      const fulfilled = now() - started;
      await until(async () => {
        if (answered === undefined && (await nodesAnswered(demo, name))) answered = now();
        return answered !== undefined;
      }, `${name} answering`);
      return { fulfilled, firstAnswer: answered! - ready.times.get(name)! };
    }),
  );
  ready.stop();
  for (const { id } of requests) await fetch(`${demo.gateway.url}${REQUESTS}/${id}`, { method: 'DELETE' });
  for (const { id } of requests) await until(async () => (await phase(demo, id)) === undefined, 'deleted');
  return { fulfilled: results.map((r) => r.fulfilled), firstAnswer: results.map((r) => r.firstAnswer) };
}

const ms = (sorted: readonly number[], p: number): string => percentile(sorted, p).toFixed(0);

async function main(): Promise<void> {
  const machine = machineDescription();
  const demo = await startDemo({
    port: 0,
    timeline: false,
    logger: createLogger('silent'),
    provisioning: { readyDelayMs: READY_DELAY_MS },
    gateway: { logLevel: 'silent', provisioning: { tickMs: 100 } },
  });
  const rows: string[] = [];
  try {
    let round = 0;
    for (const [count, rounds] of [
      [1, 5],
      [20, 1],
    ] as const) {
      const base: number[] = [];
      const fulfilled: number[] = [];
      const firstAnswer: number[] = [];
      for (let r = 0; r < rounds; r++, round++) {
        base.push(...(await baseline(demo, round, count)));
        const result = await netweave(demo, round, count);
        fulfilled.push(...result.fulfilled);
        firstAnswer.push(...result.firstAnswer);
      }
      for (const list of [base, fulfilled, firstAnswer]) list.sort((a, b) => a - b);
      const ratio = (p: number): string => (percentile(fulfilled, p) / percentile(base, p)).toFixed(2);
      const row = `| ${count} | ${fulfilled.length} | ${ms(fulfilled, 50)} | ${ms(fulfilled, 100)} | ${ms(base, 50)} | ${ms(base, 100)} | ${ratio(50)}× | ${ms(firstAnswer, 50)} | ${ms(firstAnswer, 100)} |`;
      rows.push(row);
      process.stdout.write(`${row}\n`);
    }
  } finally {
    await demo.close();
  }
  const body = `Command: \`npm run bench -- provisioning\` (bench/provisioning.bench.ts). ${machine}.

POST → FULFILLED of O2 IMS provisioning requests on the demo (in-memory store; the composition function
stand-in takes ${READY_DELAY_MS} ms from Synced to Ready, each new cluster has 2 nodes), against the baseline
measured in the same run: the same number of composites created directly on the management cluster,
create → Ready + kubeconfig Secret (what "Crossplane" alone takes, no netweave). Ready → first answer: from
the composite turning Ready to the first GraphQL answer listing the new cluster's nodes through the gateway
(subgraph start, first inventory sync, shard registration). Times in ms; "max" is the slowest request.

| concurrent requests | samples | POST → FULFILLED p50 | max | baseline create → Ready p50 | max | ratio p50 | Ready → first answer p50 | max |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}`;
  writeSection('Provisioning (POST → FULFILLED, Ready → first inventory answer)', body);
}

await main();
