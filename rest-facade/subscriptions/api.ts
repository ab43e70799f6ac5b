/**
 * O2 IMS inventory subscriptions over REST, on `/o2ims-infrastructureInventory/{v1,v2}/subscriptions`:
 *
 *   POST   …/subscriptions                   201 + Location; 400 for an invalid body, callback or filter;
 *                                           400 or 409 (configurable) for a duplicate
 *   GET    …/subscriptions                   200, SOL013 `filter` and attribute selectors
 *   GET    …/subscriptions/{subscriptionId}  200 or 404
 *   DELETE …/subscriptions/{subscriptionId}  200 or 404
 *
 * Mounted before the inventory facade (which answers 404 for every path it does not own). Every request is
 * authenticated first; reading needs the reader, subscriber or admin role, creating and deleting the
 * subscriber or admin role (the roles of the O2 spec). A subscription is visible to its own tenant only.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AuthContext } from '../../common/auth.ts';
import { requirePermission } from '../../common/authorization.ts';
import type { SubscriptionsConfig } from '../../common/config.ts';
import { scopeField } from '../../common/tenancy.ts';
import { isUuid } from '../../o2/ids.ts';
import {
  applySelection,
  compileFilter,
  matches,
  parseFilter,
  parseSelectors,
  Sol013Error,
} from '../../o2/sol013/index.ts';
import type { CompiledFilter, Selection } from '../../o2/sol013/index.ts';
import type { StateStore } from '../../state/store.ts';
import { INVENTORY_SERVICE_PATH } from '../api-versions.ts';
import {
  CallbackRefusedError,
  checkCallback,
  systemResolve,
} from '../../notifier/callbacks/callback-policy.ts';
import type { Resolve } from '../../notifier/callbacks/callback-policy.ts';
import { ProblemError, REQUEST_ID_HEADER, problemErrorHandler, sendProblem } from '../problem.ts';
import { authOf, bindAuth, requestIdOf } from '../request-context.ts';
import { probeCallback } from './callback-probe.ts';
import { API_VERSIONS, SubscriptionRepository } from '../../notifier/subscriptions/repository.ts';
import type { StoredSubscription, SubscriptionApiVersion } from '../../notifier/subscriptions/repository.ts';
import { parseSubscriptionBody } from './request-body.ts';
import {
  SUBSCRIPTION_SCHEMA,
  SUBSCRIPTION_SELECTORS,
  toO2Subscription,
  visibleTo,
} from './subscription-view.ts';

export interface SubscriptionsApiOptions {
  readonly store: StateStore;
  /** Establishes the auth context of a request; throws AuthError (401/403) to refuse it. */
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly config: SubscriptionsConfig;
  readonly logger?: Logger;
  /** The gateway's public base URL for absolute Location headers; relative ones when it returns undefined. */
  readonly publicUrl?: () => string | undefined;
  /** Name resolution for the callback policy (tests). */
  readonly resolve?: Resolve;
}

const MAX_BODY = '16kb';

export function subscriptionsPath(version: SubscriptionApiVersion): string {
  return `${INVENTORY_SERVICE_PATH}/${version}/subscriptions`;
}

/** A malformed id is 400 on /v2 and 404 on the v4-compatible /v1, like the inventory paths of each profile. */
function subscriptionIdParam(req: Request, version: SubscriptionApiVersion): string {
  const id = String(req.params['subscriptionId']);
  if (!isUuid(id)) {
    if (version === 'v1') throw new ProblemError(404, 'No subscription has this id.');
    throw new ProblemError(400, 'subscriptionId must be a UUID');
  }
  return id.toLowerCase();
}

function queryOf(req: Request): URLSearchParams {
  return new URL(req.originalUrl, 'http://netweave.invalid').searchParams;
}

function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw new ProblemError(400, `query parameter ${name} may be given once`);
  return values[0];
}

function listQuery(query: URLSearchParams): { filter: CompiledFilter | undefined; selection: Selection } {
  try {
    const filterText = single(query, 'filter');
    const filter =
      filterText === undefined ? undefined : compileFilter(parseFilter(filterText), SUBSCRIPTION_SCHEMA);
    const selection = parseSelectors(
      {
        all_fields: single(query, 'all_fields'),
        fields: single(query, 'fields'),
        exclude_fields: single(query, 'exclude_fields'),
        exclude_default: single(query, 'exclude_default'),
      },
      SUBSCRIPTION_SELECTORS,
    );
    return { filter, selection };
  } catch (error) {
    if (error instanceof Sol013Error) throw new ProblemError(400, error.message);
    throw error;
  }
}

