/**
 * Differential test of the read paths (issue 16): for a set of routes, filters, selectors and pages of both
 * profiles, on the demo topology,
 *
 *   - the cached gateway's first answer, its repeat (from the answer cache) and the answer of a second gateway
 *     without answer cache are the same bytes, page by page;
 *   - every GraphQL operation the facade ran in-process (through the router's direct path for queries that
 *     only the cluster subgraph answers, router/direct-execution.ts) gives the same data and error codes when
 *     Hive Gateway plans and projects it (`Router.executeThroughGateway`; not POST /graphql: the facade's
 *     operations use arguments the public supergraph hides, docs/graphql.md "Internals").
 */
import { print, type DocumentNode, type ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { startGateway, type GatewayProcess } from '../../cli/gateway.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import type { GraphRequest } from '../../router/executor.ts';

const API = '/o2ims-infrastructureInventory';
const PAGE_SIZE = 3;
const logger = createLogger('silent');

interface Recorded {
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown>;
  readonly auth: GraphRequest['auth'];
  readonly result: ExecutionResult;
}

let demo: Demo;
let uncached: GatewayProcess;
const recorded: Recorded[] = [];

beforeAll(async () => {
  demo = await startDemo({
    port: 0,
    timeline: false,
    logger,
    gateway: { logLevel: 'silent', inventory: { pageSize: PAGE_SIZE, cache: { maxAgeMs: 60_000 } } },
  });
  uncached = await startGateway(
    parseGatewayConfig({
      listen: { host: '127.0.0.1', port: 0 },
      internalToken: demo.internalToken,
      logLevel: 'silent',
      inventory: { pageSize: PAGE_SIZE, cache: { maxAgeMs: 0 } },
      clusters: [...demo.subgraphs.values()].map((s) => ({
        clusterId: s.clusterId,
        url: s.url,
        wsUrl: s.wsUrl,
      })),
    }),
    { logger },
  );
  // Every in-process operation of the cached gateway's facade, with what it answered.
  const executor = demo.gateway.router.executor;
  const execute = executor.execute.bind(executor);
  (executor as { execute: typeof execute }).execute = async <TData>(request: GraphRequest) => {
    const result = await execute<TData>(request);
    recorded.push({
      document: request.document,
      operationName: request.operationName,
      variables: request.variables ?? {},
      auth: request.auth,
      result: result as ExecutionResult,
    });
    return result;
  };
}, 120_000);

afterAll(async () => {
  await uncached?.close();
  await demo?.close();
});

async function get(origin: string, path: string): Promise<{ status: number; text: string; next?: string }> {
  const response = await fetch(origin + path);
  const next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1];
  // The O-Cloud's serviceUri names the gateway that answered.
  const text = (await response.text()).replaceAll(origin, '$ORIGIN');
  return { status: response.status, text, ...(next ? { next } : {}) };
}

/** A link target below the origin that issued it. */
function pathOf(link: string): string {
  const url = new URL(link, 'http://placeholder');
  return url.pathname + url.search;
}

/** Every page of `path` on both gateways, compared byte for byte (cached twice, uncached once). */
async function compare(path: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let cachedPath: string | undefined = path;
  let uncachedPath: string | undefined = path;
  for (let page = 0; cachedPath !== undefined; page++) {
    expect(page).toBeLessThan(100);
    const first = await get(demo.gateway.url, cachedPath);
    const repeat = await get(demo.gateway.url, cachedPath);
    const plain = await get(uncached.url, uncachedPath!);
    expect(repeat, `${cachedPath} repeated`).toEqual(first);
    expect(plain.status, `${cachedPath}: ${plain.text}`).toBe(first.status);
    expect(plain.text, `${cachedPath} uncached`).toBe(first.text);
    // Markers carry their expiry, so the two gateways' links differ; each gateway follows its own.
    expect(plain.next === undefined).toBe(first.next === undefined);
    const body = JSON.parse(first.text) as unknown;
    if (Array.isArray(body)) items.push(...(body as unknown[]));
    else items.push(body);
    cachedPath = first.next === undefined ? undefined : pathOf(first.next);
    uncachedPath = plain.next === undefined ? undefined : pathOf(plain.next);
  }
  return items;
}

