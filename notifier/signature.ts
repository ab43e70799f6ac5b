/**
 * Signed webhooks (docs/architecture.md "Security"): `X-Netweave-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * `<t>.<raw body>` with the shared signing secret. The timestamp is inside the MAC so a captured request
 * cannot be replayed later than the receiver's tolerance; docs/subscriptions.md shows how to verify it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Netweave-Signature';

function mac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function signatureHeaderValue(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${mac(secret, unixSeconds, body)}`;
}

export interface VerifyOptions {
  readonly nowSeconds?: number;
  /** Largest accepted difference between the signature's time and now. */
  readonly toleranceSeconds?: number;
}

/** For receivers (and tests): true when the header is a valid, fresh signature of `body`. */
export function verifySignature(
  header: string | undefined,
  body: string,
  secret: string,
  options: VerifyOptions = {},
): boolean {
  if (header === undefined) return false;
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const key = part.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), part.slice(at + 1).trim()]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(timestamp)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(mac(secret, timestamp, body), 'hex');
  // Several v1 values are allowed so that a secret can be rotated without a gap.
  return (parts.get('v1') ?? []).some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
