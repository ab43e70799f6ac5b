/**
 * The Helm chart renders with the real helm binary, refuses unsafe combinations, and the gateway
 * configuration it writes is accepted by netweave's own config validation.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { parseGatewayConfig } from '../common/config.ts';
import { helmPath } from '../testing/kube-tools.ts';

const run = promisify(execFile);
const CHART = 'charts/netweave';
const O_CLOUD_ID = '8a0b8b3e-4f7c-4c43-9c52-2d2f7f7b2f10';

async function template(...sets: string[]): Promise<Array<Record<string, unknown>>> {
  const args = ['template', 'nw', CHART, ...sets.flatMap((s) => ['--set', s])];
  const { stdout } = await run(helmPath(), args);
  return parseAllDocuments(stdout)
    .map((d) => d.toJSON() as Record<string, unknown> | null)
    .filter((d): d is Record<string, unknown> => d !== null);
}

describe('charts/netweave', () => {
  it('passes helm lint', async () => {
    const { stdout } = await run(helmPath(), [
      'lint',
      CHART,
      '--set',
      'gateway.auth.jwksUrl=https://idp.example/jwks',
      '--set',
      'gateway.auth.issuer=https://idp.example',
      '--set',
      'gateway.auth.audience=netweave',
      '--set',
      `gateway.oCloud.oCloudId=${O_CLOUD_ID}`,
    ]);
    expect(stdout).toContain('0 chart(s) failed');
  });

  it('renders a gateway configuration that netweave accepts', async () => {
    const docs = await template(
      'gateway.auth.jwksUrl=https://idp.example/jwks',
      'gateway.auth.issuer=https://idp.example',
      'gateway.auth.audience=netweave',
      `gateway.oCloud.oCloudId=${O_CLOUD_ID}`,
    );
    const kinds = docs.map((d) => `${String(d['kind'])}/${String((d['metadata'] as { name: string }).name)}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Deployment/nw-netweave-gateway',
        'Service/nw-netweave-gateway',
        'Deployment/nw-netweave-subgraph-local',
        'ClusterRole/nw-netweave-reader',
      ]),
    );
    const configMap = docs.find(
      (d) => d['kind'] === 'ConfigMap' && (d['metadata'] as { name: string }).name === 'nw-netweave-gateway',
    );
    const text = (configMap!['data'] as Record<string, string>)['netweave.yaml']!;
    const config = parseGatewayConfig(parseYaml(text));
    expect(config.store.kind).toBe('redis');
    expect(config.auth.mode).toBe('jwt');
    expect(config.clusters.map((c) => c.clusterId)).toEqual(['local']);
    expect(config.oCloud.oCloudId).toBe(O_CLOUD_ID);
  });

  it('refuses several replicas on the in-memory store, jwt mode without a JWKS, and no O-Cloud id', async () => {
    const id = `gateway.oCloud.oCloudId=${O_CLOUD_ID}`;
    await expect(template(id, 'gateway.auth.mode=development', 'store.kind=memory')).rejects.toThrow(
      /needs store.kind: redis/,
    );
    await expect(template(id)).rejects.toThrow(/jwksUrl is required/);
    await expect(template(id, 'gateway.auth.jwksUrl=https://idp.example/jwks')).rejects.toThrow(
      /issuer is required/,
    );
    await expect(template('gateway.auth.jwksUrl=https://idp.example/jwks')).rejects.toThrow(/oCloudId/);
  });
});
