import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../common/config.ts';
import { type SimCluster, loadScenario, startSimCluster } from '../../sim/index.ts';
import {
  SUBGRAPH_USAGE,
  nfUnreadyGraceFromEnv,
  parseSubgraphArgs,
  redisOptionsFromEnv,
  runSubgraphCommand,
} from './cli.ts';

const O_CLOUD_ID = '0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a60';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netweave-subgraph-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const REQUIRED = [
  '--cluster-id',
  'edge-1',
  '--o-cloud-id',
  O_CLOUD_ID,
  '--kubeconfig',
  '/etc/kube/edge-1',
  '--site-name',
  'paris-edge',
  '--global-location-id',
  'loc-1',
];

describe('netweave subgraph arguments', () => {
  it('prints usage for --help', async () => {
    let out = '';
    const stdout = new Writable({
      write: (chunk, _encoding, done) => {
        out += String(chunk);
        done();
      },
    });
    await runSubgraphCommand(['--help'], { stdout });
    expect(out).toBe(SUBGRAPH_USAGE);
  });

  it('names every missing setting', () => {
    expect(() => parseSubgraphArgs(['--cluster-id', 'edge-1'], {})).toThrow(ConfigError);
    expect(() => parseSubgraphArgs(['--cluster-id', 'edge-1'], {})).toThrow(
      /--o-cloud-id, --site-name, --global-location-id, --kubeconfig, --server or --in-cluster/,
    );
    expect(() => parseSubgraphArgs(['--bogus'], {})).toThrow(ConfigError);
    expect(() => parseSubgraphArgs([...REQUIRED, '--port', '70000'], {})).toThrow(/--port/);
  });

  it('builds the subgraph options from flags and the environment', () => {
    const options = parseSubgraphArgs(
      [...REQUIRED, '--context', 'admin@edge-1', '--pool-label', 'example.com/pool', '--port', '8443'],
      {
        NETWEAVE_INTERNAL_TOKEN: 'secret-token',
      },
    );
    expect(options).toEqual({
      clusterId: 'edge-1',
      oCloudId: O_CLOUD_ID,
      site: { name: 'paris-edge', location: { globalLocationId: 'loc-1', name: 'paris-edge' } },
      kube: { kubeconfigPath: '/etc/kube/edge-1', context: 'admin@edge-1' },
      host: '127.0.0.1',
      port: 8443,
      logLevel: 'info',
      poolLabel: 'example.com/pool',
      internalToken: 'secret-token',
    });
  });

  it('watches its own cluster inside a pod when no other access is configured', () => {
    const withoutKube = REQUIRED.filter((_, i) => i !== 4 && i !== 5);
    expect(parseSubgraphArgs(withoutKube, { KUBERNETES_SERVICE_HOST: '10.96.0.1' })).toMatchObject({
      kube: { inCluster: true },
    });
    expect(parseSubgraphArgs([...withoutKube, '--in-cluster'], {})).toMatchObject({
      kube: { inCluster: true },
    });
    expect(() => parseSubgraphArgs(withoutKube, {})).toThrow(/--kubeconfig, --server or --in-cluster/);
  });

  it('reads a settings file that flags override, and takes the API token from the environment', async () => {
    const file = join(dir, 'subgraph.yaml');
    await writeFile(
      file,
      [
        'clusterId: from-file',
        `oCloudId: ${O_CLOUD_ID}`,
        'kube: { server: "https://10.0.0.1:6443" }',
        'site: { name: paris-edge, location: { globalLocationId: loc-1, name: Paris, address: "1 Rue X" } }',
        'port: 9000',
      ].join('\n'),
    );
    const options = parseSubgraphArgs(['--config', file, '--cluster-id', 'from-flag'], {
      NETWEAVE_KUBE_TOKEN: 'kube-token',
    });
    expect(options).toMatchObject({
      clusterId: 'from-flag',
      kube: { server: 'https://10.0.0.1:6443', token: 'kube-token' },
      site: {
        name: 'paris-edge',
        location: { globalLocationId: 'loc-1', name: 'Paris', address: '1 Rue X' },
      },
      port: 9000,
    });
  });
});

