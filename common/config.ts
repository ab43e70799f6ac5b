/**
 * The gateway's one typed configuration (DESIGN.md §7.11): a YAML/JSON file (`--config` or
 * NETWEAVE_CONFIG) overlaid with environment variables, validated once, failing fast with messages that
 * say which setting is wrong and how to fix it.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const uuid = z.string().uuid();

const shardRecord = z.object({
  clusterId: z.string().min(1).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label such as "edge-1"'),
  url: z.string().url(),
  wsUrl: z.string().url(),
});

export const gatewayConfigSchema = z
  .object({
    listen: z
      .object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(8080) })
      .default({}),
    /** Public base URL of this gateway; O2 serviceUri values are built from it. */
    publicUrl: z.string().url().optional(),
    oCloud: z
      .object({
        oCloudId: uuid.default('0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a60'),
        globalCloudId: uuid.default('0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a61'),
        name: z.string().default('netweave O-Cloud'),
        description: z.string().default('O-Cloud of Kubernetes clusters federated by netweave'),
        extensions: z.record(z.unknown()).default({}),
      })
      .default({}),
    auth: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('development') }),
        z.object({
          mode: z.literal('jwt'),
          jwksUrl: z.string().url().optional(),
          jwksFile: z.string().optional(),
          issuer: z.string().optional(),
          audience: z.string().optional(),
          rolesClaim: z.string().default('roles'),
          tenantClaim: z.string().default('tenant'),
        }),
      ])
      .default({ mode: 'development' }),
    /** Shared secret between the router and the cluster subgraphs. */
    internalToken: z.string().min(16).optional(),
    store: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('memory') }),
        z.object({
          kind: z.literal('redis'),
          url: z.string().optional(),
          sentinels: z.array(z.object({ host: z.string(), port: z.number().int() })).optional(),
          sentinelName: z.string().optional(),
          keyPrefix: z.string().default('netweave:'),
        }),
      ])
      .default({ kind: 'memory' }),
    shards: z
      .object({
        timeoutMs: z.number().int().positive().default(5_000),
        failureThreshold: z.number().int().positive().default(3),
        cooldownMs: z.number().int().positive().default(5_000),
      })
      .default({}),
    /** Clusters registered at start-up; more can be registered at runtime through the admin API. */
    clusters: z.array(shardRecord).default([]),
    graphiql: z.boolean().optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and validates; every problem is listed with its setting path. */
export function parseGatewayConfig(input: unknown, source = 'configuration'): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((i) => `  - ${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('\n');
  throw new ConfigError(`invalid ${source}:\n${problems}\nSee docs/configuration.md for every setting.`);
}

/** Environment variables that override the file, for containers. */
export function configFromEnv(env: NodeJS.ProcessEnv, base: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = structuredClone(base);
  const listen = { ...(merged['listen'] as Record<string, unknown> | undefined) };
  if (env['NETWEAVE_HOST']) listen['host'] = env['NETWEAVE_HOST'];
  if (env['NETWEAVE_PORT']) listen['port'] = Number(env['NETWEAVE_PORT']);
  if (Object.keys(listen).length > 0) merged['listen'] = listen;
  if (env['NETWEAVE_PUBLIC_URL']) merged['publicUrl'] = env['NETWEAVE_PUBLIC_URL'];
  if (env['NETWEAVE_AUTH_MODE']) merged['auth'] = { ...(merged['auth'] as object), mode: env['NETWEAVE_AUTH_MODE'] };
  if (env['NETWEAVE_INTERNAL_TOKEN']) merged['internalToken'] = env['NETWEAVE_INTERNAL_TOKEN'];
  if (env['NETWEAVE_LOG_LEVEL']) merged['logLevel'] = env['NETWEAVE_LOG_LEVEL'];
  if (env['REDIS_URL']) {
    merged['store'] = { ...(merged['store'] as object), kind: 'redis', url: env['REDIS_URL'] };
  }
  return merged;
}

export function loadGatewayConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const file = path ?? env['NETWEAVE_CONFIG'];
  let base: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read configuration file ${file}: ${(error as Error).message}`);
    }
    const parsed: unknown = parseYaml(text);
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new ConfigError(`configuration file ${file} must hold a mapping of settings`);
    }
    base = (parsed ?? {}) as Record<string, unknown>;
  }
  return parseGatewayConfig(configFromEnv(env, base), file ? `configuration (${file} + environment)` : 'configuration (environment)');
}
