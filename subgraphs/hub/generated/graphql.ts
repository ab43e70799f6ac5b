import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OCloudInfo as OCloudInfoModel } from '../schema.ts';
import type { ClusterKey as ClusterKeyModel, ResourcePoolKey as ResourcePoolKeyModel, ResourceKey as ResourceKeyModel } from '../alarm-resolvers.ts';
import type { AlarmRecord as AlarmRecordModel, AlarmEvent as AlarmEventModel } from '../../../alarms/alarm-record.ts';
import type { InventoryEventWithCursor as InventoryEventWithCursorModel } from '../inventory-events.ts';
import type { VnfInstanceParent as VnfInstanceParentModel } from '../dms-resolvers.ts';
import type { OccurrenceRecord as OccurrenceRecordModel } from '../../../dms/lifecycle/records.ts';
import type { PackageInfo as PackageInfoModel } from '../../../dms/packages/tasks.ts';
import type { LcmSubscriptionView as LcmSubscriptionViewModel } from '../../../notifier/subscriptions/lcm-subscription-service.ts';
import type { Template as TemplateModel, ProvisioningRequestView as ProvisioningRequestViewModel } from '../../../provisioning/model.ts';
import type { NodeClusterView as NodeClusterViewModel } from '../../../provisioning/node-clusters.ts';
import type { ProvisioningChange as ProvisioningChangeModel } from '../../../provisioning/service.ts';
import type { GraphContext } from '../../../common/graphql-context.ts';
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
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** One change of one alarm, with the alarm as it was right after it. */
export type AlarmEvent = {
  readonly __typename?: 'AlarmEvent';
  /** The alarm as it was right after the change. */
  readonly alarm: AlarmEventRecord;
  /** Unique per event. */
  readonly eventId: Scalars['ID']['output'];
  /** What happened to the alarm. */
  readonly kind: AlarmEventKind;
  /** The O2 AlarmEventNotification type: 0 NEW, 1 CHANGE, 2 CLEAR, 3 ACKNOWLEDGE. */
  readonly notificationEventType: Scalars['Int']['output'];
  /** When the change happened (RFC 3339). */
  readonly occurredAt: Scalars['String']['output'];
};

/** What happened to an alarm. */
export const AlarmEventKind = {
  /** Acknowledged by an operator. */
  Acknowledge: 'ACKNOWLEDGE',
  /** Its severity changed. */
  Change: 'CHANGE',
  /** Cleared. */
  Clear: 'CLEAR',
  /** Raised. */
  New: 'NEW'
} as const;

