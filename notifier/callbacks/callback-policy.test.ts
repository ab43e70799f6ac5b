/**
 * The production callback policy end to end (docs/security.md "Callbacks"): names resolve through an injected
 * resolver, so no lookup or connection leaves the machine.
 */
import { describe, expect, it } from 'vitest';
import { CallbackRefusedError, checkCallback, type CallbackPolicy, type Resolve } from './callback-policy.ts';

const PRODUCTION: CallbackPolicy = {
  requireHttps: true,
  allowedHosts: [],
  allowLoopback: false,
  allowPrivate: false,
  allowLinkLocal: false,
};

/** Resolves every name to the given addresses, and records that it was asked. */
function resolvingTo(...addresses: string[]): Resolve {
  return async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
}

async function refusal(url: string, resolve: Resolve, policy: CallbackPolicy = PRODUCTION): Promise<string> {
  try {
    await checkCallback(url, policy, resolve);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackRefusedError);
    return (error as Error).message;
  }
}

const neverResolve: Resolve = () => Promise.reject(new Error('no lookup expected'));

describe('production callback policy', () => {
  it.each([
    ['https://[::169.254.169.254]/hook', 'link-local'],
    ['https://[::ffff:169.254.169.254]/hook', 'link-local'],
    ['https://198.18.0.1/hook', 'special-use'],
    ['https://192.0.0.170/hook', 'special-use'],
    ['https://192.0.2.10/hook', 'special-use'],
    ['https://[2001:db8::10]/hook', 'special-use'],
    ['https://[64:ff9b::808:808]/hook', 'special-use'],
    ['https://[::ffff:8.8.8.8]/hook', 'special-use'],
    ['https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook', 'special-use'],
    ['https://[fec0::1]/hook', 'special-use'],
    ['https://[2002:a9fe:a9fe::1]/hook', 'link-local'],
  ])('refuses %s (%s)', async (url, kind) => {
    expect(await refusal(url, neverResolve)).toContain(kind);
  });

  it('refuses a name when any address it resolves to is special-use', async () => {
    const message = await refusal('https://smo.example.com/hook', resolvingTo('93.184.216.34', '198.18.0.1'));
    expect(message).toContain('special-use');
    expect(message).not.toContain('smo.example.com');
  });

  it('accepts global unicast addresses', async () => {
    expect(
      await refusal('https://smo.example.com/hook', resolvingTo('93.184.216.34', '2606:4700::1111')),
    ).toBe('accepted');
  });

  it('accepts a special-use range only when the operator allow-lists it', async () => {
    const resolve = resolvingTo('198.18.0.1');
    expect(await refusal('https://bench.example/hook', resolve)).toContain('special-use');
    expect(
      await refusal('https://bench.example/hook', resolve, {
        ...PRODUCTION,
        allowedCidrs: ['198.18.0.0/15'],
      }),
    ).toBe('accepted');
    expect(
      await refusal('https://bench.example/hook', resolvingTo('192.0.2.1'), {
        ...PRODUCTION,
        allowedCidrs: ['198.18.0.0/15'],
      }),
    ).toContain('special-use');
  });
});
