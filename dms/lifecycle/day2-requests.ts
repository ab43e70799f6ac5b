/**
 * Validation of the SOL003 day-2 task bodies (ScaleVnfRequest, ScaleVnfToLevelRequest, HealVnfRequest,
 * ChangeCurrentVnfPkgRequest, ChangeVnfFlavourRequest, ChangeExtVnfConnectivityRequest, CancelMode)
 * into typed requests: 400 for anything malformed. Whether the request fits the instance (known
 * aspect, level within bounds, other flavour) is the service's business (day2-plan.ts).
 */
import { DmsError } from '../errors.ts';
import type { KeyValuePairs, ScaleInfo } from './records.ts';
import { isPlainObject } from './requests.ts';

export const SCALE_TYPES = ['SCALE_OUT', 'SCALE_IN'] as const;
export type ScaleType = (typeof SCALE_TYPES)[number];

export const CANCEL_MODES = ['GRACEFUL', 'FORCEFUL'] as const;
export type CancelModeType = (typeof CANCEL_MODES)[number];

export interface ScaleVnfRequest {
  readonly type: ScaleType;
  readonly aspectId: string;
  readonly numberOfSteps: number;
  readonly additionalParams?: KeyValuePairs;
}

export interface ScaleVnfToLevelRequest {
  readonly instantiationLevelId?: string;
  readonly scaleInfo?: readonly ScaleInfo[];
  readonly additionalParams?: KeyValuePairs;
}

export interface HealVnfRequest {
  readonly vnfcInstanceId?: readonly string[];
  readonly cause?: string;
  readonly additionalParams?: KeyValuePairs;
}

export interface ChangeCurrentVnfPkgRequest {
  readonly vnfdId: string;
  readonly additionalParams?: KeyValuePairs;
  readonly extensions?: KeyValuePairs;
  readonly vnfConfigurableProperties?: KeyValuePairs;
}

export interface ChangeVnfFlavourRequest {
  readonly newFlavourId: string;
  readonly instantiationLevelId?: string;
  readonly additionalParams?: KeyValuePairs;
}

/** SOL003 ExtVirtualLinkData, as far as a Helm release uses it (kept whole for the record). */
export interface ExtVirtualLinkData {
  readonly id: string;
  readonly resourceId: string;
  readonly extCps: readonly KeyValuePairs[];
  readonly [other: string]: unknown;
}

export interface ChangeExtVnfConnectivityRequest {
  readonly extVirtualLinks: readonly ExtVirtualLinkData[];
  readonly additionalParams?: KeyValuePairs;
}

function invalid(detail: string): DmsError {
  return new DmsError('INVALID', detail);
}

function body(value: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalid(`the body of ${what} must be a JSON object`);
  return value;
}

function text(
  source: Record<string, unknown>,
  name: string,
  required: boolean,
  what: string,
): string | undefined {
  const value = source[name];
  if (value === undefined) {
    if (required) throw invalid(`${what} needs ${name}`);
    return undefined;
  }
  if (typeof value !== 'string' || value === '' || value.length > 1024)
    throw invalid(`${name} must be a non-empty string of at most 1024 characters`);
  return value;
}

function object(source: Record<string, unknown>, name: string): KeyValuePairs | undefined {
  const value = source[name];
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw invalid(`${name} must be a JSON object`);
  return value;
}

function withOptional<T extends object>(base: T, extra: Record<string, unknown>): T {
  return {
    ...base,
    ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
  } as T;
}

export function parseScaleVnfRequest(value: unknown): ScaleVnfRequest {
  const source = body(value, 'ScaleVnfRequest');
  const type = source['type'];
  if (type === undefined) throw invalid('ScaleVnfRequest needs type');
  if (!SCALE_TYPES.includes(type as ScaleType)) throw invalid('type must be SCALE_OUT or SCALE_IN');
  const aspectId = text(source, 'aspectId', true, 'ScaleVnfRequest')!;
  const steps = source['numberOfSteps'] ?? 1;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > 1000)
    throw invalid('numberOfSteps must be a positive integer (default 1)');
  return withOptional<ScaleVnfRequest>(
    { type: type as ScaleType, aspectId, numberOfSteps: steps },
    { additionalParams: object(source, 'additionalParams') },
  );
}

export function parseScaleVnfToLevelRequest(value: unknown): ScaleVnfToLevelRequest {
  const source = body(value, 'ScaleVnfToLevelRequest');
  const instantiationLevelId = text(source, 'instantiationLevelId', false, 'ScaleVnfToLevelRequest');
  const rawInfo = source['scaleInfo'];
  // SOL003: exactly one of the two.
  if ((instantiationLevelId === undefined) === (rawInfo === undefined))
    throw invalid('ScaleVnfToLevelRequest needs either instantiationLevelId or scaleInfo (not both)');
  let scaleInfo: ScaleInfo[] | undefined;
  if (rawInfo !== undefined) {
    if (!Array.isArray(rawInfo) || rawInfo.length === 0)
      throw invalid('scaleInfo must be a non-empty array of {aspectId, scaleLevel}');
    scaleInfo = rawInfo.map((entry, index) => {
      if (!isPlainObject(entry)) throw invalid(`scaleInfo[${index}] must be a JSON object`);
      const aspectId = text(entry, 'aspectId', true, `scaleInfo[${index}]`)!;
      const level = entry['scaleLevel'];
      if (typeof level !== 'number' || !Number.isInteger(level) || level < 0)
        throw invalid(`scaleInfo[${index}].scaleLevel must be a non-negative integer`);
      return { aspectId, scaleLevel: level };
    });
    if (new Set(scaleInfo.map((s) => s.aspectId)).size !== scaleInfo.length)
      throw invalid('scaleInfo names an aspect twice');
  }
  return withOptional<ScaleVnfToLevelRequest>(
    {},
    { instantiationLevelId, scaleInfo, additionalParams: object(source, 'additionalParams') },
  );
}

