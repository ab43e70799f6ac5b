import { describe, expect, it } from 'vitest';
import type { Sol013Error, Sol013ErrorCode } from './errors.ts';
import { FILTER_LIMITS, parseFilter, printFilter, type FilterExpr } from './filter-syntax.ts';
import { sol013ErrorOf } from '../../testing/sol013-fixtures.ts';

function expectCode(text: string, code: Sol013ErrorCode): Sol013Error {
  const error = sol013ErrorOf(() => parseFilter(text));
  expect(error.code).toBe(code);
  return error;
}

describe('parseFilter: accepted syntax', () => {
  it('parses one clause into a plain-JSON AST', () => {
    const expr = parseFilter('(eq,description,worker)');
    expect(expr).toEqual({ clauses: [{ op: 'eq', path: ['description'], values: ['worker'] }] });
    expect(JSON.parse(JSON.stringify(expr))).toEqual(expr);
  });

  it('ANDs clauses joined by ";"', () => {
    expect(parseFilter('(eq,a,1);(neq,b,2);(gt,c,3)').clauses.map((c) => c.op)).toEqual(['eq', 'neq', 'gt']);
  });

  it('accepts every SOL013 operator', () => {
    for (const op of ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'cont', 'ncont']) {
      expect(parseFilter(`(${op},a,1)`).clauses[0]!.op).toBe(op);
    }
  });

  it('takes several values for in, nin, cont and ncont', () => {
    for (const op of ['in', 'nin', 'cont', 'ncont']) {
      expect(parseFilter(`(${op},a,x,y,z)`).clauses[0]!.values).toEqual(['x', 'y', 'z']);
    }
  });

  it('splits nested attribute paths on "/"', () => {
    expect(parseFilter('(eq,extensions/site,x)').clauses[0]!.path).toEqual(['extensions', 'site']);
    expect(parseFilter('(eq,elements/resourceTypeId,x)').clauses[0]!.path).toEqual([
      'elements',
      'resourceTypeId',
    ]);
    expect(parseFilter('(eq,a/b/c/d,x)').clauses[0]!.path).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads quoted values verbatim: commas, parentheses, semicolons, slashes, spaces', () => {
    expect(parseFilter("(eq,a,'x,y')").clauses[0]!.values).toEqual(['x,y']);
    expect(parseFilter("(in,a,'x,y','(z);',w)").clauses[0]!.values).toEqual(['x,y', '(z);', 'w']);
    expect(parseFilter("(eq,a,' padded ')").clauses[0]!.values).toEqual([' padded ']);
    expect(parseFilter("(eq,a,'a/b')").clauses[0]!.values).toEqual(['a/b']);
  });

  it("reads '' inside a quoted value as one quote, and '' alone as the empty string", () => {
    expect(parseFilter("(eq,a,'O''Brien')").clauses[0]!.values).toEqual(["O'Brien"]);
    expect(parseFilter("(eq,a,'''')").clauses[0]!.values).toEqual(["'"]);
    expect(parseFilter("(eq,a,'''x''')").clauses[0]!.values).toEqual(["'x'"]);
    expect(parseFilter("(eq,a,'')").clauses[0]!.values).toEqual(['']);
    expect(parseFilter("(in,a,'',x)").clauses[0]!.values).toEqual(['', 'x']);
  });

  it('keeps spaces inside unquoted values and ignores them around tokens', () => {
    expect(parseFilter('(eq,description,my cluster)').clauses[0]!.values).toEqual(['my cluster']);
    expect(parseFilter(' ( eq , description , my  cluster ) ; ( in , a ,  x , y ) ')).toEqual({
      clauses: [
        { op: 'eq', path: ['description'], values: ['my  cluster'] },
        { op: 'in', path: ['a'], values: ['x', 'y'] },
      ],
    });
    expect(parseFilter("(eq,a, 'x' )").clauses[0]!.values).toEqual(['x']);
    expect(parseFilter('\t(eq,a,b)\r\n;\n(eq,c,d)').clauses).toHaveLength(2);
  });

  it('resolves the SOL013 "~" escapes in attribute names', () => {
    expect(parseFilter('(eq,a~0b,x)').clauses[0]!.path).toEqual(['a~b']);
    expect(parseFilter('(eq,extensions/topology.kubernetes.io~1zone,x)').clauses[0]!.path).toEqual([
      'extensions',
      'topology.kubernetes.io/zone',
    ]);
    expect(parseFilter('(eq,a~ab,x)').clauses[0]!.path).toEqual(['a,b']);
    expect(parseFilter('(eq,a~bb,x)').clauses[0]!.path).toEqual(['a@b']);
    // "~01" is an escaped "~" followed by "1", not "/".
    expect(parseFilter('(eq,a~01,x)').clauses[0]!.path).toEqual(['a~1']);
  });

  it('keeps "@key" as a path segment', () => {
    expect(parseFilter('(eq,extensions/@key,gpu)').clauses[0]!.path).toEqual(['extensions', '@key']);
  });

  it('does not treat "~" in values as an escape', () => {
    expect(parseFilter('(eq,a,~1~a)').clauses[0]!.values).toEqual(['~1~a']);
  });

  it('accepts ";" raw or as "%3B"/"%3b" between clauses', () => {
    const expected = parseFilter('(eq,a,1);(eq,b,2)');
    expect(parseFilter('(eq,a,1)%3B(eq,b,2)')).toEqual(expected);
    expect(parseFilter('(eq,a,1)%3b(eq,b,2)')).toEqual(expected);
    expect(parseFilter('(eq,a,1) %3B (eq,b,2)')).toEqual(expected);
  });

  it('keeps "%3B" inside a value as text (the caller decodes the query string once)', () => {
    expect(parseFilter('(eq,a,x%3By)').clauses[0]!.values).toEqual(['x%3By']);
    expect(parseFilter("(eq,a,'x;y')").clauses[0]!.values).toEqual(['x;y']);
  });

  it('accepts input up to the length limit and up to the clause limit', () => {
    const clause = '(eq,a,1)';
    expect(parseFilter(Array(FILTER_LIMITS.maxClauses).fill(clause).join(';')).clauses).toHaveLength(64);
    const long = `(eq,a,${'x'.repeat(FILTER_LIMITS.maxLength - 7)})`;
    expect(long).toHaveLength(FILTER_LIMITS.maxLength);
    expect(parseFilter(long).clauses[0]!.values[0]).toHaveLength(FILTER_LIMITS.maxLength - 7);
  });
});

