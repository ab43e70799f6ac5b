/**
 * What happens after one delivery attempt (docs/architecture.md "Conventions" 9: retry decisions as explicit lists).
 *
 *   delivered  2xx
 *   retried    network errors (refused, reset, DNS), timeouts, 408, 425, 429 (honouring Retry-After),
 *              every 5xx, and a token endpoint that did not answer; also 401 once with a fresh OAuth2 token
 *   final      every other status: 1xx, 3xx (redirects are never followed: a callback that moved is a
 *              misconfiguration), 4xx other than the above, and a callback the SSRF policy now refuses
 *
 * A retried notification waits `retryDelay` (exponential with jitter, capped: common/timers.ts), or as long as a
 * Retry-After asks (capped by maxRetryAfterMs); after `maxAttempts` attempts it becomes a dead letter.
 */
import { backoffDelay } from '../common/timers.ts';
import type { CallbackOutcome } from './callbacks/callback-request.ts';

export type DeliveryVerdict =
  | { readonly kind: 'delivered'; readonly status: number }
  | {
      readonly kind: 'retry';
      readonly reason: string;
      readonly status?: number;
      readonly retryAfterMs?: number;
    }
  | { readonly kind: 'final'; readonly reason: string; readonly status?: number };

export const RETRIED_STATUSES: ReadonlySet<number> = new Set([408, 425, 429]);

/** The `subscriptions.delivery` settings that time retries. */
export interface DeliveryRetryPolicy {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxRetryAfterMs: number;
}

/** Seconds or an HTTP date → milliseconds from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function classifyOutcome(outcome: CallbackOutcome, nowMs: number): DeliveryVerdict {
  switch (outcome.kind) {
    case 'timeout':
      return { kind: 'retry', reason: 'timeout' };
    case 'network-error':
      return { kind: 'retry', reason: `network error ${outcome.reason}` };
    case 'response': {
      const { status } = outcome;
      if (status >= 200 && status < 300) return { kind: 'delivered', status };
      if (status >= 500 || RETRIED_STATUSES.has(status)) {
        const retryAfterMs = parseRetryAfter(outcome.headers['retry-after'], nowMs);
        return {
          kind: 'retry',
          reason: `status ${status}`,
          status,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
      }
      return { kind: 'final', reason: `status ${status}`, status };
    }
  }
}

/**
 * The pause before attempt `attempt + 1` after `attempt` failed attempts: uniformly random in
 * [base/2, base] with base = initial × 2^(attempt-1), capped — the jitter keeps many subscriptions that failed
 * together (a receiver restart) from retrying in lockstep. A Retry-After replaces it, within its cap.
 */
export function retryDelay(
  policy: DeliveryRetryPolicy,
  attempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  // Half the range is jitter; 1 − random keeps `random() = 0` at the low end [base/2] as documented.
  return backoffDelay(
    { initialDelayMs: policy.initialBackoffMs, maxDelayMs: policy.maxBackoffMs, multiplier: 2, jitter: 0.5 },
    attempt,
    () => 1 - random(),
  );
}
