/**
 * The GraphQL operations the provisioning REST routes run on the hub (schema/hub.graphql), parsed once, through
 * the in-process executor: REST and GraphQL are one behaviour (roles, tenancy, errors).
 */
import { parse, type DocumentNode } from 'graphql';
import type { AuthContext } from '../../common/auth.ts';
import type { GraphExecutor } from '../../router/executor.ts';
import type { ProvisioningRequestData, Template } from '../../provisioning/model.ts';
import type { NodeClusterView } from '../../provisioning/node-clusters.ts';
import { readGraphResult } from '../graph-outcome.ts';

const TEMPLATE = `artifactResourceId name version description parameterSchema timeoutSeconds compositionName
  compositeApiVersion compositeKind`;
const REQUEST = `provisioningRequestId name description templateName templateVersion templateParameters phase
  message updateTime clusterId nodeClusterId`;
const NODE_CLUSTER = `nodeClusterId clusterId name description nodeClusterTypeId clientNodeClusterId
  artifactResourceId provisioned`;

/** A template as the graph answers it: the domain's, with its id and composite type as O2 strings. */
export interface GraphTemplate extends Pick<
  Template,
  'name' | 'version' | 'description' | 'parameterSchema' | 'timeoutSeconds' | 'compositionName'
> {
  readonly artifactResourceId: string;
  readonly compositeApiVersion: string;
  readonly compositeKind: string;
}

/** A request as the graph answers it: its data, flat, with its status. */
export interface GraphRequest extends ProvisioningRequestData {
  readonly phase: string;
  readonly message: string;
  readonly updateTime: string;
  readonly clusterId: string;
  readonly nodeClusterId: string | null;
}

/** The graph's NodeCluster has the fields of the domain view. */
export type GraphNodeCluster = NodeClusterView;

const DOCUMENTS = {
  templates: parse(`query Templates { managedInfrastructureTemplates { ${TEMPLATE} } }`),
  template: parse(`query Template($id: ID!) { managedInfrastructureTemplate(id: $id) { ${TEMPLATE} } }`),
  defaults: parse(`query TemplateDefaults($id: ID!) { managedInfrastructureTemplate(id: $id) { defaults } }`),
  requests: parse(`query ProvisioningRequests { provisioningRequests { ${REQUEST} } }`),
  request: parse(
    `query ProvisioningRequest($id: ID!) { provisioningRequest(provisioningRequestId: $id) { ${REQUEST} } }`,
  ),
  create: parse(
    `mutation CreateProvisioningRequest($request: JSON!) { createProvisioningRequest(request: $request) { ${REQUEST} } }`,
  ),
  replace: parse(`mutation ReplaceProvisioningRequest($id: ID!, $request: JSON!) {
    replaceProvisioningRequest(provisioningRequestId: $id, request: $request) { ${REQUEST} } }`),
  delete: parse(`mutation DeleteProvisioningRequest($id: ID!, $force: Boolean) {
    deleteProvisioningRequest(provisioningRequestId: $id, force: $force) { ${REQUEST} } }`),
  nodeClusters: parse(`query NodeClusters { nodeClusters { ${NODE_CLUSTER} } }`),
  nodeCluster: parse(`query NodeCluster($id: ID!) { nodeCluster(nodeClusterId: $id) { ${NODE_CLUSTER} } }`),
} satisfies Record<string, DocumentNode>;

export interface ProvisioningOperations {
  templates(auth: AuthContext): Promise<GraphTemplate[]>;
  template(auth: AuthContext, id: string): Promise<GraphTemplate>;
  defaults(auth: AuthContext, id: string): Promise<Record<string, unknown>>;
  requests(auth: AuthContext): Promise<GraphRequest[]>;
  request(auth: AuthContext, id: string): Promise<GraphRequest>;
  create(auth: AuthContext, body: unknown): Promise<GraphRequest>;
  replace(auth: AuthContext, id: string, body: unknown): Promise<GraphRequest>;
  delete(auth: AuthContext, id: string, force: boolean): Promise<GraphRequest>;
  nodeClusters(auth: AuthContext): Promise<GraphNodeCluster[]>;
  nodeCluster(auth: AuthContext, id: string): Promise<GraphNodeCluster>;
}

export function graphProvisioningOperations(executor: GraphExecutor): ProvisioningOperations {
  const run = async <T>(
    auth: AuthContext,
    document: DocumentNode,
    variables: Record<string, unknown> = {},
  ): Promise<T> => readGraphResult(await executor.execute<T>({ document, auth, variables })).data;
  return {
    templates: async (auth) =>
      (await run<{ managedInfrastructureTemplates: GraphTemplate[] }>(auth, DOCUMENTS.templates))
        .managedInfrastructureTemplates,
    template: async (auth, id) =>
      (await run<{ managedInfrastructureTemplate: GraphTemplate }>(auth, DOCUMENTS.template, { id }))
        .managedInfrastructureTemplate,
    defaults: async (auth, id) =>
      (
        await run<{ managedInfrastructureTemplate: { defaults: Record<string, unknown> } }>(
          auth,
          DOCUMENTS.defaults,
          { id },
        )
      ).managedInfrastructureTemplate.defaults,
    requests: async (auth) =>
      (await run<{ provisioningRequests: GraphRequest[] }>(auth, DOCUMENTS.requests)).provisioningRequests,
    request: async (auth, id) =>
      (await run<{ provisioningRequest: GraphRequest }>(auth, DOCUMENTS.request, { id })).provisioningRequest,
    create: async (auth, body) =>
      (await run<{ createProvisioningRequest: GraphRequest }>(auth, DOCUMENTS.create, { request: body }))
        .createProvisioningRequest,
    replace: async (auth, id, body) =>
      (
        await run<{ replaceProvisioningRequest: GraphRequest }>(auth, DOCUMENTS.replace, {
          id,
          request: body,
        })
      ).replaceProvisioningRequest,
    delete: async (auth, id, force) =>
      (await run<{ deleteProvisioningRequest: GraphRequest }>(auth, DOCUMENTS.delete, { id, force }))
        .deleteProvisioningRequest,
    nodeClusters: async (auth) =>
      (await run<{ nodeClusters: GraphNodeCluster[] }>(auth, DOCUMENTS.nodeClusters)).nodeClusters,
    nodeCluster: async (auth, id) =>
      (await run<{ nodeCluster: GraphNodeCluster }>(auth, DOCUMENTS.nodeCluster, { id })).nodeCluster,
  };
}
