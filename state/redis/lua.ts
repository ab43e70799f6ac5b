import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A server-side script, for the read-check-write steps that must be atomic across replicas. Runs
 * by SHA (one round trip, no script text on the wire) and falls back to sending the text when the
 * server does not know it yet (first use, restart, Sentinel failover to a replica).
 */
export class LuaScript {
  readonly #sha: string;

  constructor(private readonly source: string) {
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** Scripts return integers; anything else means the script and this code disagree. */
export function asInteger(reply: unknown): number {
  if (typeof reply !== 'number') throw new Error(`unexpected Lua reply ${JSON.stringify(reply)}`);
  return reply;
}
