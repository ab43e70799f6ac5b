/**
 * The callback probe at subscription time (oran-o2ims behaviour, `subscriptions.probe`): a GET to the callback
 * that must answer 204, so that an SMO learns at once that its receiver is unreachable or wrong rather than
 * through dead letters later.
 */
import type { CheckedCallback } from '../../notifier/callbacks/callback-policy.ts';
import { failedTestGet } from '../../notifier/callbacks/callback-request.ts';
import { ProblemError } from '../problem.ts';

export async function probeCallback(callback: CheckedCallback, timeoutMs: number): Promise<void> {
  const what = await failedTestGet(callback, {}, timeoutMs);
  if (what !== undefined)
    throw new ProblemError(400, `the callback ${what} to the probe GET; it must answer 204 No Content`);
}
