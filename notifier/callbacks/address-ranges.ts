/**
 * Which kind of network an IP address belongs to, for the callback SSRF policy (docs/architecture.md
 * "Security"). Loopback, private and link-local ranges can be allowed by configuration; addresses that can never
 * be a webhook receiver (unspecified, multicast, broadcast, reserved) are always refused.
 *
 * IPv6 forms that embed an IPv4 address (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are
 * judged by the embedded address, so `[::ffff:127.0.0.1]` is loopback, not a public IPv6 address.
 *
 * Parsing and prefix matching are ipaddr.js's; the ranges below are netweave's policy. Text is checked with
 * node's strict `isIP` first, because ipaddr.js also accepts legacy IPv4 forms (`127.1`, octal, hex).
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export const ADDRESS_KINDS = ['public', 'loopback', 'private', 'link-local', 'forbidden'] as const;
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
  ['forbidden', 'loopback', 'link-local', 'private'] as const
).map((kind) => [kind, rangesOf(RANGES[kind])] as const);

const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR('2002::/16');

function embeddedIn(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  const bytes = address.toByteArray();
  if (address.match(NAT64)) return new ipaddr.IPv4(bytes.slice(12, 16));
  if (address.match(SIX_TO_FOUR)) return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

/** The IPv4 address an IPv6 address carries by a well-known translation scheme, if any. */
export function embeddedIpv4(address: string): string | undefined {
  if (isIP(address) !== 6) return undefined;
  return embeddedIn(ipaddr.IPv6.parse(address))?.toString();
}

function kindOf(address: ipaddr.IPv4 | ipaddr.IPv6): AddressKind {
  if (address instanceof ipaddr.IPv6) {
    const inner = embeddedIn(address);
    if (inner !== undefined) return kindOf(inner);
    for (const [kind, ranges] of CHECKS) if (ranges.v6.some((range) => address.match(range))) return kind;
    return 'public';
  }
  for (const [kind, ranges] of CHECKS) if (ranges.v4.some((range) => address.match(range))) return kind;
  return 'public';
}

/** Throws for text that is not an IP address: callers resolve names first. */
export function addressKind(address: string): AddressKind {
  if (isIP(address) === 0) throw new TypeError('not an IP address');
  return kindOf(ipaddr.parse(address));
}
