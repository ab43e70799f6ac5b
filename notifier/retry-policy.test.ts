/** The retry rules as written lists, the backoff sequence, signatures and the token cache, without servers. */
import { describe, expect, it } from 'vitest';
import { ClientCredentialsTokens, TokenUnavailableError } from './oauth2-client.ts';
import { retryDelay, classifyOutcome, parseRetryAfter } from './retry-policy.ts';
import { signatureHeaderValue, verifySignature } from './signature.ts';

const response = (status: number, headers: Record<string, string> = {}) =>
  ({ kind: 'response', status, headers }) as const;

describe('retry policy', () => {
  it('delivers on 2xx, retries network errors, timeouts, 408, 425, 429 and 5xx, and is final otherwise', () => {
    const kinds = (outcome: Parameters<typeof classifyOutcome>[0]) => classifyOutcome(outcome, 0).kind;
    for (const status of [200, 201, 202, 204, 299]) expect(kinds(response(status))).toBe('delivered');
    for (const status of [408, 425, 429, 500, 502, 503, 504, 599])
      expect(kinds(response(status))).toBe('retry');
    for (const status of [100, 301, 302, 307, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422])
      expect(kinds(response(status))).toBe('final');
    expect(kinds({ kind: 'timeout' })).toBe('retry');
    expect(kinds({ kind: 'network-error', reason: 'ECONNREFUSED' })).toBe('retry');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(classifyOutcome(response(429, { 'retry-after': '7' }), now)).toEqual({
      kind: 'retry',
      reason: 'status 429',
      status: 429,
      retryAfterMs: 7_000,
    });
  });

  it('backs off exponentially with jitter within [base/2, base], capped, and honours Retry-After up to its cap', () => {
    const policy = { initialBackoffMs: 1_000, maxBackoffMs: 60_000, maxRetryAfterMs: 300_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => retryDelay(policy, attempt, () => 0.999999))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
    expect([1, 2, 3].map((attempt) => retryDelay(policy, attempt, () => 0))).toEqual([500, 1_000, 2_000]);
    expect(retryDelay(policy, 1, () => 0.5, 10_000)).toBe(10_000);
    expect(retryDelay(policy, 1, () => 0.5, 3_600_000)).toBe(300_000);
  });
});

describe('webhook signature', () => {
  it('verifies its own signatures, and refuses other bodies, secrets, stale times and garbage', () => {
    const body = '{"notificationId":"x"}';
    const header = signatureHeaderValue('secret', body, 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(header, body, 'secret', { nowSeconds: 1_700_000_100 })).toBe(true);
    expect(verifySignature(header, `${body} `, 'secret', { nowSeconds: 1_700_000_100 })).toBe(false);
    expect(verifySignature(header, body, 'other', { nowSeconds: 1_700_000_100 })).toBe(false);
    expect(verifySignature(header, body, 'secret', { nowSeconds: 1_700_001_000 })).toBe(false);
    expect(verifySignature('t=x,v1=zz', body, 'secret')).toBe(false);
    expect(verifySignature(undefined, body, 'secret')).toBe(false);
  });
});

describe('OAuth2 client credentials', () => {
  it('caches the token until shortly before expiry and shares one request between concurrent callers', async () => {
    let now = 0;
    let issued = 0;
    const fakeFetch = (async () => {
      issued += 1;
      return new Response(JSON.stringify({ access_token: `t${issued}`, expires_in: 120 }), { status: 200 });
    }) as typeof fetch;
    const tokens = new ClientCredentialsTokens(
      { tokenUrl: 'https://idp.example/token', clientId: 'a', clientSecret: 'b' },
      { now: () => now, fetch: fakeFetch },
    );
    expect(await Promise.all([tokens.token(), tokens.token(), tokens.token()])).toEqual(['t1', 't1', 't1']);
    now = 89_000;
    expect(await tokens.token()).toBe('t1');
    now = 91_000;
    expect(await tokens.token()).toBe('t2');
    tokens.invalidate();
    expect(await tokens.token()).toBe('t3');
  });

  it('reports an unusable token endpoint as TokenUnavailableError', async () => {
    const failing = (async () => new Response('nope', { status: 500 })) as typeof fetch;
    const tokens = new ClientCredentialsTokens(
      { tokenUrl: 'https://idp.example/token', clientId: 'a', clientSecret: 'b' },
      { fetch: failing },
    );
    await expect(tokens.token()).rejects.toBeInstanceOf(TokenUnavailableError);
    const empty = (async () => new Response('{}', { status: 200 })) as typeof fetch;
    await expect(
      new ClientCredentialsTokens(
        { tokenUrl: 'https://idp.example/token', clientId: 'a', clientSecret: 'b' },
        { fetch: empty },
      ).token(),
    ).rejects.toBeInstanceOf(TokenUnavailableError);
  });
});
