import { describe, expect, it } from 'vitest';
import type { Sol013Error, Sol013ErrorCode } from './errors.ts';
import { asCompiledFilter, compileFilter, type CompiledFilter } from './filter-compile.ts';
import { parseFilter } from './filter-syntax.ts';
import { RESOURCE_SCHEMA, sol013ErrorOf } from '../../testing/sol013-fixtures.ts';

function compile(text: string): CompiledFilter {
  return compileFilter(parseFilter(text), RESOURCE_SCHEMA);
}

function valuesOf(text: string): unknown[] {
  return [...compile(text).clauses[0]!.values];
}

function expectCode(text: string, code: Sol013ErrorCode): Sol013Error {
  const error = sol013ErrorOf(() => compile(text));
  expect(error.code).toBe(code);
  return error;
}

describe('compileFilter: value conversion per type', () => {
  it('string: any text, unchanged', () => {
    expect(valuesOf("(in,description,' x ','',1,true)")).toEqual([' x ', '', '1', 'true']);
  });

  it('number: decimal notation only', () => {
    expect(valuesOf('(in,memoryGiB,1.5,-2,+3,1e3,.5,7.)')).toEqual([1.5, -2, 3, 1000, 0.5, 7]);
    for (const bad of ['abc', '0x10', 'Infinity', 'NaN', '1e999', "'1,5'", '1 5', '--1', "''", "' 1'"]) {
      expectCode(`(eq,memoryGiB,${bad})`, 'FILTER_TYPE');
    }
  });

  it('integer: whole numbers within the safe range', () => {
    expect(valuesOf('(in,cpuCount,42,-1,+7,0)')).toEqual([42, -1, 7, 0]);
    for (const bad of ['1.5', '1e3', '9007199254740993', 'x'])
      expectCode(`(eq,cpuCount,${bad})`, 'FILTER_TYPE');
  });

  it('boolean: true or false', () => {
    expect(valuesOf('(in,schedulable,true,false)')).toEqual([true, false]);
    for (const bad of ['TRUE', 'False', '1', 'yes']) expectCode(`(eq,schedulable,${bad})`, 'FILTER_TYPE');
  });

  it('uuid: canonical lower case', () => {
    expect(valuesOf('(eq,resourceId,0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D)')).toEqual([
      '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    ]);
    for (const bad of [
      '0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d',
      '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4',
      'not-a-uuid',
      '{0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}',
    ]) {
      expectCode(`(eq,resourceId,${bad})`, 'FILTER_TYPE');
    }
  });

  it('datetime: RFC 3339 date-time or full date, as epoch milliseconds', () => {
    expect(valuesOf('(eq,createdAt,2024-01-01T00:00:00Z)')).toEqual([Date.UTC(2024, 0, 1)]);
    expect(valuesOf('(eq,createdAt,2024-01-01T01:00:00+01:00)')).toEqual([Date.UTC(2024, 0, 1)]);
    expect(valuesOf('(eq,createdAt,2024-01-01t00:00:00.250z)')).toEqual([Date.UTC(2024, 0, 1) + 250]);
    expect(valuesOf('(eq,createdAt,2024-02-29)')).toEqual([Date.UTC(2024, 1, 29)]);
    for (const bad of [
      '2024-01-01T00:00:00',
      '2024-13-01',
      '2023-02-29',
      '2024-01-01T24:00:00Z',
      'yesterday',
      '1704067200000',
    ]) {
      expectCode(`(eq,createdAt,${bad})`, 'FILTER_TYPE');
    }
  });

  it('array attributes convert values to the element type', () => {
    expect(compile('(eq,tags,gpu)').clauses[0]).toEqual({
      op: 'eq',
      path: ['tags'],
      type: 'string',
      values: ['gpu'],
    });
    expect(
      compile('(eq,elements/resourceTypeId,0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D)').clauses[0]!.type,
    ).toBe('uuid');
  });

  it('free-form objects keep the values as text (compared by what the data holds)', () => {
    expect(compile('(gt,extensions/capacity/cpu,8)').clauses[0]).toEqual({
      op: 'gt',
      path: ['extensions', 'capacity', 'cpu'],
      type: 'any',
      values: ['8'],
    });
    expect(compile('(eq,elements/extensions/vendor,nvidia)').clauses[0]!.type).toBe('any');
  });
});

describe('compileFilter: operators per type', () => {
  const table: Array<[string, string, string[]]> = [
    ['description', 'x', ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'cont', 'ncont']],
    ['extensions/x', 'x', ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'cont', 'ncont']],
    ['resourceId', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', ['eq', 'neq', 'in', 'nin']],
    ['schedulable', 'true', ['eq', 'neq', 'in', 'nin']],
    ['cpuCount', '1', ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin']],
    ['memoryGiB', '1', ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin']],
    ['createdAt', '2024-01-01', ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin']],
  ];
  const all = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'cont', 'ncont'];

  it.each(table)('%s', (path, value, allowed) => {
    for (const op of all) {
      const text = `(${op},${path},${value})`;
      if (allowed.includes(op)) expect(() => compile(text)).not.toThrow();
      else expectCode(text, 'FILTER_OPERATOR');
    }
  });
});

describe('compileFilter: attribute paths', () => {
  it('rejects unknown attributes, at the top and nested', () => {
    expectCode('(eq,nope,1)', 'FILTER_ATTRIBUTE');
    expectCode('(eq,elements/nope,1)', 'FILTER_ATTRIBUTE');
    expectCode('(eq,location/coordinates/alt,1)', 'FILTER_ATTRIBUTE');
  });

  it('does not find Object.prototype members as attributes', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'location/valueOf']) {
      expectCode(`(eq,${name},1)`, 'FILTER_ATTRIBUTE');
    }
  });

  it('rejects paths below a simple attribute and filters on structured attributes', () => {
    expectCode('(eq,description/x,1)', 'FILTER_ATTRIBUTE');
    expectCode('(eq,tags/x,1)', 'FILTER_ATTRIBUTE');
    expectCode('(eq,extensions,1)', 'FILTER_ATTRIBUTE');
    expectCode('(eq,elements,1)', 'FILTER_ATTRIBUTE');
    expectCode('(eq,location,1)', 'FILTER_ATTRIBUTE');
  });

  it('accepts any path inside a free-form object, and "@key" only at its end', () => {
    expect(() => compile('(eq,extensions/a/b/c/d,1)')).not.toThrow();
    expect(() => compile('(eq,extensions/@key,gpus)')).not.toThrow();
    expect(() => compile('(eq,extensions/capacity/@key,cpu)')).not.toThrow();
    expectCode('(eq,extensions/@key/x,1)', 'FILTER_ATTRIBUTE');
    expectCode('(eq,@key,1)', 'FILTER_ATTRIBUTE');
    expectCode('(eq,location/@key,site)', 'FILTER_ATTRIBUTE');
  });

  it('names a known attribute in messages, and never an unknown one', () => {
    expect(expectCode('(gt,schedulable,true)', 'FILTER_OPERATOR').message).toContain("'schedulable'");
    expect(expectCode('(eq,location/rack,x)', 'FILTER_TYPE').message).toContain("'location/rack'");
    expect(expectCode('(eq,secretname,1)', 'FILTER_ATTRIBUTE').message).not.toContain('secretname');
    expect(expectCode('(eq,elements/secretname,1)', 'FILTER_ATTRIBUTE').message).not.toContain('secretname');
    expect(expectCode('(eq,extensions/secretname/@key/x,1)', 'FILTER_ATTRIBUTE').message).not.toContain(
      'secretname',
    );
    expect(expectCode('(eq,cpuCount,secretvalue)', 'FILTER_TYPE').message).not.toContain('secretvalue');
  });

  it('reports the clause number', () => {
    expect(expectCode('(eq,cpuCount,1);(eq,nope,1)', 'FILTER_ATTRIBUTE').message).toContain('clause 2');
  });
});

