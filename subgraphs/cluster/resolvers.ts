/**
 * Resolvers of schema/cluster.graphql for ONE cluster. Inventory fields read the incrementally maintained
 * O2 model (inventory.ts); topology fields (nodes, pods, workloads) map informer objects on demand.
 *
 * Under the router's fan-out every shard receives every root field: ids and entity references that belong
 * to another cluster resolve to null (or to nothing in lists), never to an error.
 */
import type { AuthContext, TenantScope } from '../../common/auth.ts';
import { seesNamespace } from '../../common/tenancy.ts';
import { graphError } from '../../common/errors.ts';
import { can, deniedDetail } from '../../common/authorization.ts';
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { connectionOf, plainList, type ConnectionArgs, type PlainListArgs } from './list-arguments.ts';
import {
  type AlarmDictionary,
  alarmDictionariesOf,
  alarmDictionaryOf,
  resourceTypeFilterView,
} from './alarm-dictionary.ts';
import { helmReleasesOf, type HelmRelease } from './helm-releases.ts';
import type { ClusterInformers } from './informers.ts';
import type { ClusterInventory } from './inventory.ts';
import { JSONScalar } from '../../common/json-scalar.ts';
import type { MappingContext } from './mapping.ts';
import {
  type Cluster,
  type DeploymentManager,
  type InventoryChange,
  type Location,
  type Node,
  O2_OBJECT_KINDS,
  type O2ObjectKind,
  type OCloudSite,
  type Resource,
  type ResourcePool,
  type ResourceType,
  type Workload,
  type WorkloadRef,
} from './model.ts';
import type { Resolvers } from './generated/graphql.ts';
import {
  loadNfIndex,
  nfDeploymentOf,
  type DmsRecordSource,
  type NfDeployment,
  type NfIndex,
} from './nf-deployments.ts';
import { pushStream } from './push-stream.ts';
import {
  TOPOLOGY_KINDS,
  TopologyJournal,
  topologyEventOf,
  type TopologyEvent,
  type TopologyKind,
} from './topology-journal.ts';
import { topologyStream, type TopologySnapshot, type TopologyUpdate } from './topology-stream.ts';
import {
  mapDaemonSet,
  mapDeployment,
  mapNodeView,
  mapStatefulSet,
  POD_SOURCE,
  podView,
  type PodView,
  workloadRefOfPod,
} from './topology.ts';

/** What every resolver sees: the caller (docs/architecture.md "Security") and per-request indexes over the caches. */
export interface ClusterGraphContext {
  readonly auth: AuthContext;
  readonly topology: RequestTopology;
}

export interface ClusterDataSources {
  readonly mapping: MappingContext;
  readonly inventory: ClusterInventory;
  readonly informers: Pick<ClusterInformers, 'cache'> & Partial<Pick<ClusterInformers, 'onEvent'>>;
  /** Subscription buffer bound per subscriber. */
  readonly maxBufferedChanges?: number;
  /** Topology changes kept for resuming `Subscription.topology` (topology-journal.ts). */
  readonly topologyJournalCapacity?: number;
  /** The O2 DMS records (state store) that tell NF deployments from foreign releases; none without it. */
  readonly dmsRecords?: DmsRecordSource;
  /** The K8s native profile data with credentials (mapping.ts `adminProfileData`); admin callers only. */
  readonly adminProfileData?: Readonly<Record<string, string>> | null;
}

function workloadKey(ref: WorkloadRef): string {
  return `${ref.kind}\u0000${ref.namespace}\u0000${ref.name}`;
}

/**
 * Pods grouped by node and by workload, built at most once per request: `{ nodes { pods } }` would
 * otherwise scan every pod once per node.
 */
export class RequestTopology {
  #byNode: Map<string, PodView[]> | undefined;
  #byWorkload: Map<string, PodView[]> | undefined;
  #nfIndex: Promise<NfIndex> | undefined;

  /** `scope`: the caller's tenant scope; pods of namespaces it may not see do not exist for it. */
  constructor(
    private readonly sources: ClusterDataSources,
    private readonly scope: TenantScope = { name: '*' },
  ) {}

