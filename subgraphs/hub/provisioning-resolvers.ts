/**
 * O2 IMS provisioning in the graph (schema/hub.graphql, docs/provisioning.md): templates, provisioning
 * requests, node clusters and the provisioning-request subscription over the provisioning service, whose REST
 * routes (rest-facade/provisioning/) run these fields. Roles are in router/graphql-authorization.ts (admin);
 * the caller's tenant scopes the clusters it sees.
 */
import { graphError } from '../../common/errors.ts';
import type { GraphContext } from '../../common/graphql-context.ts';
import { seesCluster } from '../../common/tenancy.ts';
import type { ProvisioningService } from '../../provisioning/service.ts';
import { schemaDefaults } from '../../provisioning/templates.ts';
import type { Resolvers } from './generated/graphql.ts';

export function provisioningResolvers(service: ProvisioningService | undefined): Resolvers {
  const provisioning = (): ProvisioningService => {
    if (service === undefined)
      throw graphError(
        'NOT_FOUND',
        'provisioning is not configured on this gateway (provisioning.management, docs/provisioning.md)',
      );
    return service;
  };
  const sees = (context: GraphContext, clusterId: string): boolean =>
    seesCluster(context.auth.tenant, clusterId);
  const visible = <T extends { clusterId: string }>(context: GraphContext, item: T): T => {
    if (!sees(context, item.clusterId)) throw graphError('NOT_FOUND', 'no object has this id');
    return item;
  };

  return {
    Query: {
      managedInfrastructureTemplates: () => (service === undefined ? [] : [...service.templates()]),
      managedInfrastructureTemplate: (_, args) => provisioning().template(args.id),
      provisioningRequests: (_, __, context) =>
        service === undefined ? [] : service.requests().filter((r) => sees(context, r.clusterId)),
      provisioningRequest: (_, args, context) =>
        visible(context, provisioning().request(args.provisioningRequestId)),
      nodeClusters: (_, __, context) =>
        service === undefined ? [] : service.nodeClusters().filter((c) => sees(context, c.clusterId)),
      nodeCluster: (_, args, context) => visible(context, provisioning().nodeCluster(args.nodeClusterId)),
    },
    Mutation: {
      createProvisioningRequest: (_, args) => provisioning().create(args.request),
      replaceProvisioningRequest: (_, args, context) => {
        visible(context, provisioning().request(args.provisioningRequestId));
        return provisioning().replace(args.provisioningRequestId, args.request);
      },
      deleteProvisioningRequest: (_, args, context) => {
        visible(context, provisioning().request(args.provisioningRequestId));
        return provisioning().delete(args.provisioningRequestId, args.force === true);
      },
    },
    Subscription: {
      provisioningRequestChanged: {
        subscribe: async function* (_, __, context) {
          for await (const change of provisioning().changes())
            if (sees(context, change.request.clusterId)) yield change;
        },
        resolve: (change: unknown) => change as never,
      },
    },
    ManagedInfrastructureTemplate: {
      artifactResourceId: (t) => t.templateId,
      compositeApiVersion: (t) => `${t.compositeType.group}/${t.compositeType.version}`,
      compositeKind: (t) => t.compositeType.kind,
      defaults: (t) => schemaDefaults(t.parameterSchema),
    },
    ProvisioningRequest: {
      provisioningRequestId: (r) => r.data.provisioningRequestId,
      name: (r) => r.data.name,
      description: (r) => r.data.description,
      templateName: (r) => r.data.templateName,
      templateVersion: (r) => r.data.templateVersion,
      templateParameters: (r) => r.data.templateParameters,
      phase: (r) => r.status.provisioningPhase,
      message: (r) => r.status.message,
      updateTime: (r) => r.status.updateTime,
    },
  };
}
