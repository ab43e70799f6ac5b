/**
 * The alarm definitions netweave can raise, per kind of resource, and the O2 alarm dictionary of a resource
 * type built from them (O2 IMS AlarmDictionary / AlarmDefinition).
 *
 * Alarms are derived from cluster state (docs/architecture.md "The shape"): node conditions, an unreachable kubelet, accelerator
 * and NIC health, crash-looping workloads, an unreachable cluster API, and Prometheus alerts ingested from
 * Alertmanager. What can be raised is therefore a function of the resource's category alone, so the catalogue
 * is fixed in code; the inventory API serves it as one dictionary per resource type, and the alarm rules
 * (subgraphs/cluster/alarm-rules.ts, docs/monitoring.md) raise alarms whose `alarmDefinitionId` comes from
 * `alarmDefinitionIdOf`, so the two always agree. Every definition listed here is raised by something.
 *
 * Ids are name-based (UUID v5, o2/ids.ts): the dictionary id is `globalId('alarmDictionary', typeId)` —
 * the value the cluster mapping already puts in `ResourceType.alarmDictionaryId` — and a definition id is
 * derived from the type id and the definition's code, so it is unique across dictionaries and stable across
 * restarts, replicas and clusters.
 */
import { globalId } from '../o2/ids.ts';

/**
 * The categories of O2 resources netweave maps (subgraphs/cluster/hardware.ts), the node itself, and the
 * cluster: alarms about a whole cluster are raised against its deployment manager, whose type is
 * `CLUSTER_RESOURCE_TYPE` below.
 */
export const RESOURCE_CATEGORIES = [
  'node',
  'cpu',
  'memory',
  'storage',
  'gpu',
  'nic',
  'accelerator',
  'cluster',
] as const;
export type ResourceCategory = (typeof RESOURCE_CATEGORIES)[number];

export function isResourceCategory(value: unknown): value is ResourceCategory {
  return typeof value === 'string' && (RESOURCE_CATEGORIES as readonly string[]).includes(value);
}

export type ClearingType = 'AUTOMATIC' | 'MANUAL';

/** One alarm netweave can raise; `code` is its stable key inside a category. */
export interface AlarmDefinitionTemplate {
  readonly code: string;
  readonly alarmName: string;
  readonly alarmDescription: string;
  readonly proposedRepairActions: string;
  readonly clearingType: ClearingType;
  /**
   * Default severity the alarm is raised with (O2 perceivedSeverity: 0 CRITICAL, 1 MAJOR, 2 MINOR, 3 WARNING,
   * 4 INDETERMINATE; 5 is CLEARED and never a default). Some rules raise with a different severity as the
   * condition worsens (docs/monitoring.md), which is an O2 CHANGE of the same alarm.
   */
  readonly perceivedSeverity: number;
  /** Which Kubernetes signal raises it, for operators reading the dictionary. */
  readonly source: string;
}

/**
 * Versions of the catalogue. `ALARM_DICTIONARY_VERSION` changes whenever a definition is added, changed or
 * removed (and `alarmLastChange` of the changed definitions is set to it); the schema version is the O2 IMS
 * interface version whose AlarmDictionary model the dictionaries follow.
 */
export const ALARM_DICTIONARY_VERSION = '1.1.0';
export const ALARM_DICTIONARY_SCHEMA_VERSION = '11.0';
/** The only management interface of O2 IMS alarms (O-RAN.WG6.O2IMS-INTERFACE restriction). */
export const MANAGEMENT_INTERFACES = ['O2IMS'] as const;
/** The alarm notification fields that identify the definition (the dictionary's primary key). */
export const PK_NOTIFICATION_FIELDS = ['alarmDefinitionID'] as const;

