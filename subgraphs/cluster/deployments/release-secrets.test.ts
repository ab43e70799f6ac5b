import { gzipSync } from 'node:zlib';
import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { releaseSecretRecords } from './release-secrets.ts';

/** A release Secret as Helm writes it: the release JSON, gzipped, base64 (Helm's), base64 again (the Secret's). */
function releaseSecret(version: number, status: string, description: string, manifest: string): V1Secret {
  const release = {
    name: 'nf-1',
    namespace: 'nf',
    version,
    info: { status, description, last_deployed: '2026-12-06T20:00:00Z' },
    chart: { metadata: { name: 'sample', version: '1.0.0' } },
    manifest,
  };
  const helmEncoded = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return {
    metadata: { name: `sh.helm.release.v1.nf-1.v${version}`, labels: { owner: 'helm', name: 'nf-1' } },
    data: { release: Buffer.from(helmEncoded).toString('base64') },
  };
}

describe('release history from Helm release Secrets', () => {
  it('answers revisions oldest first, the latest manifest, and asks with the release label selector', async () => {
    const asked: unknown[] = [];
    const core = {
      listNamespacedSecret: async (request: unknown) => {
        asked.push(request);
        return {
          items: [
            releaseSecret(2, 'deployed', 'netweave occurrence o-2 SCALE', 'kind: Deployment # v2'),
            releaseSecret(1, 'superseded', 'netweave occurrence o-1 INSTANTIATE', 'kind: Deployment # v1'),
            { metadata: { name: 'not-a-release' }, data: { release: 'garbage' } },
          ],
        };
      },
    } as unknown as Pick<CoreV1Api, 'listNamespacedSecret'>;
    const records = releaseSecretRecords(core);
    expect(await records.history('nf-1', 'nf')).toEqual([
      {
        revision: 1,
        status: 'superseded',
        chart: 'sample-1.0.0',
        description: 'netweave occurrence o-1 INSTANTIATE',
        updated: '2026-12-06T20:00:00Z',
      },
      {
        revision: 2,
        status: 'deployed',
        chart: 'sample-1.0.0',
        description: 'netweave occurrence o-2 SCALE',
        updated: '2026-12-06T20:00:00Z',
      },
    ]);
    expect(await records.manifest('nf-1', 'nf')).toBe('kind: Deployment # v2');
    expect(asked[0]).toEqual({ namespace: 'nf', labelSelector: 'owner=helm,name=nf-1' });
  });

  it('answers no revisions and no manifest for a release that does not exist', async () => {
    const core = { listNamespacedSecret: async () => ({ items: [] }) } as unknown as Pick<
      CoreV1Api,
      'listNamespacedSecret'
    >;
    expect(await releaseSecretRecords(core).history('nf-2', 'nf')).toEqual([]);
    expect(await releaseSecretRecords(core).manifest('nf-2', 'nf')).toBeUndefined();
  });
});
