/**
 * The `Netweave-Partial-Result` response header: how a 200 list answer says which clusters it is missing.
 *
 * A shard that is down yields partial data rather than a failed request (docs/architecture.md "The shape"). O2 has no place for
 * that in a list body (a bare JSON array), and an SMO that polls inventory should keep getting what is
 * available, so the list answers 200 and this header names every cluster that did not answer:
 *
 *     Netweave-Partial-Result: cluster="edge-madrid-1", cluster="regional-paris-1"
 *
 * The value is a list of RFC 8941 parameter-style members (`cluster=` + a structured-field string), sorted and
 * de-duplicated, so a client can parse it with any structured-field parser or a simple regular expression.
 * Its absence means every cluster answered. A cluster that answered from a cache it could not refresh for
 * longer than its staleness bound (its Kubernetes API cannot be watched) is listed with `; reason="stale"`:
 *
 *     Netweave-Partial-Result: cluster="edge-2"; reason="stale"
 */
export const PARTIAL_RESULT_HEADER = 'Netweave-Partial-Result';

/** Cluster ids come from configuration, but a header must never break: escape as an RFC 8941 sf-string. */
function sfString(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return `"${printable.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/**
 * Missing clusters as `cluster="<id>"`; clusters that answered from a cache they could not refresh past their
 * staleness bound (SHARD_STALE) as `cluster="<id>"; reason="stale"`. A cluster that is both is listed as missing.
 */
export function partialResultHeaderValue(
  clusterIds: Iterable<string>,
  staleClusterIds: Iterable<string> = [],
): string {
  const missing = new Set(clusterIds);
  const stale = [...new Set(staleClusterIds)].filter((id) => !missing.has(id));
  return [...[...missing].map((id) => [id, '']), ...stale.map((id) => [id, '; reason="stale"'])]
    .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0))
    .map(([clusterId, reason]) => `cluster=${sfString(clusterId!)}${reason}`)
    .join(', ');
}
