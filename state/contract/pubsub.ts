import { describe, expect, it } from 'vitest';
import { eventually } from './support.ts';
import type { ContractContext } from './support.ts';
import type { StateStore } from '../store.ts';

export function pubSubContract<S extends StateStore>({ makeStore, openPeer }: ContractContext<S>): void {
  describe('publish / subscribe', () => {
    it('a message published by one replica reaches subscribers on every handle, in order', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const onPeer: string[] = [];
      const onSelf: string[] = [];
      const unsubscribePeer = await peer.subscribe('netweave:shards-changed', (m) => onPeer.push(m));
      const unsubscribeSelf = await store.subscribe('netweave:shards-changed', (m) => onSelf.push(m));
      for (const message of ['cluster-1', 'cluster-2', 'cluster-3']) {
        await store.publish('netweave:shards-changed', message);
      }
      await eventually('messages arrived', () => onPeer.length >= 3 && onSelf.length >= 3);
      expect(onPeer).toEqual(['cluster-1', 'cluster-2', 'cluster-3']);
      expect(onSelf).toEqual(['cluster-1', 'cluster-2', 'cluster-3']);
      await unsubscribePeer();
      await unsubscribeSelf();
    });

    it('channels are separate, and an unsubscribed handler gets nothing more', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const first: string[] = [];
      const second: string[] = [];
      const elsewhere: string[] = [];
      const unsubscribeFirst = await peer.subscribe('topic', (m) => first.push(m));
      const unsubscribeSecond = await peer.subscribe('topic', (m) => second.push(m));
      const unsubscribeElsewhere = await peer.subscribe('other-topic', (m) => elsewhere.push(m));
      await store.publish('topic', 'before');
      await eventually('both handlers got it', () => first.length === 1 && second.length === 1);
      await unsubscribeFirst();
      await store.publish('topic', 'after');
      // The second handler shares the first one's delivery path: once it has "after", the first would have too.
      await eventually('second handler got it', () => second.length === 2);
      expect(first).toEqual(['before']);
      expect(second).toEqual(['before', 'after']);
      await unsubscribeSecond();
      await unsubscribeFirst();
      await store.publish('other-topic', 'hello');
      await eventually('other topic got its message', () => elsewhere.length === 1);
      expect(elsewhere).toEqual(['hello']);
      await unsubscribeElsewhere();
    });

    it('a throwing subscriber does not stop delivery to others', async () => {
      await using store = await makeStore();
      const received: string[] = [];
      const unsubscribeBad = await store.subscribe('topic', () => {
        throw new Error('subscriber bug');
      });
      const unsubscribeGood = await store.subscribe('topic', (m) => received.push(m));
      await store.publish('topic', 'one');
      await store.publish('topic', 'two');
      await eventually('good subscriber got both', () => received.length === 2);
      expect(received).toEqual(['one', 'two']);
      await unsubscribeBad();
      await unsubscribeGood();
    });
  });
}
