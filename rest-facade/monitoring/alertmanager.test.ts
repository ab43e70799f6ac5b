/** Where an Alertmanager alert lands and with which severity (the pure part of the ingest). */
import { describe, expect, it } from 'vitest';
import { PERCEIVED_SEVERITY } from '../../alarms/alarm-record.ts';
import { deploymentManagerIdOf } from '../../alarms/cluster-alarm-subject.ts';
import { parseGatewayConfig } from '../../common/config.ts';
import {
  alertCondition,
  alertSubjectOf,
  alertmanagerPayloadSchema,
  severityOf,
  targetOf,
} from './alertmanager.ts';
import type { AlertmanagerAlert } from './alertmanager.ts';

const config = parseGatewayConfig({}).monitoring.alertmanager;
const node = (clusterId: string, nodeName: string, address: string) => ({
  clusterId,
  resourceId: `${clusterId}-${nodeName}`,
  resourceTypeId: '461ee223-4698-5d1c-b9ad-fdd2cffe839a',
  resourcePoolId: '9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f',
  nodeName,
  addresses: [address],
});
const NODES = [
  node('edge-1', 'n1', '10.0.0.1'),
  node('edge-2', 'n1', '10.0.1.1'),
  node('edge-2', 'n2', 'fd00::2'),
];
const CLUSTERS = new Set(['edge-1', 'edge-2']);

function alert(labels: Record<string, string>, fingerprint?: string): AlertmanagerAlert {
  return { status: 'firing', labels, annotations: {}, ...(fingerprint === undefined ? {} : { fingerprint }) };
}

describe('alert targets', () => {
  it.each([
    ['node name in its cluster', { node: 'n1', cluster: 'edge-2' }, 'node edge-2-n1'],
    ['instance address with port', { instance: '10.0.0.1:9100' }, 'node edge-1-n1'],
    ['bracketed IPv6 instance', { instance: '[fd00::2]:9100' }, 'node edge-2-n2'],
    ['a node name two clusters share, with the cluster', { node: 'n1', cluster: 'edge-1' }, 'node edge-1-n1'],
    ['a node name two clusters share, without a cluster', { node: 'n1' }, 'unmatched'],
    ['a cluster only', { cluster: 'edge-2', alertname: 'KubeAPIDown' }, 'cluster edge-2'],
    ['an unknown node with a cluster', { node: 'ghost', cluster: 'edge-1' }, 'cluster edge-1'],
    ['an unknown cluster', { cluster: 'elsewhere', node: 'n1' }, 'unmatched'],
    ['no labels to go by', { alertname: 'Watchdog' }, 'unmatched'],
  ])('%s', (_what, labels, expected) => {
    const target = targetOf(alert(labels), NODES, CLUSTERS, config);
    const summary =
      target.kind === 'node'
        ? `node ${target.node.resourceId}`
        : target.kind === 'cluster'
          ? `cluster ${target.clusterId}`
          : 'unmatched';
    expect(summary).toBe(expected);
  });

  it('maps severity labels to O2 severities', () => {
    expect(severityOf({ severity: 'critical' })).toBe(PERCEIVED_SEVERITY.CRITICAL);
    expect(severityOf({ severity: 'Warning' })).toBe(PERCEIVED_SEVERITY.WARNING);
    expect(severityOf({ severity: 'info' })).toBe(PERCEIVED_SEVERITY.INDETERMINATE);
    expect(severityOf({})).toBe(PERCEIVED_SEVERITY.INDETERMINATE);
  });

  it('identifies an alert by its fingerprint, or by its sorted labels', () => {
    expect(alertSubjectOf(alert({ a: '1' }, 'abc'))).toBe('alertmanager:abc');
    expect(alertSubjectOf(alert({ a: '1', b: '2' }))).toBe(alertSubjectOf(alert({ b: '2', a: '1' })));
    expect(alertSubjectOf(alert({ a: '1' }))).not.toBe(alertSubjectOf(alert({ a: '2' })));
  });

  it('raises cluster-wide alerts on the deployment manager, with the alert name as probable cause', () => {
    const first = alertCondition(alert({ alertname: 'KubeAPIDown', cluster: 'edge-2' }, 'f1'), {
      kind: 'cluster',
      clusterId: 'edge-2',
    });
    const other = alertCondition(alert({ alertname: 'Other', cluster: 'edge-2' }, 'f2'), {
      kind: 'cluster',
      clusterId: 'edge-2',
    });
    expect(first).toMatchObject({
      resourceId: deploymentManagerIdOf('edge-2'),
      source: 'alertmanager',
      alarmCode: 'PrometheusAlert',
    });
    expect(first.probableCauseId).not.toBe(other.probableCauseId);
    expect(first.alarmDefinitionId).toBe(other.alarmDefinitionId);
  });

  it('validates the webhook payload', () => {
    expect(
      alertmanagerPayloadSchema.safeParse({
        version: '4',
        groupKey: 'k',
        status: 'firing',
        receiver: 'r',
        alerts: [],
      }).success,
    ).toBe(true);
    expect(
      alertmanagerPayloadSchema.safeParse({
        version: '4',
        groupKey: 'k',
        status: 'burning',
        receiver: 'r',
        alerts: [],
      }).success,
    ).toBe(false);
    expect(
      alertmanagerPayloadSchema.safeParse({
        version: '4',
        groupKey: 'k',
        status: 'firing',
        receiver: 'r',
        alerts: [{ status: 'firing', labels: { a: 1 } }],
      }).success,
    ).toBe(false);
  });
});
