/**
 * netweave's own OpenAPI documents, served next to the API they describe, and an API reference page:
 *
 *   /o2ims-infrastructureInventory/{v2|v1}/openapi.json | openapi.yaml   the document
 *   /o2ims-infrastructureInventory/{v2|v1}/docs                          the reference page
 *   /o2ims-infrastructureMonitoring/v1/openapi.json | openapi.yaml | docs  the same for monitoring
 *
 * The reference page is rendered in the browser by swagger-ui-dist, served from the gateway's own
 * node_modules (no CDN: SMO networks and air-gapped sites have none). When the package is not installed the
 * page links the documents instead. The documents are public descriptions, so these routes do not ask for a
 * token (a browser cannot send one to a page it navigates to).
 *
 * The documents' server variable `apiRoot` defaults to where the caller reached the gateway: the configured
 * `publicUrl` when there is one (a gateway behind a proxy), else the scheme and Host of the request, so
 * "Try it out" on the reference page calls this gateway whatever its host and port.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Request, Router } from 'express';
import { parseDocument } from 'yaml';

export const OPENAPI_DOCUMENTS = {
  v2: fileURLToPath(new URL('../schema/o2ims-inventory-v2.openapi.yaml', import.meta.url)),
  v1: fileURLToPath(new URL('../schema/o2ims-inventory-v1.openapi.yaml', import.meta.url)),
} as const;

export const MONITORING_OPENAPI_DOCUMENT = fileURLToPath(
  new URL('../schema/o2ims-infrastructure-monitoring-v1.openapi.yaml', import.meta.url),
);

export type ProfileName = keyof typeof OPENAPI_DOCUMENTS;

/** One document to serve: `path` is relative to the router's mount point (e.g. `/v2`). */
export interface ApiDocument {
  readonly path: string;
  readonly file: string;
  readonly title: string;
}

/** The gateway's public base URL, when configured (undefined: derive it from each request). */
export type PublicUrl = () => string | undefined;

/** The inventory documents of the given profiles, relative to `/o2ims-infrastructureInventory`. */
export function inventoryDocuments(profiles: readonly ProfileName[]): ApiDocument[] {
  return profiles.map((profile) => ({
    path: `/${profile}`,
    file: OPENAPI_DOCUMENTS[profile],
    title: `netweave O2 IMS Infrastructure Inventory API ${profile}`,
  }));
}

/** The directory of swagger-ui-dist's static files, or undefined when the package is not installed. */
function swaggerUiDirectory(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    return undefined;
  }
}

function referencePage(title: string, assets: string | undefined): string {
  if (assets === undefined) {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>
<h1>${title}</h1>
<p>The interactive reference needs the npm package <code>swagger-ui-dist</code>, which is not installed on this gateway.</p>
<p>The API document: <a href="openapi.yaml">openapi.yaml</a> · <a href="openapi.json">openapi.json</a></p>
</body></html>`;
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="docs-assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="docs-assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#ui', deepLinking: true });</script>
</body></html>`;
}

/**
 * Scheme, host and port the caller used: `publicUrl` when configured, else the request's own. The Host
 * header is the caller's input, echoed only to that caller inside a document, never used to route.
 */
export function apiRootOf(req: Request, publicUrl: PublicUrl | undefined): string {
  const configured = publicUrl?.();
  if (configured !== undefined && configured !== '') return configured.replace(/\/+$/, '');
  const host = req.get('host') ?? 'localhost';
  return `${req.protocol}://${host}`;
}

const API_ROOT_DEFAULT = ['servers', 0, 'variables', 'apiRoot', 'default'] as const;

/** Routes for the given documents, relative to the mount point of the returned router. */
export function apiDocumentRoutes(documents: readonly ApiDocument[], publicUrl?: PublicUrl): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  const assets = swaggerUiDirectory();
  for (const document of documents) {
    const yaml = parseDocument(readFileSync(document.file, 'utf8'));
    const json = yaml.toJS() as Record<string, unknown>;
    const page = referencePage(document.title, assets);
    // Documents are a few hundred kB at most and read rarely: rendered per request, nothing cached.
    router.get(`${document.path}/openapi.yaml`, (req, res) => {
      const copy = yaml.clone();
      copy.setIn(API_ROOT_DEFAULT, apiRootOf(req, publicUrl));
      res.type('application/yaml').send(copy.toString());
    });
    router.get(`${document.path}/openapi.json`, (req, res) => {
      res.type('application/json').send(JSON.stringify(withApiRoot(json, apiRootOf(req, publicUrl))));
    });
    router.get(`${document.path}/docs`, (_req, res) => {
      res.type('text/html').send(page);
    });
    if (assets !== undefined) {
      router.use(
        `${document.path}/docs-assets`,
        express.static(assets, { index: false, fallthrough: false }),
      );
    }
  }
  return router;
}

/** The document with its `apiRoot` server variable defaulting to `apiRoot` (other servers kept). */
function withApiRoot(document: Record<string, unknown>, apiRoot: string): Record<string, unknown> {
  const servers = Array.isArray(document['servers']) ? (document['servers'] as unknown[]) : [];
  const [first, ...rest] = servers;
  const server = (first ?? { url: '{apiRoot}' }) as { variables?: Record<string, unknown> };
  const variable = (server.variables?.['apiRoot'] ?? {}) as Record<string, unknown>;
  return {
    ...document,
    servers: [
      { ...server, variables: { ...server.variables, apiRoot: { ...variable, default: apiRoot } } },
      ...rest,
    ],
  };
}
