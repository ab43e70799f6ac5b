/**
 * Resource types are shared across clusters (docs/architecture.md "Identity": UUID v5 from the natural key),
 * so "is this type new to the O-Cloud?" is an O-Cloud-wide question. Every cluster that reports a type is
 * recorded as one of its holders in the state store; a cluster's CREATE of a type is published only when no
 * other cluster held it, and its DELETE only when it was the last holder (docs/subscriptions.md).
 *
 * The store is named by the few operations used here (any `DocumentCollection` of state/ has them), because
 * o2/ imports nothing but common/. Updates are optimistic (compare-and-set on the document version), so two
 * cluster subgraphs announcing the same type at once agree on which one was first.
 */

/** The collection of holders, one document per resource type id. */
export const RESOURCE_TYPE_HOLDERS = 'o2-resource-type-holders';

export interface TypeHolders {
  /** Cluster ids, sorted. An empty list (never deleted: a delete could race a concurrent add). */
  readonly clusters: readonly string[];
}

export interface HolderDocuments {
  getVersioned(id: string): Promise<{ value: TypeHolders; version: number } | undefined>;
  replaceIfVersion(id: string, doc: TypeHolders, expectedVersion: number): Promise<boolean>;
}

/** Compare-and-set attempts before giving up (each failure means another writer made progress). */
const MAX_ATTEMPTS = 100;

async function update(
  docs: HolderDocuments,
  typeId: string,
  change: (clusters: readonly string[]) => readonly string[],
): Promise<{ before: readonly string[]; after: readonly string[] }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await docs.getVersioned(typeId);
    const before = current?.value.clusters ?? [];
    const after = change(before);
    if (after.length === before.length && after.every((c, i) => c === before[i])) return { before, after };
    if (await docs.replaceIfVersion(typeId, { clusters: after }, current?.version ?? 0))
      return { before, after };
  }
  throw new Error(`resource type ${typeId}: holders kept changing; giving up after ${MAX_ATTEMPTS} attempts`);
}

/** Records `clusterId` as a holder; true when another cluster already held the type (not new to the O-Cloud). */
export async function holdResourceType(
  docs: HolderDocuments,
  typeId: string,
  clusterId: string,
): Promise<boolean> {
  const { before } = await update(docs, typeId, (clusters) =>
    clusters.includes(clusterId) ? clusters : [...clusters, clusterId].sort(),
  );
  return before.some((c) => c !== clusterId);
}

/** Removes `clusterId` from the holders; true when another cluster still holds the type (no DELETE). */
export async function releaseResourceType(
  docs: HolderDocuments,
  typeId: string,
  clusterId: string,
): Promise<boolean> {
  const { after } = await update(docs, typeId, (clusters) => clusters.filter((c) => c !== clusterId));
  return after.length > 0;
}
