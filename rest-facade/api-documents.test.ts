/**
 * netweave's OpenAPI documents are served next to the API, as JSON and YAML, with an API reference page, and
 * without a token (browsers cannot send one to a page).
 */
import { get } from 'node:http';
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

  it('names the server the caller reached in both forms, whatever the host and port', async () => {
    await using gateway = await startGateway();
    // fetch always sends the host it connects to; node:http sends the Host a proxy would forward.
    const text = await new Promise<string>((resolve, reject) => {
      get(`${gateway.origin}${API}/v2/openapi.json`, { headers: { host: 'o2.example:9443' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
    const servers = (
      JSON.parse(text) as { servers: { url: string; variables: { apiRoot: { default: string } } }[] }
    ).servers;
    expect(servers[0]).toMatchObject({
      url: '{apiRoot}',
      variables: { apiRoot: { default: 'http://o2.example:9443' } },
    });
    const yaml = await call(gateway, `${API}/v1/openapi.yaml`, { headers: {} });
    expect(parseYaml(yaml.text)).toMatchObject({
      servers: [{ variables: { apiRoot: { default: gateway.origin } } }],
    });
  });
});
