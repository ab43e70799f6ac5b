import { describe, expect, it } from 'vitest';
import { compileFilter, type CompiledFilter } from './filter-compile.ts';
import { matches, prepareFilter } from './filter-eval.ts';
import { parseFilter } from './filter-syntax.ts';
import { fakeUuid, makeResource, RESOURCE_SCHEMA } from '../../testing/sol013-fixtures.ts';
import type { AttributeSchema } from './schema.ts';

function filter(text: string, schema: AttributeSchema = RESOURCE_SCHEMA): CompiledFilter {
  return compileFilter(parseFilter(text), schema);
}

function test(text: string, object: unknown, schema?: AttributeSchema): boolean {
  return matches(filter(text, schema), object);
}

const ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('matches: strings', () => {
  const o = { description: 'worker node 7' };
  it.each([
    ['(eq,description,worker node 7)', true],
    ['(eq,description,Worker node 7)', false],
    ['(neq,description,worker node 7)', false],
    ['(neq,description,x)', true],
    ['(in,description,a,worker node 7)', true],
    ['(in,description,a,b)', false],
    ['(nin,description,a,b)', true],
    ['(nin,description,a,worker node 7)', false],
    ['(cont,description,node)', true],
    ['(cont,description,Node)', false],
    ['(cont,description,x,node)', true],
    ['(ncont,description,x,y)', true],
    ['(ncont,description,x,node)', false],
    ["(cont,description,'')", true],
    ['(gt,description,worker)', true],
    ['(gt,description,worker node 7)', false],
    ['(gte,description,worker node 7)', true],
    ['(lt,description,x)', true],
    ['(lte,description,worker node 7)', true],
    ['(lt,description,a)', false],
  ])('%s → %s', (text, expected) => {
    expect(test(text, o)).toBe(expected);
  });
});

describe('matches: numbers and integers', () => {
  const o = { cpuCount: 16, memoryGiB: 64.5 };
  it.each([
    ['(eq,cpuCount,16)', true],
    ['(eq,cpuCount,+16)', true],
    ['(neq,cpuCount,16)', false],
    ['(gt,cpuCount,15)', true],
    ['(gt,cpuCount,16)', false],
    ['(gte,cpuCount,16)', true],
    ['(lt,cpuCount,17)', true],
    ['(lte,cpuCount,15)', false],
    ['(in,cpuCount,8,16)', true],
    ['(nin,cpuCount,8,16)', false],
    ['(eq,memoryGiB,64.5)', true],
    ['(eq,memoryGiB,6.45e1)', true],
    ['(gt,memoryGiB,64)', true],
    ['(lt,memoryGiB,64.5)', false],
  ])('%s → %s', (text, expected) => {
    expect(test(text, o)).toBe(expected);
  });

  it('does not read numbers out of strings for typed attributes', () => {
    expect(test('(eq,cpuCount,16)', { cpuCount: '16' })).toBe(false);
    expect(test('(neq,cpuCount,16)', { cpuCount: '16' })).toBe(true);
  });
});

describe('matches: booleans', () => {
  it.each([
    ['(eq,schedulable,true)', { schedulable: true }, true],
    ['(eq,schedulable,false)', { schedulable: true }, false],
    ['(neq,schedulable,false)', { schedulable: true }, true],
    ['(in,schedulable,true,false)', { schedulable: false }, true],
    ['(nin,schedulable,true)', { schedulable: false }, true],
    ['(eq,schedulable,true)', { schedulable: 'true' }, false],
  ])('%s on %j → %s', (text, object, expected) => {
    expect(test(text, object)).toBe(expected);
  });
});

describe('matches: UUIDs compare case-insensitively', () => {
  const upper = ID.toUpperCase();
  it.each([
    [`(eq,resourceId,${ID})`, ID, true],
    [`(eq,resourceId,${upper})`, ID, true],
    [`(eq,resourceId,${ID})`, upper, true],
    [`(eq,resourceId,${ID})`, '0A1b2C3d-4e5F-4a6b-8c7d-9e0f1a2b3c4d', true],
    [`(eq,resourceId,${ID})`, fakeUuid(1), false],
    [`(eq,resourceId,${ID})`, `${ID}x`, false],
    [`(neq,resourceId,${ID})`, upper, false],
    [`(in,resourceId,${fakeUuid(1)},${upper})`, ID, true],
    [`(nin,resourceId,${fakeUuid(1)},${upper})`, ID, false],
  ])('%s on %s → %s', (text, id, expected) => {
    expect(test(text, { resourceId: id })).toBe(expected);
  });

  it('also with long in-lists (looked up in a set)', () => {
    const ids = Array.from({ length: 20 }, (_, i) => fakeUuid(i).toUpperCase());
    const f = filter(`(in,resourceId,${ids.join(',')})`);
    expect(matches(f, { resourceId: fakeUuid(7) })).toBe(true);
    expect(matches(f, { resourceId: fakeUuid(7).toUpperCase() })).toBe(true);
    expect(matches(f, { resourceId: fakeUuid(70) })).toBe(false);
    const nin = filter(`(nin,resourceId,${ids.join(',')})`);
    expect(matches(nin, { resourceId: fakeUuid(7).toUpperCase() })).toBe(false);
    expect(matches(nin, { resourceId: fakeUuid(70) })).toBe(true);
  });
});

