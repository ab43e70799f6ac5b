/**
 * SOL003 VnfInstance and VnfLcmOpOcc as the vnflcm v2 API shows them, with `_links` built on the apiRoot
 * the request came in on, and their SOL013 attribute schemas (filter, attribute selectors).
 */
import type { AttributeSchema, SelectorSpec } from '../../o2/sol013/index.ts';
import type { OccurrenceRecord, VnfInstanceRecord } from '../../dms/lifecycle/index.ts';

interface Link {
  readonly href: string;
}

export function instanceHref(apiRoot: string, id: string): string {
  return `${apiRoot}/vnflcm/v2/vnf_instances/${id}`;
}

export function occurrenceHref(apiRoot: string, id: string): string {
  return `${apiRoot}/vnflcm/v2/vnf_lcm_op_occs/${id}`;
}

/** The SOL003 attributes of an instance (a stored record, or the graph's VnfInstance). */
export type VnfInstanceView = Pick<
  VnfInstanceRecord,
  | 'id'
  | 'vnfInstanceName'
  | 'vnfInstanceDescription'
  | 'vnfdId'
  | 'vnfProvider'
  | 'vnfProductName'
  | 'vnfSoftwareVersion'
  | 'vnfdVersion'
  | 'vnfConfigurableProperties'
  | 'vimConnectionInfo'
  | 'instantiationState'
  | 'instantiatedVnfInfo'
  | 'metadata'
  | 'extensions'
>;

/** The SOL003 attributes of an occurrence (a stored record, or the graph's VnfLcmOpOcc). */
export type VnfLcmOpOccView = Pick<
  OccurrenceRecord,
  | 'id'
  | 'operationState'
  | 'stateEnteredTime'
  | 'startTime'
  | 'vnfInstanceId'
  | 'operation'
  | 'isAutomaticInvocation'
  | 'operationParams'
  | 'isCancelPending'
  | 'cancelMode'
  | 'error'
  | 'resourceChanges'
  | 'changedInfo'
>;

export function toVnfInstance(record: VnfInstanceView, apiRoot: string): Record<string, unknown> {
  const self = instanceHref(apiRoot, record.id);
  const links: Record<string, Link> = { self: { href: self } };
  if (record.instantiationState === 'NOT_INSTANTIATED')
    links['instantiate'] = { href: `${self}/instantiate` };
  else {
    links['terminate'] = { href: `${self}/terminate` };
    // SOL003 VnfInstance._links of the day-2 tasks an instantiated VNF offers.
    links['scale'] = { href: `${self}/scale` };
    links['scaleToLevel'] = { href: `${self}/scale_to_level` };
    links['heal'] = { href: `${self}/heal` };
    links['changeFlavour'] = { href: `${self}/change_flavour` };
    links['changeExtConn'] = { href: `${self}/change_ext_conn` };
  }
  return {
    id: record.id,
    ...(record.vnfInstanceName === undefined ? {} : { vnfInstanceName: record.vnfInstanceName }),
    ...(record.vnfInstanceDescription === undefined
      ? {}
      : { vnfInstanceDescription: record.vnfInstanceDescription }),
    vnfdId: record.vnfdId,
    vnfProvider: record.vnfProvider,
    vnfProductName: record.vnfProductName,
    vnfSoftwareVersion: record.vnfSoftwareVersion,
    vnfdVersion: record.vnfdVersion,
    ...(record.vnfConfigurableProperties === undefined
      ? {}
      : { vnfConfigurableProperties: record.vnfConfigurableProperties }),
    ...(record.vimConnectionInfo === undefined ? {} : { vimConnectionInfo: record.vimConnectionInfo }),
    instantiationState: record.instantiationState,
    ...(record.instantiatedVnfInfo === undefined ? {} : { instantiatedVnfInfo: record.instantiatedVnfInfo }),
    ...(record.metadata === undefined ? {} : { metadata: record.metadata }),
    ...(record.extensions === undefined ? {} : { extensions: record.extensions }),
    _links: links,
  };
}

