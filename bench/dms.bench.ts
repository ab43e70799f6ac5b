/**
 * DMS benchmark: instantiate → COMPLETED latency through netweave (vnflcm REST on the gateway → job queue →
 * the cluster subgraph's runner → real helm → readiness from the informers) against a baseline measured in
 * the same run: bare `helm install --wait` with the same helm binary, chart and values on the same
 * simulated clusters, at the same concurrency. Rounds of the two sides alternate, so load drift on a shared
 * machine hits both alike; every round is undone (terminate / uninstall, then the pods are gone) before
 * the next one.
 *
 * Cases: one instance, and 20 concurrent instantiations spread round-robin over the demo's clusters.
 * netweave runs with the default `dms.maxHelmProcesses` (4 per cluster) and with a limit no round reaches;
 * the baseline runs once unbounded and once with the same per-cluster process limit.
 * Day-2 cases on one instantiated instance: SCALE_OUT by 5 cu-up replicas (→ COMPLETED; then scaled back in,
 * unmeasured) against `helm upgrade --reuse-values --set replicaCountCuUp=6 --wait` of a baseline release;
 * HEAL of one cu-up VNFC (→ COMPLETED) against deleting one pod of the baseline release through the API and
 * waiting for its Ready replacement.
 *
 * A profile pass (one instance at a time, helm behind a wrapper that logs each process's start and end)
 * splits netweave's latency into REST + queue, each helm process, the gaps between them and the
 * readiness wait.
 *
 *   npm run bench -- dms                    (BENCH_DMS_SINGLE_ROUNDS, BENCH_DMS_CONCURRENT_ROUNDS, BENCH_DMS_WARMUP,
 *                                            BENCH_DMS_DAY2_ROUNDS, BENCH_DMS_CASES=single,concurrent,scale,heal,profile)
 */
import { execFile } from 'node:child_process';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo, type Demo } from '../cli/demo.ts';
import { createLogger } from '../common/log.ts';
import { LifecycleLedger, isFinal, releaseNameOf, type OccurrenceRecord } from '../dms/lifecycle/index.ts';
import { PackageRepository } from '../dms/packages/index.ts';
import { SAMPLES_DIRECTORY, buildCsarFromDirectory } from '../dms/packages/samples.ts';
import { deploymentManagerIdOf } from '../rest-facade/dms/index.ts';
import { createMemoryStore } from '../state/memory-store.ts';
import type { MemoryStore } from '../state/memory-store.ts';
import { DEFAULT_POD_START_DELAY_MS } from '../sim/index.ts';
import { instantiationValues } from '../subgraphs/cluster/deployments/values.ts';
import { helmPath } from '../testing/kube-tools.ts';
import { machineDescription, percentile, writeSection } from './report.ts';

const SINGLE_ROUNDS = Number(process.env['BENCH_DMS_SINGLE_ROUNDS'] ?? 15);
const CONCURRENT_ROUNDS = Number(process.env['BENCH_DMS_CONCURRENT_ROUNDS'] ?? 3);
const WARMUP_ROUNDS = Number(process.env['BENCH_DMS_WARMUP'] ?? 2);
const PROFILE_ROUNDS = Number(process.env['BENCH_DMS_PROFILE_ROUNDS'] ?? 5);
const DAY2_ROUNDS = Number(process.env['BENCH_DMS_DAY2_ROUNDS'] ?? 10);
const CASES = new Set(
  (process.env['BENCH_DMS_CASES'] ?? 'single,concurrent,scale,heal,profile').split(',').map((c) => c.trim()),
);
/** Scale-out size of the day-2 case (the bench's package allows cu-up 1 → 6). */
const SCALE_STEPS = 5;
const CONCURRENCY = 20;
const NAMESPACE = 'bench';
const FLAVOUR = 'small';
const READINESS_TIMEOUT_S = 120;
const V = { Version: '2.14.0', 'content-type': 'application/json' };
/** A per-cluster helm limit no round of 20 over 3 clusters reaches. */
const UNBOUNDED = 20;

