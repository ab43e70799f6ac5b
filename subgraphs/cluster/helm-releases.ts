/**
 * Helm releases of one cluster, read from Helm's own storage (docs/dms.md "Deployments in the graph"): Helm
 * (3 and 4, Secret driver) keeps every revision of a release as a Secret `sh.helm.release.v1.<name>.v<rev>`
 * labelled `owner=helm`, whose `release` datum is the release JSON, gzipped and base64-encoded (on top of the
 * Secret's own base64). The informers watch those secrets; this module decodes and groups them.
 *
 * Every release is shown, whoever installed it. The values a release was given can hold credentials, so only
 * a digest of them leaves this module (sha256 of their canonical JSON), never the values.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { V1Secret } from '@kubernetes/client-node';
import { workloadsOfManifest } from './deployments/readiness.ts';
import type { WorkloadRef } from './model.ts';
import { isoTime } from './topology.ts';

/** One revision of a release, as `helm history` shows it. */
export interface HelmReleaseRevision {
  readonly revision: number;
  /** deployed, superseded, failed, uninstalling, pending-install, pending-upgrade, pending-rollback … */
  readonly status: string;
  readonly chartName: string;
  readonly chartVersion: string;
  /** `<chart name>-<chart version>`, as `helm list` prints it. */
  readonly chart: string;
  readonly appVersion: string | null;
  readonly description: string;
  readonly updated: string | null;
  /** sha256 (hex) of the canonical JSON of the values given to this revision. */
  readonly valuesDigest: string;
}

/** A Helm release: its latest revision's facts plus the whole history, oldest first. */
export interface HelmRelease extends HelmReleaseRevision {
  readonly clusterId: string;
  readonly namespace: string;
  readonly name: string;
  readonly revisions: readonly HelmReleaseRevision[];
  /** The Deployments, StatefulSets and DaemonSets of the latest revision's manifest. */
  readonly workloadRefs: readonly WorkloadRef[];
}

interface DecodedRevision extends HelmReleaseRevision {
  readonly name: string;
  readonly namespace: string;
  readonly manifest: string;
}

/** JSON with object keys sorted: equal values give equal digests whatever order Helm wrote them in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function valuesDigest(values: unknown): string {
  return `sha256:${createHash('sha256')
    .update(canonicalJson(values ?? {}))
    .digest('hex')}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** The release JSON of one release secret; undefined for a secret that is not a readable Helm release. */
export function decodeReleaseSecret(secret: V1Secret): Record<string, unknown> | undefined {
  const datum = secret.data?.['release'];
  if (datum === undefined) return undefined;
  try {
    // The Secret's base64 gives Helm's encoding: base64 of (usually gzipped) JSON.
    const helmEncoded = Buffer.from(Buffer.from(datum, 'base64').toString('latin1'), 'base64');
    const json = helmEncoded[0] === 0x1f && helmEncoded[1] === 0x8b ? gunzipSync(helmEncoded) : helmEncoded;
    const parsed: unknown = JSON.parse(json.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// Informer objects are replaced on every change, so a decoded revision is cached per secret object: a
// chart's templates make release secrets large, and a request may read many of them.
const decoded = new WeakMap<V1Secret, DecodedRevision | null>();

function revisionOf(secret: V1Secret): DecodedRevision | undefined {
  const cached = decoded.get(secret);
  if (cached !== undefined) return cached ?? undefined;
  const release = decodeReleaseSecret(secret);
  const labels = secret.metadata?.labels ?? {};
  let result: DecodedRevision | null = null;
  const name = text(release?.['name']) ?? labels['name'];
  const namespace = text(release?.['namespace']) ?? secret.metadata?.namespace;
  const revision = Number(release?.['version'] ?? labels['version']);
  if (release !== undefined && name !== undefined && namespace !== undefined && Number.isInteger(revision)) {
    const info = record(release['info']);
    const metadata = record(record(release['chart'])['metadata']);
    const chartName = text(metadata['name']) ?? '';
    const chartVersion = text(metadata['version']) ?? '';
    result = {
      name,
      namespace,
      revision,
      status: text(info['status']) ?? labels['status'] ?? 'unknown',
      chartName,
      chartVersion,
      chart: `${chartName}-${chartVersion}`,
      appVersion: text(metadata['appVersion']) ?? null,
      description: text(info['description']) ?? '',
      updated: isoTime(text(info['last_deployed']) ?? text(info['first_deployed'])),
      valuesDigest: valuesDigest(release['config']),
      manifest: text(release['manifest']) ?? '',
    };
  }
  decoded.set(secret, result);
  return result ?? undefined;
}

function publicRevision(revision: DecodedRevision): HelmReleaseRevision {
  const { name: _name, namespace: _namespace, manifest: _manifest, ...rest } = revision;
  return rest;
}

/** The releases of the cluster (of one namespace), ordered by namespace and name. */
export function helmReleasesOf(
  clusterId: string,
  secrets: readonly V1Secret[],
  namespace?: string | null,
): HelmRelease[] {
  const byRelease = new Map<string, DecodedRevision[]>();
  for (const secret of secrets) {
    const revision = revisionOf(secret);
    if (revision === undefined || (namespace != null && revision.namespace !== namespace)) continue;
    const key = `${revision.namespace}\u0000${revision.name}`;
    let list = byRelease.get(key);
    if (list === undefined) byRelease.set(key, (list = []));
    list.push(revision);
  }
  const releases: HelmRelease[] = [];
  for (const revisions of byRelease.values()) {
    revisions.sort((a, b) => a.revision - b.revision);
    const latest = revisions.at(-1)!;
    releases.push({
      clusterId,
      namespace: latest.namespace,
      name: latest.name,
      ...publicRevision(latest),
      revisions: revisions.map(publicRevision),
      workloadRefs: workloadsOfManifest(latest.manifest, latest.namespace),
    });
  }
  return releases.sort((a, b) =>
    a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1,
  );
}
