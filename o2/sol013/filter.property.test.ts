import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sol013Error } from './errors.ts';
import { compileFilter, type CompiledClause, type CompiledFilter, type LeafType } from './filter-compile.ts';
import { matches } from './filter-eval.ts';
import {
  FILTER_OPS,
  parseFilter,
  printFilter,
  SINGLE_VALUE_OPS,
  type FilterClause,
  type FilterExpr,
  type FilterOp,
} from './filter-syntax.ts';
import { makeResource, RESOURCE_SCHEMA } from '../../testing/sol013-fixtures.ts';

function onlySol013Errors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof Sol013Error)) throw error;
  }
}

// Pieces that make random text look like a filter, so the parser's deeper branches get exercised.
const filterish = fc.string({
  unit: fc.constantFrom(
    '(',
    ')',
    ',',
    ';',
    "'",
    "''",
    '~',
    '~0',
    '~1',
    '~a',
    '~b',
    '/',
    ' ',
    '%3B',
    '%3',
    'eq',
    'in',
    'cont',
    'a',
    'b',
    '1',
    '@key',
    '\t',
  ),
  maxLength: 60,
});

describe('parseFilter on arbitrary input', () => {
  it('returns or throws a Sol013Error, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) =>
        onlySol013Errors(() => parseFilter(text)),
      ),
      {
        numRuns: 2000,
      },
    );
  });

  it('returns or throws a Sol013Error, for filter-like strings', () => {
    fc.assert(
      fc.property(filterish, (text) => onlySol013Errors(() => parseFilter(text))),
      { numRuns: 5000 },
    );
  });

  it('returns or throws a Sol013Error, for mutated valid filters', () => {
    const base = "(eq,extensions/a~1b,'x,y');(in,tags,a,'b''c')%3B(cont,description,my cluster)";
    fc.assert(
      fc.property(
        fc.nat(base.length),
        fc.nat(base.length),
        fc.string({ maxLength: 3 }),
        (at, cut, insert) => {
          const start = Math.min(at, cut);
          const text = base.slice(0, start) + insert + base.slice(Math.max(at, cut));
          onlySol013Errors(() => parseFilter(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('returns or throws a Sol013Error for very long input, quickly', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('(', 'eq', ',', 'a', "'", ')', ';'),
          minLength: 4000,
          maxLength: 6000,
        }),
        (text) => onlySol013Errors(() => parseFilter(text)),
      ),
      { numRuns: 50 },
    );
  });
});

// Names the printer can write: no quote, parenthesis or ";", no surrounding whitespace, not empty.
const attrName = fc
  .string({
    unit: fc.constantFrom(
      'a',
      'B',
      'z',
      '0',
      '9',
      '~',
      '/',
      ',',
      '@',
      '.',
      '-',
      '_',
      ' ',
      '%',
      '3',
      'é',
      '\t',
      'key',
    ),
    minLength: 1,
    maxLength: 8,
  })
  .filter((name) => name.trim() === name && name !== '');

const clause: fc.Arbitrary<FilterClause> = fc.constantFrom(...FILTER_OPS).chain((op: FilterOp) =>
  fc.record({
    op: fc.constant(op),
    path: fc.array(fc.oneof(attrName, fc.constant('@key')), { minLength: 1, maxLength: 4 }),
    values: fc.array(fc.string({ unit: 'binary', maxLength: 12 }), {
      minLength: 1,
      maxLength: SINGLE_VALUE_OPS.has(op) ? 1 : 5,
    }),
  }),
);

const expr: fc.Arbitrary<FilterExpr> = fc.record({
  clauses: fc.array(clause, { minLength: 1, maxLength: 6 }),
});

