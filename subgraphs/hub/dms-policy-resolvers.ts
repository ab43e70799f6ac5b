/**
 * Deployment policies in the graph (schema/hub.graphql, docs/dms.md "Policy"): list, read, set and delete the
 * store's policies (dms/lifecycle/policy-store.ts). Admin only (router/graphql-authorization.ts); the REST
 * routes `/netweave/v1/policies` run these fields. A bad document is BAD_USER_INPUT naming the field's path.
 */
import { graphError } from '../../common/errors.ts';
import {
  PolicyValidationError,
  parsePolicy,
  type PolicyStore,
  type PolicyView,
} from '../../dms/lifecycle/index.ts';
import { coded } from './dms-resolvers.ts';
import type { Resolvers } from './generated/graphql.ts';

function graphPolicy(view: PolicyView): {
  policyId: string;
  origin: string;
  updatedAt: string;
  document: unknown;
} {
  return {
    policyId: view.policy.policyId,
    origin: view.origin,
    updatedAt: view.updatedAt,
    document: view.policy,
  };
}

export function dmsPolicyResolvers(policies: PolicyStore | undefined): Resolvers {
  const store = (): PolicyStore => {
    if (policies === undefined)
      throw graphError('INTERNAL_SERVER_ERROR', 'this gateway has no deployment policies');
    return policies;
  };
  return {
    Query: {
      dmsPolicies: () => coded(async () => (await store().list()).map(graphPolicy)),
      dmsPolicy: (_, args) => coded(async () => graphPolicy(await store().get(args.policyId))),
    },
    Mutation: {
      setDmsPolicy: (_, args) =>
        coded(async () => {
          let policy;
          try {
            policy = parsePolicy(args.policyId, args.policy);
          } catch (error) {
            if (error instanceof PolicyValidationError)
              throw graphError('BAD_USER_INPUT', error.message, { path: error.path });
            throw error;
          }
          const { view, created } = await store().put(policy);
          return { created, policy: graphPolicy(view) };
        }),
      deleteDmsPolicy: (_, args) =>
        coded(async () => {
          await store().delete(args.policyId);
          return args.policyId;
        }),
    },
  };
}
