/**
 * `netweave subgraph`: runs one cluster subgraph until SIGINT/SIGTERM. Settings come from flags, or from a
 * YAML/JSON file (`--config`) that flags override. Secrets never go on the command line: the internal token
 * comes from NETWEAVE_INTERNAL_TOKEN (or the file's `internalToken`), an API server bearer token from
 * NETWEAVE_KUBE_TOKEN.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { LevelWithSilent } from 'pino';
import type { SiteConfig } from '../../common/site.ts';
import { ConfigError, listenerTlsSchema } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import type { KubeAccessConfig } from './config.ts';
// Types only: the server and the Redis client are imported when the subgraph starts, not for `--help`.
import type { ClusterSubgraphOptions } from './server.ts';
import type { RedisStoreOptions } from '../../state/redis-store.ts';

export const SUBGRAPH_USAGE = `netweave subgraph — serve one Kubernetes cluster as an O2 cluster subgraph

Usage:
  netweave subgraph --cluster-id ID --o-cloud-id UUID
                    (--kubeconfig FILE [--context NAME] | --server URL | --in-cluster)
                    --site-name NAME --global-location-id ID [--location-name NAME] [--pool-label LABEL]
                    [--host 127.0.0.1] [--port 0] [--log-level info]
  netweave subgraph --config subgraph.yaml [flags that override the file]

Flags:
  --cluster-id ID            netweave's id of the cluster (a DNS label, e.g. edge-1)
  --o-cloud-id UUID          the O-Cloud the cluster belongs to
  --kubeconfig FILE          kubeconfig of the cluster; --context picks a context other than the current
  --server URL               API server URL instead of a kubeconfig (bearer token from NETWEAVE_KUBE_TOKEN)
  --in-cluster               the pod's service account; the default inside a pod when no other is given
  --site-name NAME           O-Cloud site of the cluster (clusters naming the same site share it)
  --site-description TEXT
  --global-location-id ID    the SMO's global location id of the site
  --location-name NAME       defaults to the site name
  --pool-label LABEL         node label that names resource pools (default netweave.io/pool)
  --host ADDRESS             listen address (default 127.0.0.1; use 0.0.0.0 in a pod, with a token)
  --port N                   listen port (default 0: any free port, printed at start)
  --log-level LEVEL          fatal, error, warn, info (default), debug, trace, silent
  --config FILE              YAML or JSON with clusterId, oCloudId, site, poolLabel, stalenessSeconds, kube,
                             host, port, internalToken, metricsToken, logLevel, tls (certFile, keyFile, caFile,
                             clientCertificates: HTTPS/WSS, the gateway's listen.tls settings; docs/security.md)
  -h, --help

Environment:
  NETWEAVE_INTERNAL_TOKEN    the token the router presents (required unless this is a development setup)
  NETWEAVE_METRICS_TOKEN     bearer token Prometheus presents on /metrics (the internal token works too)
  NETWEAVE_KUBE_TOKEN        bearer token for --server
  REDIS_URL                  the gateway's Redis: change events and alarms are published there
  NETWEAVE_REDIS_SENTINELS   or the gateway's Redis Sentinels, host:port[,host:port…], with
  NETWEAVE_REDIS_SENTINEL_NAME  the master name
  NETWEAVE_REDIS_PASSWORD    password of Redis (of the master with Sentinels)
  NETWEAVE_REDIS_KEY_PREFIX  the gateway's store.keyPrefix (default netweave:)
  NETWEAVE_HELM_PATH         the helm binary of the O2 DMS job runner (default helm on PATH); the runner
                             takes this cluster's deployment jobs from the store, so it needs REDIS_URL
  NETWEAVE_DMS_NF_UNREADY_GRACE_MS  how long a pod of an instantiated NF may be unready before its
                             NfPodUnready alarm (default 60000; docs/dms.md "Fault management")
`;

/** NETWEAVE_DMS_NF_UNREADY_GRACE_MS, a positive number of milliseconds; anything else fails the start. */
export function nfUnreadyGraceFromEnv(env: NodeJS.ProcessEnv): { nfUnreadyGraceMs?: number } {
  const text = env['NETWEAVE_DMS_NF_UNREADY_GRACE_MS'];
  if (text === undefined || text === '') return {};
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(
      `NETWEAVE_DMS_NF_UNREADY_GRACE_MS must be a positive number of milliseconds, not "${text}"`,
    );
  return { nfUnreadyGraceMs: value };
}

