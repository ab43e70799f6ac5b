/**
 * The O2 IMS REST shapes of provisioning (schema/o2ims-infrastructure-*.openapi.yaml): templates, provisioning
 * requests and node clusters from their graph objects, with their SOL013 attribute schemas.
 */
import type { AttributeSchema, SelectorSpec } from '../../o2/sol013/index.ts';
import type { GraphNodeCluster, GraphRequest, GraphTemplate } from './operations.ts';

export const TEMPLATE_SELECTORS: SelectorSpec = {
  schema: {
    artifactResourceId: 'uuid',
    name: 'string',
    version: 'string',
    description: 'string',
    parameterSchema: 'object',
    extensions: 'object',
  } satisfies AttributeSchema,
  defaultExcluded: [],
  mandatory: ['artifactResourceId', 'name', 'version'],
};

export function toTemplate(t: GraphTemplate): Record<string, unknown> {
  return {
    artifactResourceId: t.artifactResourceId,
    name: t.name,
    version: t.version,
    description: t.description,
    parameterSchema: t.parameterSchema,
    extensions: {
      timeoutSeconds: t.timeoutSeconds,
      compositionName: t.compositionName,
      compositeApiVersion: t.compositeApiVersion,
      compositeKind: t.compositeKind,
    },
  };
}

export const REQUEST_SELECTORS: SelectorSpec = {
  schema: {
    provisioningRequestReference: 'uuid',
    provisioningRequestData: {
      object: {
        provisioningRequestId: 'uuid',
        name: 'string',
        description: 'string',
        templateName: 'string',
        templateVersion: 'string',
        templateParameters: 'object',
      },
    },
    provisionedResourceSet: {
      object: { nodeClusterId: 'uuid', infrastructureResourceIds: { array: 'string' } },
    },
    status: {
      object: {
        updateTime: 'datetime',
        message: 'string',
        provisioningPhase: 'string',
        nodeClusterProvisioningStatus: 'object',
        infrastructureResourceProvisioningStatus: { array: 'object' },
      },
    },
  },
  defaultExcluded: [],
  mandatory: ['provisioningRequestReference', 'provisioningRequestData', 'status'],
};

const RESOURCE_PHASE: Record<string, string> = {
  PENDING: 'PROCESSING',
  PROGRESSING: 'PROCESSING',
  FULFILLED: 'PROVISIONED',
  FAILED: 'FAILED',
  DELETING: 'PROCESSING',
};

/**
 * ProvisioningRequestInfo. `provisionedResourceSet` appears once FULFILLED (before, no node cluster resolves).
 */
export function toProvisioningRequestInfo(r: GraphRequest): Record<string, unknown> {
  return {
    provisioningRequestReference: r.provisioningRequestId,
    provisioningRequestData: {
      provisioningRequestId: r.provisioningRequestId,
      name: r.name,
      description: r.description,
      templateName: r.templateName,
      templateVersion: r.templateVersion,
      templateParameters: r.templateParameters,
    },
    ...(r.nodeClusterId === null
      ? {}
      : { provisionedResourceSet: { nodeClusterId: r.nodeClusterId, infrastructureResourceIds: [] } }),
    status: {
      updateTime: r.updateTime,
      message: r.message,
      provisioningPhase: r.phase,
      nodeClusterProvisioningStatus: {
        resourceName: r.clusterId,
        resourceId: r.nodeClusterId ?? '',
        resourceProvisioningPhase: RESOURCE_PHASE[r.phase] ?? 'PROCESSING',
      },
      infrastructureResourceProvisioningStatus: [],
    },
  };
}

export const NODE_CLUSTER_SELECTORS: SelectorSpec = {
  schema: {
    nodeClusterId: 'uuid',
    clientNodeClusterId: 'uuid',
    name: 'string',
    description: 'string',
    extensions: 'object',
    clusterDistributionDescription: 'string',
    nodeClusterTypeId: 'uuid',
    artifactResourceId: 'uuid',
    clusterResourceIds: { array: 'uuid' },
    clusterResourceGroups: { array: 'uuid' },
  },
  defaultExcluded: [],
  mandatory: ['nodeClusterId', 'name'],
};

export function toNodeCluster(c: GraphNodeCluster): Record<string, unknown> {
  return {
    nodeClusterId: c.nodeClusterId,
    ...(c.clientNodeClusterId === null ? {} : { clientNodeClusterId: c.clientNodeClusterId }),
    name: c.name,
    description: c.description,
    extensions: { clusterId: c.clusterId, provisioned: c.provisioned },
    clusterDistributionDescription: 'One Kubernetes cluster at one O-Cloud site',
    nodeClusterTypeId: c.nodeClusterTypeId,
    ...(c.artifactResourceId === null ? {} : { artifactResourceId: c.artifactResourceId }),
    clusterResourceIds: [],
  };
}
