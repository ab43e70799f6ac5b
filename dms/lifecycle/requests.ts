/**
 * Validation of SOL003 request bodies into typed requests (400 for anything malformed). Unknown
 * attributes are ignored, as SOL013 lets a server do; `accessInfo` is dropped wherever it appears.
 */
import { DmsError } from '../errors.ts';
import type { KeyValuePairs, VimConnectionInfo } from './records.ts';

export interface CreateVnfRequest {
  readonly vnfdId: string;
  readonly vnfInstanceName?: string;
  readonly vnfInstanceDescription?: string;
  readonly metadata?: KeyValuePairs;
}

export interface InstantiateVnfRequest {
  readonly flavourId: string;
  readonly instantiationLevelId?: string;
  readonly vimConnectionInfo?: Readonly<Record<string, VimConnectionInfo>>;
  readonly additionalParams?: KeyValuePairs;
  readonly extensions?: KeyValuePairs;
  readonly vnfConfigurableProperties?: KeyValuePairs;
  readonly localizationLanguage?: string;
}

export const TERMINATION_TYPES = ['FORCEFUL', 'GRACEFUL'] as const;
export type TerminationType = (typeof TERMINATION_TYPES)[number];

export interface TerminateVnfRequest {
  readonly terminationType: TerminationType;
  readonly gracefulTerminationTimeout?: number;
  readonly additionalParams?: KeyValuePairs;
}

/** RFC 7396 merge patch of VnfInfoModificationRequest attributes (null removes). */
export interface VnfInfoModificationRequest {
  readonly vnfInstanceName?: string | null;
  readonly vnfInstanceDescription?: string | null;
  readonly vnfPkgId?: string;
  readonly vnfConfigurableProperties?: KeyValuePairs | null;
  readonly metadata?: KeyValuePairs | null;
  readonly extensions?: KeyValuePairs | null;
  readonly vimConnectionInfo?: Record<string, VimConnectionInfo | null> | null;
}

function invalid(detail: string): DmsError {
  return new DmsError('INVALID', detail);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function body(value: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalid(`the body of ${what} must be a JSON object`);
  return value;
}

function optionalString(source: Record<string, unknown>, name: string, max = 1024): string | undefined {
  const value = source[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max)
    throw invalid(`${name} must be a string of at most ${max} characters`);
  return value;
}

function requiredString(source: Record<string, unknown>, name: string, what: string): string {
  const value = optionalString(source, name);
  if (value === undefined || value === '') throw invalid(`${what} needs ${name}`);
  return value;
}

function optionalObject(source: Record<string, unknown>, name: string): KeyValuePairs | undefined {
  const value = source[name];
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw invalid(`${name} must be a JSON object`);
  return value;
}

function vimConnection(key: string, value: unknown): VimConnectionInfo {
  if (!isPlainObject(value)) throw invalid(`vimConnectionInfo.${key} must be a JSON object`);
  const vimType = value['vimType'];
  if (typeof vimType !== 'string' || vimType === '') throw invalid(`vimConnectionInfo.${key} needs vimType`);
  const vimId = value['vimId'];
  if (vimId !== undefined && typeof vimId !== 'string')
    throw invalid(`vimConnectionInfo.${key}.vimId must be a string`);
  const interfaceInfo = value['interfaceInfo'];
  if (interfaceInfo !== undefined && !isPlainObject(interfaceInfo))
    throw invalid(`vimConnectionInfo.${key}.interfaceInfo must be a JSON object`);
  const extra = value['extra'];
  if (extra !== undefined && !isPlainObject(extra))
    throw invalid(`vimConnectionInfo.${key}.extra must be a JSON object`);
  // accessInfo (credentials) is deliberately not kept: the cluster subgraph holds the cluster's own.
  return {
    vimType,
    ...(vimId === undefined ? {} : { vimId }),
    ...(interfaceInfo === undefined ? {} : { interfaceInfo }),
    ...(extra === undefined ? {} : { extra }),
  };
}

function vimConnectionMap(value: unknown): Record<string, VimConnectionInfo> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw invalid('vimConnectionInfo must be a map (JSON object) keyed by an id');
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, vimConnection(key, entry)]));
}

