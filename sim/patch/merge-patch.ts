/**
 * RFC 7386 JSON merge patch: objects merge recursively, `null` deletes a member, anything else (arrays
 * included) replaces. Returns a new value and never mutates `target` (stored objects are frozen).
 */
import { isPlainObject } from '../types.ts';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(result, key);
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}
