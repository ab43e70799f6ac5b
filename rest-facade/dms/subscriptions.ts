/**
 * SOL003 LCM subscriptions, `<apiRoot>/vnflcm/v2/subscriptions` (docs/dms.md "Notifications"), and FM
 * subscriptions, `<apiRoot>/vnffm/v1/subscriptions` (docs/dms.md "Fault management"): one router, two kinds
 * (`LCM_SUBSCRIPTIONS`, `FM_SUBSCRIPTIONS`) that differ in their filter, view and collection:
 *
 *   POST    …/subscriptions        LccnSubscriptionRequest → 201 LccnSubscription + Location
 *                                  (FmSubscriptionRequest → 201 FmSubscription)
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
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Request, RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { z } from 'zod';
import type { AuthContext, Role } from '../../common/auth.ts';
import { rolesFor } from '../../common/authorization.ts';
import {
  CallbackRefusedError,
  checkCallback,
  systemResolve,
} from '../../notifier/callbacks/callback-policy.ts';
import type { CallbackPolicy, Resolve } from '../../notifier/callbacks/callback-policy.ts';
import { fmFilterSchema, parseFmSelectorText } from '../../dms/notifications/fm-subscriptions.ts';
import {
  LCM_VERBOSITIES,
  authenticationOf,
  canonicalSelectorText,
  sol003SubscriptionRequestSchema,
  lcmFilterSchema,
  parseSelectorText,
  type StoredLcmSubscription,
} from '../../dms/notifications/lcm-subscriptions.ts';
import {
  FmSubscriptionRepository,
  LcmSubscriptionRepository,
} from '../../notifier/subscriptions/lcm-repository.ts';
import type { SubscriptionCollection } from '../../notifier/subscriptions/collection.ts';
import { probeLcmCallback } from '../../notifier/subscriptions/lcm-subscription-service.ts';
import { isUuid } from '../../o2/ids.ts';
import { compileFilter, matches, parseFilter, Sol013Error } from '../../o2/sol013/index.ts';
import type { AttributeSchema } from '../../o2/sol013/index.ts';
import type { LifecycleScope } from '../../dms/lifecycle/index.ts';
import type { StateStore } from '../../state/store.ts';
import { ProblemError } from '../problem.ts';
import { authOf } from '../request-context.ts';

/** The role table's lists (common/authorization.ts). */
const READ_ROLES = rolesFor('lcm-subscriptions:read');
const WRITE_ROLES = rolesFor('subscriptions:write');

export interface LcmSubscriptionsOptions {
  readonly store: StateStore;
  /** The callback policy (`subscriptions.callbacks`): callbacks and token endpoints must pass it. */
  readonly callbacks: CallbackPolicy;
  /** How long the creation GET may take. */
  readonly probeTimeoutMs: number;
  readonly resolve?: Resolve;
  readonly logger?: Logger;
  /** The apiRoot the request came in on (absolute URL) and its scope. */
  readonly apiRootOf: (req: Request) => { readonly url: string; readonly scope: LifecycleScope };
}

const requestSchema = sol003SubscriptionRequestSchema;
type SubscriptionRequest = z.infer<typeof requestSchema>;

/** What differs between the SOL003 subscription APIs. */
export interface Sol003SubscriptionKind {
  /** For messages: `LCM` or `FM`. */
  readonly noun: string;
  /** The subscriptions path below the apiRoot. */
  readonly path: string;
  /** The request type's SOL003 name (400 messages). */
  readonly requestName: string;
  /** The members beyond callbackUri and authentication. */
  readonly members: z.ZodRawShape;
  /** The canonical stored filter text of a request made on an apiRoot of `clusterId`. */
  selectorText(request: Readonly<Record<string, unknown>>, clusterId: string | undefined): string;
  /** The stored filter text as the view's members (filter, verbosity) and its apiRoot cluster; throws when it does not parse. */
  viewOf(filterText: string): { members: Record<string, unknown>; clusterId: string | undefined };
  repository(store: StateStore): SubscriptionCollection<StoredLcmSubscription>;
}

