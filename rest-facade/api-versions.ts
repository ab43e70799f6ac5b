/**
 * API version information of the infrastructure inventory service (O2 IMS "api_versions" resources).
 *
 * The service-level resource lists every major version served, the version-level one the versions of that
 * major version; with v2 the only major version (v1 follows), both answer the same.
 */
export const INVENTORY_SERVICE_PATH = '/o2ims-infrastructureInventory';

export interface ApiVersions {
  readonly uriPrefix: string;
  readonly apiVersions: readonly { readonly version: string }[];
}

export const INVENTORY_V2_VERSIONS: ApiVersions = {
  uriPrefix: `${INVENTORY_SERVICE_PATH}/v2`,
  apiVersions: [{ version: '2.0.0' }],
};