export type AlarmEventKind = typeof AlarmEventKind[keyof typeof AlarmEventKind];
/** An O2 alarm (AlarmEventRecord): one occurrence of a condition on one resource. */
export type AlarmEventRecord = {
  readonly __typename?: 'AlarmEventRecord';
  /** An operator acknowledged the alarm. */
  readonly alarmAcknowledged: Scalars['Boolean']['output'];
  /** When the alarm was acknowledged; null until then. */
  readonly alarmAcknowledgedTime: Maybe<Scalars['String']['output']>;
  /** When the alarm last changed (RFC 3339). */
  readonly alarmChangedTime: Scalars['String']['output'];
  /** When the alarm was cleared; null while active. */
  readonly alarmClearedTime: Maybe<Scalars['String']['output']>;
  /** The definition in the alarm dictionary of the resource's type. */
  readonly alarmDefinitionId: Scalars['ID']['output'];
  /** The id of the alarm. */
  readonly alarmEventRecordId: Scalars['ID']['output'];
  /** The alarm's name from its definition. */
  readonly alarmName: Scalars['String']['output'];
  /** When the alarm was raised (RFC 3339). */
  readonly alarmRaisedTime: Scalars['String']['output'];
  /** AUTOMATIC (cleared when the condition ends) or MANUAL (cleared by an operator). */
  readonly clearingType: Scalars['String']['output'];
  /** The cluster of the resource; null for O-Cloud level alarms. */
  readonly clusterId: Maybe<Scalars['ID']['output']>;
  /** Where the alarm sits and who raised it (cluster, pool, source), and rule details. */
  readonly extensions: Scalars['JSON']['output'];
  /** 0 CRITICAL … 4 INDETERMINATE, 5 CLEARED. */
  readonly perceivedSeverity: Scalars['Int']['output'];
  /** The probable cause (O2 probableCauseId). */
  readonly probableCauseId: Scalars['ID']['output'];
  /** A resource (node or element), or a deployment manager for alarms about a whole cluster. */
  readonly resourceId: Scalars['ID']['output'];
  /** The pool of the resource, if any. */
  readonly resourcePoolId: Maybe<Scalars['ID']['output']>;
  /** The type of the resource the alarm is on. */
  readonly resourceTypeId: Scalars['ID']['output'];
  /** perceivedSeverity by name. */
  readonly severity: PerceivedSeverity;
  /** cluster (derived from cluster state), gateway (cluster unreachable) or alertmanager. */
  readonly source: Scalars['String']['output'];
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
/** A Kubernetes cluster registered with the gateway. */
export type Cluster = {
  readonly __typename?: 'Cluster';
  /** Alarms of the cluster: on its resources and on its deployment manager. */
  readonly alarms: ReadonlyArray<AlarmEventRecord>;
  /** The id the cluster is registered under. */
  readonly clusterId: Scalars['ID']['output'];
};


/** A Kubernetes cluster registered with the gateway. */
export type ClusterAlarmsArgs = {
  filter?: InputMaybe<Scalars['String']['input']>;
  includeCleared?: InputMaybe<Scalars['Boolean']['input']>;
};

/** A deployment policy: forbidden namespaces, quotas, placement rules. */
export type DmsPolicy = {
  readonly __typename?: 'DmsPolicy';
  /** The policy document: policyId, description, appliesTo, forbiddenNamespaces, quotas, placement. */
  readonly document: Scalars['JSON']['output'];
  /** Where the current content came from: config (the seed) or api (edited over REST or GraphQL). */
  readonly origin: Scalars['String']['output'];
  /** The policy's id, named by refusals (`refused by policy rule <policyId>.<rule>`). */
  readonly policyId: Scalars['ID']['output'];
  /** When the current content was written (ISO 8601). */
  readonly updatedAt: Scalars['String']['output'];
};

/** The outcome of setDmsPolicy. */
export type DmsPolicyChange = {
  readonly __typename?: 'DmsPolicyChange';
  /** True when no policy of that id existed (REST answers 201), false when one was replaced (200). */
  readonly created: Scalars['Boolean']['output'];
  /** The policy as stored after the change. */
  readonly policy: DmsPolicy;
};

/** One O2 inventory change with prior and post object states in their O2 REST shape. */
export type InventoryEvent = {
  readonly __typename?: 'InventoryEvent';
  /** Whether the object was created, modified or deleted. */
  readonly changeKind: ChangeKind;
  /** The cluster the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** Position of the event in the log: pass it as `after` to resume after this event. */
  readonly cursor: Scalars['String']['output'];
  /** Unique per event. */
  readonly eventId: Scalars['ID']['output'];
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

/** One DMS lifecycle event; the occurrence fields are set for VnfLcmOperationOccurrenceNotification only. */
export type LcmEvent = {
  readonly __typename?: 'LcmEvent';
  /** SOL003 AffectedVnfc list of a finished occurrence: the pods it added, removed or changed. */
  readonly affectedVnfcs: Maybe<Scalars['JSON']['output']>;
  /** The cluster of the instance, if any. */
  readonly clusterId: Maybe<Scalars['ID']['output']>;
  /** Position of the event in the log: pass it as `after` to resume after this event. */
  readonly cursor: Scalars['String']['output'];
  /** SOL003 ProblemDetails of a failed or rolled back occurrence. */
  readonly error: Maybe<Scalars['JSON']['output']>;
  /** Unique per event (a retried append can repeat an event under a new cursor: deduplicate by this). */
  readonly eventId: Scalars['ID']['output'];
  /** START (the occurrence entered STARTING) or RESULT (any other state). */
  readonly notificationStatus: Maybe<Scalars['String']['output']>;
  /** The SOL003 notification type of the event. */
  readonly notificationType: LcmNotificationType;
  /** When the event happened (RFC 3339). */
  readonly occurredAt: Scalars['String']['output'];
  /** The LCM operation (INSTANTIATE, TERMINATE, SCALE, …). */
  readonly operation: Maybe<Scalars['String']['output']>;
  /** The state the occurrence entered. */
  readonly operationState: Maybe<Scalars['String']['output']>;
  /** The id of the VNF instance. */
  readonly vnfInstanceId: Scalars['ID']['output'];
  /** The id of the LCM operation occurrence. */
  readonly vnfLcmOpOccId: Maybe<Scalars['ID']['output']>;
  /** The id of the VNFD (SOL003 vnfdId). */
  readonly vnfdId: Maybe<Scalars['String']['output']>;
};

/** The SOL003 LCM notification types. */
export const LcmNotificationType = {
  /** An instance was created. */
  VnfIdentifierCreationNotification: 'VnfIdentifierCreationNotification',
  /** An instance was deleted. */
  VnfIdentifierDeletionNotification: 'VnfIdentifierDeletionNotification',
  /** An occurrence changed state. */
  VnfLcmOperationOccurrenceNotification: 'VnfLcmOperationOccurrenceNotification'
} as const;

export type LcmNotificationType = typeof LcmNotificationType[keyof typeof LcmNotificationType];
/** A SOL003 LccnSubscription (without `_links` and never its authentication). */
export type LcmSubscription = {
  readonly __typename?: 'LcmSubscription';
  /** Where notifications are delivered. */
  readonly callbackUri: Scalars['String']['output'];
  /** The cluster whose instances it sees (made on that cluster's apiRoot, or with clusterId). */
  readonly clusterId: Maybe<Scalars['ID']['output']>;
  /** SOL003 LifecycleChangeNotificationsFilter (none: every notification). */
  readonly filter: Maybe<Scalars['JSON']['output']>;
  /** The subscription id. */
  readonly id: Scalars['ID']['output'];
  /** FULL or SHORT. */
  readonly verbosity: Scalars['String']['output'];
};

/** The answer to createLcmSubscription. */
export type LcmSubscriptionCreation = {
  readonly __typename?: 'LcmSubscriptionCreation';
  /** True when an equal subscription existed: it is answered, nothing was created or probed. */
  readonly duplicate: Scalars['Boolean']['output'];
  /** The subscription (created, or the equal one that existed). */
  readonly subscription: LcmSubscription;
};

/**
 * O2 IMS Artifacts: a Crossplane Composition labelled with a template name and version, offered as a managed
 * infrastructure template.
 */
export type ManagedInfrastructureTemplate = {
  readonly __typename?: 'ManagedInfrastructureTemplate';
  /** UUID derived from `<name>.<version>`. */
  readonly artifactResourceId: Scalars['ID']['output'];
  /** apiVersion of the composite resource the Composition composes. */
  readonly compositeApiVersion: Scalars['String']['output'];
  /** Kind of the composite resource the Composition composes. */
  readonly compositeKind: Scalars['String']['output'];
  /** The Composition and the composite kind it composes (apiVersion, kind). */
  readonly compositionName: Scalars['String']['output'];
  /** The defaults the parameter schema declares. */
  readonly defaults: Scalars['JSON']['output'];
  /** What the template makes (the Composition's description annotation). */
  readonly description: Scalars['String']['output'];
  /** Template name: the Composition's template-name label. */
  readonly name: Scalars['String']['output'];
  /** OpenAPI v3 schema of templateParameters: the XRD's spec.parameters schema. */
  readonly parameterSchema: Scalars['JSON']['output'];
  /** Time a request may take to become FULFILLED before it is FAILED (the Composition's timeout annotation). */
  readonly timeoutSeconds: Scalars['Int']['output'];
  /** Template version: the Composition's template-version label. */
  readonly version: Scalars['String']['output'];
};

export type Mutation = {
  readonly __typename?: 'Mutation';
  /**
   * Acknowledges an alarm (the REST twin: PATCH /O2ims_infrastructureMonitoring/v1/alarms/{id} with
   * `{"alarmAcknowledged": true}`; role: alarms:write). Idempotent: acknowledging an acknowledged alarm answers it
   * unchanged. NOT_FOUND when the alarm does not exist or belongs to a cluster the caller may not see.
   */
  readonly acknowledgeAlarm: AlarmEventRecord;
  /** SOL003 CancelMode (none: GRACEFUL) of a STARTING, PROCESSING or ROLLING_BACK occurrence. */
  readonly cancelVnfLcmOpOcc: VnfLcmOpOcc;
  /** SOL003 ChangeCurrentVnfPkgRequest. */
  readonly changeCurrentVnfPkg: VnfLcmOpOcc;
  /** SOL003 ChangeExtVnfConnectivityRequest. */
  readonly changeExtVnfConnectivity: VnfLcmOpOcc;
  /** SOL003 ChangeVnfFlavourRequest. */
  readonly changeVnfFlavour: VnfLcmOpOcc;
  /**
   * Clears an alarm by hand (the REST twin: the same PATCH with `{"perceivedSeverity": 5}`; role: alarms:write).
   * Only alarms of a MANUAL definition: an AUTOMATIC one clears when its condition ends, so clearing it is a
   * CONFLICT. Idempotent on an already cleared alarm. NOT_FOUND as for acknowledgeAlarm.
   */
  readonly clearAlarm: AlarmEventRecord;
  /**
   * SOL003 LccnSubscriptionRequest. The callbackUri must pass the callback policy and answer the test GET with 204
   * (else UNPROCESSABLE, nothing stored). A duplicate (same callback, filter, verbosity and cluster) is not created:
   * the existing subscription is answered with duplicate: true (REST's 303 See Other).
   */
  readonly createLcmSubscription: LcmSubscriptionCreation;
  /** A ProvisioningRequestData body; answers the request in PENDING. */
  readonly createProvisioningRequest: ProvisioningRequest;
  /** SOL003 CreateVnfRequest: a NOT_INSTANTIATED instance of an ONBOARDED, ENABLED package. */
  readonly createVnfInstance: VnfInstance;
  /** SOL005 CreateVnfPkgInfoRequest (only userDefinedData; none is an empty request): a CREATED package. */
  readonly createVnfPackage: VnfPackage;
  /** Deletes a deployment policy (a configured one stays deleted across restarts); NOT_FOUND when absent. */
  readonly deleteDmsPolicy: Scalars['ID']['output'];
  /** Deletes an LCM subscription; answers its id. */
  readonly deleteLcmSubscription: Scalars['ID']['output'];
  /** Starts the deletion (DELETING); refused (CONFLICT) while NF instances run on the cluster unless force. */
  readonly deleteProvisioningRequest: ProvisioningRequest;
  /** Deletes a NOT_INSTANTIATED instance without an unfinished occurrence; answers its id. */
  readonly deleteVnfInstance: Scalars['ID']['output'];
  /** Deletes a DISABLED, NOT_IN_USE package. */
  readonly deleteVnfPackage: Scalars['ID']['output'];
  /** FAILED_TEMP → FAILED. */
  readonly failVnfLcmOpOcc: VnfLcmOpOcc;
  /** SOL003 HealVnfRequest (none: heal the whole VNF). */
  readonly healVnf: VnfLcmOpOcc;
  /** SOL003 InstantiateVnfRequest. */
  readonly instantiateVnf: VnfLcmOpOcc;
  /** SOL003 VnfInfoModificationRequest (a merge patch): a MODIFY_INFO occurrence. `ifMatchVersion` is REST's If-Match. */
  readonly modifyVnfInstance: VnfLcmOpOcc;
  /** SOL005 VnfPkgInfoModifications (operationalState ENABLED/DISABLED and/or userDefinedData, a merge patch); answers the modifications. */
  readonly modifyVnfPackage: Scalars['JSON']['output'];
  /** Full replace: changed parameters or template version re-patch the composite. */
  readonly replaceProvisioningRequest: ProvisioningRequest;
  /** FAILED_TEMP → PROCESSING again. */
  readonly retryVnfLcmOpOcc: VnfLcmOpOcc;
  /** FAILED_TEMP → ROLLING_BACK. */
  readonly rollbackVnfLcmOpOcc: VnfLcmOpOcc;
  /** SOL003 ScaleVnfRequest. */
  readonly scaleVnf: VnfLcmOpOcc;
  /** SOL003 ScaleVnfToLevelRequest. */
  readonly scaleVnfToLevel: VnfLcmOpOcc;
  /** Creates or replaces a deployment policy; BAD_USER_INPUT names the invalid field's path. */
  readonly setDmsPolicy: DmsPolicyChange;
  /** SOL003 TerminateVnfRequest. */
  readonly terminateVnf: VnfLcmOpOcc;
  /**
   * Uploads the content of a CREATED package (a CSAR zip or a bare chart .tgz, base64) and on-boards it: the
   * package afterwards, ONBOARDED or ERROR (with onboardingFailureDetails). PAYLOAD_TOO_LARGE (and ERROR) above the
   * package size limit. REST's PUT package_content streams raw bytes instead.
   */
  readonly uploadVnfPackageContent: VnfPackage;
};


export type MutationAcknowledgeAlarmArgs = {
  alarmEventRecordId: Scalars['ID']['input'];
};


export type MutationCancelVnfLcmOpOccArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
  vnfLcmOpOccId: Scalars['ID']['input'];
};


export type MutationChangeCurrentVnfPkgArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
  vnfInstanceId: Scalars['ID']['input'];
};


export type MutationChangeExtVnfConnectivityArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
  vnfInstanceId: Scalars['ID']['input'];
};


export type MutationChangeVnfFlavourArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
  vnfInstanceId: Scalars['ID']['input'];
};


export type MutationClearAlarmArgs = {
  alarmEventRecordId: Scalars['ID']['input'];
};


export type MutationCreateLcmSubscriptionArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
};


export type MutationCreateProvisioningRequestArgs = {
  request: Scalars['JSON']['input'];
};


export type MutationCreateVnfInstanceArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
};


export type MutationCreateVnfPackageArgs = {
  request?: InputMaybe<Scalars['JSON']['input']>;
};


export type MutationDeleteDmsPolicyArgs = {
  policyId: Scalars['ID']['input'];
};


export type MutationDeleteLcmSubscriptionArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
};


export type MutationDeleteProvisioningRequestArgs = {
  force?: InputMaybe<Scalars['Boolean']['input']>;
  provisioningRequestId: Scalars['ID']['input'];
};


export type MutationDeleteVnfInstanceArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  vnfInstanceId: Scalars['ID']['input'];
};


export type MutationDeleteVnfPackageArgs = {
  vnfPkgId: Scalars['ID']['input'];
};


export type MutationFailVnfLcmOpOccArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  vnfLcmOpOccId: Scalars['ID']['input'];
};


export type MutationHealVnfArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
  vnfInstanceId: Scalars['ID']['input'];
};


export type MutationInstantiateVnfArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
  vnfInstanceId: Scalars['ID']['input'];
};


export type MutationModifyVnfInstanceArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  ifMatchVersion?: InputMaybe<Scalars['Int']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
  vnfInstanceId: Scalars['ID']['input'];
};


export type MutationModifyVnfPackageArgs = {
  request?: InputMaybe<Scalars['JSON']['input']>;
  vnfPkgId: Scalars['ID']['input'];
};


export type MutationReplaceProvisioningRequestArgs = {
  provisioningRequestId: Scalars['ID']['input'];
  request: Scalars['JSON']['input'];
};


export type MutationRetryVnfLcmOpOccArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  vnfLcmOpOccId: Scalars['ID']['input'];
};


export type MutationRollbackVnfLcmOpOccArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  vnfLcmOpOccId: Scalars['ID']['input'];
};


export type MutationScaleVnfArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
  vnfInstanceId: Scalars['ID']['input'];
};


export type MutationScaleVnfToLevelArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
  vnfInstanceId: Scalars['ID']['input'];
};


export type MutationSetDmsPolicyArgs = {
  policy: Scalars['JSON']['input'];
  policyId: Scalars['ID']['input'];
};


export type MutationTerminateVnfArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  request?: InputMaybe<Scalars['JSON']['input']>;
  vnfInstanceId: Scalars['ID']['input'];
};


export type MutationUploadVnfPackageContentArgs = {
  contentBase64: Scalars['String']['input'];
  vnfPkgId: Scalars['ID']['input'];
};

