/**
 * The O2 DMS REST API, ETSI NFV profile (docs/dms.md): SOL003 `vnflcm/v2` (and, when given, the SOL005
 * package router under `vnfpkgm/v1`) on two apiRoots:
 *
 *   /o2dms                          the cluster comes from vimConnectionInfo.<key>.vimId (a deploymentManagerId)
 *   /o2dms/{deploymentManagerId}    the cluster is implied; only its records exist there
 *
 * Routes (below each apiRoot):
 *   GET  vnflcm/api_versions, vnflcm/v2/api_versions
 *   GET, POST            vnflcm/v2/vnf_instances                         list (SOL013) / create 201
 *   GET, PATCH, DELETE   vnflcm/v2/vnf_instances/{id}                    ETag / merge patch 202 / 204
 *   POST                 vnflcm/v2/vnf_instances/{id}/instantiate|terminate   202 + Location
 *   POST                 vnflcm/v2/vnf_instances/{id}/scale|scale_to_level|heal|change_vnfpkg|
 *                        change_flavour|change_ext_conn                       202 + Location (day-2)
 *   GET                  vnflcm/v2/vnf_lcm_op_occs, …/{id}
 *   POST                 vnflcm/v2/vnf_lcm_op_occs/{id}/retry|rollback|cancel (202), fail (200)
 *   GET, POST, …/{id} GET, DELETE   vnflcm/v2/subscriptions           LCM subscriptions (subscriptions.ts)
 *   GET, POST, …/{id} GET, DELETE   vnffm/v1/subscriptions            FM subscriptions (subscriptions.ts)
 *
 * Every request is authenticated; reads need reader, deployer or admin, writes deployer or admin; a
 * record of another tenant does not exist (404). docs/dms.md explains every choice.
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AuthContext, Role } from '../../common/auth.ts';
import { rolesFor } from '../../common/authorization.ts';
import { seesCluster } from '../../common/tenancy.ts';
import { clusterScopedId, isUuid } from '../../o2/ids.ts';
import { applySelection, createMarkerCodec, matches, queryHash } from '../../o2/sol013/index.ts';
import type { MarkerCodec, SelectorSpec } from '../../o2/sol013/index.ts';
import { DMS_ERROR_CODES, DmsError } from '../../dms/errors.ts';
import {
  LifecycleService,
  VNF_INSTANCE_TASKS,
  type DeploymentManagerDirectory,
  type DmsPolicy,
  type LifecycleScope,
  type OccurrenceTask,
  type PackageCatalog,
  type VnfInstanceTask,
} from '../../dms/lifecycle/index.ts';
import type { GraphExecutor } from '../../router/executor.ts';
import { DMS_SERVICE_PATH } from '../../dms/api-roots.ts';
import type { StateStore } from '../../state/store.ts';
import { AlarmLedger } from '../../alarms/alarm-ledger.ts';
import { notAllowed, rejectLargeBodies, requireJsonAcceptable } from '../http-edges.ts';
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
import { graphLcmOperations, serviceLcmOperations } from './lcm-operations.ts';
import {
  FM_SUBSCRIPTIONS,
  createLcmSubscriptionsRouter,
  type LcmSubscriptionsOptions,
} from './subscriptions.ts';
import { createVnfFmRouter } from './vnffm.ts';
import { VNFLCM_VERSIONS, VNFPKGM_VERSIONS, requireVersion, vnfpkgmV2Version } from './version.ts';
import {
  VNF_INSTANCE_SELECTORS,
  VNF_LCM_OP_OCC_SELECTORS,
  occurrenceHref,
  instanceHref,
  toVnfInstance,
  toVnfLcmOpOcc,
} from './views.ts';

export { DMS_SERVICE_PATH };

export interface DmsRouterOptions {
  readonly store: StateStore;
  /** The VNF package repository (the contract's PackageRepository satisfies this). */
  readonly packages: PackageCatalog;
  /** Establishes the auth context of a request; throws AuthError (401/403) to refuse it. */
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  /** Ids of the registered clusters (the shard registry): deploymentManagerIds are derived from them. */
  readonly clusters: () => readonly string[];
  /** Quota and placement rules of the lifecycle service built here (ignored when `lifecycle` is given). */
  readonly policy?: DmsPolicy;
  /** The lifecycle service to share (e.g. with the graph); built from store, packages and clusters when absent. */
  readonly lifecycle?: LifecycleService;
  /**
   * The in-process graph executor (router/executor.ts): the routes then run the hub's DMS queries and mutations,
   * as the IMS routes do. Without it (unit tests of this layer) they run the same tasks on the lifecycle service.
   */
  readonly executor?: GraphExecutor;
  /** SOL005 package management, mounted at `<apiRoot>/vnfpkgm/v1` (paths relative to it). */
  readonly vnfpkgm?: Router;
  /** LCM subscriptions (`vnflcm/v2/subscriptions`, rest-facade/dms/subscriptions.ts); not served when absent. */
  readonly subscriptions?: Pick<LcmSubscriptionsOptions, 'callbacks' | 'probeTimeoutMs' | 'resolve'>;
  readonly logger?: Logger;
  /** The gateway's public base URL for Location and `_links`; the request's own origin when undefined. */
  readonly publicUrl?: () => string | undefined;
  /** Items per page of the lists; 100 by default. */
  readonly pageSize?: number;
  /** HMAC key of paging markers (≥ 32 bytes), shared by every replica; random per process when absent. */
  readonly markerSecret?: string | undefined;
  readonly markerTtlMs?: number;
  /** Clock of marker expiry (tests). */
  readonly now?: () => number;
}

