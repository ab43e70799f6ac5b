import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCursors, normalizeCursor } from './store.ts';

// Up to 20 digits: both parts of a Redis stream id are unsigned 64-bit, beyond Number precision.
const part = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const cursor = fc.tuple(part, part);
const text = ([ms, seq]: [bigint, bigint]): string => `${ms}-${seq}`;
const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

describe('compareCursors', () => {
  it('orders cursors by milliseconds, then sequence, as 64-bit numbers', () => {
    fc.assert(
      fc.property(cursor, cursor, (a, b) => {
        const expected = a[0] === b[0] ? sign(Number(a[1] - b[1])) : sign(Number(a[0] - b[0]));
        expect(compareCursors(text(a), text(b))).toBe(expected);
        expect(compareCursors(text(b), text(a))).toBe(-expected);
      }),
    );
  });

  it('reads a bare millisecond value and leading zeros the way Redis does', () => {
    expect(compareCursors('0', '0-0')).toBe(0);
    expect(compareCursors('5', '5-1')).toBe(-1);
    expect(compareCursors('007-01', '7-1')).toBe(0);
    expect(compareCursors('9-0', '10-0')).toBe(-1);
    expect(normalizeCursor('0')).toBe('0-0');
    expect(normalizeCursor('0012-003')).toBe('12-3');
  });

  it('rejects anything that is not a cursor', () => {
    for (const bad of ['', '-', '1-', '-1', '1-2-3', 'a-1', ' 1-1', '$', '>']) {
      expect(() => compareCursors(bad, '0-0')).toThrow(TypeError);
    }
  });
});
