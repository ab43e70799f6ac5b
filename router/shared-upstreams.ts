/**
 * One upstream subscription per shard for every identical downstream subscription (router/shard-subscriptions.ts).
 *
 * Without it, N graphql-ws clients of `topologyChanged` made every shard run N subscriptions and send every
 * event N times over the router's socket, and the router parse it N times. Identical means: same shard, same
 * operation text, variables and operation name, and the same caller identity — principal, roles, tenant scope
 * and authentication method, everything a shard's authorization and tenant scoping look at — so a shared
 * stream carries exactly what each of its subscribers' own stream would have (tenancy stays per subscriber).
 * The per-request parts of the auth context (requestId for log correlation, expiresAt; the gateway closes each
 * downstream socket at its own expiry) are those of the subscriber that opened the stream.
 *
 * A subscriber that joins a running stream gets the events from then on, as a stream opened at that moment
 * would. That holds only for live-only streams (`LIVE_ONLY_FIELDS`): a stream that begins with a snapshot
 * (`topology`) must be opened per subscriber, or a late joiner would miss the snapshot; `shareable` says which. An upstream error or end reaches every subscriber,
 * and each reopens on its own (the first creates a new shared stream, the others join it). The upstream is
 * closed when its last subscriber leaves.
 */
import { Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import { Broadcast } from './broadcast.ts';
import { identityKey } from './inflight.ts';
import type { ShardClient, ShardRequest } from './shard-client.ts';
import { documentText } from './shard-plan.ts';

/** Root subscription fields whose streams carry changes from the moment they are opened, with no snapshot. */
const LIVE_ONLY_FIELDS: ReadonlySet<string> = new Set(['topologyChanged', 'liveInventoryChanged']);

/** True when every root field of the subscription is live-only, so identical subscribers may share a stream. */
export function shareable(document: DocumentNode): boolean {
  let fields = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD || !LIVE_ONLY_FIELDS.has(selection.name.value)) return false;
      fields += 1;
    }
  }
  return fields > 0;
}

const byShard = new WeakMap<ShardClient, Map<string, Broadcast<ExecutionResult>>>();

/** Callers equal in what a shard's authorization and tenancy see of them (`identityKey`) share. */
export function sharingKey(request: ShardRequest): string {
  return JSON.stringify([
    documentText(request.document),
    request.operationName ?? null,
    request.variables,
    identityKey(request.auth),
  ]);
}

/** The shard's stream of `request`, shared with every identical subscription of this process. */
export function subscribeShared(
  shard: ShardClient,
  request: ShardRequest,
): AsyncIterableIterator<ExecutionResult> {
  let streams = byShard.get(shard);
  if (streams === undefined) {
    streams = new Map();
    byShard.set(shard, streams);
  }
  const key = sharingKey(request);
  let upstream = streams.get(key);
  if (upstream === undefined || !upstream.open) {
    const map = streams;
    const created: Broadcast<ExecutionResult> = new Broadcast(
      { [Symbol.asyncIterator]: () => shard.subscribe(request) },
      () => {
        if (map.get(key) === created) map.delete(key);
      },
    );
    upstream = created;
    map.set(key, created);
  }
  return upstream.join();
}
