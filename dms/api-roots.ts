/**
 * Where the O2 DMS ETSI NFV profile is served, declared once for the REST facade (which serves it) and the
 * cluster subgraph (whose O2 IMS DeploymentManager advertises its cluster's apiRoot; docs/dms.md "apiRoots").
 */

/** The global apiRoot; `/o2dms/{deploymentManagerId}` is one cluster's. */
export const DMS_SERVICE_PATH = '/o2dms';

/** Tacker's v2 (SOL003 V3.3.1) and the O2dms ETSI NFV profile's (SOL003 V5.x) vnflcm versions. */
export const VNFLCM_VERSIONS = ['2.0.0', '2.14.0'] as const;
export const VNFLCM_NEWEST = '2.14.0';

/** What a DeploymentManager advertises under `extensions.dms`: its cluster's apiRoot and the APIs below it. */
export interface DmsApiRootInfo {
  readonly profileName: 'etsi_nfv';
  /** The cluster's apiRoot path, relative to the O-Cloud's serviceUri (the gateway's public URL). */
  readonly apiRoot: string;
  readonly apis: readonly {
    readonly apiName: 'vnflcm' | 'vnfpkgm';
    readonly uriPrefix: string;
    readonly apiVersions: readonly string[];
  }[];
}

export function dmsApiRootOf(deploymentManagerId: string): DmsApiRootInfo {
  const apiRoot = `${DMS_SERVICE_PATH}/${deploymentManagerId}`;
  return {
    profileName: 'etsi_nfv',
    apiRoot,
    apis: [
      { apiName: 'vnflcm', uriPrefix: `${apiRoot}/vnflcm/v2`, apiVersions: [...VNFLCM_VERSIONS] },
      // SOL005 VNF package management v1 (Tacker's), which answers without a Version header.
      { apiName: 'vnfpkgm', uriPrefix: `${apiRoot}/vnfpkgm/v1`, apiVersions: ['1.0.0'] },
    ],
  };
}
