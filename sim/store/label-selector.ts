/**
 * Label selector strings as the API server parses them (`a=b,c!=d,e in (x,y),f notin (z),g,!h`).
 * Parsed once per request or watch, then matched against many objects without allocating.
 */
import { badRequest } from '../errors.ts';

type Requirement =
  | { readonly op: 'eq' | 'neq'; readonly key: string; readonly value: string }
  | { readonly op: 'in' | 'notin'; readonly key: string; readonly values: ReadonlySet<string> }
  | { readonly op: 'exists' | 'notexists'; readonly key: string }
  | { readonly op: 'gt' | 'lt'; readonly key: string; readonly value: number };

export interface LabelSelector {
  /** True when the selector selects everything (empty string). */
  readonly empty: boolean;
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

export const EVERYTHING: LabelSelector = { empty: true, matches: () => true };

/** Splits on commas that are not inside a parenthesised value set. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const KEY_RE = new RegExp(`^${KEY}$`);
const VALUE_RE = new RegExp(`^${VALUE}$`);
const SET_RE = new RegExp(String.raw`^(?<key>${KEY})\s+(?<op>in|notin)\s*\((?<values>.*)\)$`);
const CMP_RE = new RegExp(String.raw`^(?<key>${KEY})\s*(?<op>==|!=|=|>|<)\s*(?<value>.*)$`);

function checkKey(key: string, selector: string): string {
  if (!KEY_RE.test(key))
    throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${selector}"`);
  return key;
}

function checkValue(value: string, selector: string): string {
  if (!VALUE_RE.test(value) || value.length > 63) {
    throw badRequest(`unable to parse requirement: invalid label value "${value}" in selector "${selector}"`);
  }
  return value;
}

function parseTerm(term: string, selector: string): Requirement {
  if (term.startsWith('!')) return { op: 'notexists', key: checkKey(term.slice(1).trim(), selector) };
  const set = SET_RE.exec(term);
  if (set) {
    const values = set
      .groups!['values']!.split(',')
      .map((v) => v.trim())
      .map((v) => checkValue(v, selector));
    return {
      op: set.groups!['op'] === 'in' ? 'in' : 'notin',
      key: set.groups!['key']!,
      values: new Set(values),
    };
  }
  const cmp = CMP_RE.exec(term);
  if (cmp) {
    const key = cmp.groups!['key']!;
    const op = cmp.groups!['op']!;
    const raw = cmp.groups!['value']!.trim();
    if (op === '>' || op === '<') {
      const value = Number.parseInt(raw, 10);
      if (!Number.isInteger(value) || String(value) !== raw)
        throw badRequest(`unable to parse requirement: "${raw}" is not an integer`);
      return { op: op === '>' ? 'gt' : 'lt', key, value };
    }
    return { op: op === '!=' ? 'neq' : 'eq', key, value: checkValue(raw, selector) };
  }
  return { op: 'exists', key: checkKey(term, selector) };
}

function matchOne(req: Requirement, labels: Readonly<Record<string, string>> | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  switch (req.op) {
    case 'eq':
      return has && value === req.value;
    case 'neq':
      return !has || value !== req.value;
    case 'in':
      return has && req.values.has(value!);
    case 'notin':
      return !has || !req.values.has(value!);
    case 'exists':
      return has;
    case 'notexists':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const n = Number.parseInt(value!, 10);
      if (!Number.isInteger(n)) return false;
      return req.op === 'gt' ? n > req.value : n < req.value;
    }
  }
}

/** Parses a label selector; throws a 400 `SimApiError` on syntax errors, like the API server. */
export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (text === undefined || text.trim() === '') return EVERYTHING;
  const requirements = splitTerms(text).map((term) => parseTerm(term, text));
  return {
    empty: requirements.length === 0,
    matches: (labels) => requirements.every((req) => matchOne(req, labels)),
  };
}
