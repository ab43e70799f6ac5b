import { describe, expect, it } from 'vitest';
import { pushStream } from './push-stream.ts';

function source(): {
  push: (value: number) => void;
  attached: () => number;
  attach: (push: (value: number) => void) => () => void;
} {
  const listeners = new Set<(value: number) => void>();
  return {
    push: (value) => {
      for (const listener of listeners) listener(value);
    },
    attached: () => listeners.size,
    attach: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

describe('push stream', () => {
  it('delivers values pushed before and after the consumer asks, in order', async () => {
    const s = source();
    const stream = pushStream(s.attach);
    s.push(1);
    const pending = stream.next();
    s.push(2);
    expect(await pending).toEqual({ value: 1, done: false });
    expect(await stream.next()).toEqual({ value: 2, done: false });
  });

  it('detaches when the consumer returns, also while it waits', async () => {
    const s = source();
    const stream = pushStream(s.attach);
    const waiting = stream.next();
    expect(s.attached()).toBe(1);
    await stream.return!();
    expect(s.attached()).toBe(0);
    expect(await waiting).toEqual({ value: undefined, done: true });
  });

  it('ends a consumer that falls too far behind with an error instead of buffering without bound', async () => {
    const s = source();
    const stream = pushStream(s.attach, { maxBuffered: 2 });
    s.push(1);
    s.push(2);
    s.push(3);
    expect(s.attached()).toBe(0);
    await expect(stream.next()).rejects.toMatchObject({ extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});
