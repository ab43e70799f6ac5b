/**
 * An async iterator fed by a listener: how live inventory changes become a GraphQL subscription stream.
 * Returning (the client unsubscribed, the socket closed) removes the listener at once. A consumer that
 * falls more than `maxBuffered` events behind is ended with an error rather than buffered without bound;
 * it can re-subscribe (durable resume by cursor comes with the event log).
 */
import { graphError } from '../../common/errors.ts';

/** Attaches a listener and returns the function that detaches it. */
export type Attach<T> = (push: (value: T) => void) => () => void;

export interface PushStreamOptions {
  readonly maxBuffered?: number;
}

export function pushStream<T>(attach: Attach<T>, options: PushStreamOptions = {}): AsyncIterableIterator<T> {
  const maxBuffered = options.maxBuffered ?? 10_000;
  const buffer: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let failWaiting: ((error: unknown) => void) | undefined;
  let failure: unknown;
  let finished = false;

  const detach = attach((value) => {
    if (finished) return;
    if (waiting !== undefined) {
      const resolve = waiting;
      waiting = undefined;
      failWaiting = undefined;
      resolve({ value, done: false });
      return;
    }
    if (buffer.length >= maxBuffered) {
      failure = graphError(
        'INTERNAL_SERVER_ERROR',
        `subscriber fell more than ${maxBuffered} events behind; re-subscribe`,
      );
      finish();
      return;
    }
    buffer.push(value);
  });

  function finish(): void {
    if (finished) return;
    finished = true;
    detach();
    buffer.length = 0;
    if (waiting !== undefined) {
      const resolve = waiting;
      const reject = failWaiting;
      waiting = undefined;
      failWaiting = undefined;
      if (failure !== undefined && reject !== undefined) reject(failure);
      else resolve({ value: undefined, done: true });
    }
  }

  const iterator: AsyncIterableIterator<T> = {
    next(): Promise<IteratorResult<T>> {
      if (buffer.length > 0) return Promise.resolve({ value: buffer.shift()!, done: false });
      if (failure !== undefined) {
        const error = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = resolve;
        failWaiting = reject;
      });
    },
    return(): Promise<IteratorResult<T>> {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error: unknown): Promise<IteratorResult<T>> {
      finish();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
