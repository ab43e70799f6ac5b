/**
 * SOL005 VNF package management `vnfpkgm/v1` as Tacker serves it (docs/dms.md), an express router whose paths
 * are relative to `<apiRoot>/vnfpkgm/v1` (rest-facade/dms/index.ts mounts it):
 *
 *   GET    /vnf_packages                      SOL013 filter and attribute selectors (no paging: packages are few)
 *   POST   /vnf_packages                      201 + Location, VnfPkgInfo
 *   GET    /vnf_packages/{id}
 *   PATCH  /vnf_packages/{id}                 operationalState and/or userDefinedData (merge); 200 + VnfPkgInfoModifications
 *   DELETE /vnf_packages/{id}                 204; 409 while ENABLED or IN_USE
 *   PUT    /vnf_packages/{id}/package_content raw zip (or bare chart .tgz); 202 once processed (ONBOARDED or ERROR)
 *   GET    /vnf_packages/{id}/package_content the uploaded bytes (one Range: 206); 409 unless ONBOARDED
 *   GET    /vnf_packages/{id}/vnfd            text/plain (one-file VNFD, if Accept allows) or a zip; 409 unless ONBOARDED
 *
 * No `Version` header is required (Tacker's vnfpkgm v1 and SOL003 clients send none). Reads need the
 * permission `dms:read`, writes `dms:write` (the role table, common/authorization.ts). Every package belongs to the tenant that created it;
 * other tenants get 404, as for an unknown id, so existence never leaks.
 *
 * In the gateway the JSON routes run the hub's package queries and mutations (docs/dms.md "GraphQL"); the
 * content upload streams its bytes into the same domain call as the `uploadVnfPackageContent` mutation
 * (dms/packages/tasks.ts), and the content and VNFD downloads read the repository after the same tenant check.
 */
import express from 'express';
import type { ErrorRequestHandler, Request, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AuthContext } from '../../common/auth.ts';
import { requirePermission } from '../../common/authorization.ts';
import {
  applySelection,
  compileFilter,
  matches,
  parseFilter,
  parseSelectors,
} from '../../o2/sol013/index.ts';
import type { AttributeSchema, CompiledFilter, Selection, SelectorSpec } from '../../o2/sol013/index.ts';
import type { PackageRecord } from '../../dms/descriptor.ts';
import { DMS_ERROR_CODES, DmsError } from '../../dms/errors.ts';
import { PackageTasks, zipFiles } from '../../dms/packages/index.ts';
import type { PackageInfo, PackageRepository } from '../../dms/packages/index.ts';
import type { GraphExecutor } from '../../router/executor.ts';
import { graphPackageOperations, servicePackageOperations } from './package-operations.ts';
import { notAllowed, requireJsonAcceptable } from '../http-edges.ts';
import { MERGE_PATCH, jsonObjectBody } from '../monitoring/request-bodies.ts';
import { ProblemError, REQUEST_ID_HEADER, problemErrorHandler, sendProblem } from '../problem.ts';
import {
  FILTER_PARAMETER,
  queryOf,
  selectorParameters,
  singleParameter,
  sol013,
} from '../query/query-params.ts';
import { authOf, bindAuth, requestIdOf } from '../request-context.ts';

export interface VnfPkgmRouterOptions {
  readonly packages: PackageRepository;
  /** Establishes the auth context of a request; throws AuthError (401/403) to refuse it. */
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly logger?: Logger;
  /** The gateway's public base URL (scheme://host[:port]) for links; from the request when undefined. */
  readonly publicUrl?: () => string | undefined;
  /** Largest accepted upload; the repository's maxContentBytes when absent. */
  readonly maxUploadBytes?: number;
  /**
   * The in-process graph executor (router/executor.ts): the JSON routes then run the hub's package queries and
   * mutations (rest-facade/dms/package-operations.ts); without it they run the domain tasks directly.
   */
  readonly executor?: GraphExecutor;
}

const MAX_JSON_BODY = '64kb';
/** Media types of a package upload: a CSAR zip, or a bare chart archive. */
export const PACKAGE_CONTENT_TYPES = [
  'application/zip',
  'application/octet-stream',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
] as const;

// ---- VnfPkgInfo -------------------------------------------------------------------------------------------

const LINK = { object: { href: 'string' } } as const;
const CHECKSUM = { object: { algorithm: 'string', hash: 'string' } } as const;

