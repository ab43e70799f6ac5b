import type { GraphQLError } from 'graphql';

/**
 * The response `extensions` of a partial result (docs/graphql.md "Partial results"): the clusters whose data is
 * missing (`missingClusters`) and those that answered from a cache they could not refresh (`staleClusters`),
 * sorted; a dashboard reads them instead of parsing error messages. Added by the gateway's path
 * (router/gateway.ts `useNetweaveContext`) and the direct path (router/direct-execution.ts) alike.
 */
export function partialResultOf(
  errors: readonly Pick<GraphQLError, 'extensions'>[],
): Record<string, string[]> {
  const missing = new Set<string>();
  const stale = new Set<string>();
  for (const error of errors) {
    const extensions = (error.extensions ?? {}) as Record<string, unknown>;
    const ids = Array.isArray(extensions['clusterIds'])
      ? (extensions['clusterIds'] as unknown[])
      : [extensions['clusterId']];
    for (const id of ids) {
      if (typeof id !== 'string') continue;
      if (extensions['code'] === 'SHARD_UNAVAILABLE') missing.add(id);
      else if (extensions['code'] === 'SHARD_STALE') stale.add(id);
    }
  }
  return {
    ...(missing.size > 0 ? { missingClusters: [...missing].sort() } : {}),
    ...(stale.size > 0 ? { staleClusters: [...stale].sort() } : {}),
  };
}
