/**
 * NF packages (SOL005 vnfpkgm) and LCM subscriptions (SOL003) in the graph (schema/hub.graphql, docs/dms.md
 * "GraphQL"): queries and mutations over the same domain tasks as the REST routes (dms/packages/tasks.ts,
 * notifier/subscriptions/lcm-subscription-service.ts), whose routes run these fields in the gateway. Roles are in
 * router/graphql-authorization.ts; here the caller's tenant (and apiRoot cluster) scopes every record.
 */
import type { GraphContext } from '../../common/graphql-context.ts';
import { graphError } from '../../common/errors.ts';
import { packageInfoOf, type PackageTasks } from '../../dms/packages/index.ts';
import {
  lcmSubscriptionView,
  type LcmSubscriptionService,
} from '../../notifier/subscriptions/lcm-subscription-service.ts';
import { bodyOf, coded, scopeOf } from './dms-resolvers.ts';
import type { Resolvers } from './generated/graphql.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function dmsPackageResolvers(
  packages: PackageTasks | undefined,
  subscriptions: LcmSubscriptionService | undefined,
): Resolvers {
  const packageTasks = (): PackageTasks => {
    if (packages === undefined) throw graphError('INTERNAL_SERVER_ERROR', 'this gateway has no NF packages');
    return packages;
  };
  const lcmSubscriptions = (): LcmSubscriptionService => {
    if (subscriptions === undefined)
      throw graphError('INTERNAL_SERVER_ERROR', 'this gateway has no LCM subscriptions');
    return subscriptions;
  };
  const tenantOf = (context: GraphContext): string => context.auth.tenant.name;

  return {
    Query: {
      vnfPackages: (_, __, context) =>
        coded(async () => (await packageTasks().list(tenantOf(context))).map(packageInfoOf)),
      vnfPackage: (_, args, context) =>
        coded(async () => packageInfoOf(await packageTasks().get(tenantOf(context), args.vnfPkgId))),
      lcmSubscriptions: (_, args, context) =>
        coded(async () =>
          (await lcmSubscriptions().list(scopeOf(context, args.clusterId)))
            .map(lcmSubscriptionView)
            .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
        ),
      lcmSubscription: (_, args, context) =>
        coded(async () =>
          lcmSubscriptionView(await lcmSubscriptions().get(scopeOf(context, args.clusterId), args.id)),
        ),
    },
    Mutation: {
      createVnfPackage: (_, args, context) =>
        coded(async () => packageInfoOf(await packageTasks().create(tenantOf(context), bodyOf(args)))),
      modifyVnfPackage: (_, args, context) =>
        coded(() => packageTasks().modify(tenantOf(context), args.vnfPkgId, bodyOf(args))),
      deleteVnfPackage: (_, args, context) =>
        coded(async () => {
          await packageTasks().delete(tenantOf(context), args.vnfPkgId);
          return args.vnfPkgId;
        }),
      uploadVnfPackageContent: (_, args, context) =>
        coded(async () => {
          const tasks = packageTasks();
          const tenant = tenantOf(context);
          const record = await tasks.acceptsUpload(tenant, args.vnfPkgId);
          const text = args.contentBase64.replace(/\s+/g, '');
          // Refused from its length, before decoding: base64 holds 3 bytes in 4 characters.
          const limit = tasks.packages.limits.maxContentBytes;
          if (text.length > Math.ceil(limit / 3) * 4) return tasks.refuseOversized(record.id, limit);
          if (!BASE64.test(text) || text.length % 4 !== 0)
            throw graphError('BAD_USER_INPUT', 'contentBase64 is not base64');
          const content = Buffer.from(text, 'base64');
          if (content.length > limit) return tasks.refuseOversized(record.id, limit);
          return packageInfoOf(await tasks.upload(tenant, record.id, content));
        }),
      createLcmSubscription: (_, args, context) =>
        coded(async () => {
          const { subscription, duplicate } = await lcmSubscriptions().create(
            { principal: context.auth.principal, requestId: context.auth.requestId },
            scopeOf(context, args.clusterId),
            bodyOf(args),
          );
          return { subscription: lcmSubscriptionView(subscription), duplicate };
        }),
      deleteLcmSubscription: (_, args, context) =>
        coded(async () => {
          await lcmSubscriptions().delete(scopeOf(context, args.clusterId), args.id);
          return args.id;
        }),
    },
    VnfPackage: {
      vnfdId: (p) => p.vnfdId ?? null,
      vnfProvider: (p) => p.vnfProvider ?? null,
      vnfProductName: (p) => p.vnfProductName ?? null,
      vnfSoftwareVersion: (p) => p.vnfSoftwareVersion ?? null,
      vnfdVersion: (p) => p.vnfdVersion ?? null,
      checksum: (p) => p.checksum ?? null,
      additionalArtifacts: (p) => p.additionalArtifacts ?? null,
      onboardingFailureDetails: (p) => p.onboardingFailureDetails ?? null,
    },
    LcmSubscription: {
      filter: (s) => s.filter ?? null,
      clusterId: (s) => s.clusterId ?? null,
    },
  };
}