export function toVnfLcmOpOcc(record: VnfLcmOpOccView, apiRoot: string): Record<string, unknown> {
  const self = occurrenceHref(apiRoot, record.id);
  const links: Record<string, Link> = {
    self: { href: self },
    vnfInstance: { href: instanceHref(apiRoot, record.vnfInstanceId) },
  };
  if (record.operationState === 'FAILED_TEMP') {
    links['retry'] = { href: `${self}/retry` };
    links['rollback'] = { href: `${self}/rollback` };
    links['fail'] = { href: `${self}/fail` };
  }
  if (['STARTING', 'PROCESSING', 'ROLLING_BACK'].includes(record.operationState) && !record.isCancelPending)
    links['cancel'] = { href: `${self}/cancel` };
  return {
    id: record.id,
    operationState: record.operationState,
    stateEnteredTime: record.stateEnteredTime,
    startTime: record.startTime,
    vnfInstanceId: record.vnfInstanceId,
    operation: record.operation,
    isAutomaticInvocation: record.isAutomaticInvocation,
    ...(record.operationParams === undefined ? {} : { operationParams: record.operationParams }),
    isCancelPending: record.isCancelPending,
    ...(record.cancelMode === undefined ? {} : { cancelMode: record.cancelMode }),
    ...(record.error === undefined ? {} : { error: record.error }),
    ...(record.resourceChanges === undefined ? {} : { resourceChanges: record.resourceChanges }),
    ...(record.changedInfo === undefined ? {} : { changedInfo: record.changedInfo }),
    _links: links,
  };
}

const SCALE_INFO = { array: { object: { aspectId: 'string', scaleLevel: 'integer' } } } as const;

export const VNF_INSTANCE_SCHEMA: AttributeSchema = {
  id: 'uuid',
  vnfInstanceName: 'string',
  vnfInstanceDescription: 'string',
  vnfdId: 'string',
  vnfProvider: 'string',
  vnfProductName: 'string',
  vnfSoftwareVersion: 'string',
  vnfdVersion: 'string',
  vnfConfigurableProperties: 'object',
  vimConnectionInfo: 'object',
  instantiationState: 'string',
  instantiatedVnfInfo: {
    object: {
      flavourId: 'string',
      vnfState: 'string',
      extCpInfo: {
        array: { object: { id: 'string', cpdId: 'string', cpConfigId: 'string', cpProtocolInfo: 'object' } },
      },
      scaleStatus: SCALE_INFO,
      maxScaleLevels: SCALE_INFO,
      instantiationLevelId: 'string',
      vnfcResourceInfo: {
        array: {
          object: { id: 'string', vduId: 'string', computeResource: 'object', metadata: 'object' },
        },
      },
      metadata: 'object',
    },
  },
  metadata: 'object',
  extensions: 'object',
  _links: 'object',
};

/** SOL003 V3.7.1 "exclude_default" list of VnfInstance. */
export const VNF_INSTANCE_SELECTORS: SelectorSpec = {
  schema: VNF_INSTANCE_SCHEMA,
  defaultExcluded: [
    ['vnfConfigurableProperties'],
    ['vimConnectionInfo'],
    ['instantiatedVnfInfo'],
    ['metadata'],
    ['extensions'],
  ],
  mandatory: [
    'id',
    'vnfdId',
    'vnfProvider',
    'vnfProductName',
    'vnfSoftwareVersion',
    'vnfdVersion',
    'instantiationState',
    '_links',
  ],
};

export const VNF_LCM_OP_OCC_SCHEMA: AttributeSchema = {
  id: 'uuid',
  operationState: 'string',
  stateEnteredTime: 'datetime',
  startTime: 'datetime',
  vnfInstanceId: 'uuid',
  operation: 'string',
  isAutomaticInvocation: 'boolean',
  operationParams: 'object',
  isCancelPending: 'boolean',
  error: { object: { status: 'integer', title: 'string', detail: 'string' } },
  resourceChanges: 'object',
  changedInfo: 'object',
  _links: 'object',
};

/** SOL003 V3.7.1 "exclude_default" list of VnfLcmOpOcc (the attributes netweave has). */
export const VNF_LCM_OP_OCC_SELECTORS: SelectorSpec = {
  schema: VNF_LCM_OP_OCC_SCHEMA,
  defaultExcluded: [['operationParams'], ['error'], ['resourceChanges'], ['changedInfo']],
  mandatory: [
    'id',
    'operationState',
    'stateEnteredTime',
    'startTime',
    'vnfInstanceId',
    'operation',
    'isAutomaticInvocation',
    'isCancelPending',
    '_links',
  ],
};
