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
 */
import express from 'express';
import type { ErrorRequestHandler, Request, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AuthContext } from '../../common/auth.ts';
import { requirePermission, sameTenant } from '../../common/authorization.ts';
import { isUuid } from '../../o2/ids.ts';
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
import { zipFiles } from '../../dms/packages/index.ts';
import type { PackageModifications, PackageRepository } from '../../dms/packages/index.ts';
import { notAllowed, requireJsonAcceptable } from '../http-edges.ts';
import { MERGE_PATCH, jsonObjectBody } from '../monitoring/request-bodies.ts';
import { ProblemError, REQUEST_ID_HEADER, problemErrorHandler, sendProblem, titleOf } from '../problem.ts';
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

export function toVnfPkgInfo(record: PackageRecord, packagesUrl: string): Record<string, unknown> {
  const self = `${packagesUrl}/${record.id}`;
  const descriptor = record.descriptor;
  return {
    id: record.id,
    ...(descriptor === undefined
      ? {}
      : {
          vnfdId: descriptor.vnfdId,
          vnfProvider: descriptor.vnfProvider,
          vnfProductName: descriptor.vnfProductName,
          vnfSoftwareVersion: descriptor.vnfSoftwareVersion,
          vnfdVersion: descriptor.vnfdVersion,
        }),
    ...(record.checksum === undefined ? {} : { checksum: record.checksum }),
    // Container images are not SOL001 software images; an on-boarded package lists none.
    ...(record.onboardingState === 'ONBOARDED' ? { softwareImages: [] } : {}),
    ...(record.additionalArtifacts === undefined || record.additionalArtifacts.length === 0
      ? {}
      : {
          additionalArtifacts: record.additionalArtifacts.map((artifact) => ({
            artifactPath: artifact.artifactPath,
            checksum: artifact.checksum,
            isEncrypted: false,
          })),
        }),
    onboardingState: record.onboardingState,
    operationalState: record.operationalState,
    usageState: record.usageState,
    userDefinedData: record.userDefinedData,
    ...(record.onboardingFailureDetails === undefined
      ? {}
      : { onboardingFailureDetails: record.onboardingFailureDetails }),
    _links: {
      self: { href: self },
      vnfd: { href: `${self}/vnfd` },
      packageContent: { href: `${self}/package_content` },
    },
  };
}

// ---- request helpers --------------------------------------------------------------------------------------

function visibleTo(auth: AuthContext, record: PackageRecord): boolean {
  return sameTenant(auth, record.tenant);
}

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

function parseCreateBody(req: Request): Record<string, unknown> {
  const raw = rawBody(req);
  // An empty body is an empty CreateVnfPkgInfoRequest (all its attributes are optional).
  if (raw.length === 0) return {};
  const body = jsonObjectBody(req.get('content-type'), raw, ['application/json']);
  const unknown = Object.keys(body).filter((name) => name !== 'userDefinedData');
  if (unknown.length > 0) throw new ProblemError(400, 'a CreateVnfPkgInfoRequest holds userDefinedData only');
  const data = body['userDefinedData'];
  if (data === undefined) return {};
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ProblemError(400, 'userDefinedData must be a JSON object');
  return data as Record<string, unknown>;
}

function parseModifications(req: Request): PackageModifications {
  const body = jsonObjectBody(req.get('content-type'), rawBody(req), [MERGE_PATCH, 'application/json']);
  const unknown = Object.keys(body).filter(
    (name) => name !== 'operationalState' && name !== 'userDefinedData',
  );
  if (unknown.length > 0)
    throw new ProblemError(400, 'VnfPkgInfoModifications holds operationalState and userDefinedData only');
  const state = body['operationalState'];
  const data = body['userDefinedData'];
  if (state === undefined && data === undefined)
    throw new ProblemError(400, 'VnfPkgInfoModifications needs operationalState or userDefinedData');
  if (state !== undefined && state !== 'ENABLED' && state !== 'DISABLED')
    throw new ProblemError(400, 'operationalState must be ENABLED or DISABLED');
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data)))
    throw new ProblemError(400, 'userDefinedData must be a JSON object');
  return {
    ...(state === undefined ? {} : { operationalState: state }),
    ...(data === undefined ? {} : { userDefinedData: data as Record<string, unknown> }),
  };
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
  const visiblePackage = async (req: Request): Promise<PackageRecord> => {
    const id = String(req.params['vnfPkgId']);
    // Package ids are UUIDs; anything else is unknown, and not quoted back.
    if (!isUuid(id)) throw new ProblemError(404, 'No VNF package exists with this id.');
    const record = await packages.get(id);
    if (record === undefined || !visibleTo(authOf(req), record))
      throw new ProblemError(404, `VNF package ${id} was not found.`);
    return record;
  };

  const requireOnboarded = (record: PackageRecord): void => {
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
    const items = (await packages.list())
      .filter((record) => visibleTo(auth, record))
      .map((record) => toVnfPkgInfo(record, base))
      .filter((item) => filter === undefined || matches(filter, item))
      .map((item) => applySelection(selection, item));
    res.json(items);
  };

  const createPackage: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    requirePermission(auth, 'dms:write', 'creating a VNF package');
    requireJsonAcceptable(req);
    const userDefinedData = parseCreateBody(req);
    const tenant = auth.tenant.name === '*' ? undefined : auth.tenant.name;
    const record = await packages.create(tenant, userDefinedData);
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
    const modifications = parseModifications(req);
    const record = await visiblePackage(req);
    await packages.modify(record.id, modifications);
    logger.info(
      {
        requestId: auth.requestId,
        vnfPkgId: record.id,
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
    const record = await visiblePackage(req);
    await packages.delete(record.id);
    logger.info(
      { requestId: auth.requestId, vnfPkgId: record.id, principal: auth.principal },
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
      const detail = `the package is larger than ${maxUploadBytes} bytes`;
      packages.rejectContent(record.id, { status: 413, title: titleOf(413), detail }).then(
        () => next(new ProblemError(413, `${detail}; the package is now in ERROR.`)),
        (cause: unknown) => next(cause),
      );
    });
  };

  const uploadContent: RequestHandler = async (req, res) => {
    const auth = authOf(req);
    const id = String(req.params['vnfPkgId']);
    const content = rawBody(req);
    if (content.length === 0) throw new ProblemError(400, 'the request carries no package content');
    const record = await packages.uploadContent(id, content);
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
    const record = await visiblePackage(req);
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
    const record = await visiblePackage(req);
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
