/**
 * Kubernetes resource quantities ("64", "250m", "263763456Ki", "1.5Gi", "1e3") as numbers, for summing node
 * capacity into pool and deployment manager capacity. Sums are kept in integer units (millicores, bytes,
 * devices) so that adding and removing a node's contribution never drifts.
 */

/** Multipliers of the binary and decimal SI suffixes Kubernetes accepts. */
const SUFFIX_MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ['Ki', 2 ** 10],
  ['Mi', 2 ** 20],
  ['Gi', 2 ** 30],
  ['Ti', 2 ** 40],
  ['Pi', 2 ** 50],
  ['Ei', 2 ** 60],
  ['n', 1e-9],
  ['u', 1e-6],
  ['m', 1e-3],
  ['', 1],
  ['k', 1e3],
  ['M', 1e6],
  ['G', 1e9],
  ['T', 1e12],
  ['P', 1e15],
  ['E', 1e18],
]);

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The value of a quantity in base units (cores, bytes, devices), or undefined when it is not a quantity. */
export function parseQuantity(quantity: string): number | undefined {
  const text = quantity.trim();
  // The suffix is the trailing run of letters. A decimal exponent ("1e3") ends in digits, so it stays in the
  // numeric part, where Number() reads it; "1E" is the exa suffix, as in Kubernetes.
  let end = text.length;
  while (end > 0 && isLetter(text.charCodeAt(end - 1))) end--;
  const multiplier = SUFFIX_MULTIPLIERS.get(text.slice(end));
  const numeric = text.slice(0, end);
  if (multiplier === undefined || !NUMBER_RE.test(numeric)) return undefined;
  const value = Number(numeric) * multiplier;
  return Number.isFinite(value) ? value : undefined;
}

/** CPU quantity in millicores (integer), so sums over many nodes stay exact. */
export function milliCores(quantity: string | undefined): number {
  if (quantity === undefined) return 0;
  const value = parseQuantity(quantity);
  return value === undefined ? 0 : Math.round(value * 1000);
}

/** A byte or count quantity as an integer; fractional values round to the nearest unit. */
export function wholeUnits(quantity: string | undefined): number {
  if (quantity === undefined) return 0;
  const value = parseQuantity(quantity);
  return value === undefined ? 0 : Math.round(value);
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
