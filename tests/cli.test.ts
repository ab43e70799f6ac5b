/**
 * The `netweave` command as shipped: compiled by `npm run build` (scripts/build.js) and run by plain Node,
 * without tsx. `--help` and configuration errors load only the modules they need, and the compiled gateway
 * runs with nowhere to write (the image's read-only root filesystem: no HOME, no temp directory).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadScenario, startScenario } from '../sim/index.ts';

const run = promisify(execFile);
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** Inside the repository (node_modules must resolve from the output), ignored by git and vitest. */
mkdirSync(join(ROOT, '.netweave'), { recursive: true });
const work = mkdtempSync(join(ROOT, '.netweave', 'cli-test-'));
const BUILD = join(work, 'build');
const CLI = join(BUILD, 'cli', 'netweave.js');
/** A path under a regular file: every attempt to create or write something there fails (ENOTDIR), even as root. */
const UNWRITABLE = join(work, 'not-a-directory');

/** A loader hook that appends the URL of every module Node loads to the file in NETWEAVE_MODULE_LOG. */
const RECORDER = join(work, 'record-modules.mjs');
writeFileSync(
  join(work, 'record-hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  appendFileSync(process.env.NETWEAVE_MODULE_LOG, url + '\\n');
  return nextLoad(url, context);
}
`,
);
writeFileSync(
  RECORDER,
  `import { register } from 'node:module';\nregister('./record-hooks.mjs', import.meta.url);\n`,
);
writeFileSync(UNWRITABLE, '');

// The CLI reads REDIS_URL and NETWEAVE_* (they override the config file): CI sets REDIS_URL, which would turn
// the bad `store.kind` below into a valid Redis store. The child sees none of them.
const inheritedEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL' && !name.startsWith('NETWEAVE_')),
);
const readOnlyEnv = { ...inheritedEnv, HOME: join(UNWRITABLE, 'home'), TMPDIR: join(UNWRITABLE, 'tmp') };

/** Runs the compiled CLI with the recorder; answers the repository files and packages it loaded. */
async function loadedModules(
  args: string[],
): Promise<{ files: string[]; packages: string[]; stdout: string; stderr: string; code: number }> {
  const log = join(work, `modules-${args.join('-').replace(/[^a-z-]/gi, '')}.txt`);
  writeFileSync(log, '');
  const outcome = await run(process.execPath, ['--import', pathToFileURL(RECORDER).href, CLI, ...args], {
    env: { ...readOnlyEnv, NETWEAVE_MODULE_LOG: log },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => error,
  );
  const urls = readFileSync(log, 'utf8')
    .split('\n')
    .filter((u) => u.startsWith('file:'));
  const paths = urls.map((u) => relative(BUILD, fileURLToPath(u)));
  const packages = new Set<string>();
  const files: string[] = [];
  for (const path of paths) {
    const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    if (inModules) packages.add(inModules[1]!);
    else files.push(path);
  }
  return {
    files,
    packages: [...packages].sort(),
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    code: outcome.code,
  };
}

beforeAll(async () => {
  await run(process.execPath, [join(ROOT, 'scripts', 'build.js'), '--out-dir', BUILD], { timeout: 240_000 });
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('netweave command (compiled)', () => {
  it('prints its usage with every subcommand, loading no module but its own', async () => {
    const { files, packages, stdout, code } = await loadedModules(['--help']);
    expect(code).toBe(0);
    for (const command of ['demo', 'serve', 'subgraph', 'sim'])
      expect(stdout).toContain(`netweave ${command}`);
    expect(files).toEqual(['cli/netweave.js']);
    expect(packages).toEqual([]);
  });

  it('reports a configuration error before loading the gateway', async () => {
    const config = join(work, 'bad.yaml');
    writeFileSync(config, 'store: { kind: bogus }\n');
    const { files, packages, stderr, code } = await loadedModules(['serve', '--config', config]);
    expect(code).toBe(1);
    expect(stderr).toContain('store.kind');
    expect(stderr).not.toContain('    at '); // an actionable message, not a stack trace
    expect(files.sort()).toEqual(['cli/netweave.js', 'common/config.js']);
    // ipaddr.js validates subscriptions.callbacks.allowedCidrs while the config is parsed.
    expect(packages).toEqual(['ipaddr.js', 'yaml', 'zod']);
  });

  it('loads the subgraph command without its server for `subgraph --help`', async () => {
    const { files, stdout, code } = await loadedModules(['subgraph', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('netweave subgraph');
    expect(files.filter((f) => /server|redis|informer/.test(f))).toEqual([]);
  });

  it('serves a cluster over https + token + CA without the generated Kubernetes API, Redis or DMS modules', async () => {
    // A read-only subgraph (no REDIS_URL) lists and watches through its own small client (kube-http.ts):
    // client-node's KubeConfig would load the whole generated API (≈ 70 MB RSS; docs/benchmarks.md "Scale").
    const dir = join(work, 'sim');
    const sims = await startScenario(
      loadScenario(readFileSync(join(ROOT, 'sim', 'scenarios', 'minimal.yaml'), 'utf8')),
      { host: '127.0.0.1', requireToken: true, kubeconfigDir: dir },
    );
    const log = join(work, 'modules-subgraph-serving.txt');
    writeFileSync(log, '');
    const token = 'cli-test-internal-token';
    const child = spawn(
      process.execPath,
      [
        '--import',
        pathToFileURL(RECORDER).href,
        CLI,
        'subgraph',
        '--cluster-id',
        'edge-min',
        '--o-cloud-id',
        '0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a60',
        '--kubeconfig',
        join(dir, 'edge-min.kubeconfig'),
        '--site-name',
        'edge-test-01',
        '--global-location-id',
        'loc-1',
      ],
      {
        env: { ...inheritedEnv, NETWEAVE_MODULE_LOG: log, NETWEAVE_INTERNAL_TOKEN: token },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const url = await vi.waitFor(
        () => {
          expect(child.exitCode, output).toBeNull();
          const match = /"url":"(http:\/\/127\.0\.0\.1:\d+\/graphql)"/.exec(output);
          expect(match, output).not.toBeNull();
          return match![1]!;
        },
        { timeout: 60_000, interval: 100 },
      );
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ resources { resourceId } }' }),
      });
      const body = (await response.json()) as { data?: { resources: { resourceId: string }[] } };
      expect(body.data?.resources, JSON.stringify(body)).toHaveLength(2); // the scenario's two nodes
    } finally {
      child.kill('SIGTERM');
      await vi.waitFor(() => expect(child.exitCode).not.toBeNull(), { timeout: 20_000 });
      await sims.dispose();
    }
    const loaded = readFileSync(log, 'utf8');
    expect(loaded).toContain('@kubernetes/client-node/dist/config_types.js');
    expect(loaded).not.toContain('@kubernetes/client-node/dist/gen/');
    expect(loaded).not.toContain('@kubernetes/client-node/dist/index.js');
    expect(loaded).not.toMatch(/node_modules\/ioredis\//);
    expect(loaded).not.toMatch(/\/dms\/packages\//);
    expect(loaded).not.toMatch(/\/deployments\/runner\.js/);
  }, 120_000);

  it('refuses an unknown subcommand with exit code 2', async () => {
    await expect(run(process.execPath, [CLI, 'frobnicate'], { timeout: 60_000 })).rejects.toMatchObject({
      code: 2,
    });
  });

  it('serves with no writable HOME or temp directory (read-only root filesystem)', async () => {
    const config = join(work, 'serve.yaml');
    writeFileSync(
      config,
      'listen: { host: 127.0.0.1, port: 0 }\nauth: { mode: development }\nlogLevel: info\n',
    );
    const child = spawn(process.execPath, [CLI, 'serve', '--config', config], {
      env: { ...readOnlyEnv, NETWEAVE_LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const url = await vi.waitFor(
        () => {
          expect(child.exitCode, output).toBeNull();
          const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"gateway listening"/.exec(output);
          expect(match, output).not.toBeNull();
          return match![1]!;
        },
        { timeout: 60_000, interval: 100 },
      );
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    await vi.waitFor(() => expect(child.exitCode).not.toBeNull(), { timeout: 20_000 });
    expect(output).not.toMatch(/ENOTDIR|EROFS|EACCES/);
  }, 90_000);
});

describe('bin/netweave.js', () => {
  it('runs the command (dist/ when built, else the sources through tsx in a checkout)', async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, 'bin', 'netweave.js'), '--help'], {
      timeout: 60_000,
    });
    expect(stdout).toContain('netweave serve');
  }, 90_000);
});
