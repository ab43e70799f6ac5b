/**
 * Which kind of network an IP address belongs to, for the callback SSRF policy (docs/security.md "Callbacks").
 * Only IANA global unicast is `public`. Loopback, private and link-local ranges can be allowed by configuration;
 * everything else is `special-use` (benchmarking, documentation, IETF protocol assignments, site-local, Teredo,
 * translation prefixes…) or `forbidden` (unspecified, multicast, broadcast, reserved) and is refused unless an
 * operator allow-lists its range explicitly (`subscriptions.callbacks.allowedCidrs`).
 *
 * IPv6 forms that embed an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, IPv4-translated
 * ::ffff:0:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) take the embedded address's kind when that is not
 * public (`[::ffff:127.0.0.1]` is loopback, `[::169.254.169.254]` link-local); with a public embedded address
 * they are special-use: a webhook receiver has no reason to be addressed through a translation prefix.
 *
 * Parsing, prefix matching and the final `range() === 'unicast'` test are ipaddr.js's; the extra ranges below
 * are the IANA special-purpose registries' entries that ipaddr.js 1.x does not classify. Text is checked with
 * node's strict `isIP` first, because ipaddr.js also accepts legacy IPv4 forms (`127.1`, octal, hex).
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export const ADDRESS_KINDS = [
  'public',
  'loopback',
  'private',
  'link-local',
  'special-use',
  'forbidden',
] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

const RANGES: Readonly<Record<Exclude<AddressKind, 'public'>, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: [
    '10.0.0.0/8',
    '172.16.0.0/12',
    '192.168.0.0/16',
    '100.64.0.0/10', // carrier-grade NAT: provider-internal
    'fc00::/7',
  ],
  'link-local': ['169.254.0.0/16', 'fe80::/10'],
  forbidden: [
    '0.0.0.0/8', // "this network": connects to the local host on many systems
    '224.0.0.0/4', // multicast
    '240.0.0.0/4', // reserved, and 255.255.255.255 broadcast
    '::/128',
    'ff00::/8', // multicast
  ],
  'special-use': [
    '192.0.0.0/24', // IETF protocol assignments
    '192.0.2.0/24', // TEST-NET-1 (documentation)
    '192.88.99.0/24', // 6to4 relay anycast (deprecated)
    '198.18.0.0/15', // benchmarking
    '198.51.100.0/24', // TEST-NET-2
    '203.0.113.0/24', // TEST-NET-3
    '64:ff9b:1::/48', // local-use IPv4/IPv6 translation
    '100::/64', // discard-only
    '2001::/23', // IETF protocol assignments, Teredo 2001::/32 included
    '2001:db8::/32', // documentation
    '3fff::/20', // documentation
    '5f00::/16', // SRv6 SIDs
    'fec0::/10', // site-local (deprecated, still routed internally by some networks)
  ],
};

interface Ranges {
  readonly v4: readonly [ipaddr.IPv4, number][];
  readonly v6: readonly [ipaddr.IPv6, number][];
}

function rangesOf(cidrs: readonly string[]): Ranges {
  const v4: [ipaddr.IPv4, number][] = [];
  const v6: [ipaddr.IPv6, number][] = [];
  for (const cidr of cidrs) {
    if (cidr.includes(':')) v6.push(ipaddr.IPv6.parseCIDR(cidr));
    else v4.push(ipaddr.IPv4.parseCIDR(cidr));
  }
  return { v4, v6 };
}

// Order matters: the first matching kind wins.
const CHECKS: ReadonlyArray<readonly [AddressKind, Ranges]> = (
  ['forbidden', 'loopback', 'link-local', 'private', 'special-use'] as const
).map((kind) => [kind, rangesOf(RANGES[kind])] as const);

const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR('2002::/16');
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');
const IPV4_TRANSLATED = ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96');
const UNSPECIFIED_OR_LOOPBACK = [ipaddr.IPv6.parseCIDR('::/128'), ipaddr.IPv6.parseCIDR('::1/128')];

function embeddedIn(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  const bytes = address.toByteArray();
  if (address.match(NAT64) || address.match(IPV4_TRANSLATED)) return new ipaddr.IPv4(bytes.slice(12, 16));
  if (address.match(SIX_TO_FOUR)) return new ipaddr.IPv4(bytes.slice(2, 6));
  if (address.match(IPV4_COMPATIBLE) && !UNSPECIFIED_OR_LOOPBACK.some((r) => address.match(r)))
    return new ipaddr.IPv4(bytes.slice(12, 16));
  return undefined;
}

/** The IPv4 address an IPv6 address carries by a well-known translation scheme, if any. */
export function embeddedIpv4(address: string): string | undefined {
  if (isIP(address) !== 6) return undefined;
  return embeddedIn(parseAddress(address) as ipaddr.IPv6)?.toString();
}

function kindOf(address: ipaddr.IPv4 | ipaddr.IPv6): AddressKind {
  if (address instanceof ipaddr.IPv6) {
    const inner = embeddedIn(address);
    if (inner !== undefined) {
      const innerKind = kindOf(inner);
      return innerKind === 'public' ? 'special-use' : innerKind;
    }
    for (const [kind, ranges] of CHECKS) if (ranges.v6.some((range) => address.match(range))) return kind;
  } else {
    for (const [kind, ranges] of CHECKS) if (ranges.v4.some((range) => address.match(range))) return kind;
  }
  // Whatever else ipaddr.js knows as non-unicast (reserved ranges of either family) is not global either.
  return address.range() === 'unicast' ? 'public' : 'special-use';
}

/**
 * Parses text node's `isIP` accepted. ipaddr.js 1.x reads a trailing dotted quad only after `::ffff:`, so other
 * IPv6 forms with one (`::169.254.169.254`) are rewritten to hex groups first.
 */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  if (isIP(address) === 6 && address.includes('.')) {
    const cut = address.lastIndexOf(':');
    const octets = address
      .slice(cut + 1)
      .split('.')
      .map((part) => Number.parseInt(part, 10));
    const hex = (high: number, low: number): string => ((high << 8) | low).toString(16);
    return ipaddr.IPv6.parse(
      `${address.slice(0, cut + 1)}${hex(octets[0]!, octets[1]!)}:${hex(octets[2]!, octets[3]!)}`,
    );
  }
  return ipaddr.parse(address);
}

/** Throws for text that is not an IP address: callers resolve names first. */
export function addressKind(address: string): AddressKind {
  if (isIP(address) === 0) throw new TypeError('not an IP address');
  return kindOf(parseAddress(address));
}

/**
 * Whether an address lies in one of the operator's explicitly allowed ranges (CIDR text, validated by the
 * configuration). An IPv4-mapped IPv6 address is compared as its IPv4 address.
 */
export function inAllowedRanges(address: string, cidrs: readonly string[]): boolean {
  if (cidrs.length === 0 || isIP(address) === 0) return false;
  let parsed = parseAddress(address);
  if (parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress()) parsed = parsed.toIPv4Address();
  return cidrs.some((cidr) => {
    const [range, bits] = ipaddr.parseCIDR(cidr);
    if (range instanceof ipaddr.IPv4 && parsed instanceof ipaddr.IPv4) return parsed.match(range, bits);
    if (range instanceof ipaddr.IPv6 && parsed instanceof ipaddr.IPv6) return parsed.match(range, bits);
    return false;
  });
}
