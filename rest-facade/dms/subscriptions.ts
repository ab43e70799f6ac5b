/**
 * SOL003 LCM subscriptions, `<apiRoot>/vnflcm/v2/subscriptions` (docs/dms.md "Notifications"):
 *
 *   POST    …/subscriptions        LccnSubscriptionRequest → 201 LccnSubscription + Location
 *                                  (303 See Other + Location of the existing one for a duplicate)
 *   GET     …/subscriptions        list, SOL013 `filter` on id, callbackUri, verbosity and the filter members
 *   GET     …/subscriptions/{id}   one
 *   DELETE  …/subscriptions/{id}   204; again 404
 *
 * Creation checks the callbackUri against the callback policy (no SSRF, notifier/callbacks) and sends it a
 * GET that must answer 204 (with the subscription's BASIC credentials when it has some); anything else is
 * 422 and nothing is stored. `authentication` is kept for delivery and never returned. Writes need the
 * subscriber (or admin) role, reads reader, subscriber, deployer or admin; another tenant's subscriptions do
 * not exist (404). On a cluster's apiRoot a subscription sees only that cluster's instances.
 */
import express from 'express';
import type { Request, RequestHandler, Router } from 'express';
import type { AuthContext, Role } from '../../common/auth.ts';
import { rolesFor } from '../../common/authorization.ts';
import type { LifecycleScope } from '../../dms/lifecycle/index.ts';
import type {
  LcmSubscriptionServiceOptions,
  LcmSubscriptionView,
} from '../../notifier/subscriptions/lcm-subscription-service.ts';
import { compileFilter, matches, parseFilter, Sol013Error } from '../../o2/sol013/index.ts';
import type { AttributeSchema } from '../../o2/sol013/index.ts';
import { ProblemError } from '../problem.ts';
import { authOf } from '../request-context.ts';
import type { LcmSubscriptionOperations } from './package-and-subscription-operations.ts';

/** The role table's lists (common/authorization.ts). */
const READ_ROLES = rolesFor('lcm-subscriptions:read');
const WRITE_ROLES = rolesFor('subscriptions:write');

/** What the LCM subscriptions of a DMS router need without a graph executor (the service's options). */
export type LcmSubscriptionsOptions = LcmSubscriptionServiceOptions;

export interface LcmSubscriptionsRouterOptions {
  /** The subscription tasks: the hub's GraphQL fields (gateway) or the service (unit tests). */
  readonly operations: LcmSubscriptionOperations;
  /** The apiRoot the request came in on (absolute URL) and its scope. */
  readonly apiRootOf: (req: Request) => { readonly url: string; readonly scope: LifecycleScope };
}

/** The LccnSubscription view: the subscription and its `_links` on this apiRoot (never the authentication). */
export function toLccnSubscription(view: LcmSubscriptionView, apiRootUrl: string): Record<string, unknown> {
  return {
    id: view.id,
    ...(view.filter === undefined ? {} : { filter: view.filter }),
    callbackUri: view.callbackUri,
    verbosity: view.verbosity,
    _links: { self: { href: `${apiRootUrl}/vnflcm/v2/subscriptions/${view.id}` } },
  };
}

const SUBSCRIPTION_SCHEMA: AttributeSchema = {
  id: 'uuid',
  callbackUri: 'string',
  verbosity: 'string',
  filter: 'object',
};

function requireRole(auth: AuthContext, roles: readonly Role[], action: string): void {
  if (!auth.roles.some((role) => roles.includes(role)))
    throw new ProblemError(403, `${action} needs one of the roles ${roles.join(', ')}`);
}

export function createLcmSubscriptionsRouter(options: LcmSubscriptionsRouterOptions): Router {
  const { operations } = options;
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: '16kb' });

  const parseBody = (req: Request): unknown => {
    const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (type !== 'application/json')
      throw new ProblemError(415, 'The request body must be application/json.');
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new ProblemError(400, 'The request body is not valid JSON.');
    }
  };

  const create: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, WRITE_ROLES, 'creating an LCM subscription');
    const body = parseBody(req);
    const { url: apiRootUrl, scope } = options.apiRootOf(req);
    const { subscription, duplicate } = await operations.create(auth, scope, body);
    const location = `${apiRootUrl}/vnflcm/v2/subscriptions/${subscription.id}`;
    // A duplicate: 303 See Other to the existing one (it was answered before any test GET).
    if (duplicate) {
      res.status(303).location(location).end();
      return;
    }
    res.status(201).location(location).json(toLccnSubscription(subscription, apiRootUrl));
  };

  const list: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, READ_ROLES, 'reading LCM subscriptions');
    const { url, scope } = options.apiRootOf(req);
    const text = new URL(req.originalUrl, 'http://netweave.invalid').searchParams.get('filter');
    let compiled;
    try {
      compiled = text === null ? undefined : compileFilter(parseFilter(text), SUBSCRIPTION_SCHEMA);
    } catch (error) {
      if (error instanceof Sol013Error) throw new ProblemError(400, error.message);
      throw error;
    }
    const items = (await operations.list(auth, scope))
      .map((view) => toLccnSubscription(view, url))
      .filter((item) => compiled === undefined || matches(compiled, item));
    res.json(items);
  };

  const read: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, READ_ROLES, 'reading an LCM subscription');
    const { url, scope } = options.apiRootOf(req);
    res.json(
      toLccnSubscription(await operations.get(auth, scope, String(req.params['subscriptionId'])), url),
    );
  };

  const remove: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, WRITE_ROLES, 'deleting an LCM subscription');
    await operations.delete(auth, options.apiRootOf(req).scope, String(req.params['subscriptionId']));
    res.status(204).end();
  };

  const notAllowed =
    (allow: string): RequestHandler =>
    (_req, res) => {
      res.set('Allow', allow);
      throw new ProblemError(405, `This resource supports ${allow} only.`);
    };

  router.route('/').get(list).post(raw, create).all(notAllowed('GET, HEAD, POST'));
  router.route('/:subscriptionId').get(read).delete(remove).all(notAllowed('GET, HEAD, DELETE'));
  return router;
}
