/**
 * One gateway of bench/gateways.bench.ts in its own process, in front of one cluster subgraph:
 *
 *   node --import tsx bench/gateway-server.ts <kind> <subgraphUrl> <internalToken>
 *
 * kind: `netweave` (netweave's gateway process, config defaults but no rate limits), `hive` / `hive-dedup`
 * (stock Hive Gateway runtime on the same supergraph with its own HTTP transport, in-flight deduplication
 * off / on), `apollo` (Apollo Gateway in Apollo Server; bench-only, Elastic-licensed — docs/dependencies.md).
 * Prints one JSON line `{"url": "<GraphQL endpoint>"}` when serving and runs until killed.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { startGateway } from '../cli/gateway.ts';
import { parseGatewayConfig } from '../common/config.ts';
import { createLogger } from '../common/log.ts';
import { CLUSTER_SDL_PATH, composeSupergraph } from '../router/gateway.ts';
import { HUB_SDL_PATH } from '../subgraphs/hub/index.ts';

export const GATEWAY_KINDS = ['netweave', 'hive', 'hive-dedup', 'apollo'] as const;
export type GatewayKind = (typeof GATEWAY_KINDS)[number];

/**
 * netweave's supergraph (hub + the one logical cluster subgraph) with the cluster subgraph at `url`. The hub
 * gets an address nobody serves: the benchmark's queries touch the cluster subgraph only.
 */
function supergraphFor(url: string): string {
  const sdl = composeSupergraph(readFileSync(HUB_SDL_PATH, 'utf8'), readFileSync(CLUSTER_SDL_PATH, 'utf8'));
  return sdl.replace('netweave://cluster', url).replace('netweave://hub', 'http://127.0.0.1:9/graphql');
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function start(kind: GatewayKind, subgraphUrl: string, token: string): Promise<string> {
  switch (kind) {
    case 'netweave': {
      const gateway = await startGateway(
        parseGatewayConfig({
          listen: { host: '127.0.0.1', port: 0 },
          internalToken: token,
          logLevel: 'silent',
          rateLimits: { enabled: false },
          clusters: [{ clusterId: 'bench-01', url: subgraphUrl, wsUrl: subgraphUrl.replace(/^http/, 'ws') }],
        }),
        { logger: createLogger('silent') },
      );
      return `${gateway.url}/graphql`;
    }
    case 'hive':
    case 'hive-dedup': {
      const runtime = createGatewayRuntime({
        supergraph: supergraphFor(subgraphUrl),
        transportEntries: {
          cluster: {
            headers: [['authorization', `Bearer ${token}`]],
            options: { deduplicateInflightRequests: kind === 'hive-dedup' },
          },
        },
        logging: false,
        landingPage: false,
        graphiql: false,
      } as Parameters<typeof createGatewayRuntime>[0]);
      return listen(runtime as unknown as (req: IncomingMessage, res: ServerResponse) => void);
    }
    case 'apollo': {
      const gateway = new ApolloGateway({
        supergraphSdl: supergraphFor(subgraphUrl),
        buildService: ({ url }) =>
          new RemoteGraphQLDataSource({
            url: url ?? subgraphUrl,
            willSendRequest({ request }) {
              request.http?.headers.set('authorization', `Bearer ${token}`);
            },
          }),
      });
      const server = new ApolloServer({ gateway, csrfPrevention: false });
      const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
      return `${url.replace(/\/$/, '')}/graphql`;
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [kind, subgraphUrl, token] = process.argv.slice(2);
  if (!GATEWAY_KINDS.includes(kind as GatewayKind) || subgraphUrl === undefined || token === undefined) {
    throw new Error(`usage: gateway-server.ts <${GATEWAY_KINDS.join('|')}> <subgraphUrl> <internalToken>`);
  }
  const url = await start(kind as GatewayKind, subgraphUrl, token);
  // A normal exit on SIGTERM, so `node --cpu-prof` writes its profile (bench/summarize-cpuprofile.ts).
  process.once('SIGTERM', () => process.exit(0));
  process.stdout.write(`${JSON.stringify({ url })}\n`);
}