/** The filter member of a view: absent when empty. */
const filterMember = (filter: object): Record<string, unknown> =>
  Object.keys(filter).length === 0 ? {} : { filter };

export const LCM_SUBSCRIPTIONS: Sol003SubscriptionKind = {
  noun: 'LCM',
  path: '/vnflcm/v2/subscriptions',
  requestName: 'LccnSubscriptionRequest',
  members: { filter: lcmFilterSchema.optional(), verbosity: z.enum(LCM_VERBOSITIES).optional() },
  selectorText: (request, clusterId) =>
    canonicalSelectorText({
      filter: request['filter'] ?? {},
      ...(clusterId === undefined ? {} : { clusterId }),
      verbosity: request['verbosity'] ?? 'FULL',
    }),
  viewOf(text) {
    const selector = parseSelectorText(text);
    return {
      members: { ...filterMember(selector.filter), verbosity: selector.verbosity },
      clusterId: selector.clusterId,
    };
  },
  repository: (store) => new LcmSubscriptionRepository(store),
};

export const FM_SUBSCRIPTIONS: Sol003SubscriptionKind = {
  noun: 'FM',
  path: '/vnffm/v1/subscriptions',
  requestName: 'FmSubscriptionRequest',
  members: { filter: fmFilterSchema.optional() },
  selectorText: (request, clusterId) =>
    canonicalSelectorText({
      filter: request['filter'] ?? {},
      ...(clusterId === undefined ? {} : { clusterId }),
    }),
  viewOf(text) {
    const selector = parseFmSelectorText(text);
    return { members: filterMember(selector.filter), clusterId: selector.clusterId };
  },
  repository: (store) => new FmSubscriptionRepository(store),
};

/** The LccnSubscription (FmSubscription) view: never the authentication. */
export function toLccnSubscription(
  stored: StoredLcmSubscription,
  apiRootUrl: string,
  kind: Sol003SubscriptionKind = LCM_SUBSCRIPTIONS,
): Record<string, unknown> {
  const { members } = kind.viewOf(stored.filter);
  return {
    id: stored.subscriptionId,
    ...members,
    callbackUri: stored.callback,
    _links: { self: { href: `${apiRootUrl}${kind.path}/${stored.subscriptionId}` } },
  };
}

const SUBSCRIPTION_SCHEMA: AttributeSchema = {
  id: 'uuid',
  callbackUri: 'string',
  verbosity: 'string',
  filter: 'object',
};

function problem422(detail: string): ProblemError {
  return new ProblemError(422, detail);
}

function visible(
  scope: LifecycleScope,
  stored: StoredLcmSubscription,
  kind: Sol003SubscriptionKind,
): boolean {
  if (scope.tenant !== '*' && stored.tenant !== scope.tenant) return false;
  let clusterId: string | undefined;
  try {
    clusterId = kind.viewOf(stored.filter).clusterId;
  } catch {
    return false;
  }
  return scope.clusterId === undefined || clusterId === scope.clusterId;
}

function requireRole(auth: AuthContext, roles: readonly Role[], action: string): void {
  if (!auth.roles.some((role) => roles.includes(role)))
    throw new ProblemError(403, `${action} needs one of the roles ${roles.join(', ')}`);
}

