/**
 * API version information of the infrastructure inventory service (O2 IMS "api_versions" resources).
 *
 * The service-level resource lists every major version served — /v2 (O2IMS v11 model) and, unless disabled,
 * the v4-compatible /v1 — under the service root; the version-level one lists the versions of its major.
 */
import { INVENTORY_SERVICE_PATH } from '../o2/service-paths.ts';

export { INVENTORY_SERVICE_PATH };

export interface ApiVersions {
  readonly uriPrefix: string;
  readonly apiVersions: readonly { readonly version: string }[];
}

export const INVENTORY_V2_VERSIONS: ApiVersions = {
  uriPrefix: `${INVENTORY_SERVICE_PATH}/v2`,
  apiVersions: [{ version: '2.0.0' }],
};

export const INVENTORY_V1_VERSIONS: ApiVersions = {
  uriPrefix: `${INVENTORY_SERVICE_PATH}/v1`,
  apiVersions: [{ version: '1.0.0' }],
};

/** The service-level answer for the majors served (lowest first). */
export function serviceVersions(majors: readonly ApiVersions[]): ApiVersions {
  return {
    uriPrefix: INVENTORY_SERVICE_PATH,
    apiVersions: majors
      .flatMap((major) => major.apiVersions)
      .sort((a, b) => a.version.localeCompare(b.version)),
  };
}
