/**
 * SOL013 §5.4 paging: the `nextpage_opaque_marker` query parameter.
 *
 * A marker carries where the next page starts (the sort key of the last item sent) and a hash of the
 * query it belongs to. The gateway is stateless and runs as several replicas, so the marker itself is the
 * state — and it comes back from the client, so it must be tamper-evident:
 *
 *   marker = base64url(JSON [1, after, q, exp?]) "." base64url(HMAC-SHA256(secret, "netweave/sol013-marker/v1." + body))
 *
 * The MAC covers the exact body text and is checked (in constant time) before the body is parsed, so a
 * changed byte, a marker minted by anyone without the secret, or one copied from another query (another
 * `q`) is refused. Node's base64url decoder ignores stray characters and unused trailing bits; the tag is
 * therefore also required to be in canonical form, otherwise some one-character edits would still verify.
 * The marker is not encrypted: `after` is a sort key the client has already seen in the previous page.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Sol013Error } from './errors.ts';

export interface PagingState {
  readonly v: 1;
  /** The sort key of the last item of the page already sent. */
  readonly after: string;
  /** `queryHash` of what the page answers: path + filter + selectors. */
  readonly q: string;
  /** Expiry, epoch milliseconds. */
  readonly exp?: number;
}

export interface MarkerCodec {
  encode(state: PagingState): string;
  /** The state in a marker this codec issued and that has not expired. Throws Sol013Error MARKER. */
  decode(marker: string): PagingState;
  /** `decode`, and the marker must belong to the query with hash `queryHash`. Throws Sol013Error MARKER. */
  verify(marker: string, queryHash: string): PagingState;
}

export interface MarkerCodecOptions {
  /** Clock for expiry checks (injectable for tests). */
  readonly now?: () => number;
}

/** Markers longer than this are refused before any work is done on them. */
export const MAX_MARKER_LENGTH = 2048;

const MIN_SECRET_BYTES = 32;
const MAC_CONTEXT = 'netweave/sol013-marker/v1.';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function markerError(detail: string): Sol013Error {
  return new Sol013Error('MARKER', `invalid nextpage_opaque_marker: ${detail}`);
}

/**
 * A hash that binds a marker to one query. Parts are length-prefixed so that ["ab", "c"] and ["a", "bc"]
 * differ. 128 bits (22 base64url characters) are plenty: the hash sits inside a MAC-protected marker, so
 * forging a match would need a second query with the same hash, not just a guess.
 */
export function queryHash(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(`${Buffer.byteLength(part, 'utf8')}:`);
    hash.update(part, 'utf8');
  }
  return hash.digest().subarray(0, 16).toString('base64url');
}

function isState(value: unknown): value is [1, string, string] | [1, string, string, number] {
  if (!Array.isArray(value) || (value.length !== 3 && value.length !== 4)) return false;
  const [v, after, q, exp] = value as unknown[];
  return (
    v === 1 &&
    typeof after === 'string' &&
    typeof q === 'string' &&
    (value.length === 3 || Number.isSafeInteger(exp))
  );
}

export function createMarkerCodec(
  secret: Uint8Array | string,
  options: MarkerCodecOptions = {},
): MarkerCodec {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < MIN_SECRET_BYTES) {
    throw new TypeError(`marker secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  const now = options.now ?? Date.now;
  const mac = (body: string): Buffer => createHmac('sha256', key).update(MAC_CONTEXT).update(body).digest();

  function encode(state: PagingState): string {
    if (state.v !== 1 || typeof state.after !== 'string' || typeof state.q !== 'string') {
      throw new TypeError('invalid paging state');
    }
    if (state.exp !== undefined && !Number.isSafeInteger(state.exp))
      throw new TypeError('invalid paging state expiry');
    const tuple = state.exp === undefined ? [1, state.after, state.q] : [1, state.after, state.q, state.exp];
    const body = Buffer.from(JSON.stringify(tuple), 'utf8').toString('base64url');
    const marker = `${body}.${mac(body).toString('base64url')}`;
    if (marker.length > MAX_MARKER_LENGTH) throw new TypeError('paging state too large for a marker');
    return marker;
  }

  function decode(marker: string): PagingState {
    if (typeof marker !== 'string' || marker.length === 0 || marker.length > MAX_MARKER_LENGTH) {
      throw markerError('malformed');
    }
    const dot = marker.indexOf('.');
    const body = marker.slice(0, dot);
    const tagText = marker.slice(dot + 1);
    if (dot < 0 || !BASE64URL.test(body) || !BASE64URL.test(tagText)) throw markerError('malformed');
    const tag = Buffer.from(tagText, 'base64url');
    const expected = mac(body);
    // Canonical form: re-encoding must give back the same text, so that no two strings carry one tag.
    if (
      tag.length !== expected.length ||
      tag.toString('base64url') !== tagText ||
      !timingSafeEqual(tag, expected)
    ) {
      throw markerError('not issued by this service or modified');
    }
    let tuple: unknown;
    try {
      tuple = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw markerError('malformed');
    }
    if (!isState(tuple)) throw markerError('malformed');
    const [, after, q, exp] = tuple;
    if (exp !== undefined && now() >= exp) throw markerError('expired');
    return exp === undefined ? { v: 1, after, q } : { v: 1, after, q, exp };
  }

  function verify(marker: string, expectedQueryHash: string): PagingState {
    const state = decode(marker);
    if (state.q !== expectedQueryHash) throw markerError('issued for a different query');
    return state;
  }

  return { encode, decode, verify };
}
