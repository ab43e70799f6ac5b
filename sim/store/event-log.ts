/**
 * The watch window: the last N change events, so a watch can resume from a resourceVersion. A resume
 * point older than the window is "expired" (the API server answers 410 Gone and clients relist).
 */
import type { KubeObject } from '../types.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly type: WatchEventType;
  /** The global resourceVersion this change was committed at. */
  readonly revision: number;
  /** groupKindKey of the object's resource. */
  readonly groupKind: string;
  /** State after the change; for DELETED the last state, stamped with the deletion's resourceVersion. */
  readonly object: KubeObject;
  /** State before the change (MODIFIED and DELETED). */
  readonly previous: KubeObject | undefined;
}

export class EventLog {
  private readonly ring: Array<StoreEvent | undefined>;
  private next = 0;
  private size = 0;
  /** Revision of the newest event that fell out of the window (0 while nothing has). */
  private compactedThrough = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`retainedEvents must be a positive integer, got ${capacity}`);
    this.ring = new Array<StoreEvent | undefined>(capacity);
  }

  append(event: StoreEvent): void {
    if (this.size === this.capacity) this.compactedThrough = this.ring[this.next]!.revision;
    else this.size++;
    this.ring[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Events committed after `revision`, oldest first, or 'expired' when some already left the window. */
  since(revision: number): StoreEvent[] | 'expired' {
    if (revision < this.compactedThrough) return 'expired';
    const events: StoreEvent[] = [];
    for (let i = 1; i <= this.size; i++) {
      const event = this.ring[(this.next - i + this.capacity) % this.capacity]!;
      if (event.revision <= revision) break;
      events.push(event);
    }
    return events.reverse();
  }
}
