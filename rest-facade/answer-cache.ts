/**
 * A cache of serialized inventory answers, per request and caller, exact with respect to change events.
 *
 * An inventory answer is a federated read over every cluster: the router plans it, the shards answer, the
 * facade shapes and serializes several hundred KB of JSON. SMOs poll the same lists again and again. So the
 * facade keeps each serialized 200 answer and serves repeats from memory; concurrent requests for an answer
 * that is being computed wait for that one computation instead of starting their own.
 *
 * Exact: with a freshness source (answer-freshness.ts, the gateway's tail of the inventory and alarm event
 * logs), every request first takes a snapshot of the change counters, and an answer is kept with the epoch
 * of the snapshot taken before it was computed and the clusters whose shards it asked. It is served only while
 * no later change event names one of those clusters, so a read issued after a notification was sent — by any
 * replica — never returns the state before it. A pending computation is shared only with requests of the
 * same epoch. Without a snapshot (store unreachable) the answer is computed and not kept.
 *
 * Time-based reuse stays as a bound on top, for what changes without an event (informer data outside the O2
 * REST state, hub data): an answer is served as is for `maxAgeMs`; during the next `maxAgeMs` a request gets
 * it at once and starts (at most one) recomputation in the background (stale while revalidating — only while
 * no event invalidated it). So an answer is at most `maxAgeMs` old, or `2 × maxAgeMs` while its successor is
 * being computed, with respect to changes that have no event; never older than the last event of its clusters.
 *
 * What is never served from the cache: answers with errors, partial answers (a cluster was missing: the next
 * request must try it again), answers for another caller (the key holds principal, tenant and roles, so
 * tenant scoping holds), and anything older than `2 × maxAgeMs`. `maxAgeMs: 0` turns the cache off.
 */
import { LRUCache } from 'lru-cache';
import type { AnswerFreshness, ChangeEpoch } from './answer-freshness.ts';

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
  /** Change events that invalidate answers (answer-freshness.ts); without it reuse is time-based only. */
  readonly freshness?: AnswerFreshness | undefined;
}

/** What a computation yields: the answer, whether it may be kept, and the clusters it was computed from. */
export interface ComputedAnswer {
  readonly answer: CachedAnswer;
  readonly keep: boolean;
  /** Clusters whose shards the answer asked; undefined: it may depend on any cluster. */
  readonly clusters?: readonly string[] | undefined;
}

export type AnswerComputation = () => Promise<ComputedAnswer>;

/** Without a freshness source every answer belongs to one epoch: reuse is time-based only. */
const TIME_ONLY: AnswerFreshness = {
  snapshot: () => Promise.resolve(0),
  unchangedSince: () => true,
};

interface Entry extends CachedAnswer {
  /** Served as is until then. */
  readonly expires: number;
  /** Served while a successor is computed until then. */
  readonly staleUntil: number;
  /** The change epoch of the snapshot taken before the answer was computed. */
  readonly epoch: ChangeEpoch;
  readonly clusters: readonly string[] | undefined;
}

interface Pending {
  readonly epoch: ChangeEpoch;
  readonly promise: Promise<CachedAnswer | undefined>;
}

export const DEFAULT_ANSWER_CACHE_ENTRIES = 512;
export const DEFAULT_ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

export class AnswerCache {
  readonly #entries: LRUCache<string, Entry>;
  readonly #pending = new Map<string, Pending>();
  readonly #maxAgeMs: number;
  readonly #freshness: AnswerFreshness;
  readonly #maxBytes: number;
  /** Advanced by clear(): answers computed before it are not kept. */
  #generation = 0;

  constructor(
    settings: AnswerCacheSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.#maxAgeMs = settings.maxAgeMs;
    this.#maxBytes = settings.maxBytes ?? DEFAULT_ANSWER_CACHE_BYTES;
    this.#freshness = settings.freshness ?? TIME_ONLY;
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
   * The answer for `key`: a cached one that no change event invalidated, the one being computed by a
   * concurrent request of the same epoch, or the result of `compute`. `compute` returns the answer, whether it
   * may be kept (complete, without errors) and the clusters it was computed from; it may also throw, in which
   * case nothing is kept and every waiting request gets the error.
   */
  async answer(
    key: string,
    compute: AnswerComputation,
  ): Promise<{ readonly answer: CachedAnswer; readonly fromCache: boolean }> {
    const epoch = await this.#freshness.snapshot();
    if (epoch === undefined) return { answer: (await compute()).answer, fromCache: false };
    const entry = this.#usable(key);
    if (entry !== undefined) {
      if (entry.expires <= this.now() && !this.#pending.has(key)) {
        // Revalidate in the background; its failure or a partial result keeps the stale answer until staleUntil.
        void this.#compute(key, epoch, compute).catch(() => undefined);
      }
      return { answer: entry, fromCache: true };
    }
    const pending = this.#pending.get(key);
    if (pending !== undefined && pending.epoch === epoch) {
      const shared = await pending.promise;
      if (shared !== undefined) return { answer: shared, fromCache: true };
    }
    return { answer: await this.#compute(key, epoch, compute), fromCache: false };
  }

  /** Runs `compute` as the one pending computation of `key`, keeping its answer when it may be kept. */
  async #compute(key: string, epoch: ChangeEpoch, compute: AnswerComputation): Promise<CachedAnswer> {
    let computed: ComputedAnswer | undefined;
    let failure: { readonly error: unknown } | undefined;
    const generation = this.#generation;
    const promise = compute().then(
      (result) => {
        computed = result;
        if (result.keep && generation === this.#generation) this.#store(key, result, epoch);
        // Only keepable answers are shared: a partial answer must not reach a request that might get a whole one.
        return result.keep ? result.answer : undefined;
      },
      (error: unknown) => {
        failure = { error };
        return undefined;
      },
    );
    const pending: Pending = { epoch, promise };
    this.#pending.set(key, pending);
    try {
      await promise;
    } finally {
      if (this.#pending.get(key) === pending) this.#pending.delete(key);
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

  /**
   * The entry of `key` while it may still be served (fresh or stale, and no change event of its clusters came
   * after it), dropping it once it may not.
   */
  #usable(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.staleUntil <= this.now() || !this.#freshness.unchangedSince(entry.epoch, entry.clusters)) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #store(key: string, computed: ComputedAnswer, epoch: ChangeEpoch): void {
    const { answer } = computed;
    if (answer.body.length > this.#maxBytes / 4) return;
    // An event of its clusters arrived while it was computed: it may predate the event, so it is not kept.
    if (!this.#freshness.unchangedSince(epoch, computed.clusters)) return;
    const current = this.#entries.get(key);
    // A background revalidation of an older epoch does not replace a newer answer.
    if (current !== undefined && current.epoch > epoch) return;
    const now = this.now();
    this.#entries.set(key, {
      ...answer,
      expires: now + this.#maxAgeMs,
      staleUntil: now + 2 * this.#maxAgeMs,
      epoch,
      clusters: computed.clusters,
    });
  }
}
