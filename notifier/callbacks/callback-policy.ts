/**
 * Which callback URLs netweave will send requests to (docs/architecture.md "Security": no SSRF). A callback is checked when a
 * subscription is created and again before every delivery, because what a host name resolves to can change:
 * every address it resolves to must be allowed, and the request is then sent to the address that was checked
 * (see callback-request.ts), so a rebinding DNS answer between check and connect cannot redirect it.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressKind, inAllowedRanges } from './address-ranges.ts';
import type { AddressKind } from './address-ranges.ts';

export interface CallbackPolicy {
  readonly requireHttps: boolean;
  /** Exact host names or `*.suffix` patterns (case-insensitive); empty: any host. */
  readonly allowedHosts: readonly string[];
  readonly allowLoopback: boolean;
  readonly allowPrivate: boolean;
  readonly allowLinkLocal: boolean;
  /**
   * CIDR ranges whose addresses are accepted whatever their kind (an operator's explicit exception, e.g. a
   * receiver behind NAT64); checked before every other address rule.
   */
  readonly allowedCidrs?: readonly string[];
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Name resolution, injectable so tests can make a name resolve anywhere. */
export type Resolve = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolve: Resolve = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** A callback that passed the policy, with the addresses it may be contacted at. */
export interface CheckedCallback {
  readonly url: URL;
  readonly addresses: readonly ResolvedAddress[];
}

/** The reason is written for the client: it names the rule, not internals (and never echoes the URL). */
export class CallbackRefusedError extends Error {
  override readonly name = 'CallbackRefusedError';
}

const MAX_CALLBACK_LENGTH = 2048;

function hostAllowed(hostname: string, allowedHosts: readonly string[]): boolean {
  if (allowedHosts.length === 0) return true;
  const host = hostname.toLowerCase();
  return allowedHosts.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p;
  });
}

const KIND_SETTING: Readonly<
  Record<Exclude<AddressKind, 'public' | 'forbidden' | 'special-use'>, keyof CallbackPolicy>
> = {
  loopback: 'allowLoopback',
  private: 'allowPrivate',
  'link-local': 'allowLinkLocal',
};

function refusalFor(kind: AddressKind, policy: CallbackPolicy): string | undefined {
  if (kind === 'public') return undefined;
  if (kind === 'forbidden')
    return 'the callback host resolves to an address that cannot receive notifications';
  if (kind === 'special-use')
    return 'the callback host resolves to a special-use address (not global unicast), which the callback policy does not allow';
  if (policy[KIND_SETTING[kind]]) return undefined;
  return `the callback host resolves to a ${kind} address, which the callback policy does not allow`;
}

/** Parses and checks a callback URL; throws CallbackRefusedError when the policy refuses it. */
export async function checkCallback(
  text: string,
  policy: CallbackPolicy,
  resolve: Resolve = systemResolve,
): Promise<CheckedCallback> {
  if (text.length > MAX_CALLBACK_LENGTH)
    throw new CallbackRefusedError(`callback must be at most ${MAX_CALLBACK_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CallbackRefusedError('callback must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new CallbackRefusedError('callback must be an http or https URL');
  if (url.protocol === 'http:' && policy.requireHttps)
    throw new CallbackRefusedError('callback must use https');
  // Credentials in a URL end up in logs and in every list response.
  if (url.username !== '' || url.password !== '')
    throw new CallbackRefusedError('callback must not carry credentials');
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (hostname === '') throw new CallbackRefusedError('callback must name a host');
  if (!hostAllowed(hostname, policy.allowedHosts))
    throw new CallbackRefusedError('callback host is not in the allowed hosts');

  let addresses: readonly ResolvedAddress[];
  const literal = isIP(hostname);
  if (literal !== 0) addresses = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await resolve(hostname);
    } catch {
      throw new CallbackRefusedError('callback host cannot be resolved');
    }
    if (addresses.length === 0) throw new CallbackRefusedError('callback host cannot be resolved');
  }
  for (const { address } of addresses) {
    const bare = address.split('%', 1)[0]!;
    if (inAllowedRanges(bare, policy.allowedCidrs ?? [])) continue;
    const refusal = refusalFor(addressKind(bare), policy);
    if (refusal !== undefined) throw new CallbackRefusedError(refusal);
  }
  return { url, addresses };
}
