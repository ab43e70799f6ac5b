/**
 * Property: no request below the API prefix — any path segments, method, query string, with or without a
 * token — makes the facade answer a 5xx; every error it answers is a ProblemDetails document whose status is
 * the HTTP status (docs/architecture.md "Security": bad input is a 4xx, never a 500).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startGateway } from '../testing/facade-harness.ts';
import type { Gateway } from '../testing/facade-harness.ts';
import { assertConformsToOwnDocument } from '../testing/conformance.ts';
import { inventoryV1Profile, inventoryV2Profile } from './inventory-profiles.ts';
import { inventoryRoutes } from './inventory-routes.ts';
import {
  EDGE_CLUSTER,
  REGIONAL_CLUSTER,
  TYPES,
  fixtureInventory,
  poolNamed,
} from '../testing/fixture-inventory.ts';

const API = '/o2ims-infrastructureInventory';
const inventory = fixtureInventory();
const edgePool = poolNamed(inventory, EDGE_CLUSTER, 'default');
const gpuPool = poolNamed(inventory, REGIONAL_CLUSTER, 'gpu');
const KNOWN_IDS = [
  edgePool.resourcePoolId,
  gpuPool.resourcePoolId,
  gpuPool.resources[0]!.resourceId,
  edgePool.resources[0]!.resourceId,
  TYPES.gpu.resourceTypeId,
  inventory.clusters[0]!.deploymentManager.deploymentManagerId,
];

/** Ids as a client might send them: real ones, unknown ones, upper-case ones, and garbage. */
const idLike = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...KNOWN_IDS) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.uuid(), fc.boolean()).map(([uuid, upper]) => (upper ? uuid.toUpperCase() : uuid)),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '%', '%25', '%E0%A4%A', '%00', '%2F', '%FF', ';', '*', '(', '{x}', ':id'),
  },
);

const segment = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'v2',
      'v1',
      'api_versions',
      'resourcePools',
      'resources',
      'resourceTypes',
      'deploymentManagers',
      'ResourcePools',
    ),
  },
  { weight: 2, arbitrary: idLike },
  { weight: 1, arbitrary: fc.constantFrom('.', '..', '%2e%2e') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{1,12}$/) },
);

/** A route template with its parameters filled in, or (less often) free segments. */
const API_TEMPLATES = [
  { path: '/api_versions' },
  ...inventoryRoutes(inventoryV2Profile()),
  ...inventoryRoutes(inventoryV1Profile()),
].map((route) => route.path);
const pathBelowApi = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...API_TEMPLATES),
        fc.array(idLike, { minLength: 2, maxLength: 2 }),
        fc.array(segment, { maxLength: 2 }),
      )
      .map(([template, [first, second], extra]) => {
        let index = 0;
        const filled = template.replace(/\{[^}]+\}/g, () => (index++ === 0 ? first! : second!));
        return [filled, ...extra].join('/');
      }),
  },
  { weight: 2, arbitrary: fc.array(segment, { maxLength: 6 }).map((segments) => `/${segments.join('/')}`) },
);

const query = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(
      fc.constantFrom(
        'filter',
        'fields',
        'exclude_fields',
        'all_fields',
        'nextpage_opaque_marker',
        'exclude_default',
        'x',
        'a[b]',
        '__proto__',
        'constructor',
      ),
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        // Near-valid SOL013 input reaches the compiler and the graph, where a 5xx would hide.
        fc
          .tuple(
            fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'cont', 'ncont', 'EQ', ''),
            fc.constantFrom(
              'name',
              'resourceTypeId',
              'extensions/a~1b',
              'elements/description',
              'tags',
              'x/y',
              '@key',
              'alarmDictionary/vendor',
            ),
            fc.array(
              fc.oneof(fc.uuid(), fc.string({ maxLength: 8 }), fc.constantFrom("'a,''b'", '1e3', 'true')),
              { maxLength: 3 },
            ),
          )
          .map(([op, path, values]) => `(${[op, path, ...values].join(',')})`),
        fc.constantFrom(
          '1',
          '2',
          '0',
          '99999999',
          'name,extensions/labels',
          'elements/extensions',
          'true',
          'false',
        ),
      ),
    )
    .map((params) => `?${new URLSearchParams(params).toString()}`),
  fc.string({ unit: 'grapheme-ascii', maxLength: 30 }).map((raw) => `?${raw.replace(/#/g, '')}`),
);

const request = fc.record({
  path: pathBelowApi,
  method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
  query,
  token: fc.oneof(
    { weight: 7, arbitrary: fc.constant('Bearer reader-token') },
    { weight: 1, arbitrary: fc.constantFrom('Bearer outsider-token', 'Basic Zm9vOmJhcg==', undefined) },
  ),
});

let gateway: Gateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(async () => {
  await gateway[Symbol.asyncDispose]();
});

describe('robustness', () => {
  it('random paths, methods, query strings and tokens never yield a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ path: relative, method, query: search, token }) => {
        const path = `${API}${relative}${search}`;
        const headers: Record<string, string> = token === undefined ? {} : { authorization: token };
        const answer = await call(gateway, path, { method, headers });
        expect(answer.status, `${method} ${path}`).toBeLessThan(500);
        // Dot segments can climb out of the API: the rest of the server answers those, not the facade.
        const { pathname } = new URL(path, gateway.origin);
        const belowApi = pathname === API || pathname.startsWith(`${API}/`);
        if (belowApi && answer.status >= 400 && method !== 'HEAD') {
          expect(answer.contentType, `${method} ${path}`).toBe('application/problem+json; charset=utf-8');
          expect((answer.body as { status: number }).status).toBe(answer.status);
          assertConformsToOwnDocument(undefined, answer);
        }
      }),
      // fast-check reports the seed and the shrunk counterexample on failure.
      { numRuns: 400 },
    );
  });

  it('a lookup of a random well-formed id is a 404, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('resourcePools', 'resourceTypes', 'deploymentManagers'),
        fc.uuid(),
        async (collection, id) => {
          const answer = await call(gateway, `${API}/v2/${collection}/${id}`);
          expect(answer.status).toBe(404);
        },
      ),
      { numRuns: 50 },
    );
    expect(
      (await call(gateway, `${API}/v2/resourcePools/${randomUUID()}/resources/${randomUUID()}`)).status,
    ).toBe(404);
  });
});