describe('the NF unready grace from the environment', () => {
  it('takes positive milliseconds and refuses anything else', () => {
    expect(nfUnreadyGraceFromEnv({})).toEqual({});
    expect(nfUnreadyGraceFromEnv({ NETWEAVE_DMS_NF_UNREADY_GRACE_MS: '15000' })).toEqual({
      nfUnreadyGraceMs: 15_000,
    });
    expect(() => nfUnreadyGraceFromEnv({ NETWEAVE_DMS_NF_UNREADY_GRACE_MS: '-1' })).toThrow(/positive/);
    expect(() => nfUnreadyGraceFromEnv({ NETWEAVE_DMS_NF_UNREADY_GRACE_MS: '1m' })).toThrow(/positive/);
  });
});

describe("the gateway's Redis from the environment", () => {
  it('takes a standalone URL, or Sentinels with a master name, and the password apart from either', () => {
    expect(redisOptionsFromEnv({})).toBeUndefined();
    expect(
      redisOptionsFromEnv({ REDIS_URL: 'redis://redis:6379', NETWEAVE_REDIS_PASSWORD: 's3cret' }),
    ).toEqual({
      url: 'redis://redis:6379',
      keyPrefix: 'netweave:',
      password: 's3cret',
    });
    expect(
      redisOptionsFromEnv({
        REDIS_URL: 'redis://ignored:6379',
        NETWEAVE_REDIS_SENTINELS: 'sentinel-0:26379, [fd00::1]:26380',
        NETWEAVE_REDIS_SENTINEL_NAME: 'netweave',
        NETWEAVE_REDIS_KEY_PREFIX: 'nw:',
      }),
    ).toEqual({
      sentinels: [
        { host: 'sentinel-0', port: 26379 },
        { host: 'fd00::1', port: 26380 },
      ],
      sentinelName: 'netweave',
      keyPrefix: 'nw:',
    });
  });

  it('names a Sentinel setting that cannot work', () => {
    expect(() => redisOptionsFromEnv({ NETWEAVE_REDIS_SENTINELS: 'sentinel-0:26379' })).toThrow(
      /NETWEAVE_REDIS_SENTINEL_NAME/,
    );
    expect(() =>
      redisOptionsFromEnv({ NETWEAVE_REDIS_SENTINELS: 'sentinel-0', NETWEAVE_REDIS_SENTINEL_NAME: 'm' }),
    ).toThrow(ConfigError);
  });
});

describe('netweave subgraph', () => {
  let sim: SimCluster;

  beforeAll(async () => {
    const cluster = (await loadScenario('minimal')).clusters[0]!;
    sim = await startSimCluster({ name: cluster.name, objects: cluster.objects });
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('serves until it is told to stop', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfig);
    const stop = new AbortController();
    let listening: { url: string } | undefined;
    const running = runSubgraphCommand(
      [
        ...REQUIRED.slice(0, 4),
        '--kubeconfig',
        kubeconfig,
        '--site-name',
        'paris-edge',
        '--global-location-id',
        'loc-1',
        '--log-level',
        'silent',
      ],
      {
        env: { NETWEAVE_INTERNAL_TOKEN: 'cli-test-token-0123456789' },
        signal: stop.signal,
        onListening: (urls) => {
          listening = urls;
        },
      },
    );
    await vi.waitFor(
      () => {
        if (listening === undefined) throw new Error('the subgraph listening');
      },
      { timeout: 5_000, interval: 25 },
    );
    const response = await fetch(listening!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer cli-test-token-0123456789' },
      body: JSON.stringify({ query: '{ clusters { clusterId } resources { resourceId } }' }),
    });
    const body = (await response.json()) as {
      data: { clusters: { clusterId: string }[]; resources: unknown[] };
    };
    expect(body.data.clusters).toEqual([{ clusterId: 'edge-1' }]);
    expect(body.data.resources).toHaveLength(sim.objects.list('v1', 'Node').length);
    stop.abort();
    await running;
    await expect(fetch(listening!.url)).rejects.toThrow();
  });
});
