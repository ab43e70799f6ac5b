/**
 * Interoperability with what SMOs and the O-RAN SC compliance suite expect (issue 17), end to end on the demo
 * topology with JWT authentication (roles matter here) and real parts: a webhook receiver on loopback, kubectl
 * against the simulated clusters, the demo's spare cluster registered and removed through the admin API.
 *
 * - subscription filters name object attributes (`resourcePoolId`, `resourceTypeId`) as pti-o2 clients do;
 * - the deployment manager's Kubernetes native profile gives admins access data that works with kubectl;
 * - registering a cluster creates only what is new to the O-Cloud; removing it deletes only what no other
 *   cluster has;
 * - the Monitoring API serves its OpenAPI document and reference page like the inventory's;
 * - an acknowledged alarm carries both `alarmAcknowledgedTime` and `alarmAcknowledgeTime`.
 */
import { execFile } from 'node:child_process';
import { get } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../cli/demo.ts';
import { createLogger } from '../../common/log.ts';
import { kubectlPath } from '../../testing/kube-tools.ts';
import {
  startWebhookReceiver,
  type ReceivedRequest,
  type WebhookReceiver,
} from '../../testing/webhook-receiver.ts';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'netweave';
const V2 = '/o2ims-infrastructureInventory/v2';
const V1 = '/o2ims-infrastructureInventory/v1';
const MONITORING = '/o2ims-infrastructureMonitoring/v1';

let demo: Demo;
let dir: string;
let signingKey: CryptoKey;
const tokens: Record<'admin' | 'reader' | 'subscriber' | 'maintainer', string> = {
  admin: '',
  reader: '',
  subscriber: '',
  maintainer: '',
};

async function token(roles: string[]): Promise<string> {
  return new SignJWT({ roles, tenant: 'operator' })
    .setProtectedHeader({ alg: 'ES256', kid: 'test' })
    .setSubject(`smo-${roles.join('-')}`)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(signingKey);
}

