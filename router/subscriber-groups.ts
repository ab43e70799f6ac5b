/**
 * Identical graphql-ws subscriptions share ONE execution in the gateway (issue 16, item 6).
 *
 * Without it, each of 2,000 subscribers of `topologyChanged` ran its own gateway execution: every event was
 * projected, resolved and flattened 2,000 times (Hive Gateway's `executeFields`, `flattenAsyncIterable`), the
 * per-subscriber cost that dominated the router's profile. With it, subscribers whose operation text, operation
 * name, variables and caller identity (router/inflight.ts `identityKey`: principal, roles, tenant, auth
 * method — what authorization and tenancy look at) are equal read one execution's results through a
 * `Broadcast`: each event is executed once and every subscriber gets the same result object.
 *
 * Only live-only operations are shared (`liveOnly`): a subscriber joining a running execution gets the events
 * from then on, as its own execution opened at that moment would; an operation that starts with a snapshot or
 * replays from a cursor (`topology`, `inventoryChanged(after:)`) runs per subscriber. The execution's context is
 * the first subscriber's (its requestId in the logs); each socket keeps its own limits, counting and expiry
 * (router/gateway.ts). A refused operation (an error result instead of a stream) is never shared: each subscriber
 * gets its own answer. The execution ends when its last subscriber leaves. Operation metrics
 * (`netweave_graphql_operations_total`) count a group's execution once, not once per subscriber.
 */
import { Kind, parse, type DocumentNode, type ExecutionArgs } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import type { AuthContext } from '../common/auth.ts';
import { Broadcast } from './broadcast.ts';
import { identityKey } from './inflight.ts';

/** Root subscription fields of the public schema whose streams start at "now", with no snapshot or replay. */
const LIVE_ONLY_FIELDS: ReadonlySet<string> = new Set(['topologyChanged', 'liveInventoryChanged']);
/** Live-only unless given this argument (a cursor to resume from). */
const LIVE_WITHOUT_CURSOR: ReadonlyMap<string, string> = new Map([['inventoryChanged', 'after']]);

/** The documents of operation texts already looked at (bounded: texts come from clients). */
const parsedTexts = new Map<string, DocumentNode | null>();
const MAX_PARSED = 256;

function parsedText(query: string): DocumentNode | null {
  let document = parsedTexts.get(query);
  if (document !== undefined) return document;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    document = null; // the gateway answers the syntax error, per subscriber
  }
  if (parsedTexts.size >= MAX_PARSED) parsedTexts.clear();
  parsedTexts.set(query, document);
  return document;
}

/**
 * True when the operation `operationName` of `query` is a subscription whose root fields are all live-only (no
 * fragments at the root, no cursor argument): subscribers of it may share one execution.
 */
export function liveOnly(query: string, operationName?: string | null): boolean {
  const document = parsedText(query);
  if (document === null) return false;
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    operationName === undefined || operationName === null
      ? operations.length === 1
        ? operations[0]
        : undefined
      : operations.find((o) => o.name?.value === operationName);
  if (operation === undefined || operation.operation !== 'subscription') return false;
  const fields = operation.selectionSet.selections;
  return (
    fields.length > 0 &&
    fields.every((field) => {
      if (field.kind !== Kind.FIELD) return false;
      const name = field.name.value;
      if (LIVE_ONLY_FIELDS.has(name)) return true;
      const cursor = LIVE_WITHOUT_CURSOR.get(name);
      return cursor !== undefined && !(field.arguments ?? []).some((a) => a.name.value === cursor);
    })
  );
}

/** What Hive Gateway's graphql-ws options put in the execution context (router/gateway.ts adds `auth`). */
interface SubscriberContext {
  readonly params?: {
    readonly query?: string;
    readonly operationName?: string | null;
    readonly variables?: Record<string, unknown> | null;
  };
  readonly auth?: AuthContext;
}

/** The group of `args`, or undefined when its subscribers must not share. */
export function groupKey(args: ExecutionArgs): string | undefined {
  const context = args.contextValue as SubscriberContext | undefined;
  const params = context?.params;
  if (params?.query === undefined || !liveOnly(params.query, params.operationName)) return undefined;
  return JSON.stringify([
    params.query,
    params.operationName ?? null,
    params.variables ?? null,
    identityKey(context?.auth),
  ]);
}

/** What graphql-ws's `subscribe` resolves to: a stream of results, or one result (a refusal). */
type Resolved = Awaited<OperationResult>;
type Stream = Extract<Resolved, AsyncIterable<unknown>>;
type Result = Exclude<Resolved, AsyncIterable<unknown>>;
type StreamItem = Stream extends AsyncIterable<infer Item> ? Item : never;

function isStream(value: Resolved): value is Stream {
  return Symbol.asyncIterator in value;
}

type Subscribe = (args: ExecutionArgs) => OperationResult;

/** A group's execution: a stream to share, or the answer that refused it (validation, authorization). */
type Opened = { readonly broadcast: Broadcast<StreamItem> } | { readonly refused: Result };

/**
 * Wraps graphql-ws's `subscribe` so that subscribers of one group read one execution. `running()` is the
 * number of groups with an execution (for tests).
 */
export function groupedSubscribe(subscribe: Subscribe): { subscribe: Subscribe; running(): number } {
  const groups = new Map<string, Promise<Opened>>();

  const open = (key: string, args: ExecutionArgs): Promise<Opened> => {
    const forget = (): void => {
      if (groups.get(key) === opening) groups.delete(key);
    };
    const opening: Promise<Opened> = (async () => {
      try {
        const result = await subscribe(args);
        if (isStream(result)) return { broadcast: new Broadcast<StreamItem>(result, forget) };
        forget();
        return { refused: result };
      } catch (error) {
        forget();
        throw error;
      }
    })();
    groups.set(key, opening);
    return opening;
  };

  return {
    async subscribe(args) {
      const key = groupKey(args);
      if (key === undefined) return subscribe(args);
      for (;;) {
        const running = groups.get(key);
        if (running === undefined) {
          const opened = await open(key, args);
          return 'refused' in opened ? opened.refused : opened.broadcast.join();
        }
        const opened = await running;
        // Refused for the one that opened it: this subscriber gets its own answer, with its own context.
        if ('refused' in opened) return subscribe(args);
        if (opened.broadcast.open) return opened.broadcast.join();
        // It ended while this subscriber waited: the next turn joins (or opens) the group's new execution.
      }
    },
    running: () => groups.size,
  };
}
