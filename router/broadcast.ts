/**
 * One source stream read by many readers (router/shared-upstreams.ts: identical subscriptions to a shard;
 * router/subscriber-groups.ts: identical graphql-ws subscriptions to the gateway).
 *
 * Every reader gets every value from the moment it joined, the SAME value object (nothing is copied, so
 * whatever the readers derive from a value they may cache on it), then the source's end or error. The source
 * is read once, at its own pace; a reader that is slower than the source queues what it has not taken yet. The
 * source is closed (`return()`) when its last reader leaves; after its end, error or close the broadcast is
 * `open === false` and takes no new readers (the owner opens a new one).
 */

type Outcome<T> =
  | { readonly kind: 'value'; readonly value: T }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly error: unknown };

interface Reader<T> {
  deliver(outcome: Outcome<T>): void;
}

export class Broadcast<T> {
  readonly #readers = new Set<Reader<T>>();
  readonly #source: AsyncIterator<T>;
  readonly #onClosed: () => void;
  #closed = false;

  /** `onClosed` runs once, when the broadcast stops taking readers (so its owner forgets it). */
  constructor(source: AsyncIterable<T>, onClosed: () => void) {
    this.#source = source[Symbol.asyncIterator]();
    this.#onClosed = onClosed;
    void this.#pump();
  }

  get open(): boolean {
    return !this.#closed;
  }

  get readers(): number {
    return this.#readers.size;
  }

  async #pump(): Promise<void> {
    let last: Outcome<T> = { kind: 'end' };
    try {
      for (;;) {
        const step = await this.#source.next();
        if (step.done === true) break;
        const outcome: Outcome<T> = { kind: 'value', value: step.value };
        for (const reader of this.#readers) reader.deliver(outcome);
      }
    } catch (error) {
      last = { kind: 'error', error };
    }
    this.#close();
    for (const reader of this.#readers) reader.deliver(last);
    this.#readers.clear();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClosed();
  }

  #leave(reader: Reader<T>): Promise<void> {
    this.#readers.delete(reader);
    if (this.#readers.size > 0 || this.#closed) return Promise.resolve();
    this.#close();
    return this.#source.return?.().then(() => undefined) ?? Promise.resolve();
  }

  /** A reader from now on. Only while `open`. */
  join(): AsyncIterableIterator<T> {
    if (this.#closed) throw new Error('broadcast closed');
    const queue: Outcome<T>[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const reader: Reader<T> = {
      deliver(outcome) {
        queue.push(outcome);
        wake?.();
      },
    };
    this.#readers.add(reader);
    const finish = async (): Promise<void> => {
      if (done) return;
      done = true;
      queue.length = 0;
      wake?.();
      await this.#leave(reader);
    };
    const iterator: AsyncIterableIterator<T> = {
      async next(): Promise<IteratorResult<T>> {
        for (;;) {
          if (done) return { value: undefined, done: true };
          const outcome = queue.shift();
          if (outcome === undefined) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          if (outcome.kind === 'value') return { value: outcome.value, done: false };
          done = true;
          if (outcome.kind === 'error') throw outcome.error;
          return { value: undefined, done: true };
        }
      },
      async return(): Promise<IteratorResult<T>> {
        await finish();
        return { value: undefined, done: true };
      },
      async throw(error?: unknown): Promise<IteratorResult<T>> {
        await finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
