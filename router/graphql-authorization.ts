/**
 * GraphQL authorization (docs/security.md): the fields of the public graph mapped to the permissions of the one
 * role table (common/authorization.ts), checked on every operation before it runs — over HTTP, graphql-ws and
 * in-process (the REST facade) alike, since all three go through the gateway's envelop.
 *
 * Root fields decide what an operation reads; a nested field is checked only when it crosses into another
 * domain (alarms reached from inventory objects). A root field missing from the table is refused to everyone
 * but admins, so a field added to a subgraph is closed until it is given a permission here.
 */
import {
  GraphQLError,
  TypeInfo,
  getNamedType,
  isObjectType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { AuthContext } from '../common/auth.ts';
import { can, deniedDetail, type Permission } from '../common/authorization.ts';

/** Schema coordinates (`Type.field`) → permission. Root fields must all be listed (a test checks it). */
export const GRAPHQL_FIELD_PERMISSIONS: Readonly<Record<string, Permission>> = {
  'Query.oCloud': 'inventory:read',
  'Query.clusters': 'inventory:read',
  'Query.cluster': 'inventory:read',
  'Query.deploymentManagers': 'inventory:read',
  'Query.deploymentManager': 'inventory:read',
  'Query.resourcePools': 'inventory:read',
  'Query.resourcePool': 'inventory:read',
  'Query.deploymentManagersConnection': 'inventory:read',
  'Query.resourcePoolsConnection': 'inventory:read',
  'Query.resourcesConnection': 'inventory:read',
  'Query.resources': 'inventory:read',
  'Query.resource': 'inventory:read',
  'Query.resourceTypes': 'inventory:read',
  'Query.resourceType': 'inventory:read',
  'Query.oCloudSites': 'inventory:read',
  'Query.oCloudSite': 'inventory:read',
  'Query.locations': 'inventory:read',
  'Query.location': 'inventory:read',
  'Query.alarmDictionaries': 'inventory:read',
  'Query.alarmDictionary': 'inventory:read',
  'Query.helmReleases': 'dms:read',
  'Query.nfDeployments': 'dms:read',
  'Query.vnfInstances': 'dms:read',
  'Query.vnfInstance': 'dms:read',
  'Query.vnfLcmOpOccs': 'dms:read',
  'Query.vnfLcmOpOcc': 'dms:read',
  // O2 DMS tasks: the roles of their vnflcm REST twins.
  'Mutation.createVnfInstance': 'dms:write',
  'Mutation.deleteVnfInstance': 'dms:write',
  'Mutation.modifyVnfInstance': 'dms:write',
  'Mutation.instantiateVnf': 'dms:write',
  'Mutation.terminateVnf': 'dms:write',
  'Mutation.scaleVnf': 'dms:write',
  'Mutation.scaleVnfToLevel': 'dms:write',
  'Mutation.healVnf': 'dms:write',
  'Mutation.changeCurrentVnfPkg': 'dms:write',
  'Mutation.changeVnfFlavour': 'dms:write',
  'Mutation.changeExtVnfConnectivity': 'dms:write',
  'Mutation.retryVnfLcmOpOcc': 'dms:write',
  'Mutation.rollbackVnfLcmOpOcc': 'dms:write',
  'Mutation.failVnfLcmOpOcc': 'dms:write',
  'Mutation.cancelVnfLcmOpOcc': 'dms:write',
  // NF packages and LCM subscriptions: the roles of their vnfpkgm and vnflcm subscriptions REST twins.
  'Query.vnfPackages': 'dms:read',
  'Query.vnfPackage': 'dms:read',
  'Mutation.createVnfPackage': 'dms:write',
  'Mutation.modifyVnfPackage': 'dms:write',
  'Mutation.deleteVnfPackage': 'dms:write',
  'Mutation.uploadVnfPackageContent': 'dms:write',
  'Query.lcmSubscriptions': 'lcm-subscriptions:read',
  'Query.lcmSubscription': 'lcm-subscriptions:read',
  'Mutation.createLcmSubscription': 'subscriptions:write',
  'Mutation.deleteLcmSubscription': 'subscriptions:write',
  // Deployment policies: admins only, like their REST twins /netweave/v1/policies.
  'Query.dmsPolicies': 'admin',
  'Query.dmsPolicy': 'admin',
  'Mutation.setDmsPolicy': 'admin',
  'Mutation.deleteDmsPolicy': 'admin',
  // Alarms: the roles of their monitoring REST twins (GET /alarms/{id}; PATCH acknowledge or clear).
  'Query.alarm': 'alarms:read',
  'Mutation.acknowledgeAlarm': 'alarms:write',
  'Mutation.clearAlarm': 'alarms:write',
  'Subscription.inventoryChanged': 'inventory:read',
  'Subscription.liveInventoryChanged': 'inventory:read',
  'Subscription.topologyChanged': 'inventory:read',
  'Subscription.topology': 'inventory:read',
  'Subscription.alarmChanged': 'alarms:read',
  'Subscription.lcmEvents': 'dms:read',
  // O2 IMS provisioning and artifacts (docs/provisioning.md): administration of the O-Cloud itself. Node
  // clusters are inventory (every cluster of the O-Cloud, configured or provisioned).
  'Query.managedInfrastructureTemplates': 'admin',
  'Query.managedInfrastructureTemplate': 'admin',
  'Query.provisioningRequests': 'admin',
  'Query.provisioningRequest': 'admin',
  'Query.nodeClusters': 'inventory:read',
  'Query.nodeCluster': 'inventory:read',
  'Mutation.createProvisioningRequest': 'admin',
  'Mutation.replaceProvisioningRequest': 'admin',
  'Mutation.deleteProvisioningRequest': 'admin',
  'Subscription.provisioningRequestChanged': 'admin',
  // Alarms reached from inventory objects need the alarm permission as well.
  'OCloud.alarms': 'alarms:read',
  'Cluster.alarms': 'alarms:read',
  'ResourcePool.alarms': 'alarms:read',
  'Resource.alarms': 'alarms:read',
  // Deployments reached from a cluster need the DMS permission as well.
  'Cluster.helmReleases': 'dms:read',
  'Cluster.nfDeployments': 'dms:read',
  // Credentials of the DMS Kubernetes native profile (docs/security.md).
  'DeploymentManager.adminProfileData': 'admin',
};

/** Introspection reveals the schema only, never data: any role may read it. */
const INTROSPECTION_PERMISSION: Permission = 'api:discover';
/** Root fields nobody mapped: admins only (closed by default). */
const UNMAPPED_ROOT_PERMISSION: Permission = 'admin';

export function forbiddenError(detail: string): GraphQLError {
  return new GraphQLError(detail, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

/** The permission of a field, or undefined when the field needs nothing beyond its parent's. */
function permissionOf(coordinate: string, fieldName: string, isRoot: boolean): Permission | undefined {
  if (fieldName === '__typename') return undefined;
  if (fieldName === '__schema' || fieldName === '__type') return INTROSPECTION_PERMISSION;
  const mapped = GRAPHQL_FIELD_PERMISSIONS[coordinate];
  if (mapped !== undefined) return mapped;
  return isRoot ? UNMAPPED_ROOT_PERMISSION : undefined;
}

/** What a document reads that needs a permission: each coordinate once, in document order. */
interface Requirement {
  readonly coordinate: string;
  readonly permission: Permission;
}

/**
 * Per schema and document (documents are cached objects: Yoga's parse cache, the REST facade's operations):
 * what they require does not depend on the caller, so the walk over the document runs once, not per request.
 */
const requirementsBySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly Requirement[]>>();

function requirementsOf(schema: GraphQLSchema, document: DocumentNode): readonly Requirement[] {
  let byDocument = requirementsBySchema.get(schema);
  if (byDocument === undefined) requirementsBySchema.set(schema, (byDocument = new WeakMap()));
  const known = byDocument.get(document);
  if (known !== undefined) return known;
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
      .filter((type) => type != null)
      .map((type) => type.name),
  );
  const typeInfo = new TypeInfo(schema);
  const required = new Map<string, Permission>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        const parentType = getNamedType(parent);
        const coordinate = `${parentType.name}.${node.name.value}`;
        if (required.has(coordinate)) return;
        const permission = permissionOf(
          coordinate,
          node.name.value,
          isObjectType(parentType) && roots.has(parentType.name),
        );
        if (permission !== undefined) required.set(coordinate, permission);
      },
    }),
  );
  const requirements = [...required].map(([coordinate, permission]) => ({ coordinate, permission }));
  byDocument.set(document, requirements);
  return requirements;
}

