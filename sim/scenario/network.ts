/** IPv4 arithmetic for handing out node and pod addresses from a fixture's CIDRs. */

export function parseIpv4(text: string): number {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`invalid IPv4 address "${text}"`);
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The base address and prefix length of `a.b.c.d/n`. */
export function parseCidr(cidr: string): { base: number; prefix: number } {
  const [address, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  if (address === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30)
    throw new Error(`invalid CIDR "${cidr}"`);
  const base = parseIpv4(address);
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), prefix };
}

/** The `offset`-th address of `cidr` (throws when the range is exhausted). */
export function addressIn(cidr: string, offset: number): string {
  const { base, prefix } = parseCidr(cidr);
  if (offset >= 2 ** (32 - prefix) - 1) throw new Error(`${cidr} has no address #${offset}`);
  return formatIpv4(base + offset);
}
