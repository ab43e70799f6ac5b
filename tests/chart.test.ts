/**
 * The Helm chart renders with the real helm binary, refuses unsafe combinations and misspelt values, the
 * gateway configuration it writes is accepted by netweave's own config validation, and a real `helm install`
 * and `helm upgrade` against the simulator produce hardened workloads whose generated secrets survive the
 * upgrade.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { configFromEnv, parseGatewayConfig } from '../common/config.ts';
import { redisOptionsFromEnv } from '../subgraphs/cluster/cli.ts';
import { helmPath, kubectlPath } from '../testing/kube-tools.ts';
import { type SimCluster, startSimCluster } from '../sim/index.ts';

const run = promisify(execFile);
const CHART = 'charts/netweave';
const O_CLOUD_ID = '8a0b8b3e-4f7c-4c43-9c52-2d2f7f7b2f10';
const REQUIRED = [
  'gateway.auth.jwksUrl=https://idp.example/jwks',
  'gateway.auth.issuer=https://idp.example',
  'gateway.auth.audience=netweave',
  `gateway.oCloud.oCloudId=${O_CLOUD_ID}`,
];

type Manifest = Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string } };
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  env?: EnvVar[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  securityContext?: Record<string, unknown>;
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    containers: Container[];
    securityContext?: Record<string, unknown>;
    automountServiceAccountToken?: boolean;
  };
}
interface LabelSelector {
  matchLabels?: Record<string, string>;
}
interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}

function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((d) => d.toJSON() as Manifest | null)
    .filter((d): d is Manifest => d !== null);
}

async function template(...sets: string[]): Promise<Manifest[]> {
  const args = ['template', 'nw', CHART, ...sets.flatMap((s) => ['--set', s])];
  const { stdout } = await run(helmPath(), args);
  return parseManifests(stdout);
}

const named = (docs: Manifest[], kind: string, name: string): Manifest | undefined =>
  docs.find((d) => d.kind === kind && d.metadata.name === name);
const podTemplate = (deployment: Manifest): PodTemplate =>
  (deployment['spec'] as { template: PodTemplate }).template;
const matches = (selector: LabelSelector | undefined, labels: Record<string, string>): boolean =>
  selector !== undefined && Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

/** The values a Secret manifest holds (data decoded, stringData as is). */
function secretValues(secret: Manifest): string[] {
  const data = Object.values((secret['data'] as Record<string, string> | undefined) ?? {}).map((v) =>
    Buffer.from(v, 'base64').toString('utf8'),
  );
  return [...data, ...Object.values((secret['stringData'] as Record<string, string> | undefined) ?? {})];
}

/** The environment a container would see, with secretKeyRefs resolved from the given Secrets. */
function containerEnv(container: Container, secrets: Manifest[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = secrets.find((s) => s.metadata.name === ref.name);
      const encoded = (secret?.['data'] as Record<string, string> | undefined)?.[ref.key];
      if (encoded !== undefined) env[variable.name] = Buffer.from(encoded, 'base64').toString('utf8');
    } else env[variable.name] = variable.value;
  }
  return env;
}

