/**
 * The shard executor (docs/architecture.md "The shape"): the executor of the ONE logical `cluster` subgraph, installed as a
 * custom transport kind of the embedded Hive Gateway. It sends each root field to the shards that must
 * answer it, in parallel with a per-shard timeout, and merges the answers into one subgraph result:
 *
 * - lists are concatenated in shard order, objects shared by several clusters de-duplicated by key;
 * - single objects: first non-null answer (usually only the owning shard was asked);
 * - `_entities`: each representation goes to the shard named by its clusterId and the answers are put
 *   back in the original order;
 * - error paths are remapped to the merged positions;
 * - a shard that answers from a cache it could not refresh past its staleness bound adds a SHARD_STALE
 *   warning naming its cluster (recorded and re-added like failures);
 * - a shard that fails contributes nothing and a SHARD_UNAVAILABLE error naming its cluster, recorded per
 *   request (the gateway drops path-less subgraph errors when data exists; the `onExecuteDone` hook of
 *   `useNetweaveContext` in router/gateway.ts re-adds them).
 */
import { setMaxListeners } from 'node:events';
import type { ExecutionRequest, Executor } from '@graphql-tools/utils';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { AuthContext } from '../common/auth.ts';
import { ERROR_CODES, errorCodeOf } from '../common/errors.ts';
import { orderOfName, orderedPage, readCursor } from '../o2/ordered-page.ts';
import {
  STALE_EXTENSION,
  ShardRequestError,
  ShardUnavailableError,
  type ShardClient,
} from './shard-client.ts';
import {
  CONNECTION_KEYS,
  operationShape,
  representationsOf,
  routeOf,
  subOperation,
  subscribedClusters,
  type FieldRoute,
  type OperationShape,
  type RootField,
} from './shard-plan.ts';
import { Kind, valueFromASTUntyped, type FieldNode } from 'graphql';
import { namedShards, visibleShards, type ShardPool } from './shard-pool.ts';
import { mergeSubscriptions } from './shard-subscriptions.ts';

/** Objects that several clusters can report; merged lists keep one per key. */
export const SHARED_TYPE_KEYS: Readonly<Record<string, string>> = {
  ResourceType: 'resourceTypeId',
  OCloudSite: 'oCloudSiteId',
  Location: 'globalLocationId',
};
const SHARED_TYPE_NAMES: ReadonlySet<string> = new Set(Object.keys(SHARED_TYPE_KEYS));

export interface ShardExecutorOptions {
  readonly pool: ShardPool;
  /** The cluster subgraph's own schema (root field types drive merging). */
  readonly schema: GraphQLSchema;
  readonly timeoutMs: number;
  /** Called for every shard failure (for metrics, logs and, later, alarms). */
  readonly onShardFailure?: (failure: ShardUnavailableError) => void;
  /** Every finished shard call of a query, with its latency (metrics). */
  readonly onShardCall?: (clusterId: string, outcome: 'ok' | 'unavailable', seconds: number) => void;
}

/** Shard failures of one gateway request, keyed by the request's context object. */
const failuresByContext = new WeakMap<object, GraphQLError[]>();

export function shardFailuresOf(context: unknown): readonly GraphQLError[] {
  return (typeof context === 'object' && context !== null && failuresByContext.get(context)) || [];
}

function recordFailure(context: unknown, error: GraphQLError): void {
  if (typeof context !== 'object' || context === null) return;
  const list = failuresByContext.get(context);
  if (!list) failuresByContext.set(context, [error]);
  else if (!list.some((e) => e.extensions['clusterId'] === error.extensions['clusterId'])) list.push(error);
}

export function shardUnavailable(clusterId: string, reason: string): GraphQLError {
  return new GraphQLError(`cluster ${clusterId} is unavailable: ${reason}`, {
    extensions: { code: 'SHARD_UNAVAILABLE', clusterId },
  });
}