const nodeAlarms: readonly AlarmDefinitionTemplate[] = [
  {
    code: 'NodeNotReady',
    alarmName: 'Node not ready',
    alarmDescription:
      'The kubelet reports the node as not ready (condition Ready=False): no new pods are scheduled on it and its pods may be evicted.',
    proposedRepairActions:
      'Check the kubelet and container runtime logs on the node, its network and its system resources.',
    clearingType: 'AUTOMATIC',
    perceivedSeverity: 1,
    source: 'node condition Ready=False',
  },
  {
    code: 'NodeUnreachable',
    alarmName: 'Node unreachable',
    alarmDescription:
      'The control plane stopped hearing from the kubelet (condition Ready=Unknown); the node is tainted unreachable and its pods are evicted after the toleration period.',
    proposedRepairActions: 'Check power, the management network and the kubelet of the node.',
    clearingType: 'AUTOMATIC',
    perceivedSeverity: 1,
    source: 'node condition Ready=Unknown',
  },
  {
    code: 'MemoryPressure',
    alarmName: 'Node memory pressure',
    alarmDescription: 'The node is low on memory (condition MemoryPressure=True); the kubelet evicts pods.',
    proposedRepairActions: 'Reduce the memory requested on the node, or add memory or nodes to the pool.',
    clearingType: 'AUTOMATIC',
    perceivedSeverity: 3,
    source: 'node condition MemoryPressure=True',
  },
  {
    code: 'DiskPressure',
    alarmName: 'Node disk pressure',
    alarmDescription:
      'The node is low on disk space (condition DiskPressure=True); the kubelet evicts pods and removes images.',
    proposedRepairActions: 'Free disk space (images, logs, emptyDir volumes) or enlarge the node filesystem.',
    clearingType: 'AUTOMATIC',
    perceivedSeverity: 3,
    source: 'node condition DiskPressure=True',
  },
  {
    code: 'PIDPressure',
    alarmName: 'Node PID pressure',
    alarmDescription: 'The node is running out of process ids (condition PIDPressure=True).',
    proposedRepairActions:
      'Find the workload that forks excessively; raise the PID limit if the load is legitimate.',
    clearingType: 'AUTOMATIC',
    perceivedSeverity: 3,
    source: 'node condition PIDPressure=True',
  },
  {
    code: 'NetworkUnavailable',
    alarmName: 'Node network unavailable',
    alarmDescription: 'The node network is not configured correctly (condition NetworkUnavailable=True).',
    proposedRepairActions: 'Check the CNI plugin on the node and its routes.',
    clearingType: 'AUTOMATIC',
    perceivedSeverity: 2,
    source: 'node condition NetworkUnavailable=True',
  },
  {
    code: 'NodeCordoned',
    alarmName: 'Node cordoned',
    alarmDescription:
      'The node is marked unschedulable (spec.unschedulable); it is usually being maintained.',
    proposedRepairActions: 'Uncordon the node when the maintenance is over.',
    clearingType: 'MANUAL',
    perceivedSeverity: 4,
    source: 'node spec.unschedulable=true',
  },
  {
    code: 'WorkloadCrashLooping',
    alarmName: 'Workload crash-looping on node',
    alarmDescription:
      'Containers of pods on the node restart repeatedly (waiting in CrashLoopBackOff, or their restart count keeps growing): the workloads they belong to are degraded. MAJOR when three or more pods on the node are affected, which points at the node rather than at one workload.',
    proposedRepairActions:
      'Read the logs of the previous container instance (kubectl logs --previous) and the pod events; check the node for resource exhaustion when several workloads are affected.',
    clearingType: 'AUTOMATIC',
    perceivedSeverity: 2,
    source: 'pod container status waiting.reason=CrashLoopBackOff or a growing restartCount',
  },
];

/**
 * Any Prometheus alert that Alertmanager sends to netweave's ingest endpoint (POST /netweave/v1/alertmanager):
 * the alert name becomes the probable cause (`probableCauseIdOf('alertmanager/<alertname>')`), its `severity`
 * label the perceived severity, and it clears when Alertmanager reports it resolved.
 */
const PROMETHEUS_ALERT: AlarmDefinitionTemplate = {
  code: 'PrometheusAlert',
  alarmName: 'Prometheus alert',
  alarmDescription:
    'A Prometheus alerting rule fires for this resource (forwarded by Alertmanager). The alert name, labels and annotations are in the alarm extensions.',
  proposedRepairActions: "Follow the alert's runbook (annotation runbook_url) or description.",
  clearingType: 'AUTOMATIC',
  perceivedSeverity: 4,
  source: 'Alertmanager webhook (firing → raised, resolved → cleared)',
};

/** Alarms of a device-plugin element: allocatable below capacity means devices the plugin marked unhealthy. */
function deviceAlarms(kind: string): readonly AlarmDefinitionTemplate[] {
  return [
    {
      code: 'DeviceUnhealthy',
      alarmName: `${kind} unhealthy`,
      alarmDescription: `The device plugin reports fewer allocatable ${kind} devices than the node has: some are unhealthy and cannot be assigned to pods. WARNING while at most a quarter of them are lost, MINOR up to half, MAJOR beyond.`,
      proposedRepairActions: `Check the ${kind} devices and their device plugin on the node; replace failed hardware.`,
      clearingType: 'AUTOMATIC',
      perceivedSeverity: 3,
      source: 'allocatable < capacity of the device-plugin resource',
    },
    {
      code: 'DeviceMissing',
      alarmName: `${kind} missing`,
      alarmDescription: `The node no longer advertises any allocatable ${kind} device that it had.`,
      proposedRepairActions: `Check that the ${kind} device plugin runs on the node and that the devices are visible to it.`,
      clearingType: 'AUTOMATIC',
      perceivedSeverity: 1,
      source: 'allocatable of the device-plugin resource dropped to 0',
    },
  ];
}

