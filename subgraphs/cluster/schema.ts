/**
 * The executable schema of the cluster subgraph: schema/cluster.graphql (read once at start, so the SDL
 * file stays the single source the router composes) with this cluster's resolvers.
 */
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { type GraphQLSchema, parse } from 'graphql';
import { type ClusterDataSources, clusterResolvers } from './resolvers.ts';

export const CLUSTER_SCHEMA_URL = new URL('../../schema/cluster.graphql', import.meta.url);

export function buildClusterSchema(
  sources: ClusterDataSources,
  sdl = readFileSync(CLUSTER_SCHEMA_URL, 'utf8'),
): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: clusterResolvers(sources) }]);
}
