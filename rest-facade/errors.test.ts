/**
 * Every error of the facade is a ProblemDetails document with the right status: unknown ids, malformed ids,
 * other methods, unknown paths, authentication, unsupported query parameters and unexpected failures.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterScopedId } from '../o2/ids.ts';
import { FixtureGraphExecutor, SECRET_IN_FAULT } from '../testing/fixture-executor.ts';
import { OUTSIDER_TOKEN, call, startGateway } from '../testing/facade-harness.ts';
import type { Gateway, HttpAnswer } from '../testing/facade-harness.ts';
import { assertConformsToOwnDocument, assertConformsToReference } from '../testing/conformance.ts';
import { REFERENCE_SKIP_NOTE, referenceSpecsAvailable } from '../testing/openapi-contract.ts';
import { EDGE_CLUSTER, REGIONAL_CLUSTER, fixtureInventory, poolNamed } from '../testing/fixture-inventory.ts';

const API = '/o2ims-infrastructureInventory';
const inventory = fixtureInventory();
const edgePool = poolNamed(inventory, EDGE_CLUSTER, 'default');
const gpuPool = poolNamed(inventory, REGIONAL_CLUSTER, 'gpu');
const generalPool = poolNamed(inventory, REGIONAL_CLUSTER, 'general');
const gpuNode = gpuPool.resources[0]!;
/** Well-formed ids that exist nowhere: one without a cluster tag, one tagged with an existing cluster. */
const UNKNOWN_ID = randomUUID();
const UNKNOWN_TAGGED_ID = clusterScopedId(REGIONAL_CLUSTER, 'ResourcePool', 'no-such-pool');

/** Answers kept for the conformance checks at the end: [OpenAPI template or undefined, answer]. */
const observed: [string | undefined, HttpAnswer][] = [];

function expectProblem(
  answer: HttpAnswer,
  status: number,
): { status: number; title: string; detail: string } {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toBe('application/problem+json; charset=utf-8');
  const body = answer.body as { status: number; title: string; detail: string };
  expect(Object.keys(body).sort()).toEqual(['detail', 'status', 'title']);
  expect(body.status).toBe(status);
  expect(body.title).not.toBe('');
  expect(body.detail).not.toBe('');
  expect(answer.text).not.toMatch(/\bat .+:\d+:\d+/); // no stack frames
  return body;
}

let gateway: Gateway;
beforeAll(async () => {
  gateway = await startGateway();
});
afterAll(async () => {
  await gateway[Symbol.asyncDispose]();
});

describe('404 for ids that do not exist', () => {
  const cases: [string, string][] = [
    [`${API}/v2/resourceTypes/{resourceTypeId}`, `${API}/v2/resourceTypes/${UNKNOWN_ID}`],
    [`${API}/v2/resourcePools/{resourcePoolId}`, `${API}/v2/resourcePools/${UNKNOWN_ID}`],
    [`${API}/v2/resourcePools/{resourcePoolId}`, `${API}/v2/resourcePools/${UNKNOWN_TAGGED_ID}`],
    [`${API}/v2/resourcePools/{resourcePoolId}/resources`, `${API}/v2/resourcePools/${UNKNOWN_ID}/resources`],
    [
      `${API}/v2/resourcePools/{resourcePoolId}/resources/{resourceId}`,
      `${API}/v2/resourcePools/${gpuPool.resourcePoolId}/resources/${UNKNOWN_ID}`,
    ],
    [`${API}/v2/deploymentManagers/{deploymentManagerId}`, `${API}/v2/deploymentManagers/${UNKNOWN_ID}`],
  ];
  it.each(cases)('GET %s with an unknown id → 404', async (template, path) => {
    const answer = await call(gateway, path);
    const problem = expectProblem(answer, 404);
    expect(problem.detail).toMatch(/was not found/);
    observed.push([template, answer]);
  });

  it('a resource addressed under a pool that is not its own → 404 (other cluster and same cluster)', async () => {
    for (const pool of [edgePool, generalPool]) {
      const answer = await call(
        gateway,
        `${API}/v2/resourcePools/${pool.resourcePoolId}/resources/${gpuNode.resourceId}`,
      );
      expect(expectProblem(answer, 404).detail).toContain(gpuNode.resourceId);
      observed.push([`${API}/v2/resourcePools/{resourcePoolId}/resources/{resourceId}`, answer]);
    }
  });
});

