import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { BackgroundErrorHandler } from '../store.ts';

export interface RedisConnectionOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…`; ignored when `sentinels` is set. */
  url?: string;
  /** Sentinel mode: the sentinels to ask for the current master of `sentinelName`. */
  sentinels?: Array<{ host: string; port: number }>;
  sentinelName?: string;
  /** Password of the Redis master (Sentinel mode; in standalone mode it may also be in the url). */
  password?: string;
  /** Password of the sentinels themselves, when they require one. */
  sentinelPassword?: string;
  db?: number;
  /** CLIENT SETNAME base; each connection appends its role (`:cmd`, `:tail`, `:block`, `:sub`). */
  connectionName?: string;
  /**
   * Longest wait for a reply on the command connection (default 2000 ms): a Redis that is stuck or gone
   * fails the command instead of holding its caller. Blocking reads (tails, claims) have their own bound.
   */
  commandTimeoutMs?: number;
  /**
   * Batch the commands issued in one event-loop turn on the command connection into one write (ioredis
   * auto-pipelining; default on). The notifier issues one small write per delivery and per queued
   * notification: sent one by one, the socket writes cost more CPU than the commands themselves. Order on
   * the connection is unchanged (batches are sent in issue order), which the fan-out's crash safety relies on.
   */
  autoPipelining?: boolean;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const MAX_IDLE_BLOCKING = 4;

/**
 * The connections of one store handle. Blocking reads (XREAD BLOCK, XREADGROUP BLOCK) and pub/sub
 * each need a connection of their own — a connection waiting in a blocking command or in subscriber
 * mode cannot serve anything else — so every store has one command connection plus:
 * one per running tail, a small pool for blocking claims, and one lazily opened for subscriptions.
 * Every connection reconnects on its own (ioredis), resending what was in flight.
 */
export class RedisConnections {
  readonly #all = new Set<Redis>();
  readonly #idleBlocking: Redis[] = [];
  #subscriber: Redis | undefined;
  #closed = false;

  private constructor(
    readonly command: Redis,
    private readonly baseName: string,
    private readonly onError: BackgroundErrorHandler,
  ) {
    this.#adopt(command, 'cmd');
  }

  /** Connects the command connection, failing fast (with the target in the message) when Redis is unreachable. */
  static async open(
    options: RedisConnectionOptions,
    onError: BackgroundErrorHandler,
  ): Promise<RedisConnections> {
    const baseName = options.connectionName ?? 'netweave';
    if (!/^[!-~]+$/.test(baseName))
      throw new TypeError('connectionName must be printable ASCII without spaces');
    const connections = new RedisConnections(createClient(options, `${baseName}:cmd`), baseName, onError);
    // connect() itself only says "Connection is closed"; the reason (ECONNREFUSED, auth…) is emitted.
    let reason: unknown;
    const remember = (error: unknown): void => {
      reason = error;
    };
    connections.command.on('error', remember);
    try {
      await connections.command.connect();
      // From now on a command sent while the connection is down fails at once (the store reports it as
      // unavailable) rather than waiting in ioredis's offline queue for a reconnect that may take minutes.
      // Commands already sent when the connection drops are resent after the reconnect, within the timeout.
      connections.command.options.enableOfflineQueue = false;
    } catch (error) {
      connections.command.disconnect();
      const target = options.sentinels
        ? `Sentinel master "${options.sentinelName ?? ''}" via ${options.sentinels.map((s) => `${s.host}:${s.port}`).join(', ')}`
        : redactUrl(options.url ?? DEFAULT_REDIS_URL);
      const why = reason ?? error;
      throw new Error(
        `cannot connect to Redis (${target}): ${why instanceof Error ? why.message : String(why)}`,
        {
          cause: error,
        },
      );
    } finally {
      connections.command.off('error', remember);
    }
    return connections;
  }

  /** A connection owned by one long-running reader (a tail); closeOwned() ends it. */
  openOwned(role: string): Redis {
    this.#assertOpen();
    // Blocking reads wait longer than the command timeout by design, and queue across reconnects.
    const connection = this.command.duplicate({
      connectionName: `${this.baseName}:${role}`,
      enableOfflineQueue: true,
      // One command at a time waits on these (a blocking read, subscriber mode): nothing to batch.
      enableAutoPipelining: false,
    });
    delete connection.options.commandTimeout; // read per command by ioredis
    return this.#adopt(connection, role);
  }

  closeOwned(connection: Redis): void {
    this.#all.delete(connection);
    connection.disconnect();
  }

  /** Runs one blocking command on a pooled connection. */
  async withBlocking<R>(run: (connection: Redis) => Promise<R>): Promise<R> {
    this.#assertOpen();
    const connection = this.#idleBlocking.pop() ?? this.openOwned('block');
    try {
      return await run(connection);
    } finally {
      if (!this.#closed && this.#idleBlocking.length < MAX_IDLE_BLOCKING) this.#idleBlocking.push(connection);
      else this.closeOwned(connection);
    }
  }

  /** The subscriber-mode connection, opened on first use. */
  subscriber(): Redis {
    this.#assertOpen();
    this.#subscriber ??= this.openOwned('sub');
    return this.#subscriber;
  }

  /**
   * Closes everything. The command connection QUITs (replies to commands already sent still
   * arrive); the others may sit in a blocking command, behind which a QUIT would wait, so they are
   * cut — their pending commands reject and the store turns that into "disposed".
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#idleBlocking.length = 0;
    for (const connection of this.#all) if (connection !== this.command) connection.disconnect();
    this.#all.clear();
    if (this.command.status === 'ready') {
      await this.command.quit().catch(() => this.command.disconnect());
    } else {
      this.command.disconnect();
    }
  }

  #adopt(connection: Redis, role: string): Redis {
    // Without a listener ioredis prints every reconnect failure to the console itself.
    connection.on('error', (error: unknown) =>
      this.onError(error, `redis connection ${this.baseName}:${role}`),
    );
    this.#all.add(connection);
    return connection;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('redis connections are closed');
  }
}

function createClient(options: RedisConnectionOptions, connectionName: string): Redis {
  // lazyConnect: open() awaits connect() itself to fail fast; duplicates connect on first command.
  const common: RedisOptions = {
    lazyConnect: true,
    connectionName,
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    enableAutoPipelining: options.autoPipelining ?? true,
  };
  if (options.password !== undefined) common.password = options.password;
  if (options.db !== undefined) common.db = options.db;
  if (options.sentinels) {
    if (!options.sentinelName) throw new TypeError('sentinelName is required with sentinels');
    const sentinel: RedisOptions = { ...common, sentinels: options.sentinels, name: options.sentinelName };
    if (options.sentinelPassword !== undefined) sentinel.sentinelPassword = options.sentinelPassword;
    return new Redis(sentinel);
  }
  return new Redis(options.url ?? DEFAULT_REDIS_URL, common);
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
