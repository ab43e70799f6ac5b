/**
 * GraphQL documents are parsed and validated once, when the facade is created: a document that does not fit
 * the graph stops start-up with a message naming the operation.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildASTSchema, buildSchema } from 'graphql';
import { developmentContext } from '../common/auth.ts';
import { createRestFacade } from './index.ts';
import { InvalidOperationError, OperationCache, graphOperation } from './operation-cache.ts';
import { FixtureGraphExecutor } from '../testing/fixture-executor.ts';
import { buildSupergraphApiSchema, mergeSubgraphSdl } from '../testing/supergraph-schema.ts';

const authenticate = () => Promise.resolve(developmentContext('test'));

describe('OperationCache', () => {
  const schema = buildSupergraphApiSchema();

  it('returns the same validated document for the same operation', () => {
    const cache = new OperationCache(schema);
    const operation = graphOperation('Pools', 'query Pools { resourcePools { name } }');
    expect(cache.document(operation)).toBe(cache.document(operation));
  });

  it('rejects syntax errors, unknown fields and a missing operation name', () => {
    const cache = new OperationCache(schema);
    expect(() => cache.document(graphOperation('Broken', 'query Broken {'))).toThrow(InvalidOperationError);
    expect(() =>
      cache.document(graphOperation('Unknown', 'query Unknown { resourcePools { clusterName } }')),
    ).toThrow(/Unknown.*clusterName/);
    expect(() => cache.document(graphOperation('Named', 'query Other { resourcePools { name } }'))).toThrow(
      /exactly one operation named Named/,
    );
  });
});

describe('createRestFacade', () => {
  it('fails at creation when the graph lacks what an operation selects', () => {
    // The cluster subgraph alone: no oCloud root field from the hub.
    const clusterOnly = buildASTSchema(
      mergeSubgraphSdl([readFileSync(new URL('../schema/cluster.graphql', import.meta.url), 'utf8')]),
    );
    const executor = new FixtureGraphExecutor(undefined, clusterOnly);
    expect(() => createRestFacade({ executor, authenticate })).toThrow(/O2ImsCloudInfo.*oCloud/);
  });

  it('fails at creation when a selected field changed type', () => {
    const drifted = buildSchema(`
      scalar JSON
      type Query { oCloud: OCloud! resourcePools: [ResourcePool]! }
      type OCloud { oCloudId: ID! globalCloudId: ID! name: String! description: String! serviceUri: String! extensions: JSON! }
      type ResourcePool { resourcePoolId: ID! name: String! description: String! oCloudSiteId: ID! extensions: [String] }
    `);
    const executor = new FixtureGraphExecutor(undefined, drifted);
    expect(() => createRestFacade({ executor, authenticate })).toThrow(InvalidOperationError);
  });

  it('succeeds against the merged hub + cluster schema', () => {
    expect(() => createRestFacade({ executor: new FixtureGraphExecutor(), authenticate })).not.toThrow();
  });
});
