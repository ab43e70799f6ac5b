/**
 * The callback probe at subscription time (oran-o2ims behaviour, `subscriptions.probe`): a GET to the callback
 * that must answer 204, so that an SMO learns at once that its receiver is unreachable or wrong rather than
 * through dead letters later.
 */
import type { CheckedCallback } from '../../notifier/callbacks/callback-policy.ts';
import { sendToCallback } from '../../notifier/callbacks/callback-request.ts';
import { ProblemError } from '../problem.ts';

export async function probeCallback(callback: CheckedCallback, timeoutMs: number): Promise<void> {
  const outcome = await sendToCallback({ callback, method: 'GET', headers: { accept: '*/*' }, timeoutMs });
  if (outcome.kind === 'response' && outcome.status === 204) return;
  const what =
    outcome.kind === 'response'
      ? `answered ${outcome.status}`
      : outcome.kind === 'timeout'
        ? `did not answer within ${timeoutMs} ms`
        : 'could not be reached';
  throw new ProblemError(400, `the callback ${what} to the probe GET; it must answer 204 No Content`);
}