  /** The DMS records of this request (read once, whatever the number of releases asking). */
  nfIndex(): Promise<NfIndex> {
    this.#nfIndex ??= loadNfIndex(this.sources.dmsRecords, this.sources.mapping.clusterId, this.scope.name);
    return this.#nfIndex;
  }

  pods(namespace?: string | null): PodView[] {
    const { mapping, informers } = this.sources;
    const pods = informers
      .cache('pods')
      .list(namespace ?? undefined)
      .filter((pod) => seesNamespace(this.scope, pod.metadata?.namespace ?? ''));
    return pods.map((pod) => podView(mapping, pod)).sort(byNamespaceAndName);
  }

  podsOnNode(nodeName: string): readonly PodView[] {
    if (this.#byNode === undefined) {
      this.#byNode = new Map();
      for (const pod of this.pods()) {
        if (pod.nodeName === null) continue;
        let list = this.#byNode.get(pod.nodeName);
        if (list === undefined) this.#byNode.set(pod.nodeName, (list = []));
        list.push(pod);
      }
    }
    return this.#byNode.get(nodeName) ?? [];
  }

  podsOfWorkload(ref: WorkloadRef): readonly PodView[] {
    if (this.#byWorkload === undefined) {
      this.#byWorkload = new Map();
      for (const pod of this.pods()) {
        const owner = this.workloadRefOf(pod);
        if (owner === undefined) continue;
        const key = workloadKey(owner);
        let list = this.#byWorkload.get(key);
        if (list === undefined) this.#byWorkload.set(key, (list = []));
        list.push(pod);
      }
    }
    return this.#byWorkload.get(workloadKey(ref)) ?? [];
  }

  workloadRefOf(pod: PodView): WorkloadRef | undefined {
    const replicaSets = this.sources.informers.cache('replicasets');
    return workloadRefOfPod(pod[POD_SOURCE], (namespace, name) => replicaSets.get(name, namespace));
  }
}

export function createGraphContext(sources: ClusterDataSources, auth: AuthContext): ClusterGraphContext {
  return { auth, topology: new RequestTopology(sources, auth.tenant) };
}

