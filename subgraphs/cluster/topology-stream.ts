/**
 * One subscriber of `Subscription.topology` on one cluster (docs/graphql.md "Topology stream"): a SNAPSHOT of
 * the cluster's topology in scope, then every CHANGE after it, each with the cursor to resume after it.
 *
 * - Resume: with a cursor of this cluster that the journal can still serve, the changes after it are replayed
 *   (no snapshot), then live changes follow without a gap; the replay is taken synchronously with the attach,
 *   so nothing falls between them.
 * - A cursor the journal cannot serve (too old, or from before the subgraph restarted) yields a fresh snapshot
 *   flagged `reset`: the view must drop what it holds for the cluster.
 * - Bounded: a subscriber with more than `maxBuffered` changes waiting has them dropped and gets a `reset`
 *   snapshot instead, read when it asks for its next update (memory per subscriber stays bounded; a slow view
 *   skips intermediate states, never ends up wrong).
 */
import { graphError } from '../../common/errors.ts';
import type { Node, Workload } from './model.ts';
import {
  decodeTopologyCursor,
  type JournalEntry,
  type TopologyEvent,
  type TopologyJournal,
  type TopologyPosition,
} from './topology-journal.ts';
import type { PodView } from './topology.ts';

/** The topology of one cluster (in the subscriber's scope) at one point of its journal. */
export interface TopologySnapshot {
  readonly nodes: readonly Node[];
  readonly pods: readonly PodView[];
  readonly workloads: readonly Workload[];
}

export const TOPOLOGY_UPDATE_KINDS = ['SNAPSHOT', 'CHANGE'] as const;
export type TopologyUpdateKind = (typeof TOPOLOGY_UPDATE_KINDS)[number];

export interface TopologyUpdate {
  readonly clusterId: string;
  readonly kind: TopologyUpdateKind;
  readonly cursor: string;
  readonly reset: boolean;
  readonly snapshot: TopologySnapshot | null;
  readonly change: TopologyEvent | null;
}

export interface TopologyStreamOptions {
  readonly journal: TopologyJournal;
  /** Reads the cluster's topology in scope from the informer caches, now. */
  readonly snapshot: () => TopologySnapshot;
  /** Whether a change concerns the subscriber (namespaces asked for and visible to its tenant). */
  readonly inScope: (event: TopologyEvent) => boolean;
  /** Cursors the client last received, one per cluster at most; those of other clusters are ignored. */
  readonly after?: readonly string[] | null | undefined;
  readonly maxBuffered: number;
}

/** This cluster's position among the cursors; a string that is no topology cursor is the caller's error. */
export function positionIn(
  after: readonly string[] | null | undefined,
  clusterId: string,
): TopologyPosition | undefined {
  let found: TopologyPosition | undefined;
  for (const cursor of after ?? []) {
    const position = decodeTopologyCursor(cursor);
    if (position === undefined)
      throw graphError('BAD_USER_INPUT', `after: "${cursor.slice(0, 64)}" is not a topology cursor`);
    if (position.clusterId === clusterId) found = position;
  }
  return found;
}

export function topologyStream(options: TopologyStreamOptions): AsyncIterableIterator<TopologyUpdate> {
  const { journal, maxBuffered } = options;
  const position = positionIn(options.after, journal.clusterId);
  let buffer: JournalEntry[] = [];
  /** A snapshot is due before any further change (first update, unusable cursor, overflow). */
  let snapshotDue: { reset: boolean } | undefined;
  let wake: (() => void) | undefined;
  let finished = false;

  const accept = (entry: JournalEntry): void => {
    if (finished || snapshotDue?.reset === true || !options.inScope(entry.event)) return;
    if (snapshotDue === undefined && buffer.length >= maxBuffered) {
      // Too slow: forget the backlog, the next update is a reset snapshot of the state by then.
      buffer = [];
      snapshotDue = { reset: true };
    } else if (snapshotDue === undefined) {
      buffer.push(entry);
    }
    wake?.();
  };

  if (position === undefined) {
    snapshotDue = { reset: false };
  } else {
    const missed = journal.since(position);
    if (missed === undefined) snapshotDue = { reset: true };
    else for (const entry of missed) accept(entry);
  }
  const detach = journal.onAppend(accept);

  const finish = (): void => {
    if (finished) return;
    finished = true;
    detach();
    buffer = [];
    wake?.();
  };

  const nextUpdate = async (): Promise<IteratorResult<TopologyUpdate>> => {
    for (;;) {
      if (finished) return { value: undefined, done: true };
      if (snapshotDue !== undefined) {
        const { reset } = snapshotDue;
        snapshotDue = undefined;
        // Read now, at the journal's newest change: every change buffered so far is in it.
        buffer = [];
        const update: TopologyUpdate = {
          clusterId: journal.clusterId,
          kind: 'SNAPSHOT',
          cursor: journal.cursorAt(journal.latest),
          reset,
          snapshot: options.snapshot(),
          change: null,
        };
        return { value: update, done: false };
      }
      const entry = buffer.shift();
      if (entry !== undefined) {
        const update: TopologyUpdate = {
          clusterId: journal.clusterId,
          kind: 'CHANGE',
          cursor: journal.cursorAt(entry.seq),
          reset: false,
          snapshot: null,
          change: entry.event,
        };
        return { value: update, done: false };
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  };

  const iterator: AsyncIterableIterator<TopologyUpdate> = {
    next: nextUpdate,
    return(): Promise<IteratorResult<TopologyUpdate>> {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error: unknown): Promise<IteratorResult<TopologyUpdate>> {
      finish();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
