/** The admin API over the notifier's dead letters: `GET /netweave/v1/subscriptions/{subscriptionId}/dead-letters`. */
import express from 'express';
import type { Request, RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AuthContext } from '../common/auth.ts';
import { requirePermission, sameTenant } from '../common/authorization.ts';
import { DeadLetters } from '../notifier/dead-letters.ts';
import { SubscriptionRepository } from '../notifier/subscriptions/repository.ts';
import { isUuid } from '../o2/ids.ts';
import type { StateStore } from '../state/store.ts';
import { ProblemError, REQUEST_ID_HEADER, problemErrorHandler } from './problem.ts';
import { bindAuth, requestIdOf } from './request-context.ts';

export const DEAD_LETTERS_PATH = '/netweave/v1/subscriptions/:subscriptionId/dead-letters';

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
    requirePermission(auth, 'admin', 'reading dead letters');
    const id = String(req.params['subscriptionId']);
    if (!isUuid(id)) throw new ProblemError(400, 'subscriptionId must be a UUID');
    const subscriptionId = id.toLowerCase();
    // Another tenant's subscription answers as a missing one (no existence leak, admin paths included).
    const subscription = await subscriptions.get(subscriptionId);
    if (subscription === undefined || !sameTenant(auth, subscription.tenant))
      throw new ProblemError(404, `Subscription ${subscriptionId} was not found.`);
    res.json(await letters.list(subscriptionId));
  };
  router.get(DEAD_LETTERS_PATH, handler);
  // Errors of this router only: an express router's error handler sees what its own handlers threw.
  router.use(problemErrorHandler(options.logger ?? pino({ level: 'silent' })));
  return router;
}