function byNamespaceAndName(
  a: { namespace: string; name: string },
  b: { namespace: string; name: string },
): number {
  return a.namespace === b.namespace ? compareText(a.name, b.name) : compareText(a.namespace, b.namespace);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A string field of an entity representation; the router always sends the @key fields. */
function keyField(representation: Readonly<Record<string, unknown>>, field: string): string {
  const value = representation[field];
  if (typeof value !== 'string') {
    throw graphError('BAD_USER_INPUT', `entity representation lacks its key field "${field}"`);
  }
  return value;
}

type Representation = Readonly<Record<string, unknown>>;

interface RequestLoaders {
  readonly nfDeployment: DataLoader<string, NfDeployment | null>;
  readonly workloadNfDeployment: DataLoader<string, NfDeployment | null>;
}
type Info = Pick<GraphQLResolveInfo, 'schema'>;

/**
 * Typed by the generated resolver types (generated/graphql.ts, `npm run codegen`): arguments, parents and
 * results follow schema/cluster.graphql through the model types (schema-conformance.ts). Each resolver keeps
 * its declared result type, so a returned object literal with a field the model (and so the schema) lacks
 * fails to compile.
 */
export function clusterResolvers(sources: ClusterDataSources): Resolvers {
  const { mapping, inventory, informers } = sources;
  const clusterId = mapping.clusterId;
  // Sources without watches (in-memory test inventories) have no topology changes to journal.
  const journal =
    informers.onEvent === undefined
      ? undefined
      : new TopologyJournal(mapping, { onEvent: informers.onEvent }, sources.topologyJournalCapacity);
  const ours = (id: string): boolean => id === clusterId;

  const cluster = (): Cluster => ({
    clusterId,
    name: clusterId,
    kubernetesVersion: inventory.kubernetesVersion,
    oCloudSiteId: mapping.oCloudSiteId,
  });

  const node = (name: string): Node | null => {
    const object = informers.cache('nodes').get(name);
    return object === undefined ? null : mapNodeView(mapping, object);
  };

  const clusterNodes = (): Node[] =>
    informers
      .cache('nodes')
      .list()
      .map((object) => mapNodeView(mapping, object))
      .sort((a, b) => compareText(a.name, b.name));

  const workloads = (namespace: string | null | undefined, scope: TenantScope): Workload[] => {
    const ns = namespace ?? undefined;
    const result: Workload[] = [
      ...informers
        .cache('deployments')
        .list(ns)
        .map((d) => mapDeployment(mapping, d)),
      ...informers
        .cache('statefulsets')
        .list(ns)
        .map((s) => mapStatefulSet(mapping, s)),
      ...informers
        .cache('daemonsets')
        .list(ns)
        .map((d) => mapDaemonSet(mapping, d)),
    ];
    return result
      .filter((w) => seesNamespace(scope, w.namespace))
      .sort((a, b) => byNamespaceAndName(a, b) || compareText(a.kind, b.kind));
  };

  const workload = (ref: WorkloadRef): Workload | null => {
    switch (ref.kind) {
      case 'Deployment': {
        const object = informers.cache('deployments').get(ref.name, ref.namespace);
        return object === undefined ? null : mapDeployment(mapping, object);
      }
      case 'StatefulSet': {
        const object = informers.cache('statefulsets').get(ref.name, ref.namespace);
        return object === undefined ? null : mapStatefulSet(mapping, object);
      }
      case 'DaemonSet': {
        const object = informers.cache('daemonsets').get(ref.name, ref.namespace);
        return object === undefined ? null : mapDaemonSet(mapping, object);
      }
    }
  };

  // Test fakes of the informers may lack the Helm secrets: no releases then.
  const helmReleases = (namespace?: string | null): HelmRelease[] =>
    helmReleasesOf(clusterId, informers.cache('helmreleases')?.list() ?? [], namespace);

  const nfDeployments = async (
    context: ClusterGraphContext,
    namespace?: string | null,
  ): Promise<NfDeployment[]> => {
    const index = await context.topology.nfIndex();
    return helmReleases(namespace)
      .map((release) => nfDeploymentOf(index, release))
      .filter((nf) => nf !== null);
  };

  /**
   * Per-request DataLoaders of the lookups a query repeats per entity (`_entities` of NF deployments, every
   * workload's NF deployment): one pass over the releases and DMS records per request, not one per entity.
   */
  const loaders = new WeakMap<ClusterGraphContext, RequestLoaders>();
  const loadersOf = (context: ClusterGraphContext): RequestLoaders => {
    let found = loaders.get(context);
    if (found === undefined) {
      const byInstance = new DataLoader<string, NfDeployment | null>(async (ids) => {
        const all = new Map((await nfDeployments(context)).map((nf) => [nf.vnfInstanceId, nf]));
        return ids.map((id) => all.get(id) ?? null);
      });
      const byWorkload = new DataLoader<string, NfDeployment | null>(async (keys) => {
        const index = await context.topology.nfIndex();
        const owners = new Map<string, HelmRelease>();
        for (const release of helmReleases())
          for (const ref of release.workloadRefs) owners.set(workloadKey(ref), release);
        return keys.map((key) => {
          const release = owners.get(key);
          return release === undefined ? null : nfDeploymentOf(index, release);
        });
      });
      loaders.set(context, (found = { nfDeployment: byInstance, workloadNfDeployment: byWorkload }));
    }
    return found;
  };

  const releaseWorkloads = (release: HelmRelease): Workload[] =>
    release.workloadRefs.map((ref) => workload(ref)).filter((w) => w !== null);

  const releasePods = (release: HelmRelease, context: ClusterGraphContext): PodView[] =>
    release.workloadRefs.flatMap((ref) => context.topology.podsOfWorkload(ref));

  const resourceTypeOf = (resource: Resource): ResourceType => {
    const type = inventory.resourceType(resource.resourceTypeId);
    // The inventory counts references: a resource's type exists as long as the resource does.
    if (type === undefined)
      throw graphError('INTERNAL_SERVER_ERROR', `resource type ${resource.resourceTypeId} is missing`);
    return type;
  };

  return {
    JSON: JSONScalar,

    Query: {
      clusters: (): Cluster[] => [cluster()],
      cluster: (_: unknown, args: { clusterId: string }): Cluster | null =>
        ours(args.clusterId) ? cluster() : null,
      deploymentManagers: (_: unknown, args: PlainListArgs, __: unknown, info: Info): DeploymentManager[] =>
        plainList(
          [inventory.deploymentManager()],
          (dm) => dm.deploymentManagerId,
          args,
          'DeploymentManager',
          info,
        ),
      deploymentManagersConnection: (_: unknown, args: ConnectionArgs, __: unknown, info: Info) =>
        connectionOf(
          [inventory.deploymentManager()],
          (dm) => dm.deploymentManagerId,
          args,
          'DeploymentManager',
          info,
        ),
      deploymentManager: (_: unknown, args: { deploymentManagerId: string }): DeploymentManager | null => {
        const dm = inventory.deploymentManager();
        return dm.deploymentManagerId === args.deploymentManagerId ? dm : null;
      },
      resourcePools: (_: unknown, args: PlainListArgs, __: unknown, info: Info): readonly ResourcePool[] =>
        plainList(inventory.resourcePoolsById(), (pool) => pool.resourcePoolId, args, 'ResourcePool', info),
      resourcePoolsConnection: (_: unknown, args: ConnectionArgs, __: unknown, info: Info) =>
        connectionOf(
          inventory.resourcePoolsById(),
          (pool) => pool.resourcePoolId,
          args,
          'ResourcePool',
          info,
        ),
      resourcePool: (_: unknown, args: { resourcePoolId: string }): ResourcePool | null =>
        inventory.resourcePool(args.resourcePoolId) ?? null,
      resources: (
        _: unknown,
        args: PlainListArgs & { resourcePoolId?: string | null },
        __: unknown,
        info: Info,
      ): readonly Resource[] =>
        plainList(
          inventory.resourcesById(args.resourcePoolId ?? undefined),
          (resource) => resource.resourceId,
          args,
          'Resource',
          info,
        ),
      resourcesConnection: (
        _: unknown,
        args: ConnectionArgs & { resourcePoolId?: string | null },
        __: unknown,
        info: Info,
      ) =>
        connectionOf(
          inventory.resourcesById(args.resourcePoolId ?? undefined),
          (resource) => resource.resourceId,
          args,
          'Resource',
          info,
        ),
      resource: (_: unknown, args: { resourceId: string }): Resource | null =>
        inventory.resource(args.resourceId) ?? null,
      resourceTypes: (_: unknown, args: PlainListArgs, __: unknown, info: Info): readonly ResourceType[] =>
        // Sorted by id already; the filter sees the embedded dictionary of the v4 profile too.
        plainList(
          inventory.resourceTypes(),
          (type) => type.resourceTypeId,
          args,
          'ResourceType',
          info,
          resourceTypeFilterView,
        ),
      resourceType: (_: unknown, args: { resourceTypeId: string }): ResourceType | null =>
        inventory.resourceType(args.resourceTypeId) ?? null,
      oCloudSites: (_: unknown, args: PlainListArgs, __: unknown, info: Info): OCloudSite[] =>
        plainList([inventory.oCloudSite], (site) => site.oCloudSiteId, args, 'OCloudSite', info),
      oCloudSite: (_: unknown, args: { oCloudSiteId: string }): OCloudSite | null =>
        inventory.oCloudSite.oCloudSiteId === args.oCloudSiteId ? inventory.oCloudSite : null,
      locations: (_: unknown, args: PlainListArgs, __: unknown, info: Info): Location[] =>
        plainList([inventory.location], (location) => location.globalLocationId, args, 'Location', info),
      location: (_: unknown, args: { globalLocationId: string }): Location | null =>
        inventory.location.globalLocationId === args.globalLocationId ? inventory.location : null,
      alarmDictionaries: (
        _: unknown,
        args: PlainListArgs,
        __: unknown,
        info: Info,
      ): readonly AlarmDictionary[] =>
        plainList(
          alarmDictionariesOf(inventory.resourceTypes()),
          (dictionary) => dictionary.alarmDictionaryId,
          args,
          'AlarmDictionary',
          info,
        ),
      alarmDictionary: (_: unknown, args: { alarmDictionaryId: string }): AlarmDictionary | null =>
        alarmDictionariesOf(inventory.resourceTypes()).find(
          (d) => d.alarmDictionaryId === args.alarmDictionaryId,
        ) ?? null,
      helmReleases: (_: unknown, args: { clusterId?: string | null; namespace?: string | null }) =>
        args.clusterId != null && !ours(args.clusterId) ? [] : helmReleases(args.namespace),
      nfDeployments: (
        _: unknown,
        args: { clusterId?: string | null; namespace?: string | null },
        context: ClusterGraphContext,
      ) => (args.clusterId != null && !ours(args.clusterId) ? [] : nfDeployments(context, args.namespace)),
    },

    Subscription: {
      liveInventoryChanged: {
        subscribe: (
          _: unknown,
          args: { objectKinds?: readonly O2ObjectKind[] | null },
        ): AsyncIterableIterator<InventoryChange> => {
          const kinds = new Set<O2ObjectKind>(args.objectKinds ?? O2_OBJECT_KINDS);
          return pushStream<InventoryChange>(
            (push) =>
              inventory.onChange((change) => {
                if (kinds.has(change.objectKind)) push(change);
              }),
            sources.maxBufferedChanges === undefined ? {} : { maxBuffered: sources.maxBufferedChanges },
          );
        },
        resolve: (change: InventoryChange): InventoryChange => change,
      },
      topologyChanged: {
        subscribe: (
          _: unknown,
          args: { kinds?: readonly TopologyKind[] | null },
          context: ClusterGraphContext,
        ): AsyncIterableIterator<TopologyEvent> => {
          const kinds = new Set<TopologyKind>(args.kinds ?? TOPOLOGY_KINDS);
          const scope = context.auth.tenant;
          return pushStream<TopologyEvent>(
            (push) =>
              // Sources without watches (in-memory test inventories) have no topology events.
              informers.onEvent?.((event) => {
                const topologyEvent = topologyEventOf(mapping, event);
                if (
                  topologyEvent &&
                  kinds.has(topologyEvent.kind) &&
                  seesNamespace(scope, topologyEvent.namespace)
                ) {
                  push(topologyEvent);
                }
              }) ?? ((): void => undefined),
            sources.maxBufferedChanges === undefined ? {} : { maxBuffered: sources.maxBufferedChanges },
          );
        },
        resolve: (event: TopologyEvent): TopologyEvent => event,
      },
      topology: {
        subscribe: (
          _: unknown,
          args: {
            clusters?: readonly string[] | null;
            namespaces?: readonly string[] | null;
            after?: readonly string[] | null;
          },
          context: ClusterGraphContext,
        ): AsyncIterableIterator<TopologyUpdate> => {
          const scope = context.auth.tenant;
          const namespaces = args.namespaces == null ? undefined : new Set(args.namespaces);
          const sees = (namespace: string): boolean =>
            seesNamespace(scope, namespace) && (namespaces === undefined || namespaces.has(namespace));
          // The router asks only the clusters named; a direct caller naming others gets nothing from this one.
          const wanted = args.clusters == null || args.clusters.includes(clusterId);
          if (journal === undefined || !wanted) return pushStream<TopologyUpdate>(() => () => undefined);
          return topologyStream({
            journal,
            after: args.after,
            maxBuffered: sources.maxBufferedChanges ?? 10_000,
            inScope: (event) => event.namespace === null || sees(event.namespace),
            snapshot: (): TopologySnapshot => ({
              nodes: clusterNodes(),
              pods: context.topology.pods().filter((pod) => sees(pod.namespace)),
              workloads: workloads(undefined, scope).filter((w) => sees(w.namespace)),
            }),
          });
        },
        resolve: (update: TopologyUpdate): TopologyUpdate => update,
      },
    },

    Cluster: {
      __resolveReference: (ref: Representation): Cluster | null =>
        ours(keyField(ref, 'clusterId')) ? cluster() : null,
      oCloudSite: (): OCloudSite => inventory.oCloudSite,
      location: (): Location => inventory.location,
      deploymentManager: (): DeploymentManager => inventory.deploymentManager(),
      resourcePools: (): readonly ResourcePool[] => inventory.resourcePools(),
      nodes: (): Node[] => clusterNodes(),
      nodesConnection: (_: Cluster, args: ConnectionArgs, __: unknown, info: Info) =>
        connectionOf(clusterNodes(), (n) => n.name, args, 'Node', info),
      workloadsConnection: (
        _: Cluster,
        args: ConnectionArgs & { namespace?: string | null },
        context: ClusterGraphContext,
        info: Info,
      ) =>
        connectionOf(
          workloads(args.namespace, context.auth.tenant),
          (w) => `${w.namespace}/${w.kind}/${w.name}`,
          args,
          'Workload',
          info,
        ),
      podsConnection: (
        _: Cluster,
        args: ConnectionArgs & { namespace?: string | null },
        context: ClusterGraphContext,
        info: Info,
      ) =>
        connectionOf(
          context.topology.pods(args.namespace),
          (pod) => `${pod.namespace}/${pod.name}`,
          args,
          'Pod',
          info,
        ),
      namespaces: (_: Cluster, __: unknown, context: ClusterGraphContext): string[] =>
        informers
          .cache('namespaces')
          .list()
          .map((ns) => ns.metadata?.name ?? '')
          .filter((name) => seesNamespace(context.auth.tenant, name))
          .sort(compareText),
      workloads: (
        _: Cluster,
        args: { namespace?: string | null },
        context: ClusterGraphContext,
      ): Workload[] => workloads(args.namespace, context.auth.tenant),
      pods: (_: Cluster, args: { namespace?: string | null }, context: ClusterGraphContext): PodView[] =>
        context.topology.pods(args.namespace),
      helmReleases: (_: Cluster, args: { namespace?: string | null }): HelmRelease[] =>
        helmReleases(args.namespace),
      nfDeployments: (_: Cluster, args: { namespace?: string | null }, context: ClusterGraphContext) =>
        nfDeployments(context, args.namespace),
    },

    HelmRelease: {
      __resolveReference: (ref: Representation): HelmRelease | null => {
        if (!ours(keyField(ref, 'clusterId'))) return null;
        const name = keyField(ref, 'name');
        return helmReleases(keyField(ref, 'namespace')).find((release) => release.name === name) ?? null;
      },
      workloads: (release: HelmRelease): Workload[] => releaseWorkloads(release),
      pods: (release: HelmRelease, _: unknown, context: ClusterGraphContext): PodView[] =>
        releasePods(release, context),
      nfDeployment: async (
        release: HelmRelease,
        _: unknown,
        context: ClusterGraphContext,
      ): Promise<NfDeployment | null> => nfDeploymentOf(await context.topology.nfIndex(), release),
    },

    NfDeployment: {
      __resolveReference: async (
        ref: Representation,
        context: ClusterGraphContext,
      ): Promise<NfDeployment | null> => {
        if (!ours(keyField(ref, 'clusterId'))) return null;
        return loadersOf(context).nfDeployment.load(keyField(ref, 'vnfInstanceId'));
      },
      pods: (nf: NfDeployment, _: unknown, context: ClusterGraphContext): PodView[] =>
        releasePods(nf.release, context),
      vnfInstance: (nf: NfDeployment) => ({ id: nf.vnfInstanceId }),
      occurrences: (nf: NfDeployment) => nf.occurrenceIds.map((id) => ({ id })),
    },

    DeploymentManager: {
      __resolveReference: (ref: Representation): DeploymentManager | null => {
        const dm = inventory.deploymentManager();
        return ours(keyField(ref, 'clusterId')) &&
          keyField(ref, 'deploymentManagerId') === dm.deploymentManagerId
          ? dm
          : null;
      },
      // Checked here as well as at the router: the subgraph hands out credentials only to an admin caller.
      adminProfileData: (_dm: DeploymentManager, _args: unknown, context: ClusterGraphContext) => {
        if (!can(context.auth, 'admin'))
          throw graphError('FORBIDDEN', deniedDetail('admin', 'reading DeploymentManager.adminProfileData'));
        return sources.adminProfileData ?? null;
      },
      cluster: (): Cluster => cluster(),
    },

    ResourcePool: {
      __resolveReference: (ref: Representation): ResourcePool | null =>
        ours(keyField(ref, 'clusterId'))
          ? (inventory.resourcePool(keyField(ref, 'resourcePoolId')) ?? null)
          : null,
      resources: (pool: ResourcePool, args: PlainListArgs, _: unknown, info: Info): readonly Resource[] =>
        plainList(inventory.resourcesById(pool.resourcePoolId), (r) => r.resourceId, args, 'Resource', info),
      resourcesConnection: (pool: ResourcePool, args: ConnectionArgs, _: unknown, info: Info) =>
        connectionOf(
          inventory.resourcesById(pool.resourcePoolId),
          (r) => r.resourceId,
          args,
          'Resource',
          info,
        ),
      cluster: (): Cluster => cluster(),
      oCloudSite: (): OCloudSite => inventory.oCloudSite,
    },

    Resource: {
      __resolveReference: (ref: Representation): Resource | null =>
        ours(keyField(ref, 'clusterId')) ? (inventory.resource(keyField(ref, 'resourceId')) ?? null) : null,
      resourceType: (resource: Resource): ResourceType => resourceTypeOf(resource),
      resourcePool: (resource: Resource): ResourcePool | null =>
        inventory.resourcePool(resource.resourcePoolId) ?? null,
      node: (resource: Resource): Node | null => {
        const name = inventory.nodeNameOf(resource.resourceId);
        return name === undefined ? null : node(name);
      },
      cluster: (): Cluster => cluster(),
      oCloudSite: (): OCloudSite => inventory.oCloudSite,
    },

    ResourceType: {
      // Types are shared: any shard that has the type answers (the router asks one that does).
      __resolveReference: (ref: Representation): ResourceType | null =>
        inventory.resourceType(keyField(ref, 'resourceTypeId')) ?? null,
      alarmDictionary: (type: ResourceType): AlarmDictionary => alarmDictionaryOf(type),
    },

    OCloudSite: {
      __resolveReference: (ref: Representation): OCloudSite | null =>
        keyField(ref, 'oCloudSiteId') === inventory.oCloudSite.oCloudSiteId ? inventory.oCloudSite : null,
      // A site is shared by the clusters at it: each shard answers its own part, the router unites them.
      location: (): Location => inventory.location,
      clusters: (site: OCloudSite): Cluster[] =>
        site.oCloudSiteId === inventory.oCloudSite.oCloudSiteId ? [cluster()] : [],
      resourcePools: (site: OCloudSite): readonly ResourcePool[] =>
        site.oCloudSiteId === inventory.oCloudSite.oCloudSiteId ? inventory.resourcePools() : [],
    },

    Location: {
      __resolveReference: (ref: Representation): Location | null =>
        keyField(ref, 'globalLocationId') === inventory.location.globalLocationId ? inventory.location : null,
      sites: (location: Location): OCloudSite[] =>
        location.globalLocationId === inventory.location.globalLocationId ? [inventory.oCloudSite] : [],
    },

    Node: {
      __resolveReference: (ref: Representation): Node | null =>
        ours(keyField(ref, 'clusterId')) ? node(keyField(ref, 'name')) : null,
      pods: (parent: Node, _: unknown, context: ClusterGraphContext): readonly PodView[] =>
        context.topology.podsOnNode(parent.name),
      resource: (parent: Node): Resource | null => inventory.resource(parent.resourceId) ?? null,
      cluster: (): Cluster => cluster(),
      workloads: (parent: Node, _: unknown, context: ClusterGraphContext): Workload[] => {
        const seen = new Map<string, Workload>();
        for (const pod of context.topology.podsOnNode(parent.name)) {
          const ref = context.topology.workloadRefOf(pod);
          if (ref === undefined || seen.has(workloadKey(ref))) continue;
          const found = workload(ref);
          if (found !== null) seen.set(workloadKey(ref), found);
        }
        return [...seen.values()];
      },
    },

    Pod: {
      workload: (pod: PodView, _: unknown, context: ClusterGraphContext): Workload | null => {
        const ref = context.topology.workloadRefOf(pod);
        return ref === undefined ? null : workload(ref);
      },
      node: (pod: PodView): Node | null => (pod.nodeName === null ? null : node(pod.nodeName)),
    },

    Workload: {
      pods: (parent: Workload, _: unknown, context: ClusterGraphContext): readonly PodView[] =>
        context.topology.podsOfWorkload(parent),
      nfDeployment: (parent: Workload, _: unknown, context: ClusterGraphContext) =>
        loadersOf(context).workloadNfDeployment.load(
          workloadKey({
            kind: parent.kind as WorkloadRef['kind'],
            namespace: parent.namespace,
            name: parent.name,
          }),
        ),
    },
  };
}
