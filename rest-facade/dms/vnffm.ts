/**
 * SOL003 VNF fault management `vnffm/v1` (docs/dms.md "Fault management"): the alarms of NF
 * deployments that the DMS raises in the O2 alarm ledger (dms/notifications/nf-alarms.ts), shown as SOL003
 * Alarms of their VNF instance. Paths relative to `<apiRoot>/vnffm/v1` (rest-facade/dms/index.ts mounts it):
 *
 *   GET   /alarms          SOL013 filter (id, managedObjectId, ackState, perceivedSeverity, eventType, faultType, probableCause)
 *   GET   /alarms/{id}
 *   PATCH /alarms/{id}     AlarmModifications {ackState: ACKNOWLEDGED}: 200 + the modifications; 409 when already so
 *   …/subscriptions        FM subscriptions (rest-facade/dms/subscriptions.ts; roles as LCM subscriptions)
 *
 * The alarm id is the O2 IMS alarmEventRecordId: one alarm, served by both APIs (an acknowledgement on one is
 * seen on the other). `Version` 1.x.y is required (tackerclient sends 1.3.0); answers name 1.5.0 (SOL003
 * V3.7.1). Reads need `dms:read`, the PATCH `dms:write`; an alarm of an instance of another tenant (or, on a
 * cluster's apiRoot, of another cluster) does not exist (404).
 */
