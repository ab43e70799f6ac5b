import type { Redis } from 'ioredis';
import { assertCount, assertNonEmpty } from '../checks.ts';
import type { Lifetime } from '../lifetime.ts';
import type { Leases } from '../store.ts';
import type { RedisKeys } from './keys.ts';
import { LuaScript, asInteger } from './lua.ts';

/** Takes a free lease or renews one already held by the same owner; expiry is the server's PX. */
const ACQUIRE = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

/** Deletes only the owner's own lease: a slow ex-holder must not release its successor's. */
const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * Leases as keys with a server-side expiry. Time is Redis's clock alone, so replicas with skewed
 * clocks still agree on who holds what.
 */
export class RedisLeases implements Leases {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly lifetime: Lifetime,
  ) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    this.#check(name, owner);
    assertCount('ttlMs', ttlMs, 1);
    return asInteger(await ACQUIRE.run(this.redis, [this.keys.lease(name)], [owner, ttlMs])) === 1;
  }

  async release(name: string, owner: string): Promise<void> {
    this.#check(name, owner);
    await RELEASE.run(this.redis, [this.keys.lease(name)], [owner]);
  }

  async holder(name: string): Promise<string | undefined> {
    this.lifetime.assertOpen();
    assertNonEmpty('lease name', name);
    return (await this.redis.get(this.keys.lease(name))) ?? undefined;
  }

  #check(name: string, owner: string): void {
    this.lifetime.assertOpen();
    assertNonEmpty('lease name', name);
    assertNonEmpty('lease owner', owner);
  }
}
