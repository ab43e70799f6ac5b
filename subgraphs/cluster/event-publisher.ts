/**
 * Publishes the O2 inventory changes of one cluster to the global event log (docs/architecture.md "Data flows" "Change"), from
 * which the hub's GraphQL subscription and the notifier's webhooks are served.
 *
 * Durable across restarts of this subgraph: next to each event, the last published O2 state of the object is
 * written to a per-cluster document collection. After the informers' first list the publisher compares that
 * record with the fresh inventory and publishes only the DIFFERENCE — the changes that happened while the
 * subgraph was down — instead of a CREATE for every object it had already announced. The same comparison
 * recovers from a long state store outage: when more changes pile up than `maxQueued`, they are dropped and
 * replaced by one resync once the store answers again (like a Kubernetes relist: intermediate states are
 * collapsed, the end state is exact).
 *
 * Delivery is at least once: a crash between appending an event and recording the state republishes that
 * change after the restart (with a new eventId), and a retried append may appear twice in the log (same
 * eventId); readers deduplicate by eventId.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { INVENTORY_EVENT_LOG, objectRefOf, publishedStateCollection } from '../../o2/events.ts';
import type { InventoryChangeEvent, O2ObjectKind, O2ObjectState, PublishedObject } from '../../o2/events.ts';
import { holdResourceType, releaseResourceType, RESOURCE_TYPE_HOLDERS } from '../../o2/shared-types.ts';
import type { TypeHolders } from '../../o2/shared-types.ts';
import {
  toO2DeploymentManager,
  toO2Resource,
  toO2ResourcePool,
  toO2ResourceType,
} from '../../o2/inventory.ts';
import type { DocumentCollection, EventLog, StateStore } from '../../state/store.ts';
import { DEFAULT_EVENT_LOG_MAX_LENGTH } from '../../state/store.ts';
import type { ClusterInformers } from './informers.ts';
import type { ClusterInventory } from './inventory.ts';
import type { InventoryChange, O2ObjectStates } from './model.ts';
import {
  backoffDelay,
  CancellablePause,
  realTimers,
  type BackoffPolicy,
  type Timers,
} from '../../common/timers.ts';

/** One O2 object of the current inventory, in the graph model's shape. */
export type InventoryObject = {
  [K in O2ObjectKind]: {
    readonly objectKind: K;
    readonly objectId: string;
    readonly state: O2ObjectStates[K];
  };
}[O2ObjectKind];

/** What the publisher needs from a cluster's inventory (ClusterInventory through `clusterInventorySource`). */
export interface InventoryChangeSource {
  onChange(listener: (change: InventoryChange) => void): () => void;
  /** Every current object; read synchronously, so no change can slip in between it and a listener. */
  snapshot(): Iterable<InventoryObject>;
  /** Resolves once the inventory reflects the whole cluster (informers listed it). */
  synced(): Promise<void>;
}

export interface EventPublisherOptions {
  readonly clusterId: string;
  readonly source: InventoryChangeSource;
  readonly store: StateStore;
  /** Events the global log retains at least (its bounded retention); DEFAULT_EVENT_LOG_MAX_LENGTH by default. */
  readonly retention?: number;
  /** Changes buffered while the store does not answer before they are replaced by a resync. */
  readonly maxQueued?: number;
  readonly logger?: Logger;
  readonly now?: () => Date;
  readonly newEventId?: () => string;
  /** Pause before retry number `attempt` (1-based) of a failed store write. */
  readonly retryDelayMs?: (attempt: number) => number;
  /** Pauses and jitter (common/timers.ts). */
  readonly timers?: Timers;
  /** Told, for each event appended to the log, the seconds since the change was observed (lag metric). */
  readonly onAppended?: (lagSeconds: number) => void;
}

export interface EventPublisher extends AsyncDisposable {
  /** Resolves once the difference after the first sync has been published. */
  readonly ready: Promise<void>;
  /** Resolves when every change observed so far is in the store (tests and orderly shutdown). */
  idle(): Promise<void>;
  /** Changes observed and not yet written to the store. */
  readonly pending: number;
  /** Stops observing; changes not yet written are lost to this process and recovered by the next start. */
  dispose(): Promise<void>;
}

