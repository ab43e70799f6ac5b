/** Kubernetes resource quantities, as far as node capacities need them. */

const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};
const DECIMAL: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/** Bytes (or plain units) in a quantity such as `128Gi`, `512G`, `1000`. */
export function parseQuantity(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(text.trim());
  if (!match) throw new Error(`invalid quantity "${text}"`);
  const unit = match[2] ?? '';
  return Number(match[1]) * (BINARY[unit] ?? DECIMAL[unit]!);
}

/** Bytes as the kubelet reports memory: whole kibibytes (`131811204Ki`). */
export function toKi(bytes: number): string {
  return `${Math.floor(bytes / 1024)}Ki`;
}
