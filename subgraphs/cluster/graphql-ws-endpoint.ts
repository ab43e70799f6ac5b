/**
 * graphql-ws on the subgraph's HTTP server, same path as GraphQL over HTTP: live subscriptions
 * (Subscription.liveInventoryChanged) for the router, which opens one socket per shard and multiplexes its
 * callers' subscriptions over it.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { AuthContext } from '../../common/auth.ts';
import { graphError } from '../../common/errors.ts';
import { AUTH_CONTEXT_HEADER, AuthContextError, bearerMatches, requestAuthContext } from './request-auth.ts';
import { type ClusterDataSources, createGraphContext } from './resolvers.ts';

/** Close code for a missing or wrong internal token (graphql-ws itself would say 4403 Forbidden). */
export const CLOSE_UNAUTHORIZED = 4401;

export interface GraphQLWsEndpoint {
  /** Closes every socket (ending their subscriptions) and stops accepting new ones. */
  dispose(): Promise<void>;
}

export function attachGraphQLWs(
  httpServer: Server,
  path: string,
  schema: GraphQLSchema,
  sources: ClusterDataSources,
  internalToken: string | undefined,
): GraphQLWsEndpoint {
  const wsServer = new WebSocketServer({ server: httpServer, path });
  const server = useServer<Record<string, unknown>>(
    {
      schema,
      onConnect: (ctx) => {
        if (
          internalToken !== undefined &&
          !bearerMatches(ctx.connectionParams?.['authorization'], internalToken)
        ) {
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
          return false;
        }
        return true;
      },
      // A malformed forwarded context fails the one subscription, not the socket other callers share.
      onSubscribe: (ctx, _id, payload) => {
        try {
          subscriptionAuth(payload.extensions, ctx.connectionParams);
          return undefined;
        } catch (error) {
          if (error instanceof AuthContextError) return [graphError('BAD_USER_INPUT', error.message)];
          throw error;
        }
      },
      context: (ctx, _id, payload) =>
        createGraphContext(sources, subscriptionAuth(payload.extensions, ctx.connectionParams)),
    },
    wsServer,
  );
  return { dispose: () => Promise.resolve(server.dispose()) };
}

/**
 * The router puts each caller's context in the subscribe payload's extensions (one socket carries many
 * callers); a context in connectionParams applies to every subscription of the socket.
 */
function subscriptionAuth(
  extensions: Readonly<Record<string, unknown>> | null | undefined,
  connectionParams: Readonly<Record<string, unknown>> | undefined,
): AuthContext {
  const encoded = extensions?.[AUTH_CONTEXT_HEADER] ?? connectionParams?.[AUTH_CONTEXT_HEADER];
  return requestAuthContext(encoded, randomUUID());
}
