/**
 * Deterministic O2 identifiers (docs/architecture.md "Identity").
 *
 * Inventory ids must be stable across restarts and replicas, so they are derived from names, never random.
 * Ids of cluster-owned objects are UUID v8 whose first 4 bytes are a tag of the owning cluster: the router
 * can route a lookup by id to the one shard that owns it without an index (a tag collision between two
 * clusters only widens the lookup to both). Objects shared across clusters (resource types) use UUID v5.
 */
import { createHash } from 'node:crypto';

/** Namespace for netweave's UUID v5 ids (a fixed, random-once UUID). */
export const NETWEAVE_NAMESPACE = '4f6c2d9e-3b1a-4c57-9a0e-6d2f8b7c1e53';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** RFC 9562 UUID v5 (SHA-1, name-based). */
export function uuidV5(name: string, namespace: string = NETWEAVE_NAMESPACE): string {
  const digest = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/** The 8 hex digits that prefix every id owned by `clusterId`. */
export function clusterTag(clusterId: string): string {
  return createHash('sha1').update(`netweave-cluster:${clusterId}`, 'utf8').digest('hex').slice(0, 8);
}

/** The cluster tag carried by a cluster-scoped id, or undefined when `id` is not a netweave v8 id. */
export function tagOfId(id: string): string | undefined {
  if (!isUuid(id) || id[14] !== '8') return undefined;
  return id.slice(0, 8).toLowerCase();
}

/**
 * UUID v8 for an object owned by one cluster. `kind` names the O2 object kind and `naturalKey` the
 * Kubernetes identity it comes from (metadata.uid or a natural key such as a pool label value).
 */
export function clusterScopedId(clusterId: string, kind: string, naturalKey: string): string {
  const digest = createHash('sha1').update(`${clusterId}\u0000${kind}\u0000${naturalKey}`, 'utf8').digest();
  const bytes = Buffer.alloc(16);
  bytes.write(clusterTag(clusterId), 0, 'hex');
  digest.copy(bytes, 4, 0, 12);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/** UUID v5 for an object that is not owned by a single cluster (O-Cloud, resource types, sites, ...). */
export function globalId(kind: string, naturalKey: string): string {
  return uuidV5(`${kind}\u0000${naturalKey}`);
}
