/**
 * schema/o2ims-inventory-v2.openapi.yaml is a valid OpenAPI 3.0 document, describes exactly the routes of the
 * facade's route table, and the validators the other tests rely on do reject non-conforming bodies (so a
 * passing conformance test means something).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ajvFormats from 'ajv-formats';
import { OpenAPIBackend } from 'openapi-backend';
import { parse as parseYaml } from 'yaml';
import { OPENAPI_DOCUMENTS } from './api-documents.ts';
import { INVENTORY_SERVICE_PATH } from './api-versions.ts';
import { inventoryV1Profile, inventoryV2Profile } from './inventory-profiles.ts';
import { inventoryRoutes } from './inventory-routes.ts';
import {
  OWN_INVENTORY_DOCUMENT,
  OpenApiContract,
  REFERENCE_CLIENT_ERROR_SCHEMA,
  REFERENCE_COMMON_DOCUMENT,
  REFERENCE_INVENTORY_DOCUMENT,
  REFERENCE_SKIP_NOTE,
  REFERENCE_V1_INVENTORY_DOCUMENT,
  referenceSpecsAvailable,
} from '../testing/openapi-contract.ts';

interface OperationRow {
  readonly path: string;
  readonly method: string;
  readonly operationId: unknown;
}

function operationsOf(file: string): OperationRow[] {
  const document = parseYaml(readFileSync(file, 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method))
      .map(([method, operation]) => ({
        path,
        method,
        operationId: (operation as { operationId?: unknown }).operationId,
      })),
  );
}

/** Operations other issues own (subscriptions) share the v2 document; this test covers the inventory. */
function inventoryOperations(file: string): OperationRow[] {
  return operationsOf(file).filter((row) => !row.path.includes('/subscriptions'));
}

function tableOf(routes: readonly { path: string; operationId: string }[]): OperationRow[] {
  return [{ path: '/api_versions', operationId: 'getAllVersions' }, ...routes].map((route) => ({
    path: INVENTORY_SERVICE_PATH + route.path,
    method: 'get',
    operationId: route.operationId,
  }));
}

const TABLES = {
  v2: tableOf(inventoryRoutes(inventoryV2Profile())),
  v1: tableOf(inventoryRoutes(inventoryV1Profile())),
};
const DOCUMENTS = { v2: OWN_INVENTORY_DOCUMENT, v1: OPENAPI_DOCUMENTS.v1 };
const REFERENCES = { v2: REFERENCE_INVENTORY_DOCUMENT, v1: REFERENCE_V1_INVENTORY_DOCUMENT };

describe.each(['v2', 'v1'] as const)("netweave's inventory %s OpenAPI document", (profile) => {
  it('is a valid OpenAPI 3.0 document', async () => {
    // strict: an invalid document throws instead of warning.
    const api = new OpenAPIBackend({
      definition: DOCUMENTS[profile],
      strict: true,
      customizeAjv: (ajv) => {
        ajvFormats.default(ajv);
        return ajv;
      },
    });
    await expect(api.init()).resolves.toBeDefined();
  });

  it('describes exactly the routes of the route table, read-only, under the same operationIds', () => {
    const byPath = (a: OperationRow, b: OperationRow): number => a.path.localeCompare(b.path);
    expect(inventoryOperations(DOCUMENTS[profile]).sort(byPath)).toEqual([...TABLES[profile]].sort(byPath));
  });

  it.skipIf(!referenceSpecsAvailable)(
    `uses the reference spec's paths and operationIds for every route${REFERENCE_SKIP_NOTE}`,
    () => {
      const reference = operationsOf(REFERENCES[profile]);
      for (const row of TABLES[profile]) expect(reference).toContainEqual(row);
    },
  );
});

describe('the response validators are not vacuous', () => {
  const own = new OpenApiContract([OWN_INVENTORY_DOCUMENT]);
  const pool = {
    resourcePoolId: '8c1c151d-2899-4c96-b76f-4fe92064b57b',
    name: 'default',
    description: 'pool',
    oCloudSiteId: '7fd364a0-6d82-4e0c-a418-5c1a2f8b9c3e',
    extensions: {},
  };
  const poolsPointer = own.responseSchemaPointer(
    `${INVENTORY_SERVICE_PATH}/v2/resourcePools`,
    'get',
    200,
    'application/json',
  );

  it('accepts a conforming body and rejects graph-only fields, missing fields and malformed ids', () => {
    expect(poolsPointer).toBeDefined();
    expect(own.errors(poolsPointer!, [pool])).toEqual([]);
    expect(own.errors(poolsPointer!, [{ ...pool, clusterId: 'edge-1' }])).not.toEqual([]);
    expect(own.errors(poolsPointer!, [{ ...pool, oCloudSiteId: 'site-1' }])).not.toEqual([]);
    const { name: _dropped, ...incomplete } = pool;
    expect(own.errors(poolsPointer!, [incomplete])).not.toEqual([]);
  });

  it('checks nested elements of a resource recursively', () => {
    const pointer = own.responseSchemaPointer(
      `${INVENTORY_SERVICE_PATH}/v2/resourcePools/{resourcePoolId}/resources/{resourceId}`,
      'get',
      200,
      'application/json',
    )!;
    const resource = {
      resourceId: pool.resourcePoolId,
      resourcePoolId: pool.resourcePoolId,
      resourceTypeId: pool.resourcePoolId,
      globalAssetId: '',
      description: 'node',
      elements: [] as unknown[],
      tags: [],
      groups: [],
      extensions: {},
    };
    expect(own.errors(pointer, { ...resource, elements: [resource] })).toEqual([]);
    expect(
      own.errors(pointer, { ...resource, elements: [{ ...resource, elements: [{ resourceId: 'x' }] }] }),
    ).not.toEqual([]);
  });

  it('follows response $refs to ProblemDetails and rejects a problem without detail', () => {
    const pointer = own.responseSchemaPointer(
      `${INVENTORY_SERVICE_PATH}/v2/resourcePools/{resourcePoolId}`,
      'get',
      404,
      'application/problem+json',
    );
    expect(pointer).toBe('/components/responses/NotFound/content/application~1problem+json/schema');
    expect(own.errors(pointer!, { status: 404, title: 'Not Found', detail: 'gone' })).toEqual([]);
    expect(own.errors(pointer!, { status: 404, title: 'Not Found' })).not.toEqual([]);
  });

  it.skipIf(!referenceSpecsAvailable)(
    `reference validators resolve cross-file refs and reject bad bodies${REFERENCE_SKIP_NOTE}`,
    () => {
      const reference = new OpenApiContract([
        REFERENCE_INVENTORY_DOCUMENT,
        REFERENCE_COMMON_DOCUMENT,
        REFERENCE_CLIENT_ERROR_SCHEMA,
      ]);
      const versions = reference.responseSchemaPointer(
        `${INVENTORY_SERVICE_PATH}/api_versions`,
        'get',
        200,
        'application/json',
      )!;
      expect(reference.errors(versions, { uriPrefix: '/x', apiVersions: [{ version: '2.0.0' }] })).toEqual(
        [],
      );
      expect(reference.errors(versions, { uriPrefix: 7 })).not.toEqual([]);
      // The compliance suite types `instance` as an array: a URI string there would fail it, hence never sent.
      expect(
        reference.errors('', { status: 404, detail: 'x', instance: '/a' }, REFERENCE_CLIENT_ERROR_SCHEMA),
      ).not.toEqual([]);
    },
  );
});
