import { assertNonEmpty } from '../checks.ts';
import type { Lifetime } from '../lifetime.ts';
import type { BackgroundErrorHandler } from '../store.ts';

/**
 * Pub/sub between handles of one memory backend. Delivery is deferred to a microtask so that, as
 * over the network, publish() never runs a subscriber inside the publisher's call stack; microtasks
 * keep the publish order.
 */
export class MemoryChannels {
  constructor(
    private readonly channels: Map<string, Set<(message: string) => void>>,
    private readonly lifetime: Lifetime,
    private readonly onError: BackgroundErrorHandler,
  ) {}

  async publish(channel: string, message: string): Promise<void> {
    this.lifetime.assertOpen();
    assertNonEmpty('channel', channel);
    for (const deliver of this.channels.get(channel) ?? []) queueMicrotask(() => deliver(message));
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    this.lifetime.assertOpen();
    assertNonEmpty('channel', channel);
    let active = true;
    const deliver = (message: string): void => {
      // A message already queued when unsubscribe() ran is dropped: after unsubscribe, no calls.
      if (!active) return;
      try {
        onMessage(message);
      } catch (error) {
        this.onError(error, `subscriber of channel "${channel}" threw`);
      }
    };
    let subscribers = this.channels.get(channel);
    if (!subscribers) {
      subscribers = new Set();
      this.channels.set(channel, subscribers);
    }
    subscribers.add(deliver);
    const unsubscribe = async (): Promise<void> => {
      active = false;
      untrack();
      subscribers.delete(deliver);
      if (subscribers.size === 0 && this.channels.get(channel) === subscribers) this.channels.delete(channel);
    };
    const untrack = this.lifetime.track(unsubscribe);
    return unsubscribe;
  }
}
