/**
 * The README's shell examples do what they say: this test starts `netweave demo` as a child process on a free
 * port (exactly what `npm run demo` runs, with NETWEAVE_PORT) and runs the README's marked examples against it.
 *
 * CONVENTION for README examples (follow it when you add one):
 * - A ```sh block runs here when the line right before its fence is `<!-- readme-test: run NAME -->`
 *   (NAME: a word, unique in the README). Unmarked blocks are documentation only (say why in your report).
 * - Marked blocks run in README order, all in ONE bash process (variables and functions carry over), with
 *   `set -e -o pipefail`: every command must succeed. The first block, `setup`, defines BASE (the only place
 *   the port appears, as `${NETWEAVE_PORT:-8080}`), API and `json`; later blocks use them.
 * - Write the port nowhere else; a receiver listens on `${HOOK_PORT:-9999}` (the test sets a free one).
 * - Anything a block starts in the background it stops itself; waits are bounded loops (`for i in $(seq 30)`).
 * - What a block prints is checked below by its NAME (EXPECTED): add an entry for a new block.
 * - The working directory is the repository root, so `.netweave/demo/*.kubeconfig` and repository paths work
 *   as written; kubectl and helm come first on PATH from testing/kube-tools.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { helmPath, kubectlPath } from '../../testing/kube-tools.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

interface Example {
  readonly name: string;
  readonly script: string;
}

/** The marked ```sh blocks of the README, in order. */
function markedExamples(markdown: string): Example[] {
  const pattern = /^<!-- readme-test: run ([\w-]+) -->\n```sh\n([\s\S]*?)^```$/gm;
  return [...markdown.matchAll(pattern)].map((match) => ({ name: match[1]!, script: match[2]! }));
}

