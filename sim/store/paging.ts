/**
 * List paging: the `continue` token is opaque to clients; it carries the key the next page starts after
 * and the resourceVersion of the first page (returned again on every page, as the real server does, so a
 * client that watches from it after paging sees every change made while it paged).
 */
import { SimApiError } from '../errors.ts';
import { isPlainObject } from '../types.ts';

export interface ContinueToken {
  readonly after: string;
  readonly revision: number;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 1, a: token.after, r: token.revision }), 'utf8').toString(
    'base64url',
  );
}

export function decodeContinue(text: string): ContinueToken {
  try {
    const raw: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      isPlainObject(raw) &&
      raw['v'] === 1 &&
      typeof raw['a'] === 'string' &&
      typeof raw['r'] === 'number'
    ) {
      return { after: raw['a'], revision: raw['r'] };
    }
  } catch {
    // fall through: malformed tokens get the API server's 400 below
  }
  throw new SimApiError(
    400,
    'BadRequest',
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

/** Index of the first key >= `target` in sorted `keys`. */
export function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first key > `target` in sorted `keys`. */
export function upperBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
