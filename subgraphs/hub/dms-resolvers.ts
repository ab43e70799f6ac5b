/**
 * The O2 DMS in the graph (schema/hub.graphql, docs/dms.md "GraphQL"): VNF instances and occurrences as
 * queries, every lifecycle task as a mutation, over the one LifecycleService the REST facade's routes also
 * reach (through these fields). Requests are the SOL003 bodies, parsed by the shared task table
 * (dms/lifecycle/tasks.ts); domain errors become GraphQL errors whose code the REST facade maps back to the
 * same ProblemDetails status.
 */
import type { GraphQLError } from 'graphql';
import type { GraphContext } from '../../common/graphql-context.ts';
import { graphError, type ErrorCode } from '../../common/errors.ts';
import { DmsError, type DmsErrorCode } from '../../dms/errors.ts';
import {
  OCCURRENCE_TASKS,
  VNF_INSTANCE_TASKS,
  parseCreateVnfRequest,
  parseVnfInfoModificationRequest,
  type LifecycleScope,
  type LifecycleService,
  type OccurrenceRecord,
  type VnfInstanceRecord,
  type VnfInstanceTask,
} from '../../dms/lifecycle/index.ts';
import type { Resolvers } from './generated/graphql.ts';

/** A VNF instance as resolvers pass it on: the record, and its store version when it was read with it. */
export type VnfInstanceParent = VnfInstanceRecord & { readonly version?: number };

const DMS_GRAPH_CODES: { readonly [K in DmsErrorCode]: ErrorCode } = {
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID: 'BAD_USER_INPUT',
  UNPROCESSABLE: 'UNPROCESSABLE',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
};

/** A DMS domain error as a coded GraphQL error (its detail is written for clients); anything else as is. */
export function dmsGraphError(error: unknown): unknown {
  return error instanceof DmsError ? graphError(DMS_GRAPH_CODES[error.code], error.detail) : error;
}

/** Runs a resolver's work, DMS domain errors as coded GraphQL errors. */
export async function coded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw dmsGraphError(error) as GraphQLError;
  }
}

export function scopeOf(context: GraphContext, clusterId: string | null | undefined): LifecycleScope {
  const tenant = context.auth.tenant.name;
  return clusterId == null ? { tenant } : { tenant, clusterId };
}

