/**
 * Which in-process operations take the direct path (only the cluster subgraph answers them) and what the
 * path adds to the shard executor's result: shard failures recorded on the context, null propagation of a
 * non-null root field, and the gateway's refusals left to the gateway.
 */
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { ExecutionRequest, Executor } from '@graphql-tools/utils';
import { parse, type DocumentNode, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../common/auth.ts';
import { HUB_SDL_PATH } from '../subgraphs/hub/index.ts';
import { buildSupergraphApiSchema } from '../testing/supergraph-schema.ts';
import { createDirectExecution, hubOwnedFields } from './direct-execution.ts';
import { CLUSTER_SDL_PATH } from './gateway.ts';
import { shardUnavailable } from './shard-executor.ts';

const auth: AuthContext = {
  principal: 'tester',
  roles: ['reader'],
  tenant: { name: '*' },
  method: 'internal',
  requestId: 'direct-test',
} as AuthContext;

function setup(answer: (request: ExecutionRequest) => ExecutionResult) {
  const calls: ExecutionRequest[] = [];
  const shardExecutor = ((request: ExecutionRequest) => {
    calls.push(request);
    return Promise.resolve(answer(request));
  }) as Executor;
  const direct = createDirectExecution({
    schema: buildSupergraphApiSchema(),
    clusterSchema: buildSubgraphSchema({ typeDefs: parse(readFileSync(CLUSTER_SDL_PATH, 'utf8')) }),
    hubFields: hubOwnedFields(readFileSync(HUB_SDL_PATH, 'utf8')),
    shardExecutor,
  });
  const run = (query: string, roles: readonly string[] = ['reader']) =>
    direct.execute({ document: parse(query), variables: {}, auth: { ...auth, roles } as AuthContext });
  return { calls, run, direct };
}

describe('the direct path of cluster-only queries', () => {
  it('takes queries of cluster fields (keys of hub entities included), leaves the rest to the gateway', async () => {
    const { calls, run } = setup(() => ({ data: { resourcePools: [] } }));
    expect(await run('query P { resourcePools { resourcePoolId clusterId name } }')).toEqual({
      data: { resourcePools: [] },
    });
    expect(calls).toHaveLength(1);
    // Hub fields (alarms on a cluster entity, the O-Cloud), mutations, directives and unknown fields: the gateway.
    expect(await run('{ resourcePools { resourcePoolId alarms { alarmEventRecordId } } }')).toBeUndefined();
    expect(await run('{ oCloud { oCloudId } }')).toBeUndefined();
    expect(await run('{ resourcePools { name @include(if: true) } }')).toBeUndefined();
    expect(await run('{ nosuchfield }')).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('keeps the shard errors and nulls data for a null non-null root list (every cluster down)', async () => {
    const { run } = setup(() => ({
      data: { resourcePools: null },
      errors: [shardUnavailable('edge-1', 'down')],
    }));
    const result = await run('{ resourcePools { resourcePoolId } }');
    expect(result?.data).toBeNull();
    expect(result?.errors?.map((e) => e.extensions?.['clusterId'])).toEqual(['edge-1']);
  });

  it('leaves a caller without the permission to the gateway, which refuses it', async () => {
    const { calls, run } = setup(() => ({ data: { resourcePools: [] } }));
    expect(await run('{ resourcePools { resourcePoolId } }', [])).toBeUndefined();
    expect(calls).toHaveLength(0);
  });
});

describe('shared executions (GraphQL over HTTP)', () => {
  const shared = (
    direct: ReturnType<typeof setup>['direct'],
    document: DocumentNode,
    who: Partial<AuthContext> = {},
    variables: Record<string, unknown> = {},
  ) =>
    direct.executeShared({
      schema: buildSupergraphApiSchema(),
      document,
      variables,
      auth: { ...auth, ...who } as AuthContext,
      signal: new AbortController().signal,
    });

  it('run identical concurrent queries of one identity once, with one serialization', async () => {
    const { calls, direct } = setup(() => ({ data: { resourcePools: [] } }));
    const document = parse('{ resourcePools { resourcePoolId } }');
    const [a, b] = await Promise.all([
      shared(direct, document),
      shared(direct, parse(`{ resourcePools { resourcePoolId } }`)),
    ]);
    expect(calls).toHaveLength(1);
    expect(a).toBe(b);
    const stringify = (a as { stringify?: (r: ExecutionResult) => string }).stringify;
    expect(stringify?.(a)).toBe(JSON.stringify({ data: { resourcePools: [] } }));
    // Done: the next one runs again.
    await shared(direct, document);
    expect(calls).toHaveLength(2);
  });

  it('never share between principals, roles, tenants or variables', async () => {
    const { calls, direct } = setup(() => ({ data: { resourcePool: null } }));
    const document = parse('query($id: ID!) { resourcePool(resourcePoolId: $id) { name } }');
    await Promise.all([
      shared(direct, document, {}, { id: 'a' }),
      shared(direct, document, { principal: 'other' }, { id: 'a' }),
      shared(direct, document, { roles: ['admin'] }, { id: 'a' }),
      shared(direct, document, { tenant: { name: 't1' } } as Partial<AuthContext>, { id: 'a' }),
      shared(direct, document, {}, { id: 'b' }),
    ]);
    expect(calls).toHaveLength(5);
  });

  it('take no mutation or subscription (nor anything the gateway must plan)', () => {
    const { direct } = setup(() => ({ data: {} }));
    expect(direct.handles(parse('{ resourcePools { resourcePoolId } }'), undefined)).toBe(true);
    expect(direct.handles(parse('mutation { deleteVnfInstance(vnfInstanceId: "x") }'), undefined)).toBe(
      false,
    );
    expect(direct.handles(parse('subscription { inventoryChanged { objectId } }'), undefined)).toBe(false);
    expect(direct.handles(parse('{ oCloud { oCloudId } }'), undefined)).toBe(false);
  });

  it('answer invalid variables like the executor: 400, no data, no shard asked', async () => {
    const { calls, direct } = setup(() => ({ data: {} }));
    const result = await shared(
      direct,
      parse('query($id: ID!) { resourcePool(resourcePoolId: $id) { name } }'),
    );
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.extensions?.['http']).toEqual({ status: 400 });
    expect(calls).toHaveLength(0);
  });
});
