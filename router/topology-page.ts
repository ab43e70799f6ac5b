/**
 * The live topology page at `/topology` (web/topology/, docs/graphql.md "Topology page"). The page is static
 * and holds no data: like GraphiQL and the API reference pages it is served without a token, and everything
 * it shows comes from GraphQL over HTTP and graphql-ws, which authenticate as always (in jwt mode the page
 * asks for a bearer token and keeps it in the tab's sessionStorage). Its libraries come from the gateway's own
 * node_modules (no CDN: air-gapped sites have none): cytoscape draws the graph, graphql-ws's browser client
 * carries the subscriptions.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

export const TOPOLOGY_PAGE_PATH = '/topology';

const WEB_DIRECTORY = fileURLToPath(new URL('../web/topology/', import.meta.url));

/**
 * The directory of an installed package's main file (both keep their browser builds there), or undefined when
 * the package is missing: the gateway still starts, only the page cannot draw.
 */
function mainDirectoryOf(packageName: string): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve(packageName));
  } catch {
    return undefined;
  }
}

const STATIC_OPTIONS = { index: false, fallthrough: false, dotfiles: 'deny' } as const;

export function topologyPageRoutes(): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  router.get(TOPOLOGY_PAGE_PATH, (_req, res) => {
    // The page and its scripts are the gateway's own: no inline script, nothing from elsewhere.
    res.set(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' data:",
    );
    res.sendFile(join(WEB_DIRECTORY, 'index.html'));
  });
  for (const library of ['cytoscape', 'graphql-ws']) {
    const directory = mainDirectoryOf(library);
    if (directory !== undefined)
      router.use(`${TOPOLOGY_PAGE_PATH}/assets/${library}`, express.static(directory, STATIC_OPTIONS));
  }
  router.use(TOPOLOGY_PAGE_PATH, express.static(WEB_DIRECTORY, STATIC_OPTIONS));
  return router;
}