describe('charts/netweave (helm template)', () => {
  it('passes helm lint, and helm lint fails on a misspelt or mistyped value (values.schema.json)', async () => {
    const lint = (...sets: string[]) =>
      run(helmPath(), ['lint', CHART, ...[...REQUIRED, ...sets].flatMap((s) => ['--set', s])]);
    expect((await lint()).stdout).toContain('0 chart(s) failed');
    await expect(lint('gateway.replica=3')).rejects.toMatchObject({
      stdout: expect.stringMatching(/replica/),
    });
    await expect(lint('store.kind=redsi')).rejects.toMatchObject({ stdout: expect.stringMatching(/store/) });
    await expect(lint('clusters[0].clusterId=Not_A_Label')).rejects.toThrow();
  });

  it('renders a gateway configuration that netweave accepts, secrets coming from Secrets only', async () => {
    const docs = await template(...REQUIRED);
    const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Deployment/nw-netweave-gateway',
        'Service/nw-netweave-gateway',
        'Deployment/nw-netweave-subgraph-local',
        'ClusterRole/nw-netweave-reader',
        'Secret/nw-netweave-generated',
        'PodDisruptionBudget/nw-netweave-gateway',
        'NetworkPolicy/nw-netweave-subgraphs',
      ]),
    );
    const configMap = named(docs, 'ConfigMap', 'nw-netweave-gateway')!;
    const text = (configMap['data'] as Record<string, string>)['netweave.yaml']!;
    const secrets = docs.filter((d) => d.kind === 'Secret');
    const gateway = podTemplate(named(docs, 'Deployment', 'nw-netweave-gateway')!).spec.containers[0]!;
    const config = parseGatewayConfig(
      configFromEnv(containerEnv(gateway, secrets), parseYaml(text) as Record<string, unknown>),
    );
    expect(config.store.kind).toBe('redis');
    expect(config.auth.mode).toBe('jwt');
    expect(config.clusters.map((c) => c.clusterId)).toEqual(['local']);
    expect(config.oCloud.oCloudId).toBe(O_CLOUD_ID);
    // Generated, long and distinct: nothing derived from the release name.
    const generated = secretValues(named(docs, 'Secret', 'nw-netweave-generated')!);
    expect(config.internalToken).toHaveLength(48);
    expect(
      new Set([
        config.internalToken,
        config.inventory.markerSecret,
        config.subscriptions.delivery.signingSecret,
      ]).size,
    ).toBe(3);
    expect(generated).toEqual(expect.arrayContaining([config.internalToken, config.inventory.markerSecret]));
  });

  it('takes every secret from existing Secrets when named, and generates none then', async () => {
    const docs = await template(
      ...REQUIRED,
      'secrets.internalToken.existingSecret=nw-own',
      'secrets.markerSecret.existingSecret=nw-own',
      'secrets.webhookSigningSecret.existingSecret=nw-own',
      'secrets.metricsScrapeToken.existingSecret=nw-own',
      'gateway.oauth2.enabled=true',
      'gateway.oauth2.tokenUrl=https://idp.example/token',
      'gateway.oauth2.clientId=netweave',
      'gateway.oauth2.existingSecret=nw-oauth2',
      'store.auth.existingSecret=nw-redis',
    );
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
    const own: Manifest[] = [
      {
        kind: 'Secret',
        metadata: { name: 'nw-own' },
        data: Object.fromEntries(
          ['internalToken', 'markerSecret', 'webhookSigningSecret', 'metricsScrapeToken'].map((k) => [
            k,
            Buffer.from(`${k}-0123456789abcdef0123456789abcdef`).toString('base64'),
          ]),
        ),
      },
      {
        kind: 'Secret',
        metadata: { name: 'nw-oauth2' },
        data: { clientSecret: Buffer.from('oauth-s3cret').toString('base64') },
      },
      {
        kind: 'Secret',
        metadata: { name: 'nw-redis' },
        data: { 'redis-password': Buffer.from('redis-s3cret').toString('base64') },
      },
    ];
    const gateway = podTemplate(named(docs, 'Deployment', 'nw-netweave-gateway')!).spec.containers[0]!;
    const text = (named(docs, 'ConfigMap', 'nw-netweave-gateway')!['data'] as Record<string, string>)[
      'netweave.yaml'
    ]!;
    const config = parseGatewayConfig(
      configFromEnv(containerEnv(gateway, own), parseYaml(text) as Record<string, unknown>),
    );
    expect(config.internalToken).toBe('internalToken-0123456789abcdef0123456789abcdef');
    expect(config.inventory.markerSecret).toBe('markerSecret-0123456789abcdef0123456789abcdef');
    expect(config.subscriptions.delivery.signingSecret).toBe(
      'webhookSigningSecret-0123456789abcdef0123456789abcdef',
    );
    expect(config.subscriptions.delivery.oauth2).toMatchObject({
      clientId: 'netweave',
      clientSecret: 'oauth-s3cret',
    });
    expect(config.store).toMatchObject({ kind: 'redis', password: 'redis-s3cret' });
    expect(text).not.toMatch(/s3cret/);
  });

  it('gives the subgraphs the same Redis as the gateway, Sentinel included', async () => {
    const docs = await template(
      ...REQUIRED,
      'store.sentinels[0].host=sentinel-0',
      'store.sentinels[0].port=26379',
      'store.sentinels[1].host=sentinel-1',
      'store.sentinels[1].port=26379',
      'store.sentinelName=netweave',
      'store.auth.existingSecret=nw-redis',
    );
    const redisSecret: Manifest = {
      kind: 'Secret',
      metadata: { name: 'nw-redis' },
      data: { 'redis-password': Buffer.from('redis-s3cret').toString('base64') },
    };
    const subgraph = podTemplate(named(docs, 'Deployment', 'nw-netweave-subgraph-local')!).spec
      .containers[0]!;
    expect(redisOptionsFromEnv(containerEnv(subgraph, [redisSecret]))).toEqual({
      sentinels: [
        { host: 'sentinel-0', port: 26379 },
        { host: 'sentinel-1', port: 26379 },
      ],
      sentinelName: 'netweave',
      keyPrefix: 'netweave:',
      password: 'redis-s3cret',
    });
    const text = (named(docs, 'ConfigMap', 'nw-netweave-gateway')!['data'] as Record<string, string>)[
      'netweave.yaml'
    ]!;
    expect(parseGatewayConfig(parseYaml(text)).store).toMatchObject({ sentinelName: 'netweave' });
  });

  it('renders the optional HPA, Ingress with TLS and ServiceMonitor', async () => {
    const docs = await template(
      ...REQUIRED,
      'gateway.autoscaling.enabled=true',
      'ingress.enabled=true',
      'ingress.hosts[0].host=o2ims.example.com',
      'ingress.tls[0].secretName=o2ims-tls',
      'ingress.tls[0].hosts[0]=o2ims.example.com',
      'serviceMonitor.enabled=true',
      'serviceMonitor.bearerTokenSecret.name=scrape',
    );
    expect(named(docs, 'HorizontalPodAutoscaler', 'nw-netweave-gateway')).toBeDefined();
    expect(
      (named(docs, 'Deployment', 'nw-netweave-gateway')!['spec'] as Record<string, unknown>)['replicas'],
    ).toBeUndefined();
    expect(named(docs, 'Ingress', 'nw-netweave-gateway')!['spec']).toMatchObject({
      tls: [{ secretName: 'o2ims-tls', hosts: ['o2ims.example.com'] }],
    });
    expect(named(docs, 'ServiceMonitor', 'nw-netweave-gateway')).toBeDefined();
    // The subgraphs are scraped too, every endpoint with the scrape token (here the named Secret).
    const monitors = ['nw-netweave-gateway', 'nw-netweave-subgraphs'].map((name) =>
      named(docs, 'ServiceMonitor', name),
    );
    for (const monitor of monitors)
      expect(monitor!['spec']).toMatchObject({
        endpoints: [{ path: '/metrics', authorization: { credentials: { name: 'scrape', key: 'token' } } }],
      });
  });

  it('refuses several replicas on the in-memory store, jwt mode without a JWKS, no O-Cloud id, DMS without namespaces', async () => {
    const id = `gateway.oCloud.oCloudId=${O_CLOUD_ID}`;
    await expect(template(id, 'gateway.auth.mode=development', 'store.kind=memory')).rejects.toThrow(
      /needs store.kind: redis/,
    );
    await expect(template(id)).rejects.toThrow(/jwksUrl is required/);
    await expect(template(id, 'gateway.auth.jwksUrl=https://idp.example/jwks')).rejects.toThrow(
      /issuer is required/,
    );
    await expect(template('gateway.auth.jwksUrl=https://idp.example/jwks')).rejects.toThrow(/oCloudId/);
    await expect(template(...REQUIRED, 'deployments.enabled=true')).rejects.toThrow(/deployments.namespaces/);
    await expect(template(...REQUIRED, 'gateway.oauth2.enabled=true')).rejects.toThrow(/oauth2/);
  });
});