interface Slot {
  readonly clusterId: string;
  readonly kubeconfig: string;
  /** netweave's VNF instance (created once, instantiated and terminated every round). */
  readonly instanceId: string;
  readonly releaseName: string;
  /** The baseline's release. */
  readonly baselineRelease: string;
}

interface Setup {
  readonly demo: Demo;
  readonly store: MemoryStore;
  readonly ledger: LifecycleLedger;
  readonly dir: string;
  readonly helm: string;
  readonly chartFile: string;
  readonly valuesFile: string;
  readonly slots: readonly Slot[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function call(
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
  if (response.status >= 400) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return {
    status: response.status,
    location: response.headers.get('location'),
    body: text === '' ? undefined : JSON.parse(text),
  };
}

function runHelm(helm: string, home: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      helm,
      args,
      {
        maxBuffer: 32 * 1024 * 1024,
        // The runner's environment: private Helm state, nothing else inherited.
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: home,
          HELM_CACHE_HOME: `${home}/cache`,
          HELM_CONFIG_HOME: `${home}/config`,
          HELM_DATA_HOME: `${home}/data`,
        },
      },
      (error, stdout, stderr) => (error ? reject(new Error(`helm ${args[0]}: ${stderr}`)) : resolve(stdout)),
    );
  });
}

