/**
 * The `/metrics` endpoint of every netweave process (gateway, cluster subgraph): the default Node.js
 * process series plus each component's registry, concatenated in one Prometheus text answer.
 *
 * Scraping in production (docs/operations.md "Scraping"): a JWT cannot serve Prometheus (tokens must
 * expire within `auth.maxTokenLifetimeSeconds`), so both processes accept a dedicated **scrape token**
 * (`metrics.scrapeToken` / NETWEAVE_METRICS_TOKEN) as `Authorization: Bearer <token>` on `/metrics` only;
 * it grants nothing else. The gateway also accepts any authenticated caller (every role may read
 * metrics); a subgraph also accepts its internal token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Registry } from 'prom-client';

export const METRICS_PATH = '/metrics';

/** Default Node.js process metrics in a registry of their own (one per process component that asks). */
export function processMetrics(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'netweave_' });
  return registry;
}

/** Whether an `authorization` value is `Bearer <token>`; compared in constant time. */
export function bearerMatches(authorization: unknown, token: string): boolean {
  if (typeof authorization !== 'string') return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (match === null) return false;
  // Hashing first gives equal-length inputs, so timingSafeEqual leaks neither content nor length.
  const given = createHash('sha256').update(match[1]!).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected);
}

/** The Prometheus exposition of several registries (each holds distinct metric names). */
export async function metricsText(
  registries: readonly Registry[],
): Promise<{ contentType: string; body: string }> {
  const texts = await Promise.all(registries.map((r) => r.metrics()));
  return { contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: texts.join('\n') };
}
