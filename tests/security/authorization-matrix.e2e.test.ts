/**
 * The authorization matrix (issue 14 item 11, docs/security.md): every REST route — enumerated from the gateway's
 * express routers, so a new route without an entry in ROUTE_PERMISSIONS fails here — and every GraphQL root
 * field and subscription — enumerated from the supergraph schema — × every role (and no role, and no token) ×
 * own/other tenant. The expected answer comes from the one role table (common/authorization.ts): a role without
 * the permission gets 403 (REST) or FORBIDDEN (GraphQL), no token gets 401, a role with it never gets 401/403,
 * and another tenant's object is 404 for a role that could otherwise see it. Nothing answers 5xx.
 */
import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { deploymentManagerIdOf } from '../../alarms/cluster-alarm-subject.ts';
import { ROLES, type Role } from '../../common/auth.ts';
import { can, type Permission } from '../../common/authorization.ts';
import { GRAPHQL_FIELD_PERMISSIONS } from '../../router/graphql-authorization.ts';
import { expressRoutes, type ExpressRoute } from '../../testing/express-routes.ts';
import { startJwtDemo, type JwtDemo } from '../../testing/jwt-demo.ts';
import { startWebhookReceiver } from '../../testing/webhook-receiver.ts';
import { buildSupergraphApiSchema } from '../../testing/supergraph-schema.ts';
import { VERSION as DMS_VERSION, sampleCsar } from '../conformance/dms/support.ts';
/** The SOL003 fault management API's version (rest-facade/dms/vnffm.ts wants major 1). */
const VNFFM_VERSION = '1.3.0';

