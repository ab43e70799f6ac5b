/**
 * Field selectors (`metadata.name=x,spec.nodeName!=y`). The real server allows a per-kind set of fields;
 * the simulator resolves any dotted path so tests may select on fields it did not anticipate, and a
 * missing field compares as the empty string (what the server does for unset optional fields).
 */
import { badRequest } from '../errors.ts';
import { isPlainObject } from '../types.ts';

interface FieldRequirement {
  readonly path: readonly string[];
  readonly negate: boolean;
  readonly value: string;
}

export interface FieldSelector {
  readonly empty: boolean;
  matches(object: unknown): boolean;
  /** The value the selector pins `field` to with `=`, if any (lets lists skip to one key). */
  exact(field: string): string | undefined;
}

export const ALL_FIELDS: FieldSelector = { empty: true, matches: () => true, exact: () => undefined };

/** Splits on separators not escaped with a backslash and unescapes `\,` `\=` `\\` in the parts. */
function splitEscaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[i + 1]!;
      i++;
    } else if (c === separator) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function parseRequirement(term: string, selector: string): FieldRequirement {
  // The first operator not escaped with a backslash splits field from value.
  for (let i = 0; i < term.length; i++) {
    const c = term[i];
    if (c === '\\') {
      i++;
      continue;
    }
    const negate = c === '!' && term[i + 1] === '=';
    if (negate || c === '=') {
      const width = negate || term[i + 1] === '=' ? 2 : 1;
      const field = unescape(term.slice(0, i)).trim();
      if (field === '') break;
      return { path: field.split('.'), negate, value: unescape(term.slice(i + width)).trim() };
    }
  }
  throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
}

function resolve(object: unknown, path: readonly string[]): string {
  let current: unknown = object;
  for (const segment of path) {
    if (!isPlainObject(current)) return '';
    current = current[segment];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'string' ? current : JSON.stringify(current);
}

export function parseFieldSelector(text: string | undefined): FieldSelector {
  if (text === undefined || text.trim() === '') return ALL_FIELDS;
  const requirements = splitEscaped(text, ',')
    .filter((t) => t.trim() !== '')
    .map((t) => parseRequirement(t, text));
  return {
    empty: requirements.length === 0,
    matches: (object) =>
      requirements.every((req) => (resolve(object, req.path) === req.value) !== req.negate),
    exact: (field) => requirements.find((req) => !req.negate && req.path.join('.') === field)?.value,
  };
}
