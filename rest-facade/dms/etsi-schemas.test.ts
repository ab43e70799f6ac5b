/**
 * The vnflcm v2 bodies against the ETSI SOL003 V3.7.1 schemas (../shared/specs/etsi-nfv; skipped with a
 * message on a clone without them): VnfInstance before and after instantiation, VnfLcmOpOcc in every
 * state the runner writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { OccurrenceRecord, VnfInstanceRecord } from '../../dms/lifecycle/index.ts';
import { REFERENCE_SPECS_DIR } from '../../testing/openapi-contract.ts';
import { toVnfInstance, toVnfLcmOpOcc } from './views.ts';

const SOL003 = resolve(REFERENCE_SPECS_DIR, 'etsi-nfv/openapi/nfv-sol002-sol003/SOL003');
const LCM_DEF = resolve(SOL003, 'VNFLifecycleManagement/definitions/SOL003VNFLifecycleManagement_def.yaml');
const COMMON_DEF = resolve(SOL003, 'General_Definitions/SOL003_def.yaml');
const available = existsSync(LCM_DEF) && existsSync(COMMON_DEF);
const note = available ? '' : ` [SKIPPED: ETSI SOL003 files not found under ${SOL003}]`;

const ROOT = 'http://gw.example/o2dms';
const instance: VnfInstanceRecord = {
  id: '0c1f3c2a-4b5d-4e6f-8a9b-0c1d2e3f4a5b',
  vnfdId: 'vnfd-1',
  vnfProvider: 'netweave',
  vnfProductName: 'nf',
  vnfSoftwareVersion: '1.0.0',
  vnfdVersion: '0.1.0',
  instantiationState: 'NOT_INSTANTIATED',
  vnfPkgId: 'pkg',
  tenant: '*',
  releaseName: 'nf-0c1f3c2a4b5d',
  createdAt: '2026-12-06T00:00:00.000Z',
  metadata: { team: 'ran' },
};
const instantiated: VnfInstanceRecord = {
  ...instance,
  instantiationState: 'INSTANTIATED',
  clusterId: 'edge-1',
  vimConnectionInfo: { vim: { vimId: 'dm', vimType: 'ETSINFV.HELM.V_3' } },
  instantiatedVnfInfo: {
    flavourId: 'default',
    vnfState: 'STARTED',
    extCpInfo: [
      {
        id: 'ext-cp',
        cpdId: 'ext-cp',
        cpConfigId: 'default',
        cpProtocolInfo: [],
        associatedVnfVirtualLinkId: 'nf-0c1f3c2a4b5d-pod-network',
      },
    ],
    scaleStatus: [{ aspectId: 'workers', scaleLevel: 0 }],
    maxScaleLevels: [{ aspectId: 'workers', scaleLevel: 3 }],
    vnfcResourceInfo: [
      {
        id: 'vdu1-nf-abc-x1',
        vduId: 'vdu1',
        computeResource: {
          resourceId: 'vdu1-nf-abc-x1',
          vimLevelResourceType: 'Pod',
          vimConnectionId: 'vim',
        },
        metadata: { namespace: 'default' },
      },
    ],
    metadata: { namespace: 'default', releaseName: 'nf-0c1f3c2a4b5d', revision: 1 },
  },
};
const occurrence: OccurrenceRecord = {
  id: '1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6',
  operationState: 'FAILED_TEMP',
  stateEnteredTime: '2026-12-06T00:00:01.000Z',
  startTime: '2026-12-06T00:00:00.000Z',
  vnfInstanceId: instance.id,
  operation: 'INSTANTIATE',
  isAutomaticInvocation: false,
  operationParams: { flavourId: 'default' },
  isCancelPending: false,
  error: { status: 504, title: 'Gateway Timeout', detail: 'not ready' },
  resourceChanges: {
    affectedVnfcs: [{ id: 'p', vduId: 'vdu1', changeType: 'ADDED', computeResource: { resourceId: 'p' } }],
  },
  tenant: '*',
  attempt: 1,
};

/** Replaces `items: null` (the VipCpInfo.metadata indentation slip the specs README lists) by `{}`. */
function patchEmptyItems(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if ('items' in record && record['items'] === null) record['items'] = {};
  for (const value of Object.values(record)) patchEmptyItems(value);
}

/**
 * Ajv over the two definition files, patched in memory (never on disk): the empty `items` above, and
 * VnfLcmOpOcc's `oneOf: [{required: [changedInfo]}, {required: [modificationsTriggeredByVnfPkgChange]}]`,
 * which would demand one of the two on every occurrence although SOL003 makes both conditional (only
 * MODIFY_INFO and CHANGE_VNFPKG carry them); read as "not both".
 */
function etsiValidator(): (pointer: string, body: unknown) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  ajvFormats.default(ajv);
  for (const format of ['int32', 'int64', 'float', 'double', 'MAC', 'URI']) ajv.addFormat(format, true);
  for (const file of [LCM_DEF, COMMON_DEF]) {
    const document = parseYaml(readFileSync(file, 'utf8')) as {
      definitions: Record<string, Record<string, unknown>>;
    };
    patchEmptyItems(document);
    const opOcc = document.definitions['VnfLcmOpOcc'];
    if (opOcc !== undefined) {
      delete opOcc['oneOf'];
      opOcc['not'] = { required: ['changedInfo', 'modificationsTriggeredByVnfPkgChange'] };
    }
    ajv.addSchema(document, pathToFileURL(file).href);
  }
  return (pointer, body) => {
    const validate = ajv.compile({ $ref: `${pathToFileURL(LCM_DEF).href}#${pointer}` });
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`);
  };
}

describe.skipIf(!available)(`vnflcm bodies against ETSI SOL003 V3.7.1${note}`, () => {
  const errors = available ? etsiValidator() : () => [];
  const contract = { errors };

  it('VnfInstance, before and after instantiation', () => {
    expect(contract!.errors('/definitions/VnfInstance', toVnfInstance(instance, ROOT))).toEqual([]);
    expect(contract!.errors('/definitions/VnfInstance', toVnfInstance(instantiated, ROOT))).toEqual([]);
  });

  it('VnfLcmOpOcc with error, resource changes and links', () => {
    expect(contract!.errors('/definitions/VnfLcmOpOcc', toVnfLcmOpOcc(occurrence, ROOT))).toEqual([]);
    const modify: OccurrenceRecord = {
      ...occurrence,
      operation: 'MODIFY_INFO',
      operationState: 'COMPLETED',
      changedInfo: { vnfInstanceName: 'x' },
    };
    expect(contract!.errors('/definitions/VnfLcmOpOcc', toVnfLcmOpOcc(modify, ROOT))).toEqual([]);
  });
});
