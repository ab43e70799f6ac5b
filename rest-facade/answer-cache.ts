/**
 * A short-lived cache of serialized inventory answers, per request and caller.
 *
 * An inventory answer is a federated read over every cluster: the router plans it, the shards answer, the
 * facade shapes and serializes several hundred KB of JSON. SMOs poll the same lists again and again, and the
 * answer is already only as fresh as the clusters' informer caches (eventually consistent, by watch). So the
 * facade keeps each serialized 200 answer for `maxAgeMs` and serves repeats from memory; concurrent requests
 * for an answer that is being computed wait for that one computation instead of starting their own.
 *
 * Stale while revalidating: during the next `maxAgeMs` after an answer expired, a request gets the expired
 * answer at once and starts (at most one) recomputation in the background; a large answer takes the gateway
 * tens of milliseconds to recompute, and requests should not queue behind it. So an answer is at most
 * `maxAgeMs` old, or `2 × maxAgeMs` while its successor is being computed; after that, requests wait.
 *
 * What is never served from the cache: answers with errors, partial answers (a cluster was missing: the next
 * request must try it again), answers for another caller (the key holds principal, tenant and roles, so
 * tenant scoping holds), and anything older than `2 × maxAgeMs`. `maxAgeMs: 0` turns the cache off.
 */
import { LRUCache } from 'lru-cache';

export interface CachedAnswer {
  /** The serialized body. */
  readonly body: Buffer;
  readonly etag: string;
  /** The Link header of the answer (pages), if any. */
  readonly link: string | undefined;
  /** Clusters the answer lacks (Netweave-Partial-Result); such answers are never kept. */
  readonly missingClusters: readonly string[];
  /** Clusters that answered from a stale cache; such answers are never kept either. */
  readonly staleClusters?: readonly string[];
}

/**
 * The key of a request: the profile, the route and its parameters as sent, the O2 query parameters (sorted;
 * others do not change the answer) and the caller's scope — never the request id.
 */
export function answerKey(
  parts: readonly string[],
  query: Readonly<Record<string, unknown>>,
  caller: { readonly principal: string; readonly roles: readonly string[]; readonly tenant: unknown },
  queryParameters: ReadonlySet<string>,
): string {
  const o2Query = Object.entries(query)
    .filter(([name]) => queryParameters.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([parts, o2Query, caller.principal, [...caller.roles].sort(), caller.tenant]);
}

export interface AnswerCacheSettings {
  /** How long an answer is reused; 0 disables the cache. */
  readonly maxAgeMs: number;
  readonly maxEntries?: number;
  /** Bound on the bytes of all kept bodies. */
  readonly maxBytes?: number;
}

interface Entry extends CachedAnswer {
  /** Served as is until then. */
  readonly expires: number;
  /** Served while a successor is computed until then. */
  readonly staleUntil: number;
}

export const DEFAULT_ANSWER_CACHE_ENTRIES = 512;
export const DEFAULT_ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

export class AnswerCache {
  readonly #entries: LRUCache<string, Entry>;
  readonly #pending = new Map<string, Promise<CachedAnswer | undefined>>();
  readonly #maxAgeMs: number;
  readonly #maxBytes: number;
  /** Advanced by clear(): answers computed before it are not kept. */
  #generation = 0;

  constructor(
    settings: AnswerCacheSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.#maxAgeMs = settings.maxAgeMs;
    this.#maxBytes = settings.maxBytes ?? DEFAULT_ANSWER_CACHE_BYTES;
    // Bounded by entries and by the bytes of all bodies: the least recently used answers go first.
    this.#entries = new LRUCache<string, Entry>({
      max: settings.maxEntries ?? DEFAULT_ANSWER_CACHE_ENTRIES,
      maxSize: this.#maxBytes,
      sizeCalculation: (entry) => Math.max(1, entry.body.length),
    });
  }

  get enabled(): boolean {
    return this.#maxAgeMs > 0;
  }

  /**
   * The answer for `key`: a fresh cached one, the one being computed by a concurrent request, or the result of
   * `compute`. `compute` returns the answer and whether it may be kept (complete, without errors); it may
   * also throw, in which case nothing is kept and every waiting request gets the error.
   */
  async answer(
    key: string,
    compute: () => Promise<{ readonly answer: CachedAnswer; readonly keep: boolean }>,
  ): Promise<{ readonly answer: CachedAnswer; readonly fromCache: boolean }> {
    const entry = this.#usable(key);
    if (entry !== undefined) {
      if (entry.expires <= this.now() && !this.#pending.has(key)) {
        // Revalidate in the background; its failure or a partial result keeps the stale answer until staleUntil.
        void this.#compute(key, compute).catch(() => undefined);
      }
      return { answer: entry, fromCache: true };
    }
    const pending = this.#pending.get(key);
    if (pending !== undefined) {
      const shared = await pending;
      if (shared !== undefined) return { answer: shared, fromCache: true };
    }
    return { answer: await this.#compute(key, compute), fromCache: false };
  }

  /** Runs `compute` as the one pending computation of `key`, keeping its answer when it may be kept. */
  async #compute(
    key: string,
    compute: () => Promise<{ readonly answer: CachedAnswer; readonly keep: boolean }>,
  ): Promise<CachedAnswer> {
    let computed: { readonly answer: CachedAnswer; readonly keep: boolean } | undefined;
    let failure: { readonly error: unknown } | undefined;
    const generation = this.#generation;
    const promise = compute().then(
      (result) => {
        computed = result;
        if (result.keep && generation === this.#generation) this.#store(key, result.answer);
        // Only keepable answers are shared: a partial answer must not reach a request that might get a whole one.
        return result.keep ? result.answer : undefined;
      },
      (error: unknown) => {
        failure = { error };
        return undefined;
      },
    );
    this.#pending.set(key, promise);
    try {
      await promise;
    } finally {
      this.#pending.delete(key);
    }
    if (failure !== undefined) throw failure.error;
    if (computed === undefined) throw new Error('answer cache: computation settled without a result');
    return computed.answer;
  }

  /** Drops every kept answer (the set of clusters changed: a cached list would miss one or name a gone one). */
  clear(): void {
    this.#entries.clear();
    this.#generation++;
  }

  /** The entry of `key` while it may still be served (fresh or stale), dropping it once it may not. */
  #usable(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.staleUntil <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #store(key: string, answer: CachedAnswer): void {
    if (answer.body.length > this.#maxBytes / 4) return;
    const now = this.now();
    this.#entries.set(key, {
      ...answer,
      expires: now + this.#maxAgeMs,
      staleUntil: now + 2 * this.#maxAgeMs,
    });
  }
}
