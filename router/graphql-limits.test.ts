import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSupergraphApiSchema } from '../testing/supergraph-schema.ts';
import { ShardClient, ShardRequestError } from './shard-client.ts';
import {
  DEFAULT_GRAPHQL_LIMITS,
  checkSource,
  checkVariables,
  operationLimitsRule,
  valueDepth,
} from './graphql-limits.ts';

const schema = buildSupergraphApiSchema();
const rule = operationLimitsRule(DEFAULT_GRAPHQL_LIMITS);

function refusals(query: string): string[] {
  return validate(schema, parse(query), [rule]).map((e) => e.message);
}

/** `{ clusters { deploymentManager { cluster { … } } } }` with `levels` fields in all. */
function nested(levels: number): string {
  const names = Array.from({ length: levels - 1 }, (_, i) =>
    i === 0 ? 'clusters' : i % 2 === 1 ? 'deploymentManager' : 'cluster',
  );
  const leaf = levels % 2 === 0 ? 'name' : 'clusterId';
  return `{ ${names.join(' { ')} { ${leaf} }${' }'.repeat(levels - 1)}`;
}

describe('GraphQL limits (defaults)', () => {
  it('refuses documents with too many tokens or too deep nesting before parsing', () => {
    expect(() => checkSource(`{ ${'__typename '.repeat(15_001)}}`, DEFAULT_GRAPHQL_LIMITS)).toThrow(
      /more than 15000 tokens/,
    );
    const deep = `{${'a{'.repeat(5_000)}b${'}'.repeat(5_001)}`;
    expect(() => checkSource(deep, DEFAULT_GRAPHQL_LIMITS)).toThrow(/nests deeper/);
    expect(() => checkSource(nested(15), DEFAULT_GRAPHQL_LIMITS)).not.toThrow();
  });

  it('allows 15 levels of fields and refuses 16', () => {
    expect(refusals(nested(15))).toEqual([]);
    expect(refusals(nested(16))).toEqual(['the operation nests deeper than 15 fields']);
  });

  it('counts depth through fragments and stops at fragment cycles (which graphql itself reports)', () => {
    const viaFragments = `{ clusters { ...A } }
      fragment A on Cluster { deploymentManager { cluster { deploymentManager { cluster { ...B } } } } }
      fragment B on Cluster { deploymentManager { cluster { deploymentManager { cluster { ...C } } } } }
      fragment C on Cluster { deploymentManager { cluster { deploymentManager { cluster { ...D } } } } }
      fragment D on Cluster { deploymentManager { cluster { name } } }`;
    expect(refusals(viaFragments)).toEqual(['the operation nests deeper than 15 fields']);
    const cycle = `{ clusters { ...C } } fragment C on Cluster { deploymentManager { cluster { ...C } } }`;
    expect(refusals(cycle)).toEqual([]);
  });

  it('allows 30 aliases and refuses 31', () => {
    const aliases = (n: number): string =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: oCloud { name }`).join(' ')} }`;
    expect(refusals(aliases(30))).toEqual([]);
    expect(refusals(aliases(31))).toEqual(['the document has 31 aliases; at most 30']);
  });

  it('refuses nested list queries over the cost budget and takes literal `first` values into account', () => {
    const listBomb =
      '{ clusters { resourcePools { resources { elements { elements { elements { resourceId } } } } } } }';
    expect(refusals(listBomb)[0]).toMatch(/estimated cost exceeds 5000/);
    expect(refusals('{ resources { resourceId elements { resourceId } resourcePool { name } } }')).toEqual(
      [],
    );
    expect(refusals('{ resources(first: 10000) { resourceType { name } } }')[0]).toMatch(/estimated cost/);
    expect(refusals('{ resources(first: 100) { resourceType { name } } }')).toEqual([]);
  });

  it('sizes a connection by its `first` and does not count its edges again', () => {
    const page = (first: number): string =>
      `{ resourcesConnection(first: ${first}) { totalCount edges { node { resourceType { name } } } } }`;
    expect(refusals(page(400))).toEqual([]);
    expect(refusals(page(1000))).toEqual([]);
    const nested = '{ clusters { nodesConnection(first: 1000) { edges { node { conditions { type } } } } } }';
    expect(refusals(nested)[0]).toMatch(/estimated cost exceeds 5000/);
  });

  it('does not count introspection fields, so GraphiQL can load the schema', () => {
    const typeRef = 'name ofType { '.repeat(8) + 'name' + ' }'.repeat(8);
    expect(refusals(`{ __schema { types { fields { type { ${typeRef} } } } } }`)).toEqual([]);
  });

  it('measures variable nesting without recursion and refuses more than 32 levels', () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}1${']'.repeat(10_000)}`) as unknown;
    expect(valueDepth(deep, 100)).toBeGreaterThan(100);
    expect(() => checkVariables({ f: deep }, DEFAULT_GRAPHQL_LIMITS)).toThrow(/deeper than 32/);
    expect(() => checkVariables({ f: { a: [1, { b: 2 }] } }, DEFAULT_GRAPHQL_LIMITS)).not.toThrow();
  });

  it('a request the shard client cannot encode is the caller error, not a shard failure', async () => {
    const client = new ShardClient(
      { clusterId: 'edge-1', url: 'http://127.0.0.1:9/graphql', wsUrl: 'ws://127.0.0.1:9/graphql' },
      { breaker: { failureThreshold: 1, cooldownMs: 60_000 } },
    );
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(
        client.query(
          { document: parse('{ clusters { name } }'), variables: { f: deep } },
          new AbortController().signal,
        ),
      ).rejects.toBeInstanceOf(ShardRequestError);
    }
    expect(client.breaker.state).toBe('closed');
    await client[Symbol.asyncDispose]();
  });
});