/** The VnfPkgInfo attributes as SOL013 filters and selectors see them. */
export const VNF_PKG_INFO_SCHEMA: AttributeSchema = {
  id: 'string',
  vnfdId: 'string',
  vnfProvider: 'string',
  vnfProductName: 'string',
  vnfSoftwareVersion: 'string',
  vnfdVersion: 'string',
  checksum: CHECKSUM,
  softwareImages: { array: 'object' },
  additionalArtifacts: { array: 'object' },
  onboardingState: 'string',
  operationalState: 'string',
  usageState: 'string',
  userDefinedData: 'object',
  onboardingFailureDetails: { object: { status: 'integer', title: 'string', detail: 'string' } },
  _links: { object: { self: LINK, vnfd: LINK, packageContent: LINK } },
};

/** SOL005 clause 9.4.2.3.2: the default exclude list of VnfPkgInfo. */
export const VNF_PKG_INFO_SELECTORS: SelectorSpec = {
  schema: VNF_PKG_INFO_SCHEMA,
  defaultExcluded: [
    ['softwareImages'],
    ['additionalArtifacts'],
    ['userDefinedData'],
    ['checksum'],
    ['onboardingFailureDetails'],
  ],
  mandatory: ['id', 'onboardingState', 'operationalState', 'usageState', '_links'],
};

export function toVnfPkgInfo(info: PackageInfo, packagesUrl: string): Record<string, unknown> {
  const self = `${packagesUrl}/${info.id}`;
  return {
    id: info.id,
    ...(info.vnfdId === undefined
      ? {}
      : {
          vnfdId: info.vnfdId,
          vnfProvider: info.vnfProvider,
          vnfProductName: info.vnfProductName,
          vnfSoftwareVersion: info.vnfSoftwareVersion,
          vnfdVersion: info.vnfdVersion,
        }),
    ...(info.checksum === undefined ? {} : { checksum: info.checksum }),
    // Container images are not SOL001 software images; an on-boarded package lists none.
    ...(info.onboardingState === 'ONBOARDED' ? { softwareImages: [] } : {}),
    ...(info.additionalArtifacts === undefined || info.additionalArtifacts.length === 0
      ? {}
      : {
          additionalArtifacts: info.additionalArtifacts.map((artifact) => ({
            artifactPath: artifact.artifactPath,
            checksum: artifact.checksum,
            isEncrypted: false,
          })),
        }),
    onboardingState: info.onboardingState,
    operationalState: info.operationalState,
    usageState: info.usageState,
    userDefinedData: info.userDefinedData,
    ...(info.onboardingFailureDetails === undefined
      ? {}
      : { onboardingFailureDetails: info.onboardingFailureDetails }),
    _links: {
      self: { href: self },
      vnfd: { href: `${self}/vnfd` },
      packageContent: { href: `${self}/package_content` },
    },
  };
}

// ---- request helpers --------------------------------------------------------------------------------------

function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

function mediaType(req: Request): string | undefined {
  return req.get('content-type')?.split(';', 1)[0]!.trim().toLowerCase();
}

function isAuthenticated(req: Request): boolean {
  try {
    authOf(req);
    return true;
  } catch {
    return false;
  }
}

/** The CreateVnfPkgInfoRequest body (the domain validates it); an empty body is an empty request. */
function createBody(req: Request): Record<string, unknown> | undefined {
  const raw = rawBody(req);
  return raw.length === 0 ? undefined : jsonObjectBody(req.get('content-type'), raw, ['application/json']);
}

function modificationsBody(req: Request): Record<string, unknown> {
  return jsonObjectBody(req.get('content-type'), rawBody(req), [MERGE_PATCH, 'application/json']);
}

/** SOL005 9.4.4.3.2: which form of the VNFD the Accept header allows. */
function vnfdForm(req: Request, singleFile: boolean): 'text' | 'zip' {
  const accept = req.get('accept');
  if (accept === undefined) return singleFile ? 'text' : 'zip';
  const text = req.accepts('text/plain') !== false;
  const zip = req.accepts('application/zip') !== false;
  if (singleFile && text) return 'text';
  if (zip) return 'zip';
  throw new ProblemError(
    406,
    text
      ? 'This VNFD consists of several files: accept application/zip.'
      : 'The VNFD is served as text/plain (one-file VNFDs) or application/zip.',
  );
}

// ---- the router -------------------------------------------------------------------------------------------

