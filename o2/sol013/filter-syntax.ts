/**
 * SOL013 §5.2 filter text ⇄ FilterExpr (a plain-JSON AST). Tokenizer and recursive-descent parser,
 * plus the printer that writes the canonical text back (parse(print(e)) equals e).
 *
 *   filter     := clause (sep clause)*           sep := ";" | "%3B" | "%3b"
 *   clause     := "(" op "," attrPath ("," value)+ ")"
 *   op         := eq | neq | gt | gte | lt | lte   (exactly one value)
 *               | in | nin | cont | ncont          (one or more values)
 *   attrPath   := name ("/" name)*                 with "~0" "~1" "~a" "~b" escapes, see attr-path.ts
 *   value      := "'" (char | "''")* "'"           quoted: anything, "''" is one quote
 *               | unquoted                         up to "," or ")"; trimmed; no ( ) ; ' inside
 *
 * Whitespace (space, tab, CR, LF) around tokens is ignored; inside an unquoted value it is kept, so
 * `(eq,name,my cluster)` works. Quote a value to keep leading or trailing spaces or to pass ( ) ; ' ,.
 * `%3B` is accepted only between clauses, where nothing else could mean it: the caller URL-decodes the
 * query string, and a filter that was encoded twice still parses, while "%3B" inside a value stays text.
 */
import { parseAttrPath, printAttrPath } from './attr-path.ts';
import { Sol013Error } from './errors.ts';

export const FILTER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'cont', 'ncont'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** Operators that take exactly one value; the others take one or more. */
export const SINGLE_VALUE_OPS: ReadonlySet<FilterOp> = new Set<FilterOp>([
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
]);

export interface FilterClause {
  op: FilterOp;
  path: string[];
  values: string[];
}

/** All clauses must match (SOL013 has no OR). */
export interface FilterExpr {
  clauses: FilterClause[];
}

/** Bounds on untrusted input: parsing and compiling stay linear and small. */
export const FILTER_LIMITS = { maxLength: 4096, maxClauses: 64 } as const;

const OP_SET: ReadonlySet<string> = new Set(FILTER_OPS);

function isFilterOp(text: string): text is FilterOp {
  return OP_SET.has(text);
}

// ---------------------------------------------------------------------------------------------------
// Tokenizer

type Token =
  | { readonly kind: '(' | ')' | ',' | ';' | 'end'; readonly pos: number }
  | { readonly kind: 'text' | 'quoted'; readonly pos: number; readonly text: string };

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function syntaxError(detail: string, pos: number): Sol013Error {
  // Positions are 1-based characters: they help a client find the mistake without us quoting it.
  return new Sol013Error('FILTER_SYNTAX', `invalid filter: ${detail} at character ${pos + 1}`);
}

