/** The GraphQL context every netweave resolver receives (hub and cluster subgraphs). */
import type { AuthContext } from './auth.ts';

export interface GraphContext {
  readonly auth: AuthContext;
}
