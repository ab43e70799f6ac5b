/**
 * Dead letters: notifications the notifier gave up on, per subscription (bounded), readable by operators at
 * `GET /netweave/v1/subscriptions/{subscriptionId}/dead-letters` (admin role; rest-facade/dead-letters-api.ts)
 * and counted in `netweave_notifications_dead_lettered_total`.
 */
import type { StateStore } from '../state/store.ts';
import { DEAD_LETTERS_RETAINED, deadLetterLogName, deadLetterSchema } from './queues.ts';
import type { DeadLetter } from './queues.ts';

export class DeadLetters {
  constructor(private readonly store: StateStore) {}

  async record(letter: DeadLetter): Promise<void> {
    await this.store
      .eventLog<DeadLetter>(deadLetterLogName(letter.subscriptionId), { maxLength: DEAD_LETTERS_RETAINED })
      .append(letter);
  }

  /** Oldest first; records that do not validate are skipped. */
  async list(subscriptionId: string): Promise<DeadLetter[]> {
    const entries = await this.store
      .eventLog<object>(deadLetterLogName(subscriptionId), { maxLength: DEAD_LETTERS_RETAINED })
      .read(undefined, DEAD_LETTERS_RETAINED);
    const out: DeadLetter[] = [];
    for (const { event } of entries) {
      const parsed = deadLetterSchema.safeParse(event);
      if (parsed.success) out.push(parsed.data as DeadLetter);
    }
    return out;
  }

  async clear(subscriptionId: string): Promise<void> {
    await this.store.eventLog<object>(deadLetterLogName(subscriptionId)).trim(0);
  }
}
