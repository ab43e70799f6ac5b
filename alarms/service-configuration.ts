/**
 * The O2 AlarmServiceConfiguration in the state store: one document shared by every replica (the retention
 * leader reads `retentionPeriod` from it). Until an SMO writes one, the configured default applies.
 *
 * Writes are optimistic: the document's store version is its ETag, so a client can make a PUT or PATCH
 * conditional with If-Match (412 when someone else changed it meanwhile), and an unconditional PATCH is
 * re-applied to the newest version instead of overwriting a concurrent change.
 */
import { z } from 'zod';
import type { DocumentCollection, StateStore } from '../state/store.ts';

/** The O2 AlarmServiceConfiguration: how long cleared alarms are kept, and the SMO's extensions. */
export interface AlarmServiceConfiguration {
  readonly retentionPeriod: number;
  readonly extensions: Readonly<Record<string, unknown>>;
}

export const SERVICE_CONFIGURATION_COLLECTION = 'alarm-service-configuration';
const DOCUMENT_ID = 'current';

const configurationSchema = z.object({
  retentionPeriod: z.number().int().min(1),
  extensions: z.record(z.unknown()),
});

export interface VersionedConfiguration {
  readonly value: AlarmServiceConfiguration;
  /** 0 while the default applies (nothing stored). */
  readonly version: number;
}

export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Max optimistic retries of an unconditional PATCH racing other writers. */
const MAX_ATTEMPTS = 16;

export class AlarmServiceConfigurationStore {
  readonly #documents: DocumentCollection<AlarmServiceConfiguration>;

  constructor(
    store: StateStore,
    private readonly defaults: AlarmServiceConfiguration,
  ) {
    this.#documents = store.collection<AlarmServiceConfiguration>(SERVICE_CONFIGURATION_COLLECTION);
  }

  async read(): Promise<VersionedConfiguration> {
    const stored = await this.#documents.getVersioned(DOCUMENT_ID);
    const parsed = stored === undefined ? undefined : configurationSchema.safeParse(stored.value);
    // A document another version of netweave wrote in a shape this one does not read counts as absent.
    if (stored === undefined || parsed === undefined || !parsed.success)
      return { value: this.defaults, version: stored?.version ?? 0 };
    return { value: parsed.data, version: stored.version };
  }

  /**
   * Writes `update(current)`. With `ifMatch` (an ETag) the write happens only on that version; without, it is
   * retried on the newest version. Throws PreconditionFailedError on a mismatching ETag.
   */
  async update(
    update: (current: AlarmServiceConfiguration) => AlarmServiceConfiguration,
    ifMatch?: string,
  ): Promise<VersionedConfiguration> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read();
      if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(current.version)) {
        throw new PreconditionFailedError('the alarm service configuration changed since the given ETag');
      }
      const next = update(current.value);
      if (await this.#documents.replaceIfVersion(DOCUMENT_ID, next, current.version)) {
        const written = await this.#documents.getVersioned(DOCUMENT_ID);
        return { value: next, version: written?.version ?? current.version + 1 };
      }
      if (ifMatch !== undefined && ifMatch !== '*')
        throw new PreconditionFailedError('the alarm service configuration changed meanwhile');
    }
    throw new Error('the alarm service configuration is changing too fast to update');
  }
}
