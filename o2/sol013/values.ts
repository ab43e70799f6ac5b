/**
 * Strict text → value conversions for filter values, shared by the compiler (which rejects what does not
 * convert) and the evaluator (which reads free-form and datetime attributes). Strict on purpose:
 * `Number('')` is 0 and `Number('0x10')` is 16, neither of which a client writing `(gt,x,)` means.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// RFC 3339 date-time, or a full date alone (midnight UTC). The offset is required with a time so that
// the same text never means different instants on differently configured servers.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2})))?$/;

/** A finite decimal number, or undefined. */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A safe integer, or undefined. */
export function parseInteger(text: string): number | undefined {
  if (!INTEGER.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function parseBoolean(text: string): boolean | undefined {
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/** A UUID in its canonical lower-case form, or undefined. */
export function parseUuid(text: string): string | undefined {
  return UUID.test(text) ? text.toLowerCase() : undefined;
}

/** Epoch milliseconds of an RFC 3339 date-time (or full date), or undefined. */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (m === null) return undefined;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(Number(m[1]), month)) return undefined;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59)) return undefined;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return undefined;
  // Date.parse wants "T" and an upper-case "Z"; a date alone is already read as UTC.
  const ms = Date.parse(m[4] === undefined ? text : text.replace(/[t ]/, 'T').replace('z', 'Z'));
  return Number.isFinite(ms) ? ms : undefined;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

const UPPER_ASCII = /[A-Z]/;

/**
 * Whether a string has an upper-case ASCII letter. A precompiled regex: cheaper than a charCodeAt loop
 * (measured) and, unlike toLowerCase (which copies even when nothing changes), allocation-free.
 */
export function hasUpperAscii(value: string): boolean {
  return UPPER_ASCII.test(value);
}

/**
 * Case-insensitive equality of a UUID attribute value with an already lower-cased UUID. Ids in the caches
 * are normally lower-case, so `===` or the upper-case check decides without copying the string.
 */
export function uuidEquals(value: string, lowerUuid: string): boolean {
  return (
    value === lowerUuid ||
    (value.length === lowerUuid.length && hasUpperAscii(value) && value.toLowerCase() === lowerUuid)
  );
}

/**
 * The number a stored string spells, or undefined. Used per object on free-form attributes, so it avoids
 * the regex of parseDecimal: cheap shape checks, then Number(). Rejects what Number() would wrongly accept
 * here ("", " 1", "0x10", "Infinity").
 */
export function numeralValue(text: string): number | undefined {
  const n = text.length;
  if (n === 0) return undefined;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(n - 1);
  // first: digit, sign or "."; last: digit or "."
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46)) return undefined;
  if (!((last >= 48 && last <= 57) || last === 46)) return undefined;
  if (n > 2 && first === 48) {
    const second = text.charCodeAt(1) | 32; // 0x 0b 0o prefixes
    if (second === 120 || second === 98 || second === 111) return undefined;
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Epoch milliseconds of a stored timestamp. The forms netweave itself writes — "YYYY-MM-DDTHH:MM:SSZ" and
 * "YYYY-MM-DDTHH:MM:SS.sssZ" (Date#toISOString, Kubernetes) — are read with arithmetic, several times
 * faster than Date.parse; anything else goes to Date.parse. NaN when unreadable.
 */
export function timestampValue(s: string): number {
  const n = s.length;
  if (
    (n === 20 || (n === 24 && s.charCodeAt(19) === 46)) &&
    s.charCodeAt(n - 1) === 90 && // Z
    s.charCodeAt(10) === 84 && // T
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58
  ) {
    const yh = digits2(s, 0);
    const yl = digits2(s, 2);
    const month = digits2(s, 5);
    const day = digits2(s, 8);
    const hour = digits2(s, 11);
    const minute = digits2(s, 14);
    const second = digits2(s, 17);
    let ms = 0;
    if (n === 24) {
      const h = s.charCodeAt(20) - 48;
      const rest = digits2(s, 21);
      ms = h >= 0 && h <= 9 && rest >= 0 ? h * 100 + rest : -1;
    }
    if (
      yh >= 0 &&
      yl >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 31 &&
      hour >= 0 &&
      hour <= 23 &&
      minute >= 0 &&
      minute <= 59 &&
      second >= 0 &&
      second <= 59 &&
      ms >= 0
    ) {
      const year = yh * 100 + yl;
      if (day <= 28 || day <= daysInMonth(year, month))
        return Date.UTC(year, month - 1, day, hour, minute, second, ms);
      return NaN;
    }
  }
  return Date.parse(s);
}