export function createVnfPkgmRouter(options: VnfPkgmRouterOptions): Router {
  const { packages } = options;
  const tasks = new PackageTasks(packages);
  const operations =
    options.executor === undefined
      ? servicePackageOperations(tasks)
      : graphPackageOperations(options.executor);
  const logger = options.logger ?? pino({ level: 'silent' });
  const maxUploadBytes = options.maxUploadBytes ?? packages.limits.maxContentBytes;
  const json = express.raw({ type: () => true, limit: MAX_JSON_BODY });

  const packagesUrl = (req: Request): string => {
    const origin = options.publicUrl?.() ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    return `${origin}${req.baseUrl}/vnf_packages`;
  };

  const authenticate: RequestHandler = async (req, res, next) => {
    // Mounted under the DMS apiRoot, the request was authenticated there already: not twice.
    if (isAuthenticated(req)) {
      next();
      return;
    }
    res.set(REQUEST_ID_HEADER, requestIdOf(req));
    const auth = await options.authenticate(req);
    bindAuth(req, auth);
    res.set(REQUEST_ID_HEADER, auth.requestId);
    next();
  };

  /** The package a caller may see, or 404 (unknown and foreign look the same). */
  const visiblePackage = (req: Request): Promise<PackageInfo> =>
    operations.get(authOf(req), String(req.params['vnfPkgId']));

  /** The stored package (content and VNFD are bytes, read from the repository), with the same 404s. */
  const storedPackage = (req: Request): Promise<PackageRecord> =>
    tasks.get(authOf(req).tenant.name, String(req.params['vnfPkgId']));

  const requireOnboarded = (record: Pick<PackageInfo, 'id' | 'onboardingState'>): void => {
    if (record.onboardingState !== 'ONBOARDED')
      throw new ProblemError(
        409,
        `VNF package ${record.id} is ${record.onboardingState}; this is available once it is ONBOARDED.`,
      );
  };

  const listPackages: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'dms:read', 'reading VNF packages');
    requireJsonAcceptable(req);
    const query = queryOf(req);
    const selection: Selection = sol013(() =>
      parseSelectors(selectorParameters(query), VNF_PKG_INFO_SELECTORS),
    );
    const filterText = singleParameter(query, FILTER_PARAMETER);
    const filter: CompiledFilter | undefined =
      filterText === undefined
        ? undefined
        : sol013(() => compileFilter(parseFilter(filterText), VNF_PKG_INFO_SCHEMA));
    const base = packagesUrl(req);
    const items = (await operations.list(auth))
      .map((info) => toVnfPkgInfo(info, base))
      .filter((item) => filter === undefined || matches(filter, item))
      .map((item) => applySelection(selection, item));
    res.json(items);
  };

  const createPackage: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'dms:write', 'creating a VNF package');
    requireJsonAcceptable(req);
    const record = await operations.create(auth, createBody(req));
    logger.info(
      { requestId: auth.requestId, vnfPkgId: record.id, principal: auth.principal },
      'VNF package created',
    );
    const info = toVnfPkgInfo(record, packagesUrl(req));
    res
      .status(201)
      .location(`${packagesUrl(req)}/${record.id}`)
      .json(info);
  };

  const readPackage: RequestHandler = async (req, res) => {
    requirePermission(authOf(req), 'dms:read', 'reading a VNF package');
    requireJsonAcceptable(req);
    res.json(toVnfPkgInfo(await visiblePackage(req), packagesUrl(req)));
  };

  const patchPackage: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'dms:write', 'modifying a VNF package');
    requireJsonAcceptable(req);
    const id = String(req.params['vnfPkgId']);
    const modifications = await operations.modify(auth, id, modificationsBody(req));
    logger.info(
      {
        requestId: auth.requestId,
        vnfPkgId: id,
        principal: auth.principal,
        // userDefinedData may hold anything a client chose: only its keys are logged.
        operationalState: modifications.operationalState,
        userDefinedDataKeys: Object.keys(modifications.userDefinedData ?? {}),
      },
      'VNF package modified',
    );
    res.json(modifications);
  };

  const deletePackage: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'dms:write', 'deleting a VNF package');
    const id = String(req.params['vnfPkgId']);
    await operations.delete(auth, id);
    logger.info(
      { requestId: auth.requestId, vnfPkgId: id, principal: auth.principal },
      'VNF package deleted',
    );
    res.status(204).end();
  };

  /** Reads the upload with the size limit; an oversized one puts the package in ERROR and answers 413. */
  const readUpload: RequestHandler = async (req, res, next) => {
    const auth = authOf(req);
    requirePermission(auth, 'dms:write', 'uploading VNF package content');
    const type = mediaType(req);
    if (type === undefined || !(PACKAGE_CONTENT_TYPES as readonly string[]).includes(type))
      throw new ProblemError(415, `package content must be one of: ${PACKAGE_CONTENT_TYPES.join(', ')}`);
    const record = await visiblePackage(req);
    if (record.onboardingState !== 'CREATED')
      throw new ProblemError(
        409,
        `VNF package ${record.id} is ${record.onboardingState}; content can be uploaded only while it is CREATED.`,
      );
    // The bytes stream into the domain upload (not through the graph: they are not JSON).
    express.raw({ type: () => true, limit: maxUploadBytes })(req, res, (error?: unknown) => {
      if (error === undefined || error === null) {
        next();
        return;
      }
      const status = (error as { status?: unknown }).status;
      if (status !== 413) {
        next(error);
        return;
      }
      tasks.refuseOversized(record.id, maxUploadBytes).catch((cause: unknown) => next(cause));
    });
  };

  const uploadContent: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    const id = String(req.params['vnfPkgId']);
    const record = await tasks.upload(auth.tenant.name, id, rawBody(req));
    logger.info(
      {
        requestId: auth.requestId,
        vnfPkgId: id,
        principal: auth.principal,
        onboardingState: record.onboardingState,
        ...(record.onboardingFailureDetails === undefined
          ? {}
          : { failure: record.onboardingFailureDetails.detail }),
      },
      'VNF package content uploaded',
    );
    // SOL005: 202 and no body; the outcome (ONBOARDED or ERROR) is on the package resource.
    res.status(202).end();
  };

  const readContent: RequestHandler = async (req, res) => {
    requirePermission(authOf(req), 'dms:read', 'reading VNF package content');
    const record = await storedPackage(req);
    requireOnboarded(record);
    const content = await packages.readContent(record.id);
    if (content === undefined) throw new ProblemError(409, `VNF package ${record.id} has no content.`);
    const type = record.descriptor?.kind === 'chart' ? 'application/gzip' : 'application/zip';
    res.set('Accept-Ranges', 'bytes');
    // SOL005 9.4.5.3.2: one byte range is served as 206; several ranges get the whole file (allowed).
    const ranges = req.headers.range === undefined ? undefined : req.range(content.length, { combine: true });
    if (ranges === -1) {
      res.set('Content-Range', `bytes */${content.length}`);
      throw new ProblemError(
        416,
        `The package content has ${content.length} bytes; the requested range is outside.`,
      );
    }
    if (Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1) {
      const { start, end } = ranges[0]!;
      res
        .status(206)
        .type(type)
        .set('Content-Range', `bytes ${start}-${end}/${content.length}`)
        .send(content.subarray(start, end + 1));
      return;
    }
    res.status(200).type(type).send(content);
  };

  const readVnfd: RequestHandler = async (req, res) => {
    requirePermission(authOf(req), 'dms:read', 'reading a VNFD');
    const record = await storedPackage(req);
    requireOnboarded(record);
    if (record.descriptor?.kind === 'chart')
      throw new ProblemError(404, `VNF package ${record.id} is a bare Helm chart; it has no VNFD.`);
    const vnfd = await packages.readVnfd(record.id);
    if (vnfd === undefined) throw new ProblemError(404, `VNF package ${record.id} has no VNFD.`);
    if (vnfdForm(req, vnfd.singleFile) === 'text') {
      res.status(200).type('text/plain').send(vnfd.files.get(vnfd.entryPath));
      return;
    }
    res
      .status(200)
      .type('application/zip')
      .send(await zipFiles(vnfd.files));
  };

  const domainErrors: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
    next(error instanceof DmsError ? new ProblemError(DMS_ERROR_CODES[error.code], error.detail) : error);
  };

  const router = express.Router({ caseSensitive: true });
  router.use(authenticate);
  router
    .route('/vnf_packages')
    .get(listPackages)
    .post(json, createPackage)
    .all(notAllowed('GET, HEAD, POST'));
  router
    .route('/vnf_packages/:vnfPkgId')
    .get(readPackage)
    .patch(json, patchPackage)
    .delete(deletePackage)
    .all(notAllowed('GET, HEAD, PATCH, DELETE'));
  router
    .route('/vnf_packages/:vnfPkgId/package_content')
    .get(readContent)
    .put(readUpload, uploadContent)
    .all(notAllowed('GET, HEAD, PUT'));
  router.route('/vnf_packages/:vnfPkgId/vnfd').get(readVnfd).all(notAllowed('GET, HEAD'));
  router.use((_req: Request, res: Response) =>
    sendProblem(res, 404, 'No resource of the VNF package management API exists at this path.'),
  );
  router.use(domainErrors, problemErrorHandler(logger));
  return router;
}
