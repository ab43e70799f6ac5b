/**
 * Fan-in of one subscription over every shard (docs/architecture.md "The shape"): one upstream stream per shard merged into
 * one stream. A shard's error or end never ends the merged stream: its error is passed on as an event
 * naming the cluster, and an ended shard stream is re-opened with backoff. Shards registered while the
 * subscription runs are attached; deregistered ones are detached.
 *
 * Identical subscriptions share one upstream stream per shard (shared-upstreams.ts): a thousand dashboards
 * watching `topologyChanged` cost each shard one subscription, not a thousand.
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import { subscribeShared } from './shared-upstreams.ts';
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

  const push = (result: ExecutionResult): void => {
    queue.push(result);
    wake?.();
  };

  const attach = (shard: ShardClient): void => {
    void (async () => {
      let attempt = 0;
      while (active && options.pool.shards().includes(shard)) {
        const upstream = subscribeShared(shard, options.request);
        upstreams.set(shard, upstream);
        try {
          for await (const result of upstream) {
            attempt = 0;
            push(result);
          }
        } catch (error) {
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
        if (!active) return;
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
        void upstream.return?.();
      }
    }
  });

  const stop = async (): Promise<void> => {
    if (!active) return;
    active = false;
    stopWatching();
    wake?.();
    const running = [...upstreams.values()];
    upstreams.clear();
    await Promise.allSettled(running.map((u) => u.return?.()));
  };

  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      while (active) {
        const value = queue.shift();
        if (value) return { value, done: false };
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
