/**
 * The hub's `inventoryChanged` GraphQL subscription, served from the global event log (docs/architecture.md
 * "Data flows"): every cluster's O2 inventory changes, each with its cursor, resumable after a disconnect
 * (the stream machinery, shared with `lcmEvents`, is event-stream.ts).
 */
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { TenantScope } from '../../common/auth.ts';
import { seesCluster } from '../../common/tenancy.ts';
import { compileEventFilter, eventMatchesFilter } from '../../o2/event-filter.ts';
import { INVENTORY_EVENT_LOG, parseInventoryChangeEvent } from '../../o2/events.ts';
import type { InventoryChangeEvent, O2ObjectKind } from '../../o2/events.ts';
import { Sol013Error } from '../../o2/sol013/index.ts';
import type { CompiledFilter } from '../../o2/sol013/index.ts';
import type { StateStore } from '../../state/store.ts';
import { badInput, createLogEventStream } from './event-stream.ts';
import type { StreamItem } from './event-stream.ts';

export interface InventoryChangedArgs {
  /** Resume after this cursor; absent: live events only; "0": everything retained. */
  readonly after?: string | null | undefined;
  /** SOL013 filter: only matching events are delivered. */
  readonly filter?: string | null | undefined;
  readonly objectKinds?: readonly O2ObjectKind[] | null | undefined;
}

/** What `inventoryChanged` yields: the logged event with its position in the log. */
export type InventoryEventWithCursor = InventoryChangeEvent & { readonly cursor: string };

/** One item of the stream: an event with its cursor, or an error to report without ending the stream. */
export type InventoryStreamItem = StreamItem<InventoryChangeEvent>;

export interface InventoryEventStream extends AsyncDisposable {
  /**
   * Validates the arguments (throws a BAD_USER_INPUT GraphQLError) and returns the stream. Asynchronous so
   * that the retention check happens before the first item.
   */
  subscribe(
    args: InventoryChangedArgs,
    scope?: TenantScope,
  ): Promise<AsyncIterableIterator<InventoryStreamItem>>;
  dispose(): Promise<void>;
}

export interface InventoryEventStreamOptions {
  readonly logger?: Logger;
  /** Live events buffered per subscriber before it falls back to reading the log. */
  readonly maxBuffered?: number;
  readonly readBatch?: number;
}

export function createInventoryEventStream(
  store: StateStore,
  options: InventoryEventStreamOptions = {},
): InventoryEventStream {
  const logger = options.logger ?? pino({ level: 'silent' });
  // The live feed hands every subscriber the same entry objects: each is validated once, not once per
  // subscriber (zod validation per subscriber and event showed in the fan-out profile, bench/ws-fanout.bench.ts).
  const parsedEntries = new WeakMap<object, ReturnType<typeof parseInventoryChangeEvent>>();
  const parse = (raw: unknown): ReturnType<typeof parseInventoryChangeEvent> => {
    if (typeof raw !== 'object' || raw === null) return parseInventoryChangeEvent(raw);
    let parsed = parsedEntries.get(raw);
    if (parsed === undefined) {
      parsed = parseInventoryChangeEvent(raw);
      parsedEntries.set(raw, parsed);
    }
    return parsed;
  };
  const stream = createLogEventStream<InventoryChangeEvent>(store, INVENTORY_EVENT_LOG, {
    ...options,
    logger,
    expiredAdvice: 're-read the inventory',
  });

  function subscribe(
    args: InventoryChangedArgs,
    scope?: TenantScope,
  ): Promise<AsyncIterableIterator<InventoryStreamItem>> {
    let filter: CompiledFilter | undefined;
    if (args.filter !== undefined && args.filter !== null && args.filter.trim() !== '') {
      try {
        filter = compileEventFilter(args.filter);
      } catch (error) {
        if (error instanceof Sol013Error) return Promise.reject(badInput(error.message));
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const kinds =
      args.objectKinds === undefined || args.objectKinds === null ? undefined : new Set(args.objectKinds);
    return stream.open(args.after, (raw, cursor) => {
      const parsed = parse(raw);
      if (!parsed.ok) {
        logger.warn({ cursor, reason: parsed.reason }, 'inventoryChanged: skipping an invalid event');
        return undefined;
      }
      const { event } = parsed;
      // Tenant scoping: events of clusters the caller may not see are skipped like non-matching ones.
      if (scope !== undefined && !seesCluster(scope, event.clusterId)) return undefined;
      if (kinds !== undefined && !kinds.has(event.objectKind)) return undefined;
      if (filter !== undefined && !eventMatchesFilter(filter, event)) return undefined;
      return event;
    });
  }

  return {
    subscribe,
    dispose: () => stream.dispose(),
    [Symbol.asyncDispose]() {
      return stream.dispose();
    },
  };
}
