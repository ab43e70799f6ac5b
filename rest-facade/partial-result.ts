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
 * Its absence means every cluster answered.
 */
export const PARTIAL_RESULT_HEADER = 'Netweave-Partial-Result';

/** Cluster ids come from configuration, but a header must never break: escape as an RFC 8941 sf-string. */
function sfString(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return `"${printable.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

export function partialResultHeaderValue(clusterIds: Iterable<string>): string {
  return [...new Set(clusterIds)]
    .sort()
    .map((clusterId) => `cluster=${sfString(clusterId)}`)
    .join(', ');
}
