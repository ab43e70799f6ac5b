/**
 * JSON text made ASCII-only by escaping every non-ASCII UTF-16 code unit as `\uXXXX` (RFC 8259 §7): the same
 * JSON value, so what a client parses does not change. Why: one non-ASCII character (a "×" in a NIC
 * description) sends a several-hundred-KB body down V8's slow UTF-8 paths on both ends of a hop — encoding
 * and decoding cost about ten times those of an ASCII body — while escaped, every byte is ASCII and both
 * take the fast copy paths (issue 16).
 */
const NON_ASCII = /[\u0080-\uffff]/g;
const HAS_NON_ASCII = /[\u0080-\uffff]/;

function escapeUnit(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `json` with non-ASCII code units escaped; the same string when it is ASCII already. */
export function asciiJson(json: string): string {
  return HAS_NON_ASCII.test(json) ? json.replace(NON_ASCII, escapeUnit) : json;
}