/** Promise.withResolvers, which Node 20 lacks. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export { publishedStateCollection };

/** Retries of event log writes while the state store does not answer. */
const STORE_RETRY: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 5_000, multiplier: 2, jitter: 0.5 };

/** Referential order: what an object refers to is created before it and deleted after it. */
const CREATE_ORDER: readonly O2ObjectKind[] = [
  'RESOURCE_TYPE',
  'RESOURCE_POOL',
  'DEPLOYMENT_MANAGER',
  'RESOURCE',
];

/** The O2 REST shape of an object (no clusterId, no graph-only fields), as plain JSON. */
export function restStateOf(object: InventoryObject): O2ObjectState {
  let shaped: object;
  switch (object.objectKind) {
    case 'DEPLOYMENT_MANAGER':
      shaped = toO2DeploymentManager(object.state);
      break;
    case 'RESOURCE_POOL':
      shaped = toO2ResourcePool(object.state);
      break;
    case 'RESOURCE':
      shaped = toO2Resource(object.state);
      break;
    case 'RESOURCE_TYPE':
      shaped = toO2ResourceType(object.state);
      break;
  }
  // JSON round trip: what the store gives back is compared with this, and events must be plain JSON.
  return JSON.parse(JSON.stringify(shaped)) as O2ObjectState;
}

function changeObjects(change: InventoryChange): {
  prior: InventoryObject | null;
  post: InventoryObject | null;
} {
  const wrap = (state: unknown): InventoryObject | null =>
    state === null
      ? null
      : ({ objectKind: change.objectKind, objectId: change.objectId, state } as InventoryObject);
  return { prior: wrap(change.priorObjectState), post: wrap(change.postObjectState) };
}

