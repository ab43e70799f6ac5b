import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Cluster as ClusterModel, DeploymentManager as DeploymentManagerModel, ResourcePool as ResourcePoolModel, Resource as ResourceModel, ResourceType as ResourceTypeModel, OCloudSite as OCloudSiteModel, Location as LocationModel, Node as NodeModel, NodeCondition as NodeConditionModel, Workload as WorkloadModel, InventoryChange as InventoryChangeModel } from '../model.ts';
import type { PodView as PodViewModel } from '../topology.ts';
import type { TopologyEvent as TopologyEventModel } from '../topology-journal.ts';
import type { TopologyUpdate as TopologyUpdateModel, TopologySnapshot as TopologySnapshotModel } from '../topology-stream.ts';
import type { AlarmDictionary as AlarmDictionaryModel } from '../alarm-dictionary.ts';
import type { HelmRelease as HelmReleaseModel, HelmReleaseRevision as HelmReleaseRevisionModel } from '../helm-releases.ts';
import type { NfDeployment as NfDeploymentModel } from '../nf-deployments.ts';
import type { ClusterGraphContext } from '../resolvers.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Any JSON value: O2 `extensions`, `capabilities`, `capacity`, Kubernetes labels and quantities. */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** One alarm netweave can raise, as the O2 alarm dictionary defines it. */
export type AlarmDefinition = {
  readonly __typename?: 'AlarmDefinition';
  /** Further fields of the definition. */
  readonly alarmAdditionalFields: Maybe<Scalars['JSON']['output']>;
  /** ADDED, DELETED or MODIFIED (in alarmLastChange). */
  readonly alarmChangeType: Scalars['String']['output'];
  /** The id of the definition. */
  readonly alarmDefinitionId: Scalars['ID']['output'];
  /** What the alarm means. */
  readonly alarmDescription: Scalars['String']['output'];
  /** The dictionary version in which the definition last changed. */
  readonly alarmLastChange: Scalars['String']['output'];
  /** The alarm's name. */
  readonly alarmName: Scalars['String']['output'];
  /** AUTOMATIC or MANUAL. */
  readonly clearingType: Scalars['String']['output'];
  /** SOL alarm dictionary managementInterfaceId: the interfaces the alarms are reported on. */
  readonly managementInterfaceId: ReadonlyArray<Scalars['String']['output']>;
  /** The notification fields that identify an alarm (O2 pkNotificationField). */
  readonly pkNotificationField: ReadonlyArray<Scalars['String']['output']>;
  /** What an operator can do about it. */
  readonly proposedRepairActions: Scalars['String']['output'];
};

/** O2 AlarmDictionary: the alarm definitions of one resource type (a fixed catalogue per kind of resource). */
export type AlarmDictionary = {
  readonly __typename?: 'AlarmDictionary';
  /** The alarm definitions. */
  readonly alarmDefinition: ReadonlyArray<AlarmDefinition>;
  /** The id of the dictionary. */
  readonly alarmDictionaryId: Scalars['ID']['output'];
  /** The version of the dictionary schema. */
  readonly alarmDictionarySchemaVersion: Scalars['String']['output'];
  /** The version of the dictionary. */
  readonly alarmDictionaryVersion: Scalars['String']['output'];
  /** The kind of entity the alarms are about. */
  readonly entityType: Scalars['String']['output'];
  /** SOL alarm dictionary managementInterfaceId: the interfaces the alarms are reported on. */
  readonly managementInterfaceId: ReadonlyArray<Scalars['String']['output']>;
  /** The notification fields that identify an alarm (O2 pkNotificationField). */
  readonly pkNotificationField: ReadonlyArray<Scalars['String']['output']>;
  /** The resource type the dictionary belongs to. */
  readonly resourceTypeId: Scalars['ID']['output'];
  /** The vendor of the entity. */
  readonly vendor: Scalars['String']['output'];
};

/** What happened to an O2 object. */
export const ChangeKind = {
  /** The object appeared. */
  Create: 'CREATE',
  /** The object disappeared. */
  Delete: 'DELETE',
  /** The object changed. */
  Modify: 'MODIFY'
} as const;

export type ChangeKind = typeof ChangeKind[keyof typeof ChangeKind];
/** One Kubernetes cluster: the topology root of the graph. */
export type Cluster = {
  readonly __typename?: 'Cluster';
  /** The id the cluster is registered under. */
  readonly clusterId: Scalars['ID']['output'];
  /** The cluster's O2 deployment manager. */
  readonly deploymentManager: DeploymentManager;
  /** Every Helm release of the cluster. */
  readonly helmReleases: ReadonlyArray<HelmRelease>;
  /** The Kubernetes version the API server reports. */
  readonly kubernetesVersion: Maybe<Scalars['String']['output']>;
  /** The location of the cluster's site. */
  readonly location: Location;
  /** The cluster's name (its id). */
  readonly name: Scalars['String']['output'];
  /** The namespaces the caller may see, ordered by name. */
  readonly namespaces: ReadonlyArray<Scalars['String']['output']>;
  /** The releases the O2 DMS made on this cluster. */
  readonly nfDeployments: ReadonlyArray<NfDeployment>;
  /** The cluster's Kubernetes nodes, ordered by name. */
  readonly nodes: ReadonlyArray<Node>;
  /** The cluster's nodes as a connection (ordered by name, or `orderBy`; `filter`: SOL013 over Node fields). */
  readonly nodesConnection: NodeConnection;
  /** The O-Cloud site the cluster is at (its configuration, else its topology labels). */
  readonly oCloudSite: OCloudSite;
  /** The id of the O-Cloud site the cluster is at. */
  readonly oCloudSiteId: Scalars['ID']['output'];
  /** The pods (of `namespace` when given), ordered by namespace and name. */
  readonly pods: ReadonlyArray<Pod>;
  /** The cluster's pods as a connection (ordered by namespace/name, or `orderBy`). */
  readonly podsConnection: PodConnection;
  /** The cluster's resource pools. */
  readonly resourcePools: ReadonlyArray<ResourcePool>;
  /** The Deployments, StatefulSets and DaemonSets (of `namespace` when given). */
  readonly workloads: ReadonlyArray<Workload>;
  /** The cluster's workloads as a connection (ordered by namespace/kind/name, or `orderBy`). */
  readonly workloadsConnection: WorkloadConnection;
};


/** One Kubernetes cluster: the topology root of the graph. */
export type ClusterHelmReleasesArgs = {
  namespace?: InputMaybe<Scalars['String']['input']>;
};


/** One Kubernetes cluster: the topology root of the graph. */
export type ClusterNfDeploymentsArgs = {
  namespace?: InputMaybe<Scalars['String']['input']>;
};


/** One Kubernetes cluster: the topology root of the graph. */
export type ClusterNodesConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<OrderBy>;
};


/** One Kubernetes cluster: the topology root of the graph. */
export type ClusterPodsArgs = {
  namespace?: InputMaybe<Scalars['String']['input']>;
};


/** One Kubernetes cluster: the topology root of the graph. */
export type ClusterPodsConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  namespace?: InputMaybe<Scalars['String']['input']>;
  orderBy?: InputMaybe<OrderBy>;
};


/** One Kubernetes cluster: the topology root of the graph. */
export type ClusterWorkloadsArgs = {
  namespace?: InputMaybe<Scalars['String']['input']>;
};


/** One Kubernetes cluster: the topology root of the graph. */
export type ClusterWorkloadsConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  namespace?: InputMaybe<Scalars['String']['input']>;
  orderBy?: InputMaybe<OrderBy>;
};

/** O2 DeploymentManager: the Kubernetes native profile of one cluster. */
export type DeploymentManager = {
  readonly __typename?: 'DeploymentManager';
  /**
   * The Kubernetes native profile data WITH access credentials (\`cluster_api_endpoint\`, \`cluster_ca_cert\`,
   * \`admin_user\`, \`admin_token\` or \`admin_client_cert\`/\`admin_client_key\`): what kubectl needs against
   * \`serviceUri\`. Admin callers only (router/graphql-authorization.ts); never part of \`extensions\`, so never
   * in change events or notifications. Null when the subgraph has no credentials to hand out.
   */
  readonly adminProfileData: Maybe<Scalars['JSON']['output']>;
  /** What the deployment manager can do (O2 capabilities). */
  readonly capabilities: Scalars['JSON']['output'];
  /** How much the cluster holds (O2 capacity). */
  readonly capacity: Scalars['JSON']['output'];
  /** The cluster of the deployment manager. */
  readonly cluster: Cluster;
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** The O2 id of the deployment manager. */
  readonly deploymentManagerId: Scalars['ID']['output'];
  /** Human-readable description of the object. */
  readonly description: Scalars['String']['output'];
  /** Further attributes (O2 `extensions`): labels, capacity and other data without a field of their own. */
  readonly extensions: Scalars['JSON']['output'];
  /** The name of the object. */
  readonly name: Scalars['String']['output'];
  /** The O-Cloud the deployment manager belongs to. */
  readonly oCloudId: Scalars['ID']['output'];
  /** Where the deployment manager (the cluster's Kubernetes API) is reached. */
  readonly serviceUri: Scalars['String']['output'];
  /** The locations the deployment manager can deploy to. */
  readonly supportedLocations: ReadonlyArray<Scalars['String']['output']>;
};