/** An O2 IMS node cluster: a cluster of the O-Cloud, configured or provisioned. */
export type NodeCluster = {
  readonly __typename?: 'NodeCluster';
  /** The template it was made from; null for a configured cluster. */
  readonly artifactResourceId: Maybe<Scalars['ID']['output']>;
  /** The provisioning request that made it; null for a configured cluster. */
  readonly clientNodeClusterId: Maybe<Scalars['ID']['output']>;
  /** The cluster's id in netweave (its shard). */
  readonly clusterId: Scalars['ID']['output'];
  /** A description of the cluster. */
  readonly description: Scalars['String']['output'];
  /** The cluster's name. */
  readonly name: Scalars['String']['output'];
  /** The O2 id of the node cluster. */
  readonly nodeClusterId: Scalars['ID']['output'];
  /** The type of node cluster (Kubernetes). */
  readonly nodeClusterTypeId: Scalars['ID']['output'];
  /** True when netweave provisioned it through a provisioning request. */
  readonly provisioned: Scalars['Boolean']['output'];
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
/** The O-Cloud this netweave installation presents. */
export type OCloud = {
  readonly __typename?: 'OCloud';
  /** Alarms of the whole O-Cloud, oldest first; cleared ones (until purged) only with includeCleared; `filter`: SOL013 over AlarmEventRecord fields (e.g. `(eq,severity,CRITICAL)`). */
  readonly alarms: ReadonlyArray<AlarmEventRecord>;
  /** Clusters registered in the shard registry (resolved by the cluster subgraph). */
  readonly clusters: ReadonlyArray<Maybe<Cluster>>;
  /** Human-readable description of the object. */
  readonly description: Scalars['String']['output'];
  /** Further attributes (O2 `extensions`): labels, capacity and other data without a field of their own. */
  readonly extensions: Scalars['JSON']['output'];
  /** The id the SMO gave the O-Cloud. */
  readonly globalCloudId: Scalars['ID']['output'];
  /** The O-Cloud's name. */
  readonly name: Scalars['String']['output'];
  /** The O2 id of the O-Cloud. */
  readonly oCloudId: Scalars['ID']['output'];
  /** The root URI of the O2 IMS API. */
  readonly serviceUri: Scalars['String']['output'];
};


/** The O-Cloud this netweave installation presents. */
export type OCloudAlarmsArgs = {
  filter?: InputMaybe<Scalars['String']['input']>;
  includeCleared?: InputMaybe<Scalars['Boolean']['input']>;
};

/** O2 perceivedSeverity by name (the integer is `perceivedSeverity`). */
export const PerceivedSeverity = {
  /** perceivedSeverity 5: the alarm is cleared. */
  Cleared: 'CLEARED',
  /** perceivedSeverity 0. */
  Critical: 'CRITICAL',
  /** perceivedSeverity 4. */
  Indeterminate: 'INDETERMINATE',
  /** perceivedSeverity 1. */
  Major: 'MAJOR',
  /** perceivedSeverity 2. */
  Minor: 'MINOR',
  /** perceivedSeverity 3. */
  Warning: 'WARNING'
} as const;

export type PerceivedSeverity = typeof PerceivedSeverity[keyof typeof PerceivedSeverity];
/** What happened to a provisioning request. */
export const ProvisioningChangeKind = {
  /** The request was created. */
  Create: 'CREATE',
  /** It is gone (its cluster was deleted). */
  Delete: 'DELETE',
  /** Its phase, message, parameters or template changed. */
  Update: 'UPDATE'
} as const;

export type ProvisioningChangeKind = typeof ProvisioningChangeKind[keyof typeof ProvisioningChangeKind];
/** The phase of a provisioning request, from its composite resource (docs/provisioning.md). */
export const ProvisioningPhase = {
  /** Being deleted. */
  Deleting: 'DELETING',
  /** Not synced past the grace period or not fulfilled within the template's timeout. */
  Failed: 'FAILED',
  /** Ready, its kubeconfig Secret exists, its shard is registered and its first inventory sync is done. */
  Fulfilled: 'FULFILLED',
  /** Created, not yet observed by Crossplane. */
  Pending: 'PENDING',
  /** Synced, not yet Ready (or Ready and joining the graph). */
  Progressing: 'PROGRESSING'
} as const;

export type ProvisioningPhase = typeof ProvisioningPhase[keyof typeof ProvisioningPhase];
/** An O2 IMS provisioning request: one Crossplane composite on the management cluster. */
export type ProvisioningRequest = {
  readonly __typename?: 'ProvisioningRequest';
  /** The cluster id the new cluster gets in netweave (the composite's name). */
  readonly clusterId: Scalars['ID']['output'];
  /** The SMO's description of the request. */
  readonly description: Scalars['String']['output'];
  /** Why the request is in its phase (the composite's condition message, a failure reason). */
  readonly message: Scalars['String']['output'];
  /** The new cluster's name: the composite's name and the cluster id in netweave. */
  readonly name: Scalars['String']['output'];
  /** The node cluster it made, once FULFILLED. */
  readonly nodeClusterId: Maybe<Scalars['ID']['output']>;
  /** Where the request is: PENDING, PROGRESSING, FULFILLED, FAILED or DELETING. */
  readonly phase: ProvisioningPhase;
  /** The id the SMO chose when it created the request. */
  readonly provisioningRequestId: Scalars['ID']['output'];
  /** Name of the template the request uses. */
  readonly templateName: Scalars['String']['output'];
  /** The parameters, valid against the template's parameterSchema. */
  readonly templateParameters: Scalars['JSON']['output'];
  /** Version of the template the request uses. */
  readonly templateVersion: Scalars['String']['output'];
  /** When the phase or message last changed (ISO 8601). */
  readonly updateTime: Scalars['String']['output'];
};

/** A change of a provisioning request, as provisioningRequestChanged delivers it. */
export type ProvisioningRequestChange = {
  readonly __typename?: 'ProvisioningRequestChange';
  /** CREATE, UPDATE or DELETE. */
  readonly changeKind: ProvisioningChangeKind;
  /** The request that changed. */
  readonly provisioningRequestId: Scalars['ID']['output'];
  /** The request after the change (its last state for DELETE). */
  readonly request: ProvisioningRequest;
};

export type Query = {
  readonly __typename?: 'Query';
  /** One alarm by its id; null when it does not exist or belongs to a cluster the caller may not see. */
  readonly alarm: Maybe<AlarmEventRecord>;
  /** The deployment policies in force, in ascending policyId order. */
  readonly dmsPolicies: ReadonlyArray<DmsPolicy>;
  /** One deployment policy; NOT_FOUND when there is none of that id. */
  readonly dmsPolicy: DmsPolicy;
  /** One LCM subscription; NOT_FOUND when it does not exist (or not for this caller or cluster). */
  readonly lcmSubscription: LcmSubscription;
  /** LCM subscriptions (SOL003 LccnSubscription, without authentication), in ascending id order. */
  readonly lcmSubscriptions: ReadonlyArray<LcmSubscription>;
  /** By artifactResourceId or `<name>.<version>`; NOT_FOUND when there is none. */
  readonly managedInfrastructureTemplate: ManagedInfrastructureTemplate;
  /** The managed infrastructure templates (one per labelled Composition). */
  readonly managedInfrastructureTemplates: ReadonlyArray<ManagedInfrastructureTemplate>;
  /** One node cluster; NOT_FOUND when there is none. */
  readonly nodeCluster: NodeCluster;
  /** The node clusters: configured and provisioned clusters. */
  readonly nodeClusters: ReadonlyArray<NodeCluster>;
  /** The O-Cloud that this netweave installation presents to the SMO. */
  readonly oCloud: OCloud;
  /** One provisioning request; NOT_FOUND when there is none. */
  readonly provisioningRequest: ProvisioningRequest;
  /** Every provisioning request. */
  readonly provisioningRequests: ReadonlyArray<ProvisioningRequest>;
  /** One VNF instance; NOT_FOUND when it does not exist (or not for this caller or cluster). */
  readonly vnfInstance: VnfInstance;
  /** VNF instances, in ascending id order. */
  readonly vnfInstances: ReadonlyArray<VnfInstance>;
  /** One occurrence; NOT_FOUND when it does not exist (or not for this caller or cluster). */
  readonly vnfLcmOpOcc: VnfLcmOpOcc;
  /** VNF LCM operation occurrences, in ascending id order. */
  readonly vnfLcmOpOccs: ReadonlyArray<VnfLcmOpOcc>;
  /** One NF package; NOT_FOUND when it does not exist (or not for this caller). */
  readonly vnfPackage: VnfPackage;
  /** NF packages (SOL005 VnfPkgInfo), in ascending id order. */
  readonly vnfPackages: ReadonlyArray<VnfPackage>;
};


export type QueryAlarmArgs = {
  alarmEventRecordId: Scalars['ID']['input'];
};


export type QueryDmsPolicyArgs = {
  policyId: Scalars['ID']['input'];
};


export type QueryLcmSubscriptionArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
};


export type QueryLcmSubscriptionsArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryManagedInfrastructureTemplateArgs = {
  id: Scalars['ID']['input'];
};


export type QueryNodeClusterArgs = {
  nodeClusterId: Scalars['ID']['input'];
};


export type QueryProvisioningRequestArgs = {
  provisioningRequestId: Scalars['ID']['input'];
};


export type QueryVnfInstanceArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
};


export type QueryVnfInstancesArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryVnfLcmOpOccArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
};


export type QueryVnfLcmOpOccsArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryVnfPackageArgs = {
  vnfPkgId: Scalars['ID']['input'];
};

/** O2 Resource: a node or one of its elements. */
export type Resource = {
  readonly __typename?: 'Resource';
  /** Alarms on this resource itself (its elements have their own). */
  readonly alarms: ReadonlyArray<AlarmEventRecord>;
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** The id of the resource (an O2 UUID, stable across restarts). */
  readonly resourceId: Scalars['ID']['output'];
};


