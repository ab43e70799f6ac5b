/** Address classification for the callback policy, including IPv6 forms that embed IPv4 addresses. */
import { describe, expect, it } from 'vitest';
import { addressKind, embeddedIpv4, inAllowedRanges } from './address-ranges.ts';

describe('address kinds', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.0', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fdff:ffff::1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['0.0.0.0', 'forbidden'],
    ['::', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
    ['ff02::1', 'forbidden'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['93.184.216.34', 'public'],
    ['2606:2800:220:1:248:1893:25c8:1946', 'public'],
    // Special-use: not IANA global unicast (docs/security.md "Callbacks").
    ['fec0::1', 'special-use'],
    ['198.18.0.1', 'special-use'],
    ['198.19.255.255', 'special-use'],
    ['192.0.0.8', 'special-use'],
    ['192.0.2.1', 'special-use'],
    ['198.51.100.7', 'special-use'],
    ['203.0.113.9', 'special-use'],
    ['192.88.99.1', 'special-use'],
    ['2001:db8::1', 'special-use'],
    ['3fff::1', 'special-use'],
    ['100::1', 'special-use'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'special-use'], // Teredo
    ['2001:2::1', 'special-use'], // benchmarking, in 2001::/23
    // Embedded IPv4: the inner kind when not public, special-use otherwise.
    ['::169.254.169.254', 'link-local'], // IPv4-compatible
    ['::a9fe:a9fe', 'link-local'],
    ['::127.0.0.1', 'loopback'],
    ['::ffff:0:a9fe:a9fe', 'link-local'], // IPv4-translated
    ['::ffff:8.8.8.8', 'special-use'],
    ['::8.8.8.8', 'special-use'],
    ['64:ff9b::808:808', 'special-use'],
    ['64:ff9b:1::808:808', 'special-use'],
    ['2002:808:808::1', 'special-use'],
    ['::ffff:0:808:808', 'special-use'],
    ['240.0.0.1', 'forbidden'],
  ])('%s is %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });

  it('extracts the IPv4 address of mapped, NAT64 and 6to4 forms only', () => {
    expect(embeddedIpv4('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(embeddedIpv4('64:ff9b::0a01:0203')).toBe('10.1.2.3');
    expect(embeddedIpv4('2002:0a01:0203::')).toBe('10.1.2.3');
    expect(embeddedIpv4('2001:db8::1')).toBeUndefined();
    expect(() => addressKind('example.com')).toThrow(TypeError);
  });

  it('matches explicitly allowed ranges, IPv4-mapped addresses as IPv4', () => {
    expect(inAllowedRanges('198.18.0.1', ['198.18.0.0/15'])).toBe(true);
    expect(inAllowedRanges('::ffff:198.18.0.1', ['198.18.0.0/15'])).toBe(true);
    expect(inAllowedRanges('198.20.0.1', ['198.18.0.0/15'])).toBe(false);
    expect(inAllowedRanges('64:ff9b::808:808', ['64:ff9b::/96'])).toBe(true);
    expect(inAllowedRanges('64:ff9b::808:808', [])).toBe(false);
  });
});