/** A warning next to a shard's data: it comes from a cache the shard could not refresh for `seconds`. */
export function shardStale(clusterId: string, seconds: number): GraphQLError {
  return new GraphQLError(
    `cluster ${clusterId} answered from a cache it could not refresh for ${seconds}s (Kubernetes API unreachable)`,
    { extensions: { code: 'SHARD_STALE', clusterId, staleSeconds: seconds } },
  );
}

function authOf(context: unknown): AuthContext | undefined {
  const auth = (context as { auth?: AuthContext } | undefined)?.auth;
  return auth && typeof auth.principal === 'string' ? auth : undefined;
}

/** What one shard is asked in one request. */
interface ShardTask {
  readonly shard: ShardClient;
  readonly fieldIndexes: number[];
  /** For each `_entities` field index: the original indexes of the representations sent to this shard. */
  readonly entityIndexes: Map<number, number[]>;
}

export function createShardExecutor(options: ShardExecutorOptions): Executor {
  const executor = (request: ExecutionRequest) => {
    const shape = operationShape(options.schema, request.document, request.operationName);
    const auth = authOf(request.context);
    if (shape.operation.operation === 'subscription') {
      return mergeSubscriptions({
        pool: namedShards(
          visibleShards(options.pool, auth?.tenant),
          subscribedClusters(shape, request.variables ?? {}),
        ),
        request: {
          document: request.document,
          variables: request.variables ?? {},
          operationName: request.operationName,
          auth,
        },
        onShardError: (clusterId, reason) =>
          options.onShardFailure?.(new ShardUnavailableError(clusterId, reason)),
      });
    }
    return executeQuery(options, shape, request);
  };
  return executor as Executor;
}

async function executeQuery(
  options: ShardExecutorOptions,
  shape: OperationShape,
  request: ExecutionRequest,
): Promise<ExecutionResult> {
  const variables: Record<string, unknown> = request.variables ?? {};
  const auth = authOf(request.context);
  // Tenant scoping: a caller's request never reaches the shards of clusters it may not see, so another
  // tenant's objects answer null (REST 404) and are missing from lists, whatever the root field.
  const shards = visibleShards(options.pool, auth?.tenant).shards();
  const routes: FieldRoute[] = shape.fields.map((f) => routeOf(f, variables));
  const tasks = planTasks(shape, routes, shards, variables);
  // In-process callers learn which clusters an answer came from (router/executor.ts `clustersAsked`).
  const asked = (request.context as { clustersAsked?: Set<string> } | undefined)?.clustersAsked;
  if (asked instanceof Set) for (const task of tasks) asked.add(task.shard.clusterId);

  // One deadline for the whole fan-out (every shard call starts in this same turn): one timer, cleared when
  // the last shard answered, instead of an AbortSignal.timeout + AbortSignal.any per shard whose timers
  // outlive the request and fire, each creating its abort event, long after the answer went out.
  const deadline = fanOutDeadline(request.signal, options.timeoutMs);
  const outcomes = await Promise.all(
    tasks.map(async (task) => {
      const taskVariables = { ...variables };
      for (const [fieldIndex, indexes] of task.entityIndexes) {
        const route = routes[fieldIndex] as Extract<FieldRoute, { kind: 'entities' }>;
        if (route.variable === undefined) continue;
        const all = representationsOf(shape.fields[fieldIndex]!, route, variables);
        taskVariables[route.variable] = indexes.map((i) => all[i]);
      }
      const signal = deadline.signal;
      const started = performance.now();
      const observe = (outcome: 'ok' | 'unavailable'): void =>
        options.onShardCall?.(task.shard.clusterId, outcome, (performance.now() - started) / 1000);
      try {
        const sub = subOperation(shape, task.fieldIndexes);
        const result = await task.shard.query(
          {
            document: sub.document,
            query: sub.query,
            variables: taskVariables,
            operationName: request.operationName,
            auth,
            // Identical queries in flight share one shard request; a mutation always runs once per caller.
            // Not the REST facade's inventory reads (they track `clustersAsked`): a read issued after a
            // notification must not join a shard request that started before the change reached the
            // subgraph (exact answers, rest-facade/answer-freshness.ts).
            deduplicate: shape.operation.operation === 'query' && !(asked instanceof Set),
          },
          signal,
        );
        observe('ok');
        const staleSeconds = result.extensions?.[STALE_EXTENSION];
        if (typeof staleSeconds === 'number')
          recordFailure(request.context, shardStale(task.shard.clusterId, staleSeconds));
        return { task, result };
      } catch (error) {
        if (error instanceof ShardRequestError) {
          // Bad input fails the same way on every shard: report it once as the caller's error.
          return { task, error: new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } }) };
        }
        observe('unavailable');
        const failure =
          error instanceof ShardUnavailableError
            ? error
            : new ShardUnavailableError(task.shard.clusterId, 'request failed');
        options.onShardFailure?.(failure);
        const graphError = shardUnavailable(failure.clusterId, failure.reason);
        recordFailure(request.context, graphError);
        return { task, error: graphError };
      }
    }),
  ).finally(deadline.clear);
  return mergeResults(shape, routes, variables, outcomes);
}