export function parseHealVnfRequest(value: unknown): HealVnfRequest {
  const source = value === undefined ? {} : body(value, 'HealVnfRequest');
  const ids = source['vnfcInstanceId'];
  let vnfcInstanceId: string[] | undefined;
  if (ids !== undefined) {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id === '' || id.length > 253))
      throw invalid('vnfcInstanceId must be an array of VNFC ids (strings)');
    vnfcInstanceId = [...new Set(ids as string[])];
  }
  const cause = source['cause'];
  if (cause !== undefined && (typeof cause !== 'string' || cause.length > 4096))
    throw invalid('cause must be a string');
  return withOptional<HealVnfRequest>(
    {},
    { vnfcInstanceId, cause, additionalParams: object(source, 'additionalParams') },
  );
}

export function parseChangeCurrentVnfPkgRequest(value: unknown): ChangeCurrentVnfPkgRequest {
  const source = body(value, 'ChangeCurrentVnfPkgRequest');
  const vnfdId = text(source, 'vnfdId', true, 'ChangeCurrentVnfPkgRequest')!;
  return withOptional<ChangeCurrentVnfPkgRequest>(
    { vnfdId },
    {
      additionalParams: object(source, 'additionalParams'),
      extensions: object(source, 'extensions'),
      vnfConfigurableProperties: object(source, 'vnfConfigurableProperties'),
    },
  );
}

export function parseChangeVnfFlavourRequest(value: unknown): ChangeVnfFlavourRequest {
  const source = body(value, 'ChangeVnfFlavourRequest');
  const newFlavourId = text(source, 'newFlavourId', true, 'ChangeVnfFlavourRequest')!;
  return withOptional<ChangeVnfFlavourRequest>(
    { newFlavourId },
    {
      instantiationLevelId: text(source, 'instantiationLevelId', false, 'ChangeVnfFlavourRequest'),
      additionalParams: object(source, 'additionalParams'),
    },
  );
}

export function parseChangeExtVnfConnectivityRequest(value: unknown): ChangeExtVnfConnectivityRequest {
  const source = body(value, 'ChangeExtVnfConnectivityRequest');
  const links = source['extVirtualLinks'];
  if (!Array.isArray(links) || links.length === 0)
    throw invalid('ChangeExtVnfConnectivityRequest needs extVirtualLinks (a non-empty array)');
  const extVirtualLinks = links.map((link, index): ExtVirtualLinkData => {
    if (!isPlainObject(link)) throw invalid(`extVirtualLinks[${index}] must be a JSON object`);
    const id = text(link, 'id', true, `extVirtualLinks[${index}]`)!;
    const resourceId = text(link, 'resourceId', true, `extVirtualLinks[${index}]`)!;
    const extCps = link['extCps'];
    if (!Array.isArray(extCps) || extCps.length === 0 || !extCps.every(isPlainObject))
      throw invalid(`extVirtualLinks[${index}].extCps must be a non-empty array of objects`);
    for (const [cpIndex, cp] of (extCps as KeyValuePairs[]).entries()) {
      if (typeof cp['cpdId'] !== 'string' || cp['cpdId'] === '')
        throw invalid(`extVirtualLinks[${index}].extCps[${cpIndex}] needs cpdId`);
    }
    // accessInfo never stays in a record; anything else of ExtVirtualLinkData is kept as given.
    const { accessInfo: _accessInfo, ...rest } = link;
    return { ...rest, id, resourceId, extCps: extCps as KeyValuePairs[] };
  });
  return withOptional<ChangeExtVnfConnectivityRequest>(
    { extVirtualLinks },
    { additionalParams: object(source, 'additionalParams') },
  );
}

/** CancelMode body: `{"cancelMode": "GRACEFUL"|"FORCEFUL"}`; no body means GRACEFUL (netweave default). */
export function parseCancelMode(value: unknown): CancelModeType {
  if (value === undefined) return 'GRACEFUL';
  const source = body(value, 'CancelMode');
  const mode = source['cancelMode'];
  if (mode === undefined) throw invalid('CancelMode needs cancelMode');
  if (!CANCEL_MODES.includes(mode as CancelModeType))
    throw invalid('cancelMode must be GRACEFUL or FORCEFUL');
  return mode as CancelModeType;
}