describe('charts/netweave against the simulator (helm install + upgrade)', () => {
  let cluster: SimCluster;
  let dir: string;
  let kubeconfig: string;

  async function helm(...args: string[]): Promise<string> {
    const env = {
      ...process.env,
      HELM_CACHE_HOME: join(dir, 'cache'),
      HELM_CONFIG_HOME: join(dir, 'config'),
      HELM_DATA_HOME: join(dir, 'data'),
    };
    const { stdout } = await run(
      helmPath(),
      ['--kubeconfig', kubeconfig, '--namespace', 'netweave', ...args],
      {
        timeout: 60_000,
        env,
      },
    );
    return stdout;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chart-test-'));
    cluster = await startSimCluster({ name: 'chart-test' });
    kubeconfig = join(dir, 'kubeconfig');
    await cluster.writeKubeconfig(kubeconfig);
    // The namespace O2 DMS deploys into exists before netweave is given rights there.
    await run(kubectlPath(), ['--kubeconfig', kubeconfig, 'create', 'namespace', 'dms-a'], {
      timeout: 30_000,
    });
  });

  afterAll(async () => {
    await cluster?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('installs hardened workloads, keeps secrets out of ConfigMaps and env, isolates subgraphs, keeps generated secrets on upgrade', async () => {
    const sets = [...REQUIRED, 'deployments.enabled=true', 'deployments.namespaces[0]=dms-a'].flatMap((s) => [
      '--set',
      s,
    ]);
    expect(await helm('install', 'nw', CHART, '--create-namespace', ...sets)).toMatch(/STATUS: deployed/);
    const docs = parseManifests(await helm('get', 'manifest', 'nw'));
    const stored = (): string[] =>
      secretValues(cluster.objects.get('v1', 'Secret', 'nw-netweave-generated', 'netweave') as Manifest);
    const generated = stored();
    expect(generated).toHaveLength(4);

    const deployments = docs.filter((d) => d.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      'nw-netweave-gateway',
      'nw-netweave-subgraph-local',
    ]);
    for (const deployment of deployments) {
      const pod = podTemplate(deployment);
      expect(pod.spec.securityContext, deployment.metadata.name).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      for (const container of pod.spec.containers) {
        const where = `${deployment.metadata.name}/${container.name}`;
        expect(container.resources?.requests, where).toMatchObject({
          cpu: expect.any(String),
          memory: expect.any(String),
        });
        expect(container.resources?.limits?.['memory'], where).toBeDefined();
        expect(container.livenessProbe, where).toBeDefined();
        expect(container.readinessProbe, where).toBeDefined();
        expect(container.startupProbe, where).toBeDefined();
        expect(container.securityContext, where).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        for (const variable of container.env ?? []) {
          if (/TOKEN|SECRET|PASSWORD/.test(variable.name))
            expect(variable.valueFrom?.secretKeyRef, variable.name).toBeDefined();
          for (const secret of generated) expect(variable.value ?? '', variable.name).not.toContain(secret);
        }
      }
      const annotations = (pod.metadata as { annotations?: Record<string, string> }).annotations ?? {};
      expect(annotations['checksum/config'], deployment.metadata.name).toMatch(/^[0-9a-f]{64}$/);
    }
    for (const configMap of docs.filter((d) => d.kind === 'ConfigMap'))
      for (const value of Object.values(configMap['data'] as Record<string, string>))
        for (const secret of generated) expect(value).not.toContain(secret);

    // Subgraphs: ingress only from this release's gateway pods, on the GraphQL port.
    const gatewayLabels = podTemplate(named(docs, 'Deployment', 'nw-netweave-gateway')!).metadata.labels;
    const subgraphLabels = podTemplate(named(docs, 'Deployment', 'nw-netweave-subgraph-local')!).metadata
      .labels;
    const policies = docs
      .filter((d) => d.kind === 'NetworkPolicy')
      .map(
        (d) =>
          d['spec'] as {
            podSelector: LabelSelector;
            policyTypes: string[];
            ingress?: Array<{ from?: NetworkPolicyPeer[] }>;
          },
      )
      .filter((spec) => matches(spec.podSelector, subgraphLabels));
    expect(policies).not.toEqual([]);
    for (const policy of policies) {
      expect(policy.policyTypes).toContain('Ingress');
      for (const rule of policy.ingress ?? []) {
        expect(rule.from ?? []).not.toEqual([]);
        for (const peer of rule.from ?? []) {
          expect(peer.namespaceSelector).toBeUndefined();
          expect(peer.ipBlock).toBeUndefined();
          expect(matches(peer.podSelector, gatewayLabels)).toBe(true);
          expect(matches(peer.podSelector, subgraphLabels)).toBe(false);
        }
      }
    }

    // Inventory RBAC is read-only; the DMS namespace gets release management rights.
    const reader = named(docs, 'ClusterRole', 'nw-netweave-reader')!;
    for (const rule of reader['rules'] as Array<{ verbs: string[] }>)
      expect(rule.verbs.sort()).toEqual(['get', 'list', 'watch']);
    expect(
      cluster.objects.get('rbac.authorization.k8s.io/v1', 'RoleBinding', 'nw-netweave-dms', 'dms-a'),
    ).toBeDefined();

    expect(await helm('upgrade', 'nw', CHART, '--reuse-values', '--set', 'gateway.logLevel=debug')).toMatch(
      /STATUS: deployed/,
    );
    expect(stored()).toEqual(generated);
    const upgraded = parseManifests(await helm('get', 'manifest', 'nw'));
    expect(secretValues(named(upgraded, 'Secret', 'nw-netweave-generated')!).sort()).toEqual(
      [...generated].sort(),
    );
  }, 180_000);
});
