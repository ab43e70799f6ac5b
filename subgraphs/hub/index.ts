/**
 * The hub subgraph, assembled in one place (docs/architecture.md): its schema over the state store (O-Cloud,
 * clusters, the inventory event stream, alarms) and what has to be disposed with it. The router mounts it
 * through createHub() and knows nothing of its parts.
 */
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import type { StateStore } from '../../state/store.ts';
import { PolicyStore, type LifecycleService } from '../../dms/lifecycle/index.ts';
import { createAlarmFeed } from './alarm-feed.ts';
import { createInventoryEventStream } from './inventory-events.ts';
import { createLcmEventStream } from './lcm-events.ts';
import { buildHubSchema, type HubSources, type OCloudInfo } from './schema.ts';

export { HUB_SDL_PATH } from './schema.ts';
export type { OCloudInfo } from './schema.ts';

export interface HubOptions {
  readonly oCloud: () => OCloudInfo;
  /** Registered clusters (the shard registry). */
  readonly clusterIds: () => readonly string[];
  /** Without a store, `inventoryChanged` and `alarmChanged` answer errors and alarm lists are empty. */
  readonly store?: StateStore;
  readonly logger?: Logger;
  /** The O2 DMS lifecycle service the DMS queries and mutations run on (shared with the REST facade). */
  readonly lifecycle?: LifecycleService;
  /** The NF package tasks and LCM subscriptions of the DMS (shared with the REST facade). */
  readonly packages?: HubSources['packages'];
  readonly lcmSubscriptions?: HubSources['lcmSubscriptions'];
  /** O2 IMS provisioning (shared with the REST facade). */
  readonly provisioning?: HubSources['provisioning'];
}

export interface Hub extends AsyncDisposable {
  /** The executable subgraph schema (in-process, no HTTP hop). */
  readonly schema: GraphQLSchema;
  dispose(): Promise<void>;
}

export function createHub(options: HubOptions): Hub {
  const { store } = options;
  const inventoryEvents =
    store === undefined
      ? undefined
      : createInventoryEventStream(store, options.logger === undefined ? {} : { logger: options.logger });
  const lcmEvents =
    store === undefined
      ? undefined
      : createLcmEventStream(store, options.logger === undefined ? {} : { logger: options.logger });
  const alarms =
    store === undefined ? undefined : { ledger: new AlarmLedger(store), feed: createAlarmFeed(store) };
  const schema = buildHubSchema({
    oCloud: options.oCloud,
    clusterIds: options.clusterIds,
    ...(inventoryEvents === undefined ? {} : { inventoryEvents }),
    ...(lcmEvents === undefined ? {} : { lcmEvents }),
    ...(alarms === undefined ? {} : { alarms }),
    ...(options.lifecycle === undefined ? {} : { lifecycle: options.lifecycle }),
    ...(options.packages === undefined ? {} : { packages: options.packages }),
    ...(options.lcmSubscriptions === undefined ? {} : { lcmSubscriptions: options.lcmSubscriptions }),
    // Deployment policies live in the store (every replica and job runner reads the same ones).
    ...(store === undefined ? {} : { policies: new PolicyStore(store) }),
    ...(options.provisioning === undefined ? {} : { provisioning: options.provisioning }),
  });
  const hub: Hub = {
    schema,
    async dispose() {
      await inventoryEvents?.dispose();
      await lcmEvents?.dispose();
      await alarms?.feed.dispose();
    },
    [Symbol.asyncDispose]() {
      return hub.dispose();
    },
  };
  return hub;
}
