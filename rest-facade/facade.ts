/**
 * The express adapter of the O2 IMS infrastructure inventory REST facade: mounts both API profiles under
 * `/o2ims-infrastructureInventory` — /v2 (O2IMS v11 model) and the v4-compatible /v1 — authenticates every
 * request, validates it against the profile's OpenAPI document, and answers everything else under that
 * prefix with ProblemDetails (404 for unknown paths and majors, 405 with `Allow` for other methods).
 */
import { createHash, randomBytes } from 'node:crypto';
import express from 'express';
import type { Request, RequestHandler, Router } from 'express';
import type { ExecutionResult } from 'graphql';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { AuthContext } from '../common/auth.ts';
import { jsonBytes } from '../common/json-bytes.ts';
import { repeatLimited } from '../common/log.ts';
import { requirePermission, type Permission } from '../common/authorization.ts';
import { createMarkerCodec } from '../o2/sol013/index.ts';
import type { GraphExecutor } from '../router/executor.ts';
import { AnswerCache, answerKey } from './answer-cache.ts';
import type { ComputedAnswer } from './answer-cache.ts';
import type { AnswerFreshness } from './answer-freshness.ts';
import { OPENAPI_DOCUMENTS, apiDocumentRoutes, inventoryDocuments } from './api-documents.ts';
import { withAdminProfileData } from './deployment-manager-access.ts';
import type { PublicUrl } from './api-documents.ts';
import type { ProfileName } from './api-documents.ts';
import { INVENTORY_SERVICE_PATH, serviceVersions } from './api-versions.ts';
import { rejectLargeBodies, requireJsonAcceptable, requireJsonBody } from './http-edges.ts';
import { inventoryV1Profile, inventoryV2Profile } from './inventory-profiles.ts';
import type { CloudIdSpelling, InventoryProfile } from './inventory-profiles.ts';
import { inventoryRoutes } from './inventory-routes.ts';
import { OperationCache } from './operation-cache.ts';
import type { OperationSource } from './operation-cache.ts';
import { nextPageLink } from './paging.ts';
import { PARTIAL_RESULT_HEADER, partialResultHeaderValue } from './partial-result.ts';
import { parsePathParams, toExpressPath } from './path-params.ts';
import { REQUEST_ID_HEADER, problemErrorHandler, sendProblem } from './problem.ts';
import { authOf, bindAuth, requestIdOf } from './request-context.ts';
import {
  O2_OBJECT_QUERY_PARAMETERS,
  O2_QUERY_PARAMETERS,
  createRequestValidator,
} from './request-validation.ts';
import type { RequestValidator } from './request-validation.ts';
import { staticRoute } from './route-table.ts';
import type { InventoryRoute, PagingSettings, RouteContext } from './route-table.ts';

/** The `inventory` settings of common/config.ts, all optional here (tests and embedders pass what they need). */
export interface InventoryApiSettings {
  readonly pageSize?: number;
  /** HMAC key of paging markers, ≥ 32 bytes, shared by every replica; random per process when absent. */
  readonly markerSecret?: string | undefined;
  readonly markerTtlMs?: number;
  /** Reuse of serialized answers (answer-cache.ts); absent or maxAgeMs 0: every request reads the graph. */
  readonly cache?: { readonly maxAgeMs?: number; readonly maxEntries?: number; readonly maxBytes?: number };
  readonly v2?: { readonly fieldsMode?: 'only' | 'sol013' };
  readonly v1?: {
    readonly enabled?: boolean;
    readonly globalCloudIdSpelling?: CloudIdSpelling;
    readonly fieldsMode?: 'only' | 'sol013';
    readonly markerStyle?: 'page-number' | 'opaque';
  };
}

export interface RestFacadeOptions {
  /** Runs operations on the federated graph in-process. Its schema validates every operation at creation. */
  readonly executor: GraphExecutor;
  /** Establishes the auth context of a request; throws AuthError (401/403) to refuse it. */
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly logger?: Logger;
  readonly inventory?: InventoryApiSettings;
  /** Clock of marker expiry and answer reuse (tests). */
  readonly now?: () => number;
  /**
   * Change events of the clusters (answer-freshness.ts): a cached answer is never served after an event of a
   * cluster it was computed from. Without it answer reuse is time-based only (tests, embedders).
   */
  readonly answerFreshness?: AnswerFreshness;
  /** The set of clusters (the shard registry): cached answers are dropped whenever it changes. */
  readonly clusterMembership?: { onChange(listener: () => void): () => void };
  /** The configured public base URL: the API documents' server URL (else each request's own). */
  readonly publicUrl?: PublicUrl;
}

/** Every inventory resource is read-only; express answers HEAD with the GET handler. */
const ALLOWED_METHODS = 'GET, HEAD';

export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_MARKER_TTL_MS = 3_600_000;

