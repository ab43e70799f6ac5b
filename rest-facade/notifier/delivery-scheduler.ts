/**
 * Spreads the delivery of subscriptions over the gateway replicas (one lease per subscription) and runs a
 * DeliveryWorker for every lease this replica holds.
 *
 * Every replica heartbeats into a shared collection; a subscription's preferred replica is the live replica
 * with the highest rendezvous hash of (replica, subscription), so each replica takes about 1/N of them and a
 * replica joining or leaving moves only its share. A free lease is taken by its preferred replica at the next
 * scan, and by anyone once it has stayed free for two scans (views of who is alive may briefly differ). A held
 * subscription whose preferred replica is another live one is handed over after its notification in flight.
 *
 * A replica that dies stops renewing its leases; they expire after `leaseTtlMs` and the other replicas take the
 * subscriptions over at their next scan, resuming each queue at the notification that was in flight.
 */
import { createHash } from 'node:crypto';
import type { DocumentCollection } from '../../state/store.ts';
import { SubscriptionRepository } from '../subscriptions/repository.ts';
import type { StoredSubscription } from '../subscriptions/repository.ts';
import { DeliveryWorker } from './delivery-worker.ts';
import type { DeliveryDependencies } from './delivery-worker.ts';
import { DELIVERY_STATE_COLLECTION, REPLICAS_COLLECTION, deliveryLeaseName, queueLogName } from './queues.ts';
import { Wakeup } from './timers.ts';

export interface DeliverySchedulerOptions extends DeliveryDependencies {
  /** How often the replica heartbeats and looks for subscriptions to take. */
  readonly scanIntervalMs: number;
}

interface Heartbeat {
  readonly heartbeatAt: number;
}

interface RunningWorker {
  readonly worker: DeliveryWorker;
  readonly wakeup: Wakeup;
  readonly done: Promise<void>;
}

function rendezvous(replicaId: string, subscriptionId: string): string {
  return createHash('sha1').update(`${replicaId}\u0000${subscriptionId}`).digest('hex');
}

/** The live replica that should deliver a subscription (highest rendezvous hash). */
export function preferredReplica(liveReplicas: readonly string[], subscriptionId: string): string {
  return liveReplicas.reduce((best, replica) =>
    rendezvous(replica, subscriptionId) > rendezvous(best, subscriptionId) ? replica : best,
  );
}

export class DeliveryScheduler {
  readonly #options: DeliverySchedulerOptions;
  readonly #repository: SubscriptionRepository;
  readonly #replicas: DocumentCollection<Heartbeat>;
  readonly #workers = new Map<string, RunningWorker>();
  readonly #freeBefore = new Set<string>();
  readonly #stopping = new AbortController();
  readonly #scanWakeup = new Wakeup();
  #running: Promise<void> | undefined;

  constructor(options: DeliverySchedulerOptions) {
    this.#options = options;
    this.#repository = new SubscriptionRepository(options.store);
    this.#replicas = options.store.collection<Heartbeat>(REPLICAS_COLLECTION);
  }

  /** Subscriptions this replica delivers right now. */
  get held(): readonly string[] {
    return [...this.#workers.keys()];
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Wakes the workers of these subscriptions (new notifications queued); all of them when undefined. */
  wake(subscriptionIds?: ReadonlySet<string>): void {
    for (const [id, running] of this.#workers)
      if (subscriptionIds === undefined || subscriptionIds.has(id)) running.wakeup.wake();
  }

  /** Re-scan now (the set of subscriptions changed). */
  rescan(): void {
    this.#scanWakeup.wake();
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#running;
    for (const { worker } of this.#workers.values()) worker.stop();
    await Promise.all([...this.#workers.values()].map((w) => w.done));
    await this.#replicas.delete(this.#options.replicaId).catch(() => undefined);
  }

  async #run(): Promise<void> {
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      try {
        await this.#scan();
      } catch (error) {
        this.#options.logger.warn({ err: error }, 'notifier: delivery scan failed');
      }
      await this.#scanWakeup.wait(this.#options.scanIntervalMs, this.#options.timers, signal);
    }
  }

  async #liveReplicas(): Promise<string[]> {
    const { replicaId, timers, scanIntervalMs, config } = this.#options;
    const now = timers.now();
    await this.#replicas.put(replicaId, { heartbeatAt: now });
    const staleAfter = Math.max(3 * scanIntervalMs, config.delivery.leaseTtlMs);
    const live: string[] = [];
    for (const { id, doc } of await this.#replicas.list()) {
      const age = now - doc.heartbeatAt;
      if (age <= staleAfter) live.push(id);
      // Long-gone replicas are forgotten by whoever notices (with a wide margin for clock skew).
      else if (age > 20 * staleAfter) await this.#replicas.delete(id);
    }
    if (!live.includes(replicaId)) live.push(replicaId);
    return live;
  }

  async #scan(): Promise<void> {
    const { store, replicaId, config } = this.#options;
    const live = await this.#liveReplicas();
    const subscriptions = await this.#repository.list();
    const present = new Set(subscriptions.map((s) => s.subscriptionId));

    for (const [id, running] of this.#workers) {
      if (!present.has(id)) {
        running.worker.stop();
        await running.done;
        await this.#cleanUp(id);
      }
    }
    for (const subscription of subscriptions) {
      const id = subscription.subscriptionId;
      const preferred = preferredReplica(live, id);
      const running = this.#workers.get(id);
      if (running !== undefined) {
        if (preferred !== replicaId) running.worker.release();
        continue;
      }
      const free = (await store.leases.holder(deliveryLeaseName(id))) === undefined;
      if (!free) {
        this.#freeBefore.delete(id);
        continue;
      }
      if (preferred !== replicaId && !this.#freeBefore.has(id)) {
        this.#freeBefore.add(id);
        continue;
      }
      this.#freeBefore.delete(id);
      if (await store.leases.acquire(deliveryLeaseName(id), replicaId, config.delivery.leaseTtlMs))
        this.#startWorker(subscription);
    }
  }

  #startWorker(subscription: StoredSubscription): void {
    const id = subscription.subscriptionId;
    const wakeup = new Wakeup();
    const worker = new DeliveryWorker(this.#options, subscription, wakeup);
    const done = (async () => {
      const exit = await worker.run();
      this.#workers.delete(id);
      if (exit !== 'lease-lost')
        await this.#options.store.leases
          .release(deliveryLeaseName(id), this.#options.replicaId)
          .catch(() => undefined);
      // A worker that ended unexpectedly is restarted by the next scan; a handed-over one by its new owner.
      if (exit === 'released')
        this.#options.logger.debug({ subscriptionId: id }, 'notifier: subscription handed over');
    })();
    this.#workers.set(id, { worker, wakeup, done });
  }

  /** A deleted subscription's queue and delivery state go with it (its dead letters too). */
  async #cleanUp(subscriptionId: string): Promise<void> {
    const { store, config, deadLetters } = this.#options;
    await store
      .eventLog<object>(queueLogName(subscriptionId), { maxLength: config.delivery.queueMaxLength })
      .trim(0);
    await store.collection(DELIVERY_STATE_COLLECTION).delete(subscriptionId);
    await deadLetters.clear(subscriptionId);
  }
}