/**
 * The signal of one fan-out: aborted `timeoutMs` after the start (reason: a TimeoutError, as
 * AbortSignal.timeout gives) or when the caller's signal aborts; `clear` drops the timer and the listener.
 */
export function fanOutDeadline(
  caller: AbortSignal | undefined,
  timeoutMs: number,
): { readonly signal: AbortSignal; readonly clear: () => void } {
  const controller = new AbortController();
  // Every shard exchange of the fan-out listens on this signal (one listener each, removed when it ends): a
  // fan-out to more than 10 clusters is not a listener leak, so Node's MaxListenersExceededWarning is off.
  setMaxListeners(0, controller.signal);
  const onCallerAbort = (): void => controller.abort(caller?.reason);
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    timeoutMs,
  );
  // Like AbortSignal.timeout: a pending shard deadline does not keep the process alive.
  timer.unref();
  if (caller?.aborted) controller.abort(caller.reason);
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

function planTasks(
  shape: OperationShape,
  routes: readonly FieldRoute[],
  shards: readonly ShardClient[],
  variables: Readonly<Record<string, unknown>>,
): ShardTask[] {
  const tasks = new Map<ShardClient, ShardTask>();
  const taskOf = (shard: ShardClient): ShardTask => {
    let task = tasks.get(shard);
    if (!task) {
      task = { shard, fieldIndexes: [], entityIndexes: new Map() };
      tasks.set(shard, task);
    }
    return task;
  };
  routes.forEach((route, fieldIndex) => {
    switch (route.kind) {
      case 'local':
        return;
      case 'all':
        for (const shard of shards) taskOf(shard).fieldIndexes.push(fieldIndex);
        return;
      case 'owners':
        for (const shard of shards) {
          if (route.clusterIds.has(shard.clusterId) || route.tags.has(shard.tag)) {
            taskOf(shard).fieldIndexes.push(fieldIndex);
          }
        }
        return;
      case 'entities': {
        const representations = representationsOf(shape.fields[fieldIndex]!, route, variables);
        representations.forEach((rep, repIndex) => {
          const clusterId = (rep as { clusterId?: unknown } | null)?.clusterId;
          for (const shard of shards) {
            // Entities keyed by clusterId go to their owner only; shared entities to every shard.
            if (typeof clusterId === 'string' && clusterId !== shard.clusterId) continue;
            const task = taskOf(shard);
            let indexes = task.entityIndexes.get(fieldIndex);
            if (!indexes) {
              indexes = [];
              task.entityIndexes.set(fieldIndex, indexes);
              task.fieldIndexes.push(fieldIndex);
            }
            indexes.push(repIndex);
          }
        });
        return;
      }
    }
  });
  for (const task of tasks.values()) task.fieldIndexes.sort((a, b) => a - b);
  return [...tasks.values()];
}

type Outcome = { readonly task: ShardTask; readonly result?: ExecutionResult; readonly error?: GraphQLError };

/**
 * A caller's mistake (bad input, a missing object, a refused field) fails the same way on every shard: it is
 * reported once, without a cluster, and is never mistaken for a shard failure.
 */
