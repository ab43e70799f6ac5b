/** The cluster subgraph's public API (docs/architecture.md "The shape", "Kubernetes, real and simulated"). */
export type { ClusterSubgraphConfig, KubeAccessConfig } from './config.ts';
export { DEFAULT_POOL_LABEL } from './config.ts';
export {
  type ClusterSubgraph,
  type ClusterSubgraphOptions,
  GRAPHQL_PATH,
  startClusterSubgraph,
} from './server.ts';
export { SUBGRAPH_USAGE, parseSubgraphArgs, runSubgraphCommand } from './cli.ts';
export type { ClusterInventory, InventoryListener } from './inventory.ts';
export type {
  ClusterInformers,
  ClusterInformersHealth,
  InformerEvent,
  InformerKind,
  ReadonlyCache,
} from './informers.ts';
export type { InformerHealth } from './supervisor.ts';
export type * from './model.ts';
