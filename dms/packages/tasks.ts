/**
 * The SOL005 package tasks once, as the caller's tenant sees them (docs/dms.md "GraphQL"): the hub's GraphQL
 * fields and the vnfpkgm REST routes both run these, so both validate, scope and refuse alike. Every package
 * belongs to the tenant that created it; another tenant's package is NOT_FOUND, as an unknown id is, so
 * existence never leaks. Errors are DmsErrors (INVALID 400, NOT_FOUND 404, CONFLICT 409, PAYLOAD_TOO_LARGE 413).
 */
import type {
  OnboardingFailureDetails,
  PackageArtifact,
  PackageChecksum,
  PackageRecord,
} from '../descriptor.ts';
import { DmsError } from '../errors.ts';
import { isUuid } from '../../o2/ids.ts';
import { titleOf } from '../../common/problem-details.ts';
import type { PackageModifications, PackageRepository } from './repository.ts';

/** The caller's tenant: `*` is the operator scope, which sees every package and creates untenanted ones. */
export type PackageTenant = string;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SOL005 CreateVnfPkgInfoRequest → its userDefinedData (undefined or null: an empty request). */
export function parseCreateVnfPkgInfoRequest(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (!isObject(body)) throw new DmsError('INVALID', 'the body must be a JSON object');
  const unknown = Object.keys(body).filter((name) => name !== 'userDefinedData');
  if (unknown.length > 0)
    throw new DmsError('INVALID', 'a CreateVnfPkgInfoRequest holds userDefinedData only');
  const data = body['userDefinedData'];
  if (data === undefined) return {};
  if (!isObject(data)) throw new DmsError('INVALID', 'userDefinedData must be a JSON object');
  return data;
}

/** SOL005 VnfPkgInfoModifications. */
export function parseVnfPkgInfoModifications(body: unknown): PackageModifications {
  if (body === undefined || body === null) throw new DmsError('INVALID', 'a request body is required');
  if (!isObject(body)) throw new DmsError('INVALID', 'the body must be a JSON object');
  const unknown = Object.keys(body).filter(
    (name) => name !== 'operationalState' && name !== 'userDefinedData',
  );
  if (unknown.length > 0)
    throw new DmsError('INVALID', 'VnfPkgInfoModifications holds operationalState and userDefinedData only');
  const state = body['operationalState'];
  const data = body['userDefinedData'];
  if (state === undefined && data === undefined)
    throw new DmsError('INVALID', 'VnfPkgInfoModifications needs operationalState or userDefinedData');
  if (state !== undefined && state !== 'ENABLED' && state !== 'DISABLED')
    throw new DmsError('INVALID', 'operationalState must be ENABLED or DISABLED');
  if (data !== undefined && !isObject(data))
    throw new DmsError('INVALID', 'userDefinedData must be a JSON object');
  return {
    ...(state === undefined ? {} : { operationalState: state }),
    ...(data === undefined ? {} : { userDefinedData: data }),
  };
}

/** A package as clients see it (SOL005 VnfPkgInfo without `_links`): the GraphQL VnfPackage, REST's VnfPkgInfo. */
export interface PackageInfo {
  readonly id: string;
  readonly vnfdId?: string;
  readonly vnfProvider?: string;
  readonly vnfProductName?: string;
  readonly vnfSoftwareVersion?: string;
  readonly vnfdVersion?: string;
  readonly checksum?: PackageChecksum;
  readonly additionalArtifacts?: readonly PackageArtifact[];
  readonly onboardingState: PackageRecord['onboardingState'];
  readonly operationalState: PackageRecord['operationalState'];
  readonly usageState: PackageRecord['usageState'];
  readonly userDefinedData: Readonly<Record<string, unknown>>;
  readonly onboardingFailureDetails?: OnboardingFailureDetails;
}

