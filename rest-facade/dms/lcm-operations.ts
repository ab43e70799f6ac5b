/**
 * What the vnflcm v2 routes do once HTTP is settled (auth role, media type, body, If-Match, path ids): read
 * or change VNF instances and occurrences. In the gateway this runs the hub's DMS queries and mutations
 * through the in-process executor (router/executor.ts), as the IMS routes do, so REST and GraphQL are one
 * behaviour: the graph's error codes come back as the same ProblemDetails statuses (common/problem-details.ts).
 * Without an executor (the REST layer's own unit tests) the same task table runs on the lifecycle service.
 */
import { parse, type DocumentNode } from 'graphql';
import type { AuthContext } from '../../common/auth.ts';
import {
  OCCURRENCE_TASKS,
  VNF_INSTANCE_TASKS,
  parseCreateVnfRequest,
  parseVnfInfoModificationRequest,
  type LifecycleScope,
  type LifecycleService,
  type OccurrenceTask,
  type VnfInstanceTask,
} from '../../dms/lifecycle/index.ts';
import type { GraphExecutor } from '../../router/executor.ts';
import { readGraphResult } from '../graph-outcome.ts';
import type { VnfInstanceView, VnfLcmOpOccView } from './views.ts';

export interface LcmOperations {
  listInstances(auth: AuthContext, scope: LifecycleScope): Promise<VnfInstanceView[]>;
  getInstance(
    auth: AuthContext,
    scope: LifecycleScope,
    id: string,
  ): Promise<{ instance: VnfInstanceView; version: number }>;
  createInstance(auth: AuthContext, scope: LifecycleScope, body: unknown): Promise<VnfInstanceView>;
  deleteInstance(auth: AuthContext, scope: LifecycleScope, id: string): Promise<void>;
  /** PATCH: the MODIFY_INFO occurrence's id. */
  modifyInstance(
    auth: AuthContext,
    scope: LifecycleScope,
    id: string,
    body: unknown,
    ifMatchVersion: number | undefined,
  ): Promise<string>;
  /** A task on an instance: the new occurrence's id. */
  instanceTask(
    auth: AuthContext,
    scope: LifecycleScope,
    task: VnfInstanceTask,
    id: string,
    body: unknown,
  ): Promise<string>;
  listOccurrences(auth: AuthContext, scope: LifecycleScope): Promise<VnfLcmOpOccView[]>;
  getOccurrence(auth: AuthContext, scope: LifecycleScope, id: string): Promise<VnfLcmOpOccView>;
  /** retry, rollback, fail, cancel: the occurrence afterwards. */
  occurrenceTask(
    auth: AuthContext,
    scope: LifecycleScope,
    task: OccurrenceTask,
    id: string,
    body: unknown,
  ): Promise<VnfLcmOpOccView>;
}

/** The tasks on the lifecycle service directly (no graph). */
export function serviceLcmOperations(service: LifecycleService): LcmOperations {
  return {
    listInstances: (_auth, scope) => service.listInstances(scope),
    getInstance: (_auth, scope, id) => service.getInstance(scope, id),
    createInstance: (_auth, scope, body) => service.createInstance(scope, parseCreateVnfRequest(body)),
    deleteInstance: (_auth, scope, id) => service.deleteInstance(scope, id),
    modifyInstance: async (_auth, scope, id, body, version) =>
      (await service.modifyInfo(scope, id, parseVnfInfoModificationRequest(body), version)).id,
    instanceTask: async (_auth, scope, task, id, body) =>
      (await VNF_INSTANCE_TASKS[task].run(service, scope, id, body)).id,
    listOccurrences: (_auth, scope) => service.listOccurrences(scope),
    getOccurrence: (_auth, scope, id) => service.getOccurrence(scope, id),
    occurrenceTask: (_auth, scope, task, id, body) => OCCURRENCE_TASKS[task](service, scope, id, body),
  };
}

const INSTANCE_FIELDS = `id vnfInstanceName vnfInstanceDescription vnfdId vnfProvider vnfProductName
  vnfSoftwareVersion vnfdVersion vnfConfigurableProperties vimConnectionInfo instantiationState
  instantiatedVnfInfo metadata extensions`;
const OCCURRENCE_FIELDS = `id operationState stateEnteredTime startTime vnfInstanceId operation
  isAutomaticInvocation operationParams isCancelPending cancelMode error resourceChanges changedInfo`;

/** The graph field of each instance task (schema/hub.graphql). */
const INSTANCE_TASK_FIELDS: { readonly [K in VnfInstanceTask]: string } = {
  instantiate: 'instantiateVnf',
  terminate: 'terminateVnf',
  scale: 'scaleVnf',
  scale_to_level: 'scaleVnfToLevel',
  heal: 'healVnf',
  change_vnfpkg: 'changeCurrentVnfPkg',
  change_flavour: 'changeVnfFlavour',
  change_ext_conn: 'changeExtVnfConnectivity',
};

const OCCURRENCE_TASK_FIELDS: { readonly [K in OccurrenceTask]: string } = {
  retry: 'retryVnfLcmOpOcc',
  rollback: 'rollbackVnfLcmOpOcc',
  fail: 'failVnfLcmOpOcc',
  cancel: 'cancelVnfLcmOpOcc',
};

