/**
 * The O2 IMS infrastructure monitoring REST API (docs/monitoring.md), an express router to mount at the server
 * root. It serves `/o2ims-infrastructureMonitoring/**` and nothing else:
 *
 *   GET   /api_versions, /v1/api_versions
 *   GET   /v1/alarms                                  SOL013 filter, attribute selectors, paging
 *   GET   /v1/alarms/{alarmEventRecordId}
 *   PATCH /v1/alarms/{alarmEventRecordId}             merge patch: acknowledge, or clear (MANUAL definitions)
 *   GET   /v1/alarmSubscriptions, POST                filter and selectors on the list; 201 + Location
 *   GET   /v1/alarmSubscriptions/{id}, DELETE
 *   GET   /v1/alarmServiceConfiguration, PUT, PATCH   ETag / If-Match
 *
 * Alarms are O-Cloud level state kept in the state store (docs/architecture.md "State"), so this API reads them through the
 * alarm ledger — the same records the hub subgraph serves as `OCloud.alarms` — rather than through a query on
 * the cluster shards, which hold none of them. Every request is authenticated first; the roles follow the
 * O2IMS spec (reading: reader; acknowledging, clearing, configuring: maintainer; subscribing: subscriber;
 * admin may do everything).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import type { AlarmRecord } from '../../alarms/alarm-record.ts';
import type { AuthContext } from '../../common/auth.ts';
import { requirePermission } from '../../common/authorization.ts';
import { scopeField, seesCluster } from '../../common/tenancy.ts';
import type { MonitoringConfig, SubscriptionsConfig } from '../../common/config.ts';
import { isUuid } from '../../o2/ids.ts';
import { applySelection, createMarkerCodec, matches, queryHash } from '../../o2/sol013/index.ts';
import type { MarkerCodec } from '../../o2/sol013/index.ts';
import { MONITORING_SERVICE_PATH, MONITORING_V1_PATH } from '../../o2/service-paths.ts';
import type { StateStore } from '../../state/store.ts';
import {
  CallbackRefusedError,
  checkCallback,
  systemResolve,
} from '../../notifier/callbacks/callback-policy.ts';
import type { Resolve } from '../../notifier/callbacks/callback-policy.ts';
import { apiDocumentRoutes, MONITORING_OPENAPI_DOCUMENT } from '../api-documents.ts';
import { rejectLargeBodies, requireJsonAcceptable } from '../http-edges.ts';
import { cutPage, nextPageLink } from '../paging.ts';
import { ProblemError, REQUEST_ID_HEADER, problemErrorHandler, sendProblem } from '../problem.ts';
import type { PageStart } from '../query/compile-query.ts';
import {
  filterOf,
  MARKER_PARAMETER,
  queryOf,
  selectionOf,
  singleParameter,
  sol013,
} from '../query/query-params.ts';
import { authOf, bindAuth, requestIdOf } from '../request-context.ts';
import { probeCallback } from '../subscriptions/callback-probe.ts';
import {
  ALARM_SUBSCRIPTION_SCHEMA,
  ALARM_SUBSCRIPTION_SELECTORS,
  parseAlarmSubscriptionBody,
  toO2AlarmSubscription,
  visibleTo,
} from './alarm-subscriptions.ts';
import { AlarmSubscriptionRepository } from '../../notifier/subscriptions/alarm-repository.ts';
import type { StoredAlarmSubscription } from '../../notifier/subscriptions/alarm-repository.ts';
import { alarmSelectors, toO2Alarm } from './alarm-view.ts';
import {
  MERGE_PATCH,
  applyConfigurationPatch,
  jsonObjectBody,
  parseAlarmPatch,
  parseConfigurationPut,
} from './request-bodies.ts';
import {
  AlarmServiceConfigurationStore,
  PreconditionFailedError,
  etagOf,
} from '../../alarms/service-configuration.ts';
import type { VersionedConfiguration } from '../../alarms/service-configuration.ts';

export { MONITORING_SERVICE_PATH, MONITORING_V1_PATH };
export const MONITORING_API_VERSION = '1.0.0';

export interface MonitoringApiOptions {
  readonly store: StateStore;
  readonly ledger: AlarmLedger;
  /** Establishes the auth context of a request; throws AuthError (401/403) to refuse it. */
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly monitoring: MonitoringConfig;
  /** The inventory subscriptions' settings, which alarm subscriptions share: callback policy, probe, duplicates. */
  readonly subscriptions: SubscriptionsConfig;
  readonly logger?: Logger;
  /** The gateway's public base URL for absolute Location headers; relative ones when it returns undefined. */
  readonly publicUrl?: () => string | undefined;
  /** The configured public base URL only: the API document's server URL (else each request's own). */
  readonly documentsUrl?: () => string | undefined;
  /** Name resolution for the callback policy (tests). */
  readonly resolve?: Resolve;
  /** Alarms per page of GET /alarms; 100 by default. */
  readonly pageSize?: number;
  /** HMAC key of paging markers (≥ 32 bytes), shared by every replica; random per process when absent. */
  readonly markerSecret?: string | undefined;
  /** Clock of marker expiry (tests). */
  readonly now?: () => number;
}