/** A page of deployment managers. */
export type DeploymentManagerConnection = {
  readonly __typename?: 'DeploymentManagerConnection';
  /** The page's items with their cursors, in the connection's order. */
  readonly edges: ReadonlyArray<DeploymentManagerEdge>;
  /** deployment managershere the page stands: whether more follow, and the cursors to continue from. */
  readonly pageInfo: PageInfo;
  /** How many items match the filter in all (over every page). */
  readonly totalCount: Scalars['Int']['output'];
};

/** One of the deployment managers of a page, with its cursor. */
export type DeploymentManagerEdge = {
  readonly __typename?: 'DeploymentManagerEdge';
  /** Opaque position of the item: pass it as `after` to read the items after it. */
  readonly cursor: Scalars['String']['output'];
  /** The item. */
  readonly node: DeploymentManager;
};

/** A Helm release of one cluster (Helm's Secret storage), whoever installed it; its fields are its latest revision's. */
export type HelmRelease = {
  readonly __typename?: 'HelmRelease';
  /** The chart's appVersion, if it declares one. */
  readonly appVersion: Maybe<Scalars['String']['output']>;
  /** `<chart name>-<chart version>`. */
  readonly chart: Scalars['String']['output'];
  /** The chart's name. */
  readonly chartName: Scalars['String']['output'];
  /** The chart's version. */
  readonly chartVersion: Scalars['String']['output'];
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** Helm's description of the latest revision. */
  readonly description: Scalars['String']['output'];
  /** The release name. */
  readonly name: Scalars['String']['output'];
  /** The release namespace. */
  readonly namespace: Scalars['String']['output'];
  /** The NF deployment when the O2 DMS made this release for a VNF instance; null for a foreign release. */
  readonly nfDeployment: Maybe<NfDeployment>;
  /** The pods of those workloads. */
  readonly pods: ReadonlyArray<Pod>;
  /** The latest revision number. */
  readonly revision: Scalars['Int']['output'];
  /** Every revision Helm keeps, oldest first. */
  readonly revisions: ReadonlyArray<HelmReleaseRevision>;
  /** The latest revision's status. */
  readonly status: Scalars['String']['output'];
  /** When Helm last updated the revision (RFC 3339). */
  readonly updated: Maybe<Scalars['String']['output']>;
  /** sha256 of the canonical JSON of the latest revision's values. */
  readonly valuesDigest: Scalars['String']['output'];
  /** The Deployments, StatefulSets and DaemonSets of the latest revision's manifest that exist in the cluster. */
  readonly workloads: ReadonlyArray<Workload>;
};

/** One revision of a Helm release, as `helm history` lists it. */
export type HelmReleaseRevision = {
  readonly __typename?: 'HelmReleaseRevision';
  /** The chart's appVersion, if it declares one. */
  readonly appVersion: Maybe<Scalars['String']['output']>;
  /** `<chart name>-<chart version>`. */
  readonly chart: Scalars['String']['output'];
  /** The chart's name. */
  readonly chartName: Scalars['String']['output'];
  /** The chart's version. */
  readonly chartVersion: Scalars['String']['output'];
  /** Helm's description; the O2 DMS writes `netweave occurrence <id> <OPERATION>`. */
  readonly description: Scalars['String']['output'];
  /** The revision number. */
  readonly revision: Scalars['Int']['output'];
  /** deployed, superseded, failed, uninstalling, pending-install, pending-upgrade, pending-rollback … */
  readonly status: Scalars['String']['output'];
  /** When Helm last updated the revision (RFC 3339). */
  readonly updated: Maybe<Scalars['String']['output']>;
  /** sha256 of the canonical JSON of the values this revision was given (never the values themselves). */
  readonly valuesDigest: Scalars['String']['output'];
};

/** One O2 inventory change of one cluster, live from its subgraph. */
export type InventoryChange = {
  readonly __typename?: 'InventoryChange';
  /** Whether the object was created, modified or deleted. */
  readonly changeKind: ChangeKind;
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** Opaque position of this event in its cluster's change stream. */
  readonly cursor: Scalars['String']['output'];
  /** The O2 id of the object that changed. */
  readonly objectId: Scalars['ID']['output'];
  /** The kind of O2 object that changed. */
  readonly objectKind: O2ObjectKind;
  /** Path of the object relative to the inventory API root, e.g. /resourcePools/{id}. */
  readonly objectRef: Scalars['String']['output'];
  /** When the change happened (RFC 3339). */
  readonly occurredAt: Scalars['String']['output'];
  /** O2 representation after the change (null for DELETE). */
  readonly postObjectState: Maybe<Scalars['JSON']['output']>;
  /** O2 representation before the change (null for CREATE). */
  readonly priorObjectState: Maybe<Scalars['JSON']['output']>;
};

/** O2 Location: where O-Cloud sites are. */
export type Location = {
  readonly __typename?: 'Location';
  /** The postal address, if configured. */
  readonly address: Maybe<Scalars['String']['output']>;
  /** RFC 4776 civic address elements, if configured. */
  readonly civicAddress: Maybe<Scalars['JSON']['output']>;
  /** GeoJSON point of the location, if configured. */
  readonly coordinate: Maybe<Scalars['JSON']['output']>;
  /** Human-readable description of the object. */
  readonly description: Scalars['String']['output'];
  /** Further attributes (O2 `extensions`): labels, capacity and other data without a field of their own. */
  readonly extensions: Scalars['JSON']['output'];
  /** The SMO-assigned global id of the location. */
  readonly globalLocationId: Scalars['String']['output'];
  /** The location's name. */
  readonly name: Scalars['String']['output'];
  /** The ids of the sites at the location. */
  readonly oCloudSiteIds: ReadonlyArray<Scalars['ID']['output']>;
  /** The O-Cloud sites at the location (of the clusters that answered). */
  readonly sites: ReadonlyArray<OCloudSite>;
};

/**
 * A Helm release made by the O2 DMS for a VNF instance (release `nf-<12 hex digits of the instance id>`): the
 * instance, its package and its LCM operation occurrences come from the DMS records in the state store.
 */
export type NfDeployment = {
  readonly __typename?: 'NfDeployment';
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** The deployment flavour the instance is instantiated with. */
  readonly flavourId: Maybe<Scalars['String']['output']>;
  /** NOT_INSTANTIATED or INSTANTIATED. */
  readonly instantiationState: Scalars['String']['output'];
  /** The release namespace. */
  readonly namespace: Scalars['String']['output'];
  /** The instance's LCM operation occurrences, oldest first (hub subgraph). */
  readonly occurrences: ReadonlyArray<VnfLcmOpOcc>;
  /** The release's pods (the instance's VNFCs). */
  readonly pods: ReadonlyArray<Pod>;
  /** The Helm release behind the NF deployment. */
  readonly release: HelmRelease;
  /** The Helm release name (`nf-<12 hex digits of the instance id>`). */
  readonly releaseName: Scalars['String']['output'];
  /** The VNF instance as the O2 DMS serves it (hub subgraph). */
  readonly vnfInstance: VnfInstance;
  /** The id of the VNF instance. */
  readonly vnfInstanceId: Scalars['ID']['output'];
  /** The instance's name, if it was given one. */
  readonly vnfInstanceName: Maybe<Scalars['String']['output']>;
  /** The on-boarded NF package (SOL005 VnfPkgInfo id). */
  readonly vnfPkgId: Scalars['ID']['output'];
  /** The VNFD the instance runs (SOL003 vnfdId). */
  readonly vnfdId: Scalars['String']['output'];
};

/** A Kubernetes node (topology view). */
export type Node = {
  readonly __typename?: 'Node';
  /** What pods can be given (Kubernetes quantities). */
  readonly allocatable: Scalars['JSON']['output'];
  /** The node's capacity (Kubernetes quantities). */
  readonly capacity: Scalars['JSON']['output'];
  /** The cluster the node belongs to. */
  readonly cluster: Cluster;
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** The node's conditions. */
  readonly conditions: ReadonlyArray<NodeCondition>;
  /** The node's labels. */
  readonly labels: Scalars['JSON']['output'];
  /** The node's name. */
  readonly name: Scalars['String']['output'];
  /** The pods scheduled on the node. */
  readonly pods: ReadonlyArray<Pod>;
  /** The Ready condition is True. */
  readonly ready: Scalars['Boolean']['output'];
  /** The node as an O2 resource (alarms, pool, type). */
  readonly resource: Maybe<Resource>;
  /** The id of the O2 resource for this node. */
  readonly resourceId: Scalars['ID']['output'];
  /** The id of the pool the node is in. */
  readonly resourcePoolId: Scalars['ID']['output'];
  /** The Kubernetes metadata.uid of the object. */
  readonly uid: Scalars['ID']['output'];
  /** The workloads with a pod on this node. */
  readonly workloads: ReadonlyArray<Workload>;
};

/** One condition of a Kubernetes node (Ready, MemoryPressure, …). */
export type NodeCondition = {
  readonly __typename?: 'NodeCondition';
  /** When the status last changed (RFC 3339). */
  readonly lastTransitionTime: Maybe<Scalars['String']['output']>;
  /** Human-readable detail. */
  readonly message: Maybe<Scalars['String']['output']>;
  /** Machine-readable reason of the last transition. */
  readonly reason: Maybe<Scalars['String']['output']>;
  /** True, False or Unknown. */
  readonly status: Scalars['String']['output'];
  /** The condition type. */
  readonly type: Scalars['String']['output'];
};

