/**
 * Fan-in of one subscription over every shard (docs/architecture.md "The shape"): one upstream stream per shard merged into
 * one stream. A shard's error or end never ends the merged stream: its error is passed on as an event
 * naming the cluster, and an ended shard stream is re-opened with backoff. Shards registered while the
 * subscription runs are attached; deregistered ones are detached.
 *
 * Identical live-only subscriptions share one upstream stream per shard (shared-upstreams.ts): a thousand
 * dashboards watching `topologyChanged` cost each shard one subscription, not a thousand.
 *
 * Two things end the merged stream: a shard refusing the subscription as the caller's fault (BAD_USER_INPUT
 * and friends: every shard would refuse it alike, so it is passed on once and not retried), and a consumer
 * that falls more than `maxQueued` results behind (it gets one SLOW_CONSUMER error and the end; a topology view
 * resumes from its cursors, docs/graphql.md "Topology stream").
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import { shareable, subscribeShared } from './shared-upstreams.ts';
import type { ShardClient, ShardRequest } from './shard-client.ts';
import type { ShardView } from './shard-pool.ts';
import { backoffDelay, type BackoffPolicy } from '../common/timers.ts';

export interface MergeSubscriptionsOptions {
  /** The shards the caller may see (`visibleShards` in shard-executor.ts). */
  readonly pool: ShardView;
  readonly request: ShardRequest;
  readonly onShardError?: (clusterId: string, reason: string) => void;
  /** Delay before re-opening an ended shard stream (injectable for tests). */
  readonly reopenDelayMs?: (attempt: number) => number;
  /** Results held for a consumer that does not keep up before its stream is ended with SLOW_CONSUMER. */
  readonly maxQueued?: number;
}

export const DEFAULT_MAX_QUEUED = 10_000;

/** Codes of errors that are the caller's own: every shard gives the same answer, re-subscribing never helps. */
const CALLER_ERROR_CODES: ReadonlySet<unknown> = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'FORBIDDEN',
  'UNAUTHENTICATED',
]);

/** A shard's answer that refuses the operation itself (no data, only caller errors). */
function callerRefusal(result: ExecutionResult): boolean {
  const errors = result.errors ?? [];
  return (
    result.data == null &&
    errors.length > 0 &&
    errors.every((error) => CALLER_ERROR_CODES.has(error.extensions?.['code']))
  );
}

/** graphql-ws rejects `iterate` with the GraphQLError list of an `error` message. */
function callerRefusalOf(error: unknown): ExecutionResult | undefined {
  if (!Array.isArray(error) || error.length === 0) return undefined;
  const errors = (error as Array<{ message?: unknown; extensions?: Record<string, unknown> }>).map(
    (e) =>
      new GraphQLError(typeof e.message === 'string' ? e.message : 'subscription refused', {
        extensions: e.extensions ?? {},
      }),
  );
  const result = { errors };
  return callerRefusal(result) ? result : undefined;
}

/** Re-opening an ended shard stream: 500 ms doubling up to 10 s, without jitter (one stream per shard). */
const REOPEN_BACKOFF: BackoffPolicy = { initialDelayMs: 500, maxDelayMs: 10_000, multiplier: 2, jitter: 0 };
const defaultReopenDelay = (attempt: number): number => backoffDelay(REOPEN_BACKOFF, attempt);

export function mergeSubscriptions(
  options: MergeSubscriptionsOptions,
): AsyncIterableIterator<ExecutionResult> {
  const queue: ExecutionResult[] = [];
  let wake: (() => void) | undefined;
  let active = true;
  const upstreams = new Map<ShardClient, AsyncIterableIterator<ExecutionResult>>();
  const reopenDelay = options.reopenDelayMs ?? defaultReopenDelay;

  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  /** The last result to hand over before the stream ends (a caller error, SLOW_CONSUMER). */
  let ending = false;

  const push = (result: ExecutionResult): void => {
    if (ending) return;
    if (queue.length >= maxQueued) {
      queue.length = 0;
      endWith({
        errors: [
          new GraphQLError(
            `the subscriber fell more than ${maxQueued} results behind; resubscribe (resume from your cursors)`,
            { extensions: { code: 'SLOW_CONSUMER' } },
          ),
        ],
      });
      return;
    }
    queue.push(result);
    wake?.();
  };

  /** Delivers `result` after what is queued, then ends the stream; no shard is re-subscribed meanwhile. */
  const endWith = (result: ExecutionResult): void => {
    if (ending) return;
    queue.push(result);
    ending = true;
    void stopUpstreams();
    wake?.();
  };

  // Live-only streams are shared by identical subscribers; a stream that starts with a snapshot is not.
  const share = shareable(options.request.document);
  const attach = (shard: ShardClient): void => {
    void (async () => {
      let attempt = 0;
      while (active && !ending && options.pool.shards().includes(shard)) {
        const upstream = share ? subscribeShared(shard, options.request) : shard.subscribe(options.request);
        upstreams.set(shard, upstream);
        try {
          for await (const result of upstream) {
            attempt = 0;
            if (callerRefusal(result)) {
              endWith(result);
              return;
            }
            push(result);
          }
        } catch (error) {
          const refusal = callerRefusalOf(error);
          if (refusal !== undefined) {
            endWith(refusal);
            return;
          }
          const reason = describe(error);
          options.onShardError?.(shard.clusterId, reason);
          push({
            errors: [
              new GraphQLError(`cluster ${shard.clusterId}: subscription failed: ${reason}`, {
                extensions: { code: 'SHARD_UNAVAILABLE', clusterId: shard.clusterId },
              }),
            ],
          });
        } finally {
          if (upstreams.get(shard) === upstream) upstreams.delete(shard);
        }
        if (!active || ending) return;
        attempt += 1;
        await new Promise((resolve) => setTimeout(resolve, reopenDelay(attempt)).unref());
      }
    })();
  };

  for (const shard of options.pool.shards()) attach(shard);
  const stopWatching = options.pool.onChange((shards) => {
    for (const shard of shards) if (!upstreams.has(shard)) attach(shard);
    for (const [shard, upstream] of upstreams) {
      if (!shards.includes(shard)) {
        upstreams.delete(shard);
        // A graphql-ws stream of a replaced client can reject its return with the close event: nothing to do.
        upstream.return?.().catch(() => undefined);
      }
    }
  });

  const stopUpstreams = (): Promise<unknown> => {
    stopWatching();
    const running = [...upstreams.values()];
    upstreams.clear();
    return Promise.allSettled(running.map((u) => u.return?.()));
  };

  const stop = async (): Promise<void> => {
    if (!active) return;
    active = false;
    wake?.();
    await stopUpstreams();
  };

  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      while (active) {
        const value = queue.shift();
        if (value) return { value, done: false };
        if (ending) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      return { value: undefined, done: true };
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      await stop();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error))
    return error.map((e) => (e as { message?: string }).message ?? 'error').join('; ');
  if (typeof error === 'object' && error !== null && 'code' in error) {
    return `connection closed (${String((error as { code: unknown }).code)})`;
  }
  return 'subscription error';
}