describe('printFilter / parseFilter', () => {
  it('parse(print(expr)) equals expr', () => {
    fc.assert(
      fc.property(expr, (e) => {
        expect(parseFilter(printFilter(e))).toEqual(e);
      }),
      { numRuns: 2000 },
    );
  });

  it('print is a fixed point after one round (canonical form)', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = printFilter(e);
        expect(printFilter(parseFilter(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('compileFilter on arbitrary expressions', () => {
  const paths = [
    'resourceId',
    'cpuCount',
    'memoryGiB',
    'schedulable',
    'createdAt',
    'description',
    'tags',
    'extensions/x',
    'extensions/@key',
    'elements/resourceTypeId',
    'location/coordinates/lat',
    'location',
    'nope',
    'extensions/@key/x',
    'constructor',
  ];
  const schemaClause: fc.Arbitrary<FilterClause> = fc.record({
    op: fc.constantFrom(...FILTER_OPS),
    path: fc.constantFrom(...paths).map((p) => p.split('/')),
    values: fc.array(
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.double().map(String),
        fc.constantFrom('true', 'false', '2024-01-01', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'),
      ),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
  });

  it('returns or throws a Sol013Error', () => {
    fc.assert(
      fc.property(fc.array(schemaClause, { minLength: 1, maxLength: 4 }), (clauses) =>
        onlySol013Errors(() => compileFilter({ clauses }, RESOURCE_SCHEMA)),
      ),
      { numRuns: 3000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Evaluation: compiled filters built directly, objects from arbitrary JSON.

const names = ['a', 'b', 'tags', '@key', '__proto__', 'constructor', 'toString', 'length', '0'];

const valueFor: Record<LeafType, fc.Arbitrary<string | number | boolean>> = {
  string: fc.string({ maxLength: 6 }),
  any: fc.oneof(fc.string({ maxLength: 6 }), fc.integer().map(String)),
  uuid: fc.uuid(),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }),
  integer: fc.integer(),
  boolean: fc.boolean(),
  datetime: fc.integer({ min: 0, max: 4_102_444_800_000 }),
};

const opsFor: Record<LeafType, readonly FilterOp[]> = {
  string: FILTER_OPS,
  any: FILTER_OPS,
  uuid: ['eq', 'neq', 'in', 'nin'],
  boolean: ['eq', 'neq', 'in', 'nin'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin'],
  integer: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin'],
  datetime: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin'],
};

const compiledClause: fc.Arbitrary<CompiledClause> = fc
  .constantFrom<LeafType>('string', 'any', 'uuid', 'number', 'integer', 'boolean', 'datetime')
  .chain((type) =>
    fc.constantFrom(...opsFor[type]).chain((op) =>
      fc.record({
        op: fc.constant(op),
        type: fc.constant(type),
        path: fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 4 }),
        values: fc.array(valueFor[type], { minLength: 1, maxLength: SINGLE_VALUE_OPS.has(op) ? 1 : 10 }),
      }),
    ),
  );

const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }),
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...names), tie('tree'), { maxKeys: 4 }),
  ),
}));

// What a subgraph holds: data that went through JSON (own "__proto__" keys included).
const jsonObject = fc
  .oneof(tree, fc.jsonValue())
  .map((value): unknown => JSON.parse(JSON.stringify(value ?? null)));

const NEGATION: Partial<Record<FilterOp, FilterOp>> = { eq: 'neq', in: 'nin', cont: 'ncont' };

describe('matches on arbitrary data', () => {
  it('never throws', () => {
    fc.assert(
      fc.property(fc.array(compiledClause, { maxLength: 4 }), jsonObject, (clauses, object) => {
        const filter: CompiledFilter = { v: 1, clauses };
        expect(typeof matches(filter, object)).toBe('boolean');
      }),
      { numRuns: 5000 },
    );
  });

  it('neq, nin and ncont are the exact negations of eq, in and cont', () => {
    fc.assert(
      fc.property(compiledClause, jsonObject, (c, object) => {
        const negated = NEGATION[c.op];
        fc.pre(negated !== undefined);
        const positive = matches({ v: 1, clauses: [c] }, object);
        const negative = matches({ v: 1, clauses: [{ ...c, op: negated! }] }, object);
        expect(negative).toBe(!positive);
      }),
      { numRuns: 3000 },
    );
  });

  it('a filter compiled from text agrees with itself after a JSON round trip', () => {
    const resources = Array.from({ length: 24 }, (_, i) => makeResource(i));
    const text = '(eq,schedulable,true);(in,tags,gpu,fpga);(gte,memoryGiB,64)';
    const compiled = compileFilter(parseFilter(text), RESOURCE_SCHEMA);
    const wire = JSON.parse(JSON.stringify(compiled)) as CompiledFilter;
    expect(resources.map((r) => matches(wire, r))).toEqual(resources.map((r) => matches(compiled, r)));
    expect(resources.some((r) => matches(compiled, r))).toBe(true);
  });
});