describe('400 for malformed input', () => {
  const MALFORMED = 'not-a-uuid-<script>';
  const cases: [string, string, string][] = [
    [`${API}/v2/resourceTypes/{resourceTypeId}`, `${API}/v2/resourceTypes/${MALFORMED}`, 'resourceTypeId'],
    [`${API}/v2/resourcePools/{resourcePoolId}`, `${API}/v2/resourcePools/${MALFORMED}`, 'resourcePoolId'],
    [
      `${API}/v2/resourcePools/{resourcePoolId}/resources`,
      `${API}/v2/resourcePools/1234/resources`,
      'resourcePoolId',
    ],
    [
      `${API}/v2/resourcePools/{resourcePoolId}/resources/{resourceId}`,
      `${API}/v2/resourcePools/${gpuPool.resourcePoolId}/resources/${MALFORMED}`,
      'resourceId',
    ],
    [
      `${API}/v2/deploymentManagers/{deploymentManagerId}`,
      `${API}/v2/deploymentManagers/${gpuNode.resourceId}x`,
      'deploymentManagerId',
    ],
  ];
  it.each(cases)(
    'GET %s with a malformed UUID → 400 naming the parameter, not echoing it',
    async (template, path, name) => {
      const before = gateway.executor.requests.length;
      const answer = await call(gateway, path);
      const problem = expectProblem(answer, 400);
      expect(problem.detail).toContain(name);
      expect(answer.text).not.toContain('script');
      expect(gateway.executor.requests.length).toBe(before); // rejected at the edge, never queried
      observed.push([template, answer]);
    },
  );

  it('an undecodable percent-encoding in a path parameter → 400, not echoed', async () => {
    const answer = await call(gateway, `${API}/v2/resourcePools/%E0%A4%A`);
    expect(expectProblem(answer, 400).detail).not.toContain('%E0');
    observed.push([`${API}/v2/resourcePools/{resourcePoolId}`, answer]);
  });

  it.each([
    ['a syntax error', '(eq,name'],
    ['an unknown attribute', '(eq,colour,blue)'],
    [
      'an operator the attribute type does not have',
      '(gt,resourcePoolId,4f6c2d9e-3b1a-4c57-9a0e-6d2f8b7c1e53)',
    ],
    ['the wrong arity', '(eq,name,a,b)'],
    ['a value of the wrong type', '(eq,resourcePoolId,not-a-uuid)'],
    ['an upper-case operator', '(EQ,name,default)'],
  ])('a filter with %s → 400 that does not echo the input', async (_case, filter) => {
    const answer = await call(gateway, `${API}/v2/resourcePools?filter=${encodeURIComponent(filter)}`);
    const problem = expectProblem(answer, 400);
    expect(problem.detail).toMatch(/filter/);
    for (const token of ['colour', 'blue', 'not-a-uuid', 'EQ']) expect(answer.text).not.toContain(token);
    observed.push([`${API}/v2/resourcePools`, answer]);
  });

  it.each([
    ['an unknown attribute', 'fields=colour'],
    ['all_fields with fields', 'all_fields&fields=name'],
    ['fields with exclude_fields', 'fields=name&exclude_fields=extensions'],
    ['an empty entry', 'exclude_fields=name,,extensions'],
    ['a bad flag value', 'all_fields=yes'],
    ['a repeated parameter', 'fields=name&fields=description'],
  ])('an attribute selector with %s → 400', async (_case, query) => {
    const answer = await call(gateway, `${API}/v2/resourcePools?${query}`);
    expectProblem(answer, 400);
    expect(answer.text).not.toContain('colour');
    observed.push([`${API}/v2/resourcePools`, answer]);
  });

  it.each([
    ['garbage', 'not-a-marker'],
    ['a page number (markers on /v2 are opaque)', '2'],
    ['a forged marker', 'eyJ2IjoxfQ.AAAA'],
  ])('a paging marker that is %s → 400', async (_case, marker) => {
    const answer = await call(gateway, `${API}/v2/resourcePools?nextpage_opaque_marker=${marker}`);
    expect(expectProblem(answer, 400).detail).toMatch(/marker/);
    observed.push([`${API}/v2/resourcePools`, answer]);
  });

  it('unknown query parameters are ignored', async () => {
    const answer = await call(gateway, `${API}/v2/resourcePools?x=1&cache-buster=7`);
    expect(answer.status).toBe(200);
    expect((answer.body as object[])[0]).toHaveProperty('extensions');
  });
});

describe('406, 413 and 415 at the HTTP edge', () => {
  it('an Accept header without JSON → 406', async () => {
    const answer = await call(gateway, `${API}/v2/resourcePools`, {
      headers: { authorization: 'Bearer reader-token', accept: 'application/xml' },
    });
    expectProblem(answer, 406);
    observed.push([undefined, answer]);
  });

  it('a body above the limit → 413, before authentication', async () => {
    const answer = await call(gateway, `${API}/v2/resourcePools`, {
      method: 'POST',
      headers: { 'content-length': String(1024 * 1024), 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024),
    });
    expectProblem(answer, 413);
    observed.push([undefined, answer]);
  });

  it('a body that is not JSON → 415', async () => {
    const answer = await call(gateway, `${API}/v2/resourcePools`, {
      method: 'GET',
      headers: { authorization: 'Bearer reader-token', 'content-type': 'text/plain', 'content-length': '5' },
      body: 'hello',
    });
    expectProblem(answer, 415);
    observed.push([undefined, answer]);
  });
});

