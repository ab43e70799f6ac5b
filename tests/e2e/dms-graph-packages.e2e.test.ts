/**
 * NF packages and LCM subscriptions in the graph, on the demo topology in jwt mode (docs/dms.md "GraphQL"): a
 * deployer on-boards the sample CSAR with mutations only (create, upload as base64, disable, delete) and the
 * vnfpkgm REST API shows the same package; a subscriber subscribes a real receiver on 127.0.0.1 by mutation
 * (the test GET reaches it once, a duplicate answers the existing subscription without probing again), lists
 * it without its authentication and deletes it. A reader may query both but gets FORBIDDEN for every mutation;
 * another tenant's package and subscription are NOT_FOUND.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.ts';
import { sampleCsar, startDmsDemo, type DmsDemo } from '../conformance/dms/support.ts';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'netweave';
const PACKAGE_FIELDS =
  'id vnfdId vnfProvider onboardingState operationalState usageState userDefinedData checksum additionalArtifacts';
const SUBSCRIPTION_FIELDS = 'id callbackUri verbosity filter clusterId';

interface GraphAnswer {
  readonly status: number;
  readonly data?: Record<string, unknown> | null;
  readonly errors?: { message: string; extensions?: { code?: string } }[];
}

describe('NF packages and LCM subscriptions through GraphQL', () => {
  let env: DmsDemo;
  let dir: string;
  let key: CryptoKey;
  let receiver: WebhookReceiver;

  const token = (roles: string[], tenant = 'ran'): Promise<string> =>
    new SignJWT({ roles, tenant })
      .setProtectedHeader({ alg: 'ES256', kid: 'test' })
      .setSubject(`smo-${tenant}`)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);

  async function graphql(
    roles: string[],
    query: string,
    variables: Record<string, unknown> = {},
    tenant = 'ran',
  ): Promise<GraphAnswer> {
    const response = await fetch(`${env.origin}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${await token(roles, tenant)}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as Omit<GraphAnswer, 'status'>) };
  }

  const codes = (answer: GraphAnswer): (string | undefined)[] =>
    (answer.errors ?? []).map((error) => error.extensions?.code);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nw-dms-graph-pkg-'));
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test', alg: 'ES256', use: 'sig' };
    const jwksFile = join(dir, 'jwks.json');
    await writeFile(jwksFile, JSON.stringify({ keys: [jwk] }));
    receiver = await startWebhookReceiver();
    env = await startDmsDemo(
      {},
      {
        auth: { mode: 'jwt', jwksFile, issuer: ISSUER, audience: AUDIENCE },
        // The receivers are on 127.0.0.1 over http.
        subscriptions: { callbacks: { requireHttps: false, allowLoopback: true } },
      },
    );
  }, 120_000);

  afterAll(async () => {
    await env?.close();
    await receiver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('on-boards, disables and deletes a package with mutations; REST shows the same package', async () => {
    const created = await graphql(
      ['deployer'],
      `mutation($request: JSON) { createVnfPackage(request: $request) { ${PACKAGE_FIELDS} } }`,
      { request: { userDefinedData: { site: 'edge-1' } } },
    );
    expect(created.errors).toBeUndefined();
    const pkg = created.data!['createVnfPackage'] as { id: string };
    expect(pkg).toMatchObject({
      onboardingState: 'CREATED',
      operationalState: 'DISABLED',
      usageState: 'NOT_IN_USE',
      userDefinedData: { site: 'edge-1' },
      vnfdId: null,
    });

    // The request is validated as on REST: same code (400 → BAD_USER_INPUT) and detail.
    const bad = await graphql(['deployer'], 'mutation { createVnfPackage(request: {nope: 1}) { id } }');
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.message).toBe('a CreateVnfPkgInfoRequest holds userDefinedData only');

    const notBase64 = await graphql(
      ['deployer'],
      'mutation($id: ID!) { uploadVnfPackageContent(vnfPkgId: $id, contentBase64: "%%%") { id } }',
      { id: pkg.id },
    );
    expect(codes(notBase64)).toEqual(['BAD_USER_INPUT']);

    const uploaded = await graphql(
      ['deployer'],
      `mutation($id: ID!, $content: String!) { uploadVnfPackageContent(vnfPkgId: $id, contentBase64: $content) { ${PACKAGE_FIELDS} } }`,
      { id: pkg.id, content: (await sampleCsar()).toString('base64') },
    );
    expect(uploaded.errors).toBeUndefined();
    const onboarded = uploaded.data!['uploadVnfPackageContent'] as Record<string, unknown>;
    expect(onboarded).toMatchObject({
      id: pkg.id,
      onboardingState: 'ONBOARDED',
      operationalState: 'ENABLED',
      vnfProvider: 'netweave',
      checksum: { algorithm: 'SHA-256' },
    });
    expect(typeof onboarded['vnfdId']).toBe('string');

    // A second upload is a CONFLICT (REST's 409).
    const again = await graphql(
      ['deployer'],
      'mutation($id: ID!) { uploadVnfPackageContent(vnfPkgId: $id, contentBase64: "UEsFBg==") { id } }',
      { id: pkg.id },
    );
    expect(codes(again)).toEqual(['CONFLICT']);

    // One package, two views: REST's VnfPkgInfo has the same identity and states.
    const rest = await fetch(`${env.origin}/o2dms/vnfpkgm/v1/vnf_packages/${pkg.id}`, {
      headers: { authorization: `Bearer ${await token(['reader'])}` },
    });
    expect(rest.status).toBe(200);
    expect(await rest.json()).toMatchObject({
      id: pkg.id,
      vnfdId: onboarded['vnfdId'],
      onboardingState: 'ONBOARDED',
      operationalState: 'ENABLED',
    });

    // A reader sees it; another tenant does not (NOT_FOUND, as for an unknown id).
    const listed = await graphql(['reader'], '{ vnfPackages { id } }');
    expect(listed.data!['vnfPackages']).toContainEqual({ id: pkg.id });
    const foreign = await graphql(
      ['reader'],
      'query($id: ID!) { vnfPackage(vnfPkgId: $id) { id } }',
      { id: pkg.id },
      'core',
    );
    expect(codes(foreign)).toEqual(['NOT_FOUND']);
    expect((await graphql(['reader'], '{ vnfPackages { id } }', {}, 'core')).data!['vnfPackages']).toEqual(
      [],
    );

    const enabledDelete = await graphql(
      ['deployer'],
      'mutation($id: ID!) { deleteVnfPackage(vnfPkgId: $id) }',
      {
        id: pkg.id,
      },
    );
    expect(codes(enabledDelete)).toEqual(['CONFLICT']);
    const disabled = await graphql(
      ['deployer'],
      'mutation($id: ID!) { modifyVnfPackage(vnfPkgId: $id, request: {operationalState: "DISABLED"}) }',
      { id: pkg.id },
    );
    expect(disabled.data).toEqual({ modifyVnfPackage: { operationalState: 'DISABLED' } });
    const deleted = await graphql(['deployer'], 'mutation($id: ID!) { deleteVnfPackage(vnfPkgId: $id) }', {
      id: pkg.id,
    });
    expect(deleted.data).toEqual({ deleteVnfPackage: pkg.id });
    const gone = await graphql(['reader'], 'query($id: ID!) { vnfPackage(vnfPkgId: $id) { id } }', {
      id: pkg.id,
    });
    expect(codes(gone)).toEqual(['NOT_FOUND']);
  });

  it('subscribes a real receiver by mutation, answers a duplicate with the existing one, never the credentials', async () => {
    const request = {
      callbackUri: `${receiver.url}/lcm-graph`,
      filter: { notificationTypes: ['VnfLcmOperationOccurrenceNotification'] },
      verbosity: 'SHORT',
      authentication: { authType: ['BASIC'], paramsBasic: { userName: 'smo', password: 's3cret' } },
    };
    const create = `mutation($request: JSON) { createLcmSubscription(request: $request) { subscription { ${SUBSCRIPTION_FIELDS} } duplicate } }`;
    const before = receiver.requests.length;
    const created = await graphql(['subscriber'], create, { request });
    expect(created.errors).toBeUndefined();
    const first = created.data!['createLcmSubscription'] as {
      subscription: { id: string };
      duplicate: boolean;
    };
    expect(first).toMatchObject({
      duplicate: false,
      subscription: {
        callbackUri: request.callbackUri,
        verbosity: 'SHORT',
        filter: request.filter,
        clusterId: null,
      },
    });
    // The test GET reached the receiver with the subscription's BASIC credentials.
    expect(receiver.requests.length).toBe(before + 1);
    expect(receiver.requests[before]).toMatchObject({ method: 'GET' });
    expect(receiver.requests[before]!.headers.authorization).toBe(
      `Basic ${Buffer.from('smo:s3cret').toString('base64')}`,
    );

    const duplicate = await graphql(['subscriber'], create, { request });
    expect(duplicate.data!['createLcmSubscription']).toMatchObject({
      duplicate: true,
      subscription: { id: first.subscription.id },
    });
    expect(receiver.requests.length).toBe(before + 1);

    // A callback the policy refuses (link-local: SSRF) is UNPROCESSABLE (REST's 422), nothing stored.
    const refused = await graphql(['subscriber'], create, {
      request: { callbackUri: 'http://169.254.169.254/lcm' },
    });
    expect(codes(refused)).toEqual(['UNPROCESSABLE']);
    const invalid = await graphql(['subscriber'], create, { request: { callbackUri: 42 } });
    expect(codes(invalid)).toEqual(['BAD_USER_INPUT']);

    // Readers list subscriptions; the schema has no place for the credentials.
    const listed = await graphql(['reader'], `{ lcmSubscriptions { ${SUBSCRIPTION_FIELDS} } }`);
    expect(listed.errors).toBeUndefined();
    expect(JSON.stringify(listed.data)).not.toContain('s3cret');
    expect((listed.data!['lcmSubscriptions'] as { id: string }[]).map((s) => s.id)).toContain(
      first.subscription.id,
    );
    const noSecrets = await graphql(['reader'], '{ lcmSubscriptions { id authentication } }');
    expect(noSecrets.status).toBe(400);

    // Another tenant has no such subscription.
    const foreign = await graphql(
      ['reader'],
      'query($id: ID!) { lcmSubscription(id: $id) { id } }',
      { id: first.subscription.id },
      'core',
    );
    expect(codes(foreign)).toEqual(['NOT_FOUND']);

    const deleted = await graphql(['subscriber'], 'mutation($id: ID!) { deleteLcmSubscription(id: $id) }', {
      id: first.subscription.id,
    });
    expect(deleted.data).toEqual({ deleteLcmSubscription: first.subscription.id });
    const again = await graphql(['subscriber'], 'mutation($id: ID!) { deleteLcmSubscription(id: $id) }', {
      id: first.subscription.id,
    });
    expect(codes(again)).toEqual(['NOT_FOUND']);
  });

  it('a reader may query packages and subscriptions but every mutation is FORBIDDEN (403)', async () => {
    const read = await graphql(['reader'], '{ vnfPackages { id } lcmSubscriptions { id } }');
    expect(read.errors).toBeUndefined();
    for (const mutation of [
      'mutation { createVnfPackage { id } }',
      'mutation { modifyVnfPackage(vnfPkgId: "x", request: {}) }',
      'mutation { deleteVnfPackage(vnfPkgId: "x") }',
      'mutation { uploadVnfPackageContent(vnfPkgId: "x", contentBase64: "") { id } }',
      `mutation { createLcmSubscription(request: {callbackUri: "${receiver.url}/r"}) { duplicate } }`,
      'mutation { deleteLcmSubscription(id: "x") }',
    ]) {
      const refused = await graphql(['reader'], mutation);
      expect(refused.status, mutation).toBe(403);
      expect(codes(refused), mutation).toEqual(['FORBIDDEN']);
    }
    // A deployer may not subscribe (subscriptions:write is subscriber or admin), as on REST.
    const deployer = await graphql(
      ['deployer'],
      `mutation { createLcmSubscription(request: {callbackUri: "${receiver.url}/d"}) { duplicate } }`,
    );
    expect(codes(deployer)).toEqual(['FORBIDDEN']);
  });
});