function isCallerFault(error: {
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
}): boolean {
  const code = errorCodeOf(error);
  return code !== 'SHARD_UNAVAILABLE' && code !== 'SHARD_STALE' && ERROR_CODES[code] < 500;
}

/** An object several clusters report (a site): arrays of each cluster's part are united, the rest is the first's. */
function uniteShared(into: unknown, from: unknown): unknown {
  if (into === null || typeof into !== 'object' || from === null || typeof from !== 'object')
    return into ?? from;
  const target = into as Record<string, unknown>;
  for (const [key, value] of Object.entries(from as Record<string, unknown>)) {
    const mine = target[key];
    if (Array.isArray(mine) && Array.isArray(value)) {
      const primitives = [...mine, ...value].every((v) => v === null || typeof v !== 'object');
      target[key] = primitives ? [...new Set([...mine, ...value])] : [...mine, ...value];
    }
  }
  return target;
}

function mergeResults(
  shape: OperationShape,
  routes: readonly FieldRoute[],
  variables: Readonly<Record<string, unknown>>,
  outcomes: readonly Outcome[],
): ExecutionResult {
  const data: Record<string, unknown> = {};
  const errors: GraphQLFormattedError[] = [];
  // For each outcome and response key: merged position of each item the shard returned.
  const positions = new Map<Outcome, Map<string, number[]>>();

  shape.fields.forEach((field, fieldIndex) => {
    const key = field.responseKey;
    const route = routes[fieldIndex]!;
    if (route.kind === 'local') {
      data[key] = shape.rootTypeName;
      return;
    }
    if (route.kind === 'entities') {
      const total = representationsOf(field, route, variables).length;
      const merged: unknown[] = new Array<unknown>(total).fill(null);
      const shared = SHARED_TYPE_NAMES.has(
        String(
          (representationsOf(field, route, variables)[0] as { __typename?: unknown } | null)?.__typename,
        ),
      );
      for (const outcome of outcomes) {
        const indexes = outcome.task.entityIndexes.get(fieldIndex);
        if (!indexes) continue;
        if (outcome.error && errorCodeOf(outcome.error) === 'SHARD_UNAVAILABLE') {
          // Each entity of a cluster that did not answer gets the error on its own position, so the gateway
          // puts it where the entity is in the caller's result (`oCloud.clusters[1]`), not a masked error.
          for (const original of indexes) {
            errors.push({ ...outcome.error.toJSON(), path: [key, original] });
          }
          continue;
        }
        const items = outcome.result?.data?.[key];
        if (!Array.isArray(items)) continue;
        indexes.forEach((original, j) => {
          if (items[j] == null) return;
          merged[original] =
            merged[original] == null
              ? items[j]
              : shared
                ? uniteShared(merged[original], items[j])
                : merged[original];
        });
        positionsOf(positions, outcome).set(key, indexes);
      }
      data[key] = merged;
      return;
    }
    const asked = outcomes.filter((outcome) => outcome.task.fieldIndexes.includes(fieldIndex));
    // The caller's mistake on this field (from any shard): the field is null with the error, never an
    // empty list that claims "nothing matches".
    const callerFault = asked.some(
      (outcome) =>
        (outcome.error !== undefined && isCallerFault(outcome.error)) ||
        (outcome.result?.errors ?? []).some(
          (e) => e.path?.length === 1 && e.path[0] === key && isCallerFault(e),
        ),
    );
    if (callerFault) {
      data[key] = null;
      return;
    }
    if (field.isList || field.isConnection) {
      const failed = asked.filter((outcome) => errorCodeOf(outcome.error ?? {}) === 'SHARD_UNAVAILABLE');
      if (asked.length > 0 && failed.length === asked.length) {
        // Every cluster asked failed: an empty list would claim "there is nothing". The field is null (its
        // parent nulls with it: data may be null) with an error on its path naming every cluster.
        data[key] = null;
        const clusterIds = failed.map((outcome) => outcome.task.shard.clusterId);
        errors.push({
          message: `no cluster answered ${key}: ${clusterIds.join(', ')} unavailable`,
          path: [key],
          extensions: { code: 'SHARD_UNAVAILABLE', clusterId: clusterIds[0], clusterIds },
        });
        return;
      }
    }
    if (field.isConnection) {
      data[key] = mergeConnection(field, variables, asked);
      return;
    }
    if (field.isList) {
      const merged: unknown[] = [];
      const dedupeKey = SHARED_TYPE_KEYS[field.returnTypeName];
      const seen = dedupeKey ? new Map<unknown, number>() : undefined;
      for (const outcome of asked) {
        const items = outcome.result?.data?.[key];
        if (!Array.isArray(items)) continue;
        const at: number[] = [];
        for (const item of items) {
          const id =
            seen && item !== null && typeof item === 'object'
              ? (item as Record<string, unknown>)[dedupeKey!]
              : undefined;
          const existing = id === undefined ? undefined : seen!.get(id);
          if (existing !== undefined) {
            merged[existing] = uniteShared(merged[existing], item);
            at.push(existing);
            continue;
          }
          if (id !== undefined) seen!.set(id, merged.length);
          at.push(merged.length);
          merged.push(item);
        }
        positionsOf(positions, outcome).set(key, at);
      }
      data[key] = merged;
      return;
    }
    let value: unknown = null;
    const shared = SHARED_TYPE_NAMES.has(field.returnTypeName);
    for (const outcome of outcomes) {
      const candidate = outcome.result?.data?.[key];
      if (candidate == null) continue;
      if (value === null) value = candidate;
      else if (shared) value = uniteShared(value, candidate);
      else break;
    }
    data[key] = value;
  });

  const callerErrors = new Set<string>();
  const reportOnce = (error: GraphQLFormattedError): void => {
    const { clusterId: _clusterId, ...extensions } = error.extensions ?? {};
    const id = JSON.stringify([errorCodeOf(error), error.message, error.path ?? null]);
    if (callerErrors.has(id)) return;
    callerErrors.add(id);
    errors.push({ ...error, extensions });
  };
  for (const outcome of outcomes) {
    if (outcome.error) {
      if (isCallerFault(outcome.error)) reportOnce(outcome.error.toJSON());
      // An unavailable shard's entities carry their own errors (above).
      else if (
        !outcome.task.entityIndexes.size ||
        outcome.task.fieldIndexes.some((i) => routes[i]!.kind !== 'entities')
      )
        errors.push(outcome.error.toJSON());
      continue;
    }
    for (const error of outcome.result?.errors ?? []) {
      // Remapped first: a nested caller error keeps its item's merged position (one per item, not per shard).
      const remapped = remapError(error as GraphQLFormattedError, outcome, positions.get(outcome));
      if (isCallerFault(error)) reportOnce(remapped);
      else errors.push(remapped);
    }
  }
  return errors.length > 0 ? { data, errors: errors as unknown as GraphQLError[] } : { data };
}