export function startEventPublisher(options: EventPublisherOptions): EventPublisher {
  const { clusterId, source, store } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const now = options.now ?? (() => new Date());
  const newEventId = options.newEventId ?? randomUUID;
  const timers = options.timers ?? realTimers;
  const retryDelay =
    options.retryDelayMs ?? ((attempt: number) => backoffDelay(STORE_RETRY, attempt, timers.random));
  const maxQueued = options.maxQueued ?? 10_000;
  const log: EventLog<InventoryChangeEvent> = store.eventLog(INVENTORY_EVENT_LOG, {
    maxLength: options.retention ?? DEFAULT_EVENT_LOG_MAX_LENGTH,
  });
  const published: DocumentCollection<PublishedObject> = store.collection(
    publishedStateCollection(clusterId),
  );
  const typeHolders: DocumentCollection<TypeHolders> = store.collection(RESOURCE_TYPE_HOLDERS);

  let live = false;
  let disposed = false;
  let resyncNeeded = true;
  const queue: InventoryChangeEvent[] = [];
  let pumping: Promise<void> | undefined;
  const pause = new CancellablePause(timers);
  const firstSync = deferred();
  const disposal = deferred();

  const eventOf = (
    kind: O2ObjectKind,
    objectId: string,
    prior: O2ObjectState | null,
    post: O2ObjectState | null,
    objectRef: string,
    occurredAt: string = now().toISOString(),
  ): InventoryChangeEvent => {
    const common = { eventId: newEventId(), clusterId, objectKind: kind, objectId, objectRef, occurredAt };
    if (prior === null && post !== null)
      return { ...common, changeKind: 'CREATE', priorObjectState: null, postObjectState: post };
    if (prior !== null && post !== null)
      return { ...common, changeKind: 'MODIFY', priorObjectState: prior, postObjectState: post };
    if (prior !== null)
      return { ...common, changeKind: 'DELETE', priorObjectState: prior, postObjectState: null };
    throw new Error('a change without prior and post state');
  };

  const onChange = (change: InventoryChange): void => {
    if (!live || disposed) return;
    if (resyncNeeded) return; // a resync is pending: it will cover this change
    const { prior, post } = changeObjects(change);
    const postState = post === null ? null : restStateOf(post);
    const priorState = prior === null ? null : restStateOf(prior);
    queue.push(
      eventOf(change.objectKind, change.objectId, priorState, postState, change.objectRef, change.occurredAt),
    );
    if (queue.length > maxQueued) {
      logger.warn(
        { clusterId, dropped: queue.length },
        'state store is not keeping up: dropping queued changes, resyncing when it answers',
      );
      queue.length = 0;
      resyncNeeded = true;
    }
    pump();
  };
  const detach = source.onChange(onChange);

  /** Runs `step` until it succeeds or the publisher is disposed. */
  const persistently = async (what: string, step: () => Promise<void>): Promise<boolean> => {
    for (let attempt = 1; !disposed; attempt++) {
      try {
        await step();
        return true;
      } catch (error) {
        if (disposed) return false;
        const delay = retryDelay(attempt);
        logger.warn(
          { err: error, clusterId, attempt, retryInMs: delay },
          `event publisher: ${what} failed, retrying`,
        );
        await pause.for(delay);
      }
    }
    return false;
  };

  /**
   * Whether the event is news to the O-Cloud: a resource type another cluster already announced is not
   * created again, and one another cluster still has is not deleted (o2/shared-types.ts).
   */
  const announced = async (event: InventoryChangeEvent): Promise<boolean | undefined> => {
    if (event.objectKind !== 'RESOURCE_TYPE') return true;
    let news: boolean | undefined;
    const recorded = await persistently('recording the resource type holders', async () => {
      if (event.changeKind === 'DELETE')
        news = !(await releaseResourceType(typeHolders, event.objectId, clusterId));
      else {
        const shared = await holdResourceType(typeHolders, event.objectId, clusterId);
        news = event.changeKind === 'MODIFY' || !shared;
      }
    });
    return recorded ? news : undefined;
  };

  const write = async (event: InventoryChangeEvent): Promise<boolean> => {
    const news = await announced(event);
    if (news === undefined) return false;
    const appended =
      !news ||
      (await persistently('appending an event', async () => {
        await log.append(event);
      }));
    if (!appended) return false;
    const observedAt = Date.parse(event.occurredAt);
    if (Number.isFinite(observedAt)) options.onAppended?.(Math.max(0, now().getTime() - observedAt) / 1000);
    return persistently('recording the published state', async () => {
      if (event.postObjectState === null) await published.delete(event.objectId);
      else
        await published.put(event.objectId, {
          objectKind: event.objectKind,
          objectRef: event.objectRef,
          state: event.postObjectState,
        });
    });
  };

  /** The events that turn the recorded states into the current inventory, in referential order. */
  const difference = (
    recorded: ReadonlyMap<string, PublishedObject>,
    current: readonly InventoryObject[],
  ): InventoryChangeEvent[] => {
    const upserts = new Map<O2ObjectKind, InventoryChangeEvent[]>();
    const deletes = new Map<O2ObjectKind, InventoryChangeEvent[]>();
    const add = (into: Map<O2ObjectKind, InventoryChangeEvent[]>, event: InventoryChangeEvent): void => {
      const list = into.get(event.objectKind) ?? [];
      list.push(event);
      into.set(event.objectKind, list);
    };
    const seen = new Set<string>();
    for (const object of current) {
      seen.add(object.objectId);
      const state = restStateOf(object);
      const before = recorded.get(object.objectId);
      const objectRef = objectRefOf(object.objectKind, object.objectId, state);
      if (before === undefined)
        add(upserts, eventOf(object.objectKind, object.objectId, null, state, objectRef));
      else if (!isDeepStrictEqual(before.state, state) || before.objectKind !== object.objectKind) {
        add(upserts, eventOf(object.objectKind, object.objectId, before.state, state, objectRef));
      }
    }
    for (const [objectId, before] of recorded) {
      if (!seen.has(objectId))
        add(deletes, eventOf(before.objectKind, objectId, before.state, null, before.objectRef));
    }
    const byId = (a: InventoryChangeEvent, b: InventoryChangeEvent): number =>
      a.objectId < b.objectId ? -1 : a.objectId > b.objectId ? 1 : 0;
    const of = (map: Map<O2ObjectKind, InventoryChangeEvent[]>, kind: O2ObjectKind): InventoryChangeEvent[] =>
      (map.get(kind) ?? []).sort(byId);
    // Resources go between their types/pools being created and those being deleted; a replaced node's old
    // resource is deleted before the new one is created.
    return [
      ...of(upserts, 'RESOURCE_TYPE'),
      ...of(upserts, 'RESOURCE_POOL'),
      ...of(upserts, 'DEPLOYMENT_MANAGER'),
      ...of(deletes, 'RESOURCE'),
      ...of(upserts, 'RESOURCE'),
      ...[...CREATE_ORDER]
        .reverse()
        .filter((k) => k !== 'RESOURCE')
        .flatMap((kind) => of(deletes, kind)),
    ];
  };

  const resync = async (): Promise<boolean> => {
    let recorded = new Map<string, PublishedObject>();
    const loaded = await persistently('reading the published states', async () => {
      recorded = new Map((await published.list()).map(({ id, doc }) => [id, doc]));
    });
    if (!loaded) return false;
    // Capturing the inventory, dropping the queue and going live happen in one synchronous step: every change
    // before it is part of the difference, every change after it is queued behind the difference.
    const current = [...source.snapshot()];
    queue.length = 0;
    resyncNeeded = false;
    live = true;
    // Types this cluster announced before the holders were recorded (or before a restart) are held again,
    // so another cluster's CREATE of them is recognised as not new.
    for (const object of current) {
      if (object.objectKind !== 'RESOURCE_TYPE' || !recorded.has(object.objectId)) continue;
      const held = await persistently('recording the resource type holders', async () => {
        await holdResourceType(typeHolders, object.objectId, clusterId);
      });
      if (!held) return false;
    }
    const events = difference(recorded, current);
    if (events.length > 0)
      logger.info(
        { clusterId, events: events.length },
        'publishing inventory changes since the last published state',
      );
    // Written before anything queued meanwhile, which happened after the captured inventory.
    for (const event of events) if (!(await write(event))) return false;
    firstSync.resolve();
    return true;
  };

  const drain = async (): Promise<void> => {
    while (!disposed) {
      if (resyncNeeded) {
        if (!(await resync())) return;
        continue;
      }
      const event = queue.shift();
      if (event === undefined) return;
      if (!(await write(event))) return;
    }
  };

  function pump(): void {
    pumping ??= drain().finally(() => {
      pumping = undefined;
      if (!disposed && (queue.length > 0 || (resyncNeeded && live))) pump();
    });
  }

  const ready = (async () => {
    await source.synced();
    if (disposed) return;
    pump();
    await Promise.race([firstSync.promise, disposal.promise]);
  })();
  ready.catch((error: unknown) => logger.error({ err: error, clusterId }, 'event publisher failed to start'));

  const publisher: EventPublisher = {
    ready,
    get pending() {
      return queue.length;
    },
    async idle() {
      await ready;
      while (pumping !== undefined) await pumping;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      disposal.resolve();
      detach();
      pause.cancel();
      await pumping;
    },
    [Symbol.asyncDispose]() {
      return publisher.dispose();
    },
  };
  return publisher;
}