/** O2 Resource: a node or one of its elements. */
export type ResourceAlarmsArgs = {
  filter?: InputMaybe<Scalars['String']['input']>;
  includeCleared?: InputMaybe<Scalars['Boolean']['input']>;
};

/** O2 ResourcePool: nodes of one cluster grouped by the pool label. */
export type ResourcePool = {
  readonly __typename?: 'ResourcePool';
  /** Alarms on the pool's resources and their elements. */
  readonly alarms: ReadonlyArray<AlarmEventRecord>;
  /** The id of the cluster (as registered with the gateway) the object belongs to. */
  readonly clusterId: Scalars['ID']['output'];
  /** The O2 id of the pool. */
  readonly resourcePoolId: Scalars['ID']['output'];
};


/** O2 ResourcePool: nodes of one cluster grouped by the pool label. */
export type ResourcePoolAlarmsArgs = {
  filter?: InputMaybe<Scalars['String']['input']>;
  includeCleared?: InputMaybe<Scalars['Boolean']['input']>;
};

export type Subscription = {
  readonly __typename?: 'Subscription';
  /** Alarm changes of every cluster as they happen (live only: query `oCloud { alarms }` for the current state). */
  readonly alarmChanged: AlarmEvent;
  /**
   * O2 inventory changes of every cluster, from the durable event log. Each event carries its cursor: a client
   * that reconnects with `after` set to the last cursor it received gets what it missed (within the log's
   * retention), then live events, with no gap and no duplicate. Without `after` only events from now on are sent;
   * `after: "0"` starts from the oldest retained event. A cursor older than the retention yields a CURSOR_EXPIRED
   * error as the first event, and the stream continues from the oldest retained event.
   * `filter` is a SOL013 filter over the event (notificationEventType, changeKind, objectKind, objectId,
   * objectRef, clusterId, priorObjectState/*, postObjectState/*): only MATCHING events are delivered.
   */
  readonly inventoryChanged: InventoryEvent;
  /**
   * O2 DMS lifecycle events of every cluster, from the durable DMS event log (the one the SOL003 LCM webhooks are
   * sent from): VNF instance creations and deletions, and every state an LCM operation occurrence enters (START on
   * STARTING, RESULT on every other state). Resumable like `inventoryChanged`: pass the last `cursor` received as
   * `after`; `after: "0"` starts from the oldest retained event; an expired cursor yields CURSOR_EXPIRED first.
   * A caller of a tenant sees that tenant's instances only.
   */
  readonly lcmEvents: LcmEvent;
  /** Every change of a provisioning request (phase, message, parameters, creation, deletion). */
  readonly provisioningRequestChanged: ProvisioningRequestChange;
};


export type SubscriptionAlarmChangedArgs = {
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  kinds?: InputMaybe<ReadonlyArray<AlarmEventKind>>;
};


export type SubscriptionInventoryChangedArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['String']['input']>;
  objectKinds?: InputMaybe<ReadonlyArray<O2ObjectKind>>;
};


export type SubscriptionLcmEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  clusterId?: InputMaybe<Scalars['ID']['input']>;
  notificationTypes?: InputMaybe<ReadonlyArray<LcmNotificationType>>;
  vnfInstanceId?: InputMaybe<Scalars['ID']['input']>;
};

/** A SOL003 VnfInstance (without `_links`, which belong to an apiRoot). */
export type VnfInstance = {
  readonly __typename?: 'VnfInstance';
  /** The cluster the instance belongs to (none until it is instantiated, when created on the global apiRoot). */
  readonly clusterId: Maybe<Scalars['ID']['output']>;
  /** SOL003 extensions. */
  readonly extensions: Maybe<Scalars['JSON']['output']>;
  /** The instance id. */
  readonly id: Scalars['ID']['output'];
  /** SOL003 instantiatedVnfInfo (INSTANTIATED instances). */
  readonly instantiatedVnfInfo: Maybe<Scalars['JSON']['output']>;
  /** NOT_INSTANTIATED or INSTANTIATED. */
  readonly instantiationState: Scalars['String']['output'];
  /** SOL003 metadata. */
  readonly metadata: Maybe<Scalars['JSON']['output']>;
  /** The instance's occurrences, oldest first. */
  readonly occurrences: ReadonlyArray<VnfLcmOpOcc>;
  /** The version of the stored record: REST's ETag. */
  readonly version: Scalars['Int']['output'];
  /** SOL003 vimConnectionInfo. */
  readonly vimConnectionInfo: Maybe<Scalars['JSON']['output']>;
  /** SOL003 vnfConfigurableProperties. */
  readonly vnfConfigurableProperties: Maybe<Scalars['JSON']['output']>;
  /** The instance's description, if any. */
  readonly vnfInstanceDescription: Maybe<Scalars['String']['output']>;
  /** The instance's name, if any. */
  readonly vnfInstanceName: Maybe<Scalars['String']['output']>;
  /** The on-boarded package the instance runs (SOL005 VnfPkgInfo id). */
  readonly vnfPkgId: Scalars['ID']['output'];
  /** The VNF product name, from the VNFD. */
  readonly vnfProductName: Scalars['String']['output'];
  /** The VNF provider, from the VNFD. */
  readonly vnfProvider: Scalars['String']['output'];
  /** The VNF software version, from the VNFD. */
  readonly vnfSoftwareVersion: Scalars['String']['output'];
  /** The id of the VNFD (SOL003 vnfdId). */
  readonly vnfdId: Scalars['String']['output'];
  /** The version of the VNFD. */
  readonly vnfdVersion: Scalars['String']['output'];
};

/** A SOL003 VnfLcmOpOcc (without `_links`). */
export type VnfLcmOpOcc = {
  readonly __typename?: 'VnfLcmOpOcc';
  /** GRACEFUL or FORCEFUL, when cancelled. */
  readonly cancelMode: Maybe<Scalars['String']['output']>;
  /** SOL003 changedInfo of a MODIFY_INFO occurrence. */
  readonly changedInfo: Maybe<Scalars['JSON']['output']>;
  /** The cluster of the instance, if any. */
  readonly clusterId: Maybe<Scalars['ID']['output']>;
  /** SOL003 ProblemDetails of a failed or rolled back occurrence. */
  readonly error: Maybe<Scalars['JSON']['output']>;
  /** The occurrence id. */
  readonly id: Scalars['ID']['output'];
  /** The operation was started by the DMS itself. */
  readonly isAutomaticInvocation: Scalars['Boolean']['output'];
  /** A cancel was requested and is pending. */
  readonly isCancelPending: Scalars['Boolean']['output'];
  /** INSTANTIATE, TERMINATE, MODIFY_INFO, SCALE, SCALE_TO_LEVEL, HEAL, CHANGE_VNFPKG, CHANGE_FLAVOUR, CHANGE_EXT_CONN. */
  readonly operation: Scalars['String']['output'];
  /** The request that started the operation. */
  readonly operationParams: Maybe<Scalars['JSON']['output']>;
  /** STARTING, PROCESSING, COMPLETED, FAILED_TEMP, FAILED, ROLLING_BACK or ROLLED_BACK. */
  readonly operationState: Scalars['String']['output'];
  /** SOL003 resourceChanges of a finished occurrence. */
  readonly resourceChanges: Maybe<Scalars['JSON']['output']>;
  /** When the occurrence started (RFC 3339). */
  readonly startTime: Scalars['String']['output'];
  /** When the current state was entered (RFC 3339). */
  readonly stateEnteredTime: Scalars['String']['output'];
  /** The instance the operation is on. */
  readonly vnfInstance: Maybe<VnfInstance>;
  /** The instance the operation is on. */
  readonly vnfInstanceId: Scalars['ID']['output'];
};