/** What each route needs: a permission of the role table, or nothing (`public`: probes, API descriptions). */
const ROUTE_PERMISSIONS: Readonly<Record<string, Permission | 'public'>> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'metrics:read',
  'GET /netweave/v1/clusters': 'admin',
  'PUT /netweave/v1/clusters/:clusterId': 'admin',
  'DELETE /netweave/v1/clusters/:clusterId': 'admin',
  'GET /netweave/v1/subscriptions/:subscriptionId/dead-letters': 'admin',
  'POST /netweave/v1/subscriptions/:subscriptionId/dead-letters/replay': 'admin',
  'POST /netweave/v1/subscriptions/:subscriptionId/dead-letters/:deadLetterId/replay': 'admin',
  'GET /netweave/v1/audit': 'admin',
  'GET /netweave/v1/policies': 'admin',
  'GET /netweave/v1/policies/:policyId': 'admin',
  'PUT /netweave/v1/policies/:policyId': 'admin',
  'DELETE /netweave/v1/policies/:policyId': 'admin',
  'POST /netweave/v1/alertmanager': 'alarms:write',
  'GET /o2ims-infrastructureInventory/v1/subscriptions': 'subscriptions:read',
  'POST /o2ims-infrastructureInventory/v1/subscriptions': 'subscriptions:write',
  'GET /o2ims-infrastructureInventory/v1/subscriptions/:subscriptionId': 'subscriptions:read',
  'DELETE /o2ims-infrastructureInventory/v1/subscriptions/:subscriptionId': 'subscriptions:write',
  'GET /o2ims-infrastructureInventory/v2/subscriptions': 'subscriptions:read',
  'POST /o2ims-infrastructureInventory/v2/subscriptions': 'subscriptions:write',
  'GET /o2ims-infrastructureInventory/v2/subscriptions/:subscriptionId': 'subscriptions:read',
  'DELETE /o2ims-infrastructureInventory/v2/subscriptions/:subscriptionId': 'subscriptions:write',
  'GET /o2dms/vnfpkgm/v1/vnf_packages': 'dms:read',
  'POST /o2dms/vnfpkgm/v1/vnf_packages': 'dms:write',
  'GET /o2dms/vnfpkgm/v1/vnf_packages/:vnfPkgId': 'dms:read',
  'PATCH /o2dms/vnfpkgm/v1/vnf_packages/:vnfPkgId': 'dms:write',
  'DELETE /o2dms/vnfpkgm/v1/vnf_packages/:vnfPkgId': 'dms:write',
  'GET /o2dms/vnfpkgm/v1/vnf_packages/:vnfPkgId/package_content': 'dms:read',
  'PUT /o2dms/vnfpkgm/v1/vnf_packages/:vnfPkgId/package_content': 'dms:write',
  'GET /o2dms/vnfpkgm/v1/vnf_packages/:vnfPkgId/vnfd': 'dms:read',
  'GET /o2dms/vnfpkgm/v2/vnf_packages': 'dms:read',
  'POST /o2dms/vnfpkgm/v2/vnf_packages': 'dms:write',
  'GET /o2dms/vnfpkgm/v2/vnf_packages/:vnfPkgId': 'dms:read',
  'PATCH /o2dms/vnfpkgm/v2/vnf_packages/:vnfPkgId': 'dms:write',
  'DELETE /o2dms/vnfpkgm/v2/vnf_packages/:vnfPkgId': 'dms:write',
  'GET /o2dms/vnfpkgm/v2/vnf_packages/:vnfPkgId/package_content': 'dms:read',
  'PUT /o2dms/vnfpkgm/v2/vnf_packages/:vnfPkgId/package_content': 'dms:write',
  'GET /o2dms/vnfpkgm/v2/vnf_packages/:vnfPkgId/vnfd': 'dms:read',
  'GET /o2dms/vnfpkgm/api_versions': 'api:discover',
  'GET /o2dms/vnfpkgm/v2/api_versions': 'api:discover',
  'GET /o2dms/vnffm/v1/alarms': 'dms:read',
  'GET /o2dms/vnffm/v1/alarms/:alarmId': 'dms:read',
  'PATCH /o2dms/vnffm/v1/alarms/:alarmId': 'dms:write',
  'GET /o2dms/vnffm/v1/subscriptions': 'lcm-subscriptions:read',
  'POST /o2dms/vnffm/v1/subscriptions': 'subscriptions:write',
  'GET /o2dms/vnffm/v1/subscriptions/:subscriptionId': 'lcm-subscriptions:read',
  'DELETE /o2dms/vnffm/v1/subscriptions/:subscriptionId': 'subscriptions:write',
  'GET /o2dms/vnflcm/api_versions': 'api:discover',
  'GET /o2dms/vnflcm/v2/api_versions': 'api:discover',
  'GET /o2dms/vnflcm/v2/subscriptions': 'lcm-subscriptions:read',
  'POST /o2dms/vnflcm/v2/subscriptions': 'subscriptions:write',
  'GET /o2dms/vnflcm/v2/subscriptions/:subscriptionId': 'lcm-subscriptions:read',
  'DELETE /o2dms/vnflcm/v2/subscriptions/:subscriptionId': 'subscriptions:write',
  'GET /o2dms/vnflcm/v2/vnf_instances': 'dms:read',
  'POST /o2dms/vnflcm/v2/vnf_instances': 'dms:write',
  'GET /o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId': 'dms:read',
  'PATCH /o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId': 'dms:write',
  'DELETE /o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId': 'dms:write',
  'POST /o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId/instantiate': 'dms:write',
  'POST /o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId/terminate': 'dms:write',
  'POST /o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId/scale': 'dms:write',
  'POST /o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId/scale_to_level': 'dms:write',
  'POST /o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId/heal': 'dms:write',
  'POST /o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId/change_vnfpkg': 'dms:write',
  'POST /o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId/change_flavour': 'dms:write',
  'POST /o2dms/vnflcm/v2/vnf_instances/:vnfInstanceId/change_ext_conn': 'dms:write',
  'GET /o2dms/vnflcm/v2/vnf_lcm_op_occs': 'dms:read',
  'GET /o2dms/vnflcm/v2/vnf_lcm_op_occs/:vnfLcmOpOccId': 'dms:read',
  'POST /o2dms/vnflcm/v2/vnf_lcm_op_occs/:vnfLcmOpOccId/retry': 'dms:write',
  'POST /o2dms/vnflcm/v2/vnf_lcm_op_occs/:vnfLcmOpOccId/rollback': 'dms:write',
  'POST /o2dms/vnflcm/v2/vnf_lcm_op_occs/:vnfLcmOpOccId/fail': 'dms:write',
  'POST /o2dms/vnflcm/v2/vnf_lcm_op_occs/:vnfLcmOpOccId/cancel': 'dms:write',
  'GET /o2ims-infrastructureMonitoring/api_versions': 'api:discover',
  'GET /o2ims-infrastructureMonitoring/v1/api_versions': 'api:discover',
  'GET /o2ims-infrastructureMonitoring/v1/alarms': 'alarms:read',
  'GET /o2ims-infrastructureMonitoring/v1/alarms/:alarmEventRecordId': 'alarms:read',
  'PATCH /o2ims-infrastructureMonitoring/v1/alarms/:alarmEventRecordId': 'alarms:write',
  'GET /o2ims-infrastructureMonitoring/v1/alarmSubscriptions': 'subscriptions:read',
  'POST /o2ims-infrastructureMonitoring/v1/alarmSubscriptions': 'subscriptions:write',
  'GET /o2ims-infrastructureMonitoring/v1/alarmSubscriptions/:alarmSubscriptionId': 'subscriptions:read',
  'DELETE /o2ims-infrastructureMonitoring/v1/alarmSubscriptions/:alarmSubscriptionId': 'subscriptions:write',
  'GET /o2ims-infrastructureMonitoring/v1/alarmServiceConfiguration': 'alarms:read',
  'PUT /o2ims-infrastructureMonitoring/v1/alarmServiceConfiguration': 'alarms:write',
  'PATCH /o2ims-infrastructureMonitoring/v1/alarmServiceConfiguration': 'alarms:write',
  // The live topology page: static, no data (its GraphQL calls authenticate), like the API reference pages.
  'GET /topology': 'public',
  'GET /o2ims-infrastructureMonitoring/v1/openapi.yaml': 'public',
  'GET /o2ims-infrastructureMonitoring/v1/openapi.json': 'public',
  'GET /o2ims-infrastructureMonitoring/v1/docs': 'public',
  'GET /o2ims-infrastructureInventory/v2/openapi.yaml': 'public',
  'GET /o2ims-infrastructureInventory/v2/openapi.json': 'public',
  'GET /o2ims-infrastructureInventory/v2/docs': 'public',
  'GET /o2ims-infrastructureInventory/v1/openapi.yaml': 'public',
  'GET /o2ims-infrastructureInventory/v1/openapi.json': 'public',
  'GET /o2ims-infrastructureInventory/v1/docs': 'public',
  // O2 IMS provisioning (docs/provisioning.md): templates and requests are O-Cloud administration.
  'GET /o2ims-infrastructureArtifacts/v1/managedInfrastructureTemplates': 'admin',
  'GET /o2ims-infrastructureArtifacts/v1/managedInfrastructureTemplates/:templateId': 'admin',
  'GET /o2ims-infrastructureArtifacts/v1/managedInfrastructureTemplates/:templateId/defaults': 'admin',
  'GET /o2ims-infrastructureProvisioning/v1/provisioningRequests': 'admin',
  'POST /o2ims-infrastructureProvisioning/v1/provisioningRequests': 'admin',
  'GET /o2ims-infrastructureProvisioning/v1/provisioningRequests/:provisioningRequestId': 'admin',
  'PUT /o2ims-infrastructureProvisioning/v1/provisioningRequests/:provisioningRequestId': 'admin',
  'DELETE /o2ims-infrastructureProvisioning/v1/provisioningRequests/:provisioningRequestId': 'admin',
  'GET /o2ims-infrastructureCluster/v1/nodeClusters': 'inventory:read',
  'GET /o2ims-infrastructureCluster/v1/nodeClusters/:nodeClusterId': 'inventory:read',
  'GET /o2ims-infrastructureInventory/api_versions': 'api:discover',
  'GET /o2ims-infrastructureInventory/v2/api_versions': 'api:discover',
  'GET /o2ims-infrastructureInventory/v1/api_versions': 'api:discover',
  ...Object.fromEntries(
    ['v1', 'v2'].flatMap((version) =>
      [
        '',
        '/deploymentManagers',
        '/deploymentManagers/:deploymentManagerId',
        '/resourceTypes',
        '/resourceTypes/:resourceTypeId',
        '/resourceTypes/:resourceTypeId/alarmDictionary',
        '/resourcePools',
        '/resourcePools/:resourcePoolId',
        '/resourcePools/:resourcePoolId/resources',
        '/resourcePools/:resourcePoolId/resources/:resourceId',
        '/alarmDictionaries',
        '/alarmDictionaries/:alarmDictionaryId',
        '/locations',
        '/locations/:globalLocationId',
        '/oCloudSites',
        '/oCloudSites/:oCloudSiteId',
      ].map((path) => [`GET /o2ims-infrastructureInventory/${version}${path}`, 'inventory:read' as const]),
    ),
  ),
};

