/**
 * The data behind memory-mode store handles. Several handles may share one backend (the way several
 * gateway replicas share one Redis), which is how the contract suite exercises pub/sub, leases and
 * consumer groups across "replicas" without a server. Nothing here survives the process.
 */
import { MemoryRateLimiters } from '../rate-limits.ts';

export interface StoredDocument {
  /** Kept as JSON text so readers never share objects with writers, exactly as with Redis. */
  json: string;
  version: number;
}

export interface CollectionData {
  readonly docs: Map<string, StoredDocument>;
  /** Last version handed out in this collection; versions are never reused, even after delete. */
  seq: number;
  readonly indexes: Map<string, Map<string, string>>;
}

export interface StoredEntry {
  cursor: string;
  json: string;
}

export interface PendingEntry {
  consumer: string;
  deliveredAt: number;
}

export interface GroupData {
  /** Newest cursor handed to any consumer of the group. */
  lastDelivered: string;
  /** Delivered and not yet acked, by normalized cursor. */
  readonly pending: Map<string, PendingEntry>;
}

export interface LogData {
  /** Ascending by cursor. */
  readonly entries: StoredEntry[];
  /** The last cursor generated, as numbers; survives trimming so cursors never go backwards. */
  last: { ms: number; seq: number } | undefined;
  readonly groups: Map<string, GroupData>;
  /** Tails and blocked claims waiting for the next append. */
  readonly wakers: Set<() => void>;
}

export interface LeaseData {
  owner: string;
  expiresAt: number;
}

export class MemoryBackend {
  readonly #collections = new Map<string, CollectionData>();
  readonly #logs = new Map<string, LogData>();
  readonly leases = new Map<string, LeaseData>();
  readonly channels = new Map<string, Set<(message: string) => void>>();
  readonly rateLimiters = new MemoryRateLimiters();

  /** `clock` drives lease expiry, consumer idle time and cursor milliseconds; tests inject a fake one. */
  constructor(readonly clock: () => number = Date.now) {}

  collection(name: string): CollectionData {
    let data = this.#collections.get(name);
    if (!data) {
      data = { docs: new Map(), seq: 0, indexes: new Map() };
      this.#collections.set(name, data);
    }
    return data;
  }

  log(name: string): LogData {
    let data = this.#logs.get(name);
    if (!data) {
      data = { entries: [], last: undefined, groups: new Map(), wakers: new Set() };
      this.#logs.set(name, data);
    }
    return data;
  }
}
