import { StoreDisposedError } from './errors.ts';

type Closer = () => Promise<void> | void;

/**
 * What a store handle has started and must stop on dispose (tails, subscriptions, blocked claims),
 * so that a disposed store leaves no timers, sockets or pending promises behind.
 */
export class Lifetime {
  #disposed = false;
  #disposing: Promise<void> | undefined;
  readonly #closers = new Set<Closer>();

  get disposed(): boolean {
    return this.#disposed;
  }

  assertOpen(): void {
    if (this.#disposed) throw new StoreDisposedError();
  }

  /** Registers a closer for dispose(); the returned function unregisters it (the work ended on its own). */
  track(closer: Closer): () => void {
    this.#closers.add(closer);
    return () => this.#closers.delete(closer);
  }

  /** Runs every closer once (in parallel: they are independent), then `last` (e.g. closing the connection they used). */
  dispose(last: Closer = () => undefined): Promise<void> {
    this.#disposing ??= this.#run(last);
    return this.#disposing;
  }

  async #run(last: Closer): Promise<void> {
    this.#disposed = true;
    const closers = [...this.#closers];
    this.#closers.clear();
    const results = await Promise.allSettled(closers.map(async (close) => close()));
    await last();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