export function createSubscriptionsApi(options: SubscriptionsApiOptions): Router {
  const { config } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const repository = new SubscriptionRepository(options.store);
  const resolve = options.resolve ?? systemResolve;

  const authenticate: RequestHandler = async (req, res, next) => {
    res.set(REQUEST_ID_HEADER, requestIdOf(req));
    const auth = await options.authenticate(req);
    bindAuth(req, auth);
    res.set(REQUEST_ID_HEADER, auth.requestId);
    next();
  };

  const visible = async (req: Request, version: SubscriptionApiVersion): Promise<StoredSubscription> => {
    const id = subscriptionIdParam(req, version);
    const stored = await repository.get(id);
    if (stored === undefined || !visibleTo(authOf(req), stored))
      throw new ProblemError(404, `Subscription ${id} was not found.`);
    return stored;
  };

  const create =
    (version: SubscriptionApiVersion): RequestHandler =>
    async (req, res) => {
      const auth = authOf(req);
      requirePermission(auth, 'subscriptions:write', 'creating a subscription');
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const body = parseSubscriptionBody(req.get('content-type'), raw, config);
      const checked = await checkCallback(body.callback, config.callbacks, resolve).catch(
        (error: unknown) => {
          throw error instanceof CallbackRefusedError ? new ProblemError(400, error.message) : error;
        },
      );
      const duplicate = (duplicateOf: string): ProblemError =>
        new ProblemError(
          config.duplicateStatus,
          `a subscription with the same callback and filter exists already (${duplicateOf})`,
        );
      // Before the probe: a duplicate is refused without sending anything to the receiver.
      const existing = await repository.duplicateOf({
        tenant: auth.tenant.name,
        callback: checked.url.href,
        filter: body.filter,
      });
      if (existing !== undefined) throw duplicate(existing);
      if (config.probe.enabled) await probeCallback(checked, config.probe.timeoutMs);
      const subscription: StoredSubscription = {
        subscriptionId: randomUUID(),
        // The normalised form, so that trivially different spellings of one URL are detected as duplicates.
        callback: checked.url.href,
        ...(body.consumerSubscriptionId === undefined
          ? {}
          : { consumerSubscriptionId: body.consumerSubscriptionId }),
        ...(body.filter === undefined ? {} : { filter: body.filter }),
        apiVersion: version,
        startCursor: await repository.currentCursor(),
        tenant: auth.tenant.name,
        ...scopeField(auth.tenant),
        createdBy: auth.principal,
        createdAt: new Date().toISOString(),
      };
      const outcome = await repository.create(subscription);
      if (!outcome.created) throw duplicate(outcome.duplicateOf);
      logger.info(
        {
          requestId: auth.requestId,
          subscriptionId: subscription.subscriptionId,
          principal: auth.principal,
          host: checked.url.host,
        },
        'O2 inventory subscription created',
      );
      const location = `${options.publicUrl?.() ?? ''}${subscriptionsPath(version)}/${subscription.subscriptionId}`;
      res.status(201).location(location).json(toO2Subscription(subscription));
    };

  const list: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'subscriptions:read', 'reading subscriptions');
    const { filter, selection } = listQuery(queryOf(req));
    const items = (await repository.list())
      .filter((stored) => visibleTo(auth, stored))
      .map(toO2Subscription)
      .filter((item) => filter === undefined || matches(filter, item))
      .map((item) => applySelection(selection, item));
    res.json(items);
  };

  const read =
    (version: SubscriptionApiVersion): RequestHandler =>
    async (req, res) => {
      requirePermission(authOf(req), 'subscriptions:read', 'reading a subscription');
      res.json(toO2Subscription(await visible(req, version)));
    };

  const remove =
    (version: SubscriptionApiVersion): RequestHandler =>
    async (req, res) => {
      const auth = authOf(req);
      requirePermission(auth, 'subscriptions:write', 'deleting a subscription');
      const stored = await visible(req, version);
      if (!(await repository.delete(stored.subscriptionId))) {
        throw new ProblemError(404, `Subscription ${stored.subscriptionId} was not found.`);
      }
      logger.info(
        { requestId: auth.requestId, subscriptionId: stored.subscriptionId, principal: auth.principal },
        'O2 inventory subscription deleted',
      );
      res.status(200).end();
    };

  const notAllowed =
    (allow: string): RequestHandler =>
    (_req: Request, res: Response) => {
      res.set('Allow', allow);
      sendProblem(res, 405, `This resource supports ${allow} only.`);
    };

  const router = express.Router({ caseSensitive: true });
  for (const version of API_VERSIONS) {
    const base = subscriptionsPath(version);
    const service = express.Router({ caseSensitive: true });
    service.use(authenticate);
    service
      .route('/')
      .get(list)
      .post(express.raw({ type: () => true, limit: MAX_BODY }), create(version))
      .all(notAllowed('GET, HEAD, POST'));
    service
      .route('/:subscriptionId')
      .get(read(version))
      .delete(remove(version))
      .all(notAllowed('GET, HEAD, DELETE'));
    service.use((_req, res) => sendProblem(res, 404, 'No subscription resource exists at this path.'));
    router.use(base, service, problemErrorHandler(logger));
  }
  return router;
}
