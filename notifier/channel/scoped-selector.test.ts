/**
 * Tenant scoping of webhook deliveries (docs/security.md "Tenants"): the fan-out asks `scopedSelector`, which only
 * lets through events of the clusters stored with the subscription, for every channel.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inventoryNotificationChannel } from '../inventory-channel.ts';
import type { StoredSubscription } from '../subscriptions/repository.ts';
import { changeEvent, resourceState } from '../../testing/notifier-events.ts';
import { eraseChannel, scopedSelector } from './channel.ts';

function subscription(extra: Partial<StoredSubscription> = {}): StoredSubscription {
  return {
    subscriptionId: randomUUID(),
    callback: 'https://smo.example/cb',
    apiVersion: 'v2',
    startCursor: '0',
    tenant: 'red',
    createdBy: 'smo-red',
    createdAt: new Date().toISOString(),
    ...extra,
  };
}

describe('scopedSelector', () => {
  const channel = eraseChannel(inventoryNotificationChannel());
  const id = randomUUID();
  const onA = changeEvent('RESOURCE', id, null, resourceState(id), 'edge-a');
  const onB = changeEvent('RESOURCE', id, null, resourceState(id), 'edge-b');

  it('delivers only events of the clusters stored with the subscription', () => {
    const wants = scopedSelector(channel, subscription({ scope: { clusters: ['edge-a'] } }));
    expect(wants(onA)).toBe(true);
    expect(wants(onB)).toBe(false);
    const none = scopedSelector(channel, subscription({ scope: { clusters: [] } }));
    expect([none(onA), none(onB)]).toEqual([false, false]);
  });

  it('delivers everything to subscriptions without a stored scope (operators, created before scoping)', () => {
    const wants = scopedSelector(channel, subscription());
    expect([wants(onA), wants(onB)]).toEqual([true, true]);
  });

  it('still applies the subscription’s own (exclusion) filter', () => {
    const wants = scopedSelector(
      channel,
      subscription({ scope: { clusters: ['edge-a', 'edge-b'] }, filter: '(eq,objectKind,RESOURCE)' }),
    );
    expect([wants(onA), wants(onB)]).toEqual([false, false]);
  });
});
