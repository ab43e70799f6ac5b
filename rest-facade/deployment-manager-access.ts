/**
 * The DMS Kubernetes native profile of a DeploymentManager with access data (docs/security.md, "Deployment
 * manager credentials"): an admin caller gets `extensions.profileData` with the endpoint, the CA and the
 * credentials that work with kubectl against `serviceUri` (`admin_user`, `admin_token` or
 * `admin_client_cert`/`admin_client_key`), on both profiles. Everyone else gets the endpoint and CA only on
 * /v2 and no profileData on /v1, as before; change events and notifications never carry credentials, since
 * they are a separate graph field (`DeploymentManager.adminProfileData`, admin only at the router and in the
 * cluster subgraph) that only this step reads.
 */
import { can } from '../common/authorization.ts';
import { query } from './documents.ts';
import type { RouteContext } from './route-table.ts';

const DEPLOYMENT_MANAGER_ROUTES: ReadonlySet<string> = new Set([
  'getDeploymentManagers',
  'getDeploymentManager',
]);

const ADMIN_PROFILE_DATA = query(
  'DeploymentManagerAdminProfileData',
  '',
  'deploymentManagers { deploymentManagerId adminProfileData }',
);

type JsonRecord = Record<string, unknown>;

/**
 * The v4 profile data members the O-RAN SC it-test schema requires whenever profileData is present. A member
 * that does not apply (no CA on a plain-HTTP endpoint, no client certificate with token access) is an empty
 * string there, the schema's own default; /v2 leaves it out.
 */
const V1_REQUIRED = [
  'cluster_api_endpoint',
  'cluster_ca_cert',
  'admin_user',
  'admin_client_cert',
  'admin_client_key',
];

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The answer body, with the admin profile data in each deployment manager whose `extensions` were selected. */
export async function withAdminProfileData(
  operationId: string,
  body: unknown,
  context: Pick<RouteContext, 'auth' | 'execute' | 'profile'>,
): Promise<unknown> {
  if (!DEPLOYMENT_MANAGER_ROUTES.has(operationId) || !can(context.auth, 'admin')) return body;
  const items = Array.isArray(body) ? body : [body];
  if (!items.some((item) => isRecord(item) && isRecord(item['extensions']))) return body;
  const result = await context.execute(ADMIN_PROFILE_DATA, {});
  const profiles = new Map<string, JsonRecord>();
  const managers = isRecord(result.data) ? result.data['deploymentManagers'] : undefined;
  // A cluster that does not answer leaves its manager as it is (the answer says which clusters are missing).
  for (const manager of Array.isArray(managers) ? managers : []) {
    if (!isRecord(manager) || !isRecord(manager['adminProfileData'])) continue;
    const data = manager['adminProfileData'];
    const filled =
      context.profile === 'v1'
        ? { ...Object.fromEntries(V1_REQUIRED.map((name) => [name, ''])), ...data }
        : data;
    profiles.set(String(manager['deploymentManagerId']), filled);
  }
  const enrich = (item: unknown): unknown => {
    if (!isRecord(item) || !isRecord(item['extensions'])) return item;
    const profileData = profiles.get(String(item['deploymentManagerId']));
    if (profileData === undefined) return item;
    return { ...item, extensions: { ...item['extensions'], profileData } };
  };
  return Array.isArray(body) ? body.map(enrich) : enrich(body);
}
