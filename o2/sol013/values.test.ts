import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numeralValue, parseDateTime, parseDecimal, timestampValue, uuidEquals } from './values.ts';

describe('timestampValue (stored timestamps)', () => {
  it('agrees with Date.parse on what Date#toISOString and Kubernetes write', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date(Date.UTC(1970, 0, 1)),
          max: new Date(Date.UTC(9999, 11, 31)),
          noInvalidDate: true,
        }),
        (date) => {
          const iso = date.toISOString();
          expect(timestampValue(iso)).toBe(Date.parse(iso));
          const seconds = `${iso.slice(0, 19)}Z`;
          expect(timestampValue(seconds)).toBe(Date.parse(seconds));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('falls back to Date.parse for other forms, and is NaN for nonsense', () => {
    expect(timestampValue('2024-01-01T01:00:00+01:00')).toBe(Date.UTC(2024, 0, 1));
    expect(timestampValue('2024-01-01')).toBe(Date.UTC(2024, 0, 1));
    expect(timestampValue('soon')).toBeNaN();
    expect(timestampValue('2024-02-30T00:00:00Z')).toBeNaN();
    expect(timestampValue('2024-13-01T00:00:00Z')).toBeNaN();
    expect(timestampValue('2024-01-01T00:00:6aZ')).toBeNaN();
    expect(timestampValue('2024-01-01T00:00:00.1x0Z')).toBeNaN();
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        expect(typeof timestampValue(s)).toBe('number');
      }),
    );
  });
});

describe('numeralValue (stored free-form numbers)', () => {
  it('agrees with the strict parser on decimal numerals', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = String(n);
        expect(numeralValue(text)).toBe(parseDecimal(text));
      }),
    );
    for (const text of ['16', '-1.5', '+3', '.5', '7.', '1e3', '00012'])
      expect(numeralValue(text)).toBe(Number(text));
  });

  it('rejects what Number() would wrongly accept', () => {
    for (const text of [
      '',
      ' 1',
      '1 ',
      '0x10',
      '0b1',
      '0o7',
      'Infinity',
      '-Infinity',
      '1e',
      '16Gi',
      'NaN',
      '+',
      '.',
    ]) {
      expect(numeralValue(text)).toBeUndefined();
    }
  });
});

describe('parseDateTime (filter values)', () => {
  it('reads RFC 3339 with any offset and fraction', () => {
    expect(parseDateTime('2024-01-01T00:00:00.123456789Z')).toBe(Date.UTC(2024, 0, 1) + 123);
    expect(parseDateTime('2024-01-01 00:00:00-02:30')).toBe(Date.UTC(2024, 0, 1, 2, 30));
  });

  it('rejects impossible dates instead of rolling them over', () => {
    for (const text of [
      '2023-02-29',
      '2024-04-31',
      '2024-00-10',
      '2024-01-01T00:60:00Z',
      '2024-01-01T00:00:00+24:00',
    ]) {
      expect(parseDateTime(text)).toBeUndefined();
    }
  });
});

describe('uuidEquals', () => {
  it('ignores ASCII case only', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (a, b) => {
        expect(uuidEquals(a.toUpperCase(), a.toLowerCase())).toBe(true);
        expect(uuidEquals(b, a.toLowerCase())).toBe(a.toLowerCase() === b.toLowerCase());
      }),
    );
  });
});
