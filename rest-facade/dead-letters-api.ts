/**
 * The admin API over the notifier's dead letters (admin role; notifier/dead-letters.ts), for the subscriptions
 * of every channel (inventory, alarms, DMS LCM and FM):
 *
 *   GET  /netweave/v1/subscriptions/{subscriptionId}/dead-letters                         200 [DeadLetter]
 *   POST /netweave/v1/subscriptions/{subscriptionId}/dead-letters/{deadLetterId}/replay   202 | 404 | 409
 *   POST /netweave/v1/subscriptions/{subscriptionId}/dead-letters/replay                  202 { replayed: [ids] }
 */
import express from 'express';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AuthContext } from '../common/auth.ts';
import { requirePermission, sameTenant } from '../common/authorization.ts';
import { DeadLetters } from '../notifier/dead-letters.ts';
import type { DeadLetterOptions } from '../notifier/dead-letters.ts';
import { AlarmSubscriptionRepository } from '../notifier/subscriptions/alarm-repository.ts';
import {
  FmSubscriptionRepository,
  LcmSubscriptionRepository,
} from '../notifier/subscriptions/lcm-repository.ts';
import { SubscriptionRepository } from '../notifier/subscriptions/repository.ts';
import { isUuid } from '../o2/ids.ts';
import type { StateStore } from '../state/store.ts';
import { ProblemError, REQUEST_ID_HEADER, problemErrorHandler } from './problem.ts';
import { bindAuth, requestIdOf } from './request-context.ts';

export const DEAD_LETTERS_PATH = '/netweave/v1/subscriptions/:subscriptionId/dead-letters';

/** A dead letter's id is its cursor in the subscription's dead-letter log (`<ms>-<seq>`). */
const DEAD_LETTER_ID = /^\d{1,20}-\d{1,20}$/;

export function createDeadLetterApi(options: {
  readonly store: StateStore;
  readonly authenticate: (req: Request) => Promise<AuthContext>;
  readonly logger?: Logger;
  /** Retention and queue bound (`subscriptions.delivery`), as the notifier uses them. */
  readonly deadLetters?: DeadLetterOptions;
}): Router {
  const logger = options.logger ?? pino({ level: 'silent' });
  const letters = new DeadLetters(options.store, options.deadLetters);
  const repositories = [
    new SubscriptionRepository(options.store),
    new AlarmSubscriptionRepository(options.store),
    new LcmSubscriptionRepository(options.store),
    new FmSubscriptionRepository(options.store),
  ];
  const router = express.Router({ caseSensitive: true });

  /** Authenticates, requires the admin role, and returns the subscription id of an existing subscription. */
  async function subscriptionOf(req: Request, res: Response, action: string): Promise<string> {
    res.set(REQUEST_ID_HEADER, requestIdOf(req));
    const auth = await options.authenticate(req);
    bindAuth(req, auth);
    res.set(REQUEST_ID_HEADER, auth.requestId);
    requirePermission(auth, 'admin', action);
    const id = String(req.params['subscriptionId']);
    if (!isUuid(id)) throw new ProblemError(400, 'subscriptionId must be a UUID');
    const subscriptionId = id.toLowerCase();
    for (const repository of repositories) {
      const subscription = await repository.get(subscriptionId);
      // Another tenant's subscription answers as a missing one (no existence leak, admin paths included).
      if (subscription !== undefined && sameTenant(auth, subscription.tenant)) return subscriptionId;
    }
    throw new ProblemError(404, `Subscription ${subscriptionId} was not found.`);
  }

  const list: RequestHandler = async (req, res) => {
    const subscriptionId = await subscriptionOf(req, res, 'reading dead letters');
    res.json(await letters.list(subscriptionId));
  };
  const replayOne: RequestHandler = async (req, res) => {
    const subscriptionId = await subscriptionOf(req, res, 'replaying dead letters');
    const deadLetterId = String(req.params['deadLetterId']);
    if (!DEAD_LETTER_ID.test(deadLetterId))
      throw new ProblemError(400, 'deadLetterId must be a dead letter id as listed (<ms>-<seq>)');
    const { outcome, replayed } = await letters.replay(subscriptionId, deadLetterId);
    if (outcome === 'not-found')
      throw new ProblemError(
        404,
        `Dead letter ${deadLetterId} of subscription ${subscriptionId} was not found.`,
      );
    if (outcome === 'not-replayable')
      throw new ProblemError(
        409,
        'This dead letter records notifications dropped by a queue overflow; it holds no notification to send.',
      );
    logger.info({ subscriptionId, replayed }, 'dead letter replayed');
    res.status(202).json({ replayed });
  };
  const replayAll: RequestHandler = async (req, res) => {
    const subscriptionId = await subscriptionOf(req, res, 'replaying dead letters');
    const { replayed } = await letters.replay(subscriptionId);
    logger.info({ subscriptionId, replayed: replayed.length }, 'dead letters replayed');
    res.status(202).json({ replayed });
  };
  const notAllowed =
    (allow: string): RequestHandler =>
    (_req, res) => {
      res.set('Allow', allow);
      throw new ProblemError(405, `Only ${allow} is allowed here.`);
    };

  router.get(DEAD_LETTERS_PATH, list);
  router.post(`${DEAD_LETTERS_PATH}/replay`, replayAll);
  router.post(`${DEAD_LETTERS_PATH}/:deadLetterId/replay`, replayOne);
  router.all(DEAD_LETTERS_PATH, notAllowed('GET'));
  router.all(`${DEAD_LETTERS_PATH}/replay`, notAllowed('POST'));
  router.all(`${DEAD_LETTERS_PATH}/:deadLetterId/replay`, notAllowed('POST'));
  // Errors of this router only: an express router's error handler sees what its own handlers threw.
  router.use(problemErrorHandler(logger));
  return router;
}