describe('matches: long in-lists of strings and numbers', () => {
  const many = Array.from({ length: 30 }, (_, i) => i);
  it('finds members of a set', () => {
    expect(test(`(in,cpuCount,${many.join(',')})`, { cpuCount: 29 })).toBe(true);
    expect(test(`(in,cpuCount,${many.join(',')})`, { cpuCount: 30 })).toBe(false);
    expect(test(`(in,description,${many.map((n) => `d${n}`).join(',')})`, { description: 'd17' })).toBe(true);
    expect(test(`(nin,description,${many.map((n) => `d${n}`).join(',')})`, { description: 'd17' })).toBe(
      false,
    );
  });
});

describe('matches: datetimes', () => {
  const o = { createdAt: '2024-03-01T12:00:00.000Z' };
  it.each([
    ['(eq,createdAt,2024-03-01T12:00:00Z)', true],
    ['(eq,createdAt,2024-03-01T13:00:00+01:00)', true],
    ['(gt,createdAt,2024-03-01)', true],
    ['(lt,createdAt,2024-03-01)', false],
    ['(gte,createdAt,2024-03-01T12:00:00.000Z)', true],
    ['(lte,createdAt,2024-03-01T11:59:59.999Z)', false],
    ['(in,createdAt,2024-01-01,2024-03-01T12:00:00Z)', true],
    ['(nin,createdAt,2024-01-01)', true],
  ])('%s → %s', (text, expected) => {
    expect(test(text, o)).toBe(expected);
  });

  it('treats an unparsable stored datetime like a missing one', () => {
    expect(test('(gt,createdAt,2024-03-01)', { createdAt: 'soon' })).toBe(false);
    expect(test('(neq,createdAt,2024-03-01)', { createdAt: 'soon' })).toBe(true);
  });

  it('accepts epoch milliseconds in the data', () => {
    expect(test('(eq,createdAt,2024-03-01)', { createdAt: Date.UTC(2024, 2, 1) })).toBe(true);
  });
});

describe('matches: arrays match when any element matches; negations when none does', () => {
  const o = { tags: ['edge', 'gpu'] };
  it.each([
    ['(eq,tags,gpu)', true],
    ['(eq,tags,cpu)', false],
    ['(neq,tags,gpu)', false],
    ['(neq,tags,cpu)', true],
    ['(in,tags,cpu,edge)', true],
    ['(nin,tags,cpu,edge)', false],
    ['(nin,tags,cpu,fpga)', true],
    ['(cont,tags,pu)', true],
    ['(ncont,tags,pu)', false],
    ['(ncont,tags,xyz)', true],
    ['(gt,tags,f)', true],
    ['(lt,tags,a)', false],
  ])('%s → %s', (text, expected) => {
    expect(test(text, o)).toBe(expected);
  });

  it('an empty array matches no positive operator and every negation', () => {
    expect(test('(eq,tags,gpu)', { tags: [] })).toBe(false);
    expect(test('(neq,tags,gpu)', { tags: [] })).toBe(true);
    expect(test('(nin,tags,gpu)', { tags: [] })).toBe(true);
  });

  it('walks arrays of objects (elements/…)', () => {
    const resource = makeResource(3); // elements: cpu, memory, nvidia gpu
    expect(test(`(eq,elements/resourceTypeId,${fakeUuid(3002)})`, resource)).toBe(true);
    expect(test(`(eq,elements/resourceTypeId,${fakeUuid(3003)})`, resource)).toBe(false);
    expect(test(`(neq,elements/resourceTypeId,${fakeUuid(3003)})`, resource)).toBe(true);
    expect(test(`(neq,elements/resourceTypeId,${fakeUuid(3000)})`, resource)).toBe(false);
    expect(test('(cont,elements/description,gpu)', resource)).toBe(true);
    expect(test('(eq,elements/extensions/vendor,nvidia)', resource)).toBe(true);
    expect(test('(eq,elements/extensions/cores,8)', resource)).toBe(true);
  });

  it('evaluates each clause on its own (two clauses may be satisfied by different elements)', () => {
    const o2 = { elements: [{ description: 'a' }, { description: 'b' }] };
    expect(test('(eq,elements/description,a);(eq,elements/description,b)', o2)).toBe(true);
  });

  it('does not enter an array directly inside an array', () => {
    expect(test('(eq,tags,gpu)', { tags: [['gpu']] })).toBe(false);
    expect(test('(eq,elements/description,a)', { elements: [[{ description: 'a' }]] })).toBe(false);
  });
});

