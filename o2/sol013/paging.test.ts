import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sol013Error } from './errors.ts';
import { createMarkerCodec, MAX_MARKER_LENGTH, queryHash, type PagingState } from './paging.ts';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const BASE64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function markerError(run: () => unknown): Sol013Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Sol013Error && error.code === 'MARKER') return error;
    throw new Error('expected a MARKER Sol013Error, got another error', { cause: error });
  }
  throw new Error('expected a MARKER Sol013Error, nothing was thrown');
}

describe('queryHash', () => {
  it('is deterministic, compact and URL-safe', () => {
    const h = queryHash(['/o2ims-infrastructureInventory/v1/resourcePools', '(eq,name,x)', 'all']);
    expect(h).toBe(queryHash(['/o2ims-infrastructureInventory/v1/resourcePools', '(eq,name,x)', 'all']));
    expect(h).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('separates the parts unambiguously', () => {
    expect(queryHash(['ab', 'c'])).not.toBe(queryHash(['a', 'bc']));
    expect(queryHash(['a', ''])).not.toBe(queryHash(['a']));
    expect(queryHash(['1:a'])).not.toBe(queryHash(['1', 'a']));
  });
});

describe('marker codec', () => {
  const codec = createMarkerCodec(SECRET);
  const q = queryHash(['/resources', '(eq,tags,gpu)', '']);

  it('round-trips a state, with and without expiry', () => {
    const plain: PagingState = { v: 1, after: 'cluster-a/0000-0042', q };
    expect(codec.decode(codec.encode(plain))).toEqual(plain);
    const expiring: PagingState = { v: 1, after: 'k', q, exp: Date.now() + 60_000 };
    expect(codec.decode(codec.encode(expiring))).toEqual(expiring);
  });

  it('round-trips any sort key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (after) => {
        expect(codec.decode(codec.encode({ v: 1, after, q })).after).toBe(after);
      }),
      { numRuns: 300 },
    );
  });

  it('is compact and URL-safe', () => {
    const marker = codec.encode({ v: 1, after: 'cluster-a/0000-0042', q, exp: 1_800_000_000_000 });
    expect(marker).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(marker.length).toBeLessThan(160);
    expect(encodeURIComponent(marker)).toBe(marker);
  });

  it('accepts a secret given as bytes', () => {
    const bytes = new TextEncoder().encode(SECRET);
    const marker = createMarkerCodec(bytes).encode({ v: 1, after: 'k', q });
    expect(codec.decode(marker).after).toBe('k');
  });

  it('refuses secrets shorter than 32 bytes', () => {
    expect(() => createMarkerCodec('short')).toThrow(TypeError);
    expect(() => createMarkerCodec(new Uint8Array(31))).toThrow(TypeError);
  });

  it('detects any changed character', () => {
    const marker = codec.encode({ v: 1, after: 'cluster-a/0000-0042', q, exp: 4_000_000_000_000 });
    for (let i = 0; i < marker.length; i++) {
      for (const replacement of [
        BASE64URL_CHARS[(BASE64URL_CHARS.indexOf(marker[i]!) + 1) % 64]!,
        '.',
        '=',
        '%',
      ]) {
        if (replacement === marker[i]) continue;
        const tampered = marker.slice(0, i) + replacement + marker.slice(i + 1);
        markerError(() => codec.decode(tampered));
      }
    }
  });

  it('detects any flipped bit in the decoded body or tag', () => {
    const marker = codec.encode({ v: 1, after: 'k', q });
    const [body, tag] = marker.split('.') as [string, string];
    for (const [part, rebuild] of [
      [body, (b: string) => `${b}.${tag}`],
      [tag, (t: string) => `${body}.${t}`],
    ] as const) {
      const bytes = Buffer.from(part, 'base64url');
      for (let i = 0; i < bytes.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const flipped = Buffer.from(bytes);
          flipped[i]! ^= 1 << bit;
          markerError(() => codec.decode(rebuild(flipped.toString('base64url'))));
        }
      }
    }
  });

  it('detects truncation, extension and re-assembly', () => {
    const a = codec.encode({ v: 1, after: 'a', q });
    const b = codec.encode({ v: 1, after: 'b', q });
    const [bodyA] = a.split('.') as [string, string];
    const [, tagB] = b.split('.') as [string, string];
    markerError(() => codec.decode(a.slice(0, -1)));
    markerError(() => codec.decode(`${a}A`));
    markerError(() => codec.decode(`${a}.x`));
    markerError(() => codec.decode(`${bodyA}.${tagB}`));
    markerError(() => codec.decode(`${bodyA}`));
    markerError(() => codec.decode(`.${tagB}`));
  });

  it('refuses markers from another secret', () => {
    const other = createMarkerCodec('another-secret-that-is-at-least-32-bytes');
    markerError(() => codec.decode(other.encode({ v: 1, after: 'k', q })));
  });

  it('refuses garbage without throwing anything else', () => {
    for (const garbage of [
      '',
      '.',
      '..',
      'abc',
      'abc.def',
      '1',
      'null',
      '{"v":1}',
      'x'.repeat(MAX_MARKER_LENGTH + 1),
    ]) {
      markerError(() => codec.decode(garbage));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (text) => {
        markerError(() => codec.decode(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('verify binds the marker to its query', () => {
    const marker = codec.encode({ v: 1, after: 'k', q });
    expect(codec.verify(marker, q).after).toBe('k');
    const error = markerError(() => codec.verify(marker, queryHash(['/resources', '(eq,tags,cpu)', ''])));
    expect(error.message).toContain('different query');
  });

  it('expires at exp, by the injected clock', () => {
    let now = 1_000_000;
    const timed = createMarkerCodec(SECRET, { now: () => now });
    const marker = timed.encode({ v: 1, after: 'k', q, exp: 1_000_500 });
    expect(timed.verify(marker, q).exp).toBe(1_000_500);
    now = 1_000_499;
    expect(timed.decode(marker).after).toBe('k');
    now = 1_000_500;
    expect(markerError(() => timed.decode(marker)).message).toContain('expired');
  });

  it('never echoes the marker in its messages', () => {
    const marker = codec.encode({ v: 1, after: 'secret-sort-key', q });
    for (const bad of [`${marker}x`, 'secret-sort-key', `${marker.slice(0, 10)}secret`]) {
      expect(markerError(() => codec.decode(bad)).message).not.toContain('secret');
    }
  });

  it('refuses to encode invalid states', () => {
    expect(() => codec.encode({ v: 1, after: 'k', q, exp: 1.5 })).toThrow(TypeError);
    expect(() => codec.encode({ v: 1, after: 'x'.repeat(MAX_MARKER_LENGTH), q })).toThrow(TypeError);
  });
});
