/**
 * Prometheus Alertmanager ingest (docs/monitoring.md): `POST /netweave/v1/alertmanager` takes the webhook
 * payload (version 4, https://prometheus.io/docs/alerting/latest/configuration/#webhook_config) and turns each
 * alert into an O2 alarm on the resource it is about, so alerts operators already have appear next to the
 * alarms netweave derives:
 *
 *   firing    raise  (PrometheusAlert on the node, or on the cluster's deployment manager)
 *   resolved  clear
 *
 * Where an alert belongs is read from its labels: a cluster label (`cluster`, …) names a registered cluster, a
 * node label (`node`, `instance`, …) names a node by name or address. An alert with a node finds that node's
 * resource (in its cluster, or in the one cluster that has a node of that name); an alert with a cluster only
 * goes to that cluster's deployment manager; anything else is counted as unmatched and skipped (an O2 alarm
 * must name a resource). The answer is 200 with the counts once every alarm is written — a failure is a 5xx,
 * which Alertmanager retries, and writing the same alert twice changes nothing.
 *
 * Authenticated like every other API (Alertmanager's `http_config.authorization` carries the bearer token); it
 * needs the maintainer or admin role.
 */
import { createHash } from 'node:crypto';
import express from 'express';
import type { Request, RequestHandler, Router } from 'express';
import { parse, validate } from 'graphql';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { z } from 'zod';
import {
  alarmDefinitionIdOf,
  alarmDefinitionTemplate,
  probableCauseIdOf,
} from '../../alarms/alarm-catalogue.ts';
import type { AlarmCondition, AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { alarmKeyOf } from '../../alarms/alarm-ledger.ts';
import { PERCEIVED_SEVERITY } from '../../alarms/alarm-record.ts';
import type { ActiveSeverity } from '../../alarms/alarm-record.ts';
import type { AuthContext } from '../../common/auth.ts';
import { requirePermission } from '../../common/authorization.ts';
import { clusterAlarmCondition } from '../../alarms/cluster-alarm-subject.ts';
import type { MonitoringConfig } from '../../common/config.ts';
import type { GraphExecutor } from '../../router/executor.ts';
import { readGraphResult } from '../graph-outcome.ts';
import { ProblemError, REQUEST_ID_HEADER, problemErrorHandler, sendProblem } from '../problem.ts';
import { authOf, bindAuth, requestIdOf } from '../request-context.ts';
import { jsonObjectBody } from './request-bodies.ts';

export const ALERTMANAGER_PATH = '/netweave/v1/alertmanager';

const MAX_ALERTS = 1_000;

const labelMap = z.record(z.string().max(4_096));

const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelMap,
  annotations: labelMap.default({}),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().max(256).optional(),
});

/** The webhook payload; members netweave does not use are accepted and ignored (Alertmanager adds some). */
export const alertmanagerPayloadSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelMap.default({}),
  commonLabels: labelMap.default({}),
  commonAnnotations: labelMap.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(alertSchema).max(MAX_ALERTS),
});

export type AlertmanagerAlert = z.infer<typeof alertSchema>;

/** Prometheus `severity` label conventions → O2 perceivedSeverity; anything else is INDETERMINATE. */
const SEVERITY_LABELS: Readonly<Record<string, ActiveSeverity>> = {
  critical: PERCEIVED_SEVERITY.CRITICAL,
  page: PERCEIVED_SEVERITY.CRITICAL,
  major: PERCEIVED_SEVERITY.MAJOR,
  error: PERCEIVED_SEVERITY.MAJOR,
  high: PERCEIVED_SEVERITY.MAJOR,
  minor: PERCEIVED_SEVERITY.MINOR,
  medium: PERCEIVED_SEVERITY.MINOR,
  warning: PERCEIVED_SEVERITY.WARNING,
  low: PERCEIVED_SEVERITY.WARNING,
};

export function severityOf(labels: Readonly<Record<string, string>>): ActiveSeverity {
  return SEVERITY_LABELS[(labels['severity'] ?? '').toLowerCase()] ?? PERCEIVED_SEVERITY.INDETERMINATE;
}

/**
 * One alert is one alarm: Alertmanager's fingerprint identifies the alert's label set; without one (older
 * versions), a hash of the sorted labels does the same.
 */
