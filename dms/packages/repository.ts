/**
 * NF packages in the state store (SOL005 clause 9 state model, docs/dms.md):
 *
 *   create            CREATED, DISABLED, NOT_IN_USE
 *   uploadContent     CREATED → PROCESSING → ONBOARDED + ENABLED, or ERROR with onboardingFailureDetails
 *   enable / disable  ONBOARDED only; asking for the current state again is a CONFLICT
 *   delete            CONFLICT while ENABLED or IN_USE; removes the content too
 *   usage state       set by the lifecycle as instances start and stop using the package
 *
 * Records live in `dms-packages`; the uploaded bytes once, base64, in `dms-package-content` (apart, so
 * lists never load blobs). Every change is a compare-and-set on the record's version (`replaceIfVersion`):
 * of two uploads racing for one package exactly one moves it to PROCESSING, the other gets CONFLICT.
 */
import { randomUUID } from 'node:crypto';
import type { DocumentCollection, StateStore } from '../../state/store.ts';
import { type StoredRecordKind, UNVERSIONED_TO_V1, withSchemaVersion } from '../../state/schema-versions.ts';
import { DMS_ERROR_CODES, DmsError } from '../errors.ts';
import type {
  OnboardingFailureDetails,
  PackageOperationalState,
  PackageRecord,
  PackageUsageState,
} from '../descriptor.ts';
import { sha256 } from './artifact-hashes.ts';
import { DEFAULT_PACKAGE_LIMITS } from './limits.ts';
import type { PackageLimits } from './limits.ts';
import { packageFiles, parsePackage } from './parse-package.ts';
import { vnfdFilesOf } from './vnfd-files.ts';
import type { VnfdFiles } from './vnfd-files.ts';
import { isRecord, setOwn } from './yaml-doc.ts';

export const PACKAGES_COLLECTION = 'dms-packages';

/** The stored form of VNF packages and its migrations (state/schema-versions.ts). */
export const DMS_PACKAGE_RECORDS: StoredRecordKind = {
  name: 'VNF package',
  collection: PACKAGES_COLLECTION,
  migrations: [UNVERSIONED_TO_V1],
};
export const PACKAGE_CONTENT_COLLECTION = 'dms-package-content';

interface StoredContent {
  readonly contentBase64: string;
}

export interface PackageRepositoryOptions {
  /** Largest accepted upload in bytes (default 64 MiB). */
  readonly maxContentBytes?: number;
  /** Largest expanded size of a package's archives (default 256 MiB). */
  readonly maxExpandedBytes?: number;
  /** Most entries in a package's zip or chart tar (default 10 000). */
  readonly maxEntries?: number;
  readonly now?: () => Date;
}

export interface PackageModifications {
  readonly operationalState?: PackageOperationalState;
  /** JSON merge patch (RFC 7396) of userDefinedData: a null member removes the key. */
  readonly userDefinedData?: Readonly<Record<string, unknown>>;
}

/** Compare-and-set attempts before a busy record is reported as a conflict. */
const CAS_ATTEMPTS = 8;

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
};

function failureOf(error: unknown): OnboardingFailureDetails {
  if (error instanceof DmsError) {
    const status = DMS_ERROR_CODES[error.code];
    return { status, title: STATUS_TITLES[status] ?? 'Error', detail: error.detail };
  }
  // A library tripping over malformed input: still the package's fault, and never a crash.
  return {
    status: 422,
    title: STATUS_TITLES[422]!,
    detail: 'the package could not be processed (malformed archive or descriptor)',
  };
}

/** RFC 7396 merge patch. */
export function mergePatch(
  target: Readonly<Record<string, unknown>>,
  patch: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const removed = new Set(
    Object.entries(patch)
      .filter(([, value]) => value === null)
      .map(([key]) => key),
  );
  const out: Record<string, unknown> = Object.fromEntries(
    Object.entries(target).filter(([key]) => !removed.has(key)),
  );
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) continue;
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    setOwn(out, key, isRecord(value) ? mergePatch(isRecord(current) ? current : {}, value) : value);
  }
  return out;
}

function notFound(id: string): DmsError {
  return new DmsError('NOT_FOUND', `VNF package ${id} was not found`);
}

export class PackageRepository {
  private readonly packages: DocumentCollection<PackageRecord>;
  private readonly contents: DocumentCollection<StoredContent>;
  readonly limits: PackageLimits;
  private readonly now: () => Date;