describe('405 for other methods on known paths', () => {
  const paths = [
    `${API}/api_versions`,
    `${API}/v2`,
    `${API}/v2/resourcePools`,
    `${API}/v2/resourcePools/${edgePool.resourcePoolId}/resources/${edgePool.resources[0]!.resourceId}`,
    `${API}/v2/deploymentManagers/${UNKNOWN_ID}`,
    // A malformed id on a known path: the method is wrong whatever the id.
    `${API}/v2/resourceTypes/not-a-uuid`,
  ];
  const methods = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  it.each(paths)('%s answers 405 with Allow: GET, HEAD for every other method', async (path) => {
    for (const method of methods) {
      const answer = await call(gateway, path, { method, headers: { authorization: 'Bearer reader-token' } });
      expectProblem(answer, 405);
      expect(answer.headers.get('allow')).toBe('GET, HEAD');
      observed.push([undefined, answer]);
    }
  });
});

describe('404 for unknown paths under the API', () => {
  const paths = [
    API,
    `${API}/`,
    `${API}/v3`,
    `${API}/v3/resourcePools`,
    `${API}/v1/locations`,
    `${API}/v1/oCloudSites`,
    `${API}/v2/unknown`,
    `${API}/v2/ResourcePools`,
    `${API}/v2/resourcePools/${edgePool.resourcePoolId}/nodes`,
    `${API}/v2/resourcePools/${edgePool.resourcePoolId}/resources/${edgePool.resources[0]!.resourceId}/elements`,
  ];
  it.each(paths)('GET %s → 404 ProblemDetails', async (path) => {
    const answer = await call(gateway, path);
    expectProblem(answer, 404);
    observed.push([undefined, answer]);
  });

  it('unknown paths answer 404 whatever the method', async () => {
    const answer = await call(gateway, `${API}/v2/unknown`, { method: 'DELETE' });
    expectProblem(answer, 404);
  });

  it('leaves paths outside the API to the rest of the server', async () => {
    const answer = await call(gateway, '/o2ims-infrastructureInventoryX/v2');
    expect(answer.status).toBe(404);
    expect(answer.contentType).not.toContain('problem+json');
  });
});

describe('authentication', () => {
  it('no token → 401 with WWW-Authenticate, before any routing', async () => {
    for (const path of [`${API}/v2/resourcePools`, `${API}/v2/unknown`, `${API}/api_versions`]) {
      const answer = await call(gateway, path, { headers: {} });
      expect(expectProblem(answer, 401).detail).toBe('A valid bearer token is required.');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      observed.push([undefined, answer]);
    }
  });

  it('a token without access → 403', async () => {
    const answer = await call(gateway, `${API}/v2/resourcePools`, {
      headers: { authorization: `Bearer ${OUTSIDER_TOKEN}` },
    });
    expectProblem(answer, 403);
    expect(answer.headers.get('www-authenticate')).toBeNull();
    observed.push([`${API}/v2/resourcePools`, answer]);
  });
});

describe('failures of the graph', () => {
  it('an unexpected resolver error → 500 with a generic detail naming the logged request id, no internals', async () => {
    const executor = new FixtureGraphExecutor();
    await using faulty = await startGateway(executor);
    executor.fault = 'resolver-throws';
    const answer = await call(faulty, `${API}/v2/resourcePools`);
    const problem = expectProblem(answer, 500);
    const requestId = answer.headers.get('x-request-id')!;
    expect(problem.detail).toContain(requestId);
    expect(answer.text).not.toContain(SECRET_IN_FAULT);
    expect(answer.text).not.toContain('etcd');
    // The log line that the detail points to holds what the client was not told.
    const logged = faulty.logs.find((line) => line['requestId'] === requestId);
    expect(logged?.['level']).toBe(50);
    expect(JSON.stringify(logged)).toContain('etcd');
    observed.push([`${API}/v2/resourcePools`, answer]);
  });

  it('an executor that rejects → 500, masked', async () => {
    const executor = new FixtureGraphExecutor();
    await using faulty = await startGateway(executor);
    executor.fault = 'executor-rejects';
    const answer = await call(faulty, `${API}/v2/resourcePools/${edgePool.resourcePoolId}`);
    expectProblem(answer, 500);
    expect(answer.text).not.toContain(SECRET_IN_FAULT);
  });

  it('a coded client error from the graph keeps its status and message (BAD_USER_INPUT → 400)', async () => {
    const executor = new FixtureGraphExecutor();
    await using faulty = await startGateway(executor);
    executor.fault = 'bad-user-input';
    const answer = await call(faulty, `${API}/v2/resourcePools`);
    expect(expectProblem(answer, 400).detail).toBe('the pool listing needs a tenant scope');
  });
});

describe('conformance of the problems', () => {
  it("every problem conforms to netweave's OpenAPI document", () => {
    expect(observed.length).toBeGreaterThan(40);
    for (const [template, answer] of observed) assertConformsToOwnDocument(template, answer);
  });

  it.skipIf(!referenceSpecsAvailable)(
    `every problem conforms to the reference ProblemDetails${REFERENCE_SKIP_NOTE}`,
    () => {
      for (const [template, answer] of observed) assertConformsToReference(template, answer);
    },
  );
});
