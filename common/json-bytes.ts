/**
 * `Buffer.from(JSON.stringify(value))` without the large intermediate string, for large arrays (a page of
 * inventory objects, several hundred KB).
 *
 * Why: V8 allocates every string above ~128 KB in its large-object space, one fresh memory mapping per
 * string, so building and then encoding one several-hundred-KB JSON text costs page faults that dwarf the
 * serialization itself — on the 2-core benchmark machine encoding a 375 KB page took ~6× its JSON.stringify,
 * and a two-byte text (one "×" in a NIC description makes the whole text two-byte) doubles the size of that
 * string again (docs/benchmarks.md "Inventory API"). Serialized item by item, every string stays small, and the
 * only large allocation is the result Buffer itself. The bytes are exactly JSON.stringify's (UTF-8).
 */

/** Items below this many elements are serialized in one piece: nothing to gain. */
const MIN_ITEMS = 16;

/** UTF-8 bytes of `JSON.stringify(value)`; undefined where JSON.stringify gives undefined. */
export function jsonBytes(value: unknown): Buffer | undefined {
  if (!Array.isArray(value) || value.length < MIN_ITEMS || hasOwnToJSON(value)) {
    const text = JSON.stringify(value) as string | undefined;
    return text === undefined ? undefined : Buffer.from(text);
  }
  // JSON.stringify of an array: each element as JSON.stringify gives it, `null` where that is undefined
  // (undefined, functions, symbols), comma-separated in brackets, no whitespace.
  // Array.from, not map: a hole is an undefined element (→ null), as JSON.stringify sees it.
  const parts = Array.from(value, (item: unknown, index) => {
    const text = JSON.stringify(elementValue(item, index)) as string | undefined;
    return text ?? 'null';
  });
  const lengths = parts.map((part) => Buffer.byteLength(part));
  let total = 2 + parts.length - 1;
  for (const length of lengths) total += length;
  const bytes = Buffer.allocUnsafe(total);
  let at = 0;
  bytes[at++] = 0x5b; // [
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) bytes[at++] = 0x2c; // ,
    at += bytes.write(parts[i]!, at, lengths[i]!, 'utf8');
  }
  bytes[at] = 0x5d; // ]
  return bytes;
}

/** An array with its own toJSON is serialized as JSON.stringify does it, whole. */
function hasOwnToJSON(value: readonly unknown[]): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** JSON.stringify calls an element's toJSON with the element's index as key; JSON.stringify(item) would pass "". */
function elementValue(item: unknown, index: number): unknown {
  const toJSON = (item as { toJSON?: unknown } | null | undefined)?.toJSON;
  return typeof toJSON === 'function' ? (toJSON as (key: string) => unknown).call(item, String(index)) : item;
}

/**
 * `JSON.parse(bytes.toString())` without one large string: a JSON text above LARGE_TEXT bytes is split
 * along its large objects and arrays, and each piece below that size is decoded and parsed on its own. The
 * counterpart of `jsonBytes` for the shard client's answers (a page of 100 resources is ~450 KB; decoding it
 * as one string cost more than parsing it). The result is the same value JSON.parse gives, own `__proto__`
 * keys included; a text that is not valid JSON is handed to JSON.parse whole, so it throws its error.
 */
export function parseJsonBytes(bytes: Buffer): unknown {
  if (bytes.length <= LARGE_TEXT) return JSON.parse(bytes.toString('utf8'));
  let parsed: unknown;
  try {
    parsed = new SplitParser(bytes).parse();
  } catch {
    return JSON.parse(bytes.toString('utf8'));
  }
  return parsed;
}

/** Pieces up to this size are decoded and parsed whole (V8 keeps strings below ~128 KB in its young heap). */
const LARGE_TEXT = 64 * 1024;
/** Containers at least this large get their end recorded by the one scan (smaller ones are scanned again). */
const RECORDED = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

class Malformed extends Error {}