describe('matches: missing attributes, null and wrong types', () => {
  const cases = [
    '(eq,description,x)',
    '(in,description,x)',
    '(cont,description,x)',
    '(gt,description,x)',
    '(lte,description,x)',
  ];
  const negations = ['(neq,description,x)', '(nin,description,x)', '(ncont,description,x)'];
  it.each([
    ['missing', {}],
    ['null', { description: null }],
    ['a number', { description: 7 }],
    ['an object', { description: { x: 'x' } }],
  ])('%s: positives false, negations true', (_name, object) => {
    for (const text of cases) expect(test(text, object)).toBe(false);
    for (const text of negations) expect(test(text, object)).toBe(true);
  });

  it('missing intermediate objects', () => {
    expect(test('(eq,location/site,x)', {})).toBe(false);
    expect(test('(eq,location/site,x)', { location: null })).toBe(false);
    expect(test('(eq,location/site,x)', { location: 'x' })).toBe(false);
    expect(test('(neq,location/coordinates/lat,1)', { location: {} })).toBe(true);
  });

  it('non-object roots never match a positive operator', () => {
    for (const root of [null, undefined, 1, 'x', true, []]) {
      expect(test('(eq,description,x)', root)).toBe(false);
      expect(test('(neq,description,x)', root)).toBe(true);
    }
  });
});

describe('matches: free-form objects', () => {
  const o = {
    extensions: {
      zone: 'zone-1',
      gpus: 2,
      ratio: '1.5',
      capacity: { cpu: '16', memory: '64Gi' },
      ready: true,
      list: ['a', 'b'],
      nothing: null,
    },
  };
  it.each([
    ['(eq,extensions/zone,zone-1)', true],
    ['(cont,extensions/zone,one)', true],
    ['(eq,extensions/gpus,2)', true],
    ['(eq,extensions/gpus,2.0)', true],
    ['(eq,extensions/gpus,two)', false],
    ['(neq,extensions/gpus,two)', true],
    ['(gt,extensions/gpus,1)', true],
    ['(cont,extensions/gpus,2)', true],
    ['(in,extensions/gpus,1,2)', true],
    ['(gt,extensions/capacity/cpu,8)', true], // numerals compare as numbers: 16 > 8
    ['(lt,extensions/capacity/cpu,9)', false],
    ['(gt,extensions/capacity/memory,8)', false], // "64Gi" is not a numeral: compared as text, "6" < "8"
    ['(eq,extensions/capacity/cpu,16)', true],
    ['(eq,extensions/capacity/cpu,16.0)', false], // equality on text is exact
    ['(gte,extensions/ratio,1.5)', true],
    ['(eq,extensions/ready,true)', true],
    ['(eq,extensions/ready,false)', false],
    ['(gt,extensions/ready,a)', false],
    ['(eq,extensions/list,b)', true],
    ['(eq,extensions/nothing,null)', false],
    ['(eq,extensions/capacity,x)', false],
    ['(eq,extensions/zone/deeper,x)', false],
    ['(neq,extensions/zone/deeper,x)', true],
  ])('%s → %s', (text, expected) => {
    expect(test(text, o)).toBe(expected);
  });

  it('"@key" compares the keys of a map', () => {
    expect(test('(eq,extensions/@key,gpus)', o)).toBe(true);
    expect(test('(eq,extensions/@key,fpgas)', o)).toBe(false);
    expect(test('(nin,extensions/@key,fpgas)', o)).toBe(true);
    expect(test('(cont,extensions/capacity/@key,mem)', o)).toBe(true);
    expect(test('(eq,elements/extensions/@key,vendor)', makeResource(1))).toBe(true);
    expect(test('(eq,extensions/@key,x)', { extensions: 'x' })).toBe(false);
  });

  it('reads only own properties, never Object.prototype', () => {
    expect(test('(eq,extensions/constructor,x)', { extensions: {} })).toBe(false);
    expect(test('(cont,extensions/toString,function)', { extensions: {} })).toBe(false);
    expect(test('(eq,extensions/__proto__/x,1)', { extensions: {} })).toBe(false);
    expect(test('(eq,extensions/constructor,x)', { extensions: { constructor: 'x' } })).toBe(true);
    const parsed: unknown = JSON.parse('{"extensions":{"__proto__":{"x":1}}}');
    expect(test('(eq,extensions/__proto__/x,1)', parsed)).toBe(true);
  });
});

describe('matches: several clauses and preparation', () => {
  it('ANDs clauses', () => {
    const resource = makeResource(3);
    expect(test('(eq,schedulable,true);(eq,tags,gpu);(gte,cpuCount,64)', resource)).toBe(true);
    expect(test('(eq,schedulable,true);(eq,tags,gpu);(gte,cpuCount,65)', resource)).toBe(false);
  });

  it('works on a filter received as JSON, and prepares each filter object once', () => {
    const compiled: CompiledFilter = JSON.parse(JSON.stringify(filter('(eq,tags,gpu)'))) as CompiledFilter;
    expect(prepareFilter(compiled)).toBe(prepareFilter(compiled));
    expect(matches(compiled, { tags: ['gpu'] })).toBe(true);
    expect(prepareFilter(compiled).matches({ tags: ['cpu'] })).toBe(false);
  });

  it('an empty clause list matches everything', () => {
    expect(matches({ v: 1, clauses: [] }, {})).toBe(true);
  });
});