/** Each operation is parsed once, at start-up (docs/architecture.md "Data flows"). */
const DOCUMENTS = {
  listInstances: parse(
    `query VnfInstances($clusterId: ID) { vnfInstances(clusterId: $clusterId) { ${INSTANCE_FIELDS} } }`,
  ),
  getInstance: parse(
    `query VnfInstance($id: ID!, $clusterId: ID) { vnfInstance(id: $id, clusterId: $clusterId) { ${INSTANCE_FIELDS} version } }`,
  ),
  createInstance: parse(
    `mutation CreateVnfInstance($request: JSON, $clusterId: ID) { createVnfInstance(request: $request, clusterId: $clusterId) { ${INSTANCE_FIELDS} } }`,
  ),
  deleteInstance: parse(
    `mutation DeleteVnfInstance($id: ID!, $clusterId: ID) { deleteVnfInstance(vnfInstanceId: $id, clusterId: $clusterId) }`,
  ),
  modifyInstance: parse(
    `mutation ModifyVnfInstance($id: ID!, $request: JSON, $version: Int, $clusterId: ID) {
      modifyVnfInstance(vnfInstanceId: $id, request: $request, ifMatchVersion: $version, clusterId: $clusterId) { id }
    }`,
  ),
  listOccurrences: parse(
    `query VnfLcmOpOccs($clusterId: ID) { vnfLcmOpOccs(clusterId: $clusterId) { ${OCCURRENCE_FIELDS} } }`,
  ),
  getOccurrence: parse(
    `query VnfLcmOpOcc($id: ID!, $clusterId: ID) { vnfLcmOpOcc(id: $id, clusterId: $clusterId) { ${OCCURRENCE_FIELDS} } }`,
  ),
  instanceTasks: Object.fromEntries(
    Object.entries(INSTANCE_TASK_FIELDS).map(([task, field]) => [
      task,
      parse(
        `mutation VnfTask($id: ID!, $request: JSON, $clusterId: ID) { task: ${field}(vnfInstanceId: $id, request: $request, clusterId: $clusterId) { id } }`,
      ),
    ]),
  ) as Record<VnfInstanceTask, DocumentNode>,
  occurrenceTasks: Object.fromEntries(
    Object.entries(OCCURRENCE_TASK_FIELDS).map(([task, field]) => [
      task,
      parse(
        task === 'cancel'
          ? `mutation OccurrenceTask($id: ID!, $request: JSON, $clusterId: ID) { task: ${field}(vnfLcmOpOccId: $id, request: $request, clusterId: $clusterId) { ${OCCURRENCE_FIELDS} } }`
          : `mutation OccurrenceTask($id: ID!, $clusterId: ID) { task: ${field}(vnfLcmOpOccId: $id, clusterId: $clusterId) { ${OCCURRENCE_FIELDS} } }`,
      ),
    ]),
  ) as Record<OccurrenceTask, DocumentNode>,
};

/**
 * A graph object in the stored records' shape: GraphQL answers null for an attribute a record does not have,
 * SOL003 leaves it out. (JSON values inside attributes are passed on as they are.)
 */
function present<T>(object: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null)) as T;
}

/** The tasks as the hub's GraphQL operations, executed in-process with the caller's auth context. */
export function graphLcmOperations(executor: GraphExecutor): LcmOperations {
  const run = async <T>(
    auth: AuthContext,
    document: DocumentNode,
    scope: LifecycleScope,
    variables: Record<string, unknown> = {},
  ): Promise<T> => {
    const result = await executor.execute<T>({
      document,
      auth,
      variables: { ...variables, ...(scope.clusterId === undefined ? {} : { clusterId: scope.clusterId }) },
    });
    return readGraphResult(result).data;
  };
  type Obj = Record<string, unknown>;
  return {
    async listInstances(auth, scope) {
      const data = await run<{ vnfInstances: Obj[] }>(auth, DOCUMENTS.listInstances, scope);
      return data.vnfInstances.map((o) => present<VnfInstanceView>(o));
    },
    async getInstance(auth, scope, id) {
      const data = await run<{ vnfInstance: Obj & { version: number } }>(auth, DOCUMENTS.getInstance, scope, {
        id,
      });
      const { version, ...instance } = data.vnfInstance;
      return { instance: present<VnfInstanceView>(instance), version };
    },
    async createInstance(auth, scope, body) {
      const data = await run<{ createVnfInstance: Obj }>(auth, DOCUMENTS.createInstance, scope, {
        request: body,
      });
      return present<VnfInstanceView>(data.createVnfInstance);
    },
    async deleteInstance(auth, scope, id) {
      await run(auth, DOCUMENTS.deleteInstance, scope, { id });
    },
    async modifyInstance(auth, scope, id, body, version) {
      const data = await run<{ modifyVnfInstance: { id: string } }>(auth, DOCUMENTS.modifyInstance, scope, {
        id,
        request: body,
        ...(version === undefined ? {} : { version }),
      });
      return data.modifyVnfInstance.id;
    },
    async instanceTask(auth, scope, task, id, body) {
      const data = await run<{ task: { id: string } }>(auth, DOCUMENTS.instanceTasks[task], scope, {
        id,
        ...(body === undefined ? {} : { request: body }),
      });
      return data.task.id;
    },
    async listOccurrences(auth, scope) {
      const data = await run<{ vnfLcmOpOccs: Obj[] }>(auth, DOCUMENTS.listOccurrences, scope);
      return data.vnfLcmOpOccs.map((o) => present<VnfLcmOpOccView>(o));
    },
    async getOccurrence(auth, scope, id) {
      const data = await run<{ vnfLcmOpOcc: Obj }>(auth, DOCUMENTS.getOccurrence, scope, { id });
      return present<VnfLcmOpOccView>(data.vnfLcmOpOcc);
    },
    async occurrenceTask(auth, scope, task, id, body) {
      const data = await run<{ task: Obj }>(auth, DOCUMENTS.occurrenceTasks[task], scope, {
        id,
        ...(task === 'cancel' && body !== undefined ? { request: body } : {}),
      });
      return present<VnfLcmOpOccView>(data.task);
    },
  };
}