/** The response keys under which the caller selected `name` directly in `node`'s selection set. */
function responseKeysOf(node: FieldNode | undefined, name: string): string[] {
  return (node?.selectionSet?.selections ?? []).flatMap((s) =>
    s.kind === Kind.FIELD && s.name.value === name && !(s.alias?.value ?? '').startsWith('_nw')
      ? [s.alias?.value ?? s.name.value]
      : [],
  );
}

function fieldNodesOf(node: FieldNode | undefined, name: string): FieldNode[] {
  return (node?.selectionSet?.selections ?? []).filter(
    (s): s is FieldNode =>
      s.kind === Kind.FIELD && s.name.value === name && !(s.alias?.value ?? '').startsWith('_nw'),
  );
}

/**
 * One page of a connection from the shards' pages (o2/ordered-page.ts): the edges of every shard ordered by the
 * sort keys their cursors hold, cut at `first`; more follow when the union is longer or any shard had more; the
 * total is the sum of the shards' totals.
 */
function mergeConnection(
  field: RootField,
  variables: Readonly<Record<string, unknown>>,
  asked: readonly Outcome[],
): Record<string, unknown> | null {
  const key = field.responseKey;
  const firstArg = field.argumentNodes?.find((a) => a.name.value === 'first');
  const firstValue = firstArg === undefined ? undefined : valueFromASTUntyped(firstArg.value, variables);
  const first = typeof firstValue === 'number' ? firstValue : 50;
  const edgeKeys = responseKeysOf(field.node, 'edges');
  const entries: { cursor: string; edges: unknown[] }[] = [];
  let template: Record<string, unknown> | undefined;
  let more = false;
  let total = 0;
  for (const outcome of asked) {
    const connection = outcome.result?.data?.[key] as Record<string, unknown> | null | undefined;
    if (connection === null || typeof connection !== 'object') continue;
    template ??= connection;
    const cursors = connection[CONNECTION_KEYS.cursors];
    if (Array.isArray(cursors)) {
      cursors.forEach((edge: { cursor?: unknown }, i) => {
        if (typeof edge?.cursor !== 'string') return;
        entries.push({
          cursor: edge.cursor,
          edges: edgeKeys.map((edgeKey) => (connection[edgeKey] as unknown[] | undefined)?.[i]),
        });
      });
    }
    more ||=
      (connection[CONNECTION_KEYS.more] as { hasNextPage?: unknown } | undefined)?.hasNextPage === true;
    total +=
      typeof connection[CONNECTION_KEYS.total] === 'number'
        ? (connection[CONNECTION_KEYS.total] as number)
        : 0;
  }
  if (template === undefined) return null;
  const order = entries.length === 0 ? undefined : orderOfName(readCursor(entries[0]!.cursor).order);
  const page = orderedPage(entries, (entry) => readCursor(entry.cursor).key, {
    ...(order === undefined ? {} : { order }),
    limit: first,
  });
  const merged: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(template)) if (!name.startsWith('_nw')) merged[name] = value;
  edgeKeys.forEach((edgeKey, k) => (merged[edgeKey] = page.items.map((entry) => entry.edges[k])));
  for (const totalKey of responseKeysOf(field.node, 'totalCount')) merged[totalKey] = total;
  const cursors = page.items.map((entry) => entry.cursor);
  for (const pageInfoNode of fieldNodesOf(field.node, 'pageInfo')) {
    const pageInfoKey = pageInfoNode.alias?.value ?? 'pageInfo';
    const shardInfo = (template[pageInfoKey] ?? {}) as Record<string, unknown>;
    const info: Record<string, unknown> = {};
    for (const selection of pageInfoNode.selectionSet?.selections ?? []) {
      if (selection.kind !== Kind.FIELD) continue;
      const infoKey = selection.alias?.value ?? selection.name.value;
      switch (selection.name.value) {
        case 'hasNextPage':
          info[infoKey] = page.more || more;
          break;
        case 'startCursor':
          info[infoKey] = cursors[0] ?? null;
          break;
        case 'endCursor':
          info[infoKey] = cursors[cursors.length - 1] ?? null;
          break;
        default:
          info[infoKey] = shardInfo[infoKey];
      }
    }
    merged[pageInfoKey] = info;
  }
  return merged;
}

function positionsOf(
  positions: Map<Outcome, Map<string, number[]>>,
  outcome: Outcome,
): Map<string, number[]> {
  let map = positions.get(outcome);
  if (!map) {
    map = new Map();
    positions.set(outcome, map);
  }
  return map;
}

function remapError(
  error: GraphQLFormattedError,
  outcome: Outcome,
  positions: Map<string, number[]> | undefined,
): GraphQLFormattedError {
  const extensions = { ...error.extensions, clusterId: outcome.task.shard.clusterId };
  const path = error.path;
  if (!path || path.length < 2) return { ...error, extensions };
  const [key, index, ...rest] = path;
  const mapped =
    typeof key === 'string' && typeof index === 'number' ? positions?.get(key)?.[index] : undefined;
  return { ...error, extensions, path: mapped === undefined ? path : [key!, mapped, ...rest] };
}
