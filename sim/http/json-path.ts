/**
 * The JSONPath subset CRD printer columns use: `.a.b`, `.a[0]`, `.a[*]`, `.a[?(@.type=="Ready")].status`.
 * Returns every value the path selects (kubectl prints the first, joined lists for the rest).
 */
import { isPlainObject } from '../types.ts';

type Step =
  | { readonly field: string }
  | { readonly index: number }
  | { readonly all: true }
  | { readonly filter: { key: string; value: string } };

const TOKEN = /\.([^.[\]]+)|\[(\d+)\]|\[\*\]|\[\?\(@\.([^=!<>\s]+)\s*==\s*["']?([^"'\]]*?)["']?\)\]/gy;

function parse(path: string): Step[] | undefined {
  const text = path.replace(/^\{|\}$/g, '').replace(/^\$/, '');
  const steps: Step[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (m === null || TOKEN.lastIndex === start) return undefined;
    if (m[1] !== undefined) steps.push({ field: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ filter: { key: m[3], value: m[4] ?? '' } });
    else steps.push({ all: true });
  }
  return steps;
}

export function evaluateJsonPath(object: unknown, path: string): unknown[] {
  const steps = parse(path);
  if (steps === undefined) return [];
  let current: unknown[] = [object];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if ('field' in step) {
        if (isPlainObject(value) && value[step.field] !== undefined) next.push(value[step.field]);
      } else if (!Array.isArray(value)) {
        continue;
      } else if ('index' in step) {
        if (step.index < value.length) next.push(value[step.index]);
      } else if ('all' in step) {
        next.push(...value);
      } else {
        next.push(
          ...value.filter(
            (item) => isPlainObject(item) && String(item[step.filter.key]) === step.filter.value,
          ),
        );
      }
    }
    current = next;
  }
  return current;
}