export function alertSubjectOf(alert: AlertmanagerAlert): string {
  if (alert.fingerprint !== undefined && alert.fingerprint !== '') return `alertmanager:${alert.fingerprint}`;
  const labels = Object.entries(alert.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `alertmanager:${createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 32)}`;
}

function firstLabel(labels: Readonly<Record<string, string>>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = labels[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

// ---- where an alert belongs -------------------------------------------------------------------------------

interface NodeResource {
  readonly clusterId: string;
  readonly resourceId: string;
  readonly resourceTypeId: string;
  readonly resourcePoolId: string;
  readonly nodeName: string;
  readonly addresses: readonly string[];
}

const NODES_QUERY = parse(`
  query NetweaveAlertNodes {
    resources {
      clusterId
      resourceId
      resourceTypeId
      resourcePoolId
      extensions
    }
  }
`);

interface NodesData {
  readonly resources: ReadonlyArray<{
    readonly clusterId: string;
    readonly resourceId: string;
    readonly resourceTypeId: string;
    readonly resourcePoolId: string;
    readonly extensions: Readonly<Record<string, unknown>>;
  } | null>;
}

function nodeResourceOf(item: NonNullable<NodesData['resources'][number]>): NodeResource {
  const nodeName = item.extensions['nodeName'];
  const addresses = item.extensions['addresses'];
  return {
    clusterId: item.clusterId,
    resourceId: item.resourceId,
    resourceTypeId: item.resourceTypeId,
    resourcePoolId: item.resourcePoolId,
    nodeName: typeof nodeName === 'string' ? nodeName : '',
    addresses: Array.isArray(addresses)
      ? addresses.flatMap((a: unknown) => {
          const address = (a as { address?: unknown } | null)?.address;
          return typeof address === 'string' ? [address] : [];
        })
      : [],
  };
}

/** `host:port`, `[v6]:port` or a bare host → the host. */
function hostOf(instance: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (bracketed) return bracketed[1]!;
  const colon = instance.lastIndexOf(':');
  return colon > 0 && instance.indexOf(':') === colon && /^\d+$/.test(instance.slice(colon + 1))
    ? instance.slice(0, colon)
    : instance;
}

export type AlertTarget =
  | { readonly kind: 'node'; readonly node: NodeResource }
  | { readonly kind: 'cluster'; readonly clusterId: string }
  | { readonly kind: 'unmatched'; readonly reason: string };

export function targetOf(
  alert: AlertmanagerAlert,
  nodes: readonly NodeResource[],
  clusterIds: ReadonlySet<string>,
  config: MonitoringConfig['alertmanager'],
): AlertTarget {
  const clusterId = firstLabel(alert.labels, config.clusterLabels);
  if (clusterId !== undefined && !clusterIds.has(clusterId))
    return { kind: 'unmatched', reason: 'unknown cluster' };
  const nodeLabel = firstLabel(alert.labels, config.nodeLabels);
  if (nodeLabel !== undefined) {
    const host = hostOf(nodeLabel);
    const candidates = nodes.filter(
      (node) =>
        (clusterId === undefined || node.clusterId === clusterId) &&
        (node.nodeName === host || node.addresses.includes(host)),
    );
    if (candidates.length === 1) return { kind: 'node', node: candidates[0]! };
    if (candidates.length > 1)
      return clusterId === undefined
        ? { kind: 'unmatched', reason: 'node name in several clusters' }
        : { kind: 'cluster', clusterId };
  }
  if (clusterId !== undefined) return { kind: 'cluster', clusterId };
  return { kind: 'unmatched', reason: nodeLabel === undefined ? 'no cluster or node label' : 'unknown node' };
}

export function alertCondition(
  alert: AlertmanagerAlert,
  target: Exclude<AlertTarget, { kind: 'unmatched' }>,
): AlarmCondition {
  const alertname = alert.labels['alertname'] ?? 'unnamed';
  const extensions = {
    alertname,
    labels: alert.labels,
    annotations: alert.annotations,
    ...(alert.startsAt === undefined ? {} : { startsAt: alert.startsAt }),
    ...(alert.generatorURL === undefined ? {} : { generatorURL: alert.generatorURL }),
    alertSubject: alertSubjectOf(alert),
  };
  const severity = severityOf(alert.labels);
  const subject = alertSubjectOf(alert);
  if (target.kind === 'cluster') {
    return clusterAlarmCondition({
      clusterId: target.clusterId,
      code: 'PrometheusAlert',
      source: 'alertmanager',
      extensions,
      severity,
      subject,
      probableCause: `alertmanager/${alertname}`,
    });
  }
  const { node } = target;
  const template = alarmDefinitionTemplate('node', 'PrometheusAlert')!;
  return {
    alarmDefinitionId: alarmDefinitionIdOf(node.resourceTypeId, 'PrometheusAlert'),
    alarmCode: 'PrometheusAlert',
    alarmName: template.alarmName,
    clearingType: template.clearingType,
    probableCauseId: probableCauseIdOf(`alertmanager/${alertname}`),
    resourceTypeId: node.resourceTypeId,
    resourceId: node.resourceId,
    clusterId: node.clusterId,
    resourcePoolId: node.resourcePoolId,
    subject,
    source: 'alertmanager',
    perceivedSeverity: severity,
    extensions: { ...extensions, nodeName: node.nodeName },
  };
}

// ---- the endpoint ---------------------------------------------------------------------------------------

export interface AlertmanagerIngestOptions {
  readonly ledger: AlarmLedger;
  readonly executor: GraphExecutor;
  /** The registered clusters (the shard registry). */
  readonly clusterIds: () => readonly string[];
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly config: MonitoringConfig['alertmanager'];
  readonly logger?: Logger;
}

export interface IngestSummary {
  readonly raised: number;
  readonly cleared: number;
  readonly unmatched: number;
}

export function createAlertmanagerIngest(options: AlertmanagerIngestOptions): Router {
  const { ledger, executor, config } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const errors = validate(executor.schema, NODES_QUERY);
  if (errors.length > 0)
    throw new Error(
      `the Alertmanager node query does not fit the graph: ${errors.map((e) => e.message).join('; ')}`,
    );

  const nodesOf = async (auth: AuthContext): Promise<NodeResource[]> => {
    const { data, missingClusters } = readGraphResult(
      await executor.execute<NodesData>({ document: NODES_QUERY, auth }),
    );
    if (missingClusters.length > 0)
      logger.warn(
        { missingClusters },
        'alertmanager ingest: clusters did not answer; their nodes cannot be matched',
      );
    return data.resources.flatMap((item) => (item === null ? [] : [nodeResourceOf(item)]));
  };

  /** Resolved alerts clear the alarm their firing raised, found by its subject: no lookup of the resource. */
  const clearAlert = async (alert: AlertmanagerAlert): Promise<number> => {
    const subject = alertSubjectOf(alert);
    let cleared = 0;
    for (const record of await ledger.list()) {
      if (record.source !== 'alertmanager' || record.perceivedSeverity === PERCEIVED_SEVERITY.CLEARED)
        continue;
      if (record.extensions['alertSubject'] !== subject) continue;
      if ((await ledger.clear(record.alarmKey)) !== undefined) cleared++;
    }
    return cleared;
  };

  const ingest: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'alarms:write', 'sending alerts');
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const parsed = alertmanagerPayloadSchema.safeParse(
      jsonObjectBody(req.get('content-type'), raw, ['application/json']),
    );
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') ?? '';
      throw new ProblemError(
        400,
        `not an Alertmanager webhook payload (version 4)${where === '' ? '' : `: invalid ${where}`}`,
      );
    }
    const { alerts } = parsed.data;
    const firing = alerts.filter((alert) => alert.status === 'firing');
    const nodes = firing.length > 0 ? await nodesOf(auth) : [];
    const clusterIds = new Set(options.clusterIds());
    let raised = 0;
    let cleared = 0;
    let unmatched = 0;
    for (const alert of alerts) {
      if (alert.status === 'resolved') {
        cleared += await clearAlert(alert);
        continue;
      }
      const target = targetOf(alert, nodes, clusterIds, config);
      if (target.kind === 'unmatched') {
        unmatched++;
        logger.info(
          { alertname: alert.labels['alertname'], reason: target.reason },
          'alertmanager ingest: alert not matched to a resource; skipped',
        );
        continue;
      }
      const condition = alertCondition(alert, target);
      if ((await ledger.raise(condition)) !== undefined) raised++;
      logger.debug(
        { alarmKey: alarmKeyOf(condition), alertname: alert.labels['alertname'] },
        'alertmanager ingest: alert raised',
      );
    }
    const summary: IngestSummary = { raised, cleared, unmatched };
    res.json(summary);
  };

  const authenticate: RequestHandler = async (req, res, next) => {
    res.set(REQUEST_ID_HEADER, requestIdOf(req));
    const auth = await options.authenticate(req);
    bindAuth(req, auth);
    res.set(REQUEST_ID_HEADER, auth.requestId);
    next();
  };

  const router = express.Router({ caseSensitive: true });
  const endpoint = express.Router({ caseSensitive: true });
  // Not the API's 64 KiB body limit: a group of alerts is larger. express.raw answers 413 above 1 MiB.
  endpoint.use(authenticate);
  endpoint
    .route('/')
    .post(express.raw({ type: () => true, limit: '1mb' }), ingest)
    .all((_req, res) => {
      res.set('Allow', 'POST');
      sendProblem(res, 405, 'This resource supports POST only.');
    });
  router.use(ALERTMANAGER_PATH, endpoint, problemErrorHandler(logger));
  return router;
}
