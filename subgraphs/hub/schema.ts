/**
 * The hub subgraph (docs/architecture.md "The shape"): O-Cloud level data owned by the netweave installation itself. It runs
 * in-process in every gateway replica; the router calls it without a network hop.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { graphError } from '../../common/errors.ts';
import type { InventoryEventStream, InventoryStreamItem } from './inventory-events.ts';
import {
  toGraphLcmEvent,
  type LcmEventStream,
  type LcmEventsArgs,
  type LcmStreamItem,
} from './lcm-events.ts';
import type { Resolvers } from './generated/graphql.ts';
import { type HubAlarmSources, hubAlarmResolvers, mergeResolverMaps } from './alarm-resolvers.ts';
import { JSONScalar } from '../../common/json-scalar.ts';
import type { LifecycleService, PolicyStore } from '../../dms/lifecycle/index.ts';
import { dmsResolvers } from './dms-resolvers.ts';
import { dmsPackageResolvers } from './dms-package-resolvers.ts';
import { dmsPolicyResolvers } from './dms-policy-resolvers.ts';
import type { PackageTasks } from '../../dms/packages/index.ts';
import type { LcmSubscriptionService } from '../../notifier/subscriptions/lcm-subscription-service.ts';
import { seesCluster } from '../../common/tenancy.ts';
import type { ProvisioningService } from '../../provisioning/service.ts';
import { provisioningResolvers } from './provisioning-resolvers.ts';

export const HUB_SDL_PATH = fileURLToPath(new URL('../../schema/hub.graphql', import.meta.url));

export interface OCloudInfo {
  readonly oCloudId: string;
  readonly globalCloudId: string;
  readonly name: string;
  readonly description: string;
  readonly serviceUri: string;
  readonly extensions: Record<string, unknown>;
}

export interface HubSources {
  readonly oCloud: () => OCloudInfo;
  /** Registered clusters (the shard registry). */
  readonly clusterIds: () => readonly string[];
  /** The global inventory event log (inventoryChanged); without it the subscription answers an error. */
  readonly inventoryEvents?: InventoryEventStream;
  /** The DMS event log (lcmEvents); without it the subscription answers an error. */
  readonly lcmEvents?: LcmEventStream;
  /** Alarms (alarm-resolvers.ts); without them the alarm lists are empty and alarmChanged answers an error. */
  readonly alarms?: HubAlarmSources;
  /** The O2 DMS (VNF instances, occurrences, lifecycle mutations); without it those fields answer an error. */
  readonly lifecycle?: LifecycleService;
  /** NF packages (vnfPackages, package mutations); without them those fields answer an error. */
  readonly packages?: PackageTasks;
  /** LCM subscriptions (lcmSubscriptions, their mutations); without them those fields answer an error. */
  readonly lcmSubscriptions?: LcmSubscriptionService;
  /** Deployment policies (dmsPolicies, setDmsPolicy, deleteDmsPolicy); without them those fields answer an error. */
  readonly policies?: PolicyStore;
  /** O2 IMS provisioning (templates, requests, node clusters); without it the lists are empty. */
  readonly provisioning?: ProvisioningService;
}

export function buildHubSchema(sources: HubSources): GraphQLSchema {
  const resolvers: Resolvers = {
    JSON: JSONScalar,
    Query: {
      oCloud: (): OCloudInfo => sources.oCloud(),
    },
    Subscription: {
      inventoryChanged: {
        subscribe: (_, args, context) => {
          if (sources.inventoryEvents === undefined) {
            return Promise.reject(
              graphError('INTERNAL_SERVER_ERROR', 'this gateway has no inventory event log'),
            );
          }
          return sources.inventoryEvents.subscribe(args, context.auth.tenant);
        },
        // An error item (CURSOR_EXPIRED) becomes an error result; the stream goes on with the next item.
        resolve: (item: InventoryStreamItem) => {
          if (item.kind === 'error') throw item.error;
          return { ...item.event, cursor: item.cursor };
        },
      },
      lcmEvents: {
        subscribe: (_, args, context) => {
          if (sources.lcmEvents === undefined) {
            return Promise.reject(graphError('INTERNAL_SERVER_ERROR', 'this gateway has no DMS event log'));
          }
          return sources.lcmEvents.subscribe(args as LcmEventsArgs, context.auth.tenant);
        },
        resolve: (item: LcmStreamItem) => {
          if (item.kind === 'error') throw item.error;
          return toGraphLcmEvent(item);
        },
      },
    },
    OCloud: {
      clusters: (_, __, context) =>
        sources
          .clusterIds()
          .filter((clusterId) => seesCluster(context.auth.tenant, clusterId))
          .map((clusterId) => ({ __typename: 'Cluster', clusterId })),
    },
  };
  return buildSubgraphSchema([
    {
      typeDefs: parse(readFileSync(HUB_SDL_PATH, 'utf8')),
      resolvers: mergeResolverMaps(
        resolvers,
        hubAlarmResolvers(sources.alarms),
        dmsResolvers(sources.lifecycle),
        dmsPackageResolvers(sources.packages, sources.lcmSubscriptions),
        dmsPolicyResolvers(sources.policies),
        provisioningResolvers(sources.provisioning),
      ),
    },
  ]);
}