/** A page of Kubernetes nodes. */
export type NodeConnection = {
  readonly __typename?: 'NodeConnection';
  /** The page's items with their cursors, in the connection's order. */
  readonly edges: ReadonlyArray<NodeEdge>;
  /** Kubernetes nodeshere the page stands: whether more follow, and the cursors to continue from. */
  readonly pageInfo: PageInfo;
  /** How many items match the filter in all (over every page). */
  readonly totalCount: Scalars['Int']['output'];
};

/** One of the Kubernetes nodes of a page, with its cursor. */
export type NodeEdge = {
  readonly __typename?: 'NodeEdge';
  /** Opaque position of the item: pass it as `after` to read the items after it. */
  readonly cursor: Scalars['String']['output'];
  /** The item. */
  readonly node: Node;
};

/** The O2 inventory objects that have change events. */
export const O2ObjectKind = {
  /** An O2 DeploymentManager. */
  DeploymentManager: 'DEPLOYMENT_MANAGER',
  /** An O2 Resource. */
  Resource: 'RESOURCE',
  /** An O2 ResourcePool. */
  ResourcePool: 'RESOURCE_POOL',
  /** An O2 ResourceType. */
  ResourceType: 'RESOURCE_TYPE'
} as const;

export type O2ObjectKind = typeof O2ObjectKind[keyof typeof O2ObjectKind];
/** O2 O-Cloud site: where clusters stand. Shared by every cluster at the site: its lists gather all of them. */
export type OCloudSite = {
  readonly __typename?: 'OCloudSite';
  /** The clusters at the site (of the clusters that answered). */
  readonly clusters: ReadonlyArray<Cluster>;
  /** Human-readable description of the object. */
  readonly description: Scalars['String']['output'];
  /** Further attributes (O2 `extensions`): labels, capacity and other data without a field of their own. */
  readonly extensions: Scalars['JSON']['output'];
  /** The global location id of the site's location. */
  readonly globalLocationId: Scalars['String']['output'];
  /** The site's location. */
  readonly location: Location;
  /** The site's name. */
  readonly name: Scalars['String']['output'];
  /** The O2 id of the site. */
  readonly oCloudSiteId: Scalars['ID']['output'];
  /** The resource pools of every cluster at the site. */
  readonly resourcePools: ReadonlyArray<ResourcePool>;
};

/** What a connection is ordered by: one scalar attribute of its objects, then their id (so the order is total). */
export type OrderBy = {
  /** A top-level scalar attribute of the listed objects, by its field name (e.g. `description`, `name`, `ready`). */
  readonly attribute: Scalars['String']['input'];
  /** ASC by default. */
  readonly direction?: InputMaybe<OrderDirection>;
};

/** Direction of an ordered connection. */
export const OrderDirection = {
  /** Smallest first (nulls last). */
  Asc: 'ASC',
  /** Largest first. */
  Desc: 'DESC'
} as const;

export type OrderDirection = typeof OrderDirection[keyof typeof OrderDirection];
/** Where a page of a connection stands. */
export type PageInfo = {
  readonly __typename?: 'PageInfo';
  /** The cursor of the last item of the page; null when the page is empty. */
  readonly endCursor: Maybe<Scalars['String']['output']>;
  /** More items follow this page: pass `endCursor` as `after` to read them. */
  readonly hasNextPage: Scalars['Boolean']['output'];
  /** The page started after a cursor. */
  readonly hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the first item of the page; null when the page is empty. */
  readonly startCursor: Maybe<Scalars['String']['output']>;
};

/** A Kubernetes pod (topology view). */
export type Pod = {
  readonly __typename?: 'Pod';
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** The pod's name. */
  readonly name: Scalars['String']['output'];
  /** The Kubernetes namespace. */
  readonly namespace: Scalars['String']['output'];
  /** The node the pod is scheduled on; null while pending. */
  readonly node: Maybe<Node>;
  /** The node the pod is scheduled on; null while pending. */
  readonly nodeName: Maybe<Scalars['String']['output']>;
  /** Pending, Running, Succeeded, Failed or Unknown. */
  readonly phase: Scalars['String']['output'];
  /** The Ready condition is True. */
  readonly ready: Scalars['Boolean']['output'];
  /** Container restarts, summed over the pod's containers. */
  readonly restarts: Scalars['Int']['output'];
  /** The Kubernetes metadata.uid of the object. */
  readonly uid: Scalars['ID']['output'];
  /** Owning workload (Deployment, StatefulSet, DaemonSet), if any. */
  readonly workload: Maybe<Workload>;
};

/** A page of pods. */
export type PodConnection = {
  readonly __typename?: 'PodConnection';
  /** The page's items with their cursors, in the connection's order. */
  readonly edges: ReadonlyArray<PodEdge>;
  /** podshere the page stands: whether more follow, and the cursors to continue from. */
  readonly pageInfo: PageInfo;
  /** How many items match the filter in all (over every page). */
  readonly totalCount: Scalars['Int']['output'];
};

/** One of the pods of a page, with its cursor. */
export type PodEdge = {
  readonly __typename?: 'PodEdge';
  /** Opaque position of the item: pass it as `after` to read the items after it. */
  readonly cursor: Scalars['String']['output'];
  /** The item. */
  readonly node: Pod;
};

export type Query = {
  readonly __typename?: 'Query';
  /** The alarm dictionary of every resource type of the cluster (one per type; shared across clusters). `filter`: SOL013. */
  readonly alarmDictionaries: ReadonlyArray<Maybe<AlarmDictionary>>;
  /** One alarm dictionary by its id. */
  readonly alarmDictionary: Maybe<AlarmDictionary>;
  /** One cluster by its id; null when it is not registered or the caller may not see it. */
  readonly cluster: Maybe<Cluster>;
  /** Every cluster the caller may see that answered (one per shard); a missing one is named in `errors` and `extensions.missingClusters`. */
  readonly clusters: ReadonlyArray<Maybe<Cluster>>;
  /** One deployment manager by its id (the owning cluster is asked only). */
  readonly deploymentManager: Maybe<DeploymentManager>;
  /**
   * Every deployment manager (one per cluster) of every cluster (of the clusters the caller may see), each cluster's in ascending id order,
   * grouped by cluster. For one order across clusters, paging and a total use `deploymentManagersConnection`.
   * `filter`: a SOL013 filter (ETSI GS NFV-SOL 013 §5.2), e.g. `(eq,name,gpu)`; a malformed one is BAD_USER_INPUT.
   */
  readonly deploymentManagers: ReadonlyArray<Maybe<DeploymentManager>>;
  /**
   * The deployment managers of every cluster as one connection: ordered by `orderBy` (default: by id) across all clusters, paged
   * with opaque cursors (`first` up to 1000, `after` the `endCursor` of the previous page) that stay exact across
   * clusters; `totalCount` counts every match. `filter` is a SOL013 filter string, as for REST.
   */
  readonly deploymentManagersConnection: Maybe<DeploymentManagerConnection>;
  /**
   * Helm releases of every cluster (or of `clusterId`), from Helm's release secrets: every release, whoever
   * installed it, ordered by namespace and name.
   */
  readonly helmReleases: ReadonlyArray<HelmRelease>;
  /** One location by its global location id. */
  readonly location: Maybe<Location>;
  /** Locations of the clusters' sites; shared across clusters at the same location. `filter`: SOL013. */
  readonly locations: ReadonlyArray<Maybe<Location>>;
  /** The Helm releases the O2 DMS made for VNF instances (a subset of helmReleases), ordered by namespace and name. */
  readonly nfDeployments: ReadonlyArray<NfDeployment>;
  /** One O-Cloud site by its id. */
  readonly oCloudSite: Maybe<OCloudSite>;
  /** O-Cloud sites (from cluster configuration); shared across clusters that name the same site. `filter`: SOL013. */
  readonly oCloudSites: ReadonlyArray<Maybe<OCloudSite>>;
  /** One resource by its id (the owning cluster is asked only). */
  readonly resource: Maybe<Resource>;
  /** One resource pool by its id (the owning cluster is asked only). */
  readonly resourcePool: Maybe<ResourcePool>;
  /**
   * Every resource pool of every cluster (of the clusters the caller may see), each cluster's in ascending id order,
   * grouped by cluster. For one order across clusters, paging and a total use `resourcePoolsConnection`.
   * `filter`: a SOL013 filter (ETSI GS NFV-SOL 013 §5.2), e.g. `(eq,name,gpu)`; a malformed one is BAD_USER_INPUT.
   */
  readonly resourcePools: ReadonlyArray<Maybe<ResourcePool>>;
  /**
   * The resource pools of every cluster as one connection: ordered by `orderBy` (default: by id) across all clusters, paged
   * with opaque cursors (`first` up to 1000, `after` the `endCursor` of the previous page) that stay exact across
   * clusters; `totalCount` counts every match. `filter` is a SOL013 filter string, as for REST.
   */
  readonly resourcePoolsConnection: Maybe<ResourcePoolConnection>;
  /** One resource type by its id. */
  readonly resourceType: Maybe<ResourceType>;
  /**
   * Resource types are shared across clusters; the router de-duplicates them by resourceTypeId.
   * `filter`: a SOL013 filter string.
   */
  readonly resourceTypes: ReadonlyArray<Maybe<ResourceType>>;
  /**
   * Every resource (Kubernetes node) of every pool, or of pool `resourcePoolId`, of every cluster (of the clusters the caller may see), each cluster's in ascending id order,
   * grouped by cluster. For one order across clusters, paging and a total use `resourcesConnection`.
   * `filter`: a SOL013 filter (ETSI GS NFV-SOL 013 §5.2), e.g. `(eq,name,gpu)`; a malformed one is BAD_USER_INPUT.
   */
  readonly resources: ReadonlyArray<Maybe<Resource>>;
  /**
   * The resources (of pool `resourcePoolId` when given) of every cluster as one connection: ordered by `orderBy` (default: by id) across all clusters, paged
   * with opaque cursors (`first` up to 1000, `after` the `endCursor` of the previous page) that stay exact across
   * clusters; `totalCount` counts every match. `filter` is a SOL013 filter string, as for REST.
   */
  readonly resourcesConnection: Maybe<ResourceConnection>;
};


export type QueryAlarmDictionariesArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  compiledFilter?: InputMaybe<Scalars['JSON']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAlarmDictionaryArgs = {
  alarmDictionaryId: Scalars['ID']['input'];
};


export type QueryClusterArgs = {
  clusterId: Scalars['ID']['input'];
};


export type QueryDeploymentManagerArgs = {
  deploymentManagerId: Scalars['ID']['input'];
};


export type QueryDeploymentManagersArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  compiledFilter?: InputMaybe<Scalars['JSON']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryDeploymentManagersConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<OrderBy>;
};


export type QueryHelmReleasesArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  namespace?: InputMaybe<Scalars['String']['input']>;
};


export type QueryLocationArgs = {
  globalLocationId: Scalars['ID']['input'];
};


export type QueryLocationsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  compiledFilter?: InputMaybe<Scalars['JSON']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryNfDeploymentsArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  namespace?: InputMaybe<Scalars['String']['input']>;
};


export type QueryOCloudSiteArgs = {
  oCloudSiteId: Scalars['ID']['input'];
};


export type QueryOCloudSitesArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  compiledFilter?: InputMaybe<Scalars['JSON']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryResourceArgs = {
  resourceId: Scalars['ID']['input'];
};


export type QueryResourcePoolArgs = {
  resourcePoolId: Scalars['ID']['input'];
};


export type QueryResourcePoolsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  compiledFilter?: InputMaybe<Scalars['JSON']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryResourcePoolsConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<OrderBy>;
};


export type QueryResourceTypeArgs = {
  resourceTypeId: Scalars['ID']['input'];
};


export type QueryResourceTypesArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  compiledFilter?: InputMaybe<Scalars['JSON']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryResourcesArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  compiledFilter?: InputMaybe<Scalars['JSON']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  resourcePoolId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryResourcesConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<OrderBy>;
  resourcePoolId?: InputMaybe<Scalars['ID']['input']>;
};

/** O2 Resource: a node (top level) or one of its elements (CPU, memory, accelerator, NIC, storage). */
export type Resource = {
  readonly __typename?: 'Resource';
  /** The cluster the resource belongs to. */
  readonly cluster: Cluster;
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** Human-readable description of the object. */
  readonly description: Scalars['String']['output'];
  /** The resource's elements: CPUs, memory, accelerators, NICs and storage. */
  readonly elements: ReadonlyArray<Resource>;
  /** Further attributes (O2 `extensions`): labels, capacity and other data without a field of their own. */
  readonly extensions: Scalars['JSON']['output'];
  /** The asset id of the hardware (e.g. the node's system UUID). */
  readonly globalAssetId: Scalars['String']['output'];
  /** The groups the resource is in (from labels). */
  readonly groups: ReadonlyArray<Scalars['String']['output']>;
  /** The Kubernetes node behind a top-level resource; null for elements. */
  readonly node: Maybe<Node>;
  /** The O-Cloud site of the resource's cluster. */
  readonly oCloudSite: OCloudSite;
  /** The id of the resource (an O2 UUID, stable across restarts). */
  readonly resourceId: Scalars['ID']['output'];
  /** The pool the resource is in; null for elements whose pool is their node's. */
  readonly resourcePool: Maybe<ResourcePool>;
  /** The id of the pool the resource is in. */
  readonly resourcePoolId: Scalars['ID']['output'];
  /** The resource's type. */
  readonly resourceType: ResourceType;
  /** The id of the resource's type. */
  readonly resourceTypeId: Scalars['ID']['output'];
  /** Free tags of the resource (from labels). */
  readonly tags: ReadonlyArray<Scalars['String']['output']>;
};

/** O2 resourceClass of a resource type. */
export const ResourceClass = {
  /** Compute. */
  Compute: 'COMPUTE',
  /** Networking. */
  Networking: 'NETWORKING',
  /** Storage. */
  Storage: 'STORAGE',
  /** Not known. */
  Undefined: 'UNDEFINED'
} as const;

export type ResourceClass = typeof ResourceClass[keyof typeof ResourceClass];
/** A page of resources. */
export type ResourceConnection = {
  readonly __typename?: 'ResourceConnection';
  /** The page's items with their cursors, in the connection's order. */
  readonly edges: ReadonlyArray<ResourceEdge>;
  /** resourceshere the page stands: whether more follow, and the cursors to continue from. */
  readonly pageInfo: PageInfo;
  /** How many items match the filter in all (over every page). */
  readonly totalCount: Scalars['Int']['output'];
};

/** One of the resources of a page, with its cursor. */
export type ResourceEdge = {
  readonly __typename?: 'ResourceEdge';
  /** Opaque position of the item: pass it as `after` to read the items after it. */
  readonly cursor: Scalars['String']['output'];
  /** The item. */
  readonly node: Resource;
};

/** O2 resourceKind of a resource type. */
export const ResourceKind = {
  /** Virtual or logical. */
  Logical: 'LOGICAL',
  /** Hardware. */
  Physical: 'PHYSICAL',
  /** Not known. */
  Undefined: 'UNDEFINED'
} as const;

export type ResourceKind = typeof ResourceKind[keyof typeof ResourceKind];
/** O2 ResourcePool: nodes of one cluster grouped by the pool label. */
export type ResourcePool = {
  readonly __typename?: 'ResourcePool';
  /** The cluster the pool belongs to. */
  readonly cluster: Cluster;
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** Human-readable description of the object. */
  readonly description: Scalars['String']['output'];
  /** Further attributes (O2 `extensions`): labels, capacity and other data without a field of their own. */
  readonly extensions: Scalars['JSON']['output'];
  /** The global location id of the pool's site. */
  readonly globalLocationId: Scalars['String']['output'];
  /** The name of the object. */
  readonly name: Scalars['String']['output'];
  /** The O-Cloud site of the pool. */
  readonly oCloudSite: OCloudSite;
  /** The id of the O-Cloud site of the pool. */
  readonly oCloudSiteId: Scalars['ID']['output'];
  /** The O2 id of the pool. */
  readonly resourcePoolId: Scalars['ID']['output'];
  /** The pool's resources in ascending id order. `filter`: a SOL013 filter string. */
  readonly resources: ReadonlyArray<Resource>;
  /** The pool's resources as a connection (ordered by id, or `orderBy`). */
  readonly resourcesConnection: ResourceConnection;
};


/** O2 ResourcePool: nodes of one cluster grouped by the pool label. */
export type ResourcePoolResourcesArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  compiledFilter?: InputMaybe<Scalars['JSON']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** O2 ResourcePool: nodes of one cluster grouped by the pool label. */
export type ResourcePoolResourcesConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<OrderBy>;
};

/** A page of resource pools. */
export type ResourcePoolConnection = {
  readonly __typename?: 'ResourcePoolConnection';
  /** The page's items with their cursors, in the connection's order. */
  readonly edges: ReadonlyArray<ResourcePoolEdge>;
  /** resource poolshere the page stands: whether more follow, and the cursors to continue from. */
  readonly pageInfo: PageInfo;
  /** How many items match the filter in all (over every page). */
  readonly totalCount: Scalars['Int']['output'];
};

/** One of the resource pools of a page, with its cursor. */
export type ResourcePoolEdge = {
  readonly __typename?: 'ResourcePoolEdge';
  /** Opaque position of the item: pass it as `after` to read the items after it. */
  readonly cursor: Scalars['String']['output'];
  /** The item. */
  readonly node: ResourcePool;
};

/** O2 ResourceType: a distinct kind of node or element, identified by vendor/model/version/kind/class. */
export type ResourceType = {
  readonly __typename?: 'ResourceType';
  /** The alarms netweave can raise for resources of this type (alarms/alarm-catalogue.ts). */
  readonly alarmDictionary: Maybe<AlarmDictionary>;
  /** The id of the type's alarm dictionary. */
  readonly alarmDictionaryId: Maybe<Scalars['ID']['output']>;
  /** Human-readable description of the object. */
  readonly description: Scalars['String']['output'];
  /** Further attributes (O2 `extensions`): labels, capacity and other data without a field of their own. */
  readonly extensions: Scalars['JSON']['output'];
  /** The model of the hardware. */
  readonly model: Scalars['String']['output'];
  /** The type's name. */
  readonly name: Scalars['String']['output'];
  /** Compute, networking or storage. */
  readonly resourceClass: ResourceClass;
  /** Physical or logical. */
  readonly resourceKind: ResourceKind;
  /** The O2 id of the type. */
  readonly resourceTypeId: Scalars['ID']['output'];
  /** The vendor of the hardware. */
  readonly vendor: Scalars['String']['output'];
  /** The version of the hardware. */
  readonly version: Scalars['String']['output'];
};

