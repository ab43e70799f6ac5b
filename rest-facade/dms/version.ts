/**
 * The SOL013 `Version` header of vnflcm v2 (Tacker's rules): required on every request except the
 * api_versions resources; missing or malformed → 400; a major other than 2 or a minor above the newest
 * served → 406. The version the request named is echoed on the response (errors carry the newest).
 *
 * vnfpkgm (docs/dms.md "NF packages") requires no `Version` (tackerclient sends none); its v2 path answers
 * with the SOL005 V3.7.1 version it implements.
 */
import type { RequestHandler } from 'express';
import { ProblemError } from '../problem.ts';

import { VNFLCM_NEWEST, VNFLCM_VERSIONS } from '../../dms/api-roots.ts';

export { VNFLCM_NEWEST, VNFLCM_VERSIONS };
const MAJOR = 2;
const MAX_MINOR = 14;

const VERSION = /^(\d{1,4})\.(\d{1,4})\.(\d{1,4})(?:-impl:.{1,200})?$/;

/** The version a request may use, normalised without `-impl:`; throws 400/406 ProblemErrors. */
export function acceptedVersion(header: string | undefined): string {
  if (header === undefined || header.trim() === '')
    throw new ProblemError(400, "The 'Version' HTTP header is missing; send e.g. Version: 2.14.0.");
  const match = VERSION.exec(header.trim());
  if (match === null)
    throw new ProblemError(
      400,
      "The 'Version' HTTP header must be MAJOR.MINOR.PATCH (optionally -impl:...).",
    );
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major !== MAJOR || minor > MAX_MINOR) {
    throw new ProblemError(
      406,
      `API version ${major}.${minor}.${patch} is not supported; this API serves ${VNFLCM_VERSIONS.join(' and ')} (any 2.x.y with x ≤ ${MAX_MINOR}).`,
    );
  }
  return `${major}.${minor}.${patch}`;
}

/** Checks the header and echoes it; on refusal the response names the newest version. */
export const requireVersion: RequestHandler = (req, res, next) => {
  res.set('Version', VNFLCM_NEWEST);
  const version = acceptedVersion(req.get('version'));
  res.set('Version', version);
  next();
};

/** SOL005 V3.7.1's VNF package management API version, served under `vnfpkgm/v2` (and, as Tacker's, `vnfpkgm/v1`). */
export const VNFPKGM_VERSIONS = ['2.4.0'] as const;

/** Responses under `vnfpkgm/v2` name the version they follow; a request's `Version`, if any, is not checked. */
export const vnfpkgmV2Version: RequestHandler = (_req, res, next) => {
  res.set('Version', VNFPKGM_VERSIONS[0]);
  next();
};