/** The errors (one per refused field) for the fields of `document` the caller may not read; empty when allowed. */
export function authorizeDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  auth: Pick<AuthContext, 'roles'>,
): GraphQLError[] {
  return requirementsOf(schema, document)
    .filter(({ permission }) => !can(auth, permission))
    .map(({ coordinate, permission }) => forbiddenError(deniedDetail(permission, `reading ${coordinate}`)));
}

interface AuthCarrier {
  auth?: AuthContext;
}

/**
 * The envelop plugin: refuses an operation with FORBIDDEN errors (and no data) when it selects a field the
 * caller's roles do not grant. Authentication happened before parsing (router/gateway.ts); a context without
 * auth is a wiring bug and is refused too.
 */
export function useFieldAuthorization(): GatewayPlugin {
  const check = (
    schema: GraphQLSchema,
    document: DocumentNode,
    contextValue: unknown,
  ): GraphQLError[] | undefined => {
    const auth = (contextValue as AuthCarrier | undefined)?.auth;
    if (auth === undefined) return [forbiddenError('no authenticated caller')];
    const errors = authorizeDocument(schema, document, auth);
    return errors.length > 0 ? errors : undefined;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = check(args.schema, args.document, args.contextValue);
      if (errors) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = check(args.schema, args.document, args.contextValue);
      if (errors) setResultAndStopExecution({ errors });
    },
  };
}