/** A SOL005 VnfPkgInfo (without `_links`). */
export type VnfPackage = {
  readonly __typename?: 'VnfPackage';
  /** The charts of the package with their checksums (SOL005 additionalArtifacts). */
  readonly additionalArtifacts: Maybe<Scalars['JSON']['output']>;
  /** SOL005 Checksum of the uploaded content (algorithm, hash). */
  readonly checksum: Maybe<Scalars['JSON']['output']>;
  /** The package id (SOL005 VnfPkgInfo id). */
  readonly id: Scalars['ID']['output'];
  /** ProblemDetails of a failed on-boarding. */
  readonly onboardingFailureDetails: Maybe<Scalars['JSON']['output']>;
  /** CREATED, UPLOADING, PROCESSING, ONBOARDED or ERROR. */
  readonly onboardingState: Scalars['String']['output'];
  /** ENABLED or DISABLED. */
  readonly operationalState: Scalars['String']['output'];
  /** IN_USE or NOT_IN_USE. */
  readonly usageState: Scalars['String']['output'];
  /** SOL005 userDefinedData. */
  readonly userDefinedData: Scalars['JSON']['output'];
  /** The VNF product name, from the VNFD. */
  readonly vnfProductName: Maybe<Scalars['String']['output']>;
  /** The VNF provider, from the VNFD. */
  readonly vnfProvider: Maybe<Scalars['String']['output']>;
  /** The VNF software version, from the VNFD. */
  readonly vnfSoftwareVersion: Maybe<Scalars['String']['output']>;
  /** The VNFD id of the on-boarded package. */
  readonly vnfdId: Maybe<Scalars['String']['output']>;
  /** The version of the VNFD. */
  readonly vnfdVersion: Maybe<Scalars['String']['output']>;
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
  OCloud: OCloud;
  Resource: Resource;
  ResourcePool: ResourcePool;
  VnfInstance: VnfInstance;
  VnfLcmOpOcc: VnfLcmOpOcc;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Cluster:
    ( { __typename: 'Cluster' }
    & GraphQLRecursivePick<FederationTypes['Cluster'], {"clusterId":true}> );
  OCloud:
    ( { __typename: 'OCloud' }
    & GraphQLRecursivePick<FederationTypes['OCloud'], {"oCloudId":true}> );
  Resource:
    ( { __typename: 'Resource' }
    & GraphQLRecursivePick<FederationTypes['Resource'], {"clusterId":true,"resourceId":true}> );
  ResourcePool:
    ( { __typename: 'ResourcePool' }
    & GraphQLRecursivePick<FederationTypes['ResourcePool'], {"clusterId":true,"resourcePoolId":true}> );
  VnfInstance:
    ( { __typename: 'VnfInstance' }
    & GraphQLRecursivePick<FederationTypes['VnfInstance'], {"id":true}> );
  VnfLcmOpOcc:
    ( { __typename: 'VnfLcmOpOcc' }
    & GraphQLRecursivePick<FederationTypes['VnfLcmOpOcc'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AlarmEvent: ResolverTypeWrapper<AlarmEventModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AlarmEventKind: AlarmEventKind;
  AlarmEventRecord: ResolverTypeWrapper<AlarmRecordModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ChangeKind: ChangeKind;
  Cluster: ResolverTypeWrapper<ClusterKeyModel>;
  DmsPolicy: ResolverTypeWrapper<DmsPolicy>;
  DmsPolicyChange: ResolverTypeWrapper<DmsPolicyChange>;
  InventoryEvent: ResolverTypeWrapper<InventoryEventWithCursorModel>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  LcmEvent: ResolverTypeWrapper<LcmEvent>;
  LcmNotificationType: LcmNotificationType;
  LcmSubscription: ResolverTypeWrapper<LcmSubscriptionViewModel>;
  LcmSubscriptionCreation: ResolverTypeWrapper<Omit<LcmSubscriptionCreation, 'subscription'> & { subscription: ResolversTypes['LcmSubscription'] }>;
  ManagedInfrastructureTemplate: ResolverTypeWrapper<TemplateModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NodeCluster: ResolverTypeWrapper<NodeClusterViewModel>;
  O2ObjectKind: O2ObjectKind;
  OCloud: ResolverTypeWrapper<OCloudInfoModel>;
  PerceivedSeverity: PerceivedSeverity;
  ProvisioningChangeKind: ProvisioningChangeKind;
  ProvisioningPhase: ProvisioningPhase;
  ProvisioningRequest: ResolverTypeWrapper<ProvisioningRequestViewModel>;
  ProvisioningRequestChange: ResolverTypeWrapper<ProvisioningChangeModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Resource: ResolverTypeWrapper<ResourceKeyModel>;
  ResourcePool: ResolverTypeWrapper<ResourcePoolKeyModel>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  VnfInstance: ResolverTypeWrapper<VnfInstanceParentModel>;
  VnfLcmOpOcc: ResolverTypeWrapper<OccurrenceRecordModel>;
  VnfPackage: ResolverTypeWrapper<PackageInfoModel>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AlarmEvent: AlarmEventModel;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  String: Scalars['String']['output'];
  AlarmEventRecord: AlarmRecordModel;
  Boolean: Scalars['Boolean']['output'];
  Cluster: ClusterKeyModel;
  DmsPolicy: DmsPolicy;
  DmsPolicyChange: DmsPolicyChange;
  InventoryEvent: InventoryEventWithCursorModel;
  JSON: Scalars['JSON']['output'];
  LcmEvent: LcmEvent;
  LcmSubscription: LcmSubscriptionViewModel;
  LcmSubscriptionCreation: Omit<LcmSubscriptionCreation, 'subscription'> & { subscription: ResolversParentTypes['LcmSubscription'] };
  ManagedInfrastructureTemplate: TemplateModel;
  Mutation: Record<PropertyKey, never>;
  NodeCluster: NodeClusterViewModel;
  OCloud: OCloudInfoModel;
  ProvisioningRequest: ProvisioningRequestViewModel;
  ProvisioningRequestChange: ProvisioningChangeModel;
  Query: Record<PropertyKey, never>;
  Resource: ResourceKeyModel;
  ResourcePool: ResourcePoolKeyModel;
  Subscription: Record<PropertyKey, never>;
  VnfInstance: VnfInstanceParentModel;
  VnfLcmOpOcc: OccurrenceRecordModel;
  VnfPackage: PackageInfoModel;
};

export type AlarmEventResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['AlarmEvent'] = ResolversParentTypes['AlarmEvent']> = {
  alarm?: Resolver<ResolversTypes['AlarmEventRecord'], ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['AlarmEventKind'], ParentType, ContextType>;
  notificationEventType?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type AlarmEventRecordResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['AlarmEventRecord'] = ResolversParentTypes['AlarmEventRecord']> = {
  alarmAcknowledged?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  alarmAcknowledgedTime?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  alarmChangedTime?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  alarmClearedTime?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  alarmDefinitionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  alarmEventRecordId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  alarmName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  alarmRaisedTime?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  clearingType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  clusterId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  extensions?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  perceivedSeverity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  probableCauseId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  resourceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  resourcePoolId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  resourceTypeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['PerceivedSeverity'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ClusterResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['Cluster'] = ResolversParentTypes['Cluster'], FederationReferenceType extends FederationReferenceTypes['Cluster'] = FederationReferenceTypes['Cluster']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Cluster']> | FederationReferenceType, FederationReferenceType, ContextType>;
  alarms?: Resolver<ReadonlyArray<ResolversTypes['AlarmEventRecord']>, ParentType, ContextType, RequireFields<ClusterAlarmsArgs, 'includeCleared'>>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type DmsPolicyResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['DmsPolicy'] = ResolversParentTypes['DmsPolicy']> = {
  document?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  origin?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  policyId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type DmsPolicyChangeResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['DmsPolicyChange'] = ResolversParentTypes['DmsPolicyChange']> = {
  created?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  policy?: Resolver<ResolversTypes['DmsPolicy'], ParentType, ContextType>;
};

export type InventoryEventResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['InventoryEvent'] = ResolversParentTypes['InventoryEvent']> = {
  changeKind?: Resolver<ResolversTypes['ChangeKind'], ParentType, ContextType>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
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

export type LcmEventResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['LcmEvent'] = ResolversParentTypes['LcmEvent']> = {
  affectedVnfcs?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  clusterId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  notificationStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  notificationType?: Resolver<ResolversTypes['LcmNotificationType'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  operation?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  operationState?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vnfInstanceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  vnfLcmOpOccId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  vnfdId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type LcmSubscriptionResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['LcmSubscription'] = ResolversParentTypes['LcmSubscription']> = {
  callbackUri?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  clusterId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  filter?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  verbosity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LcmSubscriptionCreationResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['LcmSubscriptionCreation'] = ResolversParentTypes['LcmSubscriptionCreation']> = {
  duplicate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  subscription?: Resolver<ResolversTypes['LcmSubscription'], ParentType, ContextType>;
};

export type ManagedInfrastructureTemplateResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['ManagedInfrastructureTemplate'] = ResolversParentTypes['ManagedInfrastructureTemplate']> = {
  artifactResourceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  compositeApiVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  compositeKind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  compositionName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  defaults?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  parameterSchema?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  timeoutSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  acknowledgeAlarm?: Resolver<ResolversTypes['AlarmEventRecord'], ParentType, ContextType, RequireFields<MutationAcknowledgeAlarmArgs, 'alarmEventRecordId'>>;
  cancelVnfLcmOpOcc?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationCancelVnfLcmOpOccArgs, 'vnfLcmOpOccId'>>;
  changeCurrentVnfPkg?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationChangeCurrentVnfPkgArgs, 'vnfInstanceId'>>;
  changeExtVnfConnectivity?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationChangeExtVnfConnectivityArgs, 'vnfInstanceId'>>;
  changeVnfFlavour?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationChangeVnfFlavourArgs, 'vnfInstanceId'>>;
  clearAlarm?: Resolver<ResolversTypes['AlarmEventRecord'], ParentType, ContextType, RequireFields<MutationClearAlarmArgs, 'alarmEventRecordId'>>;
  createLcmSubscription?: Resolver<ResolversTypes['LcmSubscriptionCreation'], ParentType, ContextType, Partial<MutationCreateLcmSubscriptionArgs>>;
  createProvisioningRequest?: Resolver<ResolversTypes['ProvisioningRequest'], ParentType, ContextType, RequireFields<MutationCreateProvisioningRequestArgs, 'request'>>;
  createVnfInstance?: Resolver<ResolversTypes['VnfInstance'], ParentType, ContextType, Partial<MutationCreateVnfInstanceArgs>>;
  createVnfPackage?: Resolver<ResolversTypes['VnfPackage'], ParentType, ContextType, Partial<MutationCreateVnfPackageArgs>>;
  deleteDmsPolicy?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteDmsPolicyArgs, 'policyId'>>;
  deleteLcmSubscription?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteLcmSubscriptionArgs, 'id'>>;
  deleteProvisioningRequest?: Resolver<ResolversTypes['ProvisioningRequest'], ParentType, ContextType, RequireFields<MutationDeleteProvisioningRequestArgs, 'force' | 'provisioningRequestId'>>;
  deleteVnfInstance?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteVnfInstanceArgs, 'vnfInstanceId'>>;
  deleteVnfPackage?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteVnfPackageArgs, 'vnfPkgId'>>;
  failVnfLcmOpOcc?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationFailVnfLcmOpOccArgs, 'vnfLcmOpOccId'>>;
  healVnf?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationHealVnfArgs, 'vnfInstanceId'>>;
  instantiateVnf?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationInstantiateVnfArgs, 'vnfInstanceId'>>;
  modifyVnfInstance?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationModifyVnfInstanceArgs, 'vnfInstanceId'>>;
  modifyVnfPackage?: Resolver<ResolversTypes['JSON'], ParentType, ContextType, RequireFields<MutationModifyVnfPackageArgs, 'vnfPkgId'>>;
  replaceProvisioningRequest?: Resolver<ResolversTypes['ProvisioningRequest'], ParentType, ContextType, RequireFields<MutationReplaceProvisioningRequestArgs, 'provisioningRequestId' | 'request'>>;
  retryVnfLcmOpOcc?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationRetryVnfLcmOpOccArgs, 'vnfLcmOpOccId'>>;
  rollbackVnfLcmOpOcc?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationRollbackVnfLcmOpOccArgs, 'vnfLcmOpOccId'>>;
  scaleVnf?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationScaleVnfArgs, 'vnfInstanceId'>>;
  scaleVnfToLevel?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationScaleVnfToLevelArgs, 'vnfInstanceId'>>;
  setDmsPolicy?: Resolver<ResolversTypes['DmsPolicyChange'], ParentType, ContextType, RequireFields<MutationSetDmsPolicyArgs, 'policy' | 'policyId'>>;
  terminateVnf?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<MutationTerminateVnfArgs, 'vnfInstanceId'>>;
  uploadVnfPackageContent?: Resolver<ResolversTypes['VnfPackage'], ParentType, ContextType, RequireFields<MutationUploadVnfPackageContentArgs, 'contentBase64' | 'vnfPkgId'>>;
};

export type NodeClusterResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['NodeCluster'] = ResolversParentTypes['NodeCluster']> = {
  artifactResourceId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  clientNodeClusterId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nodeClusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  nodeClusterTypeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  provisioned?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type OCloudResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['OCloud'] = ResolversParentTypes['OCloud'], FederationReferenceType extends FederationReferenceTypes['OCloud'] = FederationReferenceTypes['OCloud']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['OCloud']> | FederationReferenceType, FederationReferenceType, ContextType>;
  alarms?: Resolver<ReadonlyArray<ResolversTypes['AlarmEventRecord']>, ParentType, ContextType, RequireFields<OCloudAlarmsArgs, 'includeCleared'>>;
  clusters?: Resolver<ReadonlyArray<Maybe<ResolversTypes['Cluster']>>, ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  extensions?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  globalCloudId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  oCloudId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  serviceUri?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ProvisioningRequestResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['ProvisioningRequest'] = ResolversParentTypes['ProvisioningRequest']> = {
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nodeClusterId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  phase?: Resolver<ResolversTypes['ProvisioningPhase'], ParentType, ContextType>;
  provisioningRequestId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  templateName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  templateParameters?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  templateVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updateTime?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ProvisioningRequestChangeResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['ProvisioningRequestChange'] = ResolversParentTypes['ProvisioningRequestChange']> = {
  changeKind?: Resolver<ResolversTypes['ProvisioningChangeKind'], ParentType, ContextType>;
  provisioningRequestId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  request?: Resolver<ResolversTypes['ProvisioningRequest'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  alarm?: Resolver<Maybe<ResolversTypes['AlarmEventRecord']>, ParentType, ContextType, RequireFields<QueryAlarmArgs, 'alarmEventRecordId'>>;
  dmsPolicies?: Resolver<ReadonlyArray<ResolversTypes['DmsPolicy']>, ParentType, ContextType>;
  dmsPolicy?: Resolver<ResolversTypes['DmsPolicy'], ParentType, ContextType, RequireFields<QueryDmsPolicyArgs, 'policyId'>>;
  lcmSubscription?: Resolver<ResolversTypes['LcmSubscription'], ParentType, ContextType, RequireFields<QueryLcmSubscriptionArgs, 'id'>>;
  lcmSubscriptions?: Resolver<ReadonlyArray<ResolversTypes['LcmSubscription']>, ParentType, ContextType, Partial<QueryLcmSubscriptionsArgs>>;
  managedInfrastructureTemplate?: Resolver<ResolversTypes['ManagedInfrastructureTemplate'], ParentType, ContextType, RequireFields<QueryManagedInfrastructureTemplateArgs, 'id'>>;
  managedInfrastructureTemplates?: Resolver<ReadonlyArray<ResolversTypes['ManagedInfrastructureTemplate']>, ParentType, ContextType>;
  nodeCluster?: Resolver<ResolversTypes['NodeCluster'], ParentType, ContextType, RequireFields<QueryNodeClusterArgs, 'nodeClusterId'>>;
  nodeClusters?: Resolver<ReadonlyArray<ResolversTypes['NodeCluster']>, ParentType, ContextType>;
  oCloud?: Resolver<ResolversTypes['OCloud'], ParentType, ContextType>;
  provisioningRequest?: Resolver<ResolversTypes['ProvisioningRequest'], ParentType, ContextType, RequireFields<QueryProvisioningRequestArgs, 'provisioningRequestId'>>;
  provisioningRequests?: Resolver<ReadonlyArray<ResolversTypes['ProvisioningRequest']>, ParentType, ContextType>;
  vnfInstance?: Resolver<ResolversTypes['VnfInstance'], ParentType, ContextType, RequireFields<QueryVnfInstanceArgs, 'id'>>;
  vnfInstances?: Resolver<ReadonlyArray<ResolversTypes['VnfInstance']>, ParentType, ContextType, Partial<QueryVnfInstancesArgs>>;
  vnfLcmOpOcc?: Resolver<ResolversTypes['VnfLcmOpOcc'], ParentType, ContextType, RequireFields<QueryVnfLcmOpOccArgs, 'id'>>;
  vnfLcmOpOccs?: Resolver<ReadonlyArray<ResolversTypes['VnfLcmOpOcc']>, ParentType, ContextType, Partial<QueryVnfLcmOpOccsArgs>>;
  vnfPackage?: Resolver<ResolversTypes['VnfPackage'], ParentType, ContextType, RequireFields<QueryVnfPackageArgs, 'vnfPkgId'>>;
  vnfPackages?: Resolver<ReadonlyArray<ResolversTypes['VnfPackage']>, ParentType, ContextType>;
};

export type ResourceResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['Resource'] = ResolversParentTypes['Resource'], FederationReferenceType extends FederationReferenceTypes['Resource'] = FederationReferenceTypes['Resource']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Resource']> | FederationReferenceType, FederationReferenceType, ContextType>;
  alarms?: Resolver<ReadonlyArray<ResolversTypes['AlarmEventRecord']>, ParentType, ContextType, RequireFields<ResourceAlarmsArgs, 'includeCleared'>>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  resourceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type ResourcePoolResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['ResourcePool'] = ResolversParentTypes['ResourcePool'], FederationReferenceType extends FederationReferenceTypes['ResourcePool'] = FederationReferenceTypes['ResourcePool']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['ResourcePool']> | FederationReferenceType, FederationReferenceType, ContextType>;
  alarms?: Resolver<ReadonlyArray<ResolversTypes['AlarmEventRecord']>, ParentType, ContextType, RequireFields<ResourcePoolAlarmsArgs, 'includeCleared'>>;
  clusterId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  resourcePoolId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  alarmChanged?: SubscriptionResolver<ResolversTypes['AlarmEvent'], "alarmChanged", ParentType, ContextType, Partial<SubscriptionAlarmChangedArgs>>;
  inventoryChanged?: SubscriptionResolver<ResolversTypes['InventoryEvent'], "inventoryChanged", ParentType, ContextType, Partial<SubscriptionInventoryChangedArgs>>;
  lcmEvents?: SubscriptionResolver<ResolversTypes['LcmEvent'], "lcmEvents", ParentType, ContextType, Partial<SubscriptionLcmEventsArgs>>;
  provisioningRequestChanged?: SubscriptionResolver<ResolversTypes['ProvisioningRequestChange'], "provisioningRequestChanged", ParentType, ContextType>;
};

export type VnfInstanceResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['VnfInstance'] = ResolversParentTypes['VnfInstance'], FederationReferenceType extends FederationReferenceTypes['VnfInstance'] = FederationReferenceTypes['VnfInstance']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['VnfInstance']> | FederationReferenceType, FederationReferenceType, ContextType>;
  clusterId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  extensions?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  instantiatedVnfInfo?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  instantiationState?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  metadata?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  occurrences?: Resolver<ReadonlyArray<ResolversTypes['VnfLcmOpOcc']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  vimConnectionInfo?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  vnfConfigurableProperties?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  vnfInstanceDescription?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vnfInstanceName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vnfPkgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  vnfProductName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vnfProvider?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vnfSoftwareVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vnfdId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vnfdVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type VnfLcmOpOccResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['VnfLcmOpOcc'] = ResolversParentTypes['VnfLcmOpOcc'], FederationReferenceType extends FederationReferenceTypes['VnfLcmOpOcc'] = FederationReferenceTypes['VnfLcmOpOcc']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['VnfLcmOpOcc']> | FederationReferenceType, FederationReferenceType, ContextType>;
  cancelMode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  changedInfo?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  clusterId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isAutomaticInvocation?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  isCancelPending?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  operation?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  operationParams?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  operationState?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  resourceChanges?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  startTime?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  stateEnteredTime?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  vnfInstance?: Resolver<Maybe<ResolversTypes['VnfInstance']>, ParentType, ContextType>;
  vnfInstanceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type VnfPackageResolvers<ContextType = GraphContext, ParentType extends ResolversParentTypes['VnfPackage'] = ResolversParentTypes['VnfPackage']> = {
  additionalArtifacts?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  checksum?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  onboardingFailureDetails?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  onboardingState?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  operationalState?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  usageState?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  userDefinedData?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  vnfProductName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vnfProvider?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vnfSoftwareVersion?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vnfdId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vnfdVersion?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = GraphContext> = {
  AlarmEvent?: AlarmEventResolvers<ContextType>;
  AlarmEventRecord?: AlarmEventRecordResolvers<ContextType>;
  Cluster?: ClusterResolvers<ContextType>;
  DmsPolicy?: DmsPolicyResolvers<ContextType>;
  DmsPolicyChange?: DmsPolicyChangeResolvers<ContextType>;
  InventoryEvent?: InventoryEventResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  LcmEvent?: LcmEventResolvers<ContextType>;
  LcmSubscription?: LcmSubscriptionResolvers<ContextType>;
  LcmSubscriptionCreation?: LcmSubscriptionCreationResolvers<ContextType>;
  ManagedInfrastructureTemplate?: ManagedInfrastructureTemplateResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  NodeCluster?: NodeClusterResolvers<ContextType>;
  OCloud?: OCloudResolvers<ContextType>;
  ProvisioningRequest?: ProvisioningRequestResolvers<ContextType>;
  ProvisioningRequestChange?: ProvisioningRequestChangeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Resource?: ResourceResolvers<ContextType>;
  ResourcePool?: ResourcePoolResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  VnfInstance?: VnfInstanceResolvers<ContextType>;
  VnfLcmOpOcc?: VnfLcmOpOccResolvers<ContextType>;
  VnfPackage?: VnfPackageResolvers<ContextType>;
};