export function parseCreateVnfRequest(value: unknown): CreateVnfRequest {
  const source = body(value, 'CreateVnfRequest');
  const vnfdId = requiredString(source, 'vnfdId', 'CreateVnfRequest');
  const vnfInstanceName = optionalString(source, 'vnfInstanceName');
  const vnfInstanceDescription = optionalString(source, 'vnfInstanceDescription', 4096);
  const metadata = optionalObject(source, 'metadata');
  return {
    vnfdId,
    ...(vnfInstanceName === undefined ? {} : { vnfInstanceName }),
    ...(vnfInstanceDescription === undefined ? {} : { vnfInstanceDescription }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}

export function parseInstantiateVnfRequest(value: unknown): InstantiateVnfRequest {
  const source = body(value, 'InstantiateVnfRequest');
  const flavourId = requiredString(source, 'flavourId', 'InstantiateVnfRequest');
  const instantiationLevelId = optionalString(source, 'instantiationLevelId');
  const vimConnectionInfo = vimConnectionMap(source['vimConnectionInfo']);
  const additionalParams = optionalObject(source, 'additionalParams');
  const extensions = optionalObject(source, 'extensions');
  const vnfConfigurableProperties = optionalObject(source, 'vnfConfigurableProperties');
  const localizationLanguage = optionalString(source, 'localizationLanguage', 64);
  if (additionalParams !== undefined) checkHelmParams(additionalParams);
  return {
    flavourId,
    ...(instantiationLevelId === undefined ? {} : { instantiationLevelId }),
    ...(vimConnectionInfo === undefined ? {} : { vimConnectionInfo }),
    ...(additionalParams === undefined ? {} : { additionalParams }),
    ...(extensions === undefined ? {} : { extensions }),
    ...(vnfConfigurableProperties === undefined ? {} : { vnfConfigurableProperties }),
    ...(localizationLanguage === undefined ? {} : { localizationLanguage }),
  };
}

/** Kubernetes namespace names are DNS-1123 labels. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The Tacker-style Helm parameters of additionalParams, checked up front so the job cannot fail on them. */
function checkHelmParams(params: KeyValuePairs): void {
  const namespace = params['namespace'];
  if (namespace !== undefined && (typeof namespace !== 'string' || !DNS_LABEL.test(namespace)))
    throw invalid('additionalParams.namespace must be a Kubernetes namespace name (DNS label)');
  const chartPath = params['helm_chart_path'];
  if (chartPath !== undefined && typeof chartPath !== 'string')
    throw invalid('additionalParams.helm_chart_path must be a string');
  const parameters = params['helm_parameters'];
  if (parameters !== undefined && !isPlainObject(parameters))
    throw invalid('additionalParams.helm_parameters must be a JSON object of chart values');
  const valueNames = params['helm_value_names'];
  if (valueNames !== undefined) {
    if (!isPlainObject(valueNames))
      throw invalid('additionalParams.helm_value_names must map VDU ids to {"replica": "<value name>"}');
    for (const [vduId, names] of Object.entries(valueNames)) {
      if (!isPlainObject(names) || typeof names['replica'] !== 'string')
        throw invalid(`additionalParams.helm_value_names.${vduId} must be {"replica": "<value name>"}`);
    }
  }
}

export function parseTerminateVnfRequest(value: unknown): TerminateVnfRequest {
  const source = body(value, 'TerminateVnfRequest');
  const terminationType = source['terminationType'];
  if (terminationType === undefined) throw invalid('TerminateVnfRequest needs terminationType');
  if (!TERMINATION_TYPES.includes(terminationType as TerminationType))
    throw invalid('terminationType must be FORCEFUL or GRACEFUL');
  const timeout = source['gracefulTerminationTimeout'];
  if (
    timeout !== undefined &&
    (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0 || timeout > 86_400)
  )
    throw invalid('gracefulTerminationTimeout must be an integer number of seconds (0..86400)');
  const additionalParams = optionalObject(source, 'additionalParams');
  return {
    terminationType: terminationType as TerminationType,
    ...(timeout === undefined ? {} : { gracefulTerminationTimeout: timeout as number }),
    ...(additionalParams === undefined ? {} : { additionalParams }),
  };
}

const MODIFIABLE = new Set([
  'vnfInstanceName',
  'vnfInstanceDescription',
  'vnfPkgId',
  'vnfConfigurableProperties',
  'metadata',
  'extensions',
  'vimConnectionInfo',
]);

export function parseVnfInfoModificationRequest(value: unknown): VnfInfoModificationRequest {
  const source = body(value, 'VnfInfoModificationRequest');
  for (const key of Object.keys(source)) {
    if (!MODIFIABLE.has(key)) throw invalid(`${key} cannot be modified with PATCH`);
  }
  const nullableString = (name: string): string | null | undefined =>
    source[name] === null ? null : optionalString(source, name, name === 'vnfInstanceName' ? 1024 : 4096);
  const nullableObject = (name: string): KeyValuePairs | null | undefined =>
    source[name] === null ? null : optionalObject(source, name);
  const vnfPkgId = source['vnfPkgId'];
  if (vnfPkgId !== undefined && typeof vnfPkgId !== 'string')
    throw invalid('vnfPkgId must be a string (null is not permitted)');
  let vimConnectionInfo: Record<string, VimConnectionInfo | null> | null | undefined;
  const vim = source['vimConnectionInfo'];
  if (vim === null) vimConnectionInfo = null;
  else if (vim !== undefined) {
    if (!isPlainObject(vim)) throw invalid('vimConnectionInfo must be a map (JSON object) keyed by an id');
    vimConnectionInfo = Object.fromEntries(
      Object.entries(vim).map(([key, entry]) => [key, entry === null ? null : vimConnection(key, entry)]),
    );
  }
  const result: Record<string, unknown> = {
    vnfInstanceName: nullableString('vnfInstanceName'),
    vnfInstanceDescription: nullableString('vnfInstanceDescription'),
    vnfPkgId,
    vnfConfigurableProperties: nullableObject('vnfConfigurableProperties'),
    metadata: nullableObject('metadata'),
    extensions: nullableObject('extensions'),
    vimConnectionInfo,
  };
  return Object.fromEntries(
    Object.entries(result).filter(([, value]) => value !== undefined),
  ) as VnfInfoModificationRequest;
}

/** RFC 7396 JSON Merge Patch of one value. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(out, key);
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
