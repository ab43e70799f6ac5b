/**
 * Which kind of network an IP address belongs to, for the callback SSRF policy (DESIGN.md §6). Loopback,
 * private and link-local ranges can be allowed by configuration; addresses that can never be a webhook
 * receiver (unspecified, multicast, broadcast, reserved) are always refused.
 *
 * IPv6 forms that embed an IPv4 address (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are
 * judged by the embedded address, so `[::ffff:127.0.0.1]` is loopback, not a public IPv6 address.
 */
import { BlockList, isIP } from 'node:net';

export const ADDRESS_KINDS = ['public', 'loopback', 'private', 'link-local', 'forbidden'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

type Range = readonly [network: string, prefix: number];

const RANGES: Readonly<
  Record<Exclude<AddressKind, 'public'>, { v4: readonly Range[]; v6: readonly Range[] }>
> = {
  loopback: { v4: [['127.0.0.0', 8]], v6: [['::1', 128]] },
  private: {
    v4: [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
      ['100.64.0.0', 10], // carrier-grade NAT: provider-internal
    ],
    v6: [['fc00::', 7]],
  },
  'link-local': { v4: [['169.254.0.0', 16]], v6: [['fe80::', 10]] },
  forbidden: {
    v4: [
      ['0.0.0.0', 8], // "this network": connects to the local host on many systems
      ['224.0.0.0', 4], // multicast
      ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
    ],
    v6: [
      ['::', 128],
      ['ff00::', 8], // multicast
    ],
  },
};

function blockList(ranges: { v4: readonly Range[]; v6: readonly Range[] }): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges.v4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of ranges.v6) list.addSubnet(network, prefix, 'ipv6');
  return list;
}

// Order matters: the first matching kind wins (loopback before the broader forbidden ::/128 check is moot).
const LISTS: ReadonlyArray<readonly [AddressKind, BlockList]> = (
  ['forbidden', 'loopback', 'link-local', 'private'] as const
).map((kind) => [kind, blockList(RANGES[kind])] as const);

/** The 16 bytes of an IPv6 address (any textual form `isIP` accepts, without zone id). */
function ipv6Bytes(address: string): Uint8Array | undefined {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const tail = dotted[1]!.split('.').map(Number);
    const v4 = ((tail[0]! << 8) | tail[1]!).toString(16) + ':' + ((tail[2]! << 8) | tail[3]!).toString(16);
    text = text.slice(0, -dotted[1]!.length) + v4;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - restGroups.length;
  if (rest === undefined ? missing !== 0 : missing < 0) return undefined;
  const groups = [...headGroups, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...restGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

/** The IPv4 address an IPv6 address carries by a well-known translation scheme, if any. */
export function embeddedIpv4(address: string): string | undefined {
  const bytes = ipv6Bytes(address.toLowerCase());
  if (bytes === undefined) return undefined;
  const zero = (from: number, to: number): boolean => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number): string => [...bytes.slice(at, at + 4)].join('.');
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12); // ::ffff:a.b.c.d
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12))
    return v4(12); // 64:ff9b::/96
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2); // 2002:AABB:CCDD::/48 (6to4)
  return undefined;
}

/** Throws for text that is not an IP address: callers resolve names first. */
export function addressKind(address: string): AddressKind {
  const family = isIP(address);
  if (family === 0) throw new TypeError('not an IP address');
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner !== undefined) return addressKind(inner);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of LISTS) if (list.check(address, type)) return kind;
  return 'public';
}
