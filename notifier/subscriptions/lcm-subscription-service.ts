/**
 * The SOL003 LCM subscription tasks once (docs/dms.md "Notifications"): create (callback policy, duplicate rule,
 * the test GET that must answer 204), list, read and delete, scoped by tenant and apiRoot cluster. The hub's
 * GraphQL fields and the REST routes of `vnflcm/v2/subscriptions` both run these, so both validate and refuse
 * alike. Errors are DmsErrors (INVALID 400, UNPROCESSABLE 422, NOT_FOUND 404); the subscription's
 * `authentication` never leaves this module except into the stored record (views omit it).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { z } from 'zod';
import { DmsError } from '../../dms/errors.ts';
import type { LifecycleScope } from '../../dms/lifecycle/index.ts';
import {
  LCM_VERBOSITIES,
  authenticationOf,
  basicAuthorization,
  canonicalSelectorText,
  sol003SubscriptionRequestSchema,
  lcmFilterSchema,
  parseSelectorText,
  type LcmAuthentication,
  type LcmFilter,
  type LcmVerbosity,
  type StoredLcmSubscription,
} from '../../dms/notifications/lcm-subscriptions.ts';
import { isUuid } from '../../o2/ids.ts';
import type { StateStore } from '../../state/store.ts';
import { CallbackRefusedError, checkCallback, systemResolve } from '../callbacks/callback-policy.ts';
import type { CallbackPolicy, CheckedCallback, Resolve } from '../callbacks/callback-policy.ts';
import { failedTestGet } from '../callbacks/callback-request.ts';
import { LcmSubscriptionRepository } from './lcm-repository.ts';

export interface LcmSubscriptionServiceOptions {
  readonly store: StateStore;
  /** The callback policy (`subscriptions.callbacks`): callbacks and token endpoints must pass it. */
  readonly callbacks: CallbackPolicy;
  /** How long the creation GET may take. */
  readonly probeTimeoutMs: number;
  readonly resolve?: Resolve;
  readonly logger?: Logger;
}

/** Who subscribes (the stored record names them; the request id goes to the log). */
export interface LcmSubscriber {
  readonly principal: string;
  readonly requestId?: string;
}

/** An LccnSubscription without `_links` (they belong to the apiRoot of a REST request) and never its authentication. */
export interface LcmSubscriptionView {
  readonly id: string;
  readonly filter?: LcmFilter;
  readonly callbackUri: string;
  readonly verbosity: LcmVerbosity;
  /** Set when made on a cluster's apiRoot: only that cluster's instances. */
  readonly clusterId?: string;
}

/** SOL003 LccnSubscriptionRequest: the shared members and the LCM filter and verbosity. */
const requestSchema = sol003SubscriptionRequestSchema
  .extend({ filter: lcmFilterSchema.optional(), verbosity: z.enum(LCM_VERBOSITIES).optional() })
  .strict();
type LccnSubscriptionRequest = z.infer<typeof requestSchema>;