/** A counting semaphore per cluster, as the runner's HelmCli has. */
function limiter(limit: number): (key: string, work: () => Promise<void>) => Promise<void> {
  const active = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();
  return async (key, work) => {
    if ((active.get(key) ?? 0) >= limit)
      await new Promise<void>((resolve) => waiting.set(key, [...(waiting.get(key) ?? []), resolve]));
    else active.set(key, (active.get(key) ?? 0) + 1);
    try {
      await work();
    } finally {
      const next = waiting.get(key)?.shift();
      if (next) next();
      else active.set(key, (active.get(key) ?? 1) - 1);
    }
  };
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function finalOccurrence(setup: Setup, occurrenceId: string): Promise<OccurrenceRecord> {
  const occurrence = await waitFor(`occurrence ${occurrenceId}`, async () => {
    const o = await setup.ledger.occurrences.get(occurrenceId);
    return o !== undefined && isFinal(o.operationState) ? o : undefined;
  });
  if (occurrence.operationState !== 'COMPLETED')
    throw new Error(
      `occurrence ${occurrenceId} ended ${occurrence.operationState}: ${JSON.stringify(occurrence.error)}`,
    );
  return occurrence;
}

/** Waits until the simulated cluster has no object of the release left (so rounds do not pile up). */
async function releaseGone(setup: Setup, slot: Slot, release: string): Promise<void> {
  const cluster = setup.demo.clusters.get(slot.clusterId)!;
  await waitFor(`${release} to be removed`, async () => {
    const left = [
      ...cluster.objects.list('v1', 'Pod', { namespace: NAMESPACE }),
      ...cluster.objects.list('apps/v1', 'Deployment', { namespace: NAMESPACE }),
    ].filter((o) => o.metadata.name?.includes(release));
    return left.length === 0 ? true : undefined;
  });
}

// ---------------------------------------------------------------------------------------------
// One instantiation, each side

interface NetweaveTimeline {
  readonly posted: number;
  readonly accepted: number;
  readonly processing: number | undefined;
  readonly completed: number;
}

async function netweaveInstantiate(
  setup: Setup,
  slot: Slot,
  watchProcessing = false,
): Promise<NetweaveTimeline> {
  const root = `${setup.demo.gateway.url}/o2dms`;
  const posted = Date.now();
  const started = await call('POST', `${root}/vnflcm/v2/vnf_instances/${slot.instanceId}/instantiate`, {
    flavourId: FLAVOUR,
    vimConnectionInfo: { vim: { vimId: deploymentManagerIdOf(slot.clusterId), vimType: 'kubernetes' } },
    additionalParams: { namespace: NAMESPACE },
  });
  const accepted = Date.now();
  const occurrenceId = started.location!.split('/').at(-1)!;
  let processing: number | undefined;
  if (watchProcessing) {
    // The PROCESSING entry time is overwritten by the next transition: catch it while it is current.
    const seen = await waitFor('PROCESSING', async () => {
      const o = await setup.ledger.occurrences.get(occurrenceId);
      return o !== undefined && o.operationState !== 'STARTING' ? o : undefined;
    });
    if (seen.operationState === 'PROCESSING') processing = Date.parse(seen.stateEnteredTime);
  }
  const done = await finalOccurrence(setup, occurrenceId);
  // The ledger's own time of the transition: exact, and independent of how often we look.
  return { posted, accepted, processing, completed: Date.parse(done.stateEnteredTime) };
}

async function netweaveTerminate(setup: Setup, slot: Slot): Promise<void> {
  const root = `${setup.demo.gateway.url}/o2dms`;
  const ended = await call('POST', `${root}/vnflcm/v2/vnf_instances/${slot.instanceId}/terminate`, {
    terminationType: 'FORCEFUL',
  });
  await finalOccurrence(setup, ended.location!.split('/').at(-1)!);
  await releaseGone(setup, slot, slot.releaseName);
}

async function helmInstall(setup: Setup, slot: Slot, home: string): Promise<void> {
  await runHelm(setup.helm, home, [
    'install',
    slot.baselineRelease,
    setup.chartFile,
    '--namespace',
    NAMESPACE,
    '--create-namespace',
    '--values',
    setup.valuesFile,
    '--wait',
    '--timeout',
    `${READINESS_TIMEOUT_S}s`,
    '--kubeconfig',
    slot.kubeconfig,
  ]);
}

async function helmUninstall(setup: Setup, slot: Slot, home: string): Promise<void> {
  await runHelm(setup.helm, home, [
    'uninstall',
    slot.baselineRelease,
    '--namespace',
    NAMESPACE,
    '--kubeconfig',
    slot.kubeconfig,
  ]);
  await releaseGone(setup, slot, slot.baselineRelease);
}

// ---------------------------------------------------------------------------------------------
// Rounds

interface Samples {
  netweave: number[];
  baseline: number[];
}

async function roundPair(
  setup: Setup,
  slots: readonly Slot[],
  baselineLimit: number,
  samples: Samples | undefined,
): Promise<void> {
  const nw = await Promise.all(
    slots.map(async (slot) => {
      const t = await netweaveInstantiate(setup, slot);
      return t.completed - t.posted;
    }),
  );
  await Promise.all(slots.map((slot) => netweaveTerminate(setup, slot)));
  const home = join(setup.dir, 'helm-home');
  const limit = limiter(baselineLimit);
  const bl = await Promise.all(
    slots.map(async (slot) => {
      const t0 = Date.now();
      await limit(slot.clusterId, () => helmInstall(setup, slot, home));
      return Date.now() - t0;
    }),
  );
  await Promise.all(slots.map((slot) => helmUninstall(setup, slot, home)));
  if (samples) {
    samples.netweave.push(...nw);
    samples.baseline.push(...bl);
  }
}

interface CaseResult {
  readonly label: string;
  readonly instances: number;
  readonly rounds: number;
  readonly netweave: readonly number[];
  readonly baseline: readonly number[];
}

async function runCase(
  setup: Setup,
  label: string,
  instances: number,
  rounds: number,
  baselineLimit: number,
): Promise<CaseResult> {
  const slots = setup.slots.slice(0, instances);
  // A concurrent round is 20 instantiations: one warm-up round of it warms as much as several single ones.
  const warmups = instances === 1 ? WARMUP_ROUNDS : 1;
  for (let i = 0; i < warmups; i++) await roundPair(setup, slots, baselineLimit, undefined);
  const samples: Samples = { netweave: [], baseline: [] };
  for (let i = 0; i < rounds; i++) await roundPair(setup, slots, baselineLimit, samples);
  samples.netweave.sort((a, b) => a - b);
  samples.baseline.sort((a, b) => a - b);
  const result = { label, instances, rounds, ...samples };
  process.stdout.write(`${formatRow(result)}\n`);
  return result;
}

function formatRow(r: CaseResult): string {
  const p = (xs: readonly number[], q: number): string => percentile(xs, q).toFixed(0);
  const ratio = (q: number): string => (percentile(r.netweave, q) / percentile(r.baseline, q)).toFixed(2);
  return `| ${r.label} | ${r.netweave.length} | ${p(r.netweave, 50)} | ${p(r.netweave, 99)} | ${p(r.baseline, 50)} | ${p(r.baseline, 99)} | ${ratio(50)}× | ${ratio(99)}× |`;
}

// ---------------------------------------------------------------------------------------------
// Setup

const SMALL_FLAVOUR = 'Definitions/netweave_sample_cnf_df_small.yaml';

/** The sample package with room for the scale case: cu-up may take 5 steps of one (1 → 6 replicas). */
async function benchPackage(): Promise<Buffer> {
  const root = join(SAMPLES_DIRECTORY, 'netweave-sample-cnf');
  const small = (await readFile(join(root, SMALL_FLAVOUR), 'utf8'))
    .replace('max_number_of_instances: 4', `max_number_of_instances: ${1 + SCALE_STEPS}`)
    .replace('max_scale_level: 3', `max_scale_level: ${SCALE_STEPS}`);
  return buildCsarFromDirectory(root, { extraFiles: new Map([[SMALL_FLAVOUR, Buffer.from(small)]]) });
}

async function setUp(maxHelmProcesses: number, helm: string): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'nw-dms-bench-'));
  const store = createMemoryStore();
  const packages = new PackageRepository(store);
  const demo = await startDemo({
    port: 0,
    timeline: false,
    kubeconfigDir: dir,
    store,
    dmsPackages: packages,
    logger: createLogger('silent'),
    gateway: {
      logLevel: 'silent',
      dms: { helmPath: helm, maxHelmProcesses, readinessTimeoutMs: READINESS_TIMEOUT_S * 1000 },
    },
  });
  const root = `${demo.gateway.url}/o2dms`;
  // On-board the sample package over vnfpkgm, as an operator would.
  const created = await call('POST', `${root}/vnfpkgm/v1/vnf_packages`, {});
  const packageId = (created.body as { id: string }).id;
  const upload = await fetch(`${root}/vnfpkgm/v1/vnf_packages/${packageId}/package_content`, {
    method: 'PUT',
    headers: { 'content-type': 'application/zip' },
    body: new Uint8Array(await benchPackage()),
  });
  if (upload.status !== 202) throw new Error(`package upload: ${upload.status}`);
  const pkg = await packages.get(packageId);
  const descriptor = pkg?.descriptor;
  const flavour = descriptor?.flavours.find((f) => f.flavourId === FLAVOUR);
  const chartPath = descriptor?.charts[0]?.path;
  if (descriptor === undefined || flavour === undefined || chartPath === undefined)
    throw new Error('the sample package has no descriptor, flavour or chart');
  // The baseline installs exactly what the runner installs: the package's chart, the flavour's values.
  const chartFile = join(dir, 'chart.tgz');
  const valuesFile = join(dir, 'values.json');
  await writeFile(chartFile, (await packages.readArtifact(packageId, chartPath))!);
  await writeFile(
    valuesFile,
    JSON.stringify(instantiationValues(flavour, undefined, { namespace: NAMESPACE }).values),
  );
  await mkdir(join(dir, 'helm-home'), { recursive: true });

  const clusters = demo.scenario.clusters.map((c) => c.name);
  const slots: Slot[] = [];
  for (let i = 0; i < CONCURRENCY; i++) {
    const instance = await call('POST', `${root}/vnflcm/v2/vnf_instances`, { vnfdId: descriptor.vnfdId });
    const instanceId = (instance.body as { id: string }).id;
    const clusterId = clusters[i % clusters.length]!;
    slots.push({
      clusterId,
      kubeconfig: join(dir, `${clusterId}.kubeconfig`),
      instanceId,
      releaseName: releaseNameOf(instanceId),
      baselineRelease: `bl-${String(i).padStart(2, '0')}`,
    });
  }
  return { demo, store, ledger: new LifecycleLedger(store), dir, helm, chartFile, valuesFile, slots };
}