class SplitParser {
  readonly #bytes: Buffer;
  /** End offset (exclusive) of each recorded container, by its start offset. */
  readonly #ends = new Map<number, number>();

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  parse(): unknown {
    this.#scan();
    let start = 0;
    let end = this.#bytes.length;
    while (isSpace(this.#bytes[start])) start++;
    while (end > start && isSpace(this.#bytes[end - 1])) end--;
    if (this.#valueEnd(start) !== end) throw new Malformed();
    return this.#value(start, end);
  }

  /** One pass over the text: the ends of the recorded containers; throws when brackets do not match. */
  #scan(): void {
    const bytes = this.#bytes;
    const open: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (byte === QUOTE) i = this.#stringEnd(i) - 1;
      else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) open.push(i);
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        const start = open.pop();
        if (start === undefined || bytes[start] !== byte - 2) throw new Malformed();
        if (i + 1 - start >= RECORDED) this.#ends.set(start, i + 1);
      }
    }
    if (open.length > 0) throw new Malformed();
  }

  /** The offset after the string that starts (with its quote) at `quote`. */
  #stringEnd(quote: number): number {
    const bytes = this.#bytes;
    let from = quote + 1;
    for (;;) {
      const next = bytes.indexOf(QUOTE, from);
      if (next < 0) throw new Malformed();
      let backslashes = 0;
      while (bytes[next - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return next + 1;
      from = next + 1;
    }
  }

  /** The offset after the value that starts at `start`. */
  #valueEnd(start: number): number {
    const bytes = this.#bytes;
    const first = bytes[start];
    if (first === QUOTE) return this.#stringEnd(start);
    if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
      const recorded = this.#ends.get(start);
      if (recorded !== undefined) return recorded;
      let depth = 0;
      for (let i = start; i < bytes.length; i++) {
        const byte = bytes[i];
        if (byte === QUOTE) i = this.#stringEnd(i) - 1;
        else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
        else if ((byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) && --depth === 0) return i + 1;
      }
      throw new Malformed();
    }
    let i = start;
    while (i < bytes.length) {
      const byte = bytes[i];
      if (byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isSpace(byte)) break;
      i++;
    }
    if (i === start) throw new Malformed();
    return i;
  }

  #skipSpace(at: number): number {
    while (isSpace(this.#bytes[at])) at++;
    return at;
  }

  /** The value in [start, end): parsed whole when small, else member by member. */
  #value(start: number, end: number): unknown {
    const bytes = this.#bytes;
    if (end - start <= LARGE_TEXT || (bytes[start] !== OPEN_OBJECT && bytes[start] !== OPEN_ARRAY))
      return JSON.parse(bytes.toString('utf8', start, end));
    const isObject = bytes[start] === OPEN_OBJECT;
    const close = isObject ? CLOSE_OBJECT : CLOSE_ARRAY;
    const object: Record<string, unknown> = {};
    const array: unknown[] = [];
    let at = this.#skipSpace(start + 1);
    if (bytes[at] === close) {
      if (at + 1 !== end) throw new Malformed();
      return isObject ? object : array;
    }
    for (;;) {
      let key = '';
      if (isObject) {
        if (bytes[at] !== QUOTE) throw new Malformed();
        const keyEnd = this.#stringEnd(at);
        key = JSON.parse(bytes.toString('utf8', at, keyEnd)) as string;
        at = this.#skipSpace(keyEnd);
        if (bytes[at] !== COLON) throw new Malformed();
        at = this.#skipSpace(at + 1);
      }
      const valueEnd = this.#valueEnd(at);
      const value = this.#value(at, valueEnd);
      if (!isObject) array.push(value);
      // JSON.parse makes `__proto__` an own property; an assignment would set the prototype.
      else if (key === '__proto__')
        Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
      else object[key] = value;
      at = this.#skipSpace(valueEnd);
      if (bytes[at] === COMMA) {
        at = this.#skipSpace(at + 1);
        continue;
      }
      if (bytes[at] === close && at + 1 === end) return isObject ? object : array;
      throw new Malformed();
    }
  }
}
