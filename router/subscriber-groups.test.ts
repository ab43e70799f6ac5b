import { GraphQLError, parse, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../common/auth.ts';
import { groupKey, groupedSubscribe, liveOnly } from './subscriber-groups.ts';

const alice: AuthContext = {
  principal: 'alice',
  roles: ['reader'],
  tenant: { name: '*' },
  method: 'bearer',
  requestId: 'r1',
};
const TOPOLOGY = 'subscription { topologyChanged(kinds: [NODE]) { name } }';

function args(
  query: string,
  auth: AuthContext = alice,
  variables: Record<string, unknown> = {},
): ExecutionArgs {
  return {
    schema: undefined as never,
    document: parse('{ __typename }'),
    contextValue: { params: { query, variables }, auth },
  };
}

/** A source the test pushes results into; counts how often it was opened and closed. */
function fakeGateway(refuse = false) {
  const streams: Array<{ push(result: ExecutionResult): void; end(): void; closed: boolean }> = [];
  const subscribe = (): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> => {
    if (refuse) return Promise.resolve({ errors: [new GraphQLError('not allowed')] });
    const queue: ExecutionResult[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const stream = {
      closed: false,
      push(result: ExecutionResult) {
        queue.push(result);
        wake?.();
      },
      end() {
        ended = true;
        wake?.();
      },
    };
    streams.push(stream);
    const iterator: AsyncIterableIterator<ExecutionResult> = {
      async next() {
        for (;;) {
          const value = queue.shift();
          if (value !== undefined) return { value, done: false };
          if (ended || stream.closed) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
      async return() {
        stream.closed = true;
        wake?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return Promise.resolve(iterator);
  };
  return { streams, subscribe };
}

async function first(result: unknown): Promise<AsyncIterator<ExecutionResult>> {
  const resolved = await result;
  return (resolved as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
}

describe('liveOnly: which graphql-ws operations may share one execution', () => {
  it('shares live streams, never a snapshot or a replay from a cursor', () => {
    expect(liveOnly(TOPOLOGY)).toBe(true);
    expect(liveOnly('subscription { inventoryChanged(objectKinds: [RESOURCE]) { eventId } }')).toBe(true);
    expect(liveOnly('subscription { inventoryChanged(after: "0") { eventId } }')).toBe(false);
    expect(liveOnly('subscription ($c: String) { inventoryChanged(after: $c) { eventId } }')).toBe(false);
    expect(liveOnly('subscription { topology { kind } }')).toBe(false);
    expect(liveOnly('subscription { ...F } fragment F on Subscription { topologyChanged { name } }')).toBe(
      false,
    );
    expect(liveOnly('query { topologyChanged }')).toBe(false);
    expect(liveOnly('subscription {')).toBe(false);
    const two = 'subscription A { topologyChanged { name } } subscription B { topology { kind } }';
    expect(liveOnly(two, 'A')).toBe(true);
    expect(liveOnly(two, 'B')).toBe(false);
    expect(liveOnly(two)).toBe(false);
  });

  it('groups by operation, variables and caller identity, not by request id', () => {
    const key = groupKey(args(TOPOLOGY));
    expect(key).toBeDefined();
    expect(groupKey(args(TOPOLOGY, { ...alice, requestId: 'r2', expiresAt: 5 }))).toBe(key);
    expect(groupKey(args(TOPOLOGY, { ...alice, principal: 'bob' }))).not.toBe(key);
    expect(groupKey(args(TOPOLOGY, { ...alice, tenant: { name: 'acme', clusters: ['c1'] } }))).not.toBe(key);
    expect(groupKey(args(TOPOLOGY, alice, { x: 1 }))).not.toBe(key);
    expect(groupKey(args('subscription { topology { kind } }'))).toBeUndefined();
  });
});

describe('groupedSubscribe: identical subscribers read one execution', () => {
  it('executes once for identical subscribers, hands each the same result, closes with the last', async () => {
    const gateway = fakeGateway();
    const grouped = groupedSubscribe(gateway.subscribe);
    const a = await first(grouped.subscribe(args(TOPOLOGY)));
    const b = await first(grouped.subscribe(args(TOPOLOGY, { ...alice, requestId: 'r2' })));
    expect(gateway.streams).toHaveLength(1);
    const event: ExecutionResult = { data: { topologyChanged: { name: 'n1' } } };
    gateway.streams[0]!.push(event);
    expect((await a.next()).value).toBe(event);
    expect((await b.next()).value).toBe(event);
    await a.return?.();
    expect(gateway.streams[0]!.closed).toBe(false);
    await b.return?.();
    expect(gateway.streams[0]!.closed).toBe(true);
    expect(grouped.running()).toBe(0);
    // The next subscriber opens a new execution.
    await first(grouped.subscribe(args(TOPOLOGY)));
    expect(gateway.streams).toHaveLength(2);
  });

  it('runs different identities, and operations with a snapshot, on their own', async () => {
    const gateway = fakeGateway();
    const grouped = groupedSubscribe(gateway.subscribe);
    await first(grouped.subscribe(args(TOPOLOGY)));
    await first(grouped.subscribe(args(TOPOLOGY, { ...alice, roles: ['admin'] })));
    await first(grouped.subscribe(args('subscription { topology { kind } }')));
    await first(grouped.subscribe(args('subscription { topology { kind } }')));
    expect(gateway.streams).toHaveLength(4);
  });

  it('gives every subscriber its own refusal, and a stream that ended is not joined', async () => {
    const refusing = fakeGateway(true);
    const refused = groupedSubscribe(refusing.subscribe);
    const answers = await Promise.all([refused.subscribe(args(TOPOLOGY)), refused.subscribe(args(TOPOLOGY))]);
    for (const answer of answers)
      expect((answer as ExecutionResult).errors?.[0]?.message).toBe('not allowed');
    expect(refused.running()).toBe(0);

    const gateway = fakeGateway();
    const grouped = groupedSubscribe(gateway.subscribe);
    const a = await first(grouped.subscribe(args(TOPOLOGY)));
    gateway.streams[0]!.end();
    expect((await a.next()).done).toBe(true);
    await first(grouped.subscribe(args(TOPOLOGY)));
    expect(gateway.streams).toHaveLength(2);
  });
});
