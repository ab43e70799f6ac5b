import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './support.ts';
import type { StateStore } from '../store.ts';

interface Doc {
  name: string;
  n: number;
  tags?: string[];
}

export function documentsContract<S extends StateStore>({ makeStore, openPeer }: ContractContext<S>): void {
  describe('documents', () => {
    it('stores JSON copies: absent → undefined, put → get, neither side shares objects', async () => {
      await using store = await makeStore();
      const docs = store.collection<Doc>('subscriptions');
      expect(await docs.get('s1')).toBeUndefined();
      expect(await docs.getVersioned('s1')).toBeUndefined();
      const doc: Doc = { name: 'first', n: 1, tags: ['a'] };
      await docs.put('s1', doc);
      doc.tags!.push('mutated after put');
      const read = await docs.get('s1');
      expect(read).toEqual({ name: 'first', n: 1, tags: ['a'] });
      read!.name = 'mutated after get';
      expect(await docs.get('s1')).toEqual({ name: 'first', n: 1, tags: ['a'] });
    });

    it('stores what JSON carries (undefined properties are dropped)', async () => {
      await using store = await makeStore();
      const docs = store.collection<{ a: number; b?: string | undefined; nested: { list: unknown[] } }>(
        'json',
      );
      await docs.put('x', { a: 1, b: undefined, nested: { list: [] } });
      expect(await docs.get('x')).toStrictEqual({ a: 1, nested: { list: [] } });
    });

    it('put overwrites; delete removes and says whether there was something to remove', async () => {
      await using store = await makeStore();
      const docs = store.collection<Doc>('alarms');
      await docs.put('a1', { name: 'one', n: 1 });
      await docs.put('a1', { name: 'two', n: 2 });
      expect(await docs.get('a1')).toEqual({ name: 'two', n: 2 });
      expect(await docs.delete('a1')).toBe(true);
      expect(await docs.delete('a1')).toBe(false);
      expect(await docs.get('a1')).toBeUndefined();
    });

    it('create succeeds only while the id is absent', async () => {
      await using store = await makeStore();
      const docs = store.collection<Doc>('subscriptions');
      expect(await docs.create('s1', { name: 'original', n: 1 })).toBe(true);
      expect(await docs.create('s1', { name: 'intruder', n: 2 })).toBe(false);
      expect(await docs.get('s1')).toEqual({ name: 'original', n: 1 });
      await docs.delete('s1');
      expect(await docs.create('s1', { name: 'again', n: 3 })).toBe(true);
    });

    it('concurrent creates of one id from two replicas: exactly one wins', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      for (let round = 0; round < 10; round++) {
        const id = `race-${round}`;
        const attempts = [store, peer, store, peer].map((handle, i) =>
          handle.collection<Doc>('subscriptions').create(id, { name: `writer-${i}`, n: i }),
        );
        const results = await Promise.all(attempts);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await peer.collection<Doc>('subscriptions').get(id)).toEqual({
          name: `writer-${winner}`,
          n: winner,
        });
      }
    });

    it('versions grow with every write and are never reused, even after delete and re-create', async () => {
      await using store = await makeStore();
      const docs = store.collection<Doc>('shards');
      await docs.put('c1', { name: 'v', n: 1 });
      const v1 = (await docs.getVersioned('c1'))!.version;
      expect(v1).toBeGreaterThan(0);
      await docs.put('c1', { name: 'v', n: 2 });
      const v2 = (await docs.getVersioned('c1'))!;
      expect(v2).toEqual({ value: { name: 'v', n: 2 }, version: expect.any(Number) });
      expect(v2.version).toBeGreaterThan(v1);
      await docs.delete('c1');
      await docs.create('c1', { name: 'v', n: 3 });
      const v3 = (await docs.getVersioned('c1'))!.version;
      expect(v3).toBeGreaterThan(v2.version);
      // The stale reader's version must not match the re-created document.
      expect(await docs.replaceIfVersion('c1', { name: 'stale', n: 0 }, v1)).toBe(false);
    });

    it('replaceIfVersion writes only at the expected version; 0 means "absent"', async () => {
      await using store = await makeStore();
      const docs = store.collection<Doc>('subscriptions');
      expect(await docs.replaceIfVersion('s1', { name: 'new', n: 1 }, 0)).toBe(true);
      const { version } = (await docs.getVersioned('s1'))!;
      expect(await docs.replaceIfVersion('s1', { name: 'again', n: 2 }, 0)).toBe(false);
      expect(await docs.replaceIfVersion('s1', { name: 'wrong', n: 2 }, version + 1)).toBe(false);
      expect(await docs.replaceIfVersion('s1', { name: 'right', n: 2 }, version)).toBe(true);
      expect(await docs.replaceIfVersion('s1', { name: 'stale', n: 3 }, version)).toBe(false);
      expect(await docs.get('s1')).toEqual({ name: 'right', n: 2 });
      await expect(docs.replaceIfVersion('s1', { name: 'bad', n: 0 }, -1)).rejects.toThrow(RangeError);
    });

    it('two concurrent writers at the same version: exactly one wins, every time', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const mine = store.collection<Doc>('subscriptions');
      const theirs = peer.collection<Doc>('subscriptions');
      await mine.put('s1', { name: 'start', n: 0 });
      for (let round = 1; round <= 20; round++) {
        const { version } = (await theirs.getVersioned('s1'))!;
        const [a, b] = await Promise.all([
          mine.replaceIfVersion('s1', { name: 'mine', n: round }, version),
          theirs.replaceIfVersion('s1', { name: 'theirs', n: round }, version),
        ]);
        expect([a, b].filter(Boolean)).toHaveLength(1);
        const stored = (await mine.getVersioned('s1'))!;
        expect(stored.value).toEqual({ name: a ? 'mine' : 'theirs', n: round });
        expect(stored.version).toBeGreaterThan(version);
      }
    });

    it('list returns every document ordered by id', async () => {
      await using store = await makeStore();
      const docs = store.collection<Doc>('alarms');
      expect(await docs.list()).toEqual([]);
      const ids = ['b', 'a:2', 'a', 'Z', 'a:10', 'é', 'c'];
      for (const [n, id] of ids.entries()) await docs.put(id, { name: id, n });
      await docs.delete('c');
      const listed = await docs.list();
      expect(listed.map((e) => e.id)).toEqual(['Z', 'a', 'a:10', 'a:2', 'b', 'é']);
      expect(listed.find((e) => e.id === 'a:2')?.doc).toEqual({ name: 'a:2', n: 1 });
    });

    it('collections are separate; a peer handle sees the same documents', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      await store.collection<Doc>('subscriptions').put('x', { name: 'sub', n: 1 });
      await store.collection<Doc>('alarms').put('x', { name: 'alarm', n: 2 });
      expect(await peer.collection<Doc>('subscriptions').get('x')).toEqual({ name: 'sub', n: 1 });
      expect(await peer.collection<Doc>('alarms').get('x')).toEqual({ name: 'alarm', n: 2 });
      expect(await peer.collection<Doc>('shards').get('x')).toBeUndefined();
    });

    it('index entries: one id per key, idempotent for that id, per index and collection', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const subs = store.collection<Doc>('subscriptions');
      expect(await subs.lookupIndex('callback', 'https://smo/cb')).toBeUndefined();
      expect(await subs.createIndexEntry('callback', 'https://smo/cb', 's1')).toBe(true);
      expect(await subs.createIndexEntry('callback', 'https://smo/cb', 's1')).toBe(true);
      expect(
        await peer.collection<Doc>('subscriptions').createIndexEntry('callback', 'https://smo/cb', 's2'),
      ).toBe(false);
      expect(await peer.collection<Doc>('subscriptions').lookupIndex('callback', 'https://smo/cb')).toBe(
        's1',
      );
      expect(await subs.lookupIndex('filter', 'https://smo/cb')).toBeUndefined();
      expect(await store.collection<Doc>('alarms').lookupIndex('callback', 'https://smo/cb')).toBeUndefined();
      await subs.deleteIndexEntry('callback', 'https://smo/cb');
      await subs.deleteIndexEntry('callback', 'https://smo/cb');
      expect(await subs.lookupIndex('callback', 'https://smo/cb')).toBeUndefined();
      expect(await subs.createIndexEntry('callback', 'https://smo/cb', 's2')).toBe(true);
    });

    it('concurrent index claims for one key: exactly one id gets it', async () => {
      await using store = await makeStore();
      await using peer = await openPeer(store);
      const results = await Promise.all(
        ['s1', 's2', 's3', 's4'].map((id, i) =>
          (i % 2 ? peer : store).collection<Doc>('subscriptions').createIndexEntry('callback', 'k', id),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.collection<Doc>('subscriptions').lookupIndex('callback', 'k')).toBe(
        ['s1', 's2', 's3', 's4'][results.indexOf(true)],
      );
    });

    it('rejects names that would make the layout ambiguous, and empty ids', async () => {
      await using store = await makeStore();
      expect(() => store.collection('a:b')).toThrow(TypeError);
      expect(() => store.collection('')).toThrow(TypeError);
      await expect(store.collection('ok').createIndexEntry('x:y', 'k', 'id')).rejects.toThrow(TypeError);
      await expect(store.collection('ok').put('', {})).rejects.toThrow(TypeError);
    });

    it('behaves like a map with never-reused versions under any sequence of writes', async () => {
      await using store = await makeStore();
      const id = fc.constantFrom('a', 'b', 'c');
      const op = fc.oneof(
        fc.record({ kind: fc.constant('put' as const), id, n: fc.nat(99) }),
        fc.record({ kind: fc.constant('create' as const), id, n: fc.nat(99) }),
        fc.record({ kind: fc.constant('replace' as const), id, n: fc.nat(99), stale: fc.boolean() }),
        fc.record({ kind: fc.constant('delete' as const), id }),
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
          const docs = store.collection<{ n: number }>(`model-${run++}`);
          const model = new Map<string, { n: number; version: number }>();
          const versionsSeen = new Set<number>();
          const wrote = async (key: string, n: number): Promise<void> => {
            const stored = (await docs.getVersioned(key))!;
            expect(stored.value).toEqual({ n });
            expect(versionsSeen.has(stored.version)).toBe(false);
            versionsSeen.add(stored.version);
            model.set(key, { n, version: stored.version });
          };
          for (const step of ops) {
            const current = model.get(step.id);
            switch (step.kind) {
              case 'put':
                await docs.put(step.id, { n: step.n });
                await wrote(step.id, step.n);
                break;
              case 'create': {
                const created = await docs.create(step.id, { n: step.n });
                expect(created).toBe(current === undefined);
                if (created) await wrote(step.id, step.n);
                break;
              }
              case 'replace': {
                const expected = (current?.version ?? 0) + (step.stale ? 1 : 0);
                const replaced = await docs.replaceIfVersion(step.id, { n: step.n }, expected);
                expect(replaced).toBe(!step.stale);
                if (replaced) await wrote(step.id, step.n);
                break;
              }
              case 'delete':
                expect(await docs.delete(step.id)).toBe(current !== undefined);
                model.delete(step.id);
                break;
            }
          }
          const expected = [...model]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([key, v]) => ({ id: key, doc: { n: v.n } }));
          expect(await docs.list()).toEqual(expected);
        }),
        { numRuns: 25 },
      );
    });
  });
}
