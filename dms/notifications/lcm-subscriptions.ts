/**
 * SOL003 LCM subscriptions (LccnSubscription): their stored form and filter semantics. The notifier keeps them
 * (notifier/subscriptions/lcm-repository.ts) and its LCM channel (notifier/lcm-channel.ts) delivers to them;
 * the REST API is rest-facade/dms/subscriptions.ts.
 *
 * The stored `filter` is the canonical JSON of everything that decides which notifications a subscription
 * gets and in which form — the SOL003 filter, the apiRoot's cluster and the verbosity — so that the shared
 * duplicate rule of subscription collections (same tenant, callback and filter text) means "this receiver
 * would get exactly the same notifications twice". The subscription's `authentication` is kept for delivery
 * and never leaves the domain (the REST view omits it).
 */
import { z } from 'zod';
import { DmsError } from '../errors.ts';
import { LCM_OPERATION_STATES } from '../lifecycle/records.ts';
import { LCM_NOTIFICATION_TYPES, type LcmEvent } from './lcm-events.ts';

export const LCM_VERBOSITIES = ['FULL', 'SHORT'] as const;
export type LcmVerbosity = (typeof LCM_VERBOSITIES)[number];

const nonEmptyStrings = z.array(z.string().min(1).max(256)).min(1).max(100);

/** SOL003 VnfInstanceSubscriptionFilter, the attributes netweave can match (vnfdIds, instance ids and names). */
export const vnfInstanceSubscriptionFilterSchema = z
  .object({
    vnfdIds: nonEmptyStrings.optional(),
    vnfInstanceIds: nonEmptyStrings.optional(),
    vnfInstanceNames: nonEmptyStrings.optional(),
  })
  .strict();

/** SOL003 LifecycleChangeNotificationsFilter: inclusive, "and" between attributes, "or" inside an array. */
export const lcmFilterSchema = z
  .object({
    vnfInstanceSubscriptionFilter: vnfInstanceSubscriptionFilterSchema.optional(),
    notificationTypes: z.array(z.enum(LCM_NOTIFICATION_TYPES)).min(1).optional(),
    operationTypes: z
      .array(z.string().regex(/^[A-Z][A-Z_]*$/))
      .min(1)
      .optional(),
    operationStates: z.array(z.enum(LCM_OPERATION_STATES)).min(1).optional(),
  })
  .strict();
export type LcmFilter = z.infer<typeof lcmFilterSchema>;

/** What the stored `filter` text holds. */
export const lcmSelectorSchema = z.object({
  filter: lcmFilterSchema,
  /** Set for subscriptions made on a cluster's apiRoot: only that cluster's events. */
  clusterId: z.string().optional(),
  verbosity: z.enum(LCM_VERBOSITIES),
});
export type LcmSelector = z.infer<typeof lcmSelectorSchema>;

export const lcmAuthenticationSchema = z.discriminatedUnion('authType', [
  z.object({ authType: z.literal('BASIC'), userName: z.string(), password: z.string() }),
  z.object({
    authType: z.literal('OAUTH2_CLIENT_CREDENTIALS'),
    clientId: z.string(),
    clientPassword: z.string(),
    tokenEndpoint: z.string().url(),
  }),
]);
export type LcmAuthentication = z.infer<typeof lcmAuthenticationSchema>;

export const storedLcmSubscriptionSchema = z.object({
  subscriptionId: z.string().uuid(),
  callback: z.string().url(),
  /** Canonical JSON of an LcmSelector (see above). */
  filter: z.string(),
  startCursor: z.string(),
  authentication: lcmAuthenticationSchema.optional(),
  tenant: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type StoredLcmSubscription = z.infer<typeof storedLcmSubscriptionSchema>;

/** JSON with keys sorted and array members sorted and de-duplicated: equal filters give equal text (LCM and FM selectors). */
export function canonicalSelectorText(selector: object): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value))
      return [...new Set(value.map((v) => JSON.stringify(canonical(v))))]
        .sort()
        .map((v) => JSON.parse(v) as unknown);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => [k, canonical(v)]),
      );
    }
    return value;
  };
  return JSON.stringify(canonical(selector));
}

