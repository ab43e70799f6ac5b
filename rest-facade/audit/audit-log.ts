/**
 * The audit log (docs/security.md "Audit log"): one record per write (POST, PUT, PATCH, DELETE on any REST path)
 * and per denied request (401, 403 on any path, `/graphql` included), with who, which tenant, what, on which
 * object, the outcome and when. Records live in a bounded event log of the state store (shared by the replicas
 * on one Redis): the oldest are trimmed past `maxEntries`, and records older than `maxAgeDays` are never
 * served.
 */
import type { EventLog, StateStore } from '../../state/store.ts';

export const AUDIT_LOG = 'audit';

export interface AuditRecord {
  /** ISO 8601 time the answer was sent. */
  readonly time: string;
  /** The authenticated principal; null when authentication failed (401). */
  readonly principal: string | null;
  readonly tenant: string | null;
  /** HTTP method (POST, PUT, PATCH, DELETE; any method for a denial). */
  readonly action: string;
  /** The request path, without its query string. */
  readonly object: string;
  readonly status: number;
  /** succeeded (2xx/3xx), denied (401/403), failed (any other status), aborted (no answer was sent). */
  readonly outcome: 'succeeded' | 'denied' | 'failed' | 'aborted';
  readonly requestId: string;
  /** The client's socket address. */
  readonly address: string | null;
}

export interface AuditEntry extends AuditRecord {
  /** Cursor of the record: pass it as `after` to read on. */
  readonly id: string;
}

export interface AuditRetention {
  readonly maxEntries: number;
  readonly maxAgeDays: number;
}

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Whether an answered request belongs in the audit log. */
export function isAudited(method: string, path: string, status: number): boolean {
  if (status === 401 || status === 403) return true;
  // POST /graphql carries queries too: its mutations are recorded from what the router executed (cli/gateway.ts).
  return WRITE_METHODS.includes(method) && path !== '/graphql';
}

export function outcomeOf(status: number | undefined): AuditRecord['outcome'] {
  if (status === undefined) return 'aborted';
  if (status === 401 || status === 403) return 'denied';
  return status < 400 ? 'succeeded' : 'failed';
}

export interface AuditQuery {
  readonly after?: string | undefined;
  readonly limit: number;
  readonly principal?: string | undefined;
  readonly outcome?: AuditRecord['outcome'] | undefined;
}

export class AuditLog {
  readonly #log: EventLog<AuditRecord>;

  constructor(
    store: StateStore,
    private readonly retention: AuditRetention,
    private readonly now: () => number = Date.now,
  ) {
    this.#log = store.eventLog<AuditRecord>(AUDIT_LOG, { maxLength: retention.maxEntries });
  }

  async record(record: AuditRecord): Promise<void> {
    await this.#log.append(record);
  }

  /** Records after `after` (oldest retained first), filtered, at most `limit`; `next` when more may follow. */
  async list(query: AuditQuery): Promise<{ entries: AuditEntry[]; next: string | undefined }> {
    const oldest = this.now() - this.retention.maxAgeDays * 86_400_000;
    const entries: AuditEntry[] = [];
    let cursor = query.after;
    // Read in batches until the page is full or the log ends; filters may skip many records.
    for (;;) {
      const batch = await this.#log.read(cursor, Math.max(query.limit, 100));
      for (const { cursor: id, event } of batch) {
        cursor = id;
        if (Date.parse(event.time) < oldest) continue;
        if (query.principal !== undefined && event.principal !== query.principal) continue;
        if (query.outcome !== undefined && event.outcome !== query.outcome) continue;
        entries.push({ id, ...event });
        if (entries.length === query.limit) return { entries, next: id };
      }
      if (batch.length === 0) return { entries, next: undefined };
    }
  }
}