function byId<T extends { id: string }>(records: T[]): T[] {
  return records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The request body as given: an omitted argument is no body (heal, cancel), an explicit null is a bad one. */
export function bodyOf(args: { request?: unknown }): unknown {
  return 'request' in args ? args.request : undefined;
}

type InstanceArgs = { vnfInstanceId: string; request?: unknown; clusterId?: string | null };

/** The mutation of each instance task (SOL003 operation names). */
const INSTANCE_MUTATIONS = {
  instantiateVnf: 'instantiate',
  terminateVnf: 'terminate',
  scaleVnf: 'scale',
  scaleVnfToLevel: 'scale_to_level',
  healVnf: 'heal',
  changeCurrentVnfPkg: 'change_vnfpkg',
  changeVnfFlavour: 'change_flavour',
  changeExtVnfConnectivity: 'change_ext_conn',
} as const satisfies Record<string, VnfInstanceTask>;

const OCCURRENCE_MUTATIONS = {
  retryVnfLcmOpOcc: 'retry',
  rollbackVnfLcmOpOcc: 'rollback',
  failVnfLcmOpOcc: 'fail',
  cancelVnfLcmOpOcc: 'cancel',
} as const satisfies Record<string, keyof typeof OCCURRENCE_TASKS>;

/** The DMS resolvers; without a lifecycle service (a gateway without the DMS) every field answers an error. */
export function dmsResolvers(service: LifecycleService | undefined): Resolvers {
  const lifecycle = (): LifecycleService => {
    if (service === undefined) throw graphError('INTERNAL_SERVER_ERROR', 'this gateway has no O2 DMS');
    return service;
  };

  const instanceMutation =
    (task: VnfInstanceTask) =>
    (_: unknown, args: InstanceArgs, context: GraphContext): Promise<OccurrenceRecord> =>
      coded(() =>
        VNF_INSTANCE_TASKS[task].run(
          lifecycle(),
          scopeOf(context, args.clusterId),
          args.vnfInstanceId,
          bodyOf(args),
        ),
      );

  const occurrenceMutation =
    (task: keyof typeof OCCURRENCE_TASKS) =>
    (
      _: unknown,
      args: { vnfLcmOpOccId: string; request?: unknown; clusterId?: string | null },
      context: GraphContext,
    ): Promise<OccurrenceRecord> =>
      coded(() =>
        OCCURRENCE_TASKS[task](
          lifecycle(),
          scopeOf(context, args.clusterId),
          args.vnfLcmOpOccId,
          bodyOf(args),
        ),
      );

  const instanceFields = Object.fromEntries(
    Object.entries(INSTANCE_MUTATIONS).map(([field, task]) => [field, instanceMutation(task)]),
  );
  const occurrenceFields = Object.fromEntries(
    Object.entries(OCCURRENCE_MUTATIONS).map(([field, task]) => [field, occurrenceMutation(task)]),
  );

  return {
    Query: {
      vnfInstances: (_, args, context) =>
        coded(async () => byId(await lifecycle().listInstances(scopeOf(context, args.clusterId)))),
      vnfInstance: (_, args, context) =>
        coded(async () => {
          const { instance, version } = await lifecycle().getInstance(
            scopeOf(context, args.clusterId),
            args.id,
          );
          return { ...instance, version };
        }),
      vnfLcmOpOccs: (_, args, context) =>
        coded(async () => byId(await lifecycle().listOccurrences(scopeOf(context, args.clusterId)))),
      vnfLcmOpOcc: (_, args, context) =>
        coded(() => lifecycle().getOccurrence(scopeOf(context, args.clusterId), args.id)),
    },
    Mutation: {
      createVnfInstance: (_, args, context) =>
        coded(async () => {
          const instance = await lifecycle().createInstance(
            scopeOf(context, args.clusterId),
            parseCreateVnfRequest(args.request),
          );
          return { ...instance, version: 1 };
        }),
      deleteVnfInstance: (_, args, context) =>
        coded(async () => {
          await lifecycle().deleteInstance(scopeOf(context, args.clusterId), args.vnfInstanceId);
          return args.vnfInstanceId;
        }),
      modifyVnfInstance: (_, args, context) =>
        coded(() =>
          lifecycle().modifyInfo(
            scopeOf(context, args.clusterId),
            args.vnfInstanceId,
            parseVnfInfoModificationRequest(args.request),
            args.ifMatchVersion ?? undefined,
          ),
        ),
      ...instanceFields,
      ...occurrenceFields,
    },
    VnfInstance: {
      __resolveReference: async (ref: { id: string }, context: GraphContext) => {
        try {
          const { instance, version } = await lifecycle().getInstance(scopeOf(context, null), ref.id);
          return { ...instance, version };
        } catch (error) {
          if (error instanceof DmsError && error.code === 'NOT_FOUND') return null;
          throw dmsGraphError(error);
        }
      },
      vnfInstanceName: (instance) => instance.vnfInstanceName ?? null,
      vnfInstanceDescription: (instance) => instance.vnfInstanceDescription ?? null,
      clusterId: (instance) => instance.clusterId ?? null,
      // Lists read the records without versions: only a field that asks pays for the read.
      version: (instance, _, context) =>
        instance.version ??
        coded(async () => (await lifecycle().getInstance(scopeOf(context, null), instance.id)).version),
      occurrences: (instance, _, context) =>
        coded(async () =>
          (await lifecycle().listOccurrences(scopeOf(context, null)))
            .filter((occurrence) => occurrence.vnfInstanceId === instance.id)
            .sort((a, b) => (a.startTime < b.startTime ? -1 : a.startTime > b.startTime ? 1 : 0)),
        ),
    },
    VnfLcmOpOcc: {
      __resolveReference: async (ref: { id: string }, context: GraphContext) => {
        try {
          return await lifecycle().getOccurrence(scopeOf(context, null), ref.id);
        } catch (error) {
          if (error instanceof DmsError && error.code === 'NOT_FOUND') return null;
          throw dmsGraphError(error);
        }
      },
      cancelMode: (occurrence) => occurrence.cancelMode ?? null,
      clusterId: (occurrence) => occurrence.clusterId ?? null,
      vnfInstance: async (occurrence, _, context) => {
        try {
          const { instance, version } = await lifecycle().getInstance(
            scopeOf(context, null),
            occurrence.vnfInstanceId,
          );
          return { ...instance, version };
        } catch (error) {
          // An occurrence outlives a deleted instance (DELETE after TERMINATE).
          if (error instanceof DmsError && error.code === 'NOT_FOUND') return null;
          throw dmsGraphError(error);
        }
      },
    },
  };
}
