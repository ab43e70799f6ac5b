/**
 * The express adapter of the O2 IMS infrastructure inventory REST facade: mounts the route table under
 * `/o2ims-infrastructureInventory`, authenticates every request, and answers everything else under that
 * prefix with ProblemDetails (404 for unknown paths, 405 with `Allow` for other methods).
 */
import express from 'express';
import type { Request, RequestHandler, Router } from 'express';
import type { ExecutionResult } from 'graphql';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { AuthContext } from '../common/auth.ts';
import type { GraphExecutor } from '../router/executor.ts';
import { INVENTORY_SERVICE_PATH } from './api-versions.ts';
import { INVENTORY_V2_ROUTES } from './inventory-v2-routes.ts';
import { OperationCache } from './operation-cache.ts';
import type { GraphOperation } from './operation-cache.ts';
import { PARTIAL_RESULT_HEADER, partialResultHeaderValue } from './partial-result.ts';
import { parsePathParams, toExpressPath } from './path-params.ts';
import { REQUEST_ID_HEADER, problemErrorHandler, sendProblem } from './problem.ts';
import { authOf, bindAuth, requestIdOf } from './request-context.ts';
import type { InventoryRoute, RouteContext } from './route-table.ts';
import { rejectUnsupportedQuery } from './unsupported-query.ts';

export interface RestFacadeOptions {
  /** Runs operations on the federated graph in-process. Its schema validates every operation at creation. */
  readonly executor: GraphExecutor;
  /** Establishes the auth context of a request; throws AuthError (401/403) to refuse it. */
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly logger?: Logger;
}

/** Every inventory resource is read-only; express answers HEAD with the GET handler. */
const ALLOWED_METHODS = 'GET, HEAD';

interface RouteServices {
  readonly executor: GraphExecutor;
  readonly operations: OperationCache;
  readonly logger: Logger;
}

function routeContext(req: Request, route: InventoryRoute, services: RouteServices): RouteContext {
  const auth = authOf(req);
  return {
    params: parsePathParams(route.parameters, req.params),
    auth,
    execute<TData, TVariables extends Record<string, unknown>>(
      operation: GraphOperation<TData, TVariables>,
      variables: TVariables,
    ): Promise<ExecutionResult<TData>> {
      const document = services.operations.document(operation);
      return services.executor.execute<TData>({ document, operationName: operation.name, variables, auth });
    },
  };
}

function routeHandler(route: InventoryRoute, services: RouteServices): RequestHandler {
  return async (req, res) => {
    rejectUnsupportedQuery(req);
    const answer = await route.answer(routeContext(req, route, services));
    if (answer.missingClusters.length > 0) {
      res.set(PARTIAL_RESULT_HEADER, partialResultHeaderValue(answer.missingClusters));
      services.logger.warn(
        {
          requestId: requestIdOf(req),
          operationId: route.operationId,
          missingClusters: answer.missingClusters,
        },
        'partial inventory answer: clusters did not answer',
      );
    }
    res.json(answer.body);
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

/**
 * The O2 IMS infrastructure inventory REST API as an express router, to be mounted at the server root. Compiles
 * and validates every GraphQL operation of the route table against `executor.schema` first and throws
 * InvalidOperationError when one does not fit, so a gateway built against an incompatible graph never starts.
 */
export function createRestFacade(options: RestFacadeOptions): Router {
  const logger = options.logger ?? pino({ level: 'silent' });
  const operations = new OperationCache(options.executor.schema);
  for (const route of INVENTORY_V2_ROUTES) {
    if (route.operation !== undefined) operations.document(route.operation);
  }
  const services: RouteServices = { executor: options.executor, operations, logger };

  // Case-sensitive like the O2 paths they implement; a trailing slash is tolerated (strict: false).
  const service = express.Router({ caseSensitive: true });
  service.use(authenticateWith(options.authenticate));
  for (const route of INVENTORY_V2_ROUTES) {
    service.route(toExpressPath(route.path)).get(routeHandler(route, services)).all(methodNotAllowed);
  }
  service.use(unknownPath);

  const facade = express.Router({ caseSensitive: true });
  facade.use(INVENTORY_SERVICE_PATH, service, problemErrorHandler(logger));
  return facade;
}