export function packageInfoOf(record: PackageRecord): PackageInfo {
  const descriptor = record.descriptor;
  return {
    id: record.id,
    ...(descriptor === undefined
      ? {}
      : {
          vnfdId: descriptor.vnfdId,
          vnfProvider: descriptor.vnfProvider,
          vnfProductName: descriptor.vnfProductName,
          vnfSoftwareVersion: descriptor.vnfSoftwareVersion,
          vnfdVersion: descriptor.vnfdVersion,
        }),
    ...(record.checksum === undefined ? {} : { checksum: record.checksum }),
    ...(record.additionalArtifacts === undefined || record.additionalArtifacts.length === 0
      ? {}
      : { additionalArtifacts: record.additionalArtifacts }),
    onboardingState: record.onboardingState,
    operationalState: record.operationalState,
    usageState: record.usageState,
    userDefinedData: record.userDefinedData,
    ...(record.onboardingFailureDetails === undefined
      ? {}
      : { onboardingFailureDetails: record.onboardingFailureDetails }),
  };
}

function visibleTo(tenant: PackageTenant, record: PackageRecord): boolean {
  return tenant === '*' || tenant === record.tenant;
}

function byId(records: PackageRecord[]): PackageRecord[] {
  return records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The package tasks of one repository. */
export class PackageTasks {
  constructor(readonly packages: PackageRepository) {}

  async list(tenant: PackageTenant): Promise<PackageRecord[]> {
    return byId((await this.packages.list()).filter((record) => visibleTo(tenant, record)));
  }

  /** The package a caller may see, or NOT_FOUND (unknown and foreign look the same). */
  async get(tenant: PackageTenant, id: string): Promise<PackageRecord> {
    // Package ids are UUIDs; anything else is unknown, and not quoted back.
    if (!isUuid(id)) throw new DmsError('NOT_FOUND', 'No VNF package exists with this id.');
    const record = await this.packages.get(id);
    if (record === undefined || !visibleTo(tenant, record))
      throw new DmsError('NOT_FOUND', `VNF package ${id} was not found.`);
    return record;
  }

  create(tenant: PackageTenant, body: unknown): Promise<PackageRecord> {
    const userDefinedData = parseCreateVnfPkgInfoRequest(body);
    return this.packages.create(tenant === '*' ? undefined : tenant, userDefinedData);
  }

  /** Answers the modifications applied (SOL005's PATCH answer). */
  async modify(tenant: PackageTenant, id: string, body: unknown): Promise<PackageModifications> {
    const modifications = parseVnfPkgInfoModifications(body);
    const record = await this.get(tenant, id);
    await this.packages.modify(record.id, modifications);
    return modifications;
  }

  async delete(tenant: PackageTenant, id: string): Promise<void> {
    const record = await this.get(tenant, id);
    await this.packages.delete(record.id);
  }

  /** Refuses an upload before reading it: the package must exist for the caller and be CREATED. */
  async acceptsUpload(tenant: PackageTenant, id: string): Promise<PackageRecord> {
    const record = await this.get(tenant, id);
    if (record.onboardingState !== 'CREATED')
      throw new DmsError(
        'CONFLICT',
        `VNF package ${record.id} is ${record.onboardingState}; content can be uploaded only while it is CREATED.`,
      );
    return record;
  }

  /** An upload larger than `limit`: the package goes to ERROR and the caller gets PAYLOAD_TOO_LARGE. */
  async refuseOversized(id: string, limit: number): Promise<never> {
    const detail = `the package is larger than ${limit} bytes`;
    await this.packages.rejectContent(id, { status: 413, title: titleOf(413), detail });
    throw new DmsError('PAYLOAD_TOO_LARGE', `${detail}; the package is now in ERROR.`);
  }

  /** On-boards uploaded content: the package afterwards (ONBOARDED, or ERROR with its failure details). */
  async upload(tenant: PackageTenant, id: string, content: Buffer): Promise<PackageRecord> {
    await this.acceptsUpload(tenant, id);
    if (content.length === 0) throw new DmsError('INVALID', 'the request carries no package content');
    return this.packages.uploadContent(id, content);
  }
}
