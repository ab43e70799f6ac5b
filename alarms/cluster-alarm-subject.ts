/**
 * What alarms about a whole cluster are raised against: the cluster's O2 deployment manager (docs/architecture.md "The shape"),
 * with the catalogue's cluster resource type. Computable without asking the cluster — which matters most when
 * the cluster does not answer.
 */
import {
  CLUSTER_RESOURCE_TYPE,
  alarmDefinitionIdOf,
  alarmDefinitionTemplate,
  probableCauseIdOf,
} from './alarm-catalogue.ts';
import type { AlarmCondition } from './alarm-ledger.ts';
import { PERCEIVED_SEVERITY, isActiveSeverity } from './alarm-record.ts';
import type { ActiveSeverity, AlarmSource } from './alarm-record.ts';
import { clusterScopedId } from '../o2/ids.ts';

/** The deployment manager id the cluster subgraph's mapping gives the cluster (subgraphs/cluster/mapping.ts). */
export function deploymentManagerIdOf(clusterId: string): string {
  return clusterScopedId(clusterId, 'deploymentManager', 'deploymentManager');
}

export interface ClusterAlarmInput {
  readonly clusterId: string;
  readonly code: string;
  readonly source: AlarmSource;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly severity?: ActiveSeverity;
  readonly subject?: string;
  readonly probableCause?: string;
}

/** A condition on the cluster's deployment manager for a definition of the catalogue's cluster category. */
export function clusterAlarmCondition(input: ClusterAlarmInput): AlarmCondition {
  const template = alarmDefinitionTemplate('cluster', input.code);
  if (template === undefined) throw new Error(`the alarm catalogue has no cluster definition ${input.code}`);
  const fallback = isActiveSeverity(template.perceivedSeverity)
    ? template.perceivedSeverity
    : PERCEIVED_SEVERITY.INDETERMINATE;
  return {
    alarmDefinitionId: alarmDefinitionIdOf(CLUSTER_RESOURCE_TYPE.resourceTypeId, input.code),
    alarmCode: input.code,
    alarmName: template.alarmName,
    clearingType: template.clearingType,
    probableCauseId: probableCauseIdOf(input.probableCause ?? input.code),
    resourceTypeId: CLUSTER_RESOURCE_TYPE.resourceTypeId,
    resourceId: deploymentManagerIdOf(input.clusterId),
    clusterId: input.clusterId,
    resourcePoolId: null,
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    source: input.source,
    perceivedSeverity: input.severity ?? fallback,
    extensions: { ...input.extensions, deploymentManagerId: deploymentManagerIdOf(input.clusterId) },
  };
}