/** What each block's output must show (regular expressions over its stdout). */
const EXPECTED: Readonly<Record<string, readonly RegExp[]>> = {
  setup: [],
  inventory: [
    /"oCloudId"/,
    /link: <[^>]*nextpage_opaque_marker=/i,
    /edge-1/,
    /regional-1/,
    /HTTP\/1\.1 400/,
    /regional-1-gpu-\d+/,
  ],
  'v1-paging': [/nextpage_opaque_marker=2/, /^3$/m],
  graphql: [/"resourcePools"/, /edge-1-node-01\s+Ready/],
  'k8s-profile': [/cluster_api_endpoint cluster_ca_cert admin_user admin_token/, /kube-system\s+Active/],
  notifications: [
    /"subscriptionId"/,
    /node\/edge-1-node-02 labeled/,
    /notified 1 http:\/\/\S+\/resources\//,
    /^\d{4}-\d\d-\d\dT/m,
  ],
  admin: [
    /"clusterId":"edge-min"/,
    /edge-1 edge-2 edge-min regional-1/,
    /cluster edge-min/,
    /^204$/m,
    /^edge-1 edge-2 regional-1$/m,
  ],
  // The occurrence states go to stderr (tee /dev/stderr); the loop ends only on COMPLETED.
  dms: [/^202$/m, /ONBOARDED/, /INSTANTIATED/, /netweave occurrence \S+ INSTANTIATE/, /DISABLED/, /^204$/m],
  policy: [
    /^no-system-namespaces tenant-replicas$/m,
    /refused by policy rule tenant-replicas\.quotas\.perTenant\.maxReplicas: .+ would run 31 replicas, more than 20/,
    /^NOT_INSTANTIATED$/m,
    /^api$/m,
    /quotas\.perTenant\.maxCpu/,
    /^204$/m,
  ],
  'dms-day2': [
    /cu_up_aspect level 3/,
    /2153\/UDP/,
    /now on package v2/,
    /the release's workloads did not become ready/,
    /cancel 202/,
    /ROLLED_BACK/,
    /netweave occurrence \S+ SCALE\b/,
    /netweave occurrence \S+ SCALE_TO_LEVEL/,
    /netweave occurrence \S+ CHANGE_FLAVOUR/,
    /netweave occurrence \S+ CHANGE_EXT_CONN/,
    /netweave occurrence \S+ CHANGE_VNFPKG/,
    /Rollback to \d+/,
    /"faultType":"NfPodCrashLooping"/,
    /"vnfcInstanceIds":\["cu-up-/,
    /"ackState":"ACKNOWLEDGED"/,
    /CrashLoopBackOff/,
    /VnfLcmOperationOccurrenceNotification HEAL RESULT\/COMPLETED/,
    /AlarmNotification NfPodCrashLooping/,
    /AlarmClearedNotification/,
    /VnfLcmOperationOccurrenceNotification CHANGE_VNFPKG RESULT\/ROLLED_BACK/,
    /VnfLcmOperationOccurrenceNotification CHANGE_FLAVOUR RESULT\/COMPLETED/,
  ],
  provisioning: [
    /type: 'integer'/,
    /"clusterInstanceDefaults":\{"nodeCount":1/,
    /provisioningPhase: 'PENDING'/,
    /^edge-3$/m,
    /^2$/m,
    /edge-3-node-02\s+Ready/,
    /still runs NF instances/,
    /^202$/m,
    /^edge-1 edge-2 regional-1$/m,
  ],
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let demo: ChildProcess | undefined;
let demoOutput = '';
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const port = await freePort();
  env = {
    ...process.env,
    NETWEAVE_PORT: String(port),
    HOOK_PORT: String(await freePort()),
    NETWEAVE_LOG_LEVEL: 'warn',
    PATH: `${dirname(kubectlPath())}:${dirname(helmPath())}:${process.env['PATH'] ?? ''}`,
  };
  delete env['REDIS_URL']; // the demo as a newcomer runs it: in-memory store
  demo = spawn(process.execPath, ['--import', 'tsx', 'cli/netweave.ts', 'demo', '--no-timeline'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo.stdout!.on('data', (chunk: Buffer) => (demoOutput += chunk.toString()));
  demo.stderr!.on('data', (chunk: Buffer) => (demoOutput += chunk.toString()));
  await vi.waitFor(
    () => {
      if (demo?.exitCode !== null) throw new Error(`the demo exited:\n${demoOutput}`);
      if (!demoOutput.includes('netweave demo is running')) throw new Error('the demo is not up yet');
    },
    { timeout: 90_000, interval: 200 },
  );
}, 120_000);

afterAll(async () => {
  if (demo === undefined || demo.exitCode !== null) return;
  const exited = new Promise((resolve) => demo!.once('exit', resolve));
  demo.kill('SIGTERM');
  await exited;
});

/** Runs the script in one bash; resolves with its outputs and exit code. */
function bash(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `set -e -o pipefail\n${script}`], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('README examples against the demo', () => {
  const examples = markedExamples(README);

  it('marks the examples the convention names, each with expectations', () => {
    expect(examples.map((e) => e.name)).toEqual(expect.arrayContaining(['setup', 'inventory', 'admin']));
    expect(new Set(examples.map((e) => e.name)).size).toBe(examples.length);
    for (const example of examples) expect(EXPECTED, example.name).toHaveProperty([example.name]);
    // The port is written once, as a variable.
    expect(README.match(/8080/g)).toHaveLength(1);
    // Links stay inside the repository.
    expect(README).not.toMatch(/\]\(\.\.\//);
  });

  it('every marked block runs and prints what it says', async () => {
    // One bash for all blocks (variables carry over); a marker line splits the output per block.
    const script = examples.map((e) => `echo "::readme-block ${e.name}::"\n${e.script}`).join('\n');
    const result = await bash(script);
    const outputs = new Map<string, string>();
    for (const part of result.stdout.split(/^::readme-block /m).slice(1)) {
      const [name, ...rest] = part.split('::\n');
      outputs.set(name!, rest.join('::\n'));
    }
    const last = [...outputs.keys()].at(-1);
    expect(result.code, `block ${last} failed:\n${result.stderr.slice(-3000)}`).toBe(0);
    for (const example of examples) {
      const output = outputs.get(example.name) ?? '';
      for (const pattern of EXPECTED[example.name] ?? [])
        expect(output, `block ${example.name}: ${pattern}`).toMatch(pattern);
    }
  }, 300_000);
});
