/**
 * Schema versions of stored records (docs/operations.md "Stored records and upgrades"). Every record kind
 * the store keeps for netweave (subscriptions, alarms, DMS objects, the shard registry) declares its
 * collection and an ordered list of migrations; each record carries `schemaVersion`, and at start-up the
 * gateway rewrites every record older than the code's version by running the missing steps in order.
 * Records written before versions existed have none: they are version 0.
 *
 * Concurrency: a record is rewritten with replaceIfVersion against the version it was read at, so replicas
 * starting together never overwrite each other (the loser sees the record changed and leaves it; it is
 * migrated already). A record NEWER than the code (a rollback after an upgrade) is left as it is.
 */
import type { StateStore } from './store.ts';

export const SCHEMA_VERSION_FIELD = 'schemaVersion';

type StoredDocument = Record<string, unknown>;

export interface RecordMigration {
  /** The version this step produces; it runs on records of any lower version. */
  readonly to: number;
  readonly migrate: (doc: StoredDocument) => StoredDocument;
}

export interface StoredRecordKind {
  /** For logs: "inventory subscription", "alarm", … */
  readonly name: string;
  readonly collection: string;
  /** Ordered by `to`, ascending; the last one's `to` is the current version. */
  readonly migrations: readonly RecordMigration[];
}

/**
 * Version 1 is the format the records had when versions were introduced: an unversioned record has that
 * shape already and only gets the version stamped.
 */
export const UNVERSIONED_TO_V1: RecordMigration = { to: 1, migrate: (doc) => doc };

export function currentVersion(kind: StoredRecordKind): number {
  return kind.migrations.at(-1)?.to ?? 0;
}

export function schemaVersionOf(doc: object): number {
  const version = (doc as StoredDocument)[SCHEMA_VERSION_FIELD];
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : 0;
}

/** The document as writers store it: stamped with the current version of its kind. */
export function withSchemaVersion<T extends object>(kind: StoredRecordKind, doc: T): T {
  return { ...doc, [SCHEMA_VERSION_FIELD]: currentVersion(kind) };
}

export interface MigrationReport {
  readonly kind: string;
  /** Records rewritten to the current version. */
  readonly migrated: number;
  /** Records of a newer version than this code (left untouched). */
  readonly newer: number;
}

/** Brings every record of every kind to its current version; answers what it did per kind. */
export async function migrateStoredRecords(
  store: StateStore,
  kinds: readonly StoredRecordKind[],
): Promise<MigrationReport[]> {
  const reports: MigrationReport[] = [];
  for (const kind of kinds) {
    const target = currentVersion(kind);
    const collection = store.collection<StoredDocument>(kind.collection);
    let migrated = 0;
    let newer = 0;
    for (const { id } of await collection.list()) {
      const stored = await collection.getVersioned(id);
      if (stored === undefined) continue;
      const from = schemaVersionOf(stored.value);
      if (from > target) newer++;
      if (from >= target) continue;
      let doc = stored.value;
      for (const step of kind.migrations) if (step.to > from) doc = step.migrate(doc);
      if (await collection.replaceIfVersion(id, { ...doc, [SCHEMA_VERSION_FIELD]: target }, stored.version))
        migrated++;
    }
    reports.push({ kind: kind.name, migrated, newer });
  }
  return reports;
}