/**
 * Not catalogued on purpose: "allocatable CPU/memory reduced" (it needs the node's history, which a restarted
 * subgraph does not have, so it would clear spuriously) and "ephemeral storage low" (the node's DiskPressure
 * alarm already says it).
 */
export const ALARM_CATALOGUE: Readonly<Record<ResourceCategory, readonly AlarmDefinitionTemplate[]>> = {
  node: [...nodeAlarms, PROMETHEUS_ALERT],
  cpu: [PROMETHEUS_ALERT],
  memory: [PROMETHEUS_ALERT],
  storage: [PROMETHEUS_ALERT],
  gpu: [...deviceAlarms('GPU'), PROMETHEUS_ALERT],
  nic: [...deviceAlarms('NIC virtual function'), PROMETHEUS_ALERT],
  accelerator: [...deviceAlarms('accelerator'), PROMETHEUS_ALERT],
  cluster: [
    {
      code: 'ClusterUnreachable',
      alarmName: 'Cluster API unreachable',
      alarmDescription:
        "netweave cannot reach the cluster: its subgraph or Kubernetes API server did not answer the gateway's requests and probes. Inventory and alarms of the cluster are stale until it answers again.",
      proposedRepairActions:
        "Check the cluster's API server and control-plane nodes, the netweave cluster subgraph of the cluster, and the network between the gateway and the cluster.",
      clearingType: 'AUTOMATIC',
      perceivedSeverity: 0,
      source: 'gateway shard probes and failed requests (circuit open)',
    },
    {
      code: 'NfDeploymentFailing',
      alarmName: 'NF deployment failing',
      alarmDescription:
        'An LCM operation of a VNF instance (NF deployment) on the cluster ended FAILED_TEMP: Helm refused the release, or its workloads did not become ready in time (unready or crash-looping pods). One alarm per instance; the O2 DMS serves it as a vnffm alarm of the instance.',
      proposedRepairActions:
        "Read the occurrence's error (it names the unready workloads), fix the cause (chart values, node capacity, image), then retry, roll back or fail the occurrence.",
      clearingType: 'AUTOMATIC',
      perceivedSeverity: 1,
      source:
        'DMS lifecycle: an occurrence entering FAILED_TEMP (cleared when the instance next completes, rolls back, fails or is deleted)',
    },
    {
      code: 'NfPodCrashLooping',
      alarmName: 'NF pods crash-looping',
      alarmDescription:
        'Containers of pods (VNFCs) of an instantiated VNF instance on the cluster restart repeatedly: waiting in CrashLoopBackOff, or restarted twice since last ready. One alarm per instance, naming its crash-looping VNFCs; MAJOR when a workload (VDU) with a faulty pod has no ready pod, else MINOR. The O2 DMS serves it as a vnffm alarm of the instance.',
      proposedRepairActions:
        'Read the logs of the previous container instance (kubectl logs --previous) and the pod events; heal the VNFCs, or fix the chart values or package and change them (change_vnfpkg).',
      clearingType: 'AUTOMATIC',
      perceivedSeverity: 2,
      source:
        'cluster subgraph: pods of the Helm release of an INSTANTIATED VNF instance (cleared when they run ready again or are gone)',
    },
    {
      code: 'NfPodUnready',
      alarmName: 'NF pods unready',
      alarmDescription:
        'Pods (VNFCs) of an instantiated VNF instance on the cluster have not been ready for longer than the grace period (dms.nfUnreadyGraceMs, 60 s by default): failing readiness probes, or Pending without a node. One alarm per instance, naming its unready VNFCs; MAJOR when a workload (VDU) with a faulty pod has no ready pod, else MINOR.',
      proposedRepairActions:
        "Check the pods' readiness probes, events and scheduling (kubectl describe pod); heal the VNFCs or free capacity.",
      clearingType: 'AUTOMATIC',
      perceivedSeverity: 2,
      source:
        'cluster subgraph: pods of the Helm release of an INSTANTIATED VNF instance whose Ready condition stayed False past the grace period',
    },
    PROMETHEUS_ALERT,
  ],
};