  constructor(store: StateStore, options: PackageRepositoryOptions = {}) {
    this.packages = store.collection<PackageRecord>(PACKAGES_COLLECTION);
    this.contents = store.collection<StoredContent>(PACKAGE_CONTENT_COLLECTION);
    this.limits = {
      maxContentBytes: options.maxContentBytes ?? DEFAULT_PACKAGE_LIMITS.maxContentBytes,
      maxExpandedBytes: options.maxExpandedBytes ?? DEFAULT_PACKAGE_LIMITS.maxExpandedBytes,
      maxEntries: options.maxEntries ?? DEFAULT_PACKAGE_LIMITS.maxEntries,
    };
    this.now = options.now ?? (() => new Date());
  }

  async create(
    tenant: string | undefined,
    userDefinedData: Record<string, unknown> = {},
  ): Promise<PackageRecord> {
    const record: PackageRecord = {
      id: randomUUID(),
      tenant,
      onboardingState: 'CREATED',
      operationalState: 'DISABLED',
      usageState: 'NOT_IN_USE',
      userDefinedData,
      createdAt: this.now().toISOString(),
    };
    if (!(await this.packages.create(record.id, withSchemaVersion(DMS_PACKAGE_RECORDS, record))))
      throw new DmsError('CONFLICT', `VNF package ${record.id} exists already`);
    return (await this.packages.get(record.id)) ?? record;
  }

  get(id: string): Promise<PackageRecord | undefined> {
    return this.packages.get(id);
  }

  async list(): Promise<PackageRecord[]> {
    return (await this.packages.list()).map((entry) => entry.doc);
  }

