/**
 * Every O2 DMS task once, as a table from the SOL003 task name to "parse the request body, run it on the
 * lifecycle service": the hub subgraph's GraphQL mutations run these, and so does the REST facade where it
 * is not compiled onto the graph (its unit tests). One table, so both surfaces validate and act alike.
 */
import type { LifecycleScope, OccurrenceRecord } from './records.ts';
import {
  parseCancelMode,
  parseChangeCurrentVnfPkgRequest,
  parseChangeExtVnfConnectivityRequest,
  parseChangeVnfFlavourRequest,
  parseHealVnfRequest,
  parseScaleVnfRequest,
  parseScaleVnfToLevelRequest,
} from './day2-requests.ts';
import { parseInstantiateVnfRequest, parseTerminateVnfRequest } from './requests.ts';
import type { LifecycleService } from './service.ts';

type TaskRun = (
  service: LifecycleService,
  scope: LifecycleScope,
  vnfInstanceId: string,
  body: unknown,
) => Promise<OccurrenceRecord>;

interface InstanceTask {
  /** A body is required (REST answers 400 without one; GraphQL declares the argument non-null). */
  readonly bodyRequired: boolean;
  readonly run: TaskRun;
}

/** The tasks on a VNF instance that start an occurrence (`POST …/vnf_instances/{id}/<task>`). */
export const VNF_INSTANCE_TASKS = {
  instantiate: {
    bodyRequired: true,
    run: (service, scope, id, body) => service.instantiate(scope, id, parseInstantiateVnfRequest(body)),
  },
  terminate: {
    bodyRequired: true,
    run: (service, scope, id, body) => service.terminate(scope, id, parseTerminateVnfRequest(body)),
  },
  scale: {
    bodyRequired: true,
    run: (service, scope, id, body) => service.day2.scale(scope, id, parseScaleVnfRequest(body)),
  },
  scale_to_level: {
    bodyRequired: true,
    run: (service, scope, id, body) =>
      service.day2.scaleToLevel(scope, id, parseScaleVnfToLevelRequest(body)),
  },
  heal: {
    bodyRequired: false,
    run: (service, scope, id, body) => service.day2.heal(scope, id, parseHealVnfRequest(body)),
  },
  change_vnfpkg: {
    bodyRequired: true,
    run: (service, scope, id, body) =>
      service.day2.changeVnfpkg(scope, id, parseChangeCurrentVnfPkgRequest(body)),
  },
  change_flavour: {
    bodyRequired: true,
    run: (service, scope, id, body) =>
      service.day2.changeFlavour(scope, id, parseChangeVnfFlavourRequest(body)),
  },
  change_ext_conn: {
    bodyRequired: true,
    run: (service, scope, id, body) =>
      service.day2.changeExtConn(scope, id, parseChangeExtVnfConnectivityRequest(body)),
  },
} as const satisfies Record<string, InstanceTask>;

export type VnfInstanceTask = keyof typeof VNF_INSTANCE_TASKS;

/** The tasks on an occurrence (`POST …/vnf_lcm_op_occs/{id}/<task>`); only cancel takes a body. */
export const OCCURRENCE_TASKS = {
  retry: (service: LifecycleService, scope: LifecycleScope, id: string) => service.retry(scope, id),
  rollback: (service: LifecycleService, scope: LifecycleScope, id: string) => service.rollback(scope, id),
  fail: (service: LifecycleService, scope: LifecycleScope, id: string) => service.fail(scope, id),
  cancel: (service: LifecycleService, scope: LifecycleScope, id: string, body?: unknown) =>
    service.day2.cancel(scope, id, parseCancelMode(body)),
} as const;

export type OccurrenceTask = keyof typeof OCCURRENCE_TASKS;
