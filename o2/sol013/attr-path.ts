/**
 * Attribute paths as SOL013 writes them: names joined by "/", with "~" escapes inside a name.
 *
 * SOL013 §5.2.2 escapes the characters that would otherwise end or split a name:
 *   "~0" → "~"   "~1" → "/"   "~a" → ","   "~b" → "@"
 * Any other character after "~" (including an upper-case "A"/"B") and a trailing "~" are rejected, so that
 * every accepted spelling has exactly one meaning. The same rules apply to `fields` / `exclude_fields`.
 *
 * The unescaped segment "@key" is SOL013's selector for the keys of a map; an escaped "~bkey" names a
 * literal attribute "@key", which cannot be told apart once unescaped, so it is treated as the selector
 * too (no O2 attribute or Kubernetes label key starts with "@").
 */

/** SOL013's special segment: the keys of a map (only meaningful in free-form objects). */
export const MAP_KEY_SEGMENT = '@key';

export type AttrPathResult =
  | { readonly ok: true; readonly path: string[] }
  | { readonly ok: false; readonly reason: 'empty attribute name' | 'invalid "~" escape in attribute name' };

const UNESCAPED: Readonly<Record<string, string>> = { '0': '~', '1': '/', a: ',', b: '@' };

/** Splits an attribute path on "/" and resolves the "~" escapes of each name. */
export function parseAttrPath(text: string): AttrPathResult {
  const path: string[] = [];
  let name = '';
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === undefined || ch === '/') {
      if (i === start) return { ok: false, reason: 'empty attribute name' };
      path.push(name);
      name = '';
      start = i + 1;
    } else if (ch === '~') {
      const next = text[i + 1];
      const replacement = next === undefined ? undefined : UNESCAPED[next];
      if (replacement === undefined) return { ok: false, reason: 'invalid "~" escape in attribute name' };
      name += replacement;
      i++;
    } else {
      name += ch;
    }
  }
  return { ok: true, path };
}

/** The inverse of `parseAttrPath` for one name. */
export function escapeAttrName(name: string): string {
  if (name === MAP_KEY_SEGMENT) return name;
  let out = '';
  for (const ch of name) {
    if (ch === '~') out += '~0';
    else if (ch === '/') out += '~1';
    else if (ch === ',') out += '~a';
    else if (ch === '@') out += '~b';
    else out += ch;
  }
  return out;
}

export function printAttrPath(path: readonly string[]): string {
  return path.map(escapeAttrName).join('/');
}