/**
 * Splits the text into tokens. It tracks whether it is inside a clause, because the same character
 * means different things there: outside, only "(" and separators are valid; inside, anything that is not
 * punctuation starts a value.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let inside = false;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const ch = text[i]!;
    if (!inside) {
      if (ch === '(') {
        tokens.push({ kind: '(', pos: i });
        inside = true;
        i++;
      } else if (ch === ';') {
        tokens.push({ kind: ';', pos: i });
        i++;
      } else if (ch === '%' && text[i + 1] === '3' && (text[i + 2] === 'B' || text[i + 2] === 'b')) {
        tokens.push({ kind: ';', pos: i });
        i += 3;
      } else {
        throw syntaxError(ch === ')' ? 'unbalanced ")"' : 'expected "("', i);
      }
      continue;
    }
    if (ch === ',' || ch === ')') {
      tokens.push({ kind: ch, pos: i });
      if (ch === ')') inside = false;
      i++;
    } else if (ch === "'") {
      i = readQuoted(text, i, tokens);
    } else if (ch === '(') {
      throw syntaxError('unbalanced "(" (quote a value that contains one)', i);
    } else {
      i = readUnquoted(text, i, tokens);
    }
  }
  if (inside) throw syntaxError('missing ")"', text.length);
  tokens.push({ kind: 'end', pos: text.length });
  return tokens;
}

function readQuoted(text: string, start: number, tokens: Token[]): number {
  let value = '';
  let i = start + 1;
  for (;;) {
    const close = text.indexOf("'", i);
    if (close < 0) throw syntaxError('unterminated quoted value', start);
    value += text.slice(i, close);
    if (text[close + 1] === "'") {
      value += "'";
      i = close + 2;
    } else {
      tokens.push({ kind: 'quoted', pos: start, text: value });
      return close + 1;
    }
  }
}

function readUnquoted(text: string, start: number, tokens: Token[]): number {
  let i = start;
  let end = start; // one past the last non-space character
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ',' || ch === ')') break;
    if (ch === "'" || ch === '(' || ch === ';') {
      throw syntaxError(`"${ch}" inside an unquoted value (quote the value)`, i);
    }
    if (!isSpace(text.charCodeAt(i))) end = i + 1;
  }
  tokens.push({ kind: 'text', pos: start, text: text.slice(start, end) });
  return i;
}

// ---------------------------------------------------------------------------------------------------
// Parser

class Parser {
  private index = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private take(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private expect(kind: Token['kind'], what: string): Token {
    const token = this.take();
    if (token.kind !== kind) throw syntaxError(`expected ${what}`, token.pos);
    return token;
  }

  parse(): FilterExpr {
    const clauses: FilterClause[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'end')
        throw syntaxError(clauses.length === 0 ? 'empty filter' : 'trailing ";"', token.pos);
      if (token.kind === ';') throw syntaxError('empty clause', token.pos);
      if (clauses.length === FILTER_LIMITS.maxClauses) {
        throw new Sol013Error(
          'FILTER_SYNTAX',
          `invalid filter: more than ${FILTER_LIMITS.maxClauses} clauses`,
        );
      }
      clauses.push(this.clause(clauses.length + 1));
      const after = this.take();
      if (after.kind === 'end') return { clauses };
      if (after.kind !== ';') throw syntaxError('expected ";" between clauses', after.pos);
    }
  }

  private clause(n: number): FilterClause {
    const open = this.expect('(', '"("');
    const opToken = this.take();
    if (opToken.kind === ')') throw syntaxError('empty clause', open.pos);
    if (opToken.kind !== 'text') throw syntaxError('expected an operator', opToken.pos);
    if (!isFilterOp(opToken.text)) {
      throw new Sol013Error(
        'FILTER_OPERATOR',
        `invalid filter: unknown operator in clause ${n}; expected one of ${FILTER_OPS.join(', ')}`,
      );
    }
    const op = opToken.text;
    this.expect(',', '"," after the operator');
    const attrToken = this.take();
    if (attrToken.kind !== 'text')
      throw syntaxError('expected an attribute name (names are not quoted)', attrToken.pos);
    const attr = parseAttrPath(attrToken.text);
    if (!attr.ok) throw syntaxError(attr.reason, attrToken.pos);

    const values: string[] = [];
    for (;;) {
      const token = this.take();
      if (token.kind === ')') break;
      if (token.kind !== ',') throw syntaxError('expected "," or ")"', token.pos);
      const value = this.take();
      if (value.kind === 'quoted' || (value.kind === 'text' && value.text !== '')) {
        values.push(value.text);
      } else {
        throw syntaxError("expected a value (write '' for an empty string)", value.pos);
      }
    }
    if (values.length === 0) {
      throw new Sol013Error('FILTER_ARITY', `invalid filter: operator ${op} in clause ${n} needs a value`);
    }
    if (values.length > 1 && SINGLE_VALUE_OPS.has(op)) {
      throw new Sol013Error(
        'FILTER_ARITY',
        `invalid filter: operator ${op} in clause ${n} takes exactly one value`,
      );
    }
    return { op, path: attr.path, values };
  }
}

/**
 * Parses a SOL013 filter. The text is the already URL-decoded value of the `filter` query parameter.
 * Throws Sol013Error (FILTER_SYNTAX, FILTER_OPERATOR or FILTER_ARITY); never anything else.
 */
export function parseFilter(text: string): FilterExpr {
  if (text.length > FILTER_LIMITS.maxLength) {
    throw new Sol013Error(
      'FILTER_SYNTAX',
      `invalid filter: longer than ${FILTER_LIMITS.maxLength} characters`,
    );
  }
  return new Parser(tokenize(text)).parse();
}

// ---------------------------------------------------------------------------------------------------
// Printer

function needsQuotes(value: string): boolean {
  if (value === '') return true;
  if (isSpace(value.charCodeAt(0)) || isSpace(value.charCodeAt(value.length - 1))) return true;
  return /[,()';]/.test(value);
}

function printValue(value: string): string {
  return needsQuotes(value) ? `'${value.replaceAll("'", "''")}'` : value;
}

/**
 * The canonical text of a filter. Throws Sol013Error FILTER_ATTRIBUTE for a name that SOL013 syntax
 * cannot carry (empty, with surrounding whitespace, or containing ' ( ) or ;).
 */
export function printFilter(expr: FilterExpr): string {
  return expr.clauses
    .map((clause) => {
      for (const name of clause.path) {
        if (
          name === '' ||
          /['();]/.test(name) ||
          isSpace(name.charCodeAt(0)) ||
          isSpace(name.charCodeAt(name.length - 1))
        ) {
          throw new Sol013Error(
            'FILTER_ATTRIBUTE',
            'attribute name cannot be written in SOL013 filter syntax',
          );
        }
      }
      return `(${clause.op},${printAttrPath(clause.path)},${clause.values.map(printValue).join(',')})`;
    })
    .join(';');
}
