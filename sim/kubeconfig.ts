/** Kubeconfig documents for a simulated cluster: one cluster, user and context, all named after it. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export function kubeconfigYaml(name: string, server: string, token: string, caData?: string): string {
  // Without a token requirement the simulator speaks plain HTTP on loopback. @kubernetes/client-node refuses
  // an http:// server unless the cluster is marked insecure-skip-tls-verify (there is no TLS to verify);
  // kubectl accepts both, but sends credentials only over TLS (hence https when a token is required).
  const cluster: Record<string, unknown> = { server };
  if (server.startsWith('http:')) cluster['insecure-skip-tls-verify'] = true;
  if (caData !== undefined) cluster['certificate-authority-data'] = caData;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

/** Writes a kubeconfig readable only by its owner (it carries a token), creating the directory. */
export async function writeKubeconfigFile(path: string, yaml: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, yaml, { mode: 0o600 });
}