const MAX_BODY = '16kb';
const DEFAULT_PAGE_SIZE = 100;
const JSON_TYPES = ['application/json'] as const;
const PATCH_TYPES = [MERGE_PATCH, 'application/json'] as const;

function uuidParam(req: Request, name: string): string {
  const value = String(req.params[name]);
  if (!isUuid(value)) throw new ProblemError(400, `${name} must be a UUID`);
  return value.toLowerCase();
}

function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

const notAllowed =
  (allow: string): RequestHandler =>
  (_req: Request, res: Response) => {
    res.set('Allow', allow);
    sendProblem(res, 405, `This resource supports ${allow} only.`);
  };

export function createMonitoringApi(options: MonitoringApiOptions): Router {
  const { ledger, monitoring, subscriptions: subscriptionConfig } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const repository = new AlarmSubscriptionRepository(options.store);
  const configuration = new AlarmServiceConfigurationStore(options.store, {
    retentionPeriod: monitoring.defaultRetentionDays,
    extensions: {},
  });
  const resolve = options.resolve ?? systemResolve;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const markers: MarkerCodec = createMarkerCodec(
    options.markerSecret ?? randomBytes(32),
    options.now === undefined ? {} : { now: options.now },
  );
  const field = monitoring.acknowledgedTimeField;
  const alarmSpec = alarmSelectors(field);
  const raw = express.raw({ type: () => true, limit: MAX_BODY });

  const authenticate: RequestHandler = async (req, res, next) => {
    res.set(REQUEST_ID_HEADER, requestIdOf(req));
    const auth = await options.authenticate(req);
    bindAuth(req, auth);
    res.set(REQUEST_ID_HEADER, auth.requestId);
    requireJsonAcceptable(req);
    next();
  };

  // ---- api_versions -----------------------------------------------------------------------------------

  const versions =
    (uriPrefix: string): RequestHandler =>
    (req, res) => {
      requirePermission(authOf(req), 'api:discover', 'reading the API versions');
      res.json({ uriPrefix, apiVersions: [{ version: MONITORING_API_VERSION }] });
    };

  // ---- alarms -------------------------------------------------------------------------------------------

  /**
   * An alarm the caller may see (tenant scoping: alarms of its clusters and O-Cloud level ones), else 404 — the
   * same answer as for an id that does not exist, so other tenants' alarms never leak.
   */
  const visibleAlarm = async (auth: AuthContext, id: string): Promise<AlarmRecord> => {
    const record = await ledger.get(id);
    if (record === undefined || !seesCluster(auth.tenant, record.clusterId)) {
      throw new ProblemError(404, `Alarm ${id} was not found.`);
    }
    return record;
  };

  const listAlarms: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'alarms:read', 'reading alarms');
    const query = queryOf(req);
    const selection = selectionOf(query, alarmSpec);
    const filter = filterOf(query, alarmSpec);
    const hash = queryHash([
      'monitoring/v1/alarms',
      JSON.stringify(filter ?? null),
      JSON.stringify(selection),
    ]);
    const marker = singleParameter(query, MARKER_PARAMETER);
    const start: PageStart =
      marker === undefined
        ? { kind: 'first' }
        : { kind: 'after', after: sol013(() => markers.verify(marker, hash)).after };
    // The ledger lists by alarmEventRecordId, the paging key: a page continues after the last id sent.
    const alarms = (await ledger.list())
      .filter((record) => seesCluster(auth.tenant, record.clusterId))
      .map((record) => toO2Alarm(record, field))
      .filter((alarm) => filter === undefined || matches(filter, alarm));
    const page = cutPage(alarms, (alarm) => alarm.alarmEventRecordId, start, pageSize);
    if (page.nextAfter !== undefined) {
      const path = `${options.publicUrl?.() ?? ''}${req.originalUrl.split('?', 1)[0]!}`;
      res.set('Link', nextPageLink(path, query, markers.encode({ v: 1, after: page.nextAfter, q: hash })));
    }
    res.json(page.items.map((alarm) => applySelection(selection, alarm)));
  };

  const readAlarm: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'alarms:read', 'reading an alarm');
    const id = uuidParam(req, 'alarmEventRecordId');
    const record = await visibleAlarm(auth, id);
    const selection = selectionOf(queryOf(req), alarmSpec);
    res.json(applySelection(selection, toO2Alarm(record, field)));
  };

  const patchAlarm: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'alarms:write', 'modifying an alarm');
    const id = uuidParam(req, 'alarmEventRecordId');
    const modification = parseAlarmPatch(jsonObjectBody(req.get('content-type'), rawBody(req), PATCH_TYPES));
    await visibleAlarm(auth, id);
    if (modification.kind === 'acknowledge') {
      const outcome = await ledger.acknowledge(id);
      if (outcome.outcome === 'not-found') throw new ProblemError(404, `Alarm ${id} was not found.`);
      logger.info(
        {
          requestId: auth.requestId,
          alarmEventRecordId: id,
          principal: auth.principal,
          outcome: outcome.outcome,
        },
        'alarm acknowledged',
      );
      res.json({ alarmAcknowledged: true });
      return;
    }
    const outcome = await ledger.clearManually(id);
    switch (outcome.outcome) {
      case 'not-found':
        throw new ProblemError(404, `Alarm ${id} was not found.`);
      case 'not-manual':
        throw new ProblemError(
          monitoring.automaticClearStatus,
          `Alarm ${id} is cleared automatically when its condition ends (its definition's clearingType is AUTOMATIC); it cannot be cleared by hand.`,
        );
      case 'cleared':
      case 'unchanged':
        logger.info(
          {
            requestId: auth.requestId,
            alarmEventRecordId: id,
            principal: auth.principal,
            outcome: outcome.outcome,
          },
          'alarm cleared manually',
        );
        res.json({ perceivedSeverity: 5 });
    }
  };

  // ---- alarm subscriptions ----------------------------------------------------------------------------

  const subscriptionsBase = `${MONITORING_V1_PATH}/alarmSubscriptions`;

  const visibleSubscription = async (req: Request): Promise<StoredAlarmSubscription> => {
    const id = uuidParam(req, 'alarmSubscriptionId');
    const stored = await repository.get(id);
    if (stored === undefined || !visibleTo(authOf(req), stored))
      throw new ProblemError(404, `Alarm subscription ${id} was not found.`);
    return stored;
  };

  const createSubscription: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'subscriptions:write', 'creating an alarm subscription');
    const body = parseAlarmSubscriptionBody(req.get('content-type'), rawBody(req), subscriptionConfig);
    let checked;
    try {
      checked = await checkCallback(body.callback, subscriptionConfig.callbacks, resolve);
    } catch (error) {
      if (error instanceof CallbackRefusedError) throw new ProblemError(400, error.message);
      throw error;
    }
    if (subscriptionConfig.probe.enabled) await probeCallback(checked, subscriptionConfig.probe.timeoutMs);
    const subscription: StoredAlarmSubscription = {
      subscriptionId: randomUUID(),
      callback: checked.url.href,
      ...(body.consumerSubscriptionId === undefined
        ? {}
        : { consumerSubscriptionId: body.consumerSubscriptionId.toLowerCase() }),
      ...(body.filter === undefined ? {} : { filter: body.filter }),
      startCursor: await repository.currentCursor(),
      tenant: auth.tenant.name,
      ...scopeField(auth.tenant),
      createdBy: auth.principal,
      createdAt: new Date().toISOString(),
    };
    const outcome = await repository.create(subscription);
    if (!outcome.created) {
      throw new ProblemError(
        subscriptionConfig.duplicateStatus,
        `an alarm subscription with the same callback and filter exists already (${outcome.duplicateOf})`,
      );
    }
    logger.info(
      {
        requestId: auth.requestId,
        subscriptionId: subscription.subscriptionId,
        principal: auth.principal,
        host: checked.url.host,
      },
      'O2 alarm subscription created',
    );
    res
      .status(201)
      .location(`${options.publicUrl?.() ?? ''}${subscriptionsBase}/${subscription.subscriptionId}`)
      .json(toO2AlarmSubscription(subscription));
  };

  const listSubscriptions: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'subscriptions:read', 'reading alarm subscriptions');
    const query = queryOf(req);
    const selection = selectionOf(query, ALARM_SUBSCRIPTION_SELECTORS);
    const filter = filterOf(query, { ...ALARM_SUBSCRIPTION_SELECTORS, schema: ALARM_SUBSCRIPTION_SCHEMA });
    const items = (await repository.list())
      .filter((stored) => visibleTo(auth, stored))
      .map(toO2AlarmSubscription)
      .filter((item) => filter === undefined || matches(filter, item))
      .map((item) => applySelection(selection, item));
    res.json(items);
  };

  const readSubscription: RequestHandler = async (req, res) => {
    requirePermission(authOf(req), 'subscriptions:read', 'reading an alarm subscription');
    res.json(toO2AlarmSubscription(await visibleSubscription(req)));
  };

  const deleteSubscription: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'subscriptions:write', 'deleting an alarm subscription');
    const stored = await visibleSubscription(req);
    if (!(await repository.delete(stored.subscriptionId)))
      throw new ProblemError(404, `Alarm subscription ${stored.subscriptionId} was not found.`);
    logger.info(
      { requestId: auth.requestId, subscriptionId: stored.subscriptionId, principal: auth.principal },
      'O2 alarm subscription deleted',
    );
    res.status(200).end();
  };

  // ---- alarm service configuration ----------------------------------------------------------------------

  const sendConfiguration = (res: Response, configurationValue: VersionedConfiguration): void => {
    res.set('ETag', etagOf(configurationValue.version)).json(configurationValue.value);
  };

  const updateConfiguration = async (
    req: Request,
    res: Response,
    update: Parameters<AlarmServiceConfigurationStore['update']>[0],
  ): Promise<void> => {
    try {
      sendConfiguration(res, await configuration.update(update, req.get('if-match')));
    } catch (error) {
      if (error instanceof PreconditionFailedError)
        throw new ProblemError(412, `${error.message}; read it again and retry`);
      throw error;
    }
  };

  const readConfiguration: RequestHandler = async (req, res) => {
    requirePermission(authOf(req), 'alarms:read', 'reading the alarm service configuration');
    sendConfiguration(res, await configuration.read());
  };

  const putConfiguration: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'alarms:write', 'changing the alarm service configuration');
    const next = parseConfigurationPut(jsonObjectBody(req.get('content-type'), rawBody(req), JSON_TYPES));
    await updateConfiguration(req, res, () => next);
    logger.info(
      { requestId: auth.requestId, principal: auth.principal, retentionPeriod: next.retentionPeriod },
      'alarm service configuration replaced',
    );
  };

  const patchConfiguration: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'alarms:write', 'changing the alarm service configuration');
    const body = jsonObjectBody(req.get('content-type'), rawBody(req), PATCH_TYPES);
    // Validated once against the current value, so a bad patch is a 400 even if the document is changing.
    applyConfigurationPatch((await configuration.read()).value, body);
    await updateConfiguration(req, res, (current) => applyConfigurationPatch(current, body));
    logger.info(
      { requestId: auth.requestId, principal: auth.principal },
      'alarm service configuration patched',
    );
  };

  // ---- routing ------------------------------------------------------------------------------------------

  const service = express.Router({ caseSensitive: true });
  service.use(rejectLargeBodies, authenticate);
  service.route('/api_versions').get(versions(MONITORING_SERVICE_PATH)).all(notAllowed('GET, HEAD'));
  service.route('/v1/api_versions').get(versions(MONITORING_V1_PATH)).all(notAllowed('GET, HEAD'));
  service.route('/v1/alarms').get(listAlarms).all(notAllowed('GET, HEAD'));
  service
    .route('/v1/alarms/:alarmEventRecordId')
    .get(readAlarm)
    .patch(raw, patchAlarm)
    .all(notAllowed('GET, HEAD, PATCH'));
  service
    .route('/v1/alarmSubscriptions')
    .get(listSubscriptions)
    .post(raw, createSubscription)
    .all(notAllowed('GET, HEAD, POST'));
  service
    .route('/v1/alarmSubscriptions/:alarmSubscriptionId')
    .get(readSubscription)
    .delete(deleteSubscription)
    .all(notAllowed('GET, HEAD, DELETE'));
  service
    .route('/v1/alarmServiceConfiguration')
    .get(readConfiguration)
    .put(raw, putConfiguration)
    .patch(raw, patchConfiguration)
    .all(notAllowed('GET, HEAD, PUT, PATCH'));
  service.use((_req, res) =>
    sendProblem(res, 404, 'No resource of the O2 IMS infrastructure monitoring API exists at this path.'),
  );

  // The API document and its reference page are public, as the inventory's are (before authentication).
  const documents = apiDocumentRoutes(
    [
      {
        path: '/v1',
        file: MONITORING_OPENAPI_DOCUMENT,
        title: 'netweave O2 IMS Infrastructure Monitoring API v1',
      },
    ],
    options.documentsUrl,
  );
  const router = express.Router({ caseSensitive: true });
  router.use(MONITORING_SERVICE_PATH, documents, service, problemErrorHandler(logger));
  return router;
}
