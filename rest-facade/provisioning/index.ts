/**
 * The O2 IMS provisioning REST APIs (docs/provisioning.md), each route compiled onto a hub operation
 * (operations.ts):
 *
 *   GET    /o2ims-infrastructureArtifacts/v1/managedInfrastructureTemplates            SOL013 filter/selectors
 *   GET    /o2ims-infrastructureArtifacts/v1/managedInfrastructureTemplates/{id}       id or `<name>.<version>`
 *   GET    /o2ims-infrastructureArtifacts/v1/managedInfrastructureTemplates/{id}/defaults
 *   GET    /o2ims-infrastructureProvisioning/v1/provisioningRequests                   SOL013 filter/selectors
 *   POST   /o2ims-infrastructureProvisioning/v1/provisioningRequests                   201 + Location, PENDING
 *   GET    /o2ims-infrastructureProvisioning/v1/provisioningRequests/{id}
 *   PUT    /o2ims-infrastructureProvisioning/v1/provisioningRequests/{id}              full replace
 *   DELETE /o2ims-infrastructureProvisioning/v1/provisioningRequests/{id}[?force=true] 202, DELETING
 *   GET    /o2ims-infrastructureCluster/v1/nodeClusters                                SOL013 filter/selectors
 *   GET    /o2ims-infrastructureCluster/v1/nodeClusters/{nodeClusterId}
 *
 * Templates and requests need the admin role; node clusters are inventory (inventory:read). Lists are not
 * paged (templates and requests are few; node clusters are one per cluster).
 */
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import type { AuthContext } from '../../common/auth.ts';
import { requirePermission, type Permission } from '../../common/authorization.ts';
import { applySelection, matches } from '../../o2/sol013/index.ts';
import type { SelectorSpec } from '../../o2/sol013/index.ts';
import type { GraphExecutor } from '../../router/executor.ts';
import { notAllowed, requireJsonAcceptable } from '../http-edges.ts';
import { jsonObjectBody } from '../monitoring/request-bodies.ts';
import { ProblemError, REQUEST_ID_HEADER, problemErrorHandler } from '../problem.ts';
import { filterOf, queryOf, selectionOf, singleParameter } from '../query/query-params.ts';
import { authOf, bindAuth } from '../request-context.ts';
import { graphProvisioningOperations } from './operations.ts';
import {
  NODE_CLUSTER_SELECTORS,
  REQUEST_SELECTORS,
  TEMPLATE_SELECTORS,
  toNodeCluster,
  toProvisioningRequestInfo,
  toTemplate,
} from './views.ts';

export const ARTIFACTS_PREFIX = '/o2ims-infrastructureArtifacts/v1';
export const PROVISIONING_PREFIX = '/o2ims-infrastructureProvisioning/v1';
export const CLUSTER_PREFIX = '/o2ims-infrastructureCluster/v1';

export interface ProvisioningRouterOptions {
  readonly executor: GraphExecutor;
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly logger: Logger;
  /** The gateway's public base URL for Location headers; from the request when undefined. */
  readonly publicUrl?: () => string | undefined;
}

/** The list answer: filtered, then each item reduced to the selected attributes. */
function listed(req: Request, spec: SelectorSpec, items: Record<string, unknown>[]): unknown[] {
  const query = queryOf(req);
  const selection = selectionOf(query, spec);
  const filter = filterOf(query, spec);
  return items
    .filter((item) => filter === undefined || matches(filter, item))
    .map((item) => applySelection(selection, item));
}

function forceOf(req: Request): boolean {
  const value = singleParameter(queryOf(req), 'force');
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new ProblemError(400, 'force must be true or false');
}

