import { assertNonEmpty } from '../checks.ts';
import type { Lifetime } from '../lifetime.ts';
import type { BackgroundErrorHandler } from '../store.ts';
import type { RedisConnections } from './connections.ts';
import type { RedisKeys } from './keys.ts';

interface Subscription {
  readonly deliver: Set<(message: string) => void>;
  /** Settles when Redis has acknowledged SUBSCRIBE for this channel. */
  readonly ready: Promise<void>;
}

/**
 * Pub/sub over one subscriber connection per store handle, shared by all of its subscriptions: a
 * channel is SUBSCRIBEd once, however many local handlers listen. After a reconnect ioredis
 * re-subscribes by itself; messages published while disconnected are lost (pub/sub is not durable).
 */
export class RedisChannels {
  readonly #subscriptions = new Map<string, Subscription>();
  #listening = false;

  constructor(
    private readonly connections: RedisConnections,
    private readonly keys: RedisKeys,
    private readonly lifetime: Lifetime,
    private readonly onError: BackgroundErrorHandler,
  ) {}

  async publish(channel: string, message: string): Promise<void> {
    this.lifetime.assertOpen();
    assertNonEmpty('channel', channel);
    await this.connections.command.publish(this.keys.channel(channel), message);
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    this.lifetime.assertOpen();
    assertNonEmpty('channel', channel);
    const key = this.keys.channel(channel);
    let active = true;
    const deliver = (message: string): void => {
      if (!active) return;
      try {
        onMessage(message);
      } catch (error) {
        this.onError(error, `subscriber of channel "${channel}" threw`);
      }
    };
    let subscription = this.#subscriptions.get(key);
    if (!subscription) {
      const subscriber = this.#subscriber();
      subscription = { deliver: new Set(), ready: subscriber.subscribe(key).then(() => undefined) };
      this.#subscriptions.set(key, subscription);
    }
    subscription.deliver.add(deliver);
    const unsubscribe = async (): Promise<void> => {
      if (!active) return;
      active = false;
      untrack();
      subscription.deliver.delete(deliver);
      if (subscription.deliver.size > 0 || this.#subscriptions.get(key) !== subscription) return;
      this.#subscriptions.delete(key);
      // During dispose the connection is cut anyway; an UNSUBSCRIBE would only wait for it.
      if (!this.lifetime.disposed) await this.connections.subscriber().unsubscribe(key);
    };
    const untrack = this.lifetime.track(unsubscribe);
    try {
      await subscription.ready;
    } catch (error) {
      await unsubscribe().catch(() => undefined);
      throw error;
    }
    return unsubscribe;
  }

  #subscriber(): ReturnType<RedisConnections['subscriber']> {
    const subscriber = this.connections.subscriber();
    if (!this.#listening) {
      this.#listening = true;
      subscriber.on('message', (channel: string, message: string) => {
        for (const deliver of this.#subscriptions.get(channel)?.deliver ?? []) deliver(message);
      });
    }
    return subscriber;
  }
}