/** The role table's lists (common/authorization.ts). */
const READ_ROLES = rolesFor('dms:read');
const WRITE_ROLES = rolesFor('dms:write');
const MAX_BODY = '64kb';
const MERGE_PATCH = 'application/merge-patch+json';

/** The deploymentManagerId of a cluster, as the cluster subgraph publishes it (subgraphs/cluster/mapping.ts). */
export function deploymentManagerIdOf(clusterId: string): string {
  return clusterScopedId(clusterId, 'deploymentManager', 'deploymentManager');
}

export function deploymentManagerDirectory(clusters: () => readonly string[]): DeploymentManagerDirectory {
  return {
    clusterOf: (id) => clusters().find((clusterId) => deploymentManagerIdOf(clusterId) === id.toLowerCase()),
    deploymentManagerOf: deploymentManagerIdOf,
  };
}

interface ApiRootContext {
  /** Absolute URL of the apiRoot the request came in on, e.g. http://gw/o2dms/<dmId>. */
  readonly url: string;
  readonly scope: LifecycleScope;
}

const contexts = new WeakMap<Request, ApiRootContext>();

function contextOf(req: Request): ApiRootContext {
  const context = contexts.get(req);
  if (context === undefined) throw new Error('DMS route reached without an apiRoot context');
  return context;
}

function requireRole(auth: AuthContext, roles: readonly Role[], action: string): void {
  if (!auth.roles.some((role) => roles.includes(role)))
    throw new ProblemError(403, `${action} needs one of the roles ${roles.join(', ')}`);
}

function idParam(req: Request, name: string): string {
  const value = String(req.params[name]);
  // Ids are UUIDs: anything else names nothing (the value is not quoted back).
  if (!isUuid(value)) throw new ProblemError(404, `No resource has that ${name}.`);
  return value.toLowerCase();
}

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** The JSON body of a request with the given media type: 415 for another type, 400 for bad JSON. */
function jsonBody(req: Request, types: readonly string[], required: boolean): unknown {
  if (!hasBody(req)) {
    if (required) throw new ProblemError(400, 'This request needs a JSON body.');
    return undefined;
  }
  if (!types.includes(mediaType(req)))
    throw new ProblemError(415, `The request body must be ${types.join(' or ')}.`);
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (raw.length === 0) {
    if (required) throw new ProblemError(400, 'This request needs a JSON body.');
    return undefined;
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new ProblemError(400, 'The request body is not valid JSON.');
  }
}

