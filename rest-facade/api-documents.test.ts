/**
 * netweave's OpenAPI documents are served next to the API, as JSON and YAML, with an API reference page, and
 * without a token (browsers cannot send one to a page).
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { call, startGateway } from '../testing/facade-harness.ts';

const API = '/o2ims-infrastructureInventory';

describe('API documents', () => {
  it.each(['v2', 'v1'])('serves the %s document as JSON and YAML, and a reference page', async (profile) => {
    await using gateway = await startGateway();
    const json = await call(gateway, `${API}/${profile}/openapi.json`, { headers: {} });
    expect(json.status).toBe(200);
    expect(json.contentType).toMatch(/^application\/json/);
    const document = json.body as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toContain(`${API}/${profile}/resourcePools`);
    const yaml = await call(gateway, `${API}/${profile}/openapi.yaml`, { headers: {} });
    expect(yaml.contentType).toMatch(/^application\/yaml/);
    expect(parseYaml(yaml.text)).toEqual(document);
    const page = await call(gateway, `${API}/${profile}/docs`, { headers: {} });
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toContain('openapi.json');
    expect(page.text).not.toMatch(/https?:\/\/(?!www\.apache)/); // no CDN
  });
});