export function createProvisioningRouter(options: ProvisioningRouterOptions): Router {
  const operations = graphProvisioningOperations(options.executor);
  const json = express.raw({ type: () => true, limit: '64kb' });

  /** Authenticates, then checks the permission (403 before any body is read). */
  const guard =
    (permission: Permission, action: string): RequestHandler =>
    async (req, res, next) => {
      const auth = await options.authenticate(req);
      bindAuth(req, auth);
      res.set(REQUEST_ID_HEADER, auth.requestId);
      requirePermission(auth, permission, action);
      requireJsonAcceptable(req);
      next();
    };
  const admin = guard('admin', 'provisioning clusters');
  const inventory = guard('inventory:read', 'reading node clusters');
  const bodyOf = (req: Request): Record<string, unknown> =>
    jsonObjectBody(req.get('content-type'), Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), [
      'application/json',
    ]);
  const requestsUrl = (req: Request): string =>
    `${options.publicUrl?.() ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`}${PROVISIONING_PREFIX}/provisioningRequests`;

  const router = express.Router({ caseSensitive: true });
  const templates = `${ARTIFACTS_PREFIX}/managedInfrastructureTemplates`;
  router
    .route(templates)
    .get(admin, async (req, res) => {
      res.json(listed(req, TEMPLATE_SELECTORS, (await operations.templates(authOf(req))).map(toTemplate)));
    })
    .all(notAllowed('GET'));
  router
    .route(`${templates}/:templateId`)
    .get(admin, async (req, res) => {
      res.json(toTemplate(await operations.template(authOf(req), String(req.params['templateId']))));
    })
    .all(notAllowed('GET'));
  router
    .route(`${templates}/:templateId/defaults`)
    .get(admin, async (req, res) => {
      const defaults = await operations.defaults(authOf(req), String(req.params['templateId']));
      // The template's parameters are the cluster's installation parameters; configuration policies are none.
      res.json({ clusterInstanceDefaults: defaults, policyTemplateDefaults: {} });
    })
    .all(notAllowed('GET'));

  const requests = `${PROVISIONING_PREFIX}/provisioningRequests`;
  router
    .route(requests)
    .get(admin, async (req, res) => {
      const items = (await operations.requests(authOf(req))).map(toProvisioningRequestInfo);
      res.json(listed(req, REQUEST_SELECTORS, items));
    })
    .post(admin, json, async (req, res) => {
      const auth = authOf(req);
      const created = await operations.create(auth, bodyOf(req));
      options.logger.info(
        {
          requestId: auth.requestId,
          provisioningRequestId: created.provisioningRequestId,
          principal: auth.principal,
        },
        'provisioning request created',
      );
      res
        .status(201)
        .location(`${requestsUrl(req)}/${created.provisioningRequestId}`)
        .json(toProvisioningRequestInfo(created));
    })
    .all(notAllowed('GET, POST'));
  router
    .route(`${requests}/:provisioningRequestId`)
    .get(admin, async (req, res) => {
      res.json(
        toProvisioningRequestInfo(
          await operations.request(authOf(req), String(req.params['provisioningRequestId'])),
        ),
      );
    })
    .put(admin, json, async (req, res) => {
      const auth = authOf(req);
      const id = String(req.params['provisioningRequestId']);
      const replaced = await operations.replace(auth, id, bodyOf(req));
      options.logger.info(
        { requestId: auth.requestId, provisioningRequestId: id, principal: auth.principal },
        'provisioning request replaced',
      );
      res.json(toProvisioningRequestInfo(replaced));
    })
    .delete(admin, async (req, res) => {
      const auth = authOf(req);
      const id = String(req.params['provisioningRequestId']);
      const deleting = await operations.delete(auth, id, forceOf(req));
      options.logger.info(
        { requestId: auth.requestId, provisioningRequestId: id, principal: auth.principal },
        'provisioning request deleted',
      );
      res.status(202).json(toProvisioningRequestInfo(deleting));
    })
    .all(notAllowed('GET, PUT, DELETE'));

  const nodeClusters = `${CLUSTER_PREFIX}/nodeClusters`;
  router
    .route(nodeClusters)
    .get(inventory, async (req, res) => {
      res.json(
        listed(req, NODE_CLUSTER_SELECTORS, (await operations.nodeClusters(authOf(req))).map(toNodeCluster)),
      );
    })
    .all(notAllowed('GET'));
  router
    .route(`${nodeClusters}/:nodeClusterId`)
    .get(inventory, async (req, res) => {
      res.json(toNodeCluster(await operations.nodeCluster(authOf(req), String(req.params['nodeClusterId']))));
    })
    .all(notAllowed('GET'));
  router.use(problemErrorHandler(options.logger));
  return router;
}