describe('parseFilter: rejected syntax', () => {
  it.each([
    ['empty filter', ''],
    ['whitespace only', '   '],
    ['empty parentheses', '()'],
    ['empty clause between separators', '(eq,a,1);;(eq,b,2)'],
    ['leading separator', ';(eq,a,1)'],
    ['trailing separator', '(eq,a,1);'],
    ['trailing encoded separator', '(eq,a,1)%3B'],
    ['missing closing parenthesis', '(eq,a,1'],
    ['missing closing parenthesis before the next clause', '(eq,a,1;(eq,b,2)'],
    ['missing opening parenthesis', 'eq,a,1)'],
    ['extra closing parenthesis', '(eq,a,1))'],
    ['nested parentheses', '((eq,a,1))'],
    ['two clauses without separator', '(eq,a,1)(eq,b,2)'],
    ['text after a clause', '(eq,a,1)x'],
    ['separator other than ";"', '(eq,a,1)&(eq,b,2)'],
    ['unterminated quote', "(eq,a,'x)"],
    ['quote inside an unquoted value', "(eq,a,O'Brien)"],
    ['text after a quoted value', "(eq,a,'x'y)"],
    ['parenthesis inside an unquoted value', '(eq,a,f(x)'],
    ['semicolon inside an unquoted value', '(in,a,x;y)'],
    ['empty value', '(eq,a,)'],
    ['empty value among several', '(in,a,x,,y)'],
    ['missing operator', '(,a,1)'],
    ['no comma after operator', '(eq)'],
    ['missing attribute', '(eq,,1)'],
    ['quoted attribute name', "(eq,'a',1)"],
    ['empty path segment', '(eq,a//b,1)'],
    ['leading slash', '(eq,/a,1)'],
    ['trailing slash', '(eq,a/,1)'],
    ['unknown escape', '(eq,a~2,1)'],
    ['upper-case escape', '(eq,a~A,1)'],
    ['trailing tilde', '(eq,a~,1)'],
    ['bare word', 'filter'],
  ])('%s', (_name, text) => {
    expectCode(text, 'FILTER_SYNTAX');
  });

  it.each([['EQ'], ['Eq'], ['equals'], ['like'], ['not'], ["'eq'"]])('operator %s', (op) => {
    const error = sol013ErrorOf(() => parseFilter(`(${op},a,1)`));
    expect(['FILTER_OPERATOR', 'FILTER_SYNTAX']).toContain(error.code);
  });

  it('reports an unknown operator as FILTER_OPERATOR', () => {
    expectCode('(like,a,1)', 'FILTER_OPERATOR');
  });

  it('checks the number of values per operator', () => {
    expectCode('(eq,a)', 'FILTER_ARITY');
    expectCode('(in,a)', 'FILTER_ARITY');
    for (const op of ['eq', 'neq', 'gt', 'gte', 'lt', 'lte']) expectCode(`(${op},a,1,2)`, 'FILTER_ARITY');
  });

  it('bounds the input length and the clause count', () => {
    expect(expectCode('('.repeat(FILTER_LIMITS.maxLength + 1), 'FILTER_SYNTAX').message).toContain('4096');
    const tooMany = Array(FILTER_LIMITS.maxClauses + 1)
      .fill('(eq,a,1)')
      .join(';');
    expect(tooMany.length).toBeLessThan(FILTER_LIMITS.maxLength);
    expect(expectCode(tooMany, 'FILTER_SYNTAX').message).toContain('64');
  });

  it('names the position of a syntax error', () => {
    expect(expectCode('(eq,a,1);(eq,b', 'FILTER_SYNTAX').message).toMatch(/character 15/);
    expect(expectCode('(eq,a,1)x', 'FILTER_SYNTAX').message).toMatch(/character 9/);
  });

  it('never echoes the input in the error message', () => {
    const bait = '<script>alert(1)</script>';
    const attempts = [
      `(${bait},a,1)`,
      `(eq,${bait}`,
      `(eq,a~q${bait},1)`,
      `(eq,a,'${bait}`,
      `(eq,a,1,${bait})`,
      `${bait}`,
      `(eq,a,1)${bait}`,
      `(eqq${bait.replaceAll('(', '').replaceAll(')', '')},a,1)`,
    ];
    for (const text of attempts) {
      const error = sol013ErrorOf(() => parseFilter(text));
      expect(error.message).not.toContain('script');
      expect(error.message).not.toContain('alert');
    }
  });
});

describe('printFilter', () => {
  it('writes the canonical text', () => {
    const expr: FilterExpr = {
      clauses: [
        { op: 'eq', path: ['description'], values: ['my cluster'] },
        {
          op: 'in',
          path: ['extensions', 'topology.kubernetes.io/zone'],
          values: ['a,b', "O'Brien", '', ' x', 'f(x)', 'p;q'],
        },
        { op: 'cont', path: ['a~b', 'c@d', '@key'], values: ['v'] },
      ],
    };
    const text = printFilter(expr);
    expect(text).toBe(
      "(eq,description,my cluster);(in,extensions/topology.kubernetes.io~1zone,'a,b','O''Brien','',' x','f(x)','p;q');(cont,a~0b/c~bd/@key,v)",
    );
    expect(parseFilter(text)).toEqual(expr);
  });

  it('refuses names that SOL013 syntax cannot carry', () => {
    for (const name of ['', ' a', 'a ', "a'b", 'a(b', 'a)b', 'a;b']) {
      expect(
        sol013ErrorOf(() => printFilter({ clauses: [{ op: 'eq', path: [name], values: ['x'] }] })).code,
      ).toBe('FILTER_ATTRIBUTE');
    }
  });
});