/** The callers of the matrix: every role alone, and a token with no role. */
const CALLERS: ReadonlyArray<{ readonly name: string; readonly roles: readonly Role[] }> = [
  ...ROLES.map((role) => ({ name: role, roles: [role] })),
  { name: 'no role', roles: [] },
];

let gateway: JwtDemo;
let routes: ExpressRoute[];

beforeAll(async () => {
  gateway = await startJwtDemo({
    tenancy: { tenants: { red: { clusters: ['edge-a'] }, blue: { clusters: ['edge-b'] } } },
    gateway: {
      subscriptions: { callbacks: { requireHttps: false, allowLoopback: true }, probe: { enabled: false } },
    },
  });
  const found = expressRoutes(gateway.demo.gateway.app);
  // The per-deployment-manager apiRoot of the DMS is routed by a function, not a router: the same routes again.
  const perCluster = found
    .filter((route) => route.path.startsWith('/o2dms/'))
    .map((route) => ({ ...route, path: route.path.replace('/o2dms/', '/o2dms/:deploymentManagerId/') }));
  routes = [...found, ...perCluster];
}, 90_000);

afterAll(async () => {
  await gateway?.close();
});

function permissionOf(route: ExpressRoute): Permission | 'public' | undefined {
  return ROUTE_PERMISSIONS[
    `${route.method} ${route.path.replace('/o2dms/:deploymentManagerId/', '/o2dms/')}`
  ];
}

