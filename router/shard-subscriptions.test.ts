/**
 * The merged subscription's two endings (shard-subscriptions.ts): a caller's error is passed on once and not
 * re-subscribed; a consumer that falls behind gets SLOW_CONSUMER and the end instead of an unbounded queue.
 */
import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { ShardClient } from './shard-client.ts';
import { mergeSubscriptions } from './shard-subscriptions.ts';

/** A shard whose every subscription yields `results` (then stays open), counting the subscriptions. */
function fakeShard(clusterId: string, results: () => ExecutionResult[]) {
  const shard = {
    clusterId,
    subscriptions: 0,
    subscribe(): AsyncIterableIterator<ExecutionResult> {
      shard.subscriptions += 1;
      const pending = results();
      let end: (() => void) | undefined;
      const iterator: AsyncIterableIterator<ExecutionResult> = {
        next: () => {
          const value = pending.shift();
          if (value !== undefined) return Promise.resolve({ value, done: false });
          return new Promise((resolve) => (end = () => resolve({ value: undefined, done: true })));
        },
        return: () => {
          end?.();
          return Promise.resolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]: () => iterator,
      };
      return iterator;
    },
  };
  return shard;
}

function merged(shards: ReturnType<typeof fakeShard>[], maxQueued?: number) {
  const clients = shards as unknown as ShardClient[];
  return mergeSubscriptions({
    pool: { shards: () => clients, onChange: () => () => undefined },
    request: { document: parse('subscription { topology { cursor } }'), variables: {}, auth: undefined },
    reopenDelayMs: () => 0,
    ...(maxQueued === undefined ? {} : { maxQueued }),
  });
}

async function drain(stream: AsyncIterableIterator<ExecutionResult>): Promise<ExecutionResult[]> {
  const results: ExecutionResult[] = [];
  for await (const result of stream) results.push(result);
  return results;
}

describe('merged shard subscriptions', () => {
  it('passes a caller error on once, without re-subscribing, and ends', async () => {
    const refusal = (): ExecutionResult[] => [
      { errors: [new GraphQLError('bad cursor', { extensions: { code: 'BAD_USER_INPUT' } })] },
    ];
    const shards = [fakeShard('a', refusal), fakeShard('b', refusal)];
    const results = await drain(merged(shards));
    expect(results.map((r) => r.errors?.[0]?.extensions['code'])).toEqual(['BAD_USER_INPUT']);
    expect(shards.map((s) => s.subscriptions)).toEqual([1, 1]);
  });

  it('ends a consumer that falls more than maxQueued results behind with SLOW_CONSUMER', async () => {
    const burst = (): ExecutionResult[] => Array.from({ length: 10 }, (_, i) => ({ data: { n: i } }));
    const stream = merged([fakeShard('a', burst)], 4);
    // Not reading while the shard delivers: the queue overflows.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const results = await drain(stream);
    expect(results).toHaveLength(1);
    expect(results[0]!.errors?.[0]?.extensions['code']).toBe('SLOW_CONSUMER');
  });
});