export type Subscription = {
  readonly __typename?: 'Subscription';
  /**
   * Live O2 changes of each cluster as they happen (no cursor, nothing replayed): the router merges one
   * stream per shard. For a durable, resumable feed use the hub's `inventoryChanged`.
   */
  readonly liveInventoryChanged: InventoryChange;
  /**
   * The live topology with snapshot and resume (docs/graphql.md "Topology stream"). Per cluster, the first update
   * is a SNAPSHOT of its nodes, pods and workloads, then every CHANGE after it; each update carries the `cursor`
   * to resume after it. A view that reconnects passes, in `after`, the last cursor it received from each cluster:
   * it gets the changes it missed, then live ones, with no gap (and no snapshot). A cursor the cluster cannot
   * resume from (too old, or from before its subgraph restarted) yields a SNAPSHOT with `reset: true` instead,
   * as does a view that falls too far behind. Nodes are always included; `namespaces` scopes pods and workloads.
   */
  readonly topology: TopologyUpdate;
  /**
   * The live topology view: nodes, pods and workloads of every cluster as their watches report them. Live only
   * (no snapshot, no resume): a view should use `topology`.
   */
  readonly topologyChanged: TopologyEvent;
};


export type SubscriptionLiveInventoryChangedArgs = {
  objectKinds?: InputMaybe<ReadonlyArray<O2ObjectKind>>;
};


export type SubscriptionTopologyArgs = {
  after?: InputMaybe<ReadonlyArray<Scalars['String']['input']>>;
  clusters?: InputMaybe<ReadonlyArray<Scalars['ID']['input']>>;
  namespaces?: InputMaybe<ReadonlyArray<Scalars['String']['input']>>;
};


export type SubscriptionTopologyChangedArgs = {
  kinds?: InputMaybe<ReadonlyArray<TopologyKind>>;
};

/** One change of a cluster's topology (a Kubernetes watch event, mapped). */
export type TopologyEvent = {
  readonly __typename?: 'TopologyEvent';
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** ADDED, MODIFIED or DELETED. */
  readonly eventType: Scalars['String']['output'];
  /** The kind of object that changed. */
  readonly kind: TopologyKind;
  /** The name of the object. */
  readonly name: Scalars['String']['output'];
  /** The namespace of the object; null for nodes. */
  readonly namespace: Maybe<Scalars['String']['output']>;
  /** The node (kind NODE), as it is after the event (before it, for DELETED). */
  readonly node: Maybe<Node>;
  /** The pod (kind POD), as it is after the event (before it, for DELETED). */
  readonly pod: Maybe<Pod>;
  /** The workload (kind WORKLOAD), as it is after the event (before it, for DELETED). */
  readonly workload: Maybe<Workload>;
};

/** The kinds of Kubernetes object the topology view follows. */
export const TopologyKind = {
  /** A node. */
  Node: 'NODE',
  /** A pod. */
  Pod: 'POD',
  /** A Deployment, StatefulSet or DaemonSet. */
  Workload: 'WORKLOAD'
} as const;

export type TopologyKind = typeof TopologyKind[keyof typeof TopologyKind];
/** A cluster's nodes, pods and workloads at one cursor. */
export type TopologySnapshot = {
  readonly __typename?: 'TopologySnapshot';
  /** Every node of the cluster (nodes are not namespaced, so namespace scoping keeps them all). */
  readonly nodes: ReadonlyArray<Node>;
  /** The pods of the namespaces in scope. */
  readonly pods: ReadonlyArray<Pod>;
  /** The workloads (Deployments, StatefulSets, DaemonSets) of the namespaces in scope. */
  readonly workloads: ReadonlyArray<Workload>;
};

/** One update of `Subscription.topology`, for one cluster. */
export type TopologyUpdate = {
  readonly __typename?: 'TopologyUpdate';
  /** The change (kind CHANGE). */
  readonly change: Maybe<TopologyEvent>;
  /** The cluster the update is about. */
  readonly clusterId: Scalars['ID']['output'];
  /** Opaque position in the cluster's change journal: pass the last one of each cluster as `after` to resume. */
  readonly cursor: Scalars['String']['output'];
  /** SNAPSHOT (then `snapshot` is set) or CHANGE (then `change` is set). */
  readonly kind: TopologyUpdateKind;
  /**
   * SNAPSHOT only: true when this snapshot replaces what the view holds for the cluster because changes were
   * lost (the resume cursor was too old or from before a restart, or the view fell too far behind).
   */
  readonly reset: Scalars['Boolean']['output'];
  /** The cluster's topology in scope (kind SNAPSHOT): replace everything held for this cluster with it. */
  readonly snapshot: Maybe<TopologySnapshot>;
};

/** SNAPSHOT: the whole topology of one cluster; CHANGE: one change after the previous update of that cluster. */
export const TopologyUpdateKind = {
  /** One change after the previous update's cursor. */
  Change: 'CHANGE',
  /** The cluster's whole topology (nodes, pods, workloads in scope) as of the update's cursor. */
  Snapshot: 'SNAPSHOT'
} as const;

export type TopologyUpdateKind = typeof TopologyUpdateKind[keyof typeof TopologyUpdateKind];
/** A VNF instance of the O2 DMS (owned by the hub subgraph). */
export type VnfInstance = {
  readonly __typename?: 'VnfInstance';
  /** The instance id. */
  readonly id: Scalars['ID']['output'];
};

/** A VNF LCM operation occurrence of the O2 DMS (owned by the hub subgraph). */
export type VnfLcmOpOcc = {
  readonly __typename?: 'VnfLcmOpOcc';
  /** The occurrence id. */
  readonly id: Scalars['ID']['output'];
};

/** A Deployment, StatefulSet or DaemonSet (topology view). */
export type Workload = {
  readonly __typename?: 'Workload';
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** Deployment, StatefulSet or DaemonSet. */
  readonly kind: Scalars['String']['output'];
  /** The workload's name. */
  readonly name: Scalars['String']['output'];
  /** The Kubernetes namespace. */
  readonly namespace: Scalars['String']['output'];
  /** The NF deployment (O2 DMS) whose Helm release made this workload; null for anything else. */
  readonly nfDeployment: Maybe<NfDeployment>;
  /** The workload's pods. */
  readonly pods: ReadonlyArray<Pod>;
  /** Ready replicas. */
  readonly readyReplicas: Scalars['Int']['output'];
  /** Desired replicas. */
  readonly replicas: Scalars['Int']['output'];
};

/** A page of workloads. */
export type WorkloadConnection = {
  readonly __typename?: 'WorkloadConnection';
  /** The page's items with their cursors, in the connection's order. */
  readonly edges: ReadonlyArray<WorkloadEdge>;
  /** workloadshere the page stands: whether more follow, and the cursors to continue from. */
  readonly pageInfo: PageInfo;
  /** How many items match the filter in all (over every page). */
  readonly totalCount: Scalars['Int']['output'];
};

