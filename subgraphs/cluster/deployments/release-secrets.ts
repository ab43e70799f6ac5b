/**
 * A release's history and manifest read straight from Helm's storage — the release Secrets
 * (`owner=helm,name=<release>`, helm-releases.ts decodes them) — with one API list instead of a `helm
 * history` or `helm get manifest` process. A helm process costs hundreds of milliseconds of CPU (start-up,
 * API discovery) and the job runner needed up to three of them per operation besides the one that changes
 * the release (docs/benchmarks.md "DMS"). The list is read from the API server, not the informer cache, so
 * it sees the revision a helm process wrote a moment ago (the cache may lag), as `helm history` would.
 */
import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { decodeReleaseSecret } from '../helm-releases.ts';
import type { HelmRevision } from './helm-cli.ts';

export interface ReleaseRecords {
  /** The release's revisions, oldest first; [] when there is none (as `helm history -o json`). */
  history(release: string, namespace: string): Promise<HelmRevision[]>;
  /** The manifest of the release's latest revision (as `helm get manifest`); undefined without a release. */
  manifest(release: string, namespace: string): Promise<string | undefined>;
}

interface StoredRevision extends HelmRevision {
  readonly manifest: string;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function revisionOf(secret: V1Secret): StoredRevision | undefined {
  const release = decodeReleaseSecret(secret);
  const revision = Number(release?.['version'] ?? secret.metadata?.labels?.['version']);
  if (release === undefined || !Number.isInteger(revision)) return undefined;
  const info = record(release['info']);
  const metadata = record(record(release['chart'])['metadata']);
  const updated = text(info['last_deployed']) ?? text(info['first_deployed']);
  return {
    revision,
    status: text(info['status']) ?? secret.metadata?.labels?.['status'] ?? 'unknown',
    chart: `${text(metadata['name']) ?? ''}-${text(metadata['version']) ?? ''}`,
    ...(text(info['description']) === undefined ? {} : { description: text(info['description'])! }),
    ...(updated === undefined ? {} : { updated }),
    manifest: text(release['manifest']) ?? '',
  };
}

export function releaseSecretRecords(core: Pick<CoreV1Api, 'listNamespacedSecret'>): ReleaseRecords {
  const revisions = async (release: string, namespace: string): Promise<StoredRevision[]> => {
    const list = await core.listNamespacedSecret({
      namespace,
      labelSelector: `owner=helm,name=${release}`,
    });
    return list.items
      .map(revisionOf)
      .filter((r): r is StoredRevision => r !== undefined)
      .sort((a, b) => a.revision - b.revision);
  };
  return {
    async history(release, namespace) {
      return (await revisions(release, namespace)).map(({ manifest: _manifest, ...revision }) => revision);
    },
    async manifest(release, namespace) {
      return (await revisions(release, namespace)).at(-1)?.manifest;
    },
  };
}
