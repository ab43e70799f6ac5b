import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadKubeTarget } from './kube-config.ts';

function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netweave-kubeconfig-'));
  writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
  writeFileSync(join(dir, 'client.pem'), 'CERT PEM');
  writeFileSync(join(dir, 'client-key.pem'), 'KEY PEM');
  const path = join(dir, 'config');
  writeFileSync(
    path,
    stringify({
      clusters: [{ name: 'c', cluster }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    }),
  );
  return path;
}

describe('loadKubeTarget (kubeconfig without client-node KubeConfig)', () => {
  it('reads files relative to the kubeconfig, as kubectl does', () => {
    const target = loadKubeTarget({
      kubeconfigPath: kubeconfig(
        { server: 'https://api.example:6443/', 'certificate-authority': 'ca.pem' },
        { 'client-certificate': 'client.pem', 'client-key': 'client-key.pem' },
      ),
    });
    expect(target).toMatchObject({
      server: 'https://api.example:6443',
      ca: 'CA PEM',
      caData: Buffer.from('CA PEM').toString('base64'),
      certificate: 'CERT PEM',
      key: 'KEY PEM',
      skipTLSVerify: false,
      needsFullClient: false,
    });
  });

  it('hands exec plugins and auth providers to client-node (needsFullClient)', () => {
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: 'aws',
      args: ['eks', 'get-token'],
    };
    expect(
      loadKubeTarget({ kubeconfigPath: kubeconfig({ server: 'https://a' }, { exec }) }).needsFullClient,
    ).toBe(true);
    const token = loadKubeTarget({ kubeconfigPath: kubeconfig({ server: 'https://a' }, { token: 't' }) });
    expect(token).toMatchObject({ token: 't', needsFullClient: false });
  });

  it('refuses plain HTTP off loopback unless the kubeconfig skips TLS verification', () => {
    expect(() => loadKubeTarget({ server: 'http://api.example:8080', token: 't' })).toThrow(/plain HTTP/);
    expect(loadKubeTarget({ server: 'http://127.0.0.1:8080' }).server).toBe('http://127.0.0.1:8080');
    const skip = kubeconfig({ server: 'http://api.example:8080', 'insecure-skip-tls-verify': true }, {});
    expect(loadKubeTarget({ kubeconfigPath: skip }).skipTLSVerify).toBe(true);
  });

  it('names the missing context', () => {
    const path = kubeconfig({ server: 'https://a' }, {});
    expect(() => loadKubeTarget({ kubeconfigPath: path, context: 'other' })).toThrow(/no context other/);
  });
});
