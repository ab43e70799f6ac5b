import { assertCount, assertNonEmpty } from '../checks.ts';
import type { Lifetime } from '../lifetime.ts';
import type { Leases } from '../store.ts';
import type { LeaseData } from './backend.ts';

/** Leases in memory; expiry is judged by the injected clock, so tests move time instead of sleeping. */
export class MemoryLeases implements Leases {
  constructor(
    private readonly leases: Map<string, LeaseData>,
    private readonly clock: () => number,
    private readonly lifetime: Lifetime,
  ) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    this.#check(name, owner);
    assertCount('ttlMs', ttlMs, 1);
    const current = this.#live(name);
    if (current && current.owner !== owner) return false;
    this.leases.set(name, { owner, expiresAt: this.clock() + ttlMs });
    return true;
  }

  async release(name: string, owner: string): Promise<void> {
    this.#check(name, owner);
    if (this.#live(name)?.owner === owner) this.leases.delete(name);
  }

  async holder(name: string): Promise<string | undefined> {
    this.lifetime.assertOpen();
    assertNonEmpty('lease name', name);
    return this.#live(name)?.owner;
  }

  /** The lease while unexpired; an expired one is forgotten, as Redis forgets an expired key. */
  #live(name: string): LeaseData | undefined {
    const lease = this.leases.get(name);
    if (lease && lease.expiresAt <= this.clock()) {
      this.leases.delete(name);
      return undefined;
    }
    return lease;
  }

  #check(name: string, owner: string): void {
    this.lifetime.assertOpen();
    assertNonEmpty('lease name', name);
    assertNonEmpty('lease owner', owner);
  }
}