/** The gateway's Redis as the environment names it (standalone or Sentinel); undefined when none is set. */
export function redisOptionsFromEnv(env: NodeJS.ProcessEnv): RedisStoreOptions | undefined {
  const keyPrefix = env['NETWEAVE_REDIS_KEY_PREFIX'] ?? 'netweave:';
  const password = env['NETWEAVE_REDIS_PASSWORD'] || undefined;
  const auth = password === undefined ? {} : { password };
  const sentinelList = env['NETWEAVE_REDIS_SENTINELS']?.trim();
  if (sentinelList) {
    const sentinelName = env['NETWEAVE_REDIS_SENTINEL_NAME'];
    if (!sentinelName) throw new ConfigError('NETWEAVE_REDIS_SENTINELS needs NETWEAVE_REDIS_SENTINEL_NAME');
    const sentinels = sentinelList.split(',').map((entry) => {
      const match = /^\s*([^\s:]+|\[[^\]]+\]):(\d{1,5})\s*$/.exec(entry);
      if (!match) throw new ConfigError(`NETWEAVE_REDIS_SENTINELS: "${entry}" is not host:port`);
      return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
    });
    return { sentinels, sentinelName, keyPrefix, ...auth };
  }
  const url = env['REDIS_URL'];
  return url ? { url, keyPrefix, ...auth } : undefined;
}

const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface SubgraphCommandIo {
  readonly stdout?: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Stops the subgraph (tests); SIGINT and SIGTERM always do. */
  readonly signal?: AbortSignal;
  /** Called once the subgraph is listening. */
  readonly onListening?: (urls: { readonly url: string; readonly wsUrl: string }) => void;
}

type FileSettings = Readonly<Record<string, unknown>>;

function readSettingsFile(path: string): FileSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read --config ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const value: unknown = parseYaml(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`--config ${path} must hold a mapping of settings`);
  }
  return value as FileSettings;
}

function optionalString(settings: FileSettings, key: string): string | undefined {
  const value = settings[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`setting "${key}" must be a string`);
  return value;
}

function siteFromFile(value: unknown): SiteConfig | undefined {
  if (value === undefined) return undefined;
  const site = value as { name?: unknown; location?: { globalLocationId?: unknown; name?: unknown } };
  if (
    typeof site.name !== 'string' ||
    typeof site.location?.globalLocationId !== 'string' ||
    typeof site.location.name !== 'string'
  ) {
    throw new ConfigError('setting "site" needs name, location.globalLocationId and location.name');
  }
  return value as SiteConfig;
}

function kubeFromFile(value: unknown): KubeAccessConfig | undefined {
  if (value === undefined) return undefined;
  const kube = value as Record<string, unknown>;
  if (typeof kube['kubeconfigPath'] === 'string') {
    return typeof kube['context'] === 'string'
      ? { kubeconfigPath: kube['kubeconfigPath'], context: kube['context'] }
      : { kubeconfigPath: kube['kubeconfigPath'] };
  }
  if (typeof kube['server'] === 'string') return { server: kube['server'] };
  if (kube['inCluster'] === true) return { inCluster: true };
  throw new ConfigError(
    'setting "kube" needs kubeconfigPath (and optionally context), server, or inCluster: true',
  );
}