async function tearDown(setup: Setup): Promise<void> {
  await setup.demo.close();
  await setup.store.dispose();
  await rm(setup.dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Day-2: scale out by 5, heal one pod

async function netweaveTask(setup: Setup, slot: Slot, task: string, body: unknown): Promise<number> {
  const root = `${setup.demo.gateway.url}/o2dms`;
  const posted = Date.now();
  const started = await call('POST', `${root}/vnflcm/v2/vnf_instances/${slot.instanceId}/${task}`, body);
  const done = await finalOccurrence(setup, started.location!.split('/').at(-1)!);
  return Date.parse(done.stateEnteredTime) - posted;
}

const cuUp = (release: string): string => `cu-up-${release}`;

/** Ready, not terminating pods of the release's cu-up Deployment (from the simulator's store). */
function readyCuUpPods(setup: Setup, slot: Slot, release: string): { name: string; uid: string }[] {
  const cluster = setup.demo.clusters.get(slot.clusterId)!;
  return cluster.objects
    .list('v1', 'Pod', { namespace: NAMESPACE })
    .filter((pod) => pod.metadata.name.startsWith(`${cuUp(release)}-`))
    .filter((pod) => pod.metadata.deletionTimestamp === undefined)
    .filter((pod) =>
      (
        (pod['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []
      ).some((c) => c.type === 'Ready' && c.status === 'True'),
    )
    .map((pod) => ({ name: pod.metadata.name, uid: pod.metadata.uid ?? '' }));
}

async function cuUpCount(setup: Setup, slot: Slot, release: string, count: number): Promise<void> {
  await waitFor(`${count} cu-up pods of ${release}`, async () => {
    const cluster = setup.demo.clusters.get(slot.clusterId)!;
    const pods = cluster.objects
      .list('v1', 'Pod', { namespace: NAMESPACE })
      .filter((pod) => pod.metadata.name.startsWith(`${cuUp(release)}-`));
    return pods.length === count && readyCuUpPods(setup, slot, release).length === count ? true : undefined;
  });
}

function helmSetReplicas(setup: Setup, slot: Slot, home: string, replicas: number): Promise<string> {
  return runHelm(setup.helm, home, [
    'upgrade',
    slot.baselineRelease,
    setup.chartFile,
    '--namespace',
    NAMESPACE,
    '--reuse-values',
    '--set',
    `replicaCountCuUp=${replicas}`,
    '--wait',
    '--timeout',
    `${READINESS_TIMEOUT_S}s`,
    '--kubeconfig',
    slot.kubeconfig,
  ]);
}

async function day2Cases(setup: Setup): Promise<CaseResult[]> {
  const slot = setup.slots[0]!;
  const home = join(setup.dir, 'helm-home');
  await netweaveInstantiate(setup, slot);
  await helmInstall(setup, slot, home);
  const results: CaseResult[] = [];
  const rounds = async (
    label: string,
    netweave: () => Promise<number>,
    baseline: () => Promise<number>,
  ): Promise<void> => {
    const samples: Samples = { netweave: [], baseline: [] };
    for (let i = 0; i < WARMUP_ROUNDS + DAY2_ROUNDS; i++) {
      const nw = await netweave();
      const bl = await baseline();
      if (i < WARMUP_ROUNDS) continue;
      samples.netweave.push(nw);
      samples.baseline.push(bl);
    }
    samples.netweave.sort((a, b) => a - b);
    samples.baseline.sort((a, b) => a - b);
    const result = { label, instances: 1, rounds: DAY2_ROUNDS, ...samples };
    process.stdout.write(`${formatRow(result)}\n`);
    results.push(result);
  };
  try {
    if (CASES.has('scale'))
      await rounds(
        `scale out by ${SCALE_STEPS} cu-up replicas (vs helm upgrade --reuse-values --wait)`,
        async () => {
          const scaleOut = { type: 'SCALE_OUT', aspectId: 'cu_up_aspect', numberOfSteps: SCALE_STEPS };
          const ms = await netweaveTask(setup, slot, 'scale', scaleOut);
          await netweaveTask(setup, slot, 'scale', { ...scaleOut, type: 'SCALE_IN' });
          await cuUpCount(setup, slot, slot.releaseName, 1);
          return ms;
        },
        async () => {
          const t0 = Date.now();
          await helmSetReplicas(setup, slot, home, 1 + SCALE_STEPS);
          const ms = Date.now() - t0;
          await helmSetReplicas(setup, slot, home, 1);
          await cuUpCount(setup, slot, slot.baselineRelease, 1);
          return ms;
        },
      );
    if (CASES.has('heal')) {
      // The baseline's client: client-node over the cluster's kubeconfig, like any Kubernetes client.
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(slot.kubeconfig);
      const api = kubeConfig.makeApiClient(CoreV1Api);
      await rounds(
        'heal one cu-up VNFC (vs deleting the pod and waiting for its Ready replacement)',
        async () => {
          const instance = await setup.ledger.instances.get(slot.instanceId);
          const vnfc = instance?.instantiatedVnfInfo?.vnfcResourceInfo?.find((v) => v.vduId === 'CuUp');
          if (vnfc === undefined) throw new Error('the instance has no cu-up VNFC');
          return netweaveTask(setup, slot, 'heal', { vnfcInstanceId: [vnfc.id] });
        },
        async () => {
          const [victim] = readyCuUpPods(setup, slot, slot.baselineRelease);
          if (victim === undefined) throw new Error('no cu-up pod of the baseline release');
          const t0 = Date.now();
          await api.deleteNamespacedPod({ name: victim.name, namespace: NAMESPACE });
          await waitFor('the replacement pod', async () => {
            const ready = readyCuUpPods(setup, slot, slot.baselineRelease);
            return ready.length === 1 && ready[0]!.uid !== victim.uid ? true : undefined;
          });
          return Date.now() - t0;
        },
      );
    }
  } finally {
    await netweaveTerminate(setup, slot);
    await helmUninstall(setup, slot, home);
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Profile: where netweave's time goes, one instance at a time

interface HelmCall {
  readonly start: number;
  readonly end: number;
  readonly command: string;
}

/** A helm that logs `<start ms> <end ms> <command>` of every process, then behaves as the real one. */
async function tracingHelm(dir: string, realHelm: string): Promise<{ path: string; log: string }> {
  const path = join(dir, 'helm-traced');
  const log = join(dir, 'helm-calls.log');
  await writeFile(
    path,
    `#!/bin/sh\ns=$(date +%s%3N)\n'${realHelm}' "$@"\nrc=$?\ne=$(date +%s%3N)\necho "$s $e $1 $2" >> '${log}'\nexit $rc\n`,
  );
  await chmod(path, 0o755);
  await writeFile(log, '');
  return { path, log };
}

async function helmCalls(log: string): Promise<HelmCall[]> {
  return (await readFile(log, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [start, end, ...command] = l.split(' ');
      return { start: Number(start), end: Number(end), command: command.join(' ') };
    });
}

interface Breakdown {
  readonly step: string;
  readonly ms: number[];
}

async function profile(realHelm: string): Promise<{ steps: Breakdown[]; rounds: number }> {
  const traceDir = await mkdtemp(join(tmpdir(), 'nw-dms-trace-'));
  const traced = await tracingHelm(traceDir, realHelm);
  const setup = await setUp(4, traced.path);
  const steps = new Map<string, number[]>();
  const add = (step: string, ms: number): void => {
    steps.set(step, [...(steps.get(step) ?? []), ms]);
  };
  try {
    const slot = setup.slots[0]!;
    for (let i = 0; i < WARMUP_ROUNDS + PROFILE_ROUNDS; i++) {
      await writeFile(traced.log, '');
      const t = await netweaveInstantiate(setup, slot, true);
      const calls = (await helmCalls(traced.log)).filter((c) => c.start >= t.posted && c.end <= t.completed);
      await netweaveTerminate(setup, slot);
      // The baseline, through the same wrapper (the wrapper's own cost is on both sides).
      await writeFile(traced.log, '');
      const home = join(setup.dir, 'helm-home');
      await helmInstall({ ...setup, helm: traced.path }, slot, home);
      const [install] = await helmCalls(traced.log);
      await helmUninstall(setup, slot, home);
      if (i < WARMUP_ROUNDS) continue;
      add('total (POST → COMPLETED)', t.completed - t.posted);
      add('REST: POST → 202', t.accepted - t.posted);
      if (t.processing !== undefined) add('queue: 202 → PROCESSING', t.processing - t.accepted);
      let cursor = t.processing ?? t.accepted;
      for (const [index, c] of calls.entries()) {
        add(`gap before helm #${index + 1}`, c.start - cursor);
        add(`helm #${index + 1} ${c.command.replace(/\bnf-[0-9a-f]{12}\b/, '<release>')}`, c.end - c.start);
        cursor = c.end;
      }
      add('readiness: last helm → COMPLETED', t.completed - cursor);
      add('baseline helm install --wait', install!.end - install!.start);
    }
  } finally {
    await tearDown(setup);
    await rm(traceDir, { recursive: true, force: true });
  }
  return {
    steps: [...steps].map(([step, ms]) => ({ step, ms: ms.sort((a, b) => a - b) })),
    rounds: PROFILE_ROUNDS,
  };
}

// ---------------------------------------------------------------------------------------------
// Main

const machine = machineDescription();
const started = Date.now();
const helm = helmPath();
const results: CaseResult[] = [];
for (const maxHelmProcesses of [4, UNBOUNDED]) {
  const single = maxHelmProcesses === 4 && CASES.has('single');
  const day2 = maxHelmProcesses === 4 && (CASES.has('scale') || CASES.has('heal'));
  if (!single && !day2 && !CASES.has('concurrent')) continue;
  const setup = await setUp(maxHelmProcesses, helm);
  try {
    const setting = maxHelmProcesses === UNBOUNDED ? 'no limit reached' : `${maxHelmProcesses} per cluster`;
    if (single)
      results.push(await runCase(setup, `1 instance (helm limit ${setting})`, 1, SINGLE_ROUNDS, UNBOUNDED));
    if (CASES.has('concurrent'))
      results.push(
        await runCase(
          setup,
          `${CONCURRENCY} concurrent, 3 clusters (helm limit ${setting} on both sides)`,
          CONCURRENCY,
          CONCURRENT_ROUNDS,
          maxHelmProcesses,
        ),
      );
    if (day2) results.push(...(await day2Cases(setup)));
  } finally {
    await tearDown(setup);
  }
}
const breakdown = CASES.has('profile') ? await profile(helm) : { steps: [], rounds: 0 };
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
for (const b of breakdown.steps)
  process.stdout.write(`${b.step}: p50 ${percentile(b.ms, 50).toFixed(0)} ms (n=${b.ms.length})\n`);

const helmVersion = (await runHelm(helm, tmpdir(), ['version', '--short'])).trim();
writeSection(
  'DMS: instantiate → COMPLETED',
  `Command: \`npm run bench -- dms\` (${minutes} min). Machine: ${machine}.

Sample package \`netweave-sample-cnf\` (flavour \`${FLAVOUR}\`: two Deployments of one pod each and a Service), on-boarded over
vnfpkgm; the demo topology in-process (3 simulated clusters, pods Running and Ready ${DEFAULT_POD_START_DELAY_MS} ms after binding,
the simulator's default, for both sides); helm ${helmVersion}.
**netweave**: POST \`/o2dms/vnflcm/v2/vnf_instances/{id}/instantiate\` on the gateway → job queue → the cluster
subgraph's runner → helm → readiness from the informers; latency from the POST to the occurrence's COMPLETED
\`stateEnteredTime\` (read from the store, so the client's polling adds nothing).
**baseline**: \`helm install --wait\` of the same chart with the same values (the runner's values for the flavour)
on the same clusters, same binary, same concurrency; latency of the process.
Rounds alternate (netweave, then baseline); each round is undone (FORCEFUL terminate / \`helm uninstall\`, and the
pods gone) before the next. ${WARMUP_ROUNDS} warm-up rounds of 1 instance and 1 of ${CONCURRENCY}, then ${SINGLE_ROUNDS} rounds of 1 instance and
${CONCURRENT_ROUNDS} rounds of ${CONCURRENCY} (instances i → cluster i mod 3). "helm limit": \`dms.maxHelmProcesses\` of netweave
and, where said, the same per-cluster process limit imposed on the baseline.
Day-2 cases (${WARMUP_ROUNDS} warm-ups, then ${DAY2_ROUNDS} rounds each, on one instance of the bench's copy of the sample whose cu-up may
take ${SCALE_STEPS} steps): **scale** = SCALE_OUT by ${SCALE_STEPS} steps of one cu-up replica, POST → COMPLETED (then SCALE_IN, unmeasured),
against \`helm upgrade --reuse-values --set replicaCountCuUp=${1 + SCALE_STEPS} --wait\` of a baseline release of the same chart
(then back to 1, unmeasured); **heal** = HEAL with one cu-up \`vnfcInstanceId\`, POST → COMPLETED, against deleting
one cu-up pod of the baseline release through the Kubernetes API (client-node) until its replacement is Ready.
Cases run: ${[...CASES].join(', ')} (\`BENCH_DMS_CASES\`).

| case | samples | netweave p50 ms | p99 ms | helm p50 ms | p99 ms | netweave/helm p50 | p99 |
|---|---|---|---|---|---|---|---|
${results.map(formatRow).join('\n')}

Where netweave's time goes (one instance at a time, ${breakdown.rounds} rounds after ${WARMUP_ROUNDS} warm-ups, helm behind a wrapper
that logs each process's start and end; p50 of each step):

| step | p50 ms |
|---|---|
${breakdown.steps.map((b) => `| ${b.step} | ${percentile(b.ms, 50).toFixed(0)} |`).join('\n')}

Reading the steps: "queue" is negative when the runner had the job (blocking claim, woken by the append) and
entered PROCESSING before the 202 reached the client. The gaps include the wrapper's own start-up (a shell and
two \`date\` processes per helm call) and the runner's ledger writes, chart and values files. "readiness" is the
pods' start (the simulator's delay) and the informers' watch lag: the wait wakes on the watch events of pods and
workloads (a 500 ms poll, \`pollIntervalMs\`, is only the fallback), as \`helm install --wait\` watches. The
release's history (crash recovery, the revision before) is read from Helm's release Secrets with one API list,
so netweave runs ONE helm process per instantiation (\`upgrade --install --output json\`), as the baseline does;
a day-2 upgrade likewise. Each helm process also costs the simulated API server (in this process) its discovery
and storage requests, so under load the latency follows the number of helm processes. See docs/dms.md
"Performance".`,
);