async function call(
  path: string,
  as: keyof typeof tokens | undefined,
  init: { method?: string; body?: unknown; contentType?: string } = {},
): Promise<{ status: number; body: unknown; text: string }> {
  const headers: Record<string, string> = {};
  if (as !== undefined) headers['authorization'] = `Bearer ${tokens[as]}`;
  if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  const response = await fetch(demo.gateway.url + path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

type Json = Record<string, unknown>;

async function list(path: string, as: keyof typeof tokens = 'reader'): Promise<Json[]> {
  const answer = await call(path, as);
  expect(answer.status, answer.text).toBe(200);
  return answer.body as Json[];
}

const run = promisify(execFile);

async function kubectl(args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(kubectlPath(), args, { timeout: 30_000 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

async function subscribe(receiver: WebhookReceiver, filter?: string): Promise<string> {
  const answer = await call(`${V2}/subscriptions`, 'subscriber', {
    method: 'POST',
    body: { callback: `${receiver.url}/notify`, ...(filter === undefined ? {} : { filter }) },
  });
  expect(answer.status, answer.text).toBe(201);
  return String((answer.body as Json)['subscriptionId']);
}

function objectPath(notification: ReceivedRequest): string {
  return new URL(String(notification.body?.['objectRef'])).pathname;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netweave-interop-'));
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test', alg: 'ES256', use: 'sig' };
  const jwksFile = join(dir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify({ keys: [jwk] }));
  tokens.admin = await token(['admin']);
  tokens.reader = await token(['reader']);
  tokens.subscriber = await token(['subscriber']);
  tokens.maintainer = await token(['maintainer']);
  demo = await startDemo({
    port: 0,
    kubeconfigDir: join(dir, 'kubeconfigs'),
    spare: 'minimal',
    logger: createLogger('silent'),
    gateway: {
      logLevel: 'silent',
      auth: { mode: 'jwt', jwksFile, issuer: ISSUER, audience: AUDIENCE },
      subscriptions: { probe: { enabled: false }, callbacks: { requireHttps: false, allowLoopback: true } },
    },
  });
}, 90_000);

afterAll(async () => {
  await demo?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('subscription filters on object attributes (pti-o2 shorthand)', () => {
  it('accepts resourcePoolId/resourceTypeId; a node moved out of the pool matches through its prior state', async () => {
    const edgePool = (await list(`${V2}/resourcePools?filter=(eq,name,edge);(cont,description,edge-1)`))[0]!;
    const poolId = String(edgePool['resourcePoolId']);
    const type = (await list(`${V2}/resourceTypes`))[0]!;
    await using everything = await startWebhookReceiver();
    await using notPool = await startWebhookReceiver();
    await using byType = await startWebhookReceiver();
    await subscribe(everything);
    // Exclusion semantics: events about the pool's resources are NOT notified, including the move out.
    await subscribe(notPool, `(eq,resourcePoolId,${poolId})`);
    expect(
      (
        await call(`${V2}/subscriptions`, 'subscriber', {
          method: 'POST',
          body: {
            callback: `${byType.url}/notify`,
            filter: `(eq,resourceTypeId,${String(type['resourceTypeId'])})`,
          },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(`${V2}/subscriptions`, 'subscriber', {
          method: 'POST',
          body: { callback: `${byType.url}/other`, filter: '(eq,resourcePool,x)' },
        })
      ).status,
    ).toBe(400);

    const kubeconfig = join(dir, 'kubeconfigs', 'edge-1.kubeconfig');
    const moved = await kubectl([
      '--kubeconfig',
      kubeconfig,
      'label',
      'node',
      'edge-1-node-03',
      'netweave.io/pool=moved',
      '--overwrite',
    ]);
    expect(moved.ok, moved.output).toBe(true);
    const isMove = (n: ReceivedRequest): boolean =>
      n.body?.['notificationEventType'] === 1 &&
      objectPath(n).includes(`/resourcePools/`) &&
      objectPath(n).includes('/resources/') &&
      (n.body['priorObjectState'] as Json | undefined)?.['resourcePoolId'] === poolId;
    await everything.waitFor((ns) => ns.some(isMove), 'the MODIFY that moves edge-1-node-03 out of the pool');
    // The new pool's CREATE reaches both; by then the move (an earlier event) has been judged for notPool.
    const newPool = (n: ReceivedRequest): boolean =>
      n.body?.['notificationEventType'] === 0 &&
      objectPath(n).includes('/resourcePools/') &&
      !objectPath(n).includes('/resources/');
    await everything.waitFor((ns) => ns.some(newPool), 'the CREATE of pool "moved"');
    await notPool.waitFor((ns) => ns.some(newPool), 'the CREATE of pool "moved" (not excluded)');
    expect(notPool.notifications.filter(isMove)).toEqual([]);
  });
});

describe('DeploymentManager Kubernetes native profile', () => {
  it('gives admins access data that works with kubectl; without the token the cluster answers 401', async () => {
    const [manager] = await list(`${V2}/deploymentManagers?filter=(eq,name,edge-2)`, 'admin');
    const profile = (manager!['extensions'] as Json)['profileData'] as Record<string, string>;
    expect(Object.keys(profile).sort()).toEqual([
      'admin_token',
      'admin_user',
      'cluster_api_endpoint',
      'cluster_ca_cert',
    ]);
    expect(profile['cluster_api_endpoint']).toBe(manager!['serviceUri']);
    const caFile = join(dir, 'edge-2-ca.pem');
    await writeFile(caFile, Buffer.from(profile['cluster_ca_cert']!, 'base64'));
    const server = [
      '--kubeconfig',
      '/dev/null',
      '--server',
      profile['cluster_api_endpoint']!,
      '--certificate-authority',
      caFile,
    ];
    const allowed = await kubectl([...server, '--token', profile['admin_token']!, 'get', 'namespaces']);
    expect(allowed.ok, allowed.output).toBe(true);
    expect(allowed.output).toMatch(/kube-system\s+Active/);
    const refused = await kubectl([...server, '--token', 'not-the-token', 'get', 'namespaces']);
    expect(refused.ok).toBe(false);
    expect(refused.output).toMatch(/Unauthorized/);
    // Without any token the API server answers 401 (over TLS, trusting the published CA).
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(
        `${profile['cluster_api_endpoint']!}/api/v1/namespaces`,
        { ca: Buffer.from(profile['cluster_ca_cert']!, 'base64') },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      ).on('error', reject);
    });
    expect(status).toBe(401);
  });

  it('readers get the endpoint and CA only (v2) or no profileData (v1); the graph field is admin-only', async () => {
    const [reader] = await list(`${V2}/deploymentManagers?filter=(eq,name,edge-2)`, 'reader');
    const profile = (reader!['extensions'] as Json)['profileData'] as Json;
    expect(Object.keys(profile).sort()).toEqual(['cluster_api_endpoint', 'cluster_ca_cert']);
    const [v1Reader] = await list(`${V1}/deploymentManagers?all_fields`, 'reader');
    expect(v1Reader!['extensions']).not.toHaveProperty('profileData');
    const [v1Admin] = await list(`${V1}/deploymentManagers?all_fields`, 'admin');
    expect(Object.keys((v1Admin!['extensions'] as Json)['profileData'] as Json)).toEqual(
      expect.arrayContaining([
        'cluster_api_endpoint',
        'cluster_ca_cert',
        'admin_user',
        'admin_client_cert',
        'admin_client_key',
      ]),
    );
    const graph = await fetch(`${demo.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.reader}` },
      body: JSON.stringify({ query: '{ deploymentManagers { name adminProfileData } }' }),
    });
    const result = (await graph.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('runtime registration', () => {
  it('creates only objects new to the O-Cloud and deletes shared types only with their last cluster', async () => {
    await using receiver = await startWebhookReceiver();
    await subscribe(receiver);
    const typesBefore = new Set((await list(`${V2}/resourceTypes`)).map((t) => String(t['resourceTypeId'])));
    const spare = demo.spares.get('edge-min')!;
    const put = await call('/netweave/v1/clusters/edge-min', 'admin', {
      method: 'PUT',
      body: { url: spare.url, wsUrl: spare.wsUrl },
    });
    expect(put.status, put.text).toBe(201);
    const about = (kind: string, change: number) => (n: ReceivedRequest) =>
      n.body?.['notificationEventType'] === change && objectPath(n).includes(`/${kind}/`);
    await receiver.waitFor((ns) => ns.some(about('deploymentManagers', 0)), 'the CREATE of edge-min');
    await receiver.waitFor((ns) => ns.some(about('resources', 0)), 'the CREATEs of its nodes');
    const createdTypes = receiver.notifications
      .filter(about('resourceTypes', 0))
      .map((n) => objectPath(n).split('/').at(-1)!);
    const typesAfter = (await list(`${V2}/resourceTypes`)).map((t) => String(t['resourceTypeId']));
    // Only types nobody had before were created; edge-min shares some with the demo's clusters.
    expect(createdTypes.filter((id) => typesBefore.has(id))).toEqual([]);
    expect(new Set(createdTypes)).toEqual(new Set(typesAfter.filter((id) => !typesBefore.has(id))));

    // edge-min does report types the demo's clusters had: those were the ones not created again.
    const spareTypes = new Set<string>();
    for (const pool of await list(`${V2}/resourcePools?filter=(cont,description,edge-min)`)) {
      for (const resource of await list(`${V2}/resourcePools/${String(pool['resourcePoolId'])}/resources`)) {
        spareTypes.add(String(resource['resourceTypeId']));
        for (const element of resource['elements'] as Json[])
          spareTypes.add(String(element['resourceTypeId']));
      }
    }
    expect([...spareTypes].filter((id) => typesBefore.has(id)).length).toBeGreaterThan(0);

    const removed = await call('/netweave/v1/clusters/edge-min', 'admin', { method: 'DELETE' });
    expect(removed.status).toBe(204);
    await receiver.waitFor((ns) => ns.some(about('deploymentManagers', 2)), 'the DELETE of edge-min');
    const deletedTypes = receiver.notifications
      .filter(about('resourceTypes', 2))
      .map((n) => objectPath(n).split('/').at(-1)!);
    expect(new Set(deletedTypes)).toEqual(new Set(createdTypes));
    expect((await list(`${V2}/resourceTypes`)).map((t) => String(t['resourceTypeId'])).sort()).toEqual(
      [...typesBefore].sort(),
    );
    // No notification ever carries credentials.
    for (const n of receiver.notifications) expect(n.rawBody).not.toContain('admin_token');
  });
});

describe('Monitoring API documents and alarm acknowledgement', () => {
  it('serves openapi.json, openapi.yaml and /docs without a token, naming the server the caller used', async () => {
    const json = await call(`${MONITORING}/openapi.json`, undefined);
    expect(json.status).toBe(200);
    const document = json.body as { paths: Json; servers: { variables: { apiRoot: { default: string } } }[] };
    expect(Object.keys(document.paths)).toContain(`${MONITORING}/alarms`);
    expect(document.servers[0]!.variables.apiRoot.default).toBe(demo.gateway.url);
    expect((await call(`${MONITORING}/openapi.yaml`, undefined)).text).toContain('openapi:');
    const page = await call(`${MONITORING}/docs`, undefined);
    expect(page.status).toBe(200);
    expect(page.text).toContain('openapi.json');
    expect((await call(`${MONITORING}/alarms`, undefined)).status).toBe(401);
  });

  it('an acknowledged alarm carries alarmAcknowledgedTime and alarmAcknowledgeTime', async () => {
    let alarm: Json | undefined;
    await expect
      .poll(
        async () => {
          alarm = (await list(`${MONITORING}/alarms?filter=(eq,alarmAcknowledged,false)`, 'maintainer'))[0];
          return alarm !== undefined;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const id = String(alarm!['alarmEventRecordId']);
    const patched = await call(`${MONITORING}/alarms/${id}`, 'maintainer', {
      method: 'PATCH',
      body: { alarmAcknowledged: true },
      contentType: 'application/merge-patch+json',
    });
    expect(patched.status, patched.text).toBe(200);
    const read = (await call(`${MONITORING}/alarms/${id}`, 'maintainer')).body as Json;
    expect(read['alarmAcknowledgedTime']).toEqual(expect.any(String));
    expect(read['alarmAcknowledgeTime']).toBe(read['alarmAcknowledgedTime']);
  });
});
