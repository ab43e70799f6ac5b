/**
 * What the vnfpkgm routes do once HTTP is settled (role, media type,
 * body, path ids). In the gateway they run the hub's GraphQL queries and mutations through the in-process
 * executor (router/executor.ts), as lcm-operations.ts does for instances and occurrences, so REST and GraphQL are
 * one behaviour; without an executor (the REST layer's unit tests) the same domain tasks run directly.
 * Package content stays off the graph in both directions (bytes, not JSON): the PUT streams into the domain
 * upload and the GETs of content and VNFD read the repository, after the graph said the package is the
 * caller's.
 */
import { parse } from 'graphql';
import type { AuthContext } from '../../common/auth.ts';
import {
  packageInfoOf,
  type PackageInfo,
  type PackageModifications,
  type PackageTasks,
} from '../../dms/packages/index.ts';
import type { GraphExecutor } from '../../router/executor.ts';
import { readGraphResult } from '../graph-outcome.ts';

export interface PackageOperations {
  list(auth: AuthContext): Promise<PackageInfo[]>;
  get(auth: AuthContext, id: string): Promise<PackageInfo>;
  create(auth: AuthContext, body: unknown): Promise<PackageInfo>;
  modify(auth: AuthContext, id: string, body: unknown): Promise<PackageModifications>;
  delete(auth: AuthContext, id: string): Promise<void>;
}

export function servicePackageOperations(tasks: PackageTasks): PackageOperations {
  return {
    list: async (auth) => (await tasks.list(auth.tenant.name)).map(packageInfoOf),
    get: async (auth, id) => packageInfoOf(await tasks.get(auth.tenant.name, id)),
    create: async (auth, body) => packageInfoOf(await tasks.create(auth.tenant.name, body)),
    modify: (auth, id, body) => tasks.modify(auth.tenant.name, id, body),
    delete: (auth, id) => tasks.delete(auth.tenant.name, id),
  };
}

const PACKAGE_FIELDS = `id vnfdId vnfProvider vnfProductName vnfSoftwareVersion vnfdVersion checksum
  onboardingState operationalState usageState userDefinedData additionalArtifacts onboardingFailureDetails`;

/** Each operation is parsed once, at start-up. */
const DOCUMENTS = {
  listPackages: parse(`query VnfPackages { vnfPackages { ${PACKAGE_FIELDS} } }`),
  getPackage: parse(`query VnfPackage($id: ID!) { vnfPackage(vnfPkgId: $id) { ${PACKAGE_FIELDS} } }`),
  createPackage: parse(
    `mutation CreateVnfPackage($request: JSON) { createVnfPackage(request: $request) { ${PACKAGE_FIELDS} } }`,
  ),
  modifyPackage: parse(
    `mutation ModifyVnfPackage($id: ID!, $request: JSON) { modifyVnfPackage(vnfPkgId: $id, request: $request) }`,
  ),
  deletePackage: parse(`mutation DeleteVnfPackage($id: ID!) { deleteVnfPackage(vnfPkgId: $id) }`),
};

/** A graph object in the domain's shape: GraphQL answers null for what a record does not have. */
function present<T>(object: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null)) as T;
}

type Obj = Record<string, unknown>;

export function graphPackageOperations(executor: GraphExecutor): PackageOperations {
  const run = async <T>(
    auth: AuthContext,
    document: (typeof DOCUMENTS)[keyof typeof DOCUMENTS],
    variables: Record<string, unknown> = {},
  ): Promise<T> => readGraphResult(await executor.execute<T>({ document, auth, variables })).data;
  return {
    async list(auth) {
      const data = await run<{ vnfPackages: Obj[] }>(auth, DOCUMENTS.listPackages);
      return data.vnfPackages.map((o) => present<PackageInfo>(o));
    },
    async get(auth, id) {
      const data = await run<{ vnfPackage: Obj }>(auth, DOCUMENTS.getPackage, { id });
      return present<PackageInfo>(data.vnfPackage);
    },
    async create(auth, body) {
      const data = await run<{ createVnfPackage: Obj }>(auth, DOCUMENTS.createPackage, {
        ...(body === undefined ? {} : { request: body }),
      });
      return present<PackageInfo>(data.createVnfPackage);
    },
    async modify(auth, id, body) {
      const data = await run<{ modifyVnfPackage: PackageModifications }>(auth, DOCUMENTS.modifyPackage, {
        id,
        request: body,
      });
      return data.modifyVnfPackage;
    },
    async delete(auth, id) {
      await run(auth, DOCUMENTS.deletePackage, { id });
    },
  };
}