import express from 'express';
import type { Request, RequestHandler, Router } from 'express';
import type { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import type { AlarmRecord } from '../../alarms/alarm-record.ts';
import { requirePermission } from '../../common/authorization.ts';
import { isUuid } from '../../o2/ids.ts';
import { matches, type SelectorSpec } from '../../o2/sol013/index.ts';
import { visibleIn, type LifecycleScope } from '../../dms/lifecycle/index.ts';
import { nfAlarmOwner, toVnfFmAlarm } from '../../dms/notifications/nf-alarms.ts';
import { notAllowed } from '../http-edges.ts';
import { ProblemError } from '../problem.ts';
import { filterOf, queryOf } from '../query/query-params.ts';
import { authOf } from '../request-context.ts';

/** SOL003 V3.7.1's VNF fault management API version. */
export const VNFFM_VERSION = '1.5.0';
const VERSION = /^1\.(\d{1,4})\.(\d{1,4})(?:-impl:.{1,200})?$/;

export interface VnfFmRouterOptions {
  readonly alarms: AlarmLedger;
  /** The apiRoot the request came in on (absolute URL) and its scope. */
  readonly apiRootOf: (req: Request) => { readonly url: string; readonly scope: LifecycleScope };
  /** The FM subscriptions router (rest-facade/dms/subscriptions.ts, FM_SUBSCRIPTIONS); not served when absent. */
  readonly subscriptions?: Router;
}

const ALARM_SELECTORS: SelectorSpec = {
  schema: {
    id: 'string',
    managedObjectId: 'string',
    ackState: 'string',
    perceivedSeverity: 'string',
    eventType: 'string',
    faultType: 'string',
    probableCause: 'string',
  },
  defaultExcluded: [],
  mandatory: [],
};

function visible(record: AlarmRecord, scope: LifecycleScope): boolean {
  const owner = nfAlarmOwner(record);
  return owner !== undefined && visibleIn(scope, owner);
}

/** SOL013 Version rules for major 1: missing or malformed → 400, another major → 406. */
const requireVersion: RequestHandler = (req, res, next) => {
  res.set('Version', VNFFM_VERSION);
  const header = req.get('version')?.trim();
  if (header === undefined || header === '')
    throw new ProblemError(400, `The 'Version' HTTP header is missing; send e.g. Version: ${VNFFM_VERSION}.`);
  if (VERSION.exec(header) === null) {
    if (/^\d{1,4}\.\d{1,4}\.\d{1,4}(?:-impl:.{1,200})?$/.test(header))
      throw new ProblemError(406, `This API serves version 1.x.y (${VNFFM_VERSION}).`);
    throw new ProblemError(
      400,
      "The 'Version' HTTP header must be MAJOR.MINOR.PATCH (optionally -impl:...).",
    );
  }
  next();
};

export function createVnfFmRouter(options: VnfFmRouterOptions): Router {
  const { alarms } = options;
  const raw = express.raw({ type: () => true, limit: '16kb' });

  const visibleAlarm = async (req: Request): Promise<AlarmRecord> => {
    const id = String(req.params['alarmId']);
    const record = isUuid(id) ? await alarms.get(id.toLowerCase()) : undefined;
    if (record === undefined || !visible(record, options.apiRootOf(req).scope))
      throw new ProblemError(404, 'No alarm of a VNF instance has that id.');
    return record;
  };

  const list: RequestHandler = async (req, res) => {
    requirePermission(authOf(req), 'dms:read', 'reading VNF alarms');
    const { url, scope } = options.apiRootOf(req);
    const filter = filterOf(queryOf(req), ALARM_SELECTORS);
    const items = (await alarms.list())
      .filter((record) => visible(record, scope))
      .sort((a, b) => (a.alarmEventRecordId < b.alarmEventRecordId ? -1 : 1))
      .map((record) => toVnfFmAlarm(record, url))
      .filter((alarm) => filter === undefined || matches(filter, alarm));
    res.json(items);
  };

  const read: RequestHandler = async (req, res) => {
    requirePermission(authOf(req), 'dms:read', 'reading a VNF alarm');
    res.json(toVnfFmAlarm(await visibleAlarm(req), options.apiRootOf(req).url));
  };

  const modify: RequestHandler = async (req, res) => {
    requirePermission(authOf(req), 'dms:write', 'acknowledging a VNF alarm');
    const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (type !== 'application/merge-patch+json' && type !== 'application/json')
      throw new ProblemError(
        415,
        'The request body must be application/merge-patch+json or application/json.',
      );
    let body: unknown;
    try {
      body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
    } catch {
      throw new ProblemError(400, 'The request body is not valid JSON.');
    }
    const ackState = (body as { ackState?: unknown } | null)?.ackState;
    if (
      typeof body !== 'object' ||
      body === null ||
      Object.keys(body).length !== 1 ||
      (ackState !== 'ACKNOWLEDGED' && ackState !== 'UNACKNOWLEDGED')
    )
      throw new ProblemError(
        400,
        'AlarmModifications has one attribute: ackState, ACKNOWLEDGED or UNACKNOWLEDGED.',
      );
    const record = await visibleAlarm(req);
    const current = record.alarmAcknowledged ? 'ACKNOWLEDGED' : 'UNACKNOWLEDGED';
    if (ackState === current) throw new ProblemError(409, `The alarm is already ${current}.`);
    // The O2 alarm ledger keeps an acknowledgement (the IMS has no way back either).
    if (ackState === 'UNACKNOWLEDGED')
      throw new ProblemError(422, 'An acknowledged alarm cannot be unacknowledged.');
    await alarms.acknowledge(record.alarmEventRecordId);
    res.status(200).json({ ackState });
  };

  const router = express.Router({ caseSensitive: true });
  // Authorization before any header or body check (docs/security.md): a caller without the permission gets 403
  // whatever its Version header says, as on the other DMS APIs.
  router.use((req, _res, next) => {
    const reading = req.method === 'GET' || req.method === 'HEAD';
    if (req.path === '/subscriptions' || req.path.startsWith('/subscriptions/'))
      requirePermission(
        authOf(req),
        reading ? 'lcm-subscriptions:read' : 'subscriptions:write',
        'using VNF fault management subscriptions',
      );
    else requirePermission(authOf(req), reading ? 'dms:read' : 'dms:write', 'using VNF fault management');
    next();
  });
  router.use(requireVersion);
  if (options.subscriptions !== undefined) router.use('/subscriptions', options.subscriptions);
  router.route('/alarms').get(list).all(notAllowed('GET, HEAD'));
  router.route('/alarms/:alarmId').get(read).patch(raw, modify).all(notAllowed('GET, HEAD, PATCH'));
  return router;
}