export function createLcmSubscriptionsRouter(
  options: LcmSubscriptionsOptions,
  kind: Sol003SubscriptionKind = LCM_SUBSCRIPTIONS,
): Router {
  const repository = kind.repository(options.store);
  const schema = requestSchema.extend(kind.members).strict();
  const { noun } = kind;
  const resolve = options.resolve ?? systemResolve;
  const logger = options.logger ?? pino({ level: 'silent' });
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: '16kb' });

  const checked = async (url: string, what: string) => {
    try {
      return await checkCallback(url, options.callbacks, resolve);
    } catch (error) {
      if (error instanceof CallbackRefusedError) throw problem422(`${what}: ${error.message}`);
      throw error;
    }
  };

  const parseBody = (req: Request): SubscriptionRequest & Record<string, unknown> => {
    const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (type !== 'application/json')
      throw new ProblemError(415, 'The request body must be application/json.');
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    let json: unknown;
    try {
      json = JSON.parse(body) as unknown;
    } catch {
      throw new ProblemError(400, 'The request body is not valid JSON.');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ProblemError(
        400,
        `${kind.requestName} ${issue.path.join('.') || '(body)'}: ${issue.message}`,
      );
    }
    // The kind's members are validated by the extended schema; their types are the kind's own business.
    return parsed.data as SubscriptionRequest & Record<string, unknown>;
  };

  const create: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, WRITE_ROLES, `creating an ${noun} subscription`);
    const request = parseBody(req);
    const { url: apiRootUrl, scope } = options.apiRootOf(req);
    const authentication = authenticationOf(request);
    const callback = await checked(request.callbackUri, 'callbackUri');
    if (authentication?.authType === 'OAUTH2_CLIENT_CREDENTIALS')
      await checked(authentication.tokenEndpoint, 'tokenEndpoint');
    const filter = kind.selectorText(request, scope.clusterId);
    const seeOther = (id: string): void => {
      res.status(303).location(`${apiRootUrl}${kind.path}/${id}`).end();
    };
    // A duplicate is answered before the test GET: nothing is sent to the receiver again.
    const existing = await repository.duplicateOf({
      tenant: auth.tenant.name,
      callback: callback.url.href,
      filter,
    });
    if (existing !== undefined) return seeOther(existing);

    const refusal = await probeLcmCallback(callback, authentication, options.probeTimeoutMs);
    if (refusal !== undefined) throw problem422(refusal);
    const subscription: StoredLcmSubscription = {
      subscriptionId: randomUUID(),
      callback: callback.url.href,
      filter,
      startCursor: await repository.currentCursor(),
      ...(authentication === undefined ? {} : { authentication }),
      tenant: auth.tenant.name,
      createdBy: auth.principal,
      createdAt: new Date().toISOString(),
    };
    const created = await repository.create(subscription);
    if (!created.created) return seeOther(created.duplicateOf);
    logger.info(
      { requestId: auth.requestId, subscriptionId: subscription.subscriptionId, host: callback.url.host },
      `DMS ${noun} subscription created`,
    );
    res
      .status(201)
      .location(`${apiRootUrl}${kind.path}/${subscription.subscriptionId}`)
      .json(toLccnSubscription(subscription, apiRootUrl, kind));
  };

  const list: RequestHandler = async (req, res) => {
    requireRole(authOf(req), READ_ROLES, `reading ${noun} subscriptions`);
    const { url, scope } = options.apiRootOf(req);
    const text = new URL(req.originalUrl, 'http://netweave.invalid').searchParams.get('filter');
    let compiled;
    try {
      compiled = text === null ? undefined : compileFilter(parseFilter(text), SUBSCRIPTION_SCHEMA);
    } catch (error) {
      if (error instanceof Sol013Error) throw new ProblemError(400, error.message);
      throw error;
    }
    const items = (await repository.list())
      .filter((stored) => visible(scope, stored, kind))
      .map((stored) => toLccnSubscription(stored, url, kind))
      .filter((item) => compiled === undefined || matches(compiled, item));
    res.json(items);
  };

  const found = async (req: Request): Promise<StoredLcmSubscription> => {
    const id = String(req.params['subscriptionId']);
    const stored = isUuid(id) ? await repository.get(id.toLowerCase()) : undefined;
    if (stored === undefined || !visible(options.apiRootOf(req).scope, stored, kind))
      throw new ProblemError(404, `No ${noun} subscription has that id.`);
    return stored;
  };

  const read: RequestHandler = async (req, res) => {
    requireRole(authOf(req), READ_ROLES, `reading an ${noun} subscription`);
    res.json(toLccnSubscription(await found(req), options.apiRootOf(req).url, kind));
  };

  const remove: RequestHandler = async (req, res) => {
    requireRole(authOf(req), WRITE_ROLES, `deleting an ${noun} subscription`);
    const stored = await found(req);
    if (!(await repository.delete(stored.subscriptionId)))
      throw new ProblemError(404, `No ${noun} subscription has that id.`);
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