describe('CompiledFilter on the wire', () => {
  it('is plain JSON and survives a JSON round trip', () => {
    const compiled = compile(
      '(eq,resourceId,0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D);(gt,createdAt,2024-01-01);(in,tags,a,b);(eq,schedulable,true);(cont,extensions/x,y)',
    );
    const wire: unknown = JSON.parse(JSON.stringify(compiled));
    expect(wire).toEqual(compiled);
    expect(asCompiledFilter(wire)).toEqual(compiled);
  });

  it('does not share arrays with the AST it was compiled from', () => {
    const expr = parseFilter('(eq,extensions/a,1)');
    const compiled = compileFilter(expr, RESOURCE_SCHEMA);
    expr.clauses[0]!.path.push('b');
    expect(compiled.clauses[0]!.path).toEqual(['extensions', 'a']);
  });

  it.each([
    ['null', null],
    ['a string', '(eq,a,1)'],
    ['wrong version', { v: 2, clauses: [] }],
    ['clauses not an array', { v: 1, clauses: {} }],
    ['unknown operator', { v: 1, clauses: [{ op: 'like', path: ['a'], type: 'string', values: ['x'] }] }],
    ['unknown type', { v: 1, clauses: [{ op: 'eq', path: ['a'], type: 'date', values: ['x'] }] }],
    [
      'operator not defined for the type',
      { v: 1, clauses: [{ op: 'gt', path: ['a'], type: 'boolean', values: [true] }] },
    ],
    [
      'value of the wrong type',
      { v: 1, clauses: [{ op: 'eq', path: ['a'], type: 'number', values: ['1'] }] },
    ],
    ['non-canonical uuid', { v: 1, clauses: [{ op: 'eq', path: ['a'], type: 'uuid', values: ['A'] }] }],
    ['too many values', { v: 1, clauses: [{ op: 'eq', path: ['a'], type: 'string', values: ['x', 'y'] }] }],
    ['no values', { v: 1, clauses: [{ op: 'in', path: ['a'], type: 'string', values: [] }] }],
    ['empty path', { v: 1, clauses: [{ op: 'eq', path: [], type: 'string', values: ['x'] }] }],
  ])('asCompiledFilter rejects %s', (_name, json) => {
    expect(sol013ErrorOf(() => asCompiledFilter(json)).code).toBe('FILTER_SYNTAX');
  });
});