/** One of the workloads of a page, with its cursor. */
export type WorkloadEdge = {
  readonly __typename?: 'WorkloadEdge';
  /** Opaque position of the item: pass it as `after` to read the items after it. */
  readonly cursor: Scalars['String']['output'];
  /** The item. */
  readonly node: Workload;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Cluster: Cluster;
  DeploymentManager: DeploymentManager;
  HelmRelease: HelmRelease;
  Location: Location;
  NfDeployment: NfDeployment;
  Node: Node;
  OCloudSite: OCloudSite;
  Resource: Resource;
  ResourcePool: ResourcePool;
  ResourceType: ResourceType;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Cluster:
    ( { __typename: 'Cluster' }
    & GraphQLRecursivePick<FederationTypes['Cluster'], {"clusterId":true}> );
  DeploymentManager:
    ( { __typename: 'DeploymentManager' }
    & GraphQLRecursivePick<FederationTypes['DeploymentManager'], {"clusterId":true,"deploymentManagerId":true}> );
  HelmRelease:
    ( { __typename: 'HelmRelease' }
    & GraphQLRecursivePick<FederationTypes['HelmRelease'], {"clusterId":true,"namespace":true,"name":true}> );
  Location:
    ( { __typename: 'Location' }
    & GraphQLRecursivePick<FederationTypes['Location'], {"globalLocationId":true}> );
  NfDeployment:
    ( { __typename: 'NfDeployment' }
    & GraphQLRecursivePick<FederationTypes['NfDeployment'], {"clusterId":true,"vnfInstanceId":true}> );
  Node:
    ( { __typename: 'Node' }
    & GraphQLRecursivePick<FederationTypes['Node'], {"clusterId":true,"name":true}> );
  OCloudSite:
    ( { __typename: 'OCloudSite' }
    & GraphQLRecursivePick<FederationTypes['OCloudSite'], {"oCloudSiteId":true}> );
  Resource:
    ( { __typename: 'Resource' }
    & GraphQLRecursivePick<FederationTypes['Resource'], {"clusterId":true,"resourceId":true}> );
  ResourcePool:
    ( { __typename: 'ResourcePool' }
    & GraphQLRecursivePick<FederationTypes['ResourcePool'], {"clusterId":true,"resourcePoolId":true}> );
  ResourceType:
    ( { __typename: 'ResourceType' }
    & GraphQLRecursivePick<FederationTypes['ResourceType'], {"resourceTypeId":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AlarmDefinition: ResolverTypeWrapper<AlarmDefinition>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AlarmDictionary: ResolverTypeWrapper<AlarmDictionaryModel>;
  ChangeKind: ChangeKind;
  Cluster: ResolverTypeWrapper<ClusterModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  DeploymentManager: ResolverTypeWrapper<DeploymentManagerModel>;
  DeploymentManagerConnection: ResolverTypeWrapper<Omit<DeploymentManagerConnection, 'edges'> & { edges: ReadonlyArray<ResolversTypes['DeploymentManagerEdge']> }>;
  DeploymentManagerEdge: ResolverTypeWrapper<Omit<DeploymentManagerEdge, 'node'> & { node: ResolversTypes['DeploymentManager'] }>;
  HelmRelease: ResolverTypeWrapper<HelmReleaseModel>;
  HelmReleaseRevision: ResolverTypeWrapper<HelmReleaseRevisionModel>;
  InventoryChange: ResolverTypeWrapper<InventoryChangeModel>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Location: ResolverTypeWrapper<LocationModel>;
  NfDeployment: ResolverTypeWrapper<NfDeploymentModel>;
  Node: ResolverTypeWrapper<NodeModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  NodeCondition: ResolverTypeWrapper<NodeConditionModel>;
  NodeConnection: ResolverTypeWrapper<Omit<NodeConnection, 'edges'> & { edges: ReadonlyArray<ResolversTypes['NodeEdge']> }>;
  NodeEdge: ResolverTypeWrapper<Omit<NodeEdge, 'node'> & { node: ResolversTypes['Node'] }>;
  O2ObjectKind: O2ObjectKind;
  OCloudSite: ResolverTypeWrapper<OCloudSiteModel>;
  OrderBy: OrderBy;
  OrderDirection: OrderDirection;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Pod: ResolverTypeWrapper<PodViewModel>;
  PodConnection: ResolverTypeWrapper<Omit<PodConnection, 'edges'> & { edges: ReadonlyArray<ResolversTypes['PodEdge']> }>;
  PodEdge: ResolverTypeWrapper<Omit<PodEdge, 'node'> & { node: ResolversTypes['Pod'] }>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Resource: ResolverTypeWrapper<ResourceModel>;
  ResourceClass: ResourceClass;
  ResourceConnection: ResolverTypeWrapper<Omit<ResourceConnection, 'edges'> & { edges: ReadonlyArray<ResolversTypes['ResourceEdge']> }>;
  ResourceEdge: ResolverTypeWrapper<Omit<ResourceEdge, 'node'> & { node: ResolversTypes['Resource'] }>;
  ResourceKind: ResourceKind;
  ResourcePool: ResolverTypeWrapper<ResourcePoolModel>;
  ResourcePoolConnection: ResolverTypeWrapper<Omit<ResourcePoolConnection, 'edges'> & { edges: ReadonlyArray<ResolversTypes['ResourcePoolEdge']> }>;
  ResourcePoolEdge: ResolverTypeWrapper<Omit<ResourcePoolEdge, 'node'> & { node: ResolversTypes['ResourcePool'] }>;
  ResourceType: ResolverTypeWrapper<ResourceTypeModel>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TopologyEvent: ResolverTypeWrapper<TopologyEventModel>;
  TopologyKind: TopologyKind;
  TopologySnapshot: ResolverTypeWrapper<TopologySnapshotModel>;
  TopologyUpdate: ResolverTypeWrapper<TopologyUpdateModel>;
  TopologyUpdateKind: TopologyUpdateKind;
  VnfInstance: ResolverTypeWrapper<VnfInstance>;
  VnfLcmOpOcc: ResolverTypeWrapper<VnfLcmOpOcc>;
  Workload: ResolverTypeWrapper<WorkloadModel>;
  WorkloadConnection: ResolverTypeWrapper<Omit<WorkloadConnection, 'edges'> & { edges: ReadonlyArray<ResolversTypes['WorkloadEdge']> }>;
  WorkloadEdge: ResolverTypeWrapper<Omit<WorkloadEdge, 'node'> & { node: ResolversTypes['Workload'] }>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AlarmDefinition: AlarmDefinition;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  AlarmDictionary: AlarmDictionaryModel;
  Cluster: ClusterModel;
  Int: Scalars['Int']['output'];
  DeploymentManager: DeploymentManagerModel;
  DeploymentManagerConnection: Omit<DeploymentManagerConnection, 'edges'> & { edges: ReadonlyArray<ResolversParentTypes['DeploymentManagerEdge']> };
  DeploymentManagerEdge: Omit<DeploymentManagerEdge, 'node'> & { node: ResolversParentTypes['DeploymentManager'] };
  HelmRelease: HelmReleaseModel;
  HelmReleaseRevision: HelmReleaseRevisionModel;
  InventoryChange: InventoryChangeModel;
  JSON: Scalars['JSON']['output'];
  Location: LocationModel;
  NfDeployment: NfDeploymentModel;
  Node: NodeModel;
  Boolean: Scalars['Boolean']['output'];
  NodeCondition: NodeConditionModel;
  NodeConnection: Omit<NodeConnection, 'edges'> & { edges: ReadonlyArray<ResolversParentTypes['NodeEdge']> };
  NodeEdge: Omit<NodeEdge, 'node'> & { node: ResolversParentTypes['Node'] };
  OCloudSite: OCloudSiteModel;
  OrderBy: OrderBy;
  PageInfo: PageInfo;
  Pod: PodViewModel;
  PodConnection: Omit<PodConnection, 'edges'> & { edges: ReadonlyArray<ResolversParentTypes['PodEdge']> };
  PodEdge: Omit<PodEdge, 'node'> & { node: ResolversParentTypes['Pod'] };
  Query: Record<PropertyKey, never>;
  Resource: ResourceModel;
  ResourceConnection: Omit<ResourceConnection, 'edges'> & { edges: ReadonlyArray<ResolversParentTypes['ResourceEdge']> };
  ResourceEdge: Omit<ResourceEdge, 'node'> & { node: ResolversParentTypes['Resource'] };
  ResourcePool: ResourcePoolModel;
  ResourcePoolConnection: Omit<ResourcePoolConnection, 'edges'> & { edges: ReadonlyArray<ResolversParentTypes['ResourcePoolEdge']> };
  ResourcePoolEdge: Omit<ResourcePoolEdge, 'node'> & { node: ResolversParentTypes['ResourcePool'] };
  ResourceType: ResourceTypeModel;
  Subscription: Record<PropertyKey, never>;
  TopologyEvent: TopologyEventModel;
  TopologySnapshot: TopologySnapshotModel;
  TopologyUpdate: TopologyUpdateModel;
  VnfInstance: VnfInstance;
  VnfLcmOpOcc: VnfLcmOpOcc;
  Workload: WorkloadModel;
  WorkloadConnection: Omit<WorkloadConnection, 'edges'> & { edges: ReadonlyArray<ResolversParentTypes['WorkloadEdge']> };
  WorkloadEdge: Omit<WorkloadEdge, 'node'> & { node: ResolversParentTypes['Workload'] };
};

export type AlarmDefinitionResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['AlarmDefinition'] = ResolversParentTypes['AlarmDefinition']> = {
  alarmAdditionalFields?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  alarmChangeType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  alarmDefinitionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  alarmDescription?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  alarmLastChange?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  alarmName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  clearingType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  managementInterfaceId?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>;
  pkNotificationField?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>;
  proposedRepairActions?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type AlarmDictionaryResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['AlarmDictionary'] = ResolversParentTypes['AlarmDictionary']> = {
  alarmDefinition?: Resolver<ReadonlyArray<ResolversTypes['AlarmDefinition']>, ParentType, ContextType>;
  alarmDictionaryId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  alarmDictionarySchemaVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  alarmDictionaryVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  entityType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  managementInterfaceId?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>;
  pkNotificationField?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>;
  resourceTypeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  vendor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ClusterResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['Cluster'] = ResolversParentTypes['Cluster'], FederationReferenceType extends FederationReferenceTypes['Cluster'] = FederationReferenceTypes['Cluster']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Cluster']> | FederationReferenceType, FederationReferenceType, ContextType>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  deploymentManager?: Resolver<ResolversTypes['DeploymentManager'], ParentType, ContextType>;
  helmReleases?: Resolver<ReadonlyArray<ResolversTypes['HelmRelease']>, ParentType, ContextType, Partial<ClusterHelmReleasesArgs>>;
  kubernetesVersion?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  location?: Resolver<ResolversTypes['Location'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  namespaces?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>;
  nfDeployments?: Resolver<ReadonlyArray<ResolversTypes['NfDeployment']>, ParentType, ContextType, Partial<ClusterNfDeploymentsArgs>>;
  nodes?: Resolver<ReadonlyArray<ResolversTypes['Node']>, ParentType, ContextType>;
  nodesConnection?: Resolver<ResolversTypes['NodeConnection'], ParentType, ContextType, RequireFields<ClusterNodesConnectionArgs, 'first'>>;
  oCloudSite?: Resolver<ResolversTypes['OCloudSite'], ParentType, ContextType>;
  oCloudSiteId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  pods?: Resolver<ReadonlyArray<ResolversTypes['Pod']>, ParentType, ContextType, Partial<ClusterPodsArgs>>;
  podsConnection?: Resolver<ResolversTypes['PodConnection'], ParentType, ContextType, RequireFields<ClusterPodsConnectionArgs, 'first'>>;
  resourcePools?: Resolver<ReadonlyArray<ResolversTypes['ResourcePool']>, ParentType, ContextType>;
  workloads?: Resolver<ReadonlyArray<ResolversTypes['Workload']>, ParentType, ContextType, Partial<ClusterWorkloadsArgs>>;
  workloadsConnection?: Resolver<ResolversTypes['WorkloadConnection'], ParentType, ContextType, RequireFields<ClusterWorkloadsConnectionArgs, 'first'>>;
};

export type DeploymentManagerResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['DeploymentManager'] = ResolversParentTypes['DeploymentManager'], FederationReferenceType extends FederationReferenceTypes['DeploymentManager'] = FederationReferenceTypes['DeploymentManager']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['DeploymentManager']> | FederationReferenceType, FederationReferenceType, ContextType>;
  adminProfileData?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  capabilities?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  capacity?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  cluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  deploymentManagerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  extensions?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  oCloudId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  serviceUri?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  supportedLocations?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>;
};

export type DeploymentManagerConnectionResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['DeploymentManagerConnection'] = ResolversParentTypes['DeploymentManagerConnection']> = {
  edges?: Resolver<ReadonlyArray<ResolversTypes['DeploymentManagerEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type DeploymentManagerEdgeResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['DeploymentManagerEdge'] = ResolversParentTypes['DeploymentManagerEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['DeploymentManager'], ParentType, ContextType>;
};

export type HelmReleaseResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['HelmRelease'] = ResolversParentTypes['HelmRelease'], FederationReferenceType extends FederationReferenceTypes['HelmRelease'] = FederationReferenceTypes['HelmRelease']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['HelmRelease']> | FederationReferenceType, FederationReferenceType, ContextType>;
  appVersion?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  chart?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  chartName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  chartVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  namespace?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nfDeployment?: Resolver<Maybe<ResolversTypes['NfDeployment']>, ParentType, ContextType>;
  pods?: Resolver<ReadonlyArray<ResolversTypes['Pod']>, ParentType, ContextType>;
  revision?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  revisions?: Resolver<ReadonlyArray<ResolversTypes['HelmReleaseRevision']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updated?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  valuesDigest?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  workloads?: Resolver<ReadonlyArray<ResolversTypes['Workload']>, ParentType, ContextType>;
};

export type HelmReleaseRevisionResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['HelmReleaseRevision'] = ResolversParentTypes['HelmReleaseRevision']> = {
  appVersion?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  chart?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  chartName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  chartVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revision?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updated?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  valuesDigest?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type InventoryChangeResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['InventoryChange'] = ResolversParentTypes['InventoryChange']> = {
  changeKind?: Resolver<ResolversTypes['ChangeKind'], ParentType, ContextType>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  objectId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  objectKind?: Resolver<ResolversTypes['O2ObjectKind'], ParentType, ContextType>;
  objectRef?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  postObjectState?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  priorObjectState?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type LocationResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['Location'] = ResolversParentTypes['Location'], FederationReferenceType extends FederationReferenceTypes['Location'] = FederationReferenceTypes['Location']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Location']> | FederationReferenceType, FederationReferenceType, ContextType>;
  address?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  civicAddress?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  coordinate?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  extensions?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  globalLocationId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  oCloudSiteIds?: Resolver<ReadonlyArray<ResolversTypes['ID']>, ParentType, ContextType>;
  sites?: Resolver<ReadonlyArray<ResolversTypes['OCloudSite']>, ParentType, ContextType>;
};

export type NfDeploymentResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['NfDeployment'] = ResolversParentTypes['NfDeployment'], FederationReferenceType extends FederationReferenceTypes['NfDeployment'] = FederationReferenceTypes['NfDeployment']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['NfDeployment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  flavourId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  instantiationState?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  namespace?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  occurrences?: Resolver<ReadonlyArray<ResolversTypes['VnfLcmOpOcc']>, ParentType, ContextType>;
  pods?: Resolver<ReadonlyArray<ResolversTypes['Pod']>, ParentType, ContextType>;
  release?: Resolver<ResolversTypes['HelmRelease'], ParentType, ContextType>;
  releaseName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vnfInstance?: Resolver<ResolversTypes['VnfInstance'], ParentType, ContextType>;
  vnfInstanceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  vnfInstanceName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vnfPkgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  vnfdId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type NodeResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['Node'] = ResolversParentTypes['Node'], FederationReferenceType extends FederationReferenceTypes['Node'] = FederationReferenceTypes['Node']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Node']> | FederationReferenceType, FederationReferenceType, ContextType>;
  allocatable?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  capacity?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  cluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  conditions?: Resolver<ReadonlyArray<ResolversTypes['NodeCondition']>, ParentType, ContextType>;
  labels?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  pods?: Resolver<ReadonlyArray<ResolversTypes['Pod']>, ParentType, ContextType>;
  ready?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  resource?: Resolver<Maybe<ResolversTypes['Resource']>, ParentType, ContextType>;
  resourceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  resourcePoolId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  uid?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  workloads?: Resolver<ReadonlyArray<ResolversTypes['Workload']>, ParentType, ContextType>;
};

export type NodeConditionResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['NodeCondition'] = ResolversParentTypes['NodeCondition']> = {
  lastTransitionTime?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type NodeConnectionResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['NodeConnection'] = ResolversParentTypes['NodeConnection']> = {
  edges?: Resolver<ReadonlyArray<ResolversTypes['NodeEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type NodeEdgeResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['NodeEdge'] = ResolversParentTypes['NodeEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Node'], ParentType, ContextType>;
};

export type OCloudSiteResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['OCloudSite'] = ResolversParentTypes['OCloudSite'], FederationReferenceType extends FederationReferenceTypes['OCloudSite'] = FederationReferenceTypes['OCloudSite']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['OCloudSite']> | FederationReferenceType, FederationReferenceType, ContextType>;
  clusters?: Resolver<ReadonlyArray<ResolversTypes['Cluster']>, ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  extensions?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  globalLocationId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  location?: Resolver<ResolversTypes['Location'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  oCloudSiteId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  resourcePools?: Resolver<ReadonlyArray<ResolversTypes['ResourcePool']>, ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PodResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['Pod'] = ResolversParentTypes['Pod']> = {
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  namespace?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<Maybe<ResolversTypes['Node']>, ParentType, ContextType>;
  nodeName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  phase?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ready?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  restarts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  uid?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  workload?: Resolver<Maybe<ResolversTypes['Workload']>, ParentType, ContextType>;
};

export type PodConnectionResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['PodConnection'] = ResolversParentTypes['PodConnection']> = {
  edges?: Resolver<ReadonlyArray<ResolversTypes['PodEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PodEdgeResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['PodEdge'] = ResolversParentTypes['PodEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Pod'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  alarmDictionaries?: Resolver<ReadonlyArray<Maybe<ResolversTypes['AlarmDictionary']>>, ParentType, ContextType, Partial<QueryAlarmDictionariesArgs>>;
  alarmDictionary?: Resolver<Maybe<ResolversTypes['AlarmDictionary']>, ParentType, ContextType, RequireFields<QueryAlarmDictionaryArgs, 'alarmDictionaryId'>>;
  cluster?: Resolver<Maybe<ResolversTypes['Cluster']>, ParentType, ContextType, RequireFields<QueryClusterArgs, 'clusterId'>>;
  clusters?: Resolver<ReadonlyArray<Maybe<ResolversTypes['Cluster']>>, ParentType, ContextType>;
  deploymentManager?: Resolver<Maybe<ResolversTypes['DeploymentManager']>, ParentType, ContextType, RequireFields<QueryDeploymentManagerArgs, 'deploymentManagerId'>>;
  deploymentManagers?: Resolver<ReadonlyArray<Maybe<ResolversTypes['DeploymentManager']>>, ParentType, ContextType, Partial<QueryDeploymentManagersArgs>>;
  deploymentManagersConnection?: Resolver<Maybe<ResolversTypes['DeploymentManagerConnection']>, ParentType, ContextType, RequireFields<QueryDeploymentManagersConnectionArgs, 'first'>>;
  helmReleases?: Resolver<ReadonlyArray<ResolversTypes['HelmRelease']>, ParentType, ContextType, Partial<QueryHelmReleasesArgs>>;
  location?: Resolver<Maybe<ResolversTypes['Location']>, ParentType, ContextType, RequireFields<QueryLocationArgs, 'globalLocationId'>>;
  locations?: Resolver<ReadonlyArray<Maybe<ResolversTypes['Location']>>, ParentType, ContextType, Partial<QueryLocationsArgs>>;
  nfDeployments?: Resolver<ReadonlyArray<ResolversTypes['NfDeployment']>, ParentType, ContextType, Partial<QueryNfDeploymentsArgs>>;
  oCloudSite?: Resolver<Maybe<ResolversTypes['OCloudSite']>, ParentType, ContextType, RequireFields<QueryOCloudSiteArgs, 'oCloudSiteId'>>;
  oCloudSites?: Resolver<ReadonlyArray<Maybe<ResolversTypes['OCloudSite']>>, ParentType, ContextType, Partial<QueryOCloudSitesArgs>>;
  resource?: Resolver<Maybe<ResolversTypes['Resource']>, ParentType, ContextType, RequireFields<QueryResourceArgs, 'resourceId'>>;
  resourcePool?: Resolver<Maybe<ResolversTypes['ResourcePool']>, ParentType, ContextType, RequireFields<QueryResourcePoolArgs, 'resourcePoolId'>>;
  resourcePools?: Resolver<ReadonlyArray<Maybe<ResolversTypes['ResourcePool']>>, ParentType, ContextType, Partial<QueryResourcePoolsArgs>>;
  resourcePoolsConnection?: Resolver<Maybe<ResolversTypes['ResourcePoolConnection']>, ParentType, ContextType, RequireFields<QueryResourcePoolsConnectionArgs, 'first'>>;
  resourceType?: Resolver<Maybe<ResolversTypes['ResourceType']>, ParentType, ContextType, RequireFields<QueryResourceTypeArgs, 'resourceTypeId'>>;
  resourceTypes?: Resolver<ReadonlyArray<Maybe<ResolversTypes['ResourceType']>>, ParentType, ContextType, Partial<QueryResourceTypesArgs>>;
  resources?: Resolver<ReadonlyArray<Maybe<ResolversTypes['Resource']>>, ParentType, ContextType, Partial<QueryResourcesArgs>>;
  resourcesConnection?: Resolver<Maybe<ResolversTypes['ResourceConnection']>, ParentType, ContextType, RequireFields<QueryResourcesConnectionArgs, 'first'>>;
};

export type ResourceResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['Resource'] = ResolversParentTypes['Resource'], FederationReferenceType extends FederationReferenceTypes['Resource'] = FederationReferenceTypes['Resource']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Resource']> | FederationReferenceType, FederationReferenceType, ContextType>;
  cluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  elements?: Resolver<ReadonlyArray<ResolversTypes['Resource']>, ParentType, ContextType>;
  extensions?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  globalAssetId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  groups?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>;
  node?: Resolver<Maybe<ResolversTypes['Node']>, ParentType, ContextType>;
  oCloudSite?: Resolver<ResolversTypes['OCloudSite'], ParentType, ContextType>;
  resourceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  resourcePool?: Resolver<Maybe<ResolversTypes['ResourcePool']>, ParentType, ContextType>;
  resourcePoolId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  resourceType?: Resolver<ResolversTypes['ResourceType'], ParentType, ContextType>;
  resourceTypeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  tags?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ResourceConnectionResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['ResourceConnection'] = ResolversParentTypes['ResourceConnection']> = {
  edges?: Resolver<ReadonlyArray<ResolversTypes['ResourceEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ResourceEdgeResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['ResourceEdge'] = ResolversParentTypes['ResourceEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Resource'], ParentType, ContextType>;
};

export type ResourcePoolResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['ResourcePool'] = ResolversParentTypes['ResourcePool'], FederationReferenceType extends FederationReferenceTypes['ResourcePool'] = FederationReferenceTypes['ResourcePool']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['ResourcePool']> | FederationReferenceType, FederationReferenceType, ContextType>;
  cluster?: Resolver<ResolversTypes['Cluster'], ParentType, ContextType>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  extensions?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  globalLocationId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  oCloudSite?: Resolver<ResolversTypes['OCloudSite'], ParentType, ContextType>;
  oCloudSiteId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  resourcePoolId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  resources?: Resolver<ReadonlyArray<ResolversTypes['Resource']>, ParentType, ContextType, Partial<ResourcePoolResourcesArgs>>;
  resourcesConnection?: Resolver<ResolversTypes['ResourceConnection'], ParentType, ContextType, RequireFields<ResourcePoolResourcesConnectionArgs, 'first'>>;
};

export type ResourcePoolConnectionResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['ResourcePoolConnection'] = ResolversParentTypes['ResourcePoolConnection']> = {
  edges?: Resolver<ReadonlyArray<ResolversTypes['ResourcePoolEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ResourcePoolEdgeResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['ResourcePoolEdge'] = ResolversParentTypes['ResourcePoolEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ResourcePool'], ParentType, ContextType>;
};

export type ResourceTypeResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['ResourceType'] = ResolversParentTypes['ResourceType'], FederationReferenceType extends FederationReferenceTypes['ResourceType'] = FederationReferenceTypes['ResourceType']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['ResourceType']> | FederationReferenceType, FederationReferenceType, ContextType>;
  alarmDictionary?: Resolver<Maybe<ResolversTypes['AlarmDictionary']>, ParentType, ContextType>;
  alarmDictionaryId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  extensions?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  resourceClass?: Resolver<ResolversTypes['ResourceClass'], ParentType, ContextType>;
  resourceKind?: Resolver<ResolversTypes['ResourceKind'], ParentType, ContextType>;
  resourceTypeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  vendor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  liveInventoryChanged?: SubscriptionResolver<ResolversTypes['InventoryChange'], "liveInventoryChanged", ParentType, ContextType, Partial<SubscriptionLiveInventoryChangedArgs>>;
  topology?: SubscriptionResolver<ResolversTypes['TopologyUpdate'], "topology", ParentType, ContextType, Partial<SubscriptionTopologyArgs>>;
  topologyChanged?: SubscriptionResolver<ResolversTypes['TopologyEvent'], "topologyChanged", ParentType, ContextType, Partial<SubscriptionTopologyChangedArgs>>;
};

export type TopologyEventResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['TopologyEvent'] = ResolversParentTypes['TopologyEvent']> = {
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  eventType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['TopologyKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  namespace?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  node?: Resolver<Maybe<ResolversTypes['Node']>, ParentType, ContextType>;
  pod?: Resolver<Maybe<ResolversTypes['Pod']>, ParentType, ContextType>;
  workload?: Resolver<Maybe<ResolversTypes['Workload']>, ParentType, ContextType>;
};

export type TopologySnapshotResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['TopologySnapshot'] = ResolversParentTypes['TopologySnapshot']> = {
  nodes?: Resolver<ReadonlyArray<ResolversTypes['Node']>, ParentType, ContextType>;
  pods?: Resolver<ReadonlyArray<ResolversTypes['Pod']>, ParentType, ContextType>;
  workloads?: Resolver<ReadonlyArray<ResolversTypes['Workload']>, ParentType, ContextType>;
};

export type TopologyUpdateResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['TopologyUpdate'] = ResolversParentTypes['TopologyUpdate']> = {
  change?: Resolver<Maybe<ResolversTypes['TopologyEvent']>, ParentType, ContextType>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['TopologyUpdateKind'], ParentType, ContextType>;
  reset?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  snapshot?: Resolver<Maybe<ResolversTypes['TopologySnapshot']>, ParentType, ContextType>;
};

export type VnfInstanceResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['VnfInstance'] = ResolversParentTypes['VnfInstance']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type VnfLcmOpOccResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['VnfLcmOpOcc'] = ResolversParentTypes['VnfLcmOpOcc']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type WorkloadResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['Workload'] = ResolversParentTypes['Workload']> = {
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  namespace?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nfDeployment?: Resolver<Maybe<ResolversTypes['NfDeployment']>, ParentType, ContextType>;
  pods?: Resolver<ReadonlyArray<ResolversTypes['Pod']>, ParentType, ContextType>;
  readyReplicas?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  replicas?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type WorkloadConnectionResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['WorkloadConnection'] = ResolversParentTypes['WorkloadConnection']> = {
  edges?: Resolver<ReadonlyArray<ResolversTypes['WorkloadEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type WorkloadEdgeResolvers<ContextType = ClusterGraphContext, ParentType extends ResolversParentTypes['WorkloadEdge'] = ResolversParentTypes['WorkloadEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Workload'], ParentType, ContextType>;
};

export type Resolvers<ContextType = ClusterGraphContext> = {
  AlarmDefinition?: AlarmDefinitionResolvers<ContextType>;
  AlarmDictionary?: AlarmDictionaryResolvers<ContextType>;
  Cluster?: ClusterResolvers<ContextType>;
  DeploymentManager?: DeploymentManagerResolvers<ContextType>;
  DeploymentManagerConnection?: DeploymentManagerConnectionResolvers<ContextType>;
  DeploymentManagerEdge?: DeploymentManagerEdgeResolvers<ContextType>;
  HelmRelease?: HelmReleaseResolvers<ContextType>;
  HelmReleaseRevision?: HelmReleaseRevisionResolvers<ContextType>;
  InventoryChange?: InventoryChangeResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Location?: LocationResolvers<ContextType>;
  NfDeployment?: NfDeploymentResolvers<ContextType>;
  Node?: NodeResolvers<ContextType>;
  NodeCondition?: NodeConditionResolvers<ContextType>;
  NodeConnection?: NodeConnectionResolvers<ContextType>;
  NodeEdge?: NodeEdgeResolvers<ContextType>;
  OCloudSite?: OCloudSiteResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Pod?: PodResolvers<ContextType>;
  PodConnection?: PodConnectionResolvers<ContextType>;
  PodEdge?: PodEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Resource?: ResourceResolvers<ContextType>;
  ResourceConnection?: ResourceConnectionResolvers<ContextType>;
  ResourceEdge?: ResourceEdgeResolvers<ContextType>;
  ResourcePool?: ResourcePoolResolvers<ContextType>;
  ResourcePoolConnection?: ResourcePoolConnectionResolvers<ContextType>;
  ResourcePoolEdge?: ResourcePoolEdgeResolvers<ContextType>;
  ResourceType?: ResourceTypeResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TopologyEvent?: TopologyEventResolvers<ContextType>;
  TopologySnapshot?: TopologySnapshotResolvers<ContextType>;
  TopologyUpdate?: TopologyUpdateResolvers<ContextType>;
  VnfInstance?: VnfInstanceResolvers<ContextType>;
  VnfLcmOpOcc?: VnfLcmOpOccResolvers<ContextType>;
  Workload?: WorkloadResolvers<ContextType>;
  WorkloadConnection?: WorkloadConnectionResolvers<ContextType>;
  WorkloadEdge?: WorkloadEdgeResolvers<ContextType>;
};