/** The template of a definition, undefined when the category has no definition with that code. */
export function alarmDefinitionTemplate(
  category: ResourceCategory,
  code: string,
): AlarmDefinitionTemplate | undefined {
  return ALARM_CATALOGUE[category].find((template) => template.code === code);
}

/** A probable cause per definition code (and per Prometheus alert name): one id in every dictionary. */
export function probableCauseIdOf(cause: string): string {
  return globalId('probableCause', cause);
}

/**
 * The resource type of a whole cluster, which alarms about the cluster (its deployment manager) name. It is
 * not a node or element type, so the inventory's /resourceTypes does not list it; its dictionary is
 * `alarmDictionaryFor(CLUSTER_RESOURCE_TYPE)`.
 */
export const CLUSTER_RESOURCE_TYPE = {
  resourceTypeId: globalId('resourceType', 'netweave/kubernetes-cluster'),
  name: 'Kubernetes cluster',
  vendor: '',
  model: '',
  version: '',
  category: 'cluster',
} as const satisfies AlarmDictionarySubject;

/** The dictionary id of a resource type: the value `ResourceType.alarmDictionaryId` carries. */
export function alarmDictionaryIdOf(resourceTypeId: string): string {
  return globalId('alarmDictionary', resourceTypeId);
}

export function alarmDefinitionIdOf(resourceTypeId: string, code: string): string {
  return globalId('alarmDefinition', `${resourceTypeId}\u0000${code}`);
}

/** What a dictionary needs to know about its resource type. */
export interface AlarmDictionarySubject {
  readonly resourceTypeId: string;
  readonly name: string;
  readonly vendor: string;
  readonly model: string;
  readonly version: string;
  readonly category: ResourceCategory;
}

export interface O2AlarmDefinition {
  readonly alarmDefinitionId: string;
  readonly alarmName: string;
  readonly alarmLastChange: string;
  readonly alarmChangeType: 'ADDED' | 'DELETED' | 'MODIFIED';
  readonly alarmDescription: string;
  readonly proposedRepairActions: string;
  readonly clearingType: ClearingType;
  readonly managementInterfaceId: readonly string[];
  readonly pkNotificationField: readonly string[];
  readonly alarmAdditionalFields: { readonly [key: string]: string | number };
}

export interface O2AlarmDictionary {
  readonly alarmDictionaryId: string;
  readonly alarmDictionaryVersion: string;
  readonly alarmDictionarySchemaVersion: string;
  readonly entityType: string;
  readonly vendor: string;
  readonly managementInterfaceId: readonly string[];
  readonly pkNotificationField: readonly string[];
  readonly alarmDefinition: readonly O2AlarmDefinition[];
}

/**
 * O2 requires the entity type to be unique per vendor model and version; the type's name already names
 * vendor and model (or the category when neither is known), so name + version is unique per type.
 */
function entityTypeOf(subject: AlarmDictionarySubject): string {
  return subject.version === '' ? subject.name : `${subject.name} ${subject.version}`;
}

export function alarmDictionaryFor(subject: AlarmDictionarySubject): O2AlarmDictionary {
  return {
    alarmDictionaryId: alarmDictionaryIdOf(subject.resourceTypeId),
    alarmDictionaryVersion: ALARM_DICTIONARY_VERSION,
    alarmDictionarySchemaVersion: ALARM_DICTIONARY_SCHEMA_VERSION,
    entityType: entityTypeOf(subject),
    vendor: subject.vendor,
    managementInterfaceId: MANAGEMENT_INTERFACES,
    pkNotificationField: PK_NOTIFICATION_FIELDS,
    alarmDefinition: ALARM_CATALOGUE[subject.category].map((template) => ({
      alarmDefinitionId: alarmDefinitionIdOf(subject.resourceTypeId, template.code),
      alarmName: template.alarmName,
      alarmLastChange: ALARM_DICTIONARY_VERSION,
      alarmChangeType: 'ADDED',
      alarmDescription: template.alarmDescription,
      proposedRepairActions: template.proposedRepairActions,
      clearingType: template.clearingType,
      managementInterfaceId: MANAGEMENT_INTERFACES,
      pkNotificationField: PK_NOTIFICATION_FIELDS,
      alarmAdditionalFields: {
        code: template.code,
        probableCauseId: probableCauseIdOf(template.code),
        perceivedSeverity: template.perceivedSeverity,
        source: template.source,
      },
    })),
  };
}