function idsOf(items: unknown[], key: string): string[] {
  return items.map((item) => String((item as Record<string, unknown>)[key]));
}

describe('cached, uncached and GraphQL answers are the same', () => {
  it('for every route of both profiles, with filters, selectors and pages', async () => {
    const pools = await compare(`${API}/v2/resourcePools`);
    const poolIds = idsOf(pools, 'resourcePoolId');
    expect(poolIds.length).toBeGreaterThan(1);
    const firstPool = pools[0] as Record<string, unknown>;
    await compare(
      `${API}/v2/resourcePools?filter=${encodeURIComponent(`(eq,name,${String(firstPool['name'])})`)}`,
    );
    await compare(`${API}/v2/resourcePools?fields=resourcePoolId,name`);
    for (const poolId of poolIds) {
      const list = `${API}/v2/resourcePools/${poolId}/resources`;
      const resources = await compare(list);
      await compare(`${API}/v2/resourcePools/${poolId}`);
      const sample = resources[0] as Record<string, unknown> | undefined;
      if (sample === undefined) continue;
      await compare(`${list}/${String(sample['resourceId'])}`);
      await compare(`${list}/${String(sample['resourceId'])}?exclude_fields=elements`);
      const filter = `(eq,resourceTypeId,${String(sample['resourceTypeId'])});(cont,description,${String(sample['description']).slice(0, 4)})`;
      await compare(`${list}?filter=${encodeURIComponent(filter)}`);
      await compare(`${list}?fields=resourceId,description`);
    }
    for (const [list, id] of [
      ['/deploymentManagers', 'deploymentManagerId'],
      ['/resourceTypes', 'resourceTypeId'],
      ['/alarmDictionaries', 'alarmDictionaryId'],
      ['/locations', 'globalLocationId'],
      ['/oCloudSites', 'oCloudSiteId'],
    ] as const) {
      const items = await compare(`${API}/v2${list}`);
      for (const itemId of idsOf(items, id).slice(0, 2)) await compare(`${API}/v2${list}/${itemId}`);
    }
    const types = idsOf(
      await compare(`${API}/v2/resourceTypes?exclude_fields=alarmDictionaryId`),
      'resourceTypeId',
    );
    await compare(`${API}/v2/resourceTypes/${types[0]!}/alarmDictionary`);
    await compare(`${API}/v2`);
    await compare(`${API}/v2/resourcePools/${poolIds[0]!}/resources/00000000-0000-0000-0000-000000000000`);
    await compare(`${API}/v1`);
    for (const list of ['/deploymentManagers', '/resourceTypes', '/resourcePools', '/alarmDictionaries'])
      await compare(`${API}/v1${list}?all_fields`);
    const v1Pools = idsOf(await compare(`${API}/v1/resourcePools?exclude_default`), 'resourcePoolId');
    await compare(`${API}/v1/resourcePools/${v1Pools[0]!}/resources`);
  }, 240_000);

  it('every operation the facade ran in-process answers the same through Hive Gateway', async () => {
    expect(recorded.length).toBeGreaterThan(20);
    const seen = new Set<string>();
    for (const call of recorded) {
      const query = print(call.document);
      const key = JSON.stringify([query, call.operationName, call.variables]);
      if (seen.has(key)) continue;
      seen.add(key);
      const throughGateway = await demo.gateway.router.executeThroughGateway({
        document: call.document,
        ...(call.operationName === undefined ? {} : { operationName: call.operationName }),
        variables: call.variables,
        auth: call.auth,
      });
      const planned = JSON.parse(JSON.stringify(throughGateway)) as ExecutionResult;
      const codes = (result: ExecutionResult): unknown[] =>
        (result.errors ?? []).map((e) => e.extensions?.['code']).sort();
      expect(planned.data, `${call.operationName} ${JSON.stringify(call.variables)}`).toEqual(
        JSON.parse(JSON.stringify(call.result.data ?? null)),
      );
      expect(codes(planned)).toEqual(codes(call.result));
    }
  }, 120_000);
});
