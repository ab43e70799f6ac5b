/**
 * Dead letters: notifications the notifier gave up on, per subscription (bounded), readable by operators at
 * `GET /netweave/v1/subscriptions/{subscriptionId}/dead-letters` (admin role) and counted in
 * `netweave_notifications_dead_lettered_total`.
 */
import express from 'express';
import type { Request, RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AuthContext } from '../../common/auth.ts';
import { isUuid } from '../../common/ids.ts';
import type { StateStore } from '../../state/store.ts';
import { ProblemError, REQUEST_ID_HEADER, problemErrorHandler } from '../problem.ts';
import { bindAuth, requestIdOf } from '../request-context.ts';
import { SubscriptionRepository } from '../subscriptions/repository.ts';
import { DEAD_LETTERS_RETAINED, deadLetterLogName, deadLetterSchema } from './queues.ts';
import type { DeadLetter } from './queues.ts';

export const DEAD_LETTERS_PATH = '/netweave/v1/subscriptions/:subscriptionId/dead-letters';

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

export function createDeadLetterApi(options: {
  readonly store: StateStore;
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly logger?: Logger;
}): Router {
  const letters = new DeadLetters(options.store);
  const subscriptions = new SubscriptionRepository(options.store);
  const router = express.Router({ caseSensitive: true });
  const handler: RequestHandler = async (req, res) => {
    res.set(REQUEST_ID_HEADER, requestIdOf(req));
    const auth = await options.authenticate(req);
    bindAuth(req, auth);
    res.set(REQUEST_ID_HEADER, auth.requestId);
    if (!auth.roles.includes('admin'))
      throw new ProblemError(403, 'reading dead letters needs the admin role');
    const id = String(req.params['subscriptionId']);
    if (!isUuid(id)) throw new ProblemError(400, 'subscriptionId must be a UUID');
    const subscriptionId = id.toLowerCase();
    if ((await subscriptions.get(subscriptionId)) === undefined)
      throw new ProblemError(404, `Subscription ${subscriptionId} was not found.`);
    res.json(await letters.list(subscriptionId));
  };
  router.get(DEAD_LETTERS_PATH, handler);
  // Errors of this router only: an express router's error handler sees what its own handlers threw.
  router.use(problemErrorHandler(options.logger ?? pino({ level: 'silent' })));
  return router;
}