function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version named by If-Match (a list is accepted; `*` matches any); 412 when none can match. */
function ifMatchVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  const tags = header.split(',').map((t) => t.trim());
  if (tags.includes('*')) return undefined;
  const versions = tags.map((t) => /^"(\d{1,15})"$/.exec(t)?.[1]).filter((v) => v !== undefined);
  if (versions.length !== 1)
    throw new ProblemError(412, 'If-Match must carry the one ETag of a GET of this VNF instance.');
  return Number(versions[0]);
}

export function createDmsRouter(options: DmsRouterOptions): Router {
  const logger = options.logger ?? pino({ level: 'silent' });
  const directory = deploymentManagerDirectory(options.clusters);
  const service =
    options.lifecycle ??
    new LifecycleService({
      store: options.store,
      packages: options.packages,
      deploymentManagers: directory,
      ...(options.policy === undefined ? {} : { policy: options.policy }),
    });
  const lcm =
    options.executor === undefined ? serviceLcmOperations(service) : graphLcmOperations(options.executor);
  const pageSize = options.pageSize ?? 100;
  const markers: MarkerCodec = createMarkerCodec(
    options.markerSecret ?? randomBytes(32),
    options.now === undefined ? {} : { now: options.now },
  );
  const markerTtlMs = options.markerTtlMs ?? 3_600_000;
  const clock = options.now ?? Date.now;
  const raw = express.raw({ type: () => true, limit: MAX_BODY });

  const origin = (req: Request): string =>
    options.publicUrl?.() ?? `${req.protocol}://${req.get('host') ?? ''}`;

  const authenticate: RequestHandler = async (req, res, next) => {
    res.set(REQUEST_ID_HEADER, requestIdOf(req));
    const auth = await options.authenticate(req);
    bindAuth(req, auth);
    res.set(REQUEST_ID_HEADER, auth.requestId);
    next();
  };

  // vnflcm answers JSON only; vnfpkgm negotiates its own types (a VNFD as text/plain or zip, the package
  // content as zip), so this check comes after the package router is mounted.
  const jsonAcceptable: RequestHandler = (req, _res, next) => {
    requireJsonAcceptable(req);
    next();
  };

  /** Binds the apiRoot (global or one cluster's) to the request; 404 for an unknown deployment manager. */
  const apiRootOf =
    (kind: 'global' | 'cluster'): RequestHandler =>
    (req, _res, next) => {
      const { tenant: scope } = authOf(req);
      // The caller's clusters and namespaces travel with the DMS scope (common/tenancy.ts).
      const tenant = {
        tenant: scope.name,
        ...(scope.clusters === undefined ? {} : { clusters: scope.clusters }),
        ...(scope.namespaces === undefined ? {} : { namespaces: scope.namespaces }),
      };
      if (kind === 'global') {
        contexts.set(req, { url: `${origin(req)}${DMS_SERVICE_PATH}`, scope: tenant });
      } else {
        const dmId = String(req.params['deploymentManagerId']).toLowerCase();
        const clusterId = directory.clusterOf(dmId);
        // Another tenant's deployment manager does not exist for this caller (404, no existence leak).
        if (clusterId === undefined || !seesCluster(scope, clusterId))
          throw new ProblemError(404, 'No deployment manager of this O-Cloud has that id.');
        contexts.set(req, {
          url: `${origin(req)}${DMS_SERVICE_PATH}/${dmId}`,
          scope: { ...tenant, clusterId },
        });
      }
      next();
    };

  // ---- api_versions -------------------------------------------------------------------------------

  const apiVersions =
    (suffix: string, versions: readonly string[] = VNFLCM_VERSIONS): RequestHandler =>
    (req, res) => {
      requireRole(authOf(req), rolesFor('api:discover'), 'reading the API versions');
      const { url } = contextOf(req);
      const prefix = new URL(url).pathname;
      res.json({
        uriPrefix: `${prefix}${suffix}`,
        apiVersions: versions.map((version) => ({ version })),
      });
    };

  // ---- lists ----------------------------------------------------------------------------------------

  function sendPage<T extends { id: string }>(
    req: Request,
    res: Response,
    records: readonly T[],
    spec: SelectorSpec,
    view: (record: T) => Record<string, unknown>,
    name: string,
  ): void {
    const query = queryOf(req);
    const selection = selectionOf(query, spec);
    const filter = filterOf(query, spec);
    const hash = queryHash([
      name,
      contextOf(req).url,
      JSON.stringify(filter ?? null),
      JSON.stringify(selection),
    ]);
    const marker = singleParameter(query, MARKER_PARAMETER);
    const start: PageStart =
      marker === undefined
        ? { kind: 'first' }
        : { kind: 'after', after: sol013(() => markers.verify(marker, hash)).after };
    const items = records.map((record) => ({ id: record.id, body: view(record) }));
    const matching = items.filter((item) => filter === undefined || matches(filter, item.body));
    const page = cutPage(matching, (item) => item.id, start, pageSize);
    if (page.nextAfter !== undefined) {
      const path = `${origin(req)}${req.originalUrl.split('?', 1)[0]!}`;
      const next = markers.encode({ v: 1, after: page.nextAfter, q: hash, exp: clock() + markerTtlMs });
      res.set('Link', nextPageLink(path, query, next));
    }
    res.json(page.items.map((item) => applySelection(selection, item.body)));
  }

  // ---- vnf_instances --------------------------------------------------------------------------------

  const listInstances: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, READ_ROLES, 'reading VNF instances');
    const { scope, url } = contextOf(req);
    const records = await lcm.listInstances(auth, scope);
    sendPage(req, res, records, VNF_INSTANCE_SELECTORS, (r) => toVnfInstance(r, url), 'vnf_instances');
  };

  const createInstance: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, WRITE_ROLES, 'creating a VNF instance');
    const body = jsonBody(req, ['application/json'], true);
    const { scope, url } = contextOf(req);
    const instance = await lcm.createInstance(auth, scope, body);
    logger.info(
      { requestId: auth.requestId, vnfInstanceId: instance.id, principal: auth.principal },
      'VNF instance created',
    );
    res.status(201).location(instanceHref(url, instance.id)).json(toVnfInstance(instance, url));
  };

  const readInstance: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, READ_ROLES, 'reading a VNF instance');
    const { scope, url } = contextOf(req);
    const { instance, version } = await lcm.getInstance(auth, scope, idParam(req, 'vnfInstanceId'));
    res.set('ETag', etagOf(version));
    res.json(toVnfInstance(instance, url));
  };

  const modifyInstance: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, WRITE_ROLES, 'modifying a VNF instance');
    const { scope, url } = contextOf(req);
    const id = idParam(req, 'vnfInstanceId');
    // application/json too: OpenStack's tackerclient sends its PATCH so; the body is a merge patch either way.
    const body = jsonBody(req, [MERGE_PATCH, 'application/json'], true);
    const occurrenceId = await lcm.modifyInstance(auth, scope, id, body, ifMatchVersion(req));
    res.status(202).location(occurrenceHref(url, occurrenceId)).end();
  };

  const deleteInstance: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, WRITE_ROLES, 'deleting a VNF instance');
    const id = idParam(req, 'vnfInstanceId');
    await lcm.deleteInstance(auth, contextOf(req).scope, id);
    logger.info({ requestId: auth.requestId, vnfInstanceId: id }, 'VNF instance deleted');
    res.status(204).end();
  };

  /** What a refused caller is told it tried (the 403 detail). */
  const TASK_ACTIONS: { readonly [K in VnfInstanceTask]: string } = {
    instantiate: 'instantiating a VNF instance',
    terminate: 'terminating a VNF instance',
    scale: 'scale of a VNF instance',
    scale_to_level: 'scale to level of a VNF instance',
    heal: 'heal of a VNF instance',
    change_vnfpkg: 'change of the VNF package of a VNF instance',
    change_flavour: 'change of the flavour of a VNF instance',
    change_ext_conn: 'change of the external connectivity of a VNF instance',
  };

  /** A task on an instance: the body goes to the task; 202 + Location of the new occurrence. */
  const instanceTask =
    (task: VnfInstanceTask): RequestHandler =>
    async (req, res) => {
      const auth = authOf(req);
      requireRole(auth, WRITE_ROLES, TASK_ACTIONS[task]);
      const { scope, url } = contextOf(req);
      const id = idParam(req, 'vnfInstanceId');
      const body = jsonBody(req, ['application/json'], VNF_INSTANCE_TASKS[task].bodyRequired);
      const occurrenceId = await lcm.instanceTask(auth, scope, task, id, body);
      res.status(202).location(occurrenceHref(url, occurrenceId)).end();
    };

  // ---- vnf_lcm_op_occs ------------------------------------------------------------------------------

  const listOccurrences: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, READ_ROLES, 'reading VNF LCM operation occurrences');
    const { scope, url } = contextOf(req);
    const records = await lcm.listOccurrences(auth, scope);
    sendPage(req, res, records, VNF_LCM_OP_OCC_SELECTORS, (r) => toVnfLcmOpOcc(r, url), 'vnf_lcm_op_occs');
  };

  const readOccurrence: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requireRole(auth, READ_ROLES, 'reading a VNF LCM operation occurrence');
    const { scope, url } = contextOf(req);
    const occurrence = await lcm.getOccurrence(auth, scope, idParam(req, 'vnfLcmOpOccId'));
    res.json(toVnfLcmOpOcc(occurrence, url));
  };

  /** retry, rollback, cancel: 202 + Location; fail: 200 + the occurrence. Only cancel reads its body. */
  const occurrenceTask =
    (task: OccurrenceTask): RequestHandler =>
    async (req, res) => {
      const auth = authOf(req);
      requireRole(auth, WRITE_ROLES, `${task} of a VNF LCM operation occurrence`);
      const body = jsonBody(req, ['application/json'], false);
      const { scope, url } = contextOf(req);
      const id = idParam(req, 'vnfLcmOpOccId');
      const occurrence = await lcm.occurrenceTask(
        auth,
        scope,
        task,
        id,
        task === 'cancel' ? body : undefined,
      );
      if (task === 'fail') {
        res.status(200).json(toVnfLcmOpOcc(occurrence, url));
        return;
      }
      res.status(202).location(occurrenceHref(url, id)).end();
    };

  // ---- routing --------------------------------------------------------------------------------------

  const v2 = express.Router({ caseSensitive: true });
  v2.route('/api_versions').get(apiVersions('/vnflcm/v2')).all(notAllowed('GET, HEAD'));
  v2.use(requireVersion);
  if (options.subscriptions !== undefined)
    v2.use(
      '/subscriptions',
      // LCM subscriptions over REST call the notifier's storage directly, as FM subscriptions do (one router
      // for both kinds); the graph's subscription mutations use lcm-subscription-service.ts.
      createLcmSubscriptionsRouter({
        ...options.subscriptions,
        store: options.store,
        logger,
        apiRootOf: contextOf,
      }),
    );
  v2.route('/vnf_instances').get(listInstances).post(raw, createInstance).all(notAllowed('GET, HEAD, POST'));
  v2.route('/vnf_instances/:vnfInstanceId')
    .get(readInstance)
    .patch(raw, modifyInstance)
    .delete(deleteInstance)
    .all(notAllowed('GET, HEAD, PATCH, DELETE'));
  for (const task of Object.keys(VNF_INSTANCE_TASKS) as VnfInstanceTask[]) {
    v2.route(`/vnf_instances/:vnfInstanceId/${task}`).post(raw, instanceTask(task)).all(notAllowed('POST'));
  }
  v2.route('/vnf_lcm_op_occs').get(listOccurrences).all(notAllowed('GET, HEAD'));
  v2.route('/vnf_lcm_op_occs/:vnfLcmOpOccId').get(readOccurrence).all(notAllowed('GET, HEAD'));
  for (const task of ['retry', 'rollback', 'fail', 'cancel'] as const) {
    v2.route(`/vnf_lcm_op_occs/:vnfLcmOpOccId/${task}`)
      .post(raw, occurrenceTask(task))
      .all(notAllowed('POST'));
  }

  // NF deployment alarms of the O2 alarm ledger as SOL003 alarms (dms/notifications/nf-alarms.ts).
  const vnffm = createVnfFmRouter({
    alarms: new AlarmLedger(options.store),
    apiRootOf: contextOf,
    ...(options.subscriptions === undefined
      ? {}
      : {
          subscriptions: createLcmSubscriptionsRouter(
            { ...options.subscriptions, store: options.store, logger, apiRootOf: contextOf },
            FM_SUBSCRIPTIONS,
          ),
        }),
  });

  const apiRoot = (kind: 'global' | 'cluster'): Router => {
    const root = express.Router({ caseSensitive: true, mergeParams: true });
    root.use(authenticate, apiRootOf(kind));
    // Package uploads are large: the package router enforces its own limit (package.maxContentBytes),
    // so the JSON body limit of vnflcm applies after it. v1 is Tacker's path (tackerclient), v2 SOL005
    // V3.7.1's apiMajorVersion: the same router, whose links follow the path it was reached on.
    if (options.vnfpkgm !== undefined) {
      for (const [path, suffix] of [
        ['/vnfpkgm/api_versions', '/vnfpkgm'],
        ['/vnfpkgm/v2/api_versions', '/vnfpkgm/v2'],
      ] as const)
        root
          .route(path)
          .get(jsonAcceptable, vnfpkgmV2Version, apiVersions(suffix, VNFPKGM_VERSIONS))
          .all(notAllowed('GET, HEAD'));
      root.use('/vnfpkgm/v1', options.vnfpkgm);
      root.use('/vnfpkgm/v2', vnfpkgmV2Version, options.vnfpkgm);
    }
    root.use(jsonAcceptable, rejectLargeBodies);
    root.route('/vnflcm/api_versions').get(apiVersions('/vnflcm')).all(notAllowed('GET, HEAD'));
    root.use('/vnflcm/v2', v2);
    root.use('/vnffm/v1', vnffm);
    root.use((_req, res) => sendProblem(res, 404, 'No resource of the O2 DMS API exists at this path.'));
    return root;
  };

  const toProblem = (err: unknown): unknown =>
    err instanceof DmsError ? new ProblemError(DMS_ERROR_CODES[err.code], err.detail) : err;

  const perCluster = apiRoot('cluster');
  const global = apiRoot('global');
  const router = express.Router({ caseSensitive: true });
  router.use(`${DMS_SERVICE_PATH}/:deploymentManagerId`, (req, res, next) => {
    // Only a UUID segment is a deployment manager; `vnflcm`, `vnfpkgm` belong to the global apiRoot.
    if (!isUuid(String(req.params['deploymentManagerId']))) {
      next();
      return;
    }
    perCluster(req, res, next);
  });
  router.use(DMS_SERVICE_PATH, global);
  router.use(DMS_SERVICE_PATH, ((err, req, res, next) => {
    problemErrorHandler(logger)(toProblem(err), req, res, next);
  }) as express.ErrorRequestHandler);
  return router;
}

export { VNFLCM_VERSIONS, VNFLCM_NEWEST, acceptedVersion } from './version.ts';
