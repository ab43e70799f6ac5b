/**
 * netweave's own OpenAPI documents, served next to the API they describe, and an API reference page:
 *
 *   /o2ims-infrastructureInventory/{v2|v1}/openapi.json | openapi.yaml   the document
 *   /o2ims-infrastructureInventory/{v2|v1}/docs                          the reference page
 *
 * The reference page is rendered in the browser by swagger-ui-dist, served from the gateway's own
 * node_modules (no CDN: SMO networks and air-gapped sites have none). When the package is not installed the
 * page links the documents instead. The documents are public descriptions, so these routes do not ask for a
 * token (a browser cannot send one to a page it navigates to).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Router } from 'express';
import { parse as parseYaml } from 'yaml';

export const OPENAPI_DOCUMENTS = {
  v2: fileURLToPath(new URL('../schema/o2ims-inventory-v2.openapi.yaml', import.meta.url)),
  v1: fileURLToPath(new URL('../schema/o2ims-inventory-v1.openapi.yaml', import.meta.url)),
} as const;

export type ProfileName = keyof typeof OPENAPI_DOCUMENTS;

/** The directory of swagger-ui-dist's static files, or undefined when the package is not installed. */
function swaggerUiDirectory(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    return undefined;
  }
}

function referencePage(profile: ProfileName, assets: string | undefined): string {
  const title = `netweave O2 IMS Infrastructure Inventory API ${profile}`;
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

/** Routes for the documents of the given profiles, relative to the service root. */
export function apiDocumentRoutes(profiles: readonly ProfileName[]): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  const assets = swaggerUiDirectory();
  for (const profile of profiles) {
    const yamlText = readFileSync(OPENAPI_DOCUMENTS[profile], 'utf8');
    const jsonText = JSON.stringify(parseYaml(yamlText));
    const page = referencePage(profile, assets);
    router.get(`/${profile}/openapi.yaml`, (_req, res) => {
      res.type('application/yaml').send(yamlText);
    });
    router.get(`/${profile}/openapi.json`, (_req, res) => {
      res.type('application/json').send(jsonText);
    });
    router.get(`/${profile}/docs`, (_req, res) => {
      res.type('text/html').send(page);
    });
    if (assets !== undefined) {
      router.use(`/${profile}/docs-assets`, express.static(assets, { index: false, fallthrough: false }));
    }
  }
  return router;
}
