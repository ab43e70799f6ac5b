/** The alarm catalogue and the ids alarms name agree with what the inventory serves. */
import { describe, expect, it } from 'vitest';
import { createMappingContext } from '../subgraphs/cluster/mapping.ts';
import { TEST_SITE } from '../testing/cluster-fixtures.ts';
import {
  ALARM_CATALOGUE,
  CLUSTER_RESOURCE_TYPE,
  RESOURCE_CATEGORIES,
  alarmDictionaryFor,
  probableCauseIdOf,
} from './alarm-catalogue.ts';
import { isActiveSeverity } from './alarm-record.ts';
import { clusterAlarmCondition, deploymentManagerIdOf } from './cluster-alarm-subject.ts';

describe('alarm subjects and the catalogue', () => {
  it("names the deployment manager id the cluster subgraph's mapping gives the cluster", () => {
    for (const clusterId of ['edge-1', 'regional-paris-1']) {
      const mapping = createMappingContext({
        clusterId,
        oCloudId: '0b6e2b4c-6a55-4f0e-9a8b-3c1d2e4f5a60',
        site: TEST_SITE,
        serviceUri: 'https://x:6443',
      });
      expect(deploymentManagerIdOf(clusterId)).toBe(mapping.deploymentManagerId);
    }
  });

  it('gives every definition an active default severity, and the dictionaries a probable cause per definition', () => {
    for (const category of RESOURCE_CATEGORIES) {
      for (const template of ALARM_CATALOGUE[category])
        expect(isActiveSeverity(template.perceivedSeverity), `${category}/${template.code}`).toBe(true);
    }
    const dictionary = alarmDictionaryFor(CLUSTER_RESOURCE_TYPE);
    expect(dictionary.alarmDefinition.map((d) => d.alarmAdditionalFields['code'])).toEqual([
      'ClusterUnreachable',
      'NfDeploymentFailing',
      'NfPodCrashLooping',
      'NfPodUnready',
      'PrometheusAlert',
    ]);
    expect(dictionary.alarmDefinition[0]!.alarmAdditionalFields['probableCauseId']).toBe(
      probableCauseIdOf('ClusterUnreachable'),
    );
  });

  it('raises cluster alarms with a definition of the cluster dictionary', () => {
    const condition = clusterAlarmCondition({
      clusterId: 'edge-1',
      code: 'ClusterUnreachable',
      source: 'gateway',
      extensions: {},
    });
    const ids = alarmDictionaryFor(CLUSTER_RESOURCE_TYPE).alarmDefinition.map((d) => d.alarmDefinitionId);
    expect(ids).toContain(condition.alarmDefinitionId);
    expect(() =>
      clusterAlarmCondition({ clusterId: 'edge-1', code: 'NodeNotReady', source: 'gateway', extensions: {} }),
    ).toThrow(/no cluster definition/);
  });
});