/** Parses flags (and the --config file) into subgraph options; throws ConfigError with what to fix. */
export function parseSubgraphArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): (ClusterSubgraphOptions & { logLevel: LevelWithSilent }) | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'cluster-id': { type: 'string' },
        'o-cloud-id': { type: 'string' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        server: { type: 'string' },
        'in-cluster': { type: 'boolean' },
        'site-name': { type: 'string' },
        'site-description': { type: 'string' },
        'global-location-id': { type: 'string' },
        'location-name': { type: 'string' },
        'pool-label': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'log-level': { type: 'string' },
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)}\n\n${SUBGRAPH_USAGE}`);
  }
  const flags = parsed.values;
  if (flags.help === true) return 'help';
  const file = flags.config === undefined ? {} : readSettingsFile(flags.config);

  const clusterId = flags['cluster-id'] ?? optionalString(file, 'clusterId');
  const oCloudId = flags['o-cloud-id'] ?? optionalString(file, 'oCloudId');
  const missing: string[] = [];
  if (clusterId === undefined) missing.push('--cluster-id');
  if (oCloudId === undefined) missing.push('--o-cloud-id');

  let site = siteFromFile(file['site']);
  const siteName = flags['site-name'] ?? site?.name;
  const globalLocationId = flags['global-location-id'] ?? site?.location.globalLocationId;
  if (siteName === undefined) missing.push('--site-name');
  if (globalLocationId === undefined) missing.push('--global-location-id');

  let kube = kubeFromFile(file['kube']);
  if (flags.kubeconfig !== undefined) {
    kube =
      flags.context === undefined
        ? { kubeconfigPath: flags.kubeconfig }
        : { kubeconfigPath: flags.kubeconfig, context: flags.context };
  } else if (flags.server !== undefined) {
    kube = { server: flags.server };
  } else if (flags['in-cluster'] === true || (kube === undefined && env['KUBERNETES_SERVICE_HOST'])) {
    // Inside a pod without other settings, the pod's own cluster is meant (the Helm chart's inCluster).
    kube = { inCluster: true };
  }
  if (kube === undefined) missing.push('--kubeconfig, --server or --in-cluster');
  if (
    missing.length > 0 ||
    clusterId === undefined ||
    oCloudId === undefined ||
    siteName === undefined ||
    globalLocationId === undefined ||
    kube === undefined
  ) {
    throw new ConfigError(`netweave subgraph: missing ${missing.join(', ')}\n\n${SUBGRAPH_USAGE}`);
  }
  if ('server' in kube && env['NETWEAVE_KUBE_TOKEN'])
    kube = { server: kube.server, token: env['NETWEAVE_KUBE_TOKEN'] };

  site = {
    ...site,
    name: siteName,
    ...(flags['site-description'] === undefined ? {} : { description: flags['site-description'] }),
    location: {
      ...site?.location,
      globalLocationId,
      name: flags['location-name'] ?? site?.location.name ?? siteName,
    },
  };

  const portText = flags.port ?? (file['port'] === undefined ? undefined : String(file['port']));
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ConfigError(`--port must be 0..65535, not "${portText}"`);
  const logLevel = (flags['log-level'] ?? optionalString(file, 'logLevel') ?? 'info') as LevelWithSilent;
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const poolLabel = flags['pool-label'] ?? optionalString(file, 'poolLabel');
  const stalenessSeconds = file['stalenessSeconds'];
  if (stalenessSeconds !== undefined && (typeof stalenessSeconds !== 'number' || !(stalenessSeconds > 0)))
    throw new ConfigError('stalenessSeconds must be a positive number of seconds');
  const internalToken = env['NETWEAVE_INTERNAL_TOKEN'] || optionalString(file, 'internalToken');
  const metricsToken = env['NETWEAVE_METRICS_TOKEN'] || optionalString(file, 'metricsToken');
  const tls = file['tls'] === undefined ? undefined : listenerTlsSchema.safeParse(file['tls']);
  if (tls !== undefined && !tls.success)
    throw new ConfigError(
      `tls: ${tls.error.issues.map((i) => `${i.path.join('.') || '(tls)'}: ${i.message}`).join('; ')}`,
    );

  return {
    clusterId,
    oCloudId,
    site,
    kube,
    host: flags.host ?? optionalString(file, 'host') ?? '127.0.0.1',
    port,
    logLevel,
    ...(poolLabel === undefined ? {} : { poolLabel }),
    ...(stalenessSeconds === undefined ? {} : { stalenessSeconds }),
    ...(internalToken === undefined ? {} : { internalToken }),
    ...(metricsToken === undefined ? {} : { metricsToken }),
    ...(tls === undefined ? {} : { tls: tls.data }),
  };
}

/** `netweave subgraph …` (argv without the subcommand). Resolves once the subgraph has stopped. */
export async function runSubgraphCommand(argv: readonly string[], io: SubgraphCommandIo = {}): Promise<void> {
  const stdout = io.stdout ?? process.stdout;
  const parsed = parseSubgraphArgs(argv, io.env ?? process.env);
  if (parsed === 'help') {
    stdout.write(SUBGRAPH_USAGE);
    return;
  }
  const { logLevel, ...options } = parsed;
  const logger = createLogger(logLevel, 'cluster-subgraph');
  const env = io.env ?? process.env;
  // The gateway's state store: derived alarms and O2 change events go there. Without one the subgraph
  // still serves the graph, but publishes nothing (say so: webhooks would stay silent).
  const redis = redisOptionsFromEnv(env);
  // The Redis client and the DMS package repository are loaded only with a store: a read-only subgraph
  // (no REDIS_URL) stays small (docs/benchmarks.md "Scale": a standalone subgraph's memory).
  const [{ startClusterSubgraph }, { startTracing }] = await Promise.all([
    import('./server.ts'),
    import('../../common/tracing.ts'),
  ]);
  const tracing = await startTracing(`netweave-subgraph-${options.clusterId}`, env, (message) =>
    logger.warn(message),
  );
  const store = redis
    ? await (await import('../../state/redis-store.ts')).createRedisStore(redis)
    : undefined;
  const { PackageRepository } = store ? await import('../../dms/packages/index.ts') : {};
  if (!store) {
    logger.warn(
      'no REDIS_URL or NETWEAVE_REDIS_SENTINELS: this subgraph publishes no change events, derives no alarms and runs no DMS jobs',
    );
  }
  const subgraph = await startClusterSubgraph({
    ...options,
    logger,
    ...(store && PackageRepository
      ? {
          store,
          // The O2 DMS jobs of this cluster run here, where its credentials are (docs/dms.md).
          deployments: {
            packages: new PackageRepository(store),
            helmPath: env['NETWEAVE_HELM_PATH'] ?? 'helm',
          },
          ...nfUnreadyGraceFromEnv(env),
        }
      : {}),
  });
  io.onListening?.({ url: subgraph.url, wsUrl: subgraph.wsUrl });
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (io.signal?.aborted === true) stop();
    else io.signal?.addEventListener('abort', stop);
  });
  logger.info({ clusterId: subgraph.clusterId }, 'stopping cluster subgraph');
  await subgraph.close();
  await store?.dispose();
  await tracing?.shutdown();
}
