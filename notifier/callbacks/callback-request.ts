/**
 * One HTTP request to a checked callback: connected to the address the policy checked (never re-resolved, so
 * DNS rebinding cannot redirect it), no redirects followed, bounded in time, response body discarded. The
 * outcome is a value, never an exception: the notifier's retry rules classify it (retry-policy.ts).
 */
import type { LookupFunction } from 'node:net';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { CheckedCallback } from './callback-policy.ts';

export type CallbackOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly headers: IncomingHttpHeaders }
  | { readonly kind: 'network-error'; readonly reason: string }
  | { readonly kind: 'timeout' };

export interface CallbackRequest {
  readonly callback: CheckedCallback;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Covers connecting, sending and receiving the whole response. */
  readonly timeoutMs: number;
  readonly agents?: CallbackAgents;
}

/** Keep-alive connection pools, one per protocol, shared by a notifier's deliveries. */
export interface CallbackAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
  destroy(): void;
}

export function createCallbackAgents(maxSockets = 256): CallbackAgents {
  const http = new HttpAgent({ keepAlive: true, maxSockets });
  const https = new HttpsAgent({ keepAlive: true, maxSockets });
  return {
    http,
    https,
    destroy() {
      http.destroy();
      https.destroy();
    },
  };
}

/** Answers every lookup with the checked address. */
function pinnedLookup(callback: CheckedCallback): LookupFunction {
  const target = callback.addresses[0]!;
  return (_hostname, options, done) => {
    if (typeof options === 'object' && options.all === true) {
      (done as unknown as (error: null, addresses: Array<{ address: string; family: number }>) => void)(
        null,
        [{ address: target.address, family: target.family }],
      );
    } else done(null, target.address, target.family);
  };
}

const MAX_DRAINED_BYTES = 64 * 1024;

export function sendToCallback(request: CallbackRequest): Promise<CallbackOutcome> {
  const { url } = request.callback;
  const secure = url.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  // The body stays a string: node:http then sends it in the same write as the headers (a Buffer would make it
  // a second chunk of a writev, the largest item of the notifier's profile under load).
  const { body } = request;
  return new Promise<CallbackOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: CallbackOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = send(url, {
      method: request.method,
      headers: {
        ...request.headers,
        ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body, 'utf8')) }),
      },
      lookup: pinnedLookup(request.callback),
      ...(request.agents === undefined
        ? { agent: false }
        : { agent: secure ? request.agents.https : request.agents.http }),
    });
    const timer = setTimeout(() => {
      settle({ kind: 'timeout' });
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'network-error', reason: error.code ?? error.message }),
    );
    req.on('response', (res) => {
      let drained = 0;
      res.on('data', (chunk: Buffer) => {
        drained += chunk.length;
        // A receiver streaming an endless body must not hold the delivery: its status is all that counts.
        if (drained > MAX_DRAINED_BYTES) res.destroy();
      });
      res.on('error', () => settle({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers }));
      res.on('close', () => settle({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.end(body);
  });
}

/**
 * The test GET a subscription's callback must answer 204 to (IMS probe, SOL003 test GET): undefined when it did,
 * else what went wrong, as a phrase ("answered 404", "did not answer within 2000 ms", "could not be reached").
 */
export async function failedTestGet(
  callback: CheckedCallback,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<string | undefined> {
  const outcome = await sendToCallback({
    callback,
    method: 'GET',
    headers: { accept: '*/*', ...headers },
    timeoutMs,
  });
  if (outcome.kind === 'response' && outcome.status === 204) return undefined;
  return outcome.kind === 'response'
    ? `answered ${outcome.status}`
    : outcome.kind === 'timeout'
      ? `did not answer within ${timeoutMs} ms`
      : 'could not be reached';
}