/** How long `clusterInventorySource` waits for the Kubernetes version after the first list. */
const VERSION_WAIT_MS = 10_000;

/**
 * Adapts a cluster subgraph's inventory and informers. "Synced" also waits (bounded) for the Kubernetes
 * version, which arrives separately and is part of the deployment manager: comparing before it arrives would
 * publish a spurious MODIFY of the deployment manager after every restart, and another when it arrives.
 */
export function clusterInventorySource(
  inventory: ClusterInventory,
  informers: Pick<ClusterInformers, 'synced'>,
  versionWaitMs: number = VERSION_WAIT_MS,
): InventoryChangeSource {
  return {
    onChange: (listener) => inventory.onChange(listener),
    *snapshot(): Iterable<InventoryObject> {
      const dm = inventory.deploymentManager();
      yield { objectKind: 'DEPLOYMENT_MANAGER', objectId: dm.deploymentManagerId, state: dm };
      for (const pool of inventory.resourcePools())
        yield { objectKind: 'RESOURCE_POOL', objectId: pool.resourcePoolId, state: pool };
      for (const type of inventory.resourceTypes())
        yield { objectKind: 'RESOURCE_TYPE', objectId: type.resourceTypeId, state: type };
      for (const resource of inventory.resources())
        yield { objectKind: 'RESOURCE', objectId: resource.resourceId, state: resource };
    },
    async synced() {
      await informers.synced();
      if (inventory.kubernetesVersion !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, versionWaitMs);
        const stop = inventory.onChange((change) => {
          if (change.objectKind === 'DEPLOYMENT_MANAGER' && inventory.kubernetesVersion !== null) finish();
        });
        function finish(): void {
          clearTimeout(timer);
          stop();
          resolve();
        }
      });
    },
  };
}