interface Profile {
  readonly name: ProfileName;
  readonly data: InventoryProfile;
  readonly routes: readonly InventoryRoute[];
  readonly paging: PagingSettings;
}

interface RouteServices {
  readonly executor: GraphExecutor;
  readonly operations: OperationCache;
  readonly logger: Logger;
  readonly validators: Promise<ReadonlyMap<ProfileName, RequestValidator>>;
  readonly answers: AnswerCache;
}

function routeContext(
  req: Request,
  params: Readonly<Record<string, string>>,
  profile: Profile,
  services: RouteServices,
  clustersAsked: Set<string>,
): RouteContext {
  const auth = authOf(req);
  return {
    params,
    query: req.query as Record<string, unknown>,
    auth,
    profile: profile.name,
    paging: profile.paging,
    execute(
      operation: OperationSource,
      variables: Record<string, unknown>,
    ): Promise<ExecutionResult<unknown>> {
      const document = services.operations.document(operation);
      return services.executor.execute<unknown>({
        document,
        operationName: operation.name,
        variables,
        auth,
        clustersAsked,
      });
    },
  };
}

/** The request path below the service root without a trailing slash, as the OpenAPI document writes it. */
function documentPath(req: Request): string {
  const path = INVENTORY_SERVICE_PATH + req.path;
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** A strong validator of a body (RFC 9110 ETag), computed once per answer; SHA-1 suffices (no adversary). */
function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

function routeHandler(route: InventoryRoute, profile: Profile, services: RouteServices): RequestHandler {
  // Reads of one object ignore the list-only parameters: not validated, not part of the answer's identity.
  const parameters = route.kind === 'list' ? O2_QUERY_PARAMETERS : O2_OBJECT_QUERY_PARAMETERS;
  const compute = async (req: Request): Promise<ComputedAnswer> => {
    // Path ids first: a malformed one is the profile's 400 or 404 whatever else the request holds.
    const params = parsePathParams(route.parameters, req.params, profile.data.malformedIdStatus);
    const validator = (await services.validators).get(profile.name);
    validator?.validate(req, documentPath(req), route.operationId, parameters);
    const clustersAsked = new Set<string>();
    const context = routeContext(req, params, profile, services, clustersAsked);
    const answer = await route.answer(context);
    if (answer.missingClusters.length > 0) {
      repeatLimited(services.logger).warn(
        `partial-answer:${route.operationId}:${answer.missingClusters.join(',')}`,
        {
          requestId: requestIdOf(req),
          operationId: route.operationId,
          missingClusters: answer.missingClusters,
        },
        'partial inventory answer: clusters did not answer',
      );
    }
    // Item by item for pages: no several-hundred-KB intermediate string (common/json-bytes.ts).
    const body =
      jsonBytes(await withAdminProfileData(route.operationId, answer.body, context)) ?? Buffer.alloc(0);
    const link =
      answer.nextMarker === undefined
        ? undefined
        : nextPageLink(req.baseUrl + req.path, req.query as Record<string, unknown>, answer.nextMarker);
    return {
      answer: {
        body,
        etag: etagOf(body),
        link,
        missingClusters: answer.missingClusters,
        staleClusters: answer.staleClusters ?? [],
      },
      keep: answer.missingClusters.length === 0 && (answer.staleClusters ?? []).length === 0,
      // None recorded (a hub-only answer, or a path that did not report them): it depends on every event.
      clusters: clustersAsked.size > 0 ? [...clustersAsked] : undefined,
    };
  };
  // Version documents are discovery (any role); everything read from the graph is inventory (common/authorization.ts).
  const permission: Permission = route.operation === undefined ? 'api:discover' : 'inventory:read';
  return async (req, res) => {
    requirePermission(authOf(req), permission, 'reading the O2 IMS inventory');
    requireJsonAcceptable(req);
    requireJsonBody(req);
    const cache = services.answers;
    const { answer } = cache.enabled
      ? await cache.answer(
          answerKey(
            [profile.name, route.operationId, req.path],
            req.query as Record<string, unknown>,
            authOf(req),
            parameters,
          ),
          () => compute(req),
        )
      : { answer: (await compute(req)).answer };
    if (answer.missingClusters.length > 0 || (answer.staleClusters ?? []).length > 0) {
      res.set(
        PARTIAL_RESULT_HEADER,
        partialResultHeaderValue(answer.missingClusters, answer.staleClusters ?? []),
      );
    }
    if (answer.link !== undefined) res.set('Link', answer.link);
    res.set('ETag', answer.etag);
    res.type('application/json; charset=utf-8');
    // A client that holds this very answer gets 304 (If-None-Match), without the body.
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.send(answer.body);
  };
}

const methodNotAllowed: RequestHandler = (_req, res) => {
  res.set('Allow', ALLOWED_METHODS);
  sendProblem(res, 405, 'This resource supports GET and HEAD only.');
};

const unknownPath: RequestHandler = (_req, res) => {
  // The path is not quoted back: it is arbitrary client input.
  sendProblem(res, 404, 'No resource of the O2 IMS infrastructure inventory API exists at this path.');
};

function authenticateWith(authenticate: RestFacadeOptions['authenticate']): RequestHandler {
  return async (req, res, next) => {
    res.set(REQUEST_ID_HEADER, requestIdOf(req));
    const auth = await authenticate(req);
    bindAuth(req, auth);
    res.set(REQUEST_ID_HEADER, auth.requestId);
    next();
  };
}

function profilesOf(options: RestFacadeOptions): Profile[] {
  const settings = options.inventory ?? {};
  const pageSize = settings.pageSize ?? DEFAULT_PAGE_SIZE;
  // Without a configured secret markers only verify on this process: fine for one replica and for tests.
  const markers = createMarkerCodec(settings.markerSecret ?? randomBytes(32), {
    now: options.now ?? Date.now,
  });
  const common = {
    pageSize,
    markers,
    markerTtlMs: settings.markerTtlMs ?? DEFAULT_MARKER_TTL_MS,
    now: options.now ?? Date.now,
  };
  const data = [inventoryV2Profile({ fieldsMode: settings.v2?.fieldsMode ?? 'only' })];
  if (settings.v1?.enabled !== false) data.push(inventoryV1Profile(settings.v1 ?? {}));
  const profiles: Profile[] = data.map((profile) => ({
    name: profile.name,
    data: profile,
    routes: inventoryRoutes(profile),
    paging: { ...common, pageNumbers: profile.pageNumbers, linkStyle: profile.linkStyle },
  }));
  return profiles;
}

function cacheBounds(options: RestFacadeOptions): { maxEntries?: number; maxBytes?: number } {
  const cache = options.inventory?.cache;
  return {
    ...(cache?.maxEntries === undefined ? {} : { maxEntries: cache.maxEntries }),
    ...(cache?.maxBytes === undefined ? {} : { maxBytes: cache.maxBytes }),
  };
}

async function createValidators(
  profiles: readonly Profile[],
  logger: Logger,
): Promise<ReadonlyMap<ProfileName, RequestValidator>> {
  const entries = await Promise.all(
    profiles.map(
      async (profile) =>
        [profile.name, await createRequestValidator(OPENAPI_DOCUMENTS[profile.name])] as const,
    ),
  );
  logger.debug({ profiles: profiles.map((p) => p.name) }, 'OpenAPI request validation ready');
  return new Map(entries);
}

/**
 * The O2 IMS infrastructure inventory REST API as an express router, to be mounted at the server root. Compiles
 * and validates the GraphQL operation of every route against `executor.schema` first and throws
 * InvalidOperationError when one does not fit, so a gateway built against an incompatible graph never starts.
 */
export function createRestFacade(options: RestFacadeOptions): Router {
  const logger = options.logger ?? pino({ level: 'silent' });
  const profiles = profilesOf(options);
  const operations = new OperationCache(options.executor.schema);
  for (const profile of profiles) {
    for (const route of profile.routes)
      if (route.operation !== undefined) operations.document(route.operation);
  }
  const validators = createValidators(profiles, logger);
  // Failing to load a document is a packaging bug: log it at once; requests answer a masked 500 meanwhile.
  validators.catch((error: unknown) => logger.error({ err: error }, 'cannot load the OpenAPI documents'));
  const answers = new AnswerCache(
    {
      maxAgeMs: options.inventory?.cache?.maxAgeMs ?? 0,
      ...cacheBounds(options),
      freshness: options.answerFreshness,
    },
    options.now,
  );
  options.clusterMembership?.onChange(() => answers.clear());
  const services: RouteServices = { executor: options.executor, operations, logger, validators, answers };

  const versions = serviceVersions(profiles.map((profile) => profile.data.versions));
  const serviceRoute = staticRoute({ operationId: 'getAllVersions', path: '/api_versions', body: versions });
  const v2 = profiles.find((profile) => profile.name === 'v2')!;

  // Case-sensitive like the O2 paths they implement; a trailing slash is tolerated (strict: false).
  const service = express.Router({ caseSensitive: true });
  service.use(rejectLargeBodies);
  service.use(
    apiDocumentRoutes(inventoryDocuments(profiles.map((profile) => profile.name)), options.publicUrl),
  );
  service.use(authenticateWith(options.authenticate));
  service
    .route(toExpressPath(serviceRoute.path))
    .get(routeHandler(serviceRoute, v2, services))
    .all(methodNotAllowed);
  for (const profile of profiles) {
    for (const route of profile.routes) {
      service
        .route(toExpressPath(route.path))
        .get(routeHandler(route, profile, services))
        .all(methodNotAllowed);
    }
  }
  service.use(unknownPath);

  const facade = express.Router({ caseSensitive: true });
  facade.use(INVENTORY_SERVICE_PATH, service, problemErrorHandler(logger));
  return facade;
}
