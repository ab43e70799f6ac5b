/**
 * The O2 DMS in the graph, on the demo topology in jwt mode: the sample package is on-boarded over vnfpkgm,
 * then a deployer creates and instantiates a VNF instance with GraphQL mutations on /graphql; edge-1 runs it
 * with the real helm binary, and the cluster graph shows the release as an NfDeployment with its pods, its
 * package and the occurrence (resolved by the hub). A reader may query but gets FORBIDDEN (403) for a
 * mutation; a task in the wrong state is CONFLICT, an unknown instance NOT_FOUND.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DmsClient,
  EDGE_1,
  sampleCsar,
  startDmsDemo,
  UNKNOWN_ID,
  VERSION,
  type DmsDemo,
} from '../conformance/dms/support.ts';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'netweave';

interface GraphAnswer {
  readonly status: number;
  readonly data?: Record<string, unknown> | null;
  readonly errors?: { message: string; extensions?: { code?: string } }[];
}

describe('O2 DMS through GraphQL mutations and the deployments graph', () => {
  let env: DmsDemo;
  let dir: string;
  let key: CryptoKey;
  let vnfdId: string;

  const token = (roles: string[]): Promise<string> =>
    new SignJWT({ roles, tenant: 'ran' })
      .setProtectedHeader({ alg: 'ES256', kid: 'test' })
      .setSubject('smo-ran')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);

  async function graphql(
    roles: string[],
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphAnswer> {
    const response = await fetch(`${env.origin}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${await token(roles)}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as Omit<GraphAnswer, 'status'>) };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nw-dms-graph-'));
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test', alg: 'ES256', use: 'sig' };
    const jwksFile = join(dir, 'jwks.json');
    await writeFile(jwksFile, JSON.stringify({ keys: [jwk] }));
    env = await startDmsDemo(
      { readinessTimeoutMs: 60_000 },
      { auth: { mode: 'jwt', jwksFile, issuer: ISSUER, audience: AUDIENCE } },
    );
    const operator = new DmsClient(env.origin, {
      Version: VERSION,
      authorization: `Bearer ${await token(['deployer'])}`,
    });
    vnfdId = (await operator.onboard(await sampleCsar())).vnfdId;
  }, 120_000);

  afterAll(async () => {
    await env?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a reader may read the DMS in the graph but not instantiate (FORBIDDEN, 403)', async () => {
    const read = await graphql(['reader'], '{ vnfInstances { id } nfDeployments { vnfInstanceId } }');
    expect(read.errors).toBeUndefined();
    const refused = await graphql(
      ['reader'],
      'mutation($id: ID!) { instantiateVnf(vnfInstanceId: $id, request: {flavourId: "small"}) { id } }',
      { id: UNKNOWN_ID },
    );
    expect(refused.status).toBe(403);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('instantiates with a mutation; the NfDeployment on edge-1 shows its pods, package and occurrence', async () => {
    const created = await graphql(
      ['deployer'],
      'mutation($request: JSON) { createVnfInstance(request: $request) { id instantiationState vnfPkgId } }',
      { request: { vnfdId, vnfInstanceName: 'cu-up-graph' } },
    );
    expect(created.errors).toBeUndefined();
    const instance = created.data!['createVnfInstance'] as { id: string; vnfPkgId: string };
    expect(created.data!['createVnfInstance']).toMatchObject({ instantiationState: 'NOT_INSTANTIATED' });

    // A client mistake keeps its REST status as the error code.
    const early = await graphql(
      ['deployer'],
      'mutation($id: ID!) { terminateVnf(vnfInstanceId: $id, request: {terminationType: "FORCEFUL"}) { id } }',
      { id: instance.id },
    );
    expect(early.errors?.map((e) => e.extensions?.code)).toEqual(['CONFLICT']);
    const unknown = await graphql(['reader'], 'query($id: ID!) { vnfInstance(id: $id) { id } }', {
      id: UNKNOWN_ID,
    });
    expect(unknown.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);

    const started = await graphql(
      ['deployer'],
      'mutation($id: ID!, $request: JSON) { instantiateVnf(vnfInstanceId: $id, request: $request) { id operation operationState } }',
      {
        id: instance.id,
        request: {
          flavourId: 'small',
          vimConnectionInfo: { edge: { vimId: EDGE_1, vimType: 'kubernetes' } },
          additionalParams: { namespace: 'nf-graph' },
        },
      },
    );
    expect(started.errors).toBeUndefined();
    const occurrence = started.data!['instantiateVnf'] as { id: string; operation: string };
    expect(occurrence.operation).toBe('INSTANTIATE');
    await expect
      .poll(
        async () => {
          const answer = await graphql(
            ['reader'],
            'query($id: ID!) { vnfLcmOpOcc(id: $id) { operationState } }',
            {
              id: occurrence.id,
            },
          );
          return (answer.data?.['vnfLcmOpOcc'] as { operationState: string } | undefined)?.operationState;
        },
        { timeout: 90_000, interval: 250 },
      )
      .toBe('COMPLETED');

    const view = await graphql(
      ['reader'],
      `
        {
          cluster(clusterId: "edge-1") {
            nfDeployments(namespace: "nf-graph") {
              vnfInstanceId
              vnfPkgId
              vnfdId
              instantiationState
              release {
                name
                status
                revision
                chart
                valuesDigest
                revisions {
                  description
                }
              }
              pods {
                name
                ready
              }
              vnfInstance {
                vnfInstanceName
                instantiationState
              }
              occurrences {
                id
                operation
                operationState
              }
            }
          }
        }
      `,
    );
    expect(view.errors).toBeUndefined();
    const [nf] = (view.data!['cluster'] as { nfDeployments: Record<string, unknown>[] }).nfDeployments;
    expect(nf).toMatchObject({
      vnfInstanceId: instance.id,
      vnfPkgId: instance.vnfPkgId,
      vnfdId,
      instantiationState: 'INSTANTIATED',
      release: {
        status: 'deployed',
        revision: 1,
        revisions: [{ description: `netweave occurrence ${occurrence.id} INSTANTIATE` }],
      },
      vnfInstance: { vnfInstanceName: 'cu-up-graph', instantiationState: 'INSTANTIATED' },
      occurrences: [{ id: occurrence.id, operation: 'INSTANTIATE', operationState: 'COMPLETED' }],
    });
    const pods = nf!['pods'] as { name: string; ready: boolean }[];
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every((pod) => pod.ready)).toBe(true);
    expect(JSON.stringify(nf)).toMatch(/"valuesDigest":"sha256:[0-9a-f]{64}"/);
  });
});
