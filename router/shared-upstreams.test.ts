import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../common/auth.ts';
import { shareable, sharingKey } from './shared-upstreams.ts';

const document = parse('subscription { topologyChanged { name } }');
const reader: AuthContext = {
  principal: 'alice',
  roles: ['reader'],
  tenant: { name: 'acme', clusters: ['edge-1'] },
  method: 'bearer',
  requestId: 'r1',
  expiresAt: 1,
};

describe('sharingKey: which subscriptions may share an upstream stream', () => {
  it('is the same for the same operation and caller identity, whatever the request id and expiry', () => {
    const key = sharingKey({ document, variables: {}, auth: reader });
    expect(sharingKey({ document, variables: {}, auth: { ...reader, requestId: 'r2', expiresAt: 2 } })).toBe(
      key,
    );
  });

  it('differs by tenant, roles, principal, auth method, variables and operation', () => {
    const key = sharingKey({ document, variables: {}, auth: reader });
    const others = [
      { document, variables: {}, auth: { ...reader, tenant: { name: 'acme', clusters: ['edge-2'] } } },
      { document, variables: {}, auth: { ...reader, roles: ['reader', 'operator'] as AuthContext['roles'] } },
      { document, variables: {}, auth: { ...reader, principal: 'bob' } },
      { document, variables: {}, auth: { ...reader, method: 'internal' as const } },
      { document, variables: {}, auth: undefined },
      { document, variables: { kinds: ['NODE'] }, auth: reader },
      { document: parse('subscription { topologyChanged { name kind } }'), variables: {}, auth: reader },
    ];
    for (const other of others) expect(sharingKey(other)).not.toBe(key);
  });
});

describe('shareable: only live-only streams are shared', () => {
  it('shares topologyChanged and liveInventoryChanged, not the snapshot-first topology stream', () => {
    expect(shareable(document)).toBe(true);
    expect(shareable(parse('subscription { liveInventoryChanged { objectId } }'))).toBe(true);
    // A late joiner of a shared `topology` stream would miss the snapshot every subscriber must get first.
    expect(shareable(parse('subscription { topology { kind } }'))).toBe(false);
    expect(shareable(parse('subscription { topologyChanged { name } topology { kind } }'))).toBe(false);
  });
});