  /**
   * Applies `change` to the current record with compare-and-set, retrying when another writer got there
   * first. `change` throws DmsError to refuse (it sees the fresh record on every attempt).
   */
  private async update(id: string, change: (record: PackageRecord) => PackageRecord): Promise<PackageRecord> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const current = await this.packages.getVersioned(id);
      if (current === undefined) throw notFound(id);
      const next = change(current.value);
      if (await this.packages.replaceIfVersion(id, next, current.version)) return next;
    }
    throw new DmsError('CONFLICT', `VNF package ${id} is being changed by another request; retry`);
  }

  async uploadContent(id: string, content: Buffer): Promise<PackageRecord> {
    const current = await this.packages.getVersioned(id);
    if (current === undefined) throw notFound(id);
    if (current.value.onboardingState !== 'CREATED')
      throw new DmsError(
        'CONFLICT',
        `VNF package ${id} is ${current.value.onboardingState}; content can be uploaded only while it is CREATED`,
      );
    const processing: PackageRecord = { ...current.value, onboardingState: 'PROCESSING' };
    // One winner: a concurrent upload finds the version moved on.
    if (!(await this.packages.replaceIfVersion(id, processing, current.version)))
      throw new DmsError('CONFLICT', `VNF package ${id} is already receiving content`);

    let outcome: Partial<PackageRecord>;
    try {
      const descriptor = await parsePackage(content, this.limits);
      const files = await packageFiles(content, this.limits);
      const additionalArtifacts = descriptor.charts.flatMap((chart) => {
        const archive = files?.get(chart.path);
        return archive === undefined
          ? []
          : [
              {
                artifactPath: chart.path,
                checksum: { algorithm: 'SHA-256' as const, hash: sha256(archive) },
              },
            ];
      });
      await this.contents.put(id, { contentBase64: content.toString('base64') });
      outcome = {
        onboardingState: 'ONBOARDED',
        operationalState: 'ENABLED',
        descriptor,
        checksum: { algorithm: 'SHA-256', hash: sha256(content) },
        ...(additionalArtifacts.length === 0 ? {} : { additionalArtifacts }),
      };
    } catch (error) {
      outcome = { onboardingState: 'ERROR', onboardingFailureDetails: failureOf(error) };
    }
    try {
      // Applied to the fresh record: a userDefinedData PATCH during processing is kept.
      return await this.update(id, (record) => {
        if (record.onboardingState !== 'PROCESSING')
          throw new DmsError('CONFLICT', `VNF package ${id} changed while its content was processed`);
        return { ...record, ...outcome };
      });
    } catch (error) {
      // Deleted while processing: its content must not outlive it.
      if (outcome.onboardingState === 'ONBOARDED') await this.contents.delete(id);
      throw error;
    }
  }

  /** PATCH: operational state and/or userDefinedData in one compare-and-set. */
  modify(id: string, modifications: PackageModifications): Promise<PackageRecord> {
    return this.update(id, (record) => {
      let next = record;
      if (modifications.operationalState !== undefined) {
        if (record.onboardingState !== 'ONBOARDED')
          throw new DmsError(
            'CONFLICT',
            `VNF package ${id} is ${record.onboardingState}; only an ONBOARDED package can be enabled or disabled`,
          );
        if (record.operationalState === modifications.operationalState)
          throw new DmsError('CONFLICT', `VNF package ${id} is already ${record.operationalState}`);
        next = { ...next, operationalState: modifications.operationalState };
      }
      if (modifications.userDefinedData !== undefined)
        next = {
          ...next,
          userDefinedData: mergePatch(record.userDefinedData, modifications.userDefinedData),
        };
      return next;
    });
  }

  setOperationalState(id: string, state: PackageOperationalState): Promise<PackageRecord> {
    return this.modify(id, { operationalState: state });
  }

  async delete(id: string): Promise<void> {
    const current = await this.packages.get(id);
    if (current === undefined) throw notFound(id);
    if (current.operationalState === 'ENABLED')
      throw new DmsError('CONFLICT', `VNF package ${id} is ENABLED; disable it before deleting it`);
    if (current.usageState === 'IN_USE')
      throw new DmsError('CONFLICT', `VNF package ${id} is IN_USE by VNF instances`);
    if (!(await this.packages.delete(id))) throw notFound(id);
    await this.contents.delete(id);
  }

  async readContent(id: string): Promise<Buffer | undefined> {
    const stored = await this.contents.get(id);
    return stored === undefined ? undefined : Buffer.from(stored.contentBase64, 'base64');
  }

  async readArtifact(id: string, path: string): Promise<Buffer | undefined> {
    const content = await this.readContent(id);
    if (content === undefined) return undefined;
    if (path === '') {
      const record = await this.packages.get(id);
      return record?.descriptor?.kind === 'chart' ? content : undefined;
    }
    const files = await packageFiles(content, this.limits);
    return files?.get(path);
  }

  /**
   * Packages left PROCESSING by a process that stopped mid-upload (nothing else can finish them: the bytes
   * were only in that process) go to ERROR. Call once at start-up, before serving; returns their ids.
   */
  async recoverInterruptedUploads(): Promise<string[]> {
    const recovered: string[] = [];
    for (const record of await this.list()) {
      if (record.onboardingState !== 'PROCESSING') continue;
      try {
        await this.update(record.id, (current) => {
          if (current.onboardingState !== 'PROCESSING')
            throw new DmsError('CONFLICT', 'no longer processing');
          return {
            ...current,
            onboardingState: 'ERROR',
            onboardingFailureDetails: {
              status: 409,
              title: STATUS_TITLES[409]!,
              detail: 'processing of the content was interrupted by a restart; create the package again',
            },
          };
        });
        recovered.push(record.id);
      } catch (error) {
        if (!(error instanceof DmsError)) throw error;
      }
    }
    return recovered;
  }

  /** The VNFD files of an on-boarded CSAR; undefined for a bare chart or an unknown package. */
  async readVnfd(id: string): Promise<VnfdFiles | undefined> {
    const content = await this.readContent(id);
    if (content === undefined) return undefined;
    const files = await packageFiles(content, this.limits);
    return files === undefined ? undefined : vnfdFilesOf(files);
  }

  /**
   * An upload refused before its bytes reached the repository (e.g. larger than the HTTP limit): the package
   * goes from CREATED to ERROR with these details, as if the content had been refused on-boarding.
   */
  async rejectContent(id: string, failure: OnboardingFailureDetails): Promise<PackageRecord> {
    return this.update(id, (record) => {
      if (record.onboardingState !== 'CREATED')
        throw new DmsError(
          'CONFLICT',
          `VNF package ${id} is ${record.onboardingState}; content can be uploaded only while it is CREATED`,
        );
      return { ...record, onboardingState: 'ERROR', onboardingFailureDetails: failure };
    });
  }

  async setUsageState(id: string, usage: PackageUsageState): Promise<void> {
    await this.update(id, (record) => {
      if (usage === 'IN_USE' && record.onboardingState !== 'ONBOARDED')
        throw new DmsError('CONFLICT', `VNF package ${id} is ${record.onboardingState}, not ONBOARDED`);
      return { ...record, usageState: usage };
    });
  }
}