function parseRequest(body: unknown): LccnSubscriptionRequest {
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DmsError(
      'INVALID',
      `LccnSubscriptionRequest ${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** The view of a stored subscription: never the authentication. */
export function lcmSubscriptionView(stored: StoredLcmSubscription): LcmSubscriptionView {
  const selector = parseSelectorText(stored.filter);
  return {
    id: stored.subscriptionId,
    ...(Object.keys(selector.filter).length === 0 ? {} : { filter: selector.filter }),
    callbackUri: stored.callback,
    verbosity: selector.verbosity,
    ...(selector.clusterId === undefined ? {} : { clusterId: selector.clusterId }),
  };
}

function visible(scope: LifecycleScope, stored: StoredLcmSubscription): boolean {
  if (scope.tenant !== '*' && stored.tenant !== scope.tenant) return false;
  let clusterId: string | undefined;
  try {
    clusterId = parseSelectorText(stored.filter).clusterId;
  } catch {
    return false;
  }
  return scope.clusterId === undefined || clusterId === scope.clusterId;
}

const notFound = (): DmsError => new DmsError('NOT_FOUND', 'No LCM subscription has that id.');

export class LcmSubscriptionService {
  private readonly repository: LcmSubscriptionRepository;
  private readonly resolve: Resolve;
  private readonly logger: Logger;

  constructor(private readonly options: LcmSubscriptionServiceOptions) {
    this.repository = new LcmSubscriptionRepository(options.store);
    this.resolve = options.resolve ?? systemResolve;
    this.logger = options.logger ?? pino({ level: 'silent' });
  }

  private async checked(url: string, what: string) {
    try {
      return await checkCallback(url, this.options.callbacks, this.resolve);
    } catch (error) {
      if (error instanceof CallbackRefusedError)
        throw new DmsError('UNPROCESSABLE', `${what}: ${error.message}`);
      throw error;
    }
  }

  /**
   * Creates a subscription from an LccnSubscriptionRequest. A duplicate (same tenant, callback, filter, cluster
   * and verbosity) is not created again: the existing one is answered with `duplicate: true`, before any test
   * GET, so the receiver is not probed twice.
   */
  async create(
    subscriber: LcmSubscriber,
    scope: LifecycleScope,
    body: unknown,
  ): Promise<{ subscription: StoredLcmSubscription; duplicate: boolean }> {
    const request = parseRequest(body);
    const authentication = authenticationOf(request);
    const callback = await this.checked(request.callbackUri, 'callbackUri');
    if (authentication?.authType === 'OAUTH2_CLIENT_CREDENTIALS')
      await this.checked(authentication.tokenEndpoint, 'tokenEndpoint');
    const filter = canonicalSelectorText({
      filter: request.filter ?? {},
      ...(scope.clusterId === undefined ? {} : { clusterId: scope.clusterId }),
      verbosity: request.verbosity ?? 'FULL',
    });
    const existing = async (id: string) => ({
      subscription: (await this.repository.get(id))!,
      duplicate: true,
    });
    const duplicateOf = await this.repository.duplicateOf({
      tenant: scope.tenant,
      callback: callback.url.href,
      filter,
    });
    if (duplicateOf !== undefined) return existing(duplicateOf);

    const refusal = await probeLcmCallback(callback, authentication, this.options.probeTimeoutMs);
    if (refusal !== undefined) throw new DmsError('UNPROCESSABLE', refusal);
    const subscription: StoredLcmSubscription = {
      subscriptionId: randomUUID(),
      callback: callback.url.href,
      filter,
      startCursor: await this.repository.currentCursor(),
      ...(authentication === undefined ? {} : { authentication }),
      tenant: scope.tenant,
      createdBy: subscriber.principal,
      createdAt: new Date().toISOString(),
    };
    const created = await this.repository.create(subscription);
    if (!created.created) return existing(created.duplicateOf);
    this.logger.info(
      {
        requestId: subscriber.requestId,
        subscriptionId: subscription.subscriptionId,
        host: callback.url.host,
      },
      'DMS LCM subscription created',
    );
    return { subscription, duplicate: false };
  }

  async list(scope: LifecycleScope): Promise<StoredLcmSubscription[]> {
    return (await this.repository.list()).filter((stored) => visible(scope, stored));
  }

  /** One subscription; unknown, malformed, another tenant's or another cluster's are all NOT_FOUND. */
  async get(scope: LifecycleScope, id: string): Promise<StoredLcmSubscription> {
    const stored = isUuid(id) ? await this.repository.get(id.toLowerCase()) : undefined;
    if (stored === undefined || !visible(scope, stored)) throw notFound();
    return stored;
  }

  async delete(scope: LifecycleScope, id: string): Promise<void> {
    const stored = await this.get(scope, id);
    if (!(await this.repository.delete(stored.subscriptionId))) throw notFound();
  }
}

/**
 * The SOL003 test GET of a new LCM or FM subscription's callback (with its BASIC credentials, if any): undefined
 * when it answered 204, else why it is refused. Shared by the REST router and the graph's service.
 */
export async function probeLcmCallback(
  callback: CheckedCallback,
  authentication: LcmAuthentication | undefined,
  timeoutMs: number,
): Promise<string | undefined> {
  const authorization = basicAuthorization(authentication);
  const what = await failedTestGet(callback, authorization === undefined ? {} : { authorization }, timeoutMs);
  return what === undefined
    ? undefined
    : `the callbackUri ${what} to the test GET; it must answer 204 No Content`;
}