/**
 * Parameters that must name something real for the route to reach its permission check: the per-cluster DMS
 * apiRoot of red's own cluster (an unknown deployment manager is 404 for everybody, before any role check).
 */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  clusterId: 'matrix-nowhere',
  deploymentManagerId: deploymentManagerIdOf('edge-a'),
};

/** A concrete path: each parameter replaced by the given value or a fresh, well-formed id that names nothing. */
function concrete(path: string, values: Readonly<Record<string, string>> = {}): string {
  return path.replace(/:(\w+)/g, (_, name: string) => values[name] ?? PLACEHOLDERS[name] ?? randomUUID());
}

async function call(
  route: ExpressRoute,
  roles: readonly Role[] | undefined,
  tenant = 'red',
  values: Readonly<Record<string, string>> = {},
): Promise<{ status: number; text: string }> {
  // `Version`: the DMS (SOL013) requires it (vnffm its own major, 1); the other APIs ignore it.
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    version: route.path.includes('/vnffm/v1/') ? VNFFM_VERSION : DMS_VERSION,
  };
  if (roles !== undefined) headers['authorization'] = `Bearer ${await gateway.token({ tenant, roles })}`;
  if (route.method === 'PATCH') headers['content-type'] = 'application/merge-patch+json';
  const response = await fetch(`${gateway.url}${concrete(route.path, values)}`, {
    method: route.method,
    headers,
    ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { body: '{}' } : {}),
  });
  return { status: response.status, text: await response.text() };
}

