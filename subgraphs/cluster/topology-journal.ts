/**
 * The recent topology changes of ONE cluster, numbered: what lets a topology view resume after a reconnect
 * (docs/graphql.md "Topology stream"). Every informer event of a topology kind (node, pod, workload) is mapped
 * once and kept in a ring of `capacity` entries with a sequence number; a cursor names the journal's epoch
 * (random per subgraph process, so a restarted subgraph never mistakes an old cursor for one of its own) and
 * a sequence number. Informers update their caches before they emit, and both happen in one turn of the event
 * loop, so a snapshot read from the caches at sequence N holds exactly the changes up to N.
 */
import { randomUUID } from 'node:crypto';
import type { ClusterInformers, InformerEvent } from './informers.ts';
import type { MappingContext } from './mapping.ts';
import type { Node, Workload } from './model.ts';
import {
  mapDaemonSet,
  mapDeployment,
  mapNodeView,
  mapStatefulSet,
  podView,
  type PodView,
} from './topology.ts';

export const TOPOLOGY_KINDS = ['NODE', 'POD', 'WORKLOAD'] as const;
export type TopologyKind = (typeof TOPOLOGY_KINDS)[number];

/** The Kubernetes watch vocabulary for the informers' event types. */
const WATCH_EVENT_TYPES = { add: 'ADDED', update: 'MODIFIED', delete: 'DELETED' } as const;

/** One change of the live topology view (Subscription.topologyChanged, TopologyUpdate.change). */
export interface TopologyEvent {
  readonly clusterId: string;
  readonly kind: TopologyKind;
  readonly eventType: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly node: Node | null;
  readonly pod: PodView | null;
  readonly workload: Workload | null;
}

/** Maps a watch event of a topology kind; other kinds (namespaces, replica sets) are not topology. */
export function topologyEventOf(mapping: MappingContext, event: InformerEvent): TopologyEvent | undefined {
  const base = {
    clusterId: mapping.clusterId,
    eventType: WATCH_EVENT_TYPES[event.type],
    node: null,
    pod: null,
    workload: null,
  };
  switch (event.kind) {
    case 'nodes': {
      const node = mapNodeView(mapping, event.object);
      return { ...base, kind: 'NODE', namespace: null, name: node.name, node };
    }
    case 'pods': {
      // A Pod view with its source, so `pod { workload }` resolves on events as on queries.
      const pod = podView(mapping, event.object);
      return { ...base, kind: 'POD', namespace: pod.namespace, name: pod.name, pod };
    }
    case 'deployments':
    case 'statefulsets':
    case 'daemonsets': {
      const workload =
        event.kind === 'deployments'
          ? mapDeployment(mapping, event.object)
          : event.kind === 'statefulsets'
            ? mapStatefulSet(mapping, event.object)
            : mapDaemonSet(mapping, event.object);
      return { ...base, kind: 'WORKLOAD', namespace: workload.namespace, name: workload.name, workload };
    }
    default:
      return undefined;
  }
}

export interface JournalEntry {
  readonly seq: number;
  readonly event: TopologyEvent;
}

/** A position in one cluster's journal, as carried (encoded) by a topology cursor. */
export interface TopologyPosition {
  readonly clusterId: string;
  readonly epoch: string;
  readonly seq: number;
}

const CURSOR_VERSION = 't1';

/** Opaque to clients: base64url of `t1 clusterId epoch seq`, so a vector of them can be passed back as is. */
export function encodeTopologyCursor(position: TopologyPosition): string {
  return Buffer.from(
    JSON.stringify([CURSOR_VERSION, position.clusterId, position.epoch, position.seq]),
    'utf8',
  ).toString('base64url');
}

/** undefined: not a topology cursor. */
export function decodeTopologyCursor(cursor: string): TopologyPosition | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 4) return undefined;
  const [version, clusterId, epoch, seq] = decoded as unknown[];
  if (version !== CURSOR_VERSION || typeof clusterId !== 'string' || typeof epoch !== 'string')
    return undefined;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { clusterId, epoch, seq };
}

/** Topology changes kept (at least) for resuming by default: minutes of a busy cluster, a few MB. */
export const DEFAULT_JOURNAL_CAPACITY = 10_000;

export class TopologyJournal {
  readonly epoch = randomUUID().slice(0, 8);
  readonly #ring: JournalEntry[] = [];
  readonly #capacity: number;
  readonly #listeners = new Set<(entry: JournalEntry) => void>();
  #latest = 0;

  constructor(
    private readonly mapping: MappingContext,
    informers: Pick<ClusterInformers, 'onEvent'>,
    capacity = DEFAULT_JOURNAL_CAPACITY,
  ) {
    this.#capacity = Math.max(1, capacity);
    // Lives as long as the subgraph's informers: the journal is created once per cluster schema.
    informers.onEvent((event) => this.#append(event));
  }

  get clusterId(): string {
    return this.mapping.clusterId;
  }

  /** Sequence number of the newest change (0: none yet). */
  get latest(): number {
    return this.#latest;
  }

  cursorAt(seq: number): string {
    return encodeTopologyCursor({ clusterId: this.clusterId, epoch: this.epoch, seq });
  }

  /**
   * The changes after `position`, or undefined when they cannot all be given: another epoch (the subgraph
   * restarted), a position in the future, or older than the oldest change still kept.
   */
  since(position: TopologyPosition): readonly JournalEntry[] | undefined {
    if (position.epoch !== this.epoch || position.seq > this.#latest) return undefined;
    const oldest = this.#ring[0]?.seq ?? this.#latest + 1;
    if (position.seq < oldest - 1) return undefined;
    return this.#ring.slice(position.seq - oldest + 1);
  }

  /** Every change from now on, synchronously as it is appended; returns the detach function. */
  onAppend(listener: (entry: JournalEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #append(informerEvent: InformerEvent): void {
    const event = topologyEventOf(this.mapping, informerEvent);
    if (event === undefined) return;
    const entry = { seq: ++this.#latest, event };
    this.#ring.push(entry);
    // Trimmed in halves, not per append (shifting a large array per event is quadratic): at least `capacity`
    // changes are kept, at most twice that.
    if (this.#ring.length >= 2 * this.#capacity) this.#ring.splice(0, this.#ring.length - this.#capacity);
    for (const listener of this.#listeners) listener(entry);
  }
}
