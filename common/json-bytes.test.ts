import { describe, expect, it } from 'vitest';
import { jsonBytes, parseJsonBytes } from './json-bytes.ts';

const same = (value: unknown): void => {
  const text = JSON.stringify(value) as string | undefined;
  expect(jsonBytes(value)).toEqual(text === undefined ? undefined : Buffer.from(text));
};

describe('jsonBytes', () => {
  it('gives the bytes of JSON.stringify for large arrays, item by item', () => {
    const page = Array.from({ length: 100 }, (_, i) => ({
      resourceId: `r${i}`,
      description: i % 3 === 0 ? `NIC 2× 25GbE ${i}` : `CPU ${i}`,
      tags: ['a', i],
      nested: { emoji: '🛰', quote: '"\\\n', empty: [] },
    }));
    same(page);
    same([
      ...page,
      undefined,
      () => 1,
      Symbol('s'),
      null,
      new Date(0),
      { toJSON: (key: string) => `key ${key}` },
    ]);
    same(Array.from({ length: 20 }, (_, i) => i));
    same(new Array<number>(20)); // holes
    same(
      Object.assign(
        Array.from({ length: 20 }, () => 1),
        { toJSON: () => 'whole' },
      ),
    );
  });

  it('gives the bytes of JSON.stringify for everything else', () => {
    for (const value of [{ a: 1, b: '×' }, [1, 2], 'text', 42, null, undefined, []]) same(value);
  });
});

/** A random JSON value; `size` roughly bounds its serialized length. */
function randomValue(random: () => number, size: number): unknown {
  const pick = random();
  if (size < 40 || pick < 0.3) {
    const strings = ['plain', 'quote " and \\ backslash \\\\"', 'NIC 2× 25GbE', '🛰 \u2028', '\\"', ''];
    const primitives = [null, true, false, 0, -1.5e-7, 12345678901234, strings[Math.floor(random() * 6)]];
    return primitives[Math.floor(random() * primitives.length)];
  }
  const count = 1 + Math.floor(random() * 12);
  if (pick < 0.65) return Array.from({ length: count }, () => randomValue(random, size / count));
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `k${i}${i % 4 === 0 ? ' "x"' : ''}`,
      randomValue(random, size / count),
    ]),
  );
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('parseJsonBytes', () => {
  it('gives the value JSON.parse gives, for large texts split along their objects and arrays', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const random = seeded(seed);
      const value = {
        data: {
          page: Array.from({ length: 300 }, () => randomValue(random, 5_000)),
          tail: randomValue(random, 500),
        },
      };
      for (const text of [JSON.stringify(value), JSON.stringify(value, null, seed % 3)]) {
        const bytes = Buffer.from(text);
        expect(bytes.length).toBeGreaterThan(64 * 1024);
        expect(parseJsonBytes(bytes)).toStrictEqual(JSON.parse(text));
      }
    }
  });

  it('keeps __proto__ an own key, as JSON.parse does', () => {
    const text = `{"__proto__":{"polluted":true},"big":"${'x'.repeat(70_000)}","list":[${'1,'.repeat(40_000)}2]}`;
    const parsed = parseJsonBytes(Buffer.from(text)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'big', 'list']);
    expect(parsed).toStrictEqual(JSON.parse(text));
  });

  it('throws what JSON.parse throws for texts that are not JSON', () => {
    const big = `[${'"a",'.repeat(30_000)}"b"`;
    for (const text of [big, `${big}]]`, `${big}] x`, `{"a" 1, "b": [${'1,'.repeat(40_000)}1]}`, '{"a":1}']) {
      let expected: unknown;
      try {
        expected = JSON.parse(text);
      } catch (error) {
        expected = error;
      }
      if (expected instanceof Error)
        expect(() => parseJsonBytes(Buffer.from(text))).toThrow(expected.message);
      else expect(parseJsonBytes(Buffer.from(text))).toStrictEqual(expected);
    }
  });
});