describe('authorization matrix: REST', () => {
  it('every route has an entry in the matrix (a new route must be given one)', () => {
    expect(routes.length).toBeGreaterThan(90);
    const missing = routes
      .filter((route) => permissionOf(route) === undefined)
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('every route × every role: 403 without the permission, never 401/403 with it, 401 without a token, no 5xx', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const permission = permissionOf(route)!;
      const anonymous = await call(route, undefined);
      if (permission === 'public' ? anonymous.status === 401 : anonymous.status !== 401)
        wrong.push(`${route.method} ${route.path} without a token: ${anonymous.status}`);
      for (const caller of CALLERS) {
        const { status } = await call(route, caller.roles);
        const allowed = permission === 'public' || can({ roles: caller.roles }, permission);
        const ok = status < 500 && (allowed ? status !== 401 && status !== 403 : status === 403);
        if (!ok)
          wrong.push(`${route.method} ${route.path} as ${caller.name}: ${status} (allowed: ${allowed})`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('own/other tenant: another tenant’s objects are 404 for every role that may read them, 403 for the others', async () => {
    const red = (roles: Role[]): Promise<Record<string, string>> =>
      gateway.token({ tenant: 'red', roles }).then((token) => ({ authorization: `Bearer ${token}` }));
    const post = async (path: string, roles: Role[], body: unknown): Promise<Record<string, unknown>> => {
      const response = await fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: {
          ...(await red(roles)),
          'content-type': 'application/json',
          version: path.includes('/vnffm/v1/') ? VNFFM_VERSION : DMS_VERSION,
        },
        body: JSON.stringify(body),
      });
      expect(response.status, path).toBe(201);
      return (await response.json()) as Record<string, unknown>;
    };
    // Objects of tenant red: subscriptions of each API, a VNF package, and the deployment manager of its cluster.
    await using receiver = await startWebhookReceiver();
    const callback = `${receiver.url}/matrix`;
    const inventorySubscription = await post(
      '/o2ims-infrastructureInventory/v2/subscriptions',
      ['subscriber'],
      {
        callback,
      },
    );
    const alarmSubscription = await post(
      '/o2ims-infrastructureMonitoring/v1/alarmSubscriptions',
      ['subscriber'],
      {
        callback: `${callback}/alarms`,
      },
    );
    const lcmSubscription = await post('/o2dms/vnflcm/v2/subscriptions', ['subscriber'], {
      callbackUri: `${callback}/lcm`,
    });
    const fmSubscription = await post('/o2dms/vnffm/v1/subscriptions', ['subscriber'], {
      callbackUri: `${callback}/fm`,
    });
    const pkg = await post('/o2dms/vnfpkgm/v1/vnf_packages', ['deployer'], {});
    const upload = await fetch(
      `${gateway.url}/o2dms/vnfpkgm/v1/vnf_packages/${String(pkg['id'])}/package_content`,
      {
        method: 'PUT',
        headers: { ...(await red(['deployer'])), 'content-type': 'application/zip', version: DMS_VERSION },
        body: new Uint8Array(await sampleCsar()),
      },
    );
    expect(upload.status).toBe(202);
    const values: Record<string, string> = {
      subscriptionId: String(inventorySubscription['subscriptionId']),
      alarmSubscriptionId: String(alarmSubscription['alarmSubscriptionId']),
      vnfPkgId: String(pkg['id']),
      deploymentManagerId: deploymentManagerIdOf('edge-a'),
      clusterId: 'edge-a',
    };
    const lcmValues = { ...values, subscriptionId: String(lcmSubscription['id']) };
    const fmValues = { ...values, subscriptionId: String(fmSubscription['id']) };

    const reads = routes.filter(
      (route) =>
        route.method === 'GET' &&
        /:(subscriptionId|alarmSubscriptionId|vnfPkgId|deploymentManagerId)\b/.test(route.path) &&
        !route.path.includes('/vnf_instances') &&
        !route.path.includes('/vnf_lcm_op_occs') &&
        !route.path.includes('/vnf_packages/:vnfPkgId/') &&
        // No NF alarm exists in this demo: a read of one is 404 for every tenant.
        !route.path.includes('/vnffm/v1/alarms/:alarmId') &&
        !(route.path.startsWith('/o2dms/:deploymentManagerId/') && route.path.includes('vnfpkgm')) &&
        // A subscription made on the global apiRoot is not one of the per-cluster apiRoot.
        route.path !== '/o2dms/:deploymentManagerId/vnflcm/v2/subscriptions/:subscriptionId' &&
        route.path !== '/o2dms/:deploymentManagerId/vnffm/v1/subscriptions/:subscriptionId',
    );
    expect(reads.length).toBeGreaterThan(8);
    const wrong: string[] = [];
    /** Every caller of `tenant` on `route`: the status must be `expected(allowed by the role table)`. */
    const expectStatus = async (
      route: ExpressRoute,
      tenant: string,
      expected: (allowed: boolean) => number,
    ): Promise<void> => {
      const permission = permissionOf(route) as Permission;
      const routeValues = route.path.startsWith('/o2dms/vnflcm/v2/subscriptions')
        ? lcmValues
        : route.path.startsWith('/o2dms/vnffm/v1/subscriptions')
          ? fmValues
          : values;
      for (const caller of CALLERS) {
        const allowed = can({ roles: caller.roles }, permission);
        const { status } = await call(route, caller.roles, tenant, routeValues);
        if (status !== expected(allowed))
          wrong.push(`${route.method} ${route.path} as ${tenant} ${caller.name}: ${status}`);
      }
    };
    for (const route of reads) {
      await expectStatus(route, 'red', (allowed) => (allowed ? 200 : 403));
      // The deployment manager of another tenant's cluster does not exist for it: 404 before any role check.
      const perCluster = route.path.startsWith('/o2dms/:deploymentManagerId/');
      await expectStatus(route, 'blue', (allowed) => (allowed || perCluster ? 404 : 403));
    }
    // Writes of another tenant's objects: 404 with the permission (and nothing changes), 403 without.
    const writes = routes.filter(
      (route) =>
        route.method === 'DELETE' &&
        /:(subscriptionId|alarmSubscriptionId|vnfPkgId|clusterId)$/.test(route.path) &&
        !route.path.startsWith('/o2dms/:deploymentManagerId/'),
    );
    for (const route of writes) await expectStatus(route, 'blue', (allowed) => (allowed ? 404 : 403));
    expect(wrong).toEqual([]);
    // Still there for their owner.
    const own = await call(
      { method: 'GET', path: '/o2dms/vnfpkgm/v1/vnf_packages/:vnfPkgId' },
      ['reader'],
      'red',
      values,
    );
    expect(own.status).toBe(200);
  }, 120_000);
});

// ---- GraphQL ----------------------------------------------------------------------------------------------------

const schema = buildSupergraphApiSchema();

/** A literal for a required argument: well-formed, naming nothing. */
function literalOf(type: GraphQLInputType): string {
  const inner = getNullableType(type);
  if (isListType(inner)) return '[]';
  const named = getNamedType(inner);
  if (isEnumType(named)) return named.getValues()[0]!.name;
  if (isInputObjectType(named)) return '{}';
  if (isScalarType(named) && (named.name === 'Int' || named.name === 'Float')) return '1';
  if (isScalarType(named) && named.name === 'Boolean') return 'false';
  return `"${randomUUID()}"`;
}

function documentOf(operation: 'query' | 'subscription', field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((arg) => isNonNullType(arg.type));
  const argumentText =
    args.length === 0 ? '' : `(${args.map((a) => `${a.name}: ${literalOf(a.type)}`).join(', ')})`;
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${operation} { ${field.name}${argumentText}${selection} }`;
}

interface GraphAnswer {
  readonly status?: number;
  readonly errors?: ReadonlyArray<{ readonly extensions?: { readonly code?: string } }>;
}

const forbidden = (answer: GraphAnswer): boolean =>
  (answer.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN');

describe('authorization matrix: GraphQL', () => {
  const queryFields = Object.values(schema.getQueryType()!.getFields());
  const subscriptionFields = Object.values(schema.getSubscriptionType()!.getFields());

  it('every root field is in the role table', () => {
    const unmapped = [
      ...queryFields.map((f) => `Query.${f.name}`),
      ...subscriptionFields.map((f) => `Subscription.${f.name}`),
    ].filter((coordinate) => GRAPHQL_FIELD_PERMISSIONS[coordinate] === undefined);
    expect(unmapped).toEqual([]);
  });

  it('every query root field × every role: FORBIDDEN exactly where the role table refuses, 401 without a token', async () => {
    const wrong: string[] = [];
    for (const field of queryFields) {
      const permission = GRAPHQL_FIELD_PERMISSIONS[`Query.${field.name}`]!;
      const query = documentOf('query', field);
      const anonymous = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query }),
      });
      if (anonymous.status !== 401) wrong.push(`${field.name} without a token: ${anonymous.status}`);
      for (const caller of CALLERS) {
        const response = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            authorization: `Bearer ${await gateway.token({ tenant: 'red', roles: caller.roles })}`,
          },
          body: JSON.stringify({ query }),
        });
        const answer = (await response.json()) as GraphAnswer;
        const allowed = can({ roles: caller.roles }, permission);
        if (response.status >= 500 || forbidden(answer) === allowed) {
          wrong.push(
            `${field.name} as ${caller.name}: ${response.status} ${JSON.stringify(answer.errors ?? [])}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('every subscription × every role refused by the table: FORBIDDEN over graphql-ws', async () => {
    const wrong: string[] = [];
    for (const field of subscriptionFields) {
      const permission = GRAPHQL_FIELD_PERMISSIONS[`Subscription.${field.name}`]!;
      for (const caller of CALLERS.filter((c) => !can({ roles: c.roles }, permission))) {
        const client = createClient({
          url: `${gateway.url.replace('http', 'ws')}/graphql`,
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: {
            authorization: `Bearer ${await gateway.token({ tenant: 'red', roles: caller.roles })}`,
          },
        });
        try {
          const answer = await new Promise<GraphAnswer>((resolve, reject) => {
            client.subscribe(
              { query: documentOf('subscription', field) },
              {
                next: (value) => resolve(value as GraphAnswer),
                error: (error) =>
                  Array.isArray(error)
                    ? resolve({ errors: error as NonNullable<GraphAnswer['errors']> })
                    : reject(error),
                complete: () => resolve({}),
              },
            );
          });
          if (!forbidden(answer)) wrong.push(`${field.name} as ${caller.name}: ${JSON.stringify(answer)}`);
        } finally {
          await client.dispose();
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});