/** Throws (a ZodError or SyntaxError) when the text is not a selector. */
export function parseSelectorText(text: string): LcmSelector {
  return lcmSelectorSchema.parse(JSON.parse(text));
}

function within(values: readonly string[] | undefined, value: string | undefined): boolean {
  return values === undefined || (value !== undefined && values.includes(value));
}

/** Whether a subscription with `selector` is notified of `event` (SOL003 filter semantics). */
export function selectorWants(selector: LcmSelector, event: LcmEvent): boolean {
  if (selector.clusterId !== undefined && event.clusterId !== selector.clusterId) return false;
  const { filter } = selector;
  if (!within(filter.notificationTypes, event.notificationType)) return false;
  if (event.notificationType === 'VnfLcmOperationOccurrenceNotification') {
    if (!within(filter.operationTypes, event.occurrence.operation)) return false;
    if (!within(filter.operationStates, event.occurrence.operationState)) return false;
  }
  // operationTypes/operationStates apply to occurrence notifications only (SOL003): identifier
  // notifications pass them.
  const instance = filter.vnfInstanceSubscriptionFilter;
  if (instance !== undefined) {
    if (!within(instance.vnfdIds, event.vnfdId)) return false;
    if (!within(instance.vnfInstanceIds, event.vnfInstanceId)) return false;
    if (!within(instance.vnfInstanceNames, event.vnfInstanceName)) return false;
  }
  return true;
}

/**
 * What LccnSubscriptionRequest and FmSubscriptionRequest share (each API extends it with its own members);
 * `TLS_CERT` is refused: netweave has no client certificates per subscription.
 */
export const sol003SubscriptionRequestSchema = z
  .object({
    callbackUri: z.string().min(1).max(2048),
    authentication: z
      .object({
        authType: z.array(z.enum(['BASIC', 'OAUTH2_CLIENT_CREDENTIALS', 'TLS_CERT'])).min(1),
        paramsBasic: z.object({ userName: z.string().min(1), password: z.string().min(1) }).optional(),
        paramsOauth2ClientCredentials: z
          .object({
            clientId: z.string().min(1),
            clientPassword: z.string().min(1),
            tokenEndpoint: z.string().url(),
          })
          .optional(),
      })
      .optional(),
  })
  .strict();
export type Sol003SubscriptionRequest = z.infer<typeof sol003SubscriptionRequestSchema>;

/**
 * The one authentication netweave uses for a subscription (the first of `authType` it can serve); a DmsError
 * UNPROCESSABLE (422) when it can serve none.
 */
export function authenticationOf(request: Sol003SubscriptionRequest): LcmAuthentication | undefined {
  const auth = request.authentication;
  if (auth === undefined) return undefined;
  for (const type of auth.authType) {
    if (type === 'BASIC' && auth.paramsBasic !== undefined) return { authType: 'BASIC', ...auth.paramsBasic };
    if (type === 'OAUTH2_CLIENT_CREDENTIALS' && auth.paramsOauth2ClientCredentials !== undefined)
      return { authType: 'OAUTH2_CLIENT_CREDENTIALS', ...auth.paramsOauth2ClientCredentials };
  }
  throw new DmsError(
    'UNPROCESSABLE',
    'authentication: netweave supports BASIC with paramsBasic and OAUTH2_CLIENT_CREDENTIALS with paramsOauth2ClientCredentials (credentials provisioned out of band and TLS_CERT are not supported)',
  );
}

/** The BASIC Authorization header of a subscription (undefined for other kinds). */
export function basicAuthorization(auth: LcmAuthentication | undefined): string | undefined {
  if (auth?.authType !== 'BASIC') return undefined;
  return `Basic ${Buffer.from(`${auth.userName}:${auth.password}`, 'utf8').toString('base64')}`;
}
